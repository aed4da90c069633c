"""Short references a customer can read over the phone: ``S001-20261204-0007``.

Store code, the local (China) date the application was saved, and this PC's sequence
for that store and day (4 digits, more after the 9,999th). Unique on this PC (a unique
index); the UUID stays the application's identity everywhere else. Migration 0014
adds the column and gives every existing application one, in the order they were
saved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlite_utils

from core.applications.list_search import normalized_reference as normalized
from core.clock import CHINA_TZ

__all__ = ["format_reference", "local_day", "migrate", "next_reference", "normalized"]


def local_day(created_at: str) -> date:
    """The China date of a stored UTC ISO time."""
    dt = datetime.fromisoformat(created_at)
    dt = dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    return dt.astimezone(CHINA_TZ).date()


def format_reference(store_code: str, day: date, seq: int) -> str:
    return f"{store_code.strip().upper()}-{day:%Y%m%d}-{seq:04d}"


def next_reference(db: sqlite_utils.Database, store_code: str, day: date) -> str:
    """The next free reference of that store and day (inside the caller's transaction,
    which holds the write lock: two saves cannot get the same one)."""
    prefix = format_reference(store_code, day, 0)[:-4]
    row = db.execute(
        "SELECT max(CAST(substr(reference, ?) AS INTEGER)) FROM applications "
        "WHERE reference >= ? AND reference < ?",
        [len(prefix) + 1, prefix, prefix + "~"],
    ).fetchone()
    last = int(row[0]) if row is not None and row[0] is not None else 0
    return format_reference(store_code, day, last + 1)


_HAS_COLUMN = "_loandesk_has_reference"


def reference_column(db: sqlite_utils.Database) -> str:
    """The list's reference expression: ``''`` while an older file is being migrated
    (migrations before 0014 read rows too). Looked up once per connection."""
    has = getattr(db, _HAS_COLUMN, None)
    if has is None:
        cols = db.execute("PRAGMA table_info(applications)").fetchall()
        has = any(c[1] == "reference" for c in cols)
        if has:  # only a final answer is kept: 0014 may add it to this connection
            setattr(db, _HAS_COLUMN, True)
    return "COALESCE(reference, '')" if has else "''"


def migrate(db: sqlite_utils.Database) -> None:
    """0014: the column, a reference for every existing application (oldest first),
    and the unique index that also serves the search."""
    db.execute("ALTER TABLE applications ADD COLUMN reference TEXT")
    rows = db.execute(
        "SELECT a.id, a.created_at, s.code FROM applications a "
        "JOIN stores s ON s.id = a.store_id ORDER BY a.created_at, a.id"
    ).fetchall()
    seqs: dict[tuple[str, date], int] = {}
    updates: list[tuple[str, str]] = []
    for app_id, created_at, code in rows:
        key = (str(code).strip().upper(), local_day(str(created_at)))
        seqs[key] = seqs.get(key, 0) + 1
        updates.append((format_reference(key[0], key[1], seqs[key]), str(app_id)))
    db.conn.executemany("UPDATE applications SET reference = ? WHERE id = ?", updates)
    db.execute("CREATE UNIQUE INDEX applications_reference ON applications(reference)")
