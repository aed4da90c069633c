"""Enrollment, bearer tokens, revocation, heartbeat and health."""

from __future__ import annotations

import requests

from tests.helpers.server import RealServer
from tests.server.conftest import Device


def _enroll(server: RealServer, store: str, code: str, device_id: str) -> requests.Response:
    body = {"store_code": store, "enrollment_code": code, "device_id": device_id}
    return requests.post(f"{server.url}/v1/devices/enroll", json=body, timeout=10)


def test_enroll_with_a_good_code_gives_a_token_once(server: RealServer) -> None:
    code = server.add_store("E001", name="一号店", city="北京")
    assert code and "\n" not in code
    reply = _enroll(server, "E001", code.lower(), "pc-1")  # case and dashes do not matter
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["device_id"] == "pc-1"
    store = (body["store_code"], body["store_name"], body["store_city"])
    assert store == ("E001", "一号店", "北京")
    assert len(body["device_token"]) >= 40
    assert (
        body["server_epoch"]
        == requests.get(f"{server.url}/v1/health", timeout=10).json()["server_epoch"]
    )
    again = _enroll(server, "E001", code, "pc-2")
    assert again.status_code == 403
    assert again.json()["error"]["code"] == "ENROLL_REFUSED"


def test_wrong_code_or_wrong_store_is_refused(server: RealServer) -> None:
    code = server.add_store("E002")
    for store, attempt in (("E002", "AAAA-BBBB-CCCC"), ("E999", code), ("E003", code)):
        reply = _enroll(server, store, attempt, "pc-x")
        assert reply.status_code == 403, (store, reply.text)
        assert reply.json() == {
            "error": {"code": "ENROLL_REFUSED", "message": reply.json()["error"]["message"]}
        }
    assert _enroll(server, "E002", code, "pc-x").status_code == 200  # still unused


def test_missing_or_wrong_token_is_401(server: RealServer, device: Device) -> None:
    url = f"{server.url}/v1/decisions"
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"}):
        reply = requests.get(url, headers=headers, timeout=10)
        assert reply.status_code == 401, headers
        assert reply.json()["error"]["code"] == "UNAUTHORIZED"
        assert reply.headers["WWW-Authenticate"] == "Bearer"
        assert "Date" in reply.headers
    assert device.get("/decisions").status_code == 200


def test_revoked_device_gets_403_and_release_then_reenrolling_restores_it(
    server: RealServer, device: Device
) -> None:
    server.revoke(device.device_id)
    reply = device.get("/decisions")
    assert reply.status_code == 403
    assert reply.json()["error"]["code"] == "DEVICE_REVOKED"
    reply = device.post("/applications/batch", json={"items": []})
    assert reply.status_code == 403
    server.cli("release", device.device_id)  # enrolling alone does not lift a revocation
    token = server.enroll(device.store_code, device.device_id)
    ok = requests.get(
        f"{server.url}/v1/decisions", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert ok.status_code == 200
    assert device.get("/decisions").status_code == 401  # the old token is gone


def test_heartbeat_and_health(server: RealServer, device: Device) -> None:
    health = requests.get(f"{server.url}/v1/health", timeout=10)
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert "Date" in health.headers
    beat = device.post(
        "/devices/heartbeat",
        json={
            "queue_size": 3,
            "last_sync_at": None,
            "pack_version": 1,
            "app_version": "0.1.0",
            "client_time": "2026-03-01T10:00:00+08:00",
        },
    )
    assert beat.status_code == 200, beat.text
    assert set(beat.json()) == {"server_time", "server_epoch"}
    assert device.post("/devices/heartbeat", json={"queue_size": -1}).status_code == 422


def test_errors_have_one_shape(server: RealServer, device: Device) -> None:
    for reply, status in (
        (requests.get(f"{server.url}/v1/nowhere", timeout=10), 404),
        (requests.delete(f"{server.url}/v1/health", timeout=10), 405),
        (device.post("/applications/batch", data=b"{not json", headers=_json()), 400),
        (device.post("/applications/batch", json={"items": [{"op_id": 1}]}), 422),
        (device.get("/decisions", params={"limit": 0}), 422),
        (device.get("/decisions", params={"cursor": "abc"}), 400),
        (device.get("/blacklists/nosuch/delta"), 404),
    ):
        assert reply.status_code == status, reply.text
        error = reply.json()["error"]
        assert set(error) == {"code", "message"} and error["code"] and error["message"]
        assert "Date" in reply.headers


def _json() -> dict[str, str]:
    return {"Content-Type": "application/json"}


def test_guessing_codes_is_throttled_per_store(server: RealServer) -> None:
    code = server.add_store("E004")
    for _ in range(5):
        assert _enroll(server, "E004", "WRONG-CODE-0000", "pc-g").status_code == 403
    blocked = _enroll(server, "E004", code, "pc-g")  # even the right code waits now
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "RATE_LIMITED"
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    other = server.add_store("E005")
    assert _enroll(server, "E005", other, "pc-h").status_code == 200  # other stores go on
