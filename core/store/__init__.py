"""SQLite storage: opening the file, migrations, repositories."""

from core.store.db import (
    DatabaseCorrupt,
    DatabaseLocked,
    StorageEnvironmentError,
    check_database,
    open_database,
)

__all__ = [
    "DatabaseCorrupt",
    "DatabaseLocked",
    "StorageEnvironmentError",
    "check_database",
    "open_database",
]
