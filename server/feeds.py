"""What devices pull: decisions by cursor, the catalog by change sequence, blacklist
deltas by state; plus the epoch and the counts ``stats`` prints.

Cursors are server sequence numbers as text (never timestamps). A blacklist state is
``"<seq>@<server_epoch>"``: a state from another epoch (a restore from backup) or one
this server never issued is answered with the full list.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from core.sync.wire import (
    BLACKLIST_NAMES,
    BlacklistDelta,
    CatalogEntry,
    CatalogPage,
    Decision,
    DecisionsPage,
    list_sha256,
)
from server.db import Database, counter, meta_get, meta_set, new_epoch_id

DEFAULT_PAGE = 200
MAX_PAGE = 1000


class CursorError(Exception):
    """``expired`` False: not a cursor at all (400); True: too old or unknown (410)."""

    def __init__(self, message: str, *, expired: bool) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class FeedLimits:
    decision_retention: int | None = None  # serve only the newest N decisions


def parse_cursor(cursor: str) -> int:
    text = cursor.strip()
    if not text:
        return 0
    if not text.isdigit() or len(text) > 18:
        raise CursorError(f"cursor {cursor!r} is not a cursor this server issued", expired=False)
    return int(text)


def server_epoch(db: Database) -> str:
    with db.read() as conn:
        return epoch_of(conn)


def epoch_of(conn: sqlite3.Connection) -> str:
    return meta_get(conn, "server_epoch") or ""


def new_epoch(db: Database) -> str:
    epoch = new_epoch_id()
    with db.write() as conn:
        meta_set(conn, "server_epoch", epoch)
    return epoch


def decisions_page(
    db: Database, store_code: str, cursor: str, limit: int, limits: FeedLimits
) -> DecisionsPage:
    after = parse_cursor(cursor)
    with db.read() as conn:
        row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM decisions").fetchone()
        newest = int(row[0])
        horizon = 0
        if limits.decision_retention is not None:
            horizon = max(0, newest - limits.decision_retention)
        if after > newest:
            raise CursorError(
                f"cursor {after} is ahead of this server (newest {newest}): resync from the start",
                expired=True,
            )
        if 0 < after < horizon:
            raise CursorError(
                f"cursor {after} is older than the retention horizon {horizon}: "
                "resync from the start",
                expired=True,
            )
        rows = conn.execute(
            "SELECT seq, application_id, rev, decision, approved_amount_fen, score, reasons, "
            "decided_at FROM decisions WHERE store_code = ? AND seq > ? ORDER BY seq LIMIT ?",
            (store_code, max(after, horizon), limit + 1),
        ).fetchall()
        epoch = epoch_of(conn)
    more = len(rows) > limit
    items = [
        Decision(
            seq=int(r[0]),
            application_id=str(r[1]),
            rev=int(r[2]),
            decision=r[3],
            approved_amount_fen=r[4],
            score=int(r[5]),
            reasons=json.loads(r[6]),
            decided_at=str(r[7]),
        )
        for r in rows[:limit]
    ]
    next_cursor = str(items[-1].seq) if items else str(after)
    return DecisionsPage(items=items, next_cursor=next_cursor, has_more=more, server_epoch=epoch)


def catalog_page(db: Database, cursor: str, limit: int) -> CatalogPage:
    after = parse_cursor(cursor)
    with db.read() as conn:
        rows = conn.execute(
            "SELECT sku, name, category, price_fen, deleted, change_seq FROM catalog "
            "WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
            (after, limit + 1),
        ).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        CatalogEntry(sku=r[0], name=r[1], category=r[2], price_fen=r[3], deleted=bool(r[4]))
        for r in rows
    ]
    next_cursor = str(rows[-1][5]) if rows else str(after)
    return CatalogPage(items=items, next_cursor=next_cursor, has_more=more)


def _parse_state(state: str, epoch: str) -> int | None:
    seq, _, their_epoch = state.partition("@")
    if their_epoch != epoch or not seq.isdigit() or len(seq) > 18:
        return None
    return int(seq)


def blacklist_delta(db: Database, name: str, state: str) -> BlacklistDelta:
    if name not in BLACKLIST_NAMES:
        raise KeyError(name)
    with db.read() as conn:
        epoch = epoch_of(conn)
        newest = counter(conn, "blacklist_seq")
        current = [
            str(r[0])
            for r in conn.execute(
                "SELECT digest FROM blacklist WHERE name = ? AND present = 1 ORDER BY digest",
                (name,),
            )
        ]
        since = _parse_state(state, epoch) if state else None
        additions: list[str] = []
        removals: list[str] = []
        full = since is None or since > newest
        if full:
            additions = current
        else:
            for digest, present in conn.execute(
                "SELECT digest, present FROM blacklist WHERE name = ? AND change_seq > ? "
                "ORDER BY digest",
                (name, since),
            ):
                (additions if present else removals).append(str(digest))
    return BlacklistDelta(
        name=name,  # type: ignore[arg-type]
        state=f"{newest}@{epoch}",
        full=full,
        additions=additions,
        removals=removals,
        sha256=list_sha256(current),
    )


def stats(db: Database) -> dict[str, Any]:
    with db.read() as conn:

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "applications_received": counter(conn, "created"),
            "distinct_application_ids": one(
                "SELECT COUNT(DISTINCT application_id) FROM applications"
            ),
            "decisions": one("SELECT COUNT(*) FROM decisions"),
            "devices": one("SELECT COUNT(*) FROM devices"),
            "stores": one("SELECT COUNT(*) FROM stores"),
            "items_processed": counter(conn, "items_processed"),
            "duplicates": counter(conn, "duplicates"),
            "updates": counter(conn, "updates"),
            "conflicts": counter(conn, "conflicts"),
            "invalid": counter(conn, "invalid"),
            "revisions": one("SELECT COUNT(*) FROM revisions"),
            "server_epoch": epoch_of(conn),
        }
