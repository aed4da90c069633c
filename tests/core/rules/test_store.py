"""RulePackStore over a real SQLite file: install, refuse, expire, blacklist."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.clock import FixedClock
from core.rules import (
    PackError,
    RulePackStore,
    blacklist_digest,
    bundled_pack_path,
    load_trusted_keys,
)
from core.store.db import open_database
from tests.core.rules.conftest import NOW

DEMO_ID, DEMO_PHONE, DEMO_DEVICE = "11010519491231002X", "19900000000", "DEMO-BLOCKED-DEVICE"


def rows(db, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.execute(sql, params or []).fetchall()]


def refused(store: RulePackStore, data: bytes, source: str = "file") -> PackError:
    with pytest.raises(PackError) as info:
        store.install(data, source)
    return info.value


def test_empty_store(store: RulePackStore) -> None:
    assert store.active() is None
    assert store.usable() is None
    assert store.status() is None
    assert store.last_server_time() is None
    assert not store.blacklisted("phone", DEMO_PHONE)


def test_install_activates_and_records_everything(store: RulePackStore, db, make_pack) -> None:
    data = make_pack(version=4)
    pack = store.install(data, "file")
    assert store.active() is pack
    assert store.usable() is pack
    ((raw, sha, source, active, installed, until),) = rows(
        db, "SELECT raw, sha256, source, active, installed_at, valid_until FROM rule_packs"
    )
    assert bytes(raw) == data
    assert (sha, source, active) == (pack.sha256, "file", 1)
    assert installed == "2026-11-27T10:30:00Z"
    assert until == "2027-12-31T23:59:59Z"
    status = store.status()
    assert status is not None
    assert (status.pack_id, status.version, status.source) == ("cn-retail", 4, "file")
    assert status.signature_ok and not status.expired and not status.not_yet_valid
    assert status.usable
    assert status.scenarios == ("appliance", "furniture")
    assert status.installed_at == NOW
    assert status.sha256 == pack.sha256
    assert rows(db, "SELECT kind, source FROM blacklist ORDER BY kind") == [
        ("device", "pack:cn-retail:4"),
        ("id", "pack:cn-retail:4"),
        ("phone", "pack:cn-retail:4"),
    ]


def test_a_tampered_pack_is_refused_and_the_old_one_stays(store: RulePackStore, db, make_pack):
    store.install(make_pack(version=1), "bundled")
    good = make_pack(version=2)
    at = good.index(b'"refer_above":58') + len('"refer_above":')
    tampered = good[:at] + b"6" + good[at + 1 :]
    assert refused(store, tampered, "server").code == "PACK_SIGNATURE"
    broken = good[:at] + b"x" + good[at + 1 :]
    assert refused(store, broken, "server").code == "PACK_MALFORMED"
    pack = store.active()
    assert pack is not None and pack.version == 1
    assert rows(db, "SELECT version, active FROM rule_packs") == [(1, 1)]
    assert store.blacklisted("phone", DEMO_PHONE)


def test_rollback_is_refused(store: RulePackStore, db, make_pack) -> None:
    v2 = make_pack(version=2)
    store.install(v2, "server")
    err = refused(store, make_pack(version=1))
    assert err.code == "PACK_ROLLBACK"
    assert "v1" in err.detail and "v2" in err.detail
    assert store.install(v2, "file").version == 2  # the same file again: nothing happens
    assert rows(db, "SELECT version, source FROM rule_packs") == [(2, "server")]

    def other_content(doc: dict[str, Any]) -> None:
        doc["manifest"]["parameters"]["age"]["max"] = 70

    assert refused(store, make_pack(version=2, edit=other_content)).code == "PACK_ROLLBACK"
    store.install(make_pack(version=3), "server")
    assert rows(db, "SELECT version, active FROM rule_packs ORDER BY version") == [(2, 0), (3, 1)]


def _valid(from_: str, until: str):
    def edit(doc: dict[str, Any]) -> None:
        doc["manifest"].update(valid_from=from_, valid_until=until)

    return edit


def test_expiry_is_judged_by_the_later_of_pc_and_server_time(db, keys, make_pack) -> None:
    pc = FixedClock(NOW - timedelta(days=365))  # the PC clock was wound back a year
    store = RulePackStore(db, keys, pc)
    store.install(make_pack(edit=_valid("2025-01-01T00:00:00Z", "2026-06-30T23:59:59Z")), "file")
    status = store.status()
    assert status is not None and not status.expired
    assert store.usable() is not None
    store.note_server_time(NOW)  # ... but the server said it is November 2026
    status = store.status()
    assert status is not None and status.expired and not status.usable
    assert store.usable() is None
    assert store.active() is not None  # still there (blacklist, display), just not usable
    assert store.effective_now() == NOW


def test_an_already_expired_pack_is_not_installed(store: RulePackStore, make_pack) -> None:
    store.install(make_pack(version=1), "bundled")
    stale = make_pack(version=2, edit=_valid("2025-01-01T00:00:00Z", "2026-01-31T00:00:00Z"))
    err = refused(store, stale, "server")
    assert err.code == "PACK_EXPIRED_ON_LOAD"
    assert "2026-01-31T00:00:00Z" in err.detail
    active = store.active()
    assert active is not None and active.version == 1


def test_a_not_yet_valid_pack_installs_but_is_not_usable(store: RulePackStore, make_pack) -> None:
    store.install(make_pack(edit=_valid("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z")), "file")
    status = store.status()
    assert status is not None and status.not_yet_valid and not status.expired
    assert store.usable() is None


def test_server_time_only_moves_forward(store: RulePackStore, db) -> None:
    store.note_server_time(NOW)
    store.note_server_time(NOW - timedelta(days=2))
    assert store.last_server_time() == NOW
    store.note_server_time(NOW + timedelta(hours=1))
    assert store.last_server_time() == NOW + timedelta(hours=1)
    assert rows(db, "SELECT value FROM meta WHERE key = 'last_server_time'") == [
        ("2026-11-27T11:30:00Z",)
    ]
    with pytest.raises(ValueError):
        store.note_server_time(datetime(2026, 1, 1))


def test_blacklist_lookup(store: RulePackStore, make_pack) -> None:
    store.install(make_pack(), "bundled")
    assert store.blacklisted("id", DEMO_ID)
    assert store.blacklisted("id", DEMO_ID.lower())
    assert store.blacklisted("phone", "+86 199 0000 0000")
    assert store.blacklisted("device", DEMO_DEVICE)
    assert not store.blacklisted("id", "110101199003074477")
    assert not store.blacklisted("phone", "13912345678")
    assert not store.blacklisted("phone", DEMO_ID)  # kinds are separate lists
    assert not store.blacklisted("phone", "")


def test_bulk_digests_from_deltas(store: RulePackStore, db, make_pack) -> None:
    pack = store.install(make_pack(), "bundled")
    phones = [f"138{i:08d}" for i in range(1000)]
    digests = (blacklist_digest("phone", p, pack.blacklist_pepper) for p in phones)
    assert store.add_blacklist_digests("phone", digests, "delta:phone:7") == 1000
    again = [blacklist_digest("phone", phones[0], pack.blacklist_pepper)]
    assert store.add_blacklist_digests("phone", again, "delta:phone:8") == 0
    assert store.blacklisted("phone", phones[500])
    assert store.blacklist_counts() == {"id": 1, "phone": 1001, "device": 1}
    assert store.remove_blacklist_digests("phone", again) == 1
    assert not store.blacklisted("phone", phones[0])
    with pytest.raises(ValueError, match="digest 1"):
        store.add_blacklist_digests("phone", ["a" * 64, "NOT-HEX"], "delta:phone:9")
    assert store.blacklist_counts()["phone"] == 1000  # the bad batch left nothing behind
    with pytest.raises(ValueError):
        store.add_blacklist_digests("email", [], "x")
    plan = " ".join(
        str(r[-1])
        for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT 1 FROM blacklist WHERE kind = ? AND digest = ?",
            ["phone", "a" * 64],
        ).fetchall()
    )
    assert "USING PRIMARY KEY" in plan


def test_a_new_pack_replaces_its_digests_and_keeps_deltas(store: RulePackStore, db, make_pack):
    pack = store.install(make_pack(version=1), "bundled")
    delta = blacklist_digest("phone", "13800000001", pack.blacklist_pepper)
    store.add_blacklist_digests("phone", [delta], "delta:phone:1")

    def drop_phone(doc: dict[str, Any]) -> None:
        doc["blacklist"]["phone"] = []

    store.install(make_pack(version=2, edit=drop_phone), "server")
    assert not store.blacklisted("phone", DEMO_PHONE)
    assert store.blacklisted("phone", "13800000001")
    assert rows(db, "SELECT DISTINCT source FROM blacklist ORDER BY source") == [
        ("delta:phone:1",),
        ("pack:cn-retail:2",),
    ]

    def new_pepper(doc: dict[str, Any]) -> None:  # every digest so far is now meaningless
        pepper = "ab" * 32
        doc["blacklist"]["key"] = pepper
        doc["blacklist"].update(id=[blacklist_digest("id", DEMO_ID, pepper)], phone=[], device=[])

    store.install(make_pack(version=3, edit=new_pepper), "server")
    assert rows(db, "SELECT kind, source FROM blacklist") == [("id", "pack:cn-retail:3")]
    assert store.blacklisted("id", DEMO_ID)


def test_a_failure_inside_the_swap_leaves_the_old_pack_active(store, db, make_pack) -> None:
    store.install(make_pack(version=1), "bundled")
    poison = "f" * 64

    def add_poison(doc: dict[str, Any]) -> None:
        doc["blacklist"]["device"] = [poison]

    db.execute(
        "CREATE TRIGGER poison BEFORE INSERT ON blacklist WHEN NEW.digest = '" + poison + "' "
        "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    with pytest.raises(sqlite3.DatabaseError):
        store.install(make_pack(version=2, edit=add_poison), "server")
    assert rows(db, "SELECT version, active FROM rule_packs") == [(1, 1)]
    assert rows(db, "SELECT DISTINCT source FROM blacklist") == [("pack:cn-retail:1",)]
    active = store.active()
    assert active is not None and active.version == 1
    assert store.blacklisted("phone", DEMO_PHONE)


def test_a_row_edited_in_the_database_does_not_verify(store, db, keys, clock, make_pack):
    store.install(make_pack(), "bundled")
    raw = bytes(db.execute("SELECT raw FROM rule_packs").fetchone()[0])
    db.execute("UPDATE rule_packs SET raw = ?", [raw.replace(b'"max":65', b'"max":99')])
    fresh = RulePackStore(db, keys, clock)
    assert fresh.active() is None
    assert fresh.usable() is None
    assert not fresh.blacklisted("phone", DEMO_PHONE)
    status = fresh.status()
    assert status is not None and not status.signature_ok and not status.usable
    assert "PACK_SIGNATURE" in status.problem
    assert status.scenarios == ("appliance", "furniture")


def test_an_install_elsewhere_is_seen(tmp_path: Path, keys, clock, make_pack) -> None:
    """The GUI's DB worker and the sync worker each own a connection and a store."""
    gui = RulePackStore(open_database(tmp_path / "x.db"), keys, clock)
    sync = RulePackStore(open_database(tmp_path / "x.db"), keys, clock)
    sync.install(make_pack(version=1), "server")
    first = gui.active()
    assert first is not None and first.version == 1
    assert gui.active() is first  # cached while nothing changes
    sync.install(make_pack(version=2), "server")
    second = gui.active()
    assert second is not None and second.version == 2


