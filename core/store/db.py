"""Open the LoanDesk SQLite file safely and bring its schema up to date.

WAL, ``synchronous=FULL`` (a saved application survives power loss), foreign keys on,
a busy timeout. Before any pending migration runs on an existing file, a copy is
written to the backups folder. A file that records a migration this build does not know
(a newer LoanDesk made or upgraded it) is refused before anything is written to it
(:class:`DatabaseTooNew`). Storage errors are sorted the way qutebrowser does:
problems of the environment (disk full, locked, corrupt, read-only) become
:class:`StorageEnvironmentError` subclasses with a plain message, on reads and writes
alike (the connection does it: :mod:`core.store.connection`); anything else is a bug.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from core.applications import labels as _labels  # noqa: F401  (the STORAGE_* texts of these errors)
from core.ids import uuid7
from core.store.connection import connect
from core.store.errors import DatabaseCorrupt as DatabaseCorrupt  # X as X: re-exported
from core.store.errors import DatabaseLocked as DatabaseLocked
from core.store.errors import DatabaseReadOnly as DatabaseReadOnly
from core.store.errors import DatabaseTooNew as DatabaseTooNew
from core.store.errors import DiskFull as DiskFull
from core.store.errors import StorageEnvironmentError as StorageEnvironmentError
from core.store.errors import classify as classify
from core.store.lost_database import refuse_lost, remember
from core.store.meta_repo import MetaRepo
from core.store.migration_names import MIGRATION_NAMES
from core.store.migrations import MIGRATIONS
from core.store.pii import note_committed
from core.store.vault import META_ENCRYPTED, META_INSTALL_ID, Vault, attach

MIGRATION_0005 = "0005_encrypt_personal_data"

#: ``unlock(install_id, encrypted)`` returns the data keys of a database; production
#: passes :func:`core.store.vault.keyring_unlock`.
Unlock = Callable[[str, bool], Vault]

log = logging.getLogger("loandesk.store")


PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA secure_delete=ON",  # purged personal data is overwritten, not left in free pages
)


def open_database(
    path: Path,
    *,
    backups_dir: Path | None = None,
    migrate: bool = True,
    unlock: Unlock | None = None,
    busy_timeout: float = 5.0,
) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and apply pending migrations.

    With ``unlock``, the connection carries the install's data keys (a
    :class:`~core.store.vault.Vault`) before any migration runs, so migrations can
    encrypt; without it, code that touches personal data raises ``VaultMissing``.
    Keyring problems propagate as :class:`core.security.SecurityError` subclasses.

    A file made or upgraded by a newer LoanDesk raises :class:`DatabaseTooNew` first,
    with or without ``migrate``: before the pragmas (``journal_mode`` is stored in the
    file), the keyring, any meta write or migration.

    ``busy_timeout`` (seconds): how long a statement waits for another connection's
    lock before it raises :class:`DatabaseLocked`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        refuse_newer_database(path)
        if unlock is not None:  # the app's own open: never a silent new install
            refuse_lost(path, backups_dir or path.parent / "backups")
        conn = connect(str(path), busy_timeout=busy_timeout)
        for pragma in PRAGMAS:
            if pragma.startswith("PRAGMA busy_timeout="):
                pragma = f"PRAGMA busy_timeout={round(busy_timeout * 1000)}"
            conn.execute(pragma)
        db = sqlite_utils.Database(conn)
        remembered = False
        if unlock is not None:
            install_id, encrypted = _install_identity(db)
            attach(db, unlock(install_id, encrypted))
            remembered = "meta" in db.table_names()
            if remembered:  # kept before 0005 encrypts under these keys
                _settle_install_id(db, install_id, unlock)
        if migrate:
            migrate_database(db, path, backups_dir or path.parent / "backups")
        if unlock is not None and "meta" in db.table_names():
            if not remembered:  # a new file: its meta table exists only now
                _settle_install_id(db, install_id, unlock)
            if MIGRATION_0005 not in pending_migrations(db):
                _mark_keys_in_use(db)
            stored_id = MetaRepo(db).get(META_INSTALL_ID)
            if stored_id:
                remember(path, str(stored_id))  # the keyring now knows this folder had data
    except sqlite3.Error as exc:
        friendly = classify(exc)
        if friendly is not None:
            raise friendly from exc
        raise
    return db


BULK_CACHE_KIB = 64 * 1024  # SQLite's page cache while loading in bulk (default: 2 MiB)


@contextmanager
def bulk_page_cache(db: sqlite_utils.Database, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """Within: a larger page cache on this connection, for loading many applications
    at once (demo data). Their 19 list indexes outgrow SQLite's default 2 MiB long
    before 100,000 rows, and then every insert reads their pages back from the OS
    (seeding 20,000 took a fifth longer). The pages are freed again on leaving."""
    before = int(db.execute("PRAGMA cache_size").fetchone()[0])
    db.execute(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size={before}")


def refuse_newer_database(path: Path) -> None:
    """Raise :class:`DatabaseTooNew` if the file at ``path`` records a migration of
    ours that this build does not know. Only reads: with a WAL left beside the file it
    reads through a read-only connection (a read-write one would checkpoint that WAL
    into the file when it closes); without one, a plain connection, whose close removes
    the -wal/-shm its read created. Nothing else touches the file first."""
    if not path.exists():
        return
    unknown = _read_unknown_migrations(path, read_only=path.with_name(path.name + "-wal").exists())
    if unknown:
        log.error(
            "database made by a newer LoanDesk (unknown migrations %s): refused, nothing changed",
            unknown,
        )
        raise DatabaseTooNew(unknown)


def _read_unknown_migrations(path: Path, *, read_only: bool) -> list[str]:
    if read_only:
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
        except (ValueError, sqlite3.OperationalError):  # a path SQLite's URIs cannot name
            return _read_unknown_migrations(path, read_only=False)
    else:
        conn = sqlite3.connect(str(path), timeout=5.0)
    try:
        return unknown_migrations(conn)
    finally:
        conn.close()


def unknown_migrations(conn: sqlite3.Connection) -> list[str]:
    """The migrations of ours the file records that this build does not have, in the
    order they were applied (read-only)."""
    table = MIGRATIONS.migrations_table
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone()
    if found is None:
        return []
    known = set(MIGRATION_NAMES)
    applied = conn.execute(
        f"SELECT name FROM [{table}] WHERE migration_set = ? ORDER BY rowid", [MIGRATIONS.name]
    ).fetchall()
    return [str(name) for (name,) in applied if name not in known]


def _install_identity(db: sqlite_utils.Database) -> tuple[str, bool]:
    """(install id, does the file hold encrypted data); a new id for a new file."""
    meta = MetaRepo(db)
    if not meta.exists():
        return uuid7(), False
    rows = meta.get_many([META_INSTALL_ID, META_ENCRYPTED])
    install_id = rows.get(META_INSTALL_ID) or uuid7()
    return str(install_id), rows.get(META_ENCRYPTED) == "1"


def _settle_install_id(db: sqlite_utils.Database, install_id: str, unlock: Unlock) -> None:
    """Store ``install_id`` unless the file has one; if another process stored its own
    first (both created the file at once), this connection takes that one's keys."""
    stored = _remember_install_id(db, install_id)
    if stored != install_id:
        attach(db, unlock(stored, _install_identity(db)[1]))


