"""Enrolment cannot move a PC to another store or lift a revocation; the throttle
keys on the normalised store code and on the caller, so nobody else's wrong tries
lock out the holder of a valid code; codes expire."""

from __future__ import annotations

import http.client
import json
from typing import Any

import requests

from tests.helpers.server import RealServer


def _enroll(
    server: RealServer, store: str, code: str, device_id: str, source: str = "127.0.0.1"
) -> tuple[int, dict[str, Any]]:
    """POST /v1/devices/enroll from the loopback address ``source`` (127.0.0.x)."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=30, source_address=(source, 0)
    )
    try:
        body = json.dumps({"store_code": store, "enrollment_code": code, "device_id": device_id})
        conn.request("POST", "/v1/devices/enroll", body, {"Content-Type": "application/json"})
        reply = conn.getresponse()
        return reply.status, json.loads(reply.read())
    finally:
        conn.close()


def _decisions(server: RealServer, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.get(f"{server.url}/v1/decisions", headers=headers, timeout=30).status_code


def test_a_device_of_one_store_cannot_be_rebound_to_another(server: RealServer) -> None:
    status, first = _enroll(server, "R001", server.add_store("R001"), "pc-r1")
    assert status == 200
    other_code = server.add_store("R002")
    status, body = _enroll(server, "R002", other_code, "pc-r1")
    assert status == 403 and body["error"]["code"] == "DEVICE_OTHER_STORE", body
    assert _decisions(server, first["device_token"]) == 200  # R001's PC keeps working
    assert _enroll(server, "R002", other_code, "pc-r2")[0] == 200  # the code was not spent
    # head office releases the PC: then it may enrol at the other store
    server.cli("release", "pc-r1")
    assert _decisions(server, first["device_token"]) == 401
    status, moved = _enroll(server, "R002", server.add_store("R002"), "pc-r1")
    assert status == 200 and moved["store_code"] == "R002"


def test_revocation_is_not_lifted_by_enrolling_again(server: RealServer) -> None:
    status, first = _enroll(server, "R003", server.add_store("R003"), "pc-r3")
    assert status == 200
    server.revoke("pc-r3")
    status, body = _enroll(server, "R003", server.add_store("R003"), "pc-r3")
    assert status == 403 and body["error"]["code"] == "DEVICE_REVOKED", body
    assert _decisions(server, first["device_token"]) == 403
    server.cli("release", "pc-r3")
    status, again = _enroll(server, "R003", server.add_store("R003"), "pc-r3")
    assert status == 200
    assert _decisions(server, again["device_token"]) == 200
    assert _decisions(server, first["device_token"]) == 401


def test_throttle_keys_on_the_normalised_store_code(server: RealServer) -> None:
    code = server.add_store("R004")
    for _ in range(5):
        assert _enroll(server, "R004", "WRONG-CODE-0000", "pc-g", "127.0.0.4")[0] == 403
    for disguised in ("\rR004\r", " r004", "Ｒ００４", "R004\t"):
        status, body = _enroll(server, disguised, "WRONG-CODE-0000", "pc-g", "127.0.0.4")
        assert status == 429 and body["error"]["code"] == "RATE_LIMITED", disguised
    # the same spelling variants name the store for a genuine enrolment from elsewhere
    status, body = _enroll(server, " r004\r", code, "pc-genuine", "127.0.0.5")
    assert status == 200 and body["store_code"] == "R004", body


def test_wrong_tries_by_others_do_not_lock_out_a_valid_code(server: RealServer) -> None:
    code = server.add_store("R005")
    for _ in range(8):
        assert _enroll(server, "R005", "WRONG-CODE-0000", "pc-x", "127.0.0.6")[0] in (403, 429)
    status, body = _enroll(server, "R005", code, "pc-clerk", "127.0.0.7")
    assert status == 200, body


def test_enrollment_codes_expire_after_seven_days(server: RealServer) -> None:
    fresh = server.add_store("R006")
    old = server.add_store("R006")
    rows = server.sql("SELECT created_at FROM enrollment_codes WHERE store_code = 'R006'")
    assert len(rows) == 2
    server.sql(  # the second code was made eight days ago
        "UPDATE enrollment_codes SET created_at = '2000-01-01T00:00:00.000+00:00' "
        "WHERE store_code = 'R006' AND rowid = (SELECT MAX(rowid) FROM enrollment_codes "
        "WHERE store_code = 'R006')"
    )
    status, body = _enroll(server, "R006", old, "pc-old", "127.0.0.8")
    assert status == 403 and body["error"]["code"] == "ENROLL_REFUSED", body
    assert _enroll(server, "R006", fresh, "pc-fresh", "127.0.0.8")[0] == 200
