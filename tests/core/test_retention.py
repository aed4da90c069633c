"""Retention: personal data of finished, synced applications (and of cancelled ones) is
removed after N days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ListQuery, Status
from core.retention import due_for_purge, purge_personal_data
from tests.helpers.roles import masked_customer

T0 = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)


def _decide(ctx, app_id: str, decision: str, received: datetime) -> None:
    """What a sync does when the centre decides (see core/sync/pull.py)."""
    svc = ctx.applications
    svc.transition(app_id, Status.SUBMITTED)
    if decision != "review":
        svc.transition(app_id, Status(decision))
    else:
        svc.transition(app_id, Status.REVIEW)
    ctx.db.execute("UPDATE outbox SET state = 'acked' WHERE application_id = ?", [app_id])
    ctx.db.execute(
        "INSERT INTO decisions(application_id, decision, approved_amount_fen, score, reasons, "
        "decided_at, seq, received_at) VALUES (?, ?, NULL, 60, '[]', ?, 1, ?)",
        [app_id, decision, received.isoformat(), received.isoformat()],
    )


def test_only_old_final_synced_applications_lose_their_personal_data(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    ctx = open_context(resolve_paths(tmp_path), clock)
    try:
        gen = DemoGenerator(4, T0.date(), load_demo_catalog(), ctx.applications.policy)
        apps = {
            k: gen.application()
            for k in ("old_ok", "old_no", "old_review", "new_ok", "old_pending")
        }
        ids = {k: ctx.applications.save(a) for k, a in apps.items()}
        _decide(ctx, ids["old_ok"], "approved", T0)
        _decide(ctx, ids["old_no"], "declined", T0)
        _decide(ctx, ids["old_review"], "review", T0)  # not final: may still change
        _decide(ctx, ids["new_ok"], "approved", T0 + timedelta(days=170))
        # old_pending was never synced: its data stays until the centre has it
        totals_before = ctx.db.execute(
            "SELECT count(*), sum(order_total_fen), sum(principal_fen) FROM applications"
        ).fetchone()

        clock.advance(timedelta(days=181))
        assert sorted(due_for_purge(ctx.db, clock, 180)) == sorted([ids["old_ok"], ids["old_no"]])
        assert purge_personal_data(ctx.db, clock, 180) == 2
        assert purge_personal_data(ctx.db, clock, 180) == 0  # idempotent

        for key in ("old_ok", "old_no"):
            d = ctx.applications.detail(ids[key])
            assert (
                d.customer.id_number,
                d.customer.name,
                d.customer.phone,
                d.customer.home_address,
                d.delivery_address,
            ) == ("", "", "", "", "")
            assert d.row.customer_name == "" and d.row.phone_tail == ""
            assert d.row.order_total_fen == apps[key].order_total_fen  # the record stays
            assert ctx.applications.receipt(ids[key]) is not None
            assert ctx.applications.history(ids[key])[-1].action == "personal_data_purged"
        for key in ("old_review", "new_ok", "old_pending"):
            customer = apps[key].customer
            assert ctx.applications.detail(ids[key]).customer == masked_customer(customer)
            assert ctx.applications.reveal(ids[key], "id_number") == customer.id_number
        assert (
            ctx.db.execute(
                "SELECT count(*), sum(order_total_fen), sum(principal_fen) FROM applications"
            ).fetchone()
            == totals_before
        )
        assert ctx.applications.count(ListQuery(text=apps["old_ok"].customer.name)) == 0

        # nothing of a purged customer is left anywhere in the file, WAL included
        ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("loandesk.db*"))
        for key in ("old_ok", "old_no"):
            c = apps[key].customer
            for secret in (c.id_number, c.phone):
                assert secret.encode() not in raw, key
        # the check can see data: the kept customer's sealed ID number is in the file
        # (its plain value never is: personal data is stored encrypted)
        kept = ctx.db.execute(
            "SELECT c.id_number FROM customers c JOIN applications a ON a.customer_id = c.id "
            "WHERE a.id = ?",
            [ids["new_ok"]],
        ).fetchone()[0]
        assert kept and kept.encode() in raw
        assert apps["new_ok"].customer.id_number.encode() not in raw
    finally:
        ctx.close()


def test_open_context_applies_the_retention_setting(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    ctx = open_context(resolve_paths(tmp_path), clock)
    gen = DemoGenerator(5, T0.date(), load_demo_catalog(), ctx.applications.policy)
    app_id = ctx.applications.save(gen.application())
    _decide(ctx, app_id, "approved", T0)
    ctx.settings.set("retention_days", 30)
    ctx.close()
    clock.advance(timedelta(days=31))
    ctx = open_context(resolve_paths(tmp_path), clock)
    try:
        assert ctx.applications.detail(app_id).customer.id_number == ""
    finally:
        ctx.close()


def test_cancelled_applications_lose_their_personal_data_after_retention(
    tmp_path: Path,
) -> None:
    """A customer who withdrew is not kept longer than one who was decided: counted from
    the cancel (the application's updated_at); the record itself stays."""
    clock = FixedClock(T0)
    ctx = open_context(resolve_paths(tmp_path), clock)
    try:
        gen = DemoGenerator(6, T0.date(), load_demo_catalog(), ctx.applications.policy)
        apps = {k: gen.application() for k in ("old", "recent", "queued")}
        ids = {k: ctx.applications.save(a) for k, a in apps.items()}
        ctx.applications.cancel(ids["old"], "customer_withdrew")
        clock.advance(timedelta(days=100))
        ctx.applications.cancel(ids["recent"], "duplicate")
        clock.advance(timedelta(days=81))  # old: 181 days since the cancel; recent: 81
        assert due_for_purge(ctx.db, clock, 180) == [ids["old"]]
        assert purge_personal_data(ctx.db, clock, 180) == 1
        assert purge_personal_data(ctx.db, clock, 180) == 0  # idempotent

        d = ctx.applications.detail(ids["old"])
        assert (
            d.customer.id_number,
            d.customer.name,
            d.customer.phone,
            d.customer.home_address,
            d.delivery_address,
        ) == ("", "", "", "", "")
        assert d.row.status == "cancelled" and d.row.order_total_fen == apps["old"].order_total_fen
        assert [e.action for e in ctx.applications.history(ids["old"])][-2:] == [
            "cancelled",
            "personal_data_purged",
        ]
        for key in ("recent", "queued"):
            assert ctx.applications.detail(ids[key]).customer == masked_customer(apps[key].customer)
        ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("loandesk.db*"))
        c = apps["old"].customer
        for secret in (c.id_number, c.phone):
            assert secret.encode() not in raw
    finally:
        ctx.close()


def test_unsent_uploads_of_cancelled_applications_are_withdrawn(tmp_path: Path) -> None:
    """Versions before a cancel withdrew the upload left it pending: the next retention
    run (every start) deletes it, with an audit row, long before the data is purged."""
    clock = FixedClock(T0)
    ctx = open_context(resolve_paths(tmp_path), clock)
    try:
        gen = DemoGenerator(7, T0.date(), load_demo_catalog(), ctx.applications.policy)
        kept, cancelled = (ctx.applications.save(gen.application()) for _ in range(2))
        with ctx.db.atomic():  # what such a version's cancel wrote: status only
            ctx.db.execute("UPDATE applications SET status = 'cancelled' WHERE id = ?", [cancelled])
        assert purge_personal_data(ctx.db, clock, 180) == 0
        states = dict(ctx.db.execute("SELECT application_id, state FROM outbox").fetchall())
        assert states == {kept: "pending"}
        assert [e.action for e in ctx.applications.history(cancelled)][-1] == "upload_withdrawn"
        assert purge_personal_data(ctx.db, clock, 180) == 0
        assert [e.action for e in ctx.applications.history(cancelled)].count(
            "upload_withdrawn"
        ) == 1
    finally:
        ctx.close()
