"""Sync push throughput of head office on PostgreSQL against SQLite.

The same work on each backend: the reference server (``python -m server``) with 4
worker processes, and 50 simulated store PCs (threads of this process, one enrolled
device of its own store each) that POST their batches of new applications at once
(released together by a barrier), each PC one batch after the other, as a store's
sync does. Every item is validated, scored and stored exactly once, one transaction
per item. The bodies are built before the clock starts.

PostgreSQL: a throwaway cluster from Debian's packages (``tests/helpers/pg_cluster``)
with its durable defaults (fsync on), as the SQLite it is compared with (WAL,
``synchronous=FULL``). The ratio is PostgreSQL's applications per second over
SQLite's: above 1, the shared database lets the workers store in parallel; on SQLite
every write of every worker waits for the file's one write lock. Below 1 on a small
machine: scoring is CPU work, and PostgreSQL's own processes take CPU from the workers
(``cpus`` says how many the run had). An item the server
answers ``retry`` (a lock wait that timed out) is pushed again by its PC and counted
(``retried``); the applications count only once.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

from benchmarks.common import emit
from server import devices
from server.db import open_database
from tests.helpers.pg_cluster import PgCluster
from tests.helpers.server import RealServer
from tests.server.payloads import item, payload

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 600.0


def _bodies(pcs: int, batches: int, batch_size: int) -> list[list[list[dict[str, Any]]]]:
    """Per PC, its batches of new applications (store ``B0001`` for PC 1, ...)."""
    return [
        [[item(payload(_store(pc))) for _ in range(batch_size)] for _ in range(batches)]
        for pc in range(pcs)
    ]


def _store(pc: int) -> str:
    return f"B{pc + 1:04d}"


def _enroll(srv: RealServer, database: str | None, pcs: int) -> list[str]:
    db = open_database(srv.data_dir, database)  # in-process add-store: 50 CLI runs are slow
    try:
        codes = [devices.add_store(db, _store(pc), None, None) for pc in range(pcs)]
    finally:
        db.close()
    tokens = []
    for pc, code in enumerate(codes):
        body = {"store_code": _store(pc), "enrollment_code": code, "device_id": f"bench-pc-{pc}"}
        reply = requests.post(f"{srv.url}/v1/devices/enroll", json=body, timeout=30)
        reply.raise_for_status()
        tokens.append(reply.json()["device_token"])
    return tokens


def _push_all(
    url: str, tokens: list[str], work: list[list[list[dict[str, Any]]]]
) -> tuple[float, int, int]:
    """Seconds from the barrier until every PC is done; items stored; items retried."""
    barrier = threading.Barrier(len(tokens) + 1)
    stored, retried, errors = [0], [0], list[BaseException]()
    guard = threading.Lock()

    def pc(index: int) -> None:
        try:
            with requests.Session() as session:
                session.headers["Authorization"] = f"Bearer {tokens[index]}"
                barrier.wait(WAIT_S)
                for batch in work[index]:
                    pending = batch
                    for _ in range(20):  # bounded: a PC retries what the server asks it to
                        reply = session.post(
                            f"{url}/v1/applications/batch",
                            data=json.dumps({"items": pending}),
                            headers={"Content-Type": "application/json"},
                            timeout=WAIT_S,
                        )
                        reply.raise_for_status()
                        results = reply.json()["results"]
                        again = {r["op_id"] for r in results if r["status"] == "retry"}
                        with guard:
                            stored[0] += sum(r["status"] == "created" for r in results)
                            retried[0] += len(again)
                        pending = [i for i in pending if i["op_id"] in again]
                        if not pending:
                            break
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=pc, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    barrier.wait(WAIT_S)
    start = time.perf_counter()
    for thread in threads:
        thread.join(WAIT_S)
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} PCs failed: {errors[0]!r}")
    return elapsed, stored[0], retried[0]


def _measure(
    tmp: Path, database: str | None, workers: int, work: list[list[list[dict[str, Any]]]]
) -> dict[str, float]:
    tmp.mkdir(parents=True, exist_ok=True)
    with RealServer(tmp, "--workers", str(workers), database=database, test_hooks=False) as srv:
        tokens = _enroll(srv, database, len(work))
        seconds, stored, retried = _push_all(srv.url, tokens, work)
    expected = sum(len(batch) for batches in work for batch in batches)
    if stored != expected:
        raise RuntimeError(f"stored {stored} of {expected} applications")
    return {"per_s": stored / seconds, "seconds": seconds, "retried": retried}


def run(pcs: int = 50, workers: int = 4, batches: int = 4, batch_size: int = 10) -> None:
    work = _bodies(pcs, batches, batch_size)
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp, PgCluster(durable=True) as pg:
        lite = _measure(Path(tmp) / "sqlite", None, workers, work)
        post = _measure(Path(tmp) / "postgresql", pg.new_database("bench"), workers, work)
    emit(
        {
            "bench": "sync_push_postgresql",
            "pcs": pcs,
            "workers": workers,
            "applications": pcs * batches * batch_size,
            "applications_per_s": post["per_s"],
            "sqlite_applications_per_s": lite["per_s"],
            "ratio": post["per_s"] / lite["per_s"],
            "retried": int(post["retried"]),
            "sqlite_retried": int(lite["retried"]),
            "cpus": os.cpu_count() or 0,  # 4 workers, PostgreSQL and 50 PCs share them
        }
    )


if __name__ == "__main__":
    run()
