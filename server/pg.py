"""The reference server on PostgreSQL (``--database postgresql://…``), through psycopg 3.

The server's SQL is written once, for SQLite (``?`` placeholders, ``server.db.SCHEMA``)
and runs here unchanged: :func:`translate` rewrites each statement once (cached).

- ``?`` becomes ``%s`` except in quoted text; every ``%`` becomes ``%%``.
- Schema: ``INTEGER`` -> ``BIGINT``, ``BLOB`` -> ``BYTEA``, ``REAL`` -> ``DOUBLE
  PRECISION``, no ``STRICT``. Every table gets the ``rowid`` SQLite gives it for free
  (an identity column, last), so ``ORDER BY rowid`` means insertion order on both.
- An ``INTEGER PRIMARY KEY [AUTOINCREMENT]`` column (a feed cursor such as
  ``decisions.seq``) is numbered by a trigger *under a lock held until commit*: the
  numbers become visible in the order they were handed out, so a reader that saw
  ``seq = 11`` can never later find a ``seq = 10`` (PostgreSQL's own sequences commit
  out of order across concurrent transactions, and a cursor would skip the late one).
- ``INSERT OR IGNORE`` -> ``INSERT … ON CONFLICT DO NOTHING``; SQLite's two-argument
  ``max(a, b)``, ``min(a, b)`` and ``ifnull(a, b)`` exist as SQL functions.

Transactions (:class:`PgDatabase`): a read is one ``REPEATABLE READ`` snapshot (as a
SQLite read transaction). A write is ``READ COMMITTED`` and, like SQLite's single
writer, holds an exclusive advisory lock until it commits, so every read-then-write
of the admin commands, enrollment and feeds stays as safe as on SQLite. A write with a
``key`` (ingest: the application id) takes that lock *shared* plus an exclusive lock on
its key: items of different applications are stored in parallel by every worker
process; two pushes of the same id are serialised, the second finds the first.

Connections are handed out as ``sqlite3.Connection`` for the type checker: the adapter
offers exactly the part of it the server uses (``execute``, ``executemany``, cursors
with ``fetchone``/``fetchall``/``rowcount``/iteration, rows by index or column name).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlsplit

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus
from psycopg.rows import RowMaker

from server.db import Database

POOL_SIZE = 8  # connections per server process (4 workers: 32 of max_connections)
ACQUIRE_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10

# advisory lock namespaces (the first key of pg_advisory_xact_lock(int, int))
_LOCK_WRITERS = 4201  # (., 0): the writer lock, exclusive or shared
_LOCK_KEYS = 4202  # (., hash of the key): a keyed write
_LOCK_SEQ = 4203  # (., hashtext(table)): a commit-ordered number (trigger below)
LOCK_SCHEMA = 4204  # (., 0): creating / upgrading the schema

# Run once per database, before the schema (idempotent).
PG_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION max(a anycompatible, b anycompatible) RETURNS anycompatible
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a >= b THEN a ELSE b END $$""",
    """CREATE OR REPLACE FUNCTION min(a anycompatible, b anycompatible) RETURNS anycompatible
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a <= b THEN a ELSE b END $$""",
    """CREATE OR REPLACE FUNCTION ifnull(a anycompatible, b anycompatible)
    RETURNS anycompatible LANGUAGE sql IMMUTABLE AS $$ SELECT COALESCE(a, b) $$""",
    f"""CREATE OR REPLACE FUNCTION loandesk_ordered_seq() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF to_jsonb(NEW) -> TG_ARGV[1] = 'null'::jsonb THEN
        PERFORM pg_advisory_xact_lock({_LOCK_SEQ}, hashtext(TG_TABLE_NAME));
        NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[1], nextval(TG_ARGV[0])));
      END IF;
      RETURN NEW;
    END $$""",
)

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%|[^'\"?%]+", re.S)
_CREATE_TABLE = re.compile(r"^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(", re.I)
_ALTER_TABLE = re.compile(r"^\s*ALTER\s+TABLE\s", re.I)
_ROWID_PK = re.compile(r"(\w+)\s+INTEGER\s+PRIMARY\s+KEY(?:\s+AUTOINCREMENT)?", re.I)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_OR_REPLACE = re.compile(r"^\s*(?:INSERT\s+OR\s+REPLACE|REPLACE)\s+INTO\b", re.I)


def _placeholders(sql: str) -> str:
    out = []
    for token in _TOKENS.findall(sql):  # psycopg reads % everywhere, quoted or not
        out.append("%s" if token == "?" else token.replace("%", "%%"))
    return "".join(out)


def _column_types(ddl: str) -> str:
    ddl = re.sub(r"\bINTEGER\b", "BIGINT", ddl, flags=re.I)
    ddl = re.sub(r"\bBLOB\b", "BYTEA", ddl, flags=re.I)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", ddl, flags=re.I)


def _create_table(sql: str, table: str) -> tuple[str, ...]:
    body = re.sub(r"\)\s*(?:STRICT|WITHOUT\s+ROWID|,|\s)*$", ")", sql.strip(), flags=re.I)
    pk = _ROWID_PK.search(body)
    after: tuple[str, ...] = ()
    if pk is not None:
        column = pk.group(1)
        body = body[: pk.start()] + f"{column} BIGINT PRIMARY KEY" + body[pk.end() :]
        seq = f"{table}_{column}_ordered"
        after = (
            f"CREATE SEQUENCE IF NOT EXISTS {seq} OWNED BY {table}.{column}",
            f"CREATE OR REPLACE TRIGGER {seq} BEFORE INSERT ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION loandesk_ordered_seq('{seq}', '{column}')",
        )
    else:  # SQLite's implicit rowid, explicit here
        body = body[:-1].rstrip() + ",\n    rowid BIGINT GENERATED ALWAYS AS IDENTITY)"
    return (_column_types(body), *after)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> tuple[str, ...]:
    """The PostgreSQL statements for one SQLite statement of the server."""
    table = _CREATE_TABLE.match(sql)
    if table is not None:
        return _create_table(sql, table.group(1))
    if _ALTER_TABLE.match(sql):
        return (_column_types(sql.strip()),)
    if _OR_REPLACE.match(sql):
        raise NotImplementedError("INSERT OR REPLACE: write INSERT … ON CONFLICT … DO UPDATE")
    if _OR_IGNORE.match(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return (_placeholders(sql),)


class Row(tuple[Any, ...]):
    """A result row by index or by column name, like ``sqlite3.Row``."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    names = {d.name: i for i, d in enumerate(cursor.description or ())}
    return functools.partial(Row, names=names)


class _NumericLoader(Loader):
    """``SUM``/``AVG`` give NUMERIC here: an int when whole, else a float (as SQLite)."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode("ascii"))
        return int(value) if value == value.to_integral_value() else float(value)


class _BoolDumper(Dumper):
    """SQLite stores True as 1: so does this (the columns are integers)."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


def _as_sqlite_error(exc: psycopg.Error, sql: str) -> sqlite3.Error:
    """The error as the ``sqlite3`` class code catches on both backends (a unique key:
    ``sqlite3.IntegrityError``; a deadlock or a lost connection:
    ``sqlite3.OperationalError``). Its text never carries row values (PostgreSQL's
    DETAIL and a rejected value may hold personal data): the SQLSTATE, the message
    without values, the start of the statement."""
    state = exc.sqlstate or "?????"
    primary = exc.diag.message_primary or type(exc).__name__
    if state.startswith("22"):  # data exception: its message may quote the value
        primary = type(exc).__name__
    text = f"PostgreSQL {state}: {primary} (in: {' '.join(sql.split())[:60]})"
    if isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(exc, psycopg.OperationalError | psycopg.errors.TransactionRollback):
        return sqlite3.OperationalError(text)
    return sqlite3.DatabaseError(text)


class PgConnection:
    """One psycopg connection speaking the server's SQLite SQL."""

    def __init__(self, raw: psycopg.Connection[Row]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Row]:
        try:
            *before, last = translate(sql)
            for statement in before:
                self.raw.execute(statement)
            return self.raw.execute(last, tuple(params))
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc, sql) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> psycopg.Cursor[Row]:
        (statement,) = translate(sql)
        cur = self.raw.cursor()
        try:
            cur.executemany(statement, [tuple(r) for r in rows])
        except psycopg.Error as exc:
            raise _as_sqlite_error(exc, sql) from None
        return cur


def _key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big", signed=True)


def describe(url: str) -> str:
    """``host:port/database`` of a URL: never its password (messages, logs)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{host}:{parts.port or 5432}{parts.path or '/'}"


class PgDatabase(Database):
    """A bounded pool of connections to one PostgreSQL database."""

    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.description = describe(url)
        self._idle: list[psycopg.Connection[Row]] = []
        self._size = pool_size
        self._slots = threading.BoundedSemaphore(pool_size)
        self._held = threading.local()
        self._guard = threading.Lock()
        self._closed = False

    def _connect(self) -> psycopg.Connection[Row]:
        try:
            raw = psycopg.connect(
                self.url,
                autocommit=True,
                row_factory=_row_factory,
                connect_timeout=CONNECT_TIMEOUT_S,
                application_name="loandesk-server",
            )
        except psycopg.Error as exc:
            raise sqlite3.OperationalError(
                f"cannot connect to PostgreSQL at {self.description}: {exc}"
            ) from None
        raw.adapters.register_loader("numeric", _NumericLoader)
        raw.adapters.register_dumper(bool, _BoolDumper)
        return raw

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Row]]:
        # A thread that holds a connection may take a second one without waiting (a read
        # of a rule pack inside ingest's write): else a full pool of such threads would
        # wait for each other. The pool bounds the outermost ones.
        outermost = getattr(self._held, "depth", 0) == 0
        if outermost and not self._slots.acquire(timeout=ACQUIRE_TIMEOUT_S):
            raise sqlite3.OperationalError("no free PostgreSQL connection in this process")
        self._held.depth = getattr(self._held, "depth", 0) + 1
        raw: psycopg.Connection[Row] | None = None
        try:
            with self._guard:
                if self._closed:
                    raise sqlite3.ProgrammingError("the database is closed")
                raw = self._idle.pop() if self._idle else None
            if raw is None:
                raw = self._connect()
            yield raw
        finally:
            if raw is not None:
                healthy = not raw.closed and raw.info.transaction_status == TransactionStatus.IDLE
                with self._guard:
                    if healthy and not self._closed and len(self._idle) < 2 * self._size:
                        self._idle.append(raw)
                        raw = None
                if raw is not None:
                    raw.close()
            self._held.depth -= 1
            if outermost:
                self._slots.release()

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._connection() as raw:
            conn = PgConnection(raw)
            conn.execute(begin)
            try:
                yield cast(sqlite3.Connection, conn)
            except BaseException:
                with contextlib.suppress(psycopg.Error):
                    raw.execute("ROLLBACK")  # a broken connection is dropped, not reused
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ") as conn:
            yield conn

    @contextmanager
    def write(self, key: str | None = None) -> Iterator[sqlite3.Connection]:
        if key is None:
            begin = f"BEGIN; SELECT pg_advisory_xact_lock({_LOCK_WRITERS}, 0)"
        else:
            begin = (
                f"BEGIN; SELECT pg_advisory_xact_lock_shared({_LOCK_WRITERS}, 0); "
                f"SELECT pg_advisory_xact_lock({_LOCK_KEYS}, {_key_hash(key)})"
            )
        with self._transaction(begin) as conn:
            yield conn

    @contextmanager
    def setup(self) -> Iterator[sqlite3.Connection]:
        """The schema's transaction: one process at a time creates or upgrades it."""
        begin = f"BEGIN; SELECT pg_advisory_xact_lock({LOCK_SCHEMA}, 0)"
        with self._transaction(begin) as conn:
            for statement in PG_FUNCTIONS:
                conn.execute(statement)
            yield conn

    def close(self) -> None:
        with self._guard:
            self._closed = True
            idle, self._idle = self._idle, []
        for raw in idle:
            raw.close()
