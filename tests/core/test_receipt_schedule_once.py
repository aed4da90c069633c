"""The pre-screen receipt keeps its schedule once: when the application row's stored
terms rebuild it to the same bytes, the column holds a short marker with a sha256 of it;
every reader gets the whole schedule, rebuilt and checked; what the terms cannot rebuild
stays whole; migration 0017 compacts schedules saved before."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.applications.snapshot import read_print_facts, read_snapshot
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.prescreen.outcome import canonical_json, inputs_sha256
from core.prescreen.rebuild import (
    COMPACT,
    SCHEDULE_REBUILT,
    SCHEDULE_SHA_CHARS,
    SCHEDULE_TERMS,
    compact_schedule,
    schedule_json,
)
from core.store.paperwork_repo import PaperworkRepo
from core.store.receipts_repo import ReceiptMismatch, ReceiptsRepo
from core.store.retention_repo import RetentionRepo
from core.store.sync_repo import SyncRepo
from core.sync.payload import prescreen_from_receipt

T0 = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_context(resolve_paths(tmp_path / "app"), FixedClock(T0))
    yield context
    context.close()


def _save(ctx: AppContext, count: int, seed: int = 3) -> list[str]:
    gen = DemoGenerator(seed, T0.date(), load_demo_catalog(), ctx.applications.policy)
    return [ctx.applications.save(gen.application()) for _ in range(count)]


def _raw(ctx: AppContext, app_id: str) -> str:
    row = ctx.db.execute(
        "SELECT schedule FROM prescreen_receipts WHERE application_id = ?", [app_id]
    ).fetchone()
    return str(row[0])


def _set_raw(ctx: AppContext, app_id: str, schedule: str) -> None:
    with ctx.db.atomic():
        ctx.db.execute(
            "UPDATE prescreen_receipts SET schedule = ? WHERE application_id = ?",
            [schedule, app_id],
        )


def _signed(ctx: AppContext, app_id: str) -> str:
    """The schedule as the detail view shows it (the stored rate and terms), in the
    receipt column's whole form: what the save wrote there before it was kept once."""
    schedule = ctx.applications.stored_schedule(ctx.applications.detail(app_id))
    return json.dumps(schedule_json(schedule), sort_keys=True)


def _terms(ctx: AppContext, app_id: str) -> dict[str, Any]:
    row = ctx.db.execute(
        f"SELECT {', '.join(SCHEDULE_TERMS)} FROM applications WHERE id = ?", [app_id]
    ).fetchone()
    return dict(zip(SCHEDULE_TERMS, row, strict=True))


def _readers(ctx: AppContext, app_id: str) -> dict[str, Any]:
    """What each reader of the receipt's schedule gets."""
    papers = ctx.applications.receipt_paperwork(app_id)
    assert papers is not None
    snapshot = read_snapshot(ctx.applications, None, app_id)
    assert snapshot.receipt_problem is None and snapshot.schedule is not None
    printed = read_print_facts(ctx.applications, app_id)
    assert printed.schedule is not None
    receipt = ctx.applications.receipt(app_id)
    assert receipt is not None
    return {
        "column": ReceiptsRepo(ctx.db).receipt_schedule(app_id),
        "paperwork": papers["schedule"],
        "detail": snapshot.schedule,
        "printout": printed.schedule,
        "inputs": receipt.inputs_json,
    }


def test_a_saved_schedule_is_short_and_reads_back_whole(ctx: AppContext) -> None:
    ids = _save(ctx, 6)
    for app_id in ids:
        stored = _raw(ctx, app_id)
        whole = _signed(ctx, app_id)
        assert stored.startswith(SCHEDULE_REBUILT)
        assert len(stored) == len(SCHEDULE_REBUILT) + SCHEDULE_SHA_CHARS < len(whole) // 10
        rows = json.loads(whole)
        assert rows and all(r["due_date"] for r in rows)  # dated as signed
        sha = hashlib.sha256(canonical_json(rows).encode("utf-8")).hexdigest()
        assert stored == SCHEDULE_REBUILT + sha[:SCHEDULE_SHA_CHARS]
        got = _readers(ctx, app_id)
        assert got["column"] == whole
        assert got["paperwork"] == rows
        assert schedule_json(got["detail"]) == rows == schedule_json(got["printout"])
        # the receipt's inputs take the largest installment from the rebuilt schedule
        inputs = json.loads(got["inputs"])
        assert inputs["order"]["max_installment_fen"] == max(r["payment_fen"] for r in rows)
        # both forms read the same: the whole schedule stored as it used to be
        _set_raw(ctx, app_id, whole)
        assert _readers(ctx, app_id) == got


