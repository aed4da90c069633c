"""A read-only look at the database before it is opened for real: enough to choose the
first screen (first-run setup or sign-in) without the keyring, migrations or
sqlite-utils. Any doubt answers None, and the caller opens the database properly."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def needs_setup(path: Path) -> bool | None:
    """True: no active administrator with a password yet (or no file at all); False:
    one exists; None: cannot tell without opening the file properly."""
    if not path.exists():
        return True
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        if conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'operators'"
        ).fetchone() is None:
            return True  # a file from before accounts existed: setup follows its upgrade
        row = conn.execute(
            "SELECT count(*) FROM operators WHERE role = 'admin' AND active = 1 "
            "AND is_system = 0 AND password_hash IS NOT NULL"
        ).fetchone()
        return int(row[0]) == 0
    except sqlite3.Error:
        return None
    finally:
        conn.close()
