"""Migration 0005: encrypt the personal data already stored (placeholder)."""

from __future__ import annotations

import sqlite_utils


def migrate_0005(db: sqlite_utils.Database) -> None:
    """Placeholder until the encryption work lands."""