def _mark_keys_in_use(db: sqlite_utils.Database) -> None:
    """From the first open with keys on, this file depends on them (its audit chain and
    checkpoint at once, customers later): a keyring that lost them must stop the start
    (DataKeysMissing), never silently get fresh keys."""
    with db.conn:
        MetaRepo(db).set_if_absent(META_ENCRYPTED, "1")
    if MetaRepo(db).get(META_ENCRYPTED) == "1":
        note_committed(db)  # the saves on this connection need not write it again


def _remember_install_id(db: sqlite_utils.Database, install_id: str) -> str:
    """Store ``install_id`` unless the file has one; returns the one stored."""
    meta = MetaRepo(db)
    with db.conn:
        meta.set_if_absent(META_INSTALL_ID, install_id)
    return str(meta.get(META_INSTALL_ID))


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in MIGRATIONS.pending(db)]


def migrate_database(db: sqlite_utils.Database, path: Path, backups_dir: Path) -> Path | None:
    """Apply pending migrations; back the file up first if it already holds data.

    Returns the backup path, if one was written.
    """
    pending = pending_migrations(db)
    if not pending:
        return None
    backup = None
    if db.table_names():
        backups_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        backup = backups_dir / f"{path.stem}-{stamp}-before-{pending[0]}.db"
        dest = sqlite3.connect(str(backup))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
        log.info("backed up database before migrations %s to %s", pending, backup.name)
    MIGRATIONS.apply(db)
    log.info("applied migrations %s", pending)
    if backup is not None and MIGRATION_0005 in pending:
        # that backup and the old WAL/free pages hold plain personal data
        from core.store.pii_migration import finish_encryption

        finish_encryption(db, backup)
        return None
    return backup


_BACKUP_BEFORE = re.compile(r"-before-(\d{4})_[a-z0-9_]+\.db$")


def prune_backups(backups_dir: Path, stem: str, retention_days: int, now: datetime) -> int:
    """Shred the upgrade backups an encrypted install must not keep (one pass, at start):

    - those made before migration 0005 (earlier upgrades' copies, or one left by an
      upgrade interrupted after 0005 committed): they hold personal data in plain text;
    - those older than the retention period: they hold (encrypted) personal data that
      retention has since removed from the database, and an upgrade that old needs no
      undoing.

    Returns how many went; cheap when there are none."""
    if not backups_dir.is_dir():
        return 0
    from core.store.pii_migration import shred

    cutoff = now.timestamp() - retention_days * 86400
    removed = 0
    for candidate in sorted(backups_dir.glob(f"{stem}-*-before-*.db")):
        m = _BACKUP_BEFORE.search(candidate.name)
        if m is not None and int(m.group(1)) <= int(MIGRATION_0005[:4]):
            why = "a backup from before encryption holds plain text"
        elif candidate.stat().st_mtime < cutoff:
            why = "older than the retention period"
        else:
            continue
        shred(candidate)
        removed += 1
        log.info("removed %s: %s", candidate.name, why)
    return removed


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    integrity: str
    foreign_key_violations: int
    pending_migrations: list[str]
    applied_migrations: list[str]
    journal_mode: str
    synchronous: int


def check_database(db: sqlite_utils.Database) -> CheckResult:
    from core.store.diagnostics_repo import DiagnosticsRepo

    repo = DiagnosticsRepo(db)
    integrity = repo.integrity()
    fk = repo.foreign_key_violations()
    pending = pending_migrations(db)
    applied = [m.name for m in MIGRATIONS.applied(db)]
    journal = repo.journal_mode()
    sync = repo.synchronous()
    return CheckResult(
        ok=integrity == "ok" and fk == 0 and not pending,
        integrity=integrity,
        foreign_key_violations=fk,
        pending_migrations=pending,
        applied_migrations=applied,
        journal_mode=journal,
        synchronous=sync,
    )
