"""For field managers: the dashboard on 100,000 applications, and a bundle export of
10,000 applications. Each figure is a ratio to a baseline measured in the same run.

- ``dashboard``: every figure of the dashboard (core.field.dashboard) for the whole range
  (all 100,000 applications, the worst case) and for this month, alternating with the
  baseline, a bare ``count(*)`` of the same range on its ``created_at`` index with
  sqlite3 on the same file. Goal: under 300 ms.
- ``bundle_export``: ``bundle export`` of 10,000 pending applications (read and open
  each sealed payload, seal each part to head office, sign, write, fsync, audit),
  against the baseline of reading the same rows (payloads opened) and writing them as
  plain JSON to the same disk.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarks.bench_signin import COUNT, _with_file_keyring, big_data_dir
from benchmarks.common import emit, latency_figures

ROOT = Path(__file__).resolve().parent.parent
BUNDLE_COUNT = 10_000


def bench_dashboard(big: Path, keys: Path, rounds: int = 9) -> None:
    def work() -> None:
        from core.config import resolve_paths
        from core.context import open_context
        from core.field.dashboard import Period, dashboard

        ctx = open_context(resolve_paths(big))  # the first open may run migration 0013
        raw = sqlite3.connect(str(big / "loandesk.db"))
        try:
            for name, period in (
                ("all", Period.between(date(2000, 1, 1), date(2100, 1, 1))),
                ("month", Period.this_month(ctx.clock)),
            ):
                start, end = period.utc_bounds()
                measured, baseline = [], []
                for _ in range(rounds):
                    t = time.perf_counter()
                    d = dashboard(ctx.db, ctx.actor, ctx.clock, period)
                    measured.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    raw.execute(
                        "SELECT count(*) FROM applications WHERE created_at >= ? "
                        "AND created_at < ?",
                        [start, end],
                    ).fetchone()
                    baseline.append((time.perf_counter() - t) * 1000)
                emit(
                    {
                        "bench": f"dashboard_{name}",
                        **latency_figures(measured, baseline),
                        "goal_ms": 300,
                        "applications": COUNT,
                        "in_range": d.totals.applications,
                        "measured": "every dashboard figure and the stuck counts",
                        "baseline": "bare count(*) of the same range on the created_at index",
                    }
                )
        finally:
            raw.close()
            ctx.close()

    _with_file_keyring(keys, work)


def bench_bundle_export(rounds: int = 3) -> None:
    from core.bundle.export import export_bundle
    from core.config import resolve_paths
    from core.context import open_context
    from core.demo_data import seed_demo
    from core.store.bundle_repo import BundleRepo
    from core.store.sync_repo import SyncRepo
    from core.sync import state_keys, tokens
    from core.sync.push import batch_body

    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        ctx = open_context(resolve_paths(Path(tmp) / "store"))
        try:
            seed_demo(ctx.applications, BUNDLE_COUNT, 4, datetime.now(UTC), salespeople=6)
            repo = SyncRepo(ctx.db)
            with ctx.db.atomic():  # enrolled as an enrolment leaves it (no server needed)
                repo.state_set(state_keys.SERVER_URL, "https://head-office.invalid")
                repo.state_set(state_keys.STORE_CODE, "S001")
                repo.state_set(state_keys.DEVICE_ID, "bench-device")
            tokens.save_token("bench-device", "bench-token")
            measured, baseline = [], []
            for n in range(rounds):
                t = time.perf_counter()
                done = export_bundle(ctx.db, ctx.actor, ctx.clock, Path(tmp) / f"b{n}.ldbundle")
                measured.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                _plain_copy(BundleRepo(ctx.db), batch_body, Path(tmp) / f"plain{n}.json")
                baseline.append((time.perf_counter() - t) * 1000)
            size = (Path(tmp) / "b0.ldbundle").stat().st_size
        finally:
            ctx.close()
    emit(
        {
            "bench": "bundle_export",
            **latency_figures(measured, baseline),
            "applications": done.items,
            "parts": done.parts,
            "file_mb": round(size / 1e6, 1),
            "measured": "bundle export: sealed parts, signed header, written, fsynced, audited",
            "baseline": "the same pending rows read (payloads opened) and written as plain JSON",
        }
    )


def _plain_copy(repo: object, body: object, target: Path) -> None:
    import os

    after = 0
    with open(target, "wb") as out:
        while True:
            page = repo.pending_after(after, 100)  # type: ignore[attr-defined]
            if not page:
                break
            after = page[-1].rowid
            out.write(body(page))  # type: ignore[operator]
        out.flush()
        os.fsync(out.fileno())


def run() -> None:
    big, keys = big_data_dir()
    bench_dashboard(big, keys)
    bench_bundle_export()


if __name__ == "__main__":
    import keyring

    from core.security.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    run()
