"""The ``rule_packs`` table (migration 0002_rules): every installed pack's signed bytes
and manifest fields, at most one of them active. Verifying and choosing packs is
core.rules.pack_store's business; this only stores and reads rows."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class PackRow:
    """The active pack's row as stored (``raw`` is the signed file itself)."""

    pack_id: str
    version: int
    valid_from: str
    valid_until: str
    key_id: str
    source: str
    installed_at: str
    sha256: str
    raw: bytes


class RulePacksRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def active_key(self) -> tuple[str, int, str] | None:
        """(pack id, version, sha256) of the active pack: one indexed read."""
        row = self.db.execute(
            "SELECT pack_id, version, sha256 FROM rule_packs WHERE active = 1"
        ).fetchone()
        return None if row is None else (str(row[0]), int(row[1]), str(row[2]))

    def raw(self, pack_id: str, version: int) -> bytes | None:
        row = self.db.execute(
            "SELECT raw FROM rule_packs WHERE pack_id = ? AND version = ?", [pack_id, version]
        ).fetchone()
        return None if row is None else bytes(row[0])

    def active_row(self) -> PackRow | None:
        row = self.db.execute(
            "SELECT pack_id, version, valid_from, valid_until, key_id, source, installed_at, "
            "sha256, raw FROM rule_packs WHERE active = 1"
        ).fetchone()
        if row is None:
            return None
        return PackRow(str(row[0]), int(row[1]), str(row[2]), str(row[3]), str(row[4]),
                       str(row[5]), str(row[6]), str(row[7]), bytes(row[8]))  # fmt: skip

    def activate(
        self,
        pack_id: str,
        version: int,
        raw: bytes,
        sha256: str,
        key_id: str,
        issued_at: str,
        valid_from: str,
        valid_until: str,
        installed_at: str,
        source: str,
    ) -> None:
        """Store the pack as the only active one (in the caller's transaction)."""
        self.db.execute("UPDATE rule_packs SET active = 0 WHERE active = 1")
        self.db.execute(
            "INSERT OR REPLACE INTO rule_packs(pack_id, version, raw, sha256, key_id, "
            "issued_at, valid_from, valid_until, installed_at, source, active) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [pack_id, version, raw, sha256, key_id, issued_at, valid_from, valid_until,
             installed_at, source],
        )  # fmt: skip
