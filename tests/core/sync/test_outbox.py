"""Saving writes the outbox row in the same transaction; the payload is the raw form
format, sealed by its sha256."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from core.clock import FixedClock
from core.context import AppContext
from core.demo_data import DemoGenerator, seed_demo
from core.security.crypto import is_token
from core.store.backfill import queue_unqueued_applications
from core.store.db import DiskFull
from core.store.sync_repo import SyncRepo
from core.sync import wire
from core.sync.payload import raw_form
from core.validation.application import parse_application
from tests.core.sync.conftest import outbox_states
from tests.helpers.evidence import save_many_with_photos, save_with_photos


def _outbox(ctx: AppContext) -> list[dict[str, object]]:
    """Outbox rows with their payloads opened; the stored column is a token."""
    rows = list(ctx.db.query("SELECT * FROM outbox ORDER BY rowid"))
    opened = {
        i.op_id: i.payload
        for s in ("pending", "acked", "rejected", "quarantined")
        for i in SyncRepo(ctx.db).items(s)
    }
    for row in rows:
        assert is_token(row["payload"]) and "customer" not in str(row["payload"])
        row["payload"] = opened[str(row["op_id"])]
    return rows


def _payloads(ctx: AppContext) -> dict[str, str]:
    """application id -> plain payload (as the push sends it)."""
    return {str(r["application_id"]): str(r["payload"]) for r in _outbox(ctx)}


def test_save_queues_the_application_with_a_sealed_payload(
    ctx: AppContext, gen: DemoGenerator, clock: FixedClock
) -> None:
    app = gen.application()
    app_id = save_with_photos(ctx.applications, app)
    [row] = _outbox(ctx)
    assert (row["application_id"], row["op"], row["base_rev"], row["state"]) == (
        app_id,
        "create",
        0,
        "pending",
    )
    payload = json.loads(str(row["payload"]))
    assert row["payload"] == wire.canonical_json(payload)
    assert row["payload_sha256"] == wire.payload_sha256(payload)
    model = wire.ApplicationPayload.model_validate(payload)
    # exactly the wire shape (optional fields it has no value for are left out)
    assert model.model_dump(mode="json", exclude_unset=True) == payload
    assert (model.application_id, model.store_code, model.operator) == (app_id, "LOCAL", "system")
    receipt = ctx.applications.receipt(app_id)
    assert receipt is not None and model.prescreen is not None
    assert model.prescreen.outcome == receipt.outcome
    assert model.prescreen.inputs_sha256 == receipt.inputs_sha256
    # the server validates the very same raw form and gets the very same application,
    # with the first-payment date the schedule was dated from (one month on by default)
    again = parse_application(model.application, today=clock.now().date())
    first_due = ctx.applications.detail(app_id).terms.first_due_date
    assert first_due is not None
    terms = dataclasses.replace(app.terms, first_due_date=first_due)
    assert again.ok and again.value == dataclasses.replace(app, consent=None, terms=terms)
    # the consent travels beside the raw form, as recorded
    assert app.consent is not None and model.consent == app.consent.to_json()
    detail = ctx.applications.detail(app_id)
    assert model.apr == str(detail.apr) and model.total_repayment_fen == detail.total_repayment_fen
    assert detail.row.status == "queued"
    history = [(e.action, e.from_status, e.to_status) for e in ctx.applications.history(app_id)]
    assert history == [("created", None, "prescreened"), ("queued", "prescreened", "queued")]


def test_amounts_travel_as_yuan_strings(gen: DemoGenerator) -> None:
    form = raw_form(gen.application())
    assert isinstance(form["customer"]["monthly_income"], str)
    assert form["customer"]["monthly_income"].count(".") == 1
    assert all(
        line["unit_price"].endswith(tuple("0123456789")) and "," not in line["unit_price"]
        for line in form["order"]["lines"]
    )


@pytest.mark.parametrize("table", ["outbox", "order_lines"])
def test_a_failing_write_rolls_back_application_and_outbox_together(
    ctx: AppContext, gen: DemoGenerator, table: str
) -> None:
    ctx.db.execute(
        f"CREATE TRIGGER boom BEFORE INSERT ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    with pytest.raises(DiskFull):
        save_with_photos(ctx.applications, gen.application())
    with pytest.raises(DiskFull):
        save_many_with_photos(ctx.applications, [(gen.application(), ctx.clock.now())])
    for t in ("applications", "customers", "outbox", "audit_log", "prescreen_receipts"):
        assert ctx.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0, t


def test_save_many_and_the_demo_seed_queue_every_application(
    ctx: AppContext, clock: FixedClock
) -> None:
    result = seed_demo(ctx.applications, 120, 3, clock.now(), salespeople=3)
    states = outbox_states(ctx)
    assert len(states) == result.saved == 120 and set(states.values()) == {"pending"}
    logins = {json.loads(p)["operator"] for p in _payloads(ctx).values()}
    assert logins == {"sales01", "sales02", "sales03"}
    assert {s for (s,) in ctx.db.execute("SELECT status FROM applications")} == {"queued"}
    ids = [a for (a,) in ctx.db.execute("SELECT op_id FROM outbox ORDER BY rowid")]
    assert len(set(ids)) == 120


def test_applications_saved_before_sync_existed_are_backfilled(
    ctx: AppContext, gen: DemoGenerator, clock: FixedClock
) -> None:
    """A database from before sync existed: pre-screened rows with no outbox row. Migration
    0009 runs this step once (tests/core/test_upgrade_from_first_schema.py opens such a
    file); run here by hand, in a transaction as the migration does."""
    kept = save_with_photos(ctx.applications, gen.application())
    old = save_many_with_photos(
        ctx.applications, [(gen.application(), clock.now() - timedelta(days=2))]
    )[0]
    sealed = _payloads(ctx)
    ctx.db.execute("DELETE FROM outbox WHERE application_id = ?", [old])
    ctx.db.execute("UPDATE applications SET status = 'prescreened' WHERE id = ?", [old])

    def backfill(at: str) -> int:
        with ctx.db.atomic():
            return queue_unqueued_applications(ctx.db, at)

    assert backfill("2026-01-01T00:00:00.000+00:00") == 1
    assert backfill("2026-01-01T00:00:00.000+00:00") == 0
    rebuilt = _payloads(ctx)
    assert rebuilt[old] == sealed[old]  # the same bytes a save would have written
    assert rebuilt[kept] == sealed[kept]
    assert ctx.applications.row(old).status == "queued"  # type: ignore[union-attr]
