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
import sys
import threading
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
        _note_transaction_start(self.connection, sql)
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            _sorted(exc)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        _note_transaction_start(self.connection, sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            _sorted(exc)

    def executescript(self, sql_script: str, /) -> Self:
        if isinstance(self.connection, GuardedConnection):  # its BEGINs pass unseen
            self.connection._changes_at_begin = None
            self.connection._epoch += 1
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


def _note_transaction_start(conn: sqlite3.Connection, sql: str) -> None:
    """Before a statement: at what may open a transaction, remember the connection's
    change count, so :meth:`GuardedConnection.wrote_in_transaction` can tell later; a new
    transaction or a rollback (to a savepoint) starts a new :meth:`write_epoch`."""
    if not isinstance(conn, GuardedConnection):
        return
    if not conn.in_transaction:
        conn._changes_at_begin = conn.total_changes
        conn._epoch += 1
    elif sql[:12].lstrip()[:8].upper() == "ROLLBACK":
        conn._epoch += 1


class ScreenTouchedDatabase(AssertionError):
    """Code of the screens (``ui/``) used a connection on the GUI thread: tests only."""


_forbidden: tuple[int, str] | None = None  # (thread ident, folder of the screens' code)


def forbid_screens_on_thread(thread_ident: int | None, screens_dir: str = "") -> None:
    """From now on, a statement run on thread ``thread_ident`` (the GUI thread) with code
    from ``screens_dir`` on the call stack raises :class:`ScreenTouchedDatabase`: the
    screens reach the data through their database lane, never on the GUI thread. The
    tests turn it on; ``None`` turns it off. Costs one comparison per statement when off.
    """
    global _forbidden
    _forbidden = None if thread_ident is None else (thread_ident, screens_dir.rstrip("/") + "/")


def _check_thread() -> None:
    forbidden = _forbidden
    if forbidden is None or threading.get_ident() != forbidden[0]:
        return
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(forbidden[1]):
            raise ScreenTouchedDatabase(
                f"{frame.f_code.co_filename}:{frame.f_lineno} ({frame.f_code.co_name}) "
                "used the database on the GUI thread: go through its CoreLane"
            )
        frame = frame.f_back  # type: ignore[assignment]


class GuardedConnection(sqlite3.Connection):
    """An ``sqlite3.Connection`` whose cursors are :class:`GuardedCursor` and whose
    commits and rollbacks sort environment errors too."""

    _changes_at_begin: int | None = None  # total_changes when the open transaction began
    _epoch = 0  # counts transactions begun and rollbacks to savepoints

    def wrote_in_transaction(self) -> bool:
        """Has the open transaction changed a row (so it holds the write lock, and what
        it reads now cannot be changed by another connection before it commits)? False
        when unsure: a write that changed no row is not counted."""
        begun = self._changes_at_begin
        return self.in_transaction and begun is not None and self.total_changes != begun

    def write_epoch(self) -> int | None:
        """While :meth:`wrote_in_transaction`: a number that stays the same until this
        transaction ends or rolls back to a savepoint (so what this connection wrote
        meanwhile is still there, and no other connection wrote); else None."""
        return self._epoch if self.wrote_in_transaction() else None

    def cursor(self, factory: Any = None) -> Any:
        _check_thread()
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
