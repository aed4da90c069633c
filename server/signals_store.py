"""Head office's fraud signals, live: the keyed identifiers of every application, the
flags raised on them, the risk team's list, and the decision revisions they cause.

At ingest (``server/ingest.py``) each new application is turned into keyed hashes at
once (phone, ID number, name, normalised delivery address, the store PC;
:mod:`server.signals.keys`), stored in ``signal_rows`` and judged by the signal
engine (:mod:`server.signals.engine`) against everything head office received before.
Its own flags go into its score (:mod:`server.scorecard`); when it makes a ring or a
cluster cross its threshold, the earlier members are handled by
:func:`apply_revisions`: those not final (no decision yet, or in review) get a new
decision, ``review`` with the code added, which their store pulls from the decisions
feed like any other; those approved already are put on ``risk_list``
(``python -m server risk-list``); declined ones are left alone.

The engine is kept in memory per server process and fed, before each judgement, with
the rows other processes stored meanwhile (``signal_rows`` in ``seq`` order), so
several workers on one database judge on the same history. A failed item resets it:
it is rebuilt from the table on the next use.

The HMAC key is the file ``signal.key`` in the server's data folder (never in the
database: whoever copies the database cannot test guesses against the hashes).

The SQL here is portable (TEXT / INTEGER columns, ``?`` parameters, ``ON CONFLICT``):
the tables are created by :func:`ensure_tables` when the server starts.
"""

from __future__ import annotations

import json
import os
import secrets
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.models import ApplicationInput
from server.db import Database, next_seq
from server.signals.engine import SignalEngine
from server.signals.keys import KeyedHasher
from server.signals.params import SignalParams
from server.signals.retro import Revision
from server.signals.rows import (
    CatalogEntry,
    Line,
    PlainApplication,
    SignalRow,
    signal_row,
)
from server.signals.store_side import review_store_reasons

KEY_FILE = "signal.key"
SEQ_COUNTER = "signal_seq"
CATCH_UP_LOOKBACK = 1000  # rows another worker may still have been committing

