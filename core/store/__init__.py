"""SQLite storage: opening the file, migrations, repositories.

Names are imported on first use, so that the light modules here (errors) can be
imported without sqlite-utils."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.lazy import lazy_exports

_HOME = {
    "DatabaseCorrupt": "errors",
    "DatabaseLocked": "errors",
    "StorageEnvironmentError": "errors",
    "check_database": "db",
    "open_database": "db",
}

if TYPE_CHECKING:
    from core.store.db import check_database, open_database
    from core.store.errors import DatabaseCorrupt, DatabaseLocked, StorageEnvironmentError


__getattr__ = lazy_exports("core.store", _HOME, globals())


__all__ = [
    "DatabaseCorrupt",
    "DatabaseLocked",
    "StorageEnvironmentError",
    "check_database",
    "open_database",
]
