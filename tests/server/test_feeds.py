"""What devices pull: decisions by cursor, the rule pack by ETag, catalog pages,
blacklist deltas; and the server epoch."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import requests

from core.config import resources_dir
from core.rules import blacklist_digest, load_trusted_keys, parse_pack
from core.sync.wire import list_sha256
from tests.helpers.server import RealServer
from tests.server.conftest import Device
from tests.server.payloads import creates, item, payload, raw_application


def _all_decisions(device: Device, limit: int) -> tuple[list[dict[str, Any]], int]:
    cursor, items, pages = "", [], 0
    while True:
        page = device.get("/decisions", params={"cursor": cursor, "limit": limit}).json()
        pages += 1
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items, pages


def test_decisions_page_by_cursor_for_this_store_only(make_device) -> None:  # type: ignore[no-untyped-def]
    mine, other = make_device(), make_device()
    other.push(creates(other.store_code, 2))
    items = creates(mine.store_code, 7)
    mine.push(items)
    decisions, pages = _all_decisions(mine, limit=3)
    assert pages == 3
    assert [d["application_id"] for d in decisions] == [i["application_id"] for i in items]
    seqs = [d["seq"] for d in decisions]
    assert seqs == sorted(seqs) and len(set(seqs)) == 7
    assert {d["decision"] for d in decisions} <= {"approved", "review", "declined"}
    last = mine.get("/decisions", params={"cursor": str(seqs[-1])}).json()
    assert (last["items"], last["has_more"], last["next_cursor"]) == ([], False, str(seqs[-1]))
    assert len(_all_decisions(other, limit=200)[0]) == 2


def test_decisions_say_why(device: Device) -> None:
    poor = raw_application(**{"customer.monthly_income": "1000"})
    good = payload(device.store_code)
    refused = payload(device.store_code, raw=poor)  # the replayed pre-screen: PTI_DECLINE
    blocked = payload(device.store_code, blacklisted=("phone",))  # the store's list hit
    device.push([item(good), item(refused), item(blocked)])
    by_id = {d["application_id"]: d for d in _all_decisions(device, 200)[0]}
    approved = by_id[good["application_id"]]
    assert approved["decision"] == "approved"
    assert approved["approved_amount_fen"] == 809_800 - 100_000
    assert approved["rev"] == 1
    declined = by_id[refused["application_id"]]
    assert declined["decision"] == "declined" and declined["approved_amount_fen"] is None
    assert {"SC_PTI_HIGH", "SC_STORE_DECLINED", "SC_INCOME_LOW"} <= set(declined["reasons"])
    assert by_id[blocked["application_id"]]["reasons"][0] == "SC_BLACKLISTED"


def test_an_expired_cursor_is_410(own_server) -> None:  # type: ignore[no-untyped-def]
    srv = own_server("--decision-retention", "3")
    dev = Device(srv, "R001", "retention-pc")
    try:
        dev.push(creates("R001", 8))
        reply = dev.get("/decisions", params={"cursor": "2"})
        assert reply.status_code == 410
        assert reply.json()["error"]["code"] == "CURSOR_EXPIRED"
        assert dev.get("/decisions", params={"cursor": "99"}).status_code == 410  # ahead
        fresh = dev.get("/decisions", params={"cursor": ""}).json()
        assert [d["seq"] for d in fresh["items"]] == [6, 7, 8]
        assert dev.get("/decisions", params={"cursor": "6"}).status_code == 200
    finally:
        dev.close()


def test_rule_pack_etag_304_and_a_new_version(own_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    srv = own_server()
    dev = Device(srv, "P001", "pack-pc")
    try:
        first = dev.get("/rulepacks/current")
        assert first.status_code == 200
        assert first.headers["Content-Type"].startswith("application/json")
        etag = first.headers["ETag"]
        bundled = (resources_dir() / "rulepacks" / "default.json").read_bytes()
        assert first.content == bundled
        pack = parse_pack(first.content, load_trusted_keys())
        assert etag == f'"{hashlib.sha256(bundled).hexdigest()}"'
        same = dev.get("/rulepacks/current", headers={"If-None-Match": etag})
        assert (same.status_code, same.content, same.headers["ETag"]) == (304, b"", etag)
        assert "Date" in same.headers
        src = json.loads(
            (resources_dir() / "rulepacks" / "src" / "default.unsigned.json").read_text("utf-8")
        )
        src["manifest"]["version"] = pack.version + 1
        unsigned = tmp_path / "newer.json"
        unsigned.write_text(json.dumps(src, ensure_ascii=False), encoding="utf-8")
        key = resources_dir() / "keys" / "demo_issuer_private.pem"
        assert f"v{pack.version + 1}" in srv.publish_pack(unsigned, sign_key=key)
        again = srv.run_cli("publish-pack", str(unsigned), "--sign-key", str(key))
        assert again.returncode == 1 and "not higher" in again.stderr  # no rollback
        unsigned_only = srv.run_cli("publish-pack", str(unsigned))
        assert unsigned_only.returncode == 1 and "PACK_MALFORMED" in unsigned_only.stderr
        newer = dev.get("/rulepacks/current", headers={"If-None-Match": etag})
        assert newer.status_code == 200 and newer.headers["ETag"] != etag
        assert parse_pack(newer.content, load_trusted_keys()).version == pack.version + 1
    finally:
        dev.close()


def test_catalog_pages(device: Device) -> None:
    seen, cursor = [], ""
    while True:
        page = device.get("/catalog", params={"cursor": cursor, "limit": 4}).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    demo = json.loads((resources_dir() / "demo" / "catalog.json").read_text("utf-8"))["items"]
    assert [e["sku"] for e in seen] == [i["sku"] for i in demo]
    assert all(e["price_fen"] > 0 and e["deleted"] is False for e in seen)
    empty = device.get("/catalog", params={"cursor": cursor}).json()
    assert (empty["items"], empty["has_more"]) == ([], False)


def test_blacklist_full_then_incremental(server: RealServer, device: Device) -> None:
    pepper = parse_pack(
        (resources_dir() / "rulepacks" / "default.json").read_bytes(), load_trusted_keys()
    ).blacklist_pepper
    full = device.get("/blacklists/phone/delta", params={"state": ""}).json()
    assert full["full"] is True
    assert blacklist_digest("phone", "19900000000", pepper) in full["additions"]
    assert full["sha256"] == list_sha256(full["additions"])
    held = set(full["additions"])
    server.blacklist("add", "phone", "13912345678")
    server.blacklist("remove", "phone", "19900000000")
    delta = device.get("/blacklists/phone/delta", params={"state": full["state"]}).json()
    assert delta["full"] is False
    assert delta["additions"] == [blacklist_digest("phone", "13912345678", pepper)]
    assert delta["removals"] == [blacklist_digest("phone", "19900000000", pepper)]
    held = (held | set(delta["additions"])) - set(delta["removals"])
    assert delta["sha256"] == list_sha256(sorted(held))
    quiet = device.get("/blacklists/phone/delta", params={"state": delta["state"]}).json()
    assert (quiet["full"], quiet["additions"], quiet["removals"]) == (False, [], [])
    unknown = device.get("/blacklists/phone/delta", params={"state": "garbage"}).json()
    assert unknown["full"] is True and set(unknown["additions"]) == held
    ids = device.get("/blacklists/id/delta").json()
    assert ids["additions"] == [blacklist_digest("id", "11010519491231002X", pepper)]


def test_epoch_change_is_visible_everywhere(own_server) -> None:  # type: ignore[no-untyped-def]
    srv = own_server()
    dev = Device(srv, "X001", "epoch-pc")
    try:
        old = requests.get(f"{srv.url}/v1/health", timeout=10).json()["server_epoch"]
        state = dev.get("/blacklists/id/delta").json()["state"]
        new = srv.new_epoch()
        assert new != old
        assert requests.get(f"{srv.url}/v1/health", timeout=10).json()["server_epoch"] == new
        batch = dev.post("/applications/batch", json={"items": creates("X001", 1)}).json()
        assert batch["server_epoch"] == new
        assert dev.get("/decisions").json()["server_epoch"] == new
        assert dev.get("/blacklists/id/delta", params={"state": state}).json()["full"] is True
        assert srv.stats()["server_epoch"] == new
    finally:
        dev.close()


def test_catalog_changes_come_after_the_cursor(own_server) -> None:  # type: ignore[no-untyped-def]
    srv = own_server()
    dev = Device(srv, "C001", "catalog-pc")
    try:
        cursor = dev.get("/catalog", params={"limit": 1000}).json()["next_cursor"]
        srv.cli("catalog", "set", "APL-TV-55", "--price", "2799.00")
        srv.cli(
            "catalog",
            "set",
            "FUR-NEW-1",
            "--name",
            "新款书柜",
            "--category",
            "furniture",
            "--price",
            "1299",
        )
        srv.cli("catalog", "delete", "APL-TV-65")
        page = dev.get("/catalog", params={"cursor": cursor}).json()
        assert [(e["sku"], e["price_fen"], e["deleted"]) for e in page["items"]] == [
            ("APL-TV-55", 279_900, False),
            ("FUR-NEW-1", 129_900, False),
            ("APL-TV-65", 459_900, True),
        ]
        assert srv.run_cli("catalog", "delete", "NOPE").returncode == 1
    finally:
        dev.close()