TABLES = (
    """CREATE TABLE IF NOT EXISTS signal_rows (
        seq INTEGER PRIMARY KEY,
        application_id TEXT NOT NULL UNIQUE,
        store_code TEXT NOT NULL,
        salesperson TEXT NOT NULL,
        created_at TEXT NOT NULL,
        scenario TEXT NOT NULL,
        id_key TEXT NOT NULL,
        name_key TEXT NOT NULL,
        phone_key TEXT NOT NULL,
        address_key TEXT NOT NULL,
        device_key TEXT,
        pc_device TEXT NOT NULL,
        lines TEXT NOT NULL,
        store_reasons TEXT NOT NULL,
        received_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS signal_rows_phone ON signal_rows (phone_key)",
    "CREATE INDEX IF NOT EXISTS signal_rows_id ON signal_rows (id_key)",
    "CREATE INDEX IF NOT EXISTS signal_rows_address ON signal_rows (address_key)",
    """CREATE TABLE IF NOT EXISTS signal_flags (
        application_id TEXT NOT NULL,
        code TEXT NOT NULL,
        retro INTEGER NOT NULL,
        trigger_id TEXT,
        detail TEXT NOT NULL,
        flagged_at TEXT NOT NULL,
        PRIMARY KEY (application_id, code)
    )""",
    """CREATE TABLE IF NOT EXISTS risk_list (
        application_id TEXT NOT NULL,
        code TEXT NOT NULL,
        store_code TEXT NOT NULL,
        trigger_id TEXT NOT NULL,
        listed_at TEXT NOT NULL,
        PRIMARY KEY (application_id, code)
    )""",
    """CREATE TABLE IF NOT EXISTS signal_pickups (
        store_code TEXT PRIMARY KEY,
        address_key TEXT NOT NULL
    )""",
)


def ensure_tables(db: Database) -> None:
    """Create the signal tables and their counter if missing (every start)."""
    with db.write() as conn:
        for statement in TABLES:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO counters (name, value) SELECT ?, 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM counters WHERE name = ?)",
            (SEQ_COUNTER, SEQ_COUNTER),
        )


def data_dir_of(db: Database) -> Path:
    if db.data_dir is None:
        raise RuntimeError("the server's database was opened without its data folder")
    return db.data_dir


def load_key(data_dir: Path) -> bytes:
    """The signal HMAC key, created (32 random bytes, owner-only) on first use."""
    path = data_dir / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as f:
        key = secrets.token_bytes(32)
        f.write(key.hex())
        f.flush()
        os.fsync(f.fileno())
    return key


@dataclass(frozen=True)
class Judgement:
    """What the signals say about one arriving application."""

    codes: tuple[str, ...]  # head office's own flags on arrival
    store_kept: tuple[str, ...]  # the store-side reasons that stand
    revisions: tuple[Revision, ...]  # earlier members of clusters it completed

    @property
    def signals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.store_kept, *self.codes)))


def plain_application(
    application_id: str,
    store_code: str,
    operator: str,
    created_at: str,
    app: ApplicationInput,
    store_reasons: Sequence[str],
    pc_device: str,
) -> PlainApplication:
    return PlainApplication(
        application_id=application_id,
        store_code=store_code,
        operator=operator,
        created_at=datetime.fromisoformat(created_at),
        scenario=app.scenario.value,
        id_number=app.customer.id_number,
        name=app.customer.name,
        phone=app.customer.phone,
        delivery_city=app.delivery_city,
        delivery_address=app.delivery_address,
        lines=tuple(Line(ln.sku, ln.unit_price_fen, ln.quantity) for ln in app.lines),
        store_reasons=tuple(store_reasons),
        pc_device=pc_device,
    )


def _row_of(r: Any) -> SignalRow:
    return SignalRow(
        application_id=str(r[0]),
        store_code=str(r[1]),
        salesperson=str(r[2]),
        created_at=datetime.fromisoformat(str(r[3])),
        scenario=str(r[4]),
        id_key=str(r[5]),
        name_key=str(r[6]),
        phone_key=str(r[7]),
        address_key=str(r[8]),
        device_key=None if r[9] is None else str(r[9]),
        lines=tuple(Line(str(s), int(p), int(q)) for s, p, q in json.loads(r[10])),
        store_reasons=tuple(json.loads(r[11])),
        pc_device=str(r[12]),
    )


_COLUMNS = (
    "application_id, store_code, salesperson, created_at, scenario, id_key, name_key, "
    "phone_key, address_key, device_key, lines, store_reasons, pc_device"
)


def latest_decision(conn: Any, application_id: str) -> Any:
    return conn.execute(
        "SELECT store_code, rev, decision, score, reasons, points FROM decisions "
        "WHERE application_id = ? ORDER BY seq DESC LIMIT 1",
        (application_id,),
    ).fetchone()


def central_status(conn: Any, application_id: str) -> str:
    row = latest_decision(conn, application_id)
    return "submitted" if row is None else str(row[2])


class LiveSignals:
    """One server process's signal engine, kept in step with ``signal_rows``."""

    def __init__(self, hasher: KeyedHasher, params: SignalParams | None = None) -> None:
        self.hasher = hasher
        self.params = params or SignalParams()
        self._engine: SignalEngine | None = None
        self._fed: set[str] = set()
        self._high = 0
        self._catalog_seq = 0
        self._pickups: set[str] = set()

    def reset(self) -> None:
        """Forget the in-memory state (a failed item): rebuilt from the tables next time."""
        self._engine = None

    def _ready(self, conn: Any) -> SignalEngine:
        if self._engine is None:
            self._engine = SignalEngine(self.hasher, [], [], self.params)
            self._fed, self._high, self._catalog_seq = set(), 0, 0
            self._pickups = set()
        engine = self._engine
        # every status the engine asks for, catching up included, is read in this item's
        # transaction: never through a connection an earlier item used (the engine is
        # the process's; by now another thread may hold that connection, waiting for the
        # lock this item holds: a deadlock no database can see)
        engine.status_of = lambda app_id: central_status(conn, app_id)
        for sku, category, price, deleted, seq in conn.execute(
            "SELECT sku, category, price_fen, deleted, change_seq FROM catalog "
            "WHERE change_seq > ? ORDER BY change_seq",
            (self._catalog_seq,),
        ).fetchall():
            engine.set_catalog(CatalogEntry(str(sku), str(category), int(price)), bool(deleted))
            self._catalog_seq = max(self._catalog_seq, int(seq))
        for (key,) in conn.execute("SELECT address_key FROM signal_pickups").fetchall():
            if key not in self._pickups:
                self._pickups.add(str(key))
                engine.add_pickup(str(key))
        rows = conn.execute(
            f"SELECT seq, {_COLUMNS} FROM signal_rows WHERE seq > ? ORDER BY seq",
            (max(0, self._high - CATCH_UP_LOOKBACK),),
        ).fetchall()
        for r in rows:
            if str(r[1]) in self._fed:
                continue
            before = len(engine.out.revisions)
            engine.add(_row_of(tuple(r)[1:]))  # judged (and stored) by whoever stored it
            del engine.out.revisions[before:]
            self._fed.add(str(r[1]))
            self._high = max(self._high, int(r[0]))
        return engine

    def judge(self, conn: Any, plain: PlainApplication, now: str) -> Judgement:
        """Store ``plain``'s keyed row and judge it; inside the item's transaction."""
        engine = self._ready(conn)
        row = signal_row(plain, self.hasher)
        if row.application_id in self._fed:  # judged before (a retried item)
            return self.standing(conn, plain)
        before = len(engine.out.revisions)
        flags = engine.add(row)
        revisions = tuple(engine.out.revisions[before:])
        del engine.out.revisions[before:]
        seq = next_seq(conn, SEQ_COUNTER)
        conn.execute(
            f"INSERT INTO signal_rows (seq, {_COLUMNS}, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                row.application_id,
                row.store_code,
                row.salesperson,
                row.created_at.isoformat(),
                row.scenario,
                row.id_key,
                row.name_key,
                row.phone_key,
                row.address_key,
                row.device_key,
                json.dumps([[ln.sku, ln.unit_price_fen, ln.quantity] for ln in row.lines]),
                json.dumps(list(row.store_reasons)),
                row.pc_device,
                now,
            ),
        )
        self._fed.add(row.application_id)
        self._high = max(self._high, seq)
        for f in flags:
            _flag(conn, row.application_id, f.code, None, f.detail, now)
        for rev in revisions:
            for member in (*rev.to_review, *rev.approved, *rev.untouched):
                _flag(conn, member, rev.code, rev.trigger, {}, now)
        return Judgement(
            codes=tuple(f.code for f in flags),
            store_kept=engine.out.store_kept.get(row.application_id, ()),
            revisions=revisions,
        )

    def standing(self, conn: Any, plain: PlainApplication) -> Judgement:
        """The signals on an application head office has judged already (an update):
        its flags so far and its store-side reasons, nothing added to the history."""
        engine = self._ready(conn)
        row = signal_row(plain, self.hasher)
        kept, _dismissed = review_store_reasons(row, engine.catalog, engine.pickup, self.params)
        codes = engine.out.codes(row.application_id)
        return Judgement(codes=tuple(codes), store_kept=kept, revisions=())