def test_ensure_bundled_on_first_start(db, clock, caplog, tmp_path: Path, make_pack) -> None:
    store = RulePackStore(db, load_trusted_keys(), clock)
    pack = store.ensure_bundled()
    assert pack is not None and pack.pack_id == "cn-retail"
    assert pack.raw == bundled_pack_path().read_bytes()
    status = store.status()
    assert status is not None and status.source == "bundled" and status.usable
    assert store.ensure_bundled() is store.active()  # second start: nothing to do
    assert len(rows(db, "SELECT 1 FROM rule_packs")) == 1
    assert store.blacklisted("id", DEMO_ID)


def test_a_broken_bundled_pack_is_logged_not_fatal(store, caplog, tmp_path: Path) -> None:
    broken = tmp_path / "default.json"
    broken.write_bytes(b'{"format": "loandesk-rulepack/1"')
    with caplog.at_level(logging.ERROR, logger="loandesk.rules"):
        assert store.ensure_bundled(broken) is None
        assert store.ensure_bundled(tmp_path / "missing.json") is None
    assert "refused" in caplog.text and "cannot be read" in caplog.text
    assert store.status() is None


def test_a_newer_bundled_pack_replaces_an_older_one(store, tmp_path: Path, make_pack) -> None:
    store.install(make_pack(version=1), "file")
    shipped = tmp_path / "default.json"
    shipped.write_bytes(make_pack(version=1))
    assert store.ensure_bundled(shipped).version == 1
    shipped.write_bytes(make_pack(version=5))
    pack = store.ensure_bundled(shipped)
    assert pack is not None and pack.version == 5
    status = store.status()
    assert status is not None and status.source == "bundled"


