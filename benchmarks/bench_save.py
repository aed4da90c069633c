"""Save-application latency with synchronous=FULL, against a bare one-row INSERT+COMMIT
of the same size on the same disk with the same pragmas.

As at the counter: the review step pre-screens the application (not timed: the clerk
reads the outcome), then Save is pressed (timed: it pre-screens again, with the review
attempts in the receipt, and writes everything in one transaction). A second figure
times a save with no pre-screen before it.
The samples alternate with the baseline's, so a noisy disk hits both alike.

Also reported, per save beside the bare insert's: CPU time (``time.process_time``, in
the timed samples), SQL statements (SQLite's trace, in which a trigger's program counts
as one more) and bytes appended to the ``-wal`` file (an untimed pass with automatic
checkpoints off, so the file only grows).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from benchmarks.common import emit, latency_figures, percentile
from core.clock import SystemClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog, paper_consent
from core.models import ApplicationInput
from core.store.db import PRAGMAS

ROOT = Path(__file__).resolve().parent.parent
ROW_BYTES = 1400  # about what one application (customer, application, lines, audit) adds


def run(samples: int = 300, warmup: int = 20) -> None:
    # On the project's disk, not /tmp: /tmp is often tmpfs, where fsync costs nothing.
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        ctx = open_context(resolve_paths(Path(tmp) / "app"))
        gen = DemoGenerator(5, SystemClock().now().date(), load_demo_catalog())
        conn = sqlite3.connect(str(Path(tmp) / "bare.db"), isolation_level=None)
        for p in PRAGMAS:
            conn.execute(p)
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
        payload = "x" * ROW_BYTES
        save_ms, bare_ms, cold_ms = [], [], []
        save_cpu, bare_cpu = [], []

        def bare() -> None:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO t(payload) VALUES (?)", (payload,))
            conn.execute("COMMIT")

        for i in range(samples + warmup):
            app = with_consent(gen.application())
            ctx.applications.prescreen(app)  # the review step
            t, cpu = time.perf_counter(), time.process_time()
            ctx.applications.save(app)
            s, s_cpu = (time.perf_counter() - t) * 1000, (time.process_time() - cpu) * 1000
            t = time.perf_counter()
            ctx.applications.save(with_consent(gen.application()))  # nothing screened before
            c = (time.perf_counter() - t) * 1000
            t, cpu = time.perf_counter(), time.process_time()
            bare()
            b, b_cpu = (time.perf_counter() - t) * 1000, (time.process_time() - cpu) * 1000
            if i >= warmup:
                save_ms.append(s)
                bare_ms.append(b)
                cold_ms.append(c)
                save_cpu.append(s_cpu)
                bare_cpu.append(b_cpu)

        def screened_save() -> None:
            app = with_consent(gen.application())
            ctx.applications.prescreen(app)
            ctx.applications.save(app)

        app_conn = ctx.db.conn
        statements = _save_statements(ctx, gen, 20)
        save_wal = _wal_bytes(app_conn, screened_save, 50)
        bare_wal = _wal_bytes(conn, bare, 50)
        conn.close()
        ctx.close()
    emit(
        {
            "bench": "save_application",
            **latency_figures(save_ms, bare_ms),
            "unscreened_p50_ms": percentile(cold_ms, 0.5),
            "unscreened_ratio": percentile(cold_ms, 0.5) / percentile(bare_ms, 0.5),
            "cpu_p50_ms": percentile(save_cpu, 0.5),
            "baseline_cpu_p50_ms": percentile(bare_cpu, 0.5),
            "cpu_ratio": percentile(save_cpu, 0.5) / max(percentile(bare_cpu, 0.5), 1e-6),
            "statements_per_save": statements,
            "wal_bytes_per_save": save_wal,
            "baseline_wal_bytes": bare_wal,
            "wal_ratio": save_wal / bare_wal,
            "samples": samples,
            "synchronous": "FULL",
            "baseline": "one-row INSERT+COMMIT of the same size, same pragmas, same disk",
        }
    )


def _save_statements(ctx: AppContext, gen: DemoGenerator, n: int) -> float:
    """Statements SQLite runs per Save after the review step (mean of ``n``), by its
    trace (the review's pre-screen not counted)."""
    seen: list[str] = []
    for _ in range(n):
        app = with_consent(gen.application())
        ctx.applications.prescreen(app)
        ctx.db.conn.set_trace_callback(seen.append)
        try:
            ctx.applications.save(app)
        finally:
            ctx.db.conn.set_trace_callback(None)
    return len(seen) / n


def _wal_bytes(conn: sqlite3.Connection, action: Callable[[], None], n: int) -> float:
    """Bytes ``action`` appends to the connection's ``-wal`` file (mean of ``n``):
    checkpointed and emptied first, automatic checkpoints off meanwhile so the file
    only grows."""
    wal = Path(str(conn.execute("PRAGMA database_list").fetchone()[2]) + "-wal")
    auto = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    try:
        before = wal.stat().st_size
        for _ in range(n):
            action()
        return (wal.stat().st_size - before) / n
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint={auto}")


def with_consent(app: ApplicationInput) -> ApplicationInput:
    return app if app.consent is not None else replace(app, consent=paper_consent(date.today()))


if __name__ == "__main__":
    run()
