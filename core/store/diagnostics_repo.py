"""What ``main.py check`` reads from the database (core.diagnostics.check decides what it
means): the file's integrity and durability settings, counts, and one sealed sample
to try this keyring's keys on. Only reads."""

from __future__ import annotations

import sqlite_utils


class DiagnosticsRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # --- the file -----------------------------------------------------------------------
    def integrity(self) -> str:
        """``PRAGMA integrity_check``'s first line: 'ok' for a sound file."""
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def foreign_key_violations(self) -> int:
        return len(self.db.execute("PRAGMA foreign_key_check").fetchall())

    def journal_mode(self) -> str:
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0])

    def synchronous(self) -> int:
        return int(self.db.execute("PRAGMA synchronous").fetchone()[0])

    def has_table(self, name: str) -> bool:
        return name in self.db.table_names()

    # --- counts ---------------------------------------------------------------------------
    def applications(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM applications").fetchone()[0])

    def pending_uploads(self) -> int:
        return int(
            self.db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
        )

    def customers(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM customers").fetchone()[0])

    # --- personal data ----------------------------------------------------------------------
    def newest_sealed_id_number(self) -> tuple[str, str] | None:
        """(customer id, sealed ID number) of the newest customer not purged."""
        row = self.db.execute(
            "SELECT id, id_number FROM customers WHERE id_number != '' ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))
