"""Save-application latency with synchronous=FULL, against a bare one-row INSERT+COMMIT
of the same size on the same disk with the same pragmas.

As at the counter: the review step pre-screens the application (not timed: the clerk
reads the outcome), then Save is pressed (timed: it pre-screens again, with the review
attempts in the receipt, and writes everything in one transaction). A second figure
times a save with no pre-screen before it.
The samples alternate with the baseline's, so a noisy disk hits both alike.

The SQL floor (``sql_floor_*``) is what SQLite alone costs for exactly what a save reads
and writes, on the same file state: in a pass of its own (so capturing does not slow
the timed saves), each save's statements, BEGIN and COMMIT included, are captured with
their parameters as the repositories pass them, then replayed, same SQL text and
parameters, through a plain ``sqlite3`` connection on a copy of the database taken
after the timed saves (same disk, same pragmas, the statement cache used as in the save;
its own warm-up discarded). The copy receives the very same rows, so both files stay
in step. ``sql_floor_ratio`` is the floor against the bare insert of that pass,
``sql_floor_reads_p50_ms`` the part spent in the replayed SELECTs, and ``python_share``
= 1 - floor p50 / save p50: the share of the save spent outside SQLite (pre-screening,
sealing, building the rows).

Also reported, per save beside the bare insert's: CPU time (``time.process_time``, in
the timed samples), the statements the save issues (``statements_per_save``: calls to
execute or executemany), the programs SQLite runs for them (``sqlite_programs_per_save``,
by its trace, in which a trigger's program counts as one more) and bytes appended to the
``-wal`` file (an untimed pass with automatic checkpoints off, so the file only grows).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.common import emit, latency_figures, percentile
from core.clock import SystemClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog, paper_consent
from core.models import ApplicationInput
from core.store.connection import GuardedCursor
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

        floor = _sql_floor(ctx, gen, Path(tmp) / "floor.db", bare, samples, warmup)
        app_conn = ctx.db.conn
        programs = _save_programs(ctx, gen, 20)
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
            "sql_floor_p50_ms": percentile(floor.replay_ms, 0.5),
            "sql_floor_ratio": percentile(floor.replay_ms, 0.5) / percentile(floor.bare_ms, 0.5),
            "sql_floor_reads_p50_ms": percentile(floor.reads_ms, 0.5),
            "python_share": 1 - percentile(floor.replay_ms, 0.5) / percentile(save_ms, 0.5),
            "statements_per_save": floor.statements,
            "sqlite_programs_per_save": programs,
            "wal_bytes_per_save": save_wal,
            "baseline_wal_bytes": bare_wal,
            "wal_ratio": save_wal / bare_wal,
            "samples": samples,
            "synchronous": "FULL",
            "baseline": "one-row INSERT+COMMIT of the same size, same pragmas, same disk",
        }
    )


def _save_programs(ctx: AppContext, gen: DemoGenerator, n: int) -> float:
    """Programs SQLite runs per Save after the review step (mean of ``n``), by its
    trace, in which a trigger's program counts as one more (the review's pre-screen not
    counted)."""
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


@dataclass(frozen=True)
class _Statement:
    """One call a repository made: its SQL text and parameters as passed."""

    sql: str
    parameters: Any  # a row for execute, the list of rows for executemany
    many: bool

    def reads(self) -> bool:
        return self.sql.lstrip()[:6].upper() in ("SELECT", "WITH")


@contextmanager
def _capturing(conn: sqlite3.Connection) -> Iterator[list[_Statement]]:
    """Every statement run through ``conn`` meanwhile, in order, with its parameters as
    the repositories pass them (BEGIN, COMMIT and savepoints included): the connection's
    cursors' ``execute`` and ``executemany`` are wrapped until the block ends."""
    seen: list[_Statement] = []
    execute, executemany = GuardedCursor.execute, GuardedCursor.executemany

    def captured_execute(cursor: GuardedCursor, sql: str, parameters: Any = (), /) -> GuardedCursor:
        if cursor.connection is conn:
            seen.append(_Statement(sql, parameters, many=False))
        return execute(cursor, sql, parameters)

    def captured_executemany(
        cursor: GuardedCursor, sql: str, seq_of_parameters: Any, /
    ) -> GuardedCursor:
        rows = list(seq_of_parameters)  # an iterator could be read only once
        if cursor.connection is conn:
            seen.append(_Statement(sql, rows, many=True))
        return executemany(cursor, sql, rows)

    GuardedCursor.execute = captured_execute  # type: ignore[method-assign,assignment]
    GuardedCursor.executemany = captured_executemany  # type: ignore[method-assign,assignment]
    try:
        yield seen
    finally:
        GuardedCursor.execute = execute  # type: ignore[method-assign]
        GuardedCursor.executemany = executemany  # type: ignore[method-assign]


@dataclass(frozen=True)
class _Floor:
    replay_ms: list[float]  # the save's statements replayed on the copy
    reads_ms: list[float]  # the part of it in the replayed SELECTs
    bare_ms: list[float]  # the bare insert, alternating with the replays
    statements: float  # calls to execute or executemany per save (mean)


def _sql_floor(
    ctx: AppContext,
    gen: DemoGenerator,
    copy_path: Path,
    bare: Callable[[], None],
    samples: int,
    warmup: int,
) -> _Floor:
    """What SQLite alone costs for each save's statements on the same file state: the
    application database copied to ``copy_path`` (checkpointed first; same disk), then
    per sample a save after the review step, its statements captured, and those replayed
    on the copy with their parameters, timed, alternating with ``bare``."""
    app_conn = ctx.db.conn
    busy = app_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    if busy:
        raise RuntimeError("the checkpoint before the copy did not complete")
    shutil.copyfile(str(app_conn.execute("PRAGMA database_list").fetchone()[2]), copy_path)
    copy = sqlite3.connect(str(copy_path), isolation_level=None)
    try:
        for p in PRAGMAS:
            copy.execute(p)
        replay_ms, reads_ms, bare_ms, counts = [], [], [], []
        for i in range(samples + warmup):
            app = with_consent(gen.application())
            ctx.applications.prescreen(app)  # the review step, reads only
            with _capturing(app_conn) as statements:
                ctx.applications.save(app)
            replay = reads = 0.0
            for statement in statements:
                t = time.perf_counter()
                if statement.many:
                    copy.executemany(statement.sql, statement.parameters)
                else:
                    copy.execute(statement.sql, statement.parameters).fetchall()
                took = time.perf_counter() - t
                replay += took
                if statement.reads():
                    reads += took
            if copy.in_transaction:
                raise RuntimeError("the replayed save left its transaction open on the copy")
            t = time.perf_counter()
            bare()
            b = (time.perf_counter() - t) * 1000
            if i >= warmup:
                replay_ms.append(replay * 1000)
                reads_ms.append(reads * 1000)
                bare_ms.append(b)
                counts.append(len(statements))
        count = "SELECT count(*) FROM applications"
        if copy.execute(count).fetchone() != tuple(app_conn.execute(count).fetchone()):
            raise RuntimeError("the copy fell out of step with the application database")
    finally:
        copy.close()
    return _Floor(replay_ms, reads_ms, bare_ms, sum(counts) / len(counts))


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
