"""The connection every repository reads and writes through.

:func:`connect` opens a :class:`GuardedConnection`: its statements, fetches, commits and
rollbacks sort an SQLite error the environment caused (locked, disk full, corrupt,
read-only: :func:`core.store.errors.classify`) into its
:class:`~core.store.errors.StorageEnvironmentError` subclass, with the code the screens
explain. So a list page read while another program holds the file locked says
"the database is busy", as a save does, instead of reaching the crash dialog. Every
other SQLite error (a bug: bad SQL, a constraint) leaves unchanged.

sqlite-utils runs everything through ``conn.execute`` and cursors, so wrapping the
connection covers the repositories, the migrations and sqlite-utils' own helpers
(``table_names()``, ``atomic()``) alike: no repository method has to remember a guard.
"""

from __future__ import annotations

import sqlite3
from types import TracebackType
from typing import Any, Literal, NoReturn, Self

from core.store.errors import StorageEnvironmentError, classify


def _sorted(exc: sqlite3.Error) -> NoReturn:
    """Raise ``exc`` as its friendly kind if the environment caused it, else as it is."""
    friendly = classify(exc)
    if friendly is None or isinstance(exc, StorageEnvironmentError):
        raise exc
    raise friendly from exc


class GuardedCursor(sqlite3.Cursor):
    """A cursor whose executes and fetches sort environment errors (reads included)."""

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            _sorted(exc)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            _sorted(exc)

    def executescript(self, sql_script: str, /) -> Self:
        try:
            super().executescript(sql_script)
            return self
        except sqlite3.Error as exc:
            _sorted(exc)

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            _sorted(exc)

    def fetchmany(self, size: int | None = 1) -> list[Any]:
        try:
            return super().fetchmany(size if size is not None else self.arraysize)
        except sqlite3.Error as exc:
            _sorted(exc)

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            _sorted(exc)

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            _sorted(exc)


class GuardedConnection(sqlite3.Connection):
    """An ``sqlite3.Connection`` whose cursors are :class:`GuardedCursor` and whose
    commits and rollbacks sort environment errors too."""

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or GuardedCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> GuardedCursor:
        cursor: GuardedCursor = self.cursor()
        return cursor.execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> GuardedCursor:
        cursor: GuardedCursor = self.cursor()
        return cursor.executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> GuardedCursor:
        cursor: GuardedCursor = self.cursor()
        return cursor.executescript(sql_script)

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as exc:
            _sorted(exc)

    def rollback(self) -> None:
        try:
            super().rollback()
        except sqlite3.Error as exc:
            _sorted(exc)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> Literal[False]:
        try:
            return super().__exit__(exc_type, exc, tb)
        except sqlite3.Error as error:
            _sorted(error)


def connect(path: str, *, busy_timeout: float = 5.0) -> GuardedConnection:
    """Open ``path`` with a :class:`GuardedConnection`; ``busy_timeout`` (seconds) is
    how long a statement waits for another connection's lock before DatabaseLocked."""
    try:
        return sqlite3.connect(path, timeout=busy_timeout, factory=GuardedConnection)
    except sqlite3.Error as exc:
        _sorted(exc)
