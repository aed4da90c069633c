"""The reference server's storage: schema, connections, first start.

SQLite (``server.db`` in the data folder) is the embedded default; ``--database
postgresql://…`` runs the same schema and the same SQL on PostgreSQL (``server/pg.py``
translates it). Code sees one interface, :class:`Database`: ``read()`` is one snapshot,
``write()`` one transaction committed when its block ends normally.

SQLite: WAL, ``synchronous=FULL`` and ``busy_timeout``: a committed item survives a
power cut, and the admin CLI (another process) can read and write while the server
runs. Writes of this process go through one lock, so its threads never fight over
SQLite's write lock; each write is one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import queue
import secrets
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

DB_FILENAME = "server.db"
SCHEMA_VERSION = 2

# Demo entries of the default pack (resources/rulepacks/README.md), hashed with the
# published pack's pepper on first start.
DEMO_BLACKLIST = {
    "id": ("11010519491231002X",),
    "phone": ("19900000000",),
    "device": ("DEMO-BLOCKED-DEVICE",),
}

COUNTERS = (
    "items_processed",
    "created",
    "duplicates",
    "updates",
    "conflicts",
    "invalid",
    "catalog_seq",
    "blacklist_seq",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS stores (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL, created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_hash TEXT PRIMARY KEY,
    store_code TEXT NOT NULL REFERENCES stores(code),
    created_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    store_code TEXT NOT NULL REFERENCES stores(code),
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    app_version TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    heartbeat_at TEXT,
    queue_size INTEGER,
    last_sync_at TEXT,
    pack_version INTEGER,
    client_time TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS applications (
    application_id TEXT PRIMARY KEY,
    store_code TEXT NOT NULL,
    rev INTEGER NOT NULL,
    payload_sha256 TEXT NOT NULL,
    payload TEXT NOT NULL,
    client_created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    device_id TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS revisions (
    application_id TEXT NOT NULL REFERENCES applications(application_id),
    rev INTEGER NOT NULL,
    op_id TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (application_id, rev)
) STRICT;
CREATE TABLE IF NOT EXISTS ops (
    op_id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    rev INTEGER NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL,
    store_code TEXT NOT NULL,
    rev INTEGER NOT NULL,
    decision TEXT NOT NULL,
    approved_amount_fen INTEGER,
    score INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    points TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_store ON decisions(store_code, seq);
CREATE TABLE IF NOT EXISTS rulepacks (
    version INTEGER PRIMARY KEY,
    pack_id TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    body BLOB NOT NULL,
    published_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS catalog (
    sku TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    price_fen INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    change_seq INTEGER NOT NULL UNIQUE
) STRICT;
CREATE TABLE IF NOT EXISTS blacklist (
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    present INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    PRIMARY KEY (name, digest)
) STRICT;
CREATE INDEX IF NOT EXISTS blacklist_changes ON blacklist(name, change_seq);
"""

# --- schema changes after version 1 -----------------------------------------------------
# Each runs once, in order, on a new database and on an older one alike (``meta``
# ``schema_version`` records how far a database is).
UPGRADES: tuple[tuple[int, tuple[str, ...]], ...] = (
    # 2: enrollment codes expire (server.devices.CODE_VALID_DAYS unless add-store says)
    (2, ("ALTER TABLE enrollment_codes ADD COLUMN valid_days INTEGER NOT NULL DEFAULT 7",)),
)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Database(ABC):
    """The server's database, whichever the backend.

    Connections are typed ``sqlite3.Connection``; on PostgreSQL they are an adapter
    with the same ``execute``/``executemany`` and rows by index or name, and its errors
    are ``sqlite3`` errors too (a unique key: ``sqlite3.IntegrityError``). Write SQL
    for SQLite with ``?`` placeholders and no SQLite-only functions beyond ``max(a,
    b)``, ``min(a, b)``, ``ifnull``; a feed cursor is an ``INTEGER PRIMARY KEY``.
    """

    dialect: str  # "sqlite" or "postgresql"
    description: str  # where it is, for messages (never a password)
    data_dir: Path | None = None  # the server's data folder (keys live there, not here)

    @abstractmethod
    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """One snapshot for reads."""

    @abstractmethod
    def write(self, key: str | None = None) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction, committed when the block ends normally. Writes are
        serialised as by SQLite's single writer; writes with a ``key`` (an application
        id) only against writes of the same key on PostgreSQL, so worker processes
        store different applications in parallel."""

    def setup(self) -> AbstractContextManager[sqlite3.Connection]:
        """The transaction that creates or upgrades the schema (one process at a time)."""
        return self.write()

    @abstractmethod
    def close(self) -> None: ...


class SqliteDatabase(Database):
    """A small pool of connections to one file, closed together by :meth:`close`."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=5.0
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _acquire(self) -> sqlite3.Connection:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._guard:
            if self._closed:
                raise sqlite3.ProgrammingError("the database is closed")
            conn = self._open()
            self._all.append(conn)
            return conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads; the block is one snapshot (a deferred transaction)."""
        conn = self._acquire()
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")
        finally:
            self._idle.put(conn)

    @contextmanager
    def write(self, key: str | None = None) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction: committed when the block ends normally
        (every write of the file is serialised, whatever its ``key``)."""
        with self._write_lock:
            conn = self._acquire()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                self._idle.put(conn)

    def close(self) -> None:
        with self._guard:
            self._closed = True
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()