def _flag(
    conn: Any, app_id: str, code: str, trigger: str | None, detail: dict[str, Any], now: str
) -> None:
    conn.execute(
        "INSERT INTO signal_flags (application_id, code, retro, trigger_id, detail, flagged_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, code) DO NOTHING",
        (app_id, code, 0 if trigger is None else 1, trigger, json.dumps(detail), now),
    )


def apply_revisions(conn: Any, revisions: Iterable[Revision], now: str) -> list[str]:
    """Earlier members not final get a ``review`` decision with the new codes added (one
    per member, whatever the number of codes); approved ones go on the risk list.
    Returns the ids revised."""
    to_review: dict[str, list[str]] = {}
    for rev in revisions:
        for app_id in rev.to_review:
            to_review.setdefault(app_id, []).append(rev.code)
        for app_id in rev.approved:
            found = latest_decision(conn, app_id)
            conn.execute(
                "INSERT INTO risk_list (application_id, code, store_code, trigger_id, listed_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (application_id, code) DO NOTHING",
                (app_id, rev.code, str(found[0]) if found else "", rev.trigger, now),
            )
    revised = []
    for app_id, codes in to_review.items():
        found = latest_decision(conn, app_id)
        if found is None:
            continue  # stored without a decision: its own scoring sees the flags
        store, rev_no, _decision, score, reasons, points = found
        merged = list(json.loads(reasons))
        merged += [c for c in codes if c not in merged]
        conn.execute(
            "INSERT INTO decisions (application_id, store_code, rev, decision, "
            "approved_amount_fen, score, reasons, points, decided_at) "
            "VALUES (?, ?, ?, 'review', NULL, ?, ?, ?, ?)",
            (app_id, store, rev_no, score, json.dumps(merged), points, now),
        )
        revised.append(app_id)
    return revised


_LIVE: weakref.WeakKeyDictionary[Database, LiveSignals] = weakref.WeakKeyDictionary()


def live_for(db: Database) -> LiveSignals:
    """The signal engine of ``db`` in this process (tables and key made on first use).
    Call it outside a write transaction."""
    found = _LIVE.get(db)
    if found is None:
        ensure_tables(db)
        found = _LIVE[db] = LiveSignals(KeyedHasher(load_key(data_dir_of(db))))
    return found


def set_pickup(db: Database, store_code: str, city: str, address: str) -> None:
    """Record a store's own address: customers collecting there share it, harmlessly."""
    live = live_for(db)
    with db.write() as conn:
        conn.execute(
            "INSERT INTO signal_pickups (store_code, address_key) VALUES (?, ?) "
            "ON CONFLICT (store_code) DO UPDATE SET address_key = excluded.address_key",
            (store_code, live.hasher.address(city, address)),
        )


def risk_list(db: Database) -> list[dict[str, Any]]:
    """Approved applications a later cluster implicates, oldest first (no personal data)."""
    live_for(db)
    with db.read() as conn:
        rows = conn.execute(
            "SELECT application_id, store_code, code, trigger_id, listed_at FROM risk_list "
            "ORDER BY listed_at, application_id, code"
        ).fetchall()
    keys = ("application_id", "store_code", "code", "trigger", "listed_at")
    return [dict(zip(keys, (str(v) for v in r), strict=True)) for r in rows]
