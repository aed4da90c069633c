"""Sync throughput and memory, and how well the store's pre-screen agrees with head
office's decisions.

10,000 applications are queued (``main.py seed-demo`` in a child process, so this
process's peak RSS before the sync is only the app itself), then one ``sync_once``
pushes them in batches of 100 to the real reference server (``python -m server`` on
127.0.0.1, no proxy, no faults) and pulls their 10,000 decisions.

Baseline, same run: the very same batch bodies (the bytes the engine sends, built before the run
from the outbox with ``core.sync.push.batch_body``) POSTed with a bare
``requests.Session`` to the batch endpoint of a second, fresh server (same store code,
so every item is created and scored: the same server work). The ratio is the engine's
throughput over that: what our engine (outbox reads, per-item results in one
transaction per batch, status changes and audit, the decisions pull) costs on top of
the fixed cost of HTTP plus the server. The server (one transaction with fsync per
item) dominates the wall clock, so the client process's CPU seconds are reported for
both too (``ratio_client_cpu``): the engine's own cost, which the wall clock hides.

Memory: ``ru_maxrss`` growth of this process during the timed run, and the
``tracemalloc`` peak of a second run (tracemalloc slows Python, so it is not the timed
one): the same 10,000 pending again, pushed to the baseline server (answers
``duplicate``) and its 10,000 decisions pulled.

Line 2: a 3x3 table of the local pre-screen outcome (PASS / REFER / DECLINE) against
the central decision (approved / review / declined) for those applications, and two
shares: the store would turn away a customer the centre approves (local DECLINE among
centrally approved), and the store sends hopeless ones (central declined among local
PASS). Each is compared with its base rate (what an uninformative pre-screen would
give): ratio < 1 means the pre-screen does better than chance.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import keyring
import requests

from benchmarks.common import emit
from core.clock import SystemClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.security.demo_keyring import FileKeyring
from core.store.sync_repo import SyncRepo
from core.sync.engine import SyncOptions
from core.sync.http import Timeouts
from core.sync.push import BATCH_PATH, batch_body
from tests.helpers.server import RealServer

ROOT = Path(__file__).resolve().parent.parent
STORE = "S001"
OUTCOMES = ("PASS", "REFER", "DECLINE")
DECISIONS = ("approved", "review", "declined")
TIMEOUTS = Timeouts(connect=5.0, read=120.0, deadline=300.0)


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _seed(data_dir: Path, count: int) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--data-dir",
            str(data_dir),
            "seed-demo",
            "--count",
            str(count),
            "--seed",
            "2026",
            "--salespeople",
            "6",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        env={
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "benchmarks.file_keyring.BenchFileKeyring",
            "LOANDESK_BENCH_KEYRING_FILE": str(data_dir.parent / "keyring.json"),
        },
    )
    if done.returncode != 0:
        raise RuntimeError(f"seed-demo failed: {done.stderr[-2000:]}")


def _bodies(ctx: AppContext, batch_size: int) -> list[tuple[int, bytes]]:
    """The batch bodies the engine will send, in its order: (items, body). Read before
    the run: a decided application's acked payload is dropped from the file."""
    repo = SyncRepo(ctx.db)
    bodies: list[tuple[int, bytes]] = []
    offset = 0
    while True:
        page = repo.items("pending", offset, batch_size)
        if not page:
            return bodies
        offset += len(page)
        bodies.append((len(page), batch_body(page)))


def _bare_post(srv: RealServer, bodies: list[tuple[int, bytes]]) -> tuple[float, float]:
    """Seconds to POST every body with a plain requests.Session (results checked), and
    this process's CPU seconds meanwhile."""
    token = srv.enroll(STORE, "bare-post-pc")
    with requests.Session() as session:
        session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
        )
        started, cpu = time.perf_counter(), _cpu_s()
        for items, body in bodies:
            reply = session.post(srv.url + BATCH_PATH, data=body, timeout=300)
            if reply.status_code != 200 or len(reply.json()["results"]) != items:
                raise RuntimeError(f"bare POST failed: {reply.status_code} {reply.text[:300]}")
        return time.perf_counter() - started, _cpu_s() - cpu


def _agreement(ctx: AppContext) -> dict[str, Any]:
    rows = ctx.db.execute(
        "SELECT r.outcome, d.decision, count(*) FROM prescreen_receipts r "
        "JOIN decisions d ON d.application_id = r.application_id GROUP BY 1, 2"
    ).fetchall()
    table = {o: dict.fromkeys(DECISIONS, 0) for o in OUTCOMES}
    for outcome, decision, n in rows:
        table[outcome][decision] = n
    n = sum(sum(r.values()) for r in table.values())
    approved = sum(table[o]["approved"] for o in OUTCOMES)
    declined = sum(table[o]["declined"] for o in OUTCOMES)
    local_decline = sum(table["DECLINE"].values())
    local_pass = sum(table["PASS"].values())
    turned_away = table["DECLINE"]["approved"] / approved if approved else 0.0
    turned_away_base = local_decline / n if n else 0.0
    hopeless = table["PASS"]["declined"] / local_pass if local_pass else 0.0
    hopeless_base = declined / n if n else 0.0
    diagonal = table["PASS"]["approved"] + table["REFER"]["review"] + table["DECLINE"]["declined"]
    return {
        "bench": "sync_prescreen_agreement",
        "applications": n,
        "table": table,
        "turned_away_share": turned_away,
        "turned_away_count": table["DECLINE"]["approved"],
        "turned_away_baseline": turned_away_base,
        "ratio_turned_away": turned_away / turned_away_base if turned_away_base else 0.0,
        "hopeless_sent_share": hopeless,
        "hopeless_sent_count": table["PASS"]["declined"],
        "hopeless_sent_baseline": hopeless_base,
        "ratio_hopeless_sent": hopeless / hopeless_base if hopeless_base else 0.0,
        "diagonal_share": diagonal / n if n else 0.0,
        "definitions": "turned_away: local DECLINE among centrally approved; hopeless_sent: "
        "central declined among local PASS; baselines: local DECLINE share "
        "and central declined share of all (an uninformative pre-screen)",
    }


