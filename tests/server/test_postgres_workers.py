"""Several server processes share one PostgreSQL: the same ids pushed through two of
them at the same moment are stored once, and ``--workers 4`` serves from four."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from tests.helpers.pg_cluster import PgCluster
from tests.helpers.server import RealServer
from tests.server.payloads import creates

ROUNDS = 3  # batches pushed through both servers at once
BATCH = 15
WAIT_S = 120.0


def _push_at_once(
    urls: list[str], token: str, batches: list[list[dict[str, Any]]]
) -> list[list[dict[str, Any]]]:
    """POST ``batches[i]`` to ``urls[i]``, all released by one barrier."""
    barrier = threading.Barrier(len(urls))
    answers: list[list[dict[str, Any]]] = [[] for _ in urls]
    errors: list[BaseException] = []

    def push(index: int) -> None:
        try:
            with requests.Session() as session:
                session.headers["Authorization"] = f"Bearer {token}"
                barrier.wait(WAIT_S)
                reply = session.post(
                    f"{urls[index]}/v1/applications/batch",
                    json={"items": batches[index]},
                    timeout=WAIT_S,
                )
                reply.raise_for_status()
                answers[index] = reply.json()["results"]
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(i,)) for i in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    assert not errors, errors
    return answers


def _count(srv: RealServer, table: str) -> int:
    return int(srv.sql(f"SELECT COUNT(*) FROM {table}")[0][0])


def test_the_same_ids_pushed_through_two_servers_at_once_are_stored_once(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    url = pg_cluster.new_database()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        RealServer(tmp_path / "a", database=url) as one,
        RealServer(tmp_path / "b", database=url) as two,
    ):
        token = one.enroll("W001", "pc-w1")  # one database: the token works on both
        pushed: list[dict[str, Any]] = []
        for _ in range(ROUNDS):
            batch = creates("W001", BATCH)
            pushed += batch
            first, second = _push_at_once([one.url, two.url], token, [batch, batch[::-1]])
            by_id = {r["application_id"]: r["status"] for r in first}
            for result in second:
                pair = sorted([by_id[result["application_id"]], result["status"]])
                assert pair == ["created", "duplicate"], result  # never twice, never "retry"
        ids = [i["application_id"] for i in pushed]
        rows = one.sql("SELECT application_id, rev FROM applications")
        assert sorted(r[0] for r in rows) == sorted(ids) and {r[1] for r in rows} == {1}
        decided = Counter(r[0] for r in one.sql("SELECT application_id FROM decisions"))
        assert set(decided) == set(ids) and set(decided.values()) == {1}
        assert _count(one, "revisions") == len(ids) and _count(one, "ops") == len(ids)
        stats = two.stats()
        assert (stats["items_processed"], stats["duplicates"]) == (2 * len(ids), len(ids))


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_four_workers_serve_one_database(tmp_path: Path, pg_cluster: PgCluster) -> None:
    with RealServer(tmp_path, "--workers", "4", database=pg_cluster.new_database()) as srv:
        assert srv.pid is not None
        assert len(_children(srv.pid)) >= 4  # the workers (and multiprocessing's helper)
        token = srv.enroll("W002", "pc-w2")
        batches = [creates("W002", BATCH) for _ in range(3)]
        same = batches[0]
        answers = _push_at_once([srv.url] * 4, token, [*batches, same])
        statuses = Counter(r["status"] for answer in answers for r in answer)
        assert statuses == {"created": 3 * BATCH, "duplicate": BATCH}, statuses
        assert _count(srv, "applications") == 3 * BATCH
        # the decisions feed pages them all, in order, on whichever worker answers
        reply = requests.get(
            f"{srv.url}/v1/decisions",
            params={"limit": 500},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        assert len(reply.json()["items"]) == 3 * BATCH