def test_the_upload_and_the_receipt_hash_hold_with_a_short_schedule(ctx: AppContext) -> None:
    (app_id,) = _save(ctx, 1)
    assert _raw(ctx, app_id).startswith(SCHEDULE_REBUILT)
    item = next(i for i in SyncRepo(ctx.db).items("pending", 0, 10) if i.application_id == app_id)
    receipt = ReceiptsRepo(ctx.db).receipt(app_id)
    assert receipt is not None
    assert prescreen_from_receipt(receipt) == json.loads(item.payload)["prescreen"]
    outcome = ctx.applications.receipt(app_id)
    assert outcome is not None
    assert outcome.inputs_sha256 == inputs_sha256(outcome.inputs) == receipt["inputs_sha256"]


def test_a_schedule_the_terms_do_not_rebuild_byte_for_byte_stays_whole(ctx: AppContext) -> None:
    first, second, third = _save(ctx, 3)
    repo = ReceiptsRepo(ctx.db)
    whole = _signed(ctx, first)
    rows = json.loads(whole)
    # the same schedule in other bytes (no spaces): not byte for byte, kept as it is
    other_bytes = json.dumps(rows, sort_keys=True, separators=(",", ":"))
    # a schedule priced otherwise (another fee on the first period)
    priced = json.dumps([{**rows[0], "fee_fen": rows[0]["fee_fen"] + 1}, *rows[1:]], sort_keys=True)
    for text in (other_bytes, priced):
        assert compact_schedule(text, _terms(ctx, first)) == text
    assert compact_schedule(whole, _terms(ctx, first)).startswith(SCHEDULE_REBUILT)
    # another application's schedule does not pass for this one's
    assert compact_schedule(_signed(ctx, second), _terms(ctx, first)) == _signed(ctx, second)
    _set_raw(ctx, first, other_bytes)
    _set_raw(ctx, second, priced)
    with ctx.db.atomic():
        assert repo.compact_schedules("", 500)[0] == 0
    assert _raw(ctx, first) == other_bytes
    assert _raw(ctx, second) == priced
    assert repo.receipt_schedule(first) == other_bytes
    assert repo.receipt_schedule(second) == priced
    papers = ctx.applications.receipt_paperwork(second)
    assert papers is not None and papers["schedule"] == json.loads(priced)
    # a schedule dated where the row holds no first due date (an older form) stays whole
    whole_third = _signed(ctx, third)
    _set_raw(ctx, third, whole_third)
    with ctx.db.atomic():
        ctx.db.execute(
            "UPDATE applications SET first_due_date = NULL, due_day = NULL WHERE id = ?", [third]
        )
        assert repo.compact_schedules("", 500)[0] == 0
    assert repo.receipt_schedule(third) == whole_third


