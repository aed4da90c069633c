"""Storage errors are sorted once, by the connection, for reads as for writes: a locked
file met while reading the list (or the accounts, the sync queue...) is DatabaseLocked
with its code, which the screens explain, not an sqlite3.OperationalError for the crash
dialog. Real files and a real second connection; the wait is made short through
open_database's ``busy_timeout``, never slept."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from core.models import ListQuery
from core.security.audit_chain import GENESIS
from core.store.audit_repo import AuditRepo
from core.store.blacklist_repo import BlacklistRepo
from core.store.db import open_database
from core.store.errors import DatabaseLocked, StorageEnvironmentError
from core.store.meta_repo import MetaRepo
from core.store.operators_repo import OperatorsRepo
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.store.vault import keyring_unlock

SHORT = 0.05  # seconds a statement waits for the other connection's lock


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    d = open_database(tmp_path / "loandesk.db", unlock=keyring_unlock, busy_timeout=SHORT)
    yield d
    d.close()


@pytest.fixture
def rollback_journal(db: sqlite_utils.Database) -> sqlite_utils.Database:
    """The file out of WAL for the test: under WAL a writer never blocks a reader, so
    a held lock stops a read only with a rollback journal (or a tool that opened the
    file in exclusive locking mode before the app did)."""
    assert db.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    return db


@pytest.fixture
def other(rollback_journal: sqlite_utils.Database, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """Another program's connection to the same file (no guard, no keys)."""
    conn = sqlite3.connect(tmp_path / "loandesk.db", isolation_level=None, timeout=SHORT)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


READS: dict[str, Callable[[sqlite_utils.Database], Any]] = {
    "application list": lambda d: Repositories(d).count_applications(ListQuery()),
    "application list page": lambda d: Repositories(d).list_applications(ListQuery(), 0, 50),
    "accounts": lambda d: OperatorsRepo(d).all(),
    "meta": lambda d: MetaRepo(d).get("device_id"),
    "sync queue": lambda d: SyncRepo(d).count_state("pending"),
    "blacklist": lambda d: BlacklistRepo(d).counts(),
    "audit log": lambda d: AuditRepo(d, b"k" * 32).verify_since((0, GENESIS)),
    "a store by code (sqlite-utils' query)": lambda d: Repositories(d).store_by_code("LOCAL"),
}


@pytest.mark.parametrize("read", list(READS), ids=list(READS))
def test_a_read_during_a_held_exclusive_lock_is_database_locked(
    db: sqlite_utils.Database, other: sqlite3.Connection, read: str
) -> None:
    READS[read](db)  # works while nobody holds the file
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(DatabaseLocked) as caught:
        READS[read](db)
    assert type(caught.value) is DatabaseLocked
    assert isinstance(caught.value, StorageEnvironmentError)
    assert caught.value.code == "STORAGE_LOCKED"
    # what SQLite said stays attached for the log, the user gets the sorted error
    assert type(caught.value.__cause__) is sqlite3.OperationalError
    assert "locked" in str(caught.value.__cause__)
    other.execute("ROLLBACK")
    READS[read](db)  # and the same read works again once the lock is gone


def test_a_write_during_a_held_lock_is_database_locked(
    db: sqlite_utils.Database, other: sqlite3.Connection
) -> None:
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(DatabaseLocked), db.atomic():
        MetaRepo(db).set("probe", "1")
    other.execute("ROLLBACK")
    with db.atomic():
        MetaRepo(db).set("probe", "1")
    assert MetaRepo(db).get("probe") == "1"


def test_a_commit_blocked_by_a_reader_is_database_locked(
    db: sqlite_utils.Database, other: sqlite3.Connection
) -> None:
    """The write itself gets in; its COMMIT waits for the other side's read to end."""
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM meta").fetchone()  # holds a shared lock
    with pytest.raises(DatabaseLocked), db.atomic():
        MetaRepo(db).set("probe", "2")
    other.execute("COMMIT")
    assert MetaRepo(db).get("probe") is None  # rolled back, nothing half-written


def test_a_program_error_is_left_as_it_is(db: sqlite_utils.Database) -> None:
    """Only the environment's errors are sorted: bad SQL is a bug and stays one."""
    with pytest.raises(sqlite3.OperationalError) as caught:
        db.execute("SELECT no_such_column FROM meta")
    assert not isinstance(caught.value, StorageEnvironmentError)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO meta(key, value) VALUES ('k', NULL)")


def test_sorted_errors_still_are_sqlite_errors(
    db: sqlite_utils.Database, other: sqlite3.Connection
) -> None:
    """Code that carries on without the database when SQLite fails (the diagnostics
    report, the terms falling back to the defaults) still catches them."""
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(sqlite3.Error):
        MetaRepo(db).get("device_id")
