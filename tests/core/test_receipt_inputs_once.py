"""The pre-screen receipt keeps its inputs once: what the application's stored rows
rebuild is not stored again, is rebuilt on read and checked against inputs_sha256; what
they cannot rebuild stays whole; migration 0016 compacts receipts saved before."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.applications.snapshot import read_snapshot
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ApplicationInput
from core.prescreen.outcome import canonical_json, inputs_sha256
from core.prescreen.rebuild import COMPACT, compact_inputs, local_inputs
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


def _raw(ctx: AppContext, app_id: str) -> tuple[str, str]:
    row = ctx.db.execute(
        "SELECT inputs, inputs_sha256 FROM prescreen_receipts WHERE application_id = ?",
        [app_id],
    ).fetchone()
    return str(row[0]), str(row[1])


def _set_raw(ctx: AppContext, app_id: str, inputs: str) -> None:
    with ctx.db.atomic():
        ctx.db.execute(
            "UPDATE prescreen_receipts SET inputs = ? WHERE application_id = ?", [inputs, app_id]
        )


def test_a_saved_receipt_is_compact_and_reads_back_whole(ctx: AppContext) -> None:
    ids = _save(ctx, 6)
    repo = ReceiptsRepo(ctx.db)
    for app_id in ids:
        stored, sha = _raw(ctx, app_id)
        assert stored.startswith(COMPACT)
        local = json.loads(stored[len(COMPACT) :])
        assert "graph" not in local and "order" not in local  # the application's part
        whole = repo.receipt(app_id)
        assert whole is not None and whole["inputs_sha256"] == sha
        text = whole["inputs"]
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha
        assert text == canonical_json(json.loads(text))
        assert local_inputs(json.loads(text)) == local  # nothing lost, nothing added
        receipt = ctx.applications.receipt(app_id)
        assert receipt is not None and receipt.inputs_json == text
        assert receipt.inputs_sha256 == inputs_sha256(receipt.inputs) == sha
        # both forms read the same: the whole text stored as it used to be
        _set_raw(ctx, app_id, text)
        again = ctx.applications.receipt(app_id)
        assert again is not None and again.inputs_json == text


def test_the_upload_rebuilt_from_a_compact_receipt_is_the_one_the_save_built(
    ctx: AppContext,
) -> None:
    (app_id,) = _save(ctx, 1)
    assert _raw(ctx, app_id)[0].startswith(COMPACT)
    item = next(i for i in SyncRepo(ctx.db).items("pending", 0, 10) if i.application_id == app_id)
    sent = json.loads(item.payload)["prescreen"]
    receipt = ReceiptsRepo(ctx.db).receipt(app_id)
    assert receipt is not None
    assert prescreen_from_receipt(receipt) == sent


def test_inputs_the_rows_cannot_rebuild_are_kept_whole(ctx: AppContext) -> None:
    first, second = _save(ctx, 2)
    repo = ReceiptsRepo(ctx.db)
    other = repo.receipt(second)
    assert other is not None
    # inputs gathered for another application (a review attempt with other terms, say)
    assert (
        compact_inputs(
            other["inputs"],
            other["inputs_sha256"],
            *_facts(repo, first),
        )
        == other["inputs"]
    )
    # such a receipt stored whole stays whole through the compaction, and reads as is
    with ctx.db.atomic():
        ctx.db.execute(
            "UPDATE prescreen_receipts SET inputs = ?, inputs_sha256 = ? WHERE application_id = ?",
            [other["inputs"], other["inputs_sha256"], first],
        )
        assert repo.compact_receipts("", 500)[0] == 0
    assert _raw(ctx, first)[0] == other["inputs"]
    got = ctx.applications.receipt(first)
    assert got is not None and got.inputs_json == other["inputs"]
    # so does a receipt saved before the schedule was kept on it (nothing to rebuild with)
    whole = repo.receipt(second)
    assert whole is not None
    with ctx.db.atomic():
        ctx.db.execute(
            "UPDATE prescreen_receipts SET inputs = ?, schedule = NULL WHERE application_id = ?",
            [whole["inputs"], second],
        )
        assert repo.compact_receipts("", 500)[0] == 0
    assert _raw(ctx, second)[0] == whole["inputs"]


def _facts(repo: ReceiptsRepo, app_id: str) -> tuple[ApplicationInput, int]:
    found = repo._rebuild_facts(app_id)
    assert found is not None
    return found


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE applications SET term_months = term_months + 6 WHERE id = :id",
        "UPDATE applications SET down_payment_fen = down_payment_fen + 100, "
        "principal_fen = principal_fen - 100 WHERE id = :id",
        "UPDATE customers SET monthly_income_fen = monthly_income_fen * 3 "
        "WHERE id = (SELECT customer_id FROM applications WHERE id = :id)",
        "UPDATE order_lines SET unit_price_fen = unit_price_fen - 1 WHERE application_id = :id",
        "UPDATE order_lines SET quantity = quantity + 1 WHERE application_id = :id",
    ],
)
def test_an_application_changed_after_the_fact_is_refused_not_accepted(
    ctx: AppContext, tamper: str
) -> None:
    (app_id,) = _save(ctx, 1)
    assert _raw(ctx, app_id)[0].startswith(COMPACT)
    ctx.db.execute("PRAGMA foreign_keys = OFF")
    with ctx.db.atomic():
        ctx.db.execute(tamper, {"id": app_id})
    with pytest.raises(ReceiptMismatch) as raised:
        ctx.applications.receipt(app_id)
    assert raised.value.code == "STORAGE_RECEIPT_MISMATCH"
    assert app_id in str(raised.value)
    snapshot = read_snapshot(ctx.applications, None, app_id)  # the detail view says so
    assert snapshot.receipt is None and snapshot.receipt_problem is not None
    assert snapshot.receipt_problem.code == "STORAGE_RECEIPT_MISMATCH"
    # nor does the compaction or the retention pass make it whole again
    with ctx.db.atomic():
        ReceiptsRepo(ctx.db).expand_receipts([app_id])
    assert _raw(ctx, app_id)[0].startswith(COMPACT)


def test_blanking_personal_data_keeps_the_receipt_whole(ctx: AppContext) -> None:
    kept, purged = _save(ctx, 2)
    before = ctx.applications.receipt(purged)
    assert before is not None and _raw(ctx, purged)[0].startswith(COMPACT)
    with ctx.db.atomic():
        RetentionRepo(ctx.db).blank_personal_data([purged], T0.isoformat())
    stored, _sha = _raw(ctx, purged)
    assert stored == before.inputs_json  # the ID number the rebuild read is gone
    after = ctx.applications.receipt(purged)
    assert after is not None and after.inputs_json == before.inputs_json
    assert _raw(ctx, kept)[0].startswith(COMPACT)


def test_compacting_goes_in_pages(ctx: AppContext) -> None:
    ids = sorted(_save(ctx, 7))
    repo = ReceiptsRepo(ctx.db)
    wholes = {}
    for app_id in ids:
        found = repo.receipt(app_id)
        assert found is not None
        wholes[app_id] = found["inputs"]
        _set_raw(ctx, app_id, found["inputs"])
    after: str | None = ""
    pages = []
    with ctx.db.atomic():
        while after is not None:
            done, after = repo.compact_receipts(after, 3)
            pages.append(done)
    assert pages == [3, 3, 1, 0]
    for app_id in ids:
        assert _raw(ctx, app_id)[0].startswith(COMPACT)
        found = repo.receipt(app_id)
        assert found is not None and found["inputs"] == wholes[app_id]


def test_migration_0016_compacts_receipts_saved_in_the_old_form(tmp_path: Path) -> None:
    """A file as the previous build left it: receipts hold their whole inputs (the
    bytes the old save wrote: the canonical JSON inputs_sha256 is of), and 0016 not
    applied. One receipt cannot be rebuilt (no schedule: saved before 0012)."""
    paths = resolve_paths(tmp_path / "app")
    ctx = open_context(paths, FixedClock(T0))
    try:
        ids = sorted(_save(ctx, 5))
        wholes = {}
        for app_id in ids:
            found = ReceiptsRepo(ctx.db).receipt(app_id)
            assert found is not None
            wholes[app_id] = found["inputs"]
        with ctx.db.atomic():
            for app_id in ids:
                ctx.db.execute(
                    "UPDATE prescreen_receipts SET inputs = ? WHERE application_id = ?",
                    [wholes[app_id], app_id],
                )
            ctx.db.execute(
                "UPDATE prescreen_receipts SET schedule = NULL WHERE application_id = ?",
                [ids[0]],
            )
            ctx.db.execute(
                "DELETE FROM _sqlite_migrations WHERE name = '0016_compact_receipt_inputs'"
            )
        for app_id in ids:
            stored, sha = _raw(ctx, app_id)
            assert stored == wholes[app_id]
            assert hashlib.sha256(stored.encode("utf-8")).hexdigest() == sha
    finally:
        ctx.close()

    ctx = open_context(paths, FixedClock(T0))  # runs 0016
    try:
        applied = ctx.db.execute(
            "SELECT count(*) FROM _sqlite_migrations WHERE name = '0016_compact_receipt_inputs'"
        ).fetchone()[0]
        assert applied == 1
        assert _raw(ctx, ids[0])[0] == wholes[ids[0]]  # kept whole
        for app_id in ids[1:]:
            assert _raw(ctx, app_id)[0].startswith(COMPACT)
        for app_id in ids:
            got = ctx.applications.receipt(app_id)
            assert got is not None and got.inputs_json == wholes[app_id]
    finally:
        ctx.close()