# (the upfront fee is not in any period's row: the schedule does not show it)
@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE applications SET term_months = term_months + 6 WHERE id = :id",
        "UPDATE applications SET annual_rate = '0.2399' WHERE id = :id",
        "UPDATE applications SET period_fee_fen = period_fee_fen + 1 WHERE id = :id",
        "UPDATE applications SET first_due_date = '2026-05-09', due_day = 9 WHERE id = :id",
        "UPDATE applications SET due_day = 28 WHERE id = :id",
        "UPDATE applications SET method = CASE method WHEN 'equal_installment' "
        "THEN 'equal_principal' ELSE 'equal_installment' END WHERE id = :id",
        "UPDATE applications SET down_payment_fen = down_payment_fen + 100, "
        "principal_fen = principal_fen - 100 WHERE id = :id",
    ],
)
def test_terms_changed_after_the_fact_are_refused_not_shown(ctx: AppContext, tamper: str) -> None:
    (app_id,) = _save(ctx, 1)
    assert _raw(ctx, app_id).startswith(SCHEDULE_REBUILT)
    before = _terms(ctx, app_id)
    with ctx.db.atomic():
        ctx.db.execute(tamper, {"id": app_id})
    assert _terms(ctx, app_id) != before
    repo = ReceiptsRepo(ctx.db)
    with pytest.raises(ReceiptMismatch) as raised:
        repo.receipt_schedule(app_id)
    assert raised.value.code == "STORAGE_RECEIPT_MISMATCH"
    assert app_id in str(raised.value)
    with pytest.raises(ReceiptMismatch):
        ctx.applications.receipt_paperwork(app_id)
    with pytest.raises(ReceiptMismatch):  # the printouts are refused
        read_print_facts(ctx.applications, app_id)
    with pytest.raises(ReceiptMismatch):  # the inputs' largest installment is the schedule's
        ctx.applications.receipt(app_id)
    snapshot = read_snapshot(ctx.applications, None, app_id)  # the detail view says so
    assert snapshot.schedule is None and snapshot.receipt is None
    assert snapshot.receipt_problem is not None
    assert snapshot.receipt_problem.code == "STORAGE_RECEIPT_MISMATCH"
    # neither writing schedules back whole nor compacting makes it whole again
    with ctx.db.atomic():
        repo.expand_receipts([app_id], schedules=True)
        repo.compact_schedules("", 500)
    assert _raw(ctx, app_id).startswith(SCHEDULE_REBUILT)


def test_a_short_schedule_that_is_not_this_ones_is_refused(ctx: AppContext) -> None:
    first, second = _save(ctx, 2)
    _set_raw(ctx, first, _raw(ctx, second))
    if _raw(ctx, first) == compact_schedule(_signed(ctx, first), _terms(ctx, first)):
        pytest.skip("the two demo applications have the same terms")
    with pytest.raises(ReceiptMismatch):
        ReceiptsRepo(ctx.db).receipt_schedule(first)


def test_retention_keeps_the_schedule_readable(ctx: AppContext) -> None:
    kept, purged = _save(ctx, 2)
    whole = _signed(ctx, purged)
    terms = _terms(ctx, purged)
    assert _raw(ctx, purged).startswith(SCHEDULE_REBUILT)
    with ctx.db.atomic():
        RetentionRepo(ctx.db).blank_personal_data([purged], T0.isoformat())
    # blanking changes none of the terms the schedule is rebuilt from, so it stays short
    assert _terms(ctx, purged) == terms
    assert _raw(ctx, purged).startswith(SCHEDULE_REBUILT)
    repo = ReceiptsRepo(ctx.db)
    assert repo.receipt_schedule(purged) == whole
    # the inputs were stored whole first; rebuilding them read the short schedule
    stored_inputs = ctx.db.execute(
        "SELECT inputs FROM prescreen_receipts WHERE application_id = ?", [purged]
    ).fetchone()[0]
    assert not str(stored_inputs).startswith(COMPACT)
    receipt = ctx.applications.receipt(purged)
    assert receipt is not None and receipt.inputs_json == stored_inputs
    papers = ctx.applications.receipt_paperwork(purged)
    assert papers is not None and papers["schedule"] == json.loads(whole)
    # what would blank a term first stores the schedule whole: it then reads without them
    with ctx.db.atomic():
        repo.expand_receipts([purged], schedules=True)
        ctx.db.execute(
            "UPDATE applications SET annual_rate = '', first_due_date = NULL WHERE id = ?",
            [purged],
        )
    assert _raw(ctx, purged) == whole
    assert repo.receipt_schedule(purged) == whole
    assert _raw(ctx, kept).startswith(SCHEDULE_REBUILT)


