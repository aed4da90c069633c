"""The ``meta`` table: small facts about this file (install id, device id, whether
personal data is encrypted, the last server time, whether an audit checkpoint was ever
written), and where the file itself is."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlite_utils


class MetaRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(keys)
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self.db.execute(
            f"SELECT key, value FROM meta WHERE key IN ({marks})", wanted
        ).fetchall()
        return {str(k): str(v) for k, v in rows}

    def set(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def set_if_absent(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", [key, value])

    def delete(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", [key])

    def exists(self) -> bool:
        """Has the schema been made (a new file has no ``meta`` yet)?"""
        return "meta" in self.db.table_names()


def database_file(db: sqlite_utils.Database) -> Path | None:
    """The file of this connection's main database; None for a memory database."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None
