"""Bytes per application on disk, against the application's essential fields.

N demo applications are saved like a clerk's (``core.demo_data.seed_demo``, in this process,
keys in the memory keyring ``benchmarks/__main__.py`` installs) into a fresh data folder.
The database is measured twice: as saved (every upload pending), and after a simulated
sync (every outbox row acknowledged and every application given a decision, through
``SyncRepo`` exactly as the push and the pull write them). Each time: the WAL is
checkpointed (``PRAGMA wal_checkpoint(TRUNCATE)``) and the file ``VACUUM``ed into a copy,
whose size over N is the figure; ``dbstat`` gives the split by table and index (those
of 16 bytes or more per application).

The receipts are saved as the app saves them: inputs the application's rows rebuild are
kept once (the local part only), and so is a schedule the application's terms rebuild (a
marker and a short sha256). To show what that saves, the synced file is measured twice
more in the same run: with every receipt's whole schedule written back (as before the
schedule was kept once, ``ReceiptsRepo.expand_schedules``):
``bytes_per_app_synced_whole_schedules``; then with the whole inputs too (as before
either was, ``ReceiptsRepo.expand_receipts``): ``bytes_per_app_synced_whole_receipts``.

Baseline, same run: the same applications' essential fields (customer and order inputs,
``core.demo_data.generate`` with the arguments ``seed_demo`` uses) as compact JSON, bytes
per application. The ratio is disk bytes over those.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import emit
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import generate, load_demo_catalog, seed_demo
from core.store.receipts_repo import ReceiptsRepo
from core.store.sync_repo import DecisionRecord, SyncRepo

SEED = 7
NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
SALESPEOPLE = 12  # seed_demo's default


def _measure(ctx: AppContext, tmp: Path, name: str, count: int) -> dict[str, Any]:
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp / f"{name}.db"
    ctx.db.execute("VACUUM INTO ?", [str(copy)])
    size = copy.stat().st_size
    split: dict[str, int] = {}
    conn = sqlite3.connect(str(copy))
    try:
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
        split = {str(n): round(int(s) / count) for n, s in rows if int(s) >= 16 * count}
    except sqlite3.OperationalError:  # sqlite built without SQLITE_ENABLE_DBSTAT_VTAB
        split = {}
    finally:
        conn.close()
    return {"bytes_per_app": size / count, "file_bytes": size, "by_table_per_app": split}


def _sync_all(ctx: AppContext) -> int:
    """Every pending row acked, every application decided (as push and pull write it)."""
    repo = SyncRepo(ctx.db)
    at = NOW.isoformat(timespec="milliseconds")
    done, seq = 0, 0
    while True:
        page = repo.items("pending", 0, 500)
        if not page:
            return done
        with ctx.db.atomic():
            repo.mark_acked([i.op_id for i in page], at, 200)
            for item in page:
                seq += 1
                repo.upsert_decision(
                    DecisionRecord(item.application_id, "approved", None, 700, (), at, seq, at)
                )
        done += len(page)


def _whole_receipts(ctx: AppContext, inputs: bool) -> None:
    """Every receipt's whole schedule stored again, and with ``inputs`` its whole inputs
    too (the forms before they were kept once)."""
    repo = ReceiptsRepo(ctx.db)
    ids = [a for (a,) in ctx.db.execute("SELECT application_id FROM prescreen_receipts")]
    for start in range(0, len(ids), 500):
        with ctx.db.atomic():
            if inputs:
                repo.expand_receipts(ids[start : start + 500], schedules=True)
            else:
                repo.expand_schedules(ids[start : start + 500])


def _essential_bytes(count: int, policy: Any) -> int:
    plan = generate(count, SEED, NOW, load_demo_catalog(), policy, None, SALESPEOPLE)
    total = 0
    for p in plan:
        fields = {
            "customer": dataclasses.asdict(p.app.customer),
            "lines": [dataclasses.asdict(line) for line in p.app.lines],
            "terms": dataclasses.asdict(p.app.terms),
            "scenario": p.app.scenario.value,
            "delivery_city": p.app.delivery_city,
            "delivery_address": p.app.delivery_address,
        }
        text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"), default=str)
        total += len(text.encode("utf-8"))
    return total


def run(count: int = 2000) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ctx = open_context(resolve_paths(tmp / "app"))
        try:
            seed_demo(ctx.applications, count, SEED, NOW, salespeople=SALESPEOPLE)
            saved = _measure(ctx, tmp, "saved", count)
            synced_rows = _sync_all(ctx)
            synced = _measure(ctx, tmp, "synced", count)
            kept_whole = ctx.db.execute(  # schedules the terms did not rebuild byte for byte
                "SELECT count(*) FROM prescreen_receipts WHERE schedule NOT LIKE 'terms:%'"
            ).fetchone()[0]
            _whole_receipts(ctx, inputs=False)
            whole_schedules = _measure(ctx, tmp, "synced_whole_schedules", count)
            _whole_receipts(ctx, inputs=True)
            whole = _measure(ctx, tmp, "synced_whole_receipts", count)
            essential = _essential_bytes(count, ctx.applications.policy) / count
        finally:
            ctx.close()
    emit(
        {
            "bench": "storage_per_application",
            "applications": count,
            "bytes_per_app": saved["bytes_per_app"],
            "bytes_per_app_synced": synced["bytes_per_app"],
            "baseline_bytes_per_app": essential,
            "ratio": saved["bytes_per_app"] / essential,
            "ratio_synced": synced["bytes_per_app"] / essential,
            "bytes_per_app_synced_whole_schedules": whole_schedules["bytes_per_app"],
            "bytes_per_app_synced_whole_receipts": whole["bytes_per_app"],
            "receipt_bytes_per_app": synced["by_table_per_app"].get("prescreen_receipts"),
            "receipt_bytes_per_app_whole_schedules": whole_schedules["by_table_per_app"].get(
                "prescreen_receipts"
            ),
            "receipt_bytes_per_app_whole": whole["by_table_per_app"].get("prescreen_receipts"),
            "synced_rows": synced_rows,
            "schedules_kept_whole": kept_whole,
            "by_table_per_app": saved["by_table_per_app"],
            "by_table_per_app_synced": synced["by_table_per_app"],
            "baseline": "customer and order inputs as compact JSON (UTF-8), per application",
        }
    )


if __name__ == "__main__":
    import keyring

    from core.security.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    run()