def test_unknown_source_is_a_bug(store: RulePackStore, make_pack) -> None:
    with pytest.raises(ValueError):
        store.install(make_pack(), "usb")


def test_migration_schema(db) -> None:
    cols = [r[1] for r in db.execute("PRAGMA table_info(rule_packs)").fetchall()]
    assert cols == [
        "pack_id", "version", "raw", "sha256", "key_id", "issued_at", "valid_from",
        "valid_until", "installed_at", "source", "active",
    ]  # fmt: skip
    db.execute(
        "INSERT INTO rule_packs VALUES ('a', 1, x'00', 's', 'k', 't', 't', 't', 't', 'file', 1)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO rule_packs VALUES ('a', 2, x'00', 's', 'k', 't', 't', 't', 't', 'file', 1)"
        )
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO blacklist VALUES ('email', 'd', 's', 't')")
    receipt_cols = [r[1] for r in db.execute("PRAGMA table_info(prescreen_receipts)").fetchall()]
    assert receipt_cols == [
        "application_id", "pack_id", "pack_version", "inputs_sha256", "inputs", "outcome",
        "reasons", "evaluated_at", "schedule", "evidence", "consent",
    ]  # fmt: skip


def test_an_unverifiable_active_pack_gives_way(store, db, keys, clock, make_pack, tmp_path):
    """E.g. a production build pins new keys: the old pack no longer verifies, and
    the shipped pack (same version, other content) must still be able to replace it."""
    store.install(make_pack(version=3), "server")
    raw = bytes(db.execute("SELECT raw FROM rule_packs").fetchone()[0])
    db.execute("UPDATE rule_packs SET raw = ?", [raw.replace(b'"max":65', b'"max":99')])
    fresh = RulePackStore(db, keys, clock)
    shipped = tmp_path / "default.json"
    shipped.write_bytes(make_pack(version=1))
    pack = fresh.ensure_bundled(shipped)
    assert pack is not None and pack.version == 1
    assert rows(db, "SELECT version, active, source FROM rule_packs ORDER BY version") == [
        (1, 1, "bundled"),
        (3, 0, "server"),
    ]
    assert fresh.blacklisted("phone", DEMO_PHONE)
    other = make_pack(version=1, edit=lambda d: d["manifest"].update(pack_id="cn-other"))
    assert refused(fresh, other).code == "PACK_ROLLBACK"  # protected again