def lock_section(conn: sqlite3.Connection, name: str) -> None:
    """Hold ``name`` until this write commits: of the writes that lock the same name,
    one at a time. For a keyed write (ingest) that reads what concurrent keyed writes
    change (e.g. counts across applications). SQLite runs one write at a time anyway."""
    if not isinstance(conn, sqlite3.Connection):
        conn.execute("SELECT pg_advisory_xact_lock(4205, hashtext(?))", (name,))


def meta_get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def meta_set(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def bump(conn: sqlite3.Connection, *names: str) -> None:
    for name in names:
        conn.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))


def next_seq(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute(
        "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", (name,)
    ).fetchone()
    return int(row[0])


def counter(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row is not None else 0


def new_epoch_id() -> str:
    return secrets.token_hex(8)


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def open_database(data_dir: Path, database: str | None = None) -> Database:
    """Open (creating on first use) the server's database: ``server.db`` in
    ``data_dir``, or the PostgreSQL database at URL ``database``.

    A new database gets its ``server_epoch``, the bundled rule pack, the demo catalog
    and the demo blacklist, all in one transaction; an older one gets the ``UPGRADES``
    it lacks.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    db: Database
    if database is not None:
        if not is_postgres_url(database):
            raise ValueError(
                "--database 只接受 postgresql://… 地址 / --database takes a postgresql://… URL"
            )
        from server.pg import PgDatabase  # psycopg only when PostgreSQL is asked for

        db = PgDatabase(database)
    else:
        db = SqliteDatabase(data_dir / DB_FILENAME)
    db.data_dir = data_dir
    try:
        with db.setup() as conn:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            if meta_get(conn, "server_epoch") is None:
                meta_set(conn, "server_epoch", new_epoch_id())
                meta_set(conn, "schema_version", "1")  # then _upgrade brings it up to date
                meta_set(conn, "created_at", utc_now())
                conn.executemany(
                    "INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)",
                    [(n,) for n in COUNTERS],
                )
                _first_start(conn)
            _upgrade(conn)
    except BaseException:
        db.close()
        raise
    return db


def _upgrade(conn: sqlite3.Connection) -> None:
    current = int(meta_get(conn, "schema_version") or "1")
    for version, statements in UPGRADES:
        if version > current:
            for statement in statements:
                conn.execute(statement)
            meta_set(conn, "schema_version", str(version))


def _first_start(conn: sqlite3.Connection) -> None:
    # Imported here: zen and the seed data are needed only once, not by every CLI call.
    from core.demo_data import load_demo_catalog
    from core.rules import blacklist_digest, bundled_pack_path, load_trusted_keys, parse_pack
    from server.packs import insert_pack

    pack = parse_pack(bundled_pack_path().read_bytes(), load_trusted_keys())
    insert_pack(conn, pack)
    for item in load_demo_catalog():
        conn.execute(
            "INSERT INTO catalog (sku, name, category, price_fen, deleted, change_seq) "
            "VALUES (?, ?, ?, ?, 0, ?)",
            (item.sku, item.name, item.category, item.price_fen, next_seq(conn, "catalog_seq")),
        )
    for name, values in DEMO_BLACKLIST.items():
        for value in values:
            digest = blacklist_digest(name, value, pack.blacklist_pepper)
            conn.execute(
                "INSERT INTO blacklist (name, digest, present, change_seq) VALUES (?, ?, 1, ?)",
                (name, digest, next_seq(conn, "blacklist_seq")),
            )
