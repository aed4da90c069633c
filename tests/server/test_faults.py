"""The test-only fault hooks, and what the server holds after each fault."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import requests
from starlette.types import Message

from server import faults
from server.faults import FaultSpec
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
    before = server.stats()["distinct_application_ids"]
    server.faults(slow_reply_seconds=1.5)
    with pytest.raises(requests.ReadTimeout):
        device.session.post(
            device.url("/applications/batch"), json={"items": items}, timeout=(5, 0.3)
        )
    # the commit happens before the held reply: wait (bounded) until the server has it
    deadline = time.monotonic() + 10
    while server.stats()["distinct_application_ids"] < before + 1:
        assert time.monotonic() < deadline, "the server never committed the batch"
    assert _statuses(device.push(items)) == ["duplicate"]


def test_drip_reply_arrives_slowly_but_whole(server: RealServer, device: Device) -> None:
    items = creates(device.store_code, 1)
    assert server.faults(drip_bytes_per_second=600)["left"] == 1
    reply = device.session.post(
        device.url("/applications/batch"), json={"items": items}, timeout=(5, 1.0)
    )
    assert reply.status_code == 200
    assert _statuses(reply.json()["results"]) == ["created"]
    assert _fault_state(server) == {"armed": {}, "left": 0}  # this reply was the dripped one


def test_drip_sends_the_body_in_steps_each_well_within_a_read_timeout() -> None:
    """How the drip fault sends (in-process, its pauses recorded rather than slept): a
    piece of rate/10 bytes, a pause, the next... Each pause is far shorter than a 1 s
    read timeout, so a per-read timeout never fires: clients need an overall deadline."""
    events: list[tuple[str, object]] = []

    async def send(message: Message) -> None:
        events.append((message["type"], message.get("body", b"")))

    async def pause(seconds: float) -> None:
        events.append(("pause", seconds))

    body = b"x" * 250
    messages: list[Message] = [
        {"type": "http.response.start", "status": 200, "headers": []},
        {"type": "http.response.body", "body": body, "more_body": False},
    ]
    spec = FaultSpec(drip_bytes_per_second=600)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(faults.asyncio, "sleep", pause)
        with pytest.raises(StopIteration):  # never suspends: nothing really sleeps
            faults._reply(spec, messages, send).send(None)
    assert events[0] == ("http.response.start", b"")
    pieces = [bytes(e[1]) for e in events[1:] if isinstance(e[1], bytes)]
    assert b"".join(pieces) == body  # arrives whole, in rate/10-byte pieces...
    assert [len(p) for p in pieces] == [60, 60, 60, 60, 10, 0]
    kinds = [e[0] for e in events[1:]]  # ...with a pause after each piece
    assert kinds == ["http.response.body", "pause"] * 5 + ["http.response.body"]
    assert [e[1] for e in events if e[0] == "pause"] == [0.1] * 5  # each < a 1 s read timeout


def _fault_state(server: RealServer) -> dict[str, object]:
    reply = requests.get(f"{server.url}/v1/_test/faults", timeout=10)
    reply.raise_for_status()
    state: dict[str, object] = reply.json()
    return state


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