def test_setting_due_dates_keeps_the_signed_schedule(ctx: AppContext) -> None:
    (app_id,) = _save(ctx, 1)
    whole = _signed(ctx, app_id)
    assert _raw(ctx, app_id).startswith(SCHEDULE_REBUILT)
    with ctx.db.atomic():
        PaperworkRepo(ctx.db).set_due_dates(app_id, "2027-01-09", 9)
    assert _raw(ctx, app_id) == whole  # stored whole before the terms changed
    assert ReceiptsRepo(ctx.db).receipt_schedule(app_id) == whole


def test_compacting_schedules_goes_in_pages(ctx: AppContext) -> None:
    ids = sorted(_save(ctx, 7))
    repo = ReceiptsRepo(ctx.db)
    wholes = {app_id: _signed(ctx, app_id) for app_id in ids}
    with ctx.db.atomic():
        repo.expand_receipts(ids, schedules=True)
    assert all(_raw(ctx, app_id) == wholes[app_id] for app_id in ids)
    after: str | None = ""
    pages = []
    with ctx.db.atomic():
        while after is not None:
            done, after = repo.compact_schedules(after, 3)
            pages.append(done)
    assert pages == [3, 3, 1, 0]
    for app_id in ids:
        assert _raw(ctx, app_id).startswith(SCHEDULE_REBUILT)
        assert repo.receipt_schedule(app_id) == wholes[app_id]


def test_migration_0017_compacts_schedules_saved_in_the_old_form(tmp_path: Path) -> None:
    """A file as the build before 0016 left it: receipts hold their whole inputs and
    whole schedules, neither migration applied. One schedule is in other bytes than the
    terms rebuild (kept whole); one receipt has no schedule (saved before 0012)."""
    paths = resolve_paths(tmp_path / "app")
    ctx = open_context(paths, FixedClock(T0))
    try:
        ids = sorted(_save(ctx, 5))
        repo = ReceiptsRepo(ctx.db)
        inputs, schedules = {}, {}
        for app_id in ids:
            found = repo.receipt(app_id)
            assert found is not None
            inputs[app_id] = found["inputs"]
            schedules[app_id] = _signed(ctx, app_id)
        schedules[ids[1]] = json.dumps(json.loads(schedules[ids[1]]), sort_keys=True, indent=1)
        with ctx.db.atomic():
            for app_id in ids:
                ctx.db.execute(
                    "UPDATE prescreen_receipts SET inputs = ?, schedule = ? "
                    "WHERE application_id = ?",
                    [inputs[app_id], schedules[app_id], app_id],
                )
            ctx.db.execute(
                "UPDATE prescreen_receipts SET schedule = NULL WHERE application_id = ?", [ids[0]]
            )
            ctx.db.execute(
                "DELETE FROM _sqlite_migrations WHERE name IN "
                "('0016_compact_receipt_inputs', '0017_compact_receipt_schedules')"
            )
    finally:
        ctx.close()

    ctx = open_context(paths, FixedClock(T0))  # runs 0016, then 0017
    try:
        applied = ctx.db.execute(
            "SELECT count(*) FROM _sqlite_migrations WHERE name IN "
            "('0016_compact_receipt_inputs', '0017_compact_receipt_schedules')"
        ).fetchone()[0]
        assert applied == 2
        repo = ReceiptsRepo(ctx.db)
        assert repo.receipt_schedule(ids[0]) is None
        assert _raw(ctx, ids[1]) == schedules[ids[1]]  # kept whole: other bytes
        for app_id in ids[2:]:
            assert _raw(ctx, app_id).startswith(SCHEDULE_REBUILT)
        for app_id in ids[1:]:
            assert repo.receipt_schedule(app_id) == schedules[app_id]
            stored = ctx.db.execute(
                "SELECT inputs FROM prescreen_receipts WHERE application_id = ?", [app_id]
            ).fetchone()[0]
            assert str(stored).startswith(COMPACT)  # 0016 read the whole schedule
        for app_id in ids:
            got = ctx.applications.receipt(app_id)
            assert got is not None and got.inputs_json == inputs[app_id]
    finally:
        ctx.close()
