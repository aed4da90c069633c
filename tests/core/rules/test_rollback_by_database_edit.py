"""A rule pack cannot be rolled back by editing the database: the highest version this
PC ever installed is kept (signed) in the meta table and in the OS keyring, and every
load of the active pack checks against it. Real SQLite files, the test's keyring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.rules import PackError, RulePackStore, TrustedKey
from core.rules.check import check_item
from core.rules.high_water import META_HIGH_WATER
from core.store.db import open_database
from core.store.vault import keyring_unlock
from tests.core.rules.conftest import KEY_ID

PHONE = "19900000000"


@pytest.fixture
def vdb(tmp_path: Path):
    """The app's own kind of connection: the install's data keys on it."""
    d = open_database(tmp_path / "app.db", unlock=keyring_unlock)
    yield d
    d.close()


def rows(db: Any, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.execute(sql).fetchall()]


def make_active(db: Any, version: int) -> None:
    """What an attacker with a SQLite tool does (the unique index wants two steps)."""
    db.execute("UPDATE rule_packs SET active = 0")
    db.execute("UPDATE rule_packs SET active = 1 WHERE version = ?", [version])


def audited(db: Any) -> list[tuple[Any, ...]]:
    return rows(db, "SELECT target_id FROM audit_log WHERE action = 'rules_rollback_refused'")


def installed(vdb: Any, keys: dict[str, TrustedKey], clock: Any, make_pack: Any) -> None:
    store = RulePackStore(vdb, keys, clock)
    store.install(make_pack(version=1), "bundled")
    store.install(make_pack(version=3), "server")


def test_an_older_pack_made_active_by_sql_is_refused_audited_once_and_checked(
    vdb, keys, clock, make_pack
) -> None:
    installed(vdb, keys, clock, make_pack)
    make_active(vdb, 1)
    for _ in range(2):  # two loads (e.g. two lanes) in one process: one audit row
        fresh = RulePackStore(vdb, keys, clock)
        assert fresh.active() is None and fresh.usable() is None
        assert not fresh.blacklisted("phone", PHONE)
        status = fresh.status()
        assert status is not None and status.version == 1 and not status.usable
        assert "PACK_ROLLBACK" in status.problem and "v3" in status.problem
    assert audited(vdb) == [("cn-retail:1",)]
    ok, text = check_item(vdb, keys)
    assert not ok and "rolled back" in text and "highest installed v3" in text


def test_the_version_column_edited_does_not_pass_for_the_signed_one(
    vdb, keys, clock, make_pack
) -> None:
    installed(vdb, keys, clock, make_pack)
    vdb.execute("DELETE FROM rule_packs WHERE version = 3")
    vdb.execute("UPDATE rule_packs SET version = 3, active = 1")
    vdb.execute("UPDATE rule_packs SET sha256 = 'x'")
    status = RulePackStore(vdb, keys, clock).status()
    assert status is not None and not status.usable and "PACK_ROLLBACK" in status.problem


def test_a_damaged_active_row_does_not_bring_the_older_bundled_pack_back(
    vdb, keys, clock, make_pack, tmp_path: Path
) -> None:
    installed(vdb, keys, clock, make_pack)
    raw = bytes(vdb.execute("SELECT raw FROM rule_packs WHERE active = 1").fetchone()[0])
    vdb.execute("UPDATE rule_packs SET raw = ? WHERE active = 1", [raw.replace(b"65", b"99", 1)])
    shipped = tmp_path / "default.json"
    shipped.write_bytes(make_pack(version=1))
    fresh = RulePackStore(vdb, keys, clock)
    assert fresh.ensure_bundled(shipped) is None
    assert rows(vdb, "SELECT version FROM rule_packs WHERE active = 1") == [(3,)]
    with pytest.raises(PackError) as info:
        fresh.install(make_pack(version=2), "file")
    assert info.value.code == "PACK_ROLLBACK"
    # the genuine v3 file (or anything newer) repairs it
    assert fresh.install(make_pack(version=3), "file").version == 3
    assert fresh.usable() is not None


def test_lowering_or_deleting_the_database_copy_of_the_mark_does_not_help(
    vdb, keys, clock, make_pack
) -> None:
    store = RulePackStore(vdb, keys, clock)
    store.install(make_pack(version=1), "bundled")
    old_mark = vdb.execute("SELECT value FROM meta WHERE key = ?", [META_HIGH_WATER]).fetchone()[0]
    store.install(make_pack(version=3), "server")
    make_active(vdb, 1)
    vdb.execute("UPDATE meta SET value = ? WHERE key = ?", [old_mark, META_HIGH_WATER])
    assert RulePackStore(vdb, keys, clock).active() is None  # the keyring copy says v3
    vdb.execute("DELETE FROM meta WHERE key = ?", [META_HIGH_WATER])
    vdb.execute("UPDATE rule_packs SET active = 0")
    with pytest.raises(PackError) as info:
        RulePackStore(vdb, keys, clock).install(make_pack(version=2), "file")
    assert info.value.code == "PACK_ROLLBACK"


def test_a_made_up_mark_is_not_believed(vdb, keys, clock, make_pack) -> None:
    store = RulePackStore(vdb, keys, clock)
    store.install(make_pack(version=2), "bundled")
    vdb.execute("UPDATE meta SET value = replace(value, '\"pack_version\":2', "
                "'\"pack_version\":9') WHERE key = ?", [META_HIGH_WATER])  # fmt: skip
    fresh = RulePackStore(vdb, keys, clock)
    assert fresh.active() is not None  # the keyring copy (v2) still stands
    ok, text = check_item(vdb, keys)
    assert not ok and "HMAC" in text


def test_an_install_from_before_the_mark_gets_one_at_start(vdb, keys, clock, make_pack) -> None:
    installed(vdb, keys, clock, make_pack)
    vdb.execute("DELETE FROM meta WHERE key = ?", [META_HIGH_WATER])
    import keyring

    keyring.get_keyring().delete_password("LoanDesk", _ring_name(vdb))
    store = RulePackStore(vdb, keys, clock)
    store.ensure_high_water()
    make_active(vdb, 1)
    assert RulePackStore(vdb, keys, clock).active() is None


def test_a_build_with_new_keys_starts_a_new_line_of_versions(vdb, keys, clock, make_pack) -> None:
    installed(vdb, keys, clock, make_pack)
    new_issuer = Ed25519PrivateKey.generate()
    new_keys = {"prod-2027": TrustedKey("prod-2027", new_issuer.public_key())}

    def prod(doc: dict[str, Any]) -> None:
        doc["manifest"]["key_id"] = "prod-2027"

    pack = RulePackStore(vdb, new_keys, clock).install(
        make_pack(version=1, edit=prod, key=new_issuer), "bundled"
    )
    assert pack.version == 1 and pack.key_id != KEY_ID
    assert RulePackStore(vdb, new_keys, clock).usable() is not None


def _ring_name(db: Any) -> str:
    install_id = db.execute("SELECT value FROM meta WHERE key = 'install_id'").fetchone()[0]
    return f"rules-high-water:{install_id}"
