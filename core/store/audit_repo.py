"""The hash-chained audit log (placeholder)."""

from __future__ import annotations

import sqlite_utils


def migrate_0006(db: sqlite_utils.Database) -> None:
    """Placeholder until the audit chain lands."""
