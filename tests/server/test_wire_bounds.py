"""Every field of the batch and heartbeat bodies has bounds: data a store could never
send is refused as a coded ``invalid`` (or a coded 4xx), never ``retry``, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

from core.sync.wire import canonical_json
from tests.server.conftest import Device
from tests.server.payloads import item, payload, raw_application


def _sha(body: dict[str, Any]) -> str:
    import hashlib

    # "surrogatepass": the test must be able to send what a broken client would
    return hashlib.sha256(canonical_json(body).encode("utf-8", "surrogatepass")).hexdigest()


def _post_items(device: Device, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # ensure_ascii: a lone surrogate travels as the JSON escape "\ud800"
    reply = device.post(
        "/applications/batch",
        data=json.dumps({"items": items}, ensure_ascii=True).encode("ascii"),
        headers={"Content-Type": "application/json"},
    )
    assert reply.status_code == 200, reply.text
    results: list[dict[str, Any]] = reply.json()["results"]
    return results


def test_poison_payload_values_are_invalid_not_retry(device: Device) -> None:
    cases: list[dict[str, Any]] = [
        payload(device.store_code, annual_rate="1e-999999"),
        payload(device.store_code, raw=raw_application(**{"customer.name": "张\ud800"})),
        payload(device.store_code, raw=raw_application(**{"order.lines": [{"sku": 2**70}]})),
        dict(payload(device.store_code), first_payment_fen=-1),
        dict(payload(device.store_code), total_repayment_fen=2**70),
        dict(payload(device.store_code), apr="abc"),
        dict(payload(device.store_code), operator="\udfff"),
    ]
    items = [item(body, sha=_sha(body)) for body in cases]
    results = _post_items(device, items)
    assert [r["status"] for r in results] == ["invalid"] * len(cases), results
    for result in results:
        assert result["reasons"] and all(r["code"] and r["message"] for r in result["reasons"])


def test_deeply_nested_payload_is_invalid_not_retry(device: Device) -> None:
    nested: Any = "x"
    for _ in range(500):
        nested = [nested]
    body = payload(device.store_code, raw=raw_application(**{"customer.name": nested}))
    result = _post_items(device, [item(body, sha=_sha(body))])[0]
    assert result["status"] == "invalid", result
    assert result["reasons"][0]["code"] == "PAYLOAD_SCHEMA"


def test_heartbeat_with_out_of_range_values_is_a_coded_422(device: Device) -> None:
    good = {"queue_size": 0, "client_time": "2026-03-01T10:00:00+08:00"}
    for changes in (
        {"queue_size": 2**63},
        {"queue_size": 2**64 + 5},
        {"pack_version": 2**63},
        {"pack_version": -(2**63) - 1},
        {"app_version": "1.0\ud800"},
        {"client_time": "\udc00"},
        {"last_sync_at": "x" * 10_000},
    ):
        reply = device.post(
            "/devices/heartbeat",
            data=json.dumps({**good, **changes}, ensure_ascii=True).encode("ascii"),
            headers={"Content-Type": "application/json"},
        )
        assert reply.status_code == 422, (changes, reply.status_code, reply.text)
        assert reply.json()["error"]["code"] == "VALIDATION_ERROR"


def test_enroll_with_a_lone_surrogate_is_a_coded_422(device: Device) -> None:
    body = {
        "store_code": device.store_code,
        "enrollment_code": device.server.add_store(device.store_code),
        "device_id": "pc-surrogate",
        "device_name": "前台\ud800",
    }
    reply = device.session.post(
        f"{device.server.url}/v1/devices/enroll",
        data=json.dumps(body, ensure_ascii=True).encode("ascii"),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 422, reply.text
    assert reply.json()["error"]["code"] == "VALIDATION_ERROR"
