"""Storage errors sorted the way qutebrowser does: problems of the environment (disk
full, locked, corrupt, read-only) become :class:`StorageEnvironmentError` subclasses
with a plain message; anything else is a bug. Light to import (no sqlite-utils), so
the first screen can name them.

The sorting happens once, in the connection every repository uses
(:mod:`core.store.connection`), for reads and writes alike. The four environment
errors are also ``sqlite3.OperationalError`` instances (what SQLite raised), so code that
catches ``sqlite3.Error`` to carry on without the database (a diagnostics report, the
terms falling back to the defaults) still does; the screens catch
:class:`StorageEnvironmentError` and explain it."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from core.errors import CoreError


class StorageEnvironmentError(CoreError, RuntimeError):
    """The disk or file is the problem, not the program: tell the user what to do."""

    code = "STORAGE_ERROR"


class SQLiteEnvironmentError(StorageEnvironmentError, sqlite3.OperationalError):
    """An error SQLite reported that the environment caused (see :func:`classify`)."""


class DiskFull(SQLiteEnvironmentError):
    code = "STORAGE_DISK_FULL"


class DatabaseLocked(SQLiteEnvironmentError):
    code = "STORAGE_LOCKED"


class DatabaseCorrupt(SQLiteEnvironmentError):
    code = "STORAGE_CORRUPT"


class DatabaseReadOnly(SQLiteEnvironmentError):
    code = "STORAGE_READ_ONLY"


def classify(exc: sqlite3.Error) -> StorageEnvironmentError | None:
    """Map an sqlite3 error caused by the environment to a friendly exception (one
    already sorted is returned as it is)."""
    if isinstance(exc, StorageEnvironmentError):
        return exc
    msg = str(exc).lower()
    if "database or disk is full" in msg or "disk i/o error" in msg:
        return DiskFull(str(exc))
    if "locked" in msg or "busy" in msg:
        return DatabaseLocked(str(exc))
    if "malformed" in msg or "not a database" in msg or "corrupt" in msg:
        return DatabaseCorrupt(str(exc))
    if "readonly" in msg or "read-only" in msg or "unable to open" in msg:
        return DatabaseReadOnly(str(exc))
    return None


class DatabaseTooNew(StorageEnvironmentError):
    """The file records migrations this build does not know: a newer LoanDesk made or
    upgraded it. Refused before the file is changed in any way; ``str()`` names the
    unknown migrations (the ``{detail}`` of the STORAGE_TOO_NEW text)."""

    code = "STORAGE_TOO_NEW"

    def __init__(self, unknown: Sequence[str]) -> None:
        self.unknown = tuple(unknown)
        super().__init__(", ".join(self.unknown))


class DatabaseLost(StorageEnvironmentError):
    """The database is missing or emptied although this data folder had one (its audit
    checkpoint or the OS keyring says so): refused before anything is created
    (core/store/lost_database.py). ``str()`` is the whole plain message in English (the
    ``{detail}`` main.py prints)."""

    code = "STORAGE_DATABASE_LOST"

    def __init__(
        self, what: str, evidence_code: str, evidence: Mapping[str, str], backups: Path
    ) -> None:
        self.what = what
        self.evidence_code = evidence_code
        self.evidence = dict(evidence)
        self.backups = backups
        super().__init__(what)

    def message(self, lang: str | None = None) -> str:
        from core import i18n

        why = i18n.translate(self.evidence_code, lang, **self.evidence)
        return i18n.translate(
            self.code, lang, detail=self.what, evidence=why, backups=str(self.backups)
        )
