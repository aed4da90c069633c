"""Personal data at rest: migration 0005, sealed columns, keyed-hash lookups."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ListQuery
from core.security.crypto import DecryptError, is_token
from core.store.db import DiskFull, open_database
from core.store.pii_migration import PlainDataNeedsKeys
from core.store.repositories import Repositories
from core.store.screening_repo import ScreeningRepo
from core.store.sync_repo import SyncRepo
from core.store.vault import META_ENCRYPTED, keyring_unlock
from tests.helpers.plain_db import make_0004_database

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)


def _gen() -> DemoGenerator:
    return DemoGenerator(9, NOW.date(), load_demo_catalog())


def _indexes(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_a_file_with_plain_data_and_no_keys_is_refused_not_left_half_done(
    tmp_path: Path,
) -> None:
    paths = resolve_paths(tmp_path)
    make_0004_database(paths, _gen().application())
    with pytest.raises(PlainDataNeedsKeys) as err:
        open_database(paths.database, backups_dir=paths.backups)  # no unlock
    assert "不会以明文" in err.value.message("zh_CN") and "plain text" in err.value.message("en")
    conn = sqlite3.connect(paths.database)
    try:  # rolled back: still 0004, so LoanDesk itself can encrypt it later
        assert "customers_id_number" in _indexes(conn)
        cols = [r[1] for r in conn.execute("PRAGMA table_info(customers)")]
        assert "id_hash" not in cols
    finally:
        conn.close()


def test_0005_seals_every_personal_column_and_keeps_the_rows_readable(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    app = _gen().application()
    app_id = make_0004_database(paths, app)
    db = open_database(paths.database, backups_dir=paths.backups, unlock=keyring_unlock)
    try:
        c = db.execute(
            "SELECT id_number, name, phone, home_address, id_hash, phone_hash FROM customers"
        ).fetchone()
        assert all(is_token(v) for v in c[:4]) and all(len(h) == 64 for h in c[4:])
        a = db.execute(
            "SELECT customer_name, delivery_address, name_hash, delivery_key FROM applications"
        ).fetchone()
        assert is_token(a[0]) and is_token(a[1]) and len(a[2]) == len(a[3]) == 64
        assert is_token(db.execute("SELECT payload FROM outbox").fetchone()[0])
        assert is_token(db.execute("SELECT data FROM form_drafts").fetchone()[0])
        assert db.execute("SELECT value FROM meta WHERE key = ?", [META_ENCRYPTED]).fetchone() == (
            "1",
        )
        idx = _indexes(db.conn)
        assert not idx & {"customers_id_number", "customers_phone", "applications_customer_name"}
        assert {"customers_id_hash", "customers_phone_hash", "applications_name_hash"} <= idx

        repo = Repositories(db)
        detail = repo.application_detail(app_id)
        assert detail is not None and detail.customer == app.customer
        assert detail.delivery_address == app.delivery_address
        [item] = SyncRepo(db).items("pending")
        assert json.loads(item.payload)["application"]["customer"]["name"] == app.customer.name
        for text in (
            app.customer.name,
            app.customer.phone,
            app.customer.id_number,
            app.customer.phone[-4:],
        ):
            assert repo.count_applications(ListQuery(text=text)) == 1, text
        screening = ScreeningRepo(db)
        since, until = "2000-01-01", "2100-01-01"
        assert screening.same_id(app.customer.id_number, since, until) == 1
        assert screening.same_phone(app.customer.phone, since, until) == 1
    finally:
        db.close()


def test_a_fresh_file_depends_on_its_keys_from_its_first_open(tmp_path: Path) -> None:
    """Marked at the first open with keys (its audit chain depends on them at once), so
    the mark can never be lost with a rolled-back save."""
    ctx = open_context(resolve_paths(tmp_path), FixedClock(NOW))
    try:
        flag = "SELECT value FROM meta WHERE key = ?"
        assert ctx.db.execute(flag, [META_ENCRYPTED]).fetchone() == ("1",)
        ctx.db.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON outbox "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        with pytest.raises(DiskFull):
            ctx.applications.save(_gen().application())
        assert ctx.db.execute(flag, [META_ENCRYPTED]).fetchone() == ("1",)
        ctx.db.execute("DROP TRIGGER boom")
        ctx.applications.save(_gen().application())  # the same service writes again
    finally:
        ctx.close()


def test_a_token_moved_to_another_row_does_not_open(tmp_path: Path) -> None:
    ctx = open_context(resolve_paths(tmp_path), FixedClock(NOW))
    try:
        gen = _gen()
        first, second = (ctx.applications.save(gen.application()) for _ in range(2))
        ctx.db.execute(
            "UPDATE applications SET customer_name = "
            "(SELECT customer_name FROM applications WHERE id = ?) WHERE id = ?",
            [first, second],
        )
        repo = Repositories(ctx.db)
        assert repo.application_row(first) is not None
        with pytest.raises(DecryptError) as err:
            repo.application_row(second)
        assert err.value.reason == "auth"
    finally:
        ctx.close()


def test_backups_from_before_encryption_are_shredded_later_ones_kept(tmp_path: Path) -> None:
    """Earlier upgrades left copies with plain text in backups/ (before-0003, ...); once
    the file is encrypted they go too, at every open. Copies of the encrypted file stay."""
    paths = resolve_paths(tmp_path)
    app = _gen().application()
    make_0004_database(paths, app)
    paths.backups.mkdir(parents=True, exist_ok=True)
    stem = paths.database.stem
    old = paths.backups / f"{stem}-20250301T000000000000-before-0003_prescreen_indexes.db"
    old.write_bytes(paths.database.read_bytes() + app.customer.name.encode())
    newer = paths.backups / f"{stem}-20270101T000000000000-before-0008_future.db"
    newer.write_bytes(b"tokens only")
    other = paths.backups / "notes.txt"
    other.write_text(app.customer.name, encoding="utf-8")  # not LoanDesk's: left alone
    ctx = open_context(resolve_paths(tmp_path))
    ctx.close()
    assert not old.exists()
    assert newer.read_bytes() == b"tokens only" and other.exists()
    assert sorted(p.name for p in paths.backups.glob("*-before-*.db")) == [newer.name]
    # an interrupted upgrade may leave one behind later: the next open removes it
    late = paths.backups / f"{stem}-20260101T000000000000-before-0005_encrypt_personal_data.db"
    late.write_bytes(app.customer.phone.encode())
    open_context(resolve_paths(tmp_path)).close()
    assert not late.exists()


def test_keys_lost_before_any_customer_are_not_replaced_once_the_log_is_chained(
    tmp_path: Path, memory_keyring: object
) -> None:
    """A new install has chained audit rows (its accounts) before its first customer:
    a wiped keyring must not silently get fresh keys that make the log look tampered."""
    from core.security import DataKeysMissing

    paths = resolve_paths(tmp_path)
    open_context(paths).close()
    assert (
        sqlite3.connect(paths.database).execute("SELECT count(*) FROM customers").fetchone()[0] == 0
    )
    memory_keyring.store.clear()  # type: ignore[attr-defined]
    with pytest.raises(DataKeysMissing):
        open_context(paths)
    assert memory_keyring.store == {}  # type: ignore[attr-defined]


def test_upgrade_backups_older_than_the_retention_period_are_shredded(tmp_path: Path) -> None:
    """They hold customers that retention has removed from the database since."""
    import os

    paths = resolve_paths(tmp_path)
    open_context(paths).close()
    paths.backups.mkdir(parents=True, exist_ok=True)
    stem = paths.database.stem
    old = paths.backups / f"{stem}-20250101T000000000000-before-0006_audit_chain.db"
    recent = paths.backups / f"{stem}-20261101T000000000000-before-0007_operators.db"
    for p in (old, recent):
        p.write_bytes(b"sealed tokens")
    long_ago = datetime.now(UTC).timestamp() - 181 * 86400
    os.utime(old, (long_ago, long_ago))
    open_context(paths).close()  # retention_days is 180 by default
    assert not old.exists() and recent.exists()
