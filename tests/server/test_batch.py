"""Batch push: per-item results, idempotency by op id and application id, limits."""

from __future__ import annotations

from core.sync.wire import payload_sha256
from tests.helpers.server import RealServer
from tests.server.conftest import Device
from tests.server.payloads import creates, item, payload, raw_application


def test_create_then_resend_is_duplicate(device: Device) -> None:
    items = creates(device.store_code, 3)
    first = device.push(items)
    assert [r["status"] for r in first] == ["created"] * 3
    assert all(r["server_rev"] == 1 and r["reasons"] == [] for r in first)
    again = device.push(items)
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert [r["server_rev"] for r in again] == [1, 1, 1]
    # a new op id for the same content is a duplicate too (the application id is the key)
    same = [item(i["payload"]) for i in items]
    assert [r["status"] for r in device.push(same)] == ["duplicate"] * 3


def test_create_of_a_known_id_with_other_content_is_a_conflict(device: Device) -> None:
    body = payload(device.store_code)
    assert device.push([item(body)])[0]["status"] == "created"
    changed = dict(body, operator="someone else")
    result = device.push([item(changed)])[0]
    assert (result["status"], result["server_rev"]) == ("conflict", 1)


def test_update_with_the_server_revision_then_a_stale_one(device: Device) -> None:
    body = payload(device.store_code)
    device.push([item(body)])
    edited = dict(body, application=raw_application(**{"customer.monthly_income": "12000"}))
    update = item(edited, op="update", base_rev=1)
    result = device.push([update])[0]
    assert (result["status"], result["server_rev"]) == ("updated", 2)
    assert device.push([update])[0]["status"] == "duplicate"  # resend of the same op
    stale = item(dict(body, operator="x"), op="update", base_rev=1)
    result = device.push([stale])[0]
    assert (result["status"], result["server_rev"]) == ("conflict", 2)
    unknown = item(payload(device.store_code), op="update", base_rev=1)
    assert device.push([unknown])[0]["reasons"][0]["code"] == "UNKNOWN_APPLICATION"


def test_invalid_items_say_why(device: Device) -> None:
    wrong_check_digit = raw_application(**{"customer.id_number": "110105199003071539"})
    bad_id = payload(device.store_code, raw=wrong_check_digit)
    good = payload(device.store_code)
    reused_op = item(good)
    results = device.push(
        [
            item(bad_id),
            item(good, sha="0" * 64),
            reused_op,
            item(payload(device.store_code), op_id=reused_op["op_id"]),
            item(payload("OTHER")),
            item({"application_id": "x"}),
        ]
    )
    assert [r["status"] for r in results] == [
        "invalid",
        "invalid",
        "created",
        "invalid",
        "invalid",
        "invalid",
    ]
    checksum = results[0]["reasons"][0]
    assert (checksum["field"], checksum["code"]) == ("customer.id_number", "ID_CHECKSUM")
    assert "校验位" in checksum["message"]
    assert results[1]["reasons"][0]["code"] == "PAYLOAD_HASH"
    assert results[3]["reasons"][0]["code"] == "OP_ID_REUSED"
    assert results[4]["reasons"][0]["code"] == "STORE_MISMATCH"
    assert {r["code"] for r in results[5]["reasons"]} == {"PAYLOAD_SCHEMA"}
    assert all(r["server_rev"] is None for r in results if r["status"] == "invalid")


def test_results_follow_request_order_and_one_invalid_spoils_nothing(device: Device) -> None:
    items = creates(device.store_code, 10)
    broken = payload(device.store_code, raw=raw_application(**{"terms.term_months": 7}))
    items[4] = item(broken)
    results = device.push(items)
    assert [r["op_id"] for r in results] == [i["op_id"] for i in items]
    assert [r["application_id"] for r in results] == [i["application_id"] for i in items]
    assert [r["status"] for r in results] == ["created"] * 4 + ["invalid"] + ["created"] * 5
    assert results[4]["reasons"][0]["code"] == "TERM_NOT_ALLOWED"


def test_body_over_the_limit_is_413_and_too_many_items_too(device: Device) -> None:
    big = payload(device.store_code)
    big["application"]["padding"] = "x" * (2 * 1024 * 1024)
    reply = device.post("/applications/batch", json={"items": [item(big)]})
    assert reply.status_code == 413
    assert reply.json()["error"]["code"] == "BODY_TOO_LARGE"
    assert "Date" in reply.headers
    one = item(payload(device.store_code))
    reply = device.post("/applications/batch", json={"items": [one] * 501})
    assert reply.status_code == 413
    assert reply.json()["error"]["code"] == "BATCH_TOO_MANY_ITEMS"
    assert device.push([one])[0]["status"] == "created"  # nothing of the above was stored


def test_payload_hash_is_over_the_canonical_json(device: Device) -> None:
    body = payload(device.store_code)
    assert item(body)["payload_sha256"] == payload_sha256(body)
    assert device.push([item(body)])[0]["status"] == "created"


def test_stats_count_what_happened(server: RealServer, make_device) -> None:  # type: ignore[no-untyped-def]
    before = server.stats()
    dev = make_device()
    items = creates(dev.store_code, 4)
    dev.push(items)
    dev.push(items[:2])
    dev.push([item(payload(dev.store_code), sha="1" * 64)])
    after = server.stats()
    delta = {k: after[k] - before[k] for k in after if isinstance(after[k], int)}
    assert delta["applications_received"] == 4
    assert delta["distinct_application_ids"] == 4
    assert delta["decisions"] == 4
    assert delta["items_processed"] == 7
    assert delta["duplicates"] == 2
    assert delta["invalid"] == 1
    assert delta["devices"] == 1 and delta["stores"] == 1
