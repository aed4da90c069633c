"""SQLite storage: opening the file, migrations, repositories.

Names are imported on first use, so that the light modules here (errors) can be
imported without sqlite-utils."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'core.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"core.store.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DatabaseCorrupt",
    "DatabaseLocked",
    "StorageEnvironmentError",
    "check_database",
    "open_database",
]
