"""A read-only look at the database before it is opened for real: enough to choose the
first screen (first-run setup or sign-in) and to refuse a file a newer LoanDesk made,
without the keyring, migrations or sqlite-utils. It leaves nothing behind: with no WAL
beside the file it reads it as immutable (no -wal or -shm is created); with one, through
a read-only connection. Any doubt answers None and the caller opens the file properly."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from core.store.migration_names import MIGRATION_NAMES

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of applied migrations
MIGRATION_SET = "loandesk"


@dataclass(frozen=True)
class Peek:
    #: True: no active administrator with a password yet; None: cannot tell
    needs_setup: bool | None
    #: migrations the file records that this build does not know (a newer build's)
    unknown_migrations: tuple[str, ...] = ()


def _connect(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri()
    if path.with_name(path.name + "-wal").exists():
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=1.0)
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=1.0)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
    ).fetchone()
    return row is not None


def peek(path: Path) -> Peek:
    """Raises :class:`core.store.errors.DatabaseLost` for a missing or emptied file in a
    folder that had data (the first screen must not offer a new install there)."""
    if not path.exists() or path.stat().st_size == 0:
        from core.store.lost_database import refuse_lost

        refuse_lost(path, path.parent / "backups")
        return Peek(needs_setup=True)
    try:
        conn = _connect(path)
    except (sqlite3.Error, ValueError):
        return Peek(needs_setup=None)
    try:
        unknown: tuple[str, ...] = ()
        if _has_table(conn, MIGRATIONS_TABLE):
            applied = conn.execute(
                f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET],
            ).fetchall()
            unknown = tuple(str(n) for (n,) in applied if n not in MIGRATION_NAMES)
        if not _has_table(conn, "operators"):
            if not _has_table(conn, "meta"):  # tables dropped: emptied, or a new file
                from core.store.lost_database import refuse_lost

                refuse_lost(path, path.parent / "backups")
            return Peek(True, unknown)  # from before accounts existed: setup after upgrade
        row = conn.execute(
            "SELECT count(*) FROM operators WHERE role = 'admin' AND active = 1 "
            "AND is_system = 0 AND password_hash IS NOT NULL"
        ).fetchone()
        return Peek(int(row[0]) == 0, unknown)
    except sqlite3.Error:
        return Peek(needs_setup=None)
    finally:
        conn.close()
