"""Storage: the real SQLite file, migrations, the application service."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.applications.service import ServiceError
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.ids import is_uuid7
from core.models import ListQuery, Status
from core.store import db as dbmod
from core.store.db import DiskFull, check_database, classify, open_database
from core.store.migrations import MIGRATIONS
from tests.helpers.roles import masked_customer

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Path):
    c = open_context(resolve_paths(tmp_path / "d"), FixedClock(NOW))
    yield c
    c.close()


@pytest.fixture
def gen() -> DemoGenerator:
    return DemoGenerator(7, NOW.date(), load_demo_catalog())


def test_pragmas_and_migrations(ctx) -> None:
    r = check_database(ctx.db)
    assert r.ok
    assert r.journal_mode == "wal"
    assert r.synchronous == 2  # FULL
    assert ctx.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert r.applied_migrations == [m.name for m in MIGRATIONS._migrations]


def test_backup_written_before_a_pending_migration(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.db"
    db = open_database(path)
    db.execute("INSERT INTO meta(key, value) VALUES ('probe', 'kept')")
    db.close()

    @MIGRATIONS(name="9999_test_only")
    def _extra(d) -> None:
        d.execute("CREATE TABLE extra (x INTEGER)")

    try:
        db = open_database(path, backups_dir=tmp_path / "backups")
        backups = list((tmp_path / "backups").glob("x-*-before-9999_test_only.db"))
        assert len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT value FROM meta WHERE key='probe'").fetchone() == ("kept",)
        assert "extra" not in [r[0] for r in old.execute("SELECT name FROM sqlite_master")]
        old.close()
        assert "extra" in db.table_names()
        db.close()
    finally:
        MIGRATIONS._migrations = [m for m in MIGRATIONS._migrations if m.name != "9999_test_only"]


def test_fresh_file_needs_no_backup(tmp_path: Path) -> None:
    open_database(tmp_path / "new.db", backups_dir=tmp_path / "b").close()
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").iterdir())


def test_save_detail_history(ctx, gen) -> None:
    app = gen.application()
    app_id = ctx.applications.save(app)
    assert is_uuid7(app_id)
    d = ctx.applications.detail(app_id)
    assert d.customer == masked_customer(app.customer)  # masked for every role
    assert d.lines == app.lines
    # the terms as entered, plus the first due date the save set (one month on)
    assert d.terms == dataclasses.replace(app.terms, first_due_date=d.terms.first_due_date)
    assert d.terms.first_due_date is not None
    assert d.row.order_total_fen == app.order_total_fen
    assert d.row.principal_fen == app.principal_fen
    assert d.row.status == Status.QUEUED
    schedule = ctx.applications.quote(
        app.scenario, app.principal_fen, app.terms.term_months, app.terms.method
    )
    assert d.row.first_payment_fen == schedule.first_payment_fen
    assert d.total_repayment_fen == schedule.total_repayment_fen
    events = ctx.applications.history(app_id)
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("created", None, "prescreened"),
        ("queued", "prescreened", "queued"),
    ]
    receipt = ctx.applications.receipt(app_id)
    assert receipt is not None and receipt.outcome in ("PASS", "REFER", "DECLINE")
    assert ctx.applications.reveal(app_id, "id_number") == app.customer.id_number
    assert ctx.applications.reveal(app_id, "phone") == app.customer.phone


def test_transitions_follow_the_status_machine(ctx, gen) -> None:
    app_id = ctx.applications.save(gen.application())
    ctx.applications.cancel(app_id, "customer_withdrew")
    assert ctx.applications.row(app_id).status == "cancelled"
    with pytest.raises(ServiceError) as err:
        ctx.applications.transition(app_id, Status.QUEUED)
    assert err.value.code == "TRANSITION_NOT_ALLOWED"
    actions = [(e.action, e.to_status) for e in ctx.applications.history(app_id)]
    assert actions == [("created", "prescreened"), ("queued", "queued"), ("cancelled", "cancelled")]
    with pytest.raises(ServiceError):
        ctx.applications.cancel("0190aaaa-0000-7000-8000-000000000000")


def test_list_search_sort_and_pages(ctx, gen) -> None:
    apps = [gen.application() for _ in range(60)]
    ids = [ctx.applications.save(a) for a in apps]
    svc = ctx.applications
    assert svc.count(ListQuery()) == 60
    page1 = svc.page(ListQuery(), 0, 25)
    page3 = svc.page(ListQuery(), 50, 25)
    assert len(page1) == 25 and len(page3) == 10
    # newest first by default; ids are time-ordered UUIDv7
    assert [r.id for r in page1] == sorted(ids, reverse=True)[:25]
    by_total = svc.page(ListQuery(sort_column="order_total_fen", descending=False), 0, 60)
    totals = [r.order_total_fen for r in by_total]
    assert totals == sorted(totals)
    target = apps[17]
    tail = target.customer.phone[-4:]
    found = svc.page(ListQuery(text=tail), 0, 100)
    assert ids[17] in [r.id for r in found]
    assert all(
        r.phone_tail == tail or tail in r.customer_name or r.id.startswith(tail) for r in found
    )
    # names, phones and ID numbers are matched whole, through keyed hashes
    name = target.customer.name
    assert ids[17] in [r.id for r in svc.page(ListQuery(text=f" {name} "), 0, 100)]
    assert all(r.customer_name == name for r in svc.page(ListQuery(text=name), 0, 100))
    assert svc.count(ListQuery(text=name[:1])) == 0  # no fragment search on sealed names
    for whole in (
        target.customer.phone,
        target.customer.id_number,
        target.customer.id_number.lower(),
    ):
        assert ids[17] in [r.id for r in svc.page(ListQuery(text=whole), 0, 100)]
    with pytest.raises(ValueError):
        svc.page(ListQuery(sort_column="customer_name"), 0, 10)  # sealed: not sortable
    assert [r.id for r in svc.page(ListQuery(text=ids[3][:28]), 0, 100)] == [ids[3]]
    assert svc.count(ListQuery(text="%")) == 0  # LIKE wildcards are literal
    svc.cancel(ids[0])
    assert [r.id for r in svc.page(ListQuery(status=Status.CANCELLED), 0, 10)] == [ids[0]]
    with pytest.raises(ValueError):
        svc.page(ListQuery(sort_column="id; DROP TABLE applications"), 0, 10)


def test_form_draft_round_trip(ctx) -> None:
    svc = ctx.applications
    assert svc.load_form_draft() is None
    svc.save_form_draft({"customer": {"name": "张三"}, "step": 1})
    assert svc.load_form_draft() == {"customer": {"name": "张三"}, "step": 1}
    svc.discard_form_draft()
    assert svc.load_form_draft() is None


def test_save_clears_the_form_draft_in_the_same_transaction(ctx, gen) -> None:
    ctx.applications.save_form_draft({"step": 3})
    ctx.applications.save(gen.application())
    assert ctx.applications.load_form_draft() is None


def test_failed_save_leaves_no_partial_rows(ctx, gen) -> None:
    """A failure inside the transaction (here a constraint) rolls the whole save back."""
    app = gen.application()
    ctx.db.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON order_lines "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    ctx.applications.save_form_draft({"step": 4})
    with pytest.raises(DiskFull):
        ctx.applications.save(app)
    assert ctx.applications.count_all() == 0
    assert ctx.db.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
    assert ctx.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    assert ctx.db.execute("SELECT count(*) FROM prescreen_receipts").fetchone()[0] == 0
    assert ctx.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    assert ctx.applications.load_form_draft() == {"step": 4}  # the clerk's form is kept


def test_save_many_keeps_creation_times(ctx, gen) -> None:
    items = [(gen.application(), NOW - timedelta(days=d)) for d in (3, 2, 1)]
    ids = ctx.applications.save_many(items)
    rows = [ctx.applications.row(i) for i in ids]
    assert [r.created_at[:10] for r in rows] == ["2026-11-24", "2026-11-25", "2026-11-26"]
    assert ids == sorted(ids)


def test_environment_errors_are_classified() -> None:
    assert isinstance(classify(sqlite3.OperationalError("database or disk is full")), DiskFull)
    assert isinstance(
        classify(sqlite3.OperationalError("database is locked")), dbmod.DatabaseLocked
    )
    assert isinstance(
        classify(sqlite3.DatabaseError("file is not a database")), dbmod.DatabaseCorrupt
    )
    assert classify(sqlite3.OperationalError("no such column: x")) is None


def test_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(dbmod.DatabaseCorrupt):
        open_database(path)


def test_stored_schedule_keeps_the_rate_the_customer_signed(ctx, gen) -> None:
    from dataclasses import replace
    from decimal import Decimal

    app = gen.application()
    app_id = ctx.applications.save(app)
    detail = ctx.applications.detail(app_id)
    signed = ctx.applications.stored_schedule(detail)
    assert signed.first_payment_fen == detail.row.first_payment_fen
    assert signed.total_repayment_fen == detail.total_repayment_fen
    # a later pack with another rate changes quotes, not what was signed
    raised = {**ctx.applications.policy.annual_rate, app.scenario: Decimal("0.2000")}
    ctx.applications._fixed_policy = replace(ctx.applications.policy, annual_rate=raised)
    quote = ctx.applications.quote(
        app.scenario, app.principal_fen, app.terms.term_months, app.terms.method
    )
    assert quote.total_repayment_fen != detail.total_repayment_fen
    assert ctx.applications.stored_schedule(detail) == signed
