"""The test-only fault hooks, and what the server holds after each fault."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import requests

from tests.helpers.server import RealServer
from tests.server.conftest import Device
from tests.server.payloads import creates


@pytest.fixture(autouse=True)
def _disarm(server: RealServer) -> Iterator[None]:
    yield
    server.faults()


def _statuses(results: list[dict[str, object]]) -> list[object]:
    return [r["status"] for r in results]


def test_die_after_items_commits_exactly_k(own_server) -> None:  # type: ignore[no-untyped-def]
    srv = own_server()
    dev = Device(srv, "D001", "dying-pc")
    try:
        items = creates("D001", 6)
        srv.faults(die_after_items=3)
        with pytest.raises(requests.ConnectionError):
            dev.post("/applications/batch", json={"items": items})
        assert srv.wait_exit() == 1
        stats = srv.stats()
        assert (stats["items_processed"], stats["distinct_application_ids"]) == (3, 3)
        assert stats["decisions"] == 3
        srv.restart()
        results = dev.push(items)
        assert _statuses(results) == ["duplicate"] * 3 + ["created"] * 3
        assert srv.stats()["distinct_application_ids"] == 6
    finally:
        dev.close()


@pytest.mark.parametrize("status", [503, 429])
def test_status_with_retry_after_then_success(
    server: RealServer, device: Device, status: int
) -> None:
    items = creates(device.store_code, 2)
    server.faults(batch_status=status, retry_after=2, times=2)
    for _ in range(2):
        reply = device.post("/applications/batch", json={"items": items})
        assert reply.status_code == status
        assert reply.headers["Retry-After"] == "2"
        assert reply.json()["error"]["code"] in ("UNAVAILABLE", "RATE_LIMITED")
    assert _statuses(device.push(items)) == ["created", "created"]  # nothing was committed


def test_poison_item_gives_500_until_disarmed(server: RealServer, device: Device) -> None:
    poison, *healthy = creates(device.store_code, 3)
    server.faults(batch_status=500, poison_application_id=poison["application_id"])
    for _ in range(2):
        reply = device.post("/applications/batch", json={"items": [healthy[0], poison]})
        assert reply.status_code == 500
        assert reply.json()["error"]["code"] == "INTERNAL"
    assert _statuses(device.push(healthy)) == ["created", "created"]
    server.faults()
    assert _statuses(device.push([poison])) == ["created"]


def test_malformed_reply_after_commit(server: RealServer, device: Device) -> None:
    items = creates(device.store_code, 2)
    server.faults(malformed_reply=True)
    reply = device.post("/applications/batch", json={"items": items})
    assert reply.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.content)
    assert _statuses(device.push(items)) == ["duplicate", "duplicate"]


def test_slow_reply_past_the_timeout_still_commits(server: RealServer, device: Device) -> None:
    items = creates(device.store_code, 1)
    server.faults(slow_reply_seconds=1.5)
    with pytest.raises(requests.ReadTimeout):
        device.session.post(
            device.url("/applications/batch"), json={"items": items}, timeout=(5, 0.3)
        )
    time.sleep(0.2)  # the commit happened before the sleep; the reply is what is late
    assert _statuses(device.push(items)) == ["duplicate"]


def test_drip_reply_arrives_slowly_but_whole(server: RealServer, device: Device) -> None:
    items = creates(device.store_code, 1)
    server.faults(drip_bytes_per_second=600)
    started = time.monotonic()
    reply = device.session.post(
        device.url("/applications/batch"), json={"items": items}, timeout=(5, 1.0)
    )
    elapsed = time.monotonic() - started
    assert reply.status_code == 200
    assert _statuses(reply.json()["results"]) == ["created"]
    assert elapsed >= 0.3  # a per-read timeout never fires: clients need an overall deadline


def test_faults_apply_to_another_path_and_count_down(server: RealServer, device: Device) -> None:
    server.faults(path="/v1/decisions", batch_status=503, times=1)
    assert device.get("/decisions").status_code == 503
    assert device.get("/decisions").status_code == 200
    assert server.faults(batch_status=503, times=-1)["left"] == -1
    reply = requests.post(f"{server.url}/v1/_test/faults", json={"bogus": 1}, timeout=10)
    assert reply.status_code == 422


def test_fault_hooks_are_off_without_the_flag(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with RealServer(tmp_path, test_hooks=False) as srv:
        reply = requests.post(f"{srv.url}/v1/_test/faults", json={"batch_status": 503}, timeout=10)
        assert reply.status_code == 404