def run(count: int = 10_000, batch_size: int = 100, page_size: int = 500) -> None:
    previous = keyring.get_keyring()
    (ROOT / "build").mkdir(exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
            # one throwaway keyring file for this process and the seed-demo subprocess
            keyring.set_keyring(FileKeyring(Path(tmp) / "keyring.json"))
            _run(Path(tmp), count, batch_size, page_size)
    finally:
        keyring.set_keyring(previous)


def _run(tmp: Path, count: int, batch_size: int, page_size: int) -> None:
    client_dir = tmp / "client"
    options = SyncOptions(batch_size=batch_size, page_size=page_size)
    with (
        RealServer(tmp, data_dir=tmp / "engine-server", test_hooks=False) as srv,
        RealServer(tmp, data_dir=tmp / "bare-server", test_hooks=False) as bare,
    ):
        ctx = open_context(resolve_paths(client_dir), SystemClock())
        try:
            assert ctx.sync is not None
            ctx.sync.enroll(srv.url, STORE, srv.add_store(STORE), timeouts=TIMEOUTS)
        finally:
            ctx.close()
        _seed(client_dir, count)

        ctx = open_context(resolve_paths(client_dir), SystemClock())
        try:
            assert ctx.sync is not None
            queued = ctx.sync.pending_count()
            bodies = _bodies(ctx, batch_size)
            # the sealed payloads as queued (each token is bound to its op id), to queue
            # them again for the memory run: the timed run drops decided ones' payloads
            sealed = ctx.db.execute("SELECT payload, op_id FROM outbox").fetchall()
            marks: dict[str, float] = {}

            def progress(phase: str, done: int, total: int) -> None:
                marks.setdefault(phase, time.perf_counter())

            rss_before = _maxrss_mb()
            started, cpu = time.perf_counter(), _cpu_s()
            report = ctx.sync.sync_once(progress, timeouts=TIMEOUTS, options=options)
            took, cpu = time.perf_counter() - started, _cpu_s() - cpu
            rss_after = _maxrss_mb()
            if (report.acked, report.decisions, report.pending) != (queued, queued, 0):
                raise RuntimeError(f"engine run incomplete: {report.to_json('en')}")
            push_s = marks["decisions"] - marks["push"]
            pull_s = marks.get("rulepack", time.perf_counter()) - marks["decisions"]

            sent_bytes = sum(len(b) for _, b in bodies)
            bare.add_store(STORE)
            bare_s, bare_cpu = _bare_post(bare, bodies)
            del bodies

            # memory run: everything pending again, pushed to the bare server (duplicates)
            with ctx.db.atomic():
                ctx.db.execute("UPDATE outbox SET state = 'pending', acked_at = NULL")
                ctx.db.conn.executemany("UPDATE outbox SET payload = ? WHERE op_id = ?", sealed)
            del sealed
            ctx.sync.enroll(bare.url, STORE, bare.add_store(STORE), timeouts=TIMEOUTS)
            tracemalloc.start()
            again = ctx.sync.sync_once(timeouts=TIMEOUTS, options=options)
            _, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            if again.acked != queued or again.pending != 0:
                raise RuntimeError(f"memory run incomplete: {again.to_json('en')}")

            engine_rate = queued / took
            bare_rate = queued / bare_s
            emit(
                {
                    "bench": "sync_push_pull",
                    "applications": queued,
                    "applications_per_s": engine_rate,
                    "baseline_applications_per_s": bare_rate,
                    "ratio": engine_rate / bare_rate,
                    "push_applications_per_s": queued / push_s,
                    "ratio_push_only": (queued / push_s) / bare_rate,
                    "total_s": took,
                    "push_s": push_s,
                    "decisions_pull_s": pull_s,
                    "baseline_s": bare_s,
                    "client_cpu_s": cpu,
                    "baseline_client_cpu_s": bare_cpu,
                    "ratio_client_cpu": cpu / bare_cpu if bare_cpu else 0.0,
                    "batch_size": batch_size,
                    "page_size": page_size,
                    "request_bytes": sent_bytes,
                    "tracemalloc_peak_mb": traced_peak / 1e6,
                    "rss_peak_growth_mb": rss_after - rss_before,
                    "rss_peak_mb": rss_after,
                    "baseline": "the same batch bodies POSTed with a bare requests.Session to a "
                    "second fresh server (same store code: same server work); "
                    "engine = one sync_once, push + decisions pull + small feeds",
                }
            )
            emit(_agreement(ctx))
        finally:
            ctx.close()


if __name__ == "__main__":
    run()
