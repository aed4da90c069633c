"""What sync reads and writes: the outbox, received decisions and the engine's state.

Like the other repositories, each method is one or a few statements and never opens a
transaction: the sync engine does (one page and its cursor, one batch's results).
Outbox rows are read in pages by rowid (the order they were queued), so a queue of any
length is drained with bounded memory.

An outbox payload holds the customer's personal data, so it is stored sealed (a token
bound to its op id) and opened when read: :class:`OutboxItem` carries the plain
canonical JSON its ``payload_sha256`` is of. A payload blanked by retention reads as
``{}``.

An acked row's payload is dropped ('' , its sha256 kept as the receipt) once head
office has decided the application, in the transaction that makes the row acked or
stores the decision: from then on nothing on this PC sends it again (an epoch change
re-pends only acked rows whose application has no decision, and a cancel withdraws only
unsent rows), so the file does not hold a second sealed copy of every application. An
acked row still waiting for its decision keeps its payload for that re-push.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from core.store.blacklist_repo import BlacklistRepo
from core.store.pii import Sealer, seal, unseal

_OUTBOX_COLUMNS = (
    "rowid, op_id, application_id, op, base_rev, payload, payload_sha256, state, attempts, "
    "next_attempt_at, last_http_status, last_error, created_at, acked_at, solo_failures, "
    "first_failed_at"
)

# the payload of an acked row whose application head office has decided: nothing sends it
# again (repend_undecided takes undecided rows only), so it goes; the sha256 stays
_DROP_IF_DECIDED = (
    "payload = CASE WHEN EXISTS (SELECT 1 FROM decisions d "
    "WHERE d.application_id = outbox.application_id) THEN '' ELSE payload END"
)


@dataclass(frozen=True)
class OutboxItem:
    rowid: int
    op_id: str
    application_id: str
    op: str
    base_rev: int
    payload: str  # canonical JSON, exactly the bytes payload_sha256 is of
    payload_sha256: str
    state: str  # pending | acked | rejected | quarantined
    attempts: int
    next_attempt_at: float | None  # wall-clock epoch seconds; None = now
    last_http_status: int | None
    last_error: str | None  # JSON: {"code": ..., ...}
    created_at: str
    acked_at: str | None
    solo_failures: int  # failures while sent alone (the poison-item hunt)
    first_failed_at: str | None

    def error(self) -> dict[str, Any]:
        """``last_error`` decoded ({} when there is none or it is unreadable)."""
        if not self.last_error:
            return {}
        try:
            value = json.loads(self.last_error)
        except ValueError:
            return {"code": "SYNC_ERROR", "message": self.last_error}
        return value if isinstance(value, dict) else {"code": "SYNC_ERROR", "message": value}


@dataclass(frozen=True)
class DecisionRecord:
    application_id: str
    decision: str  # approved | declined | review
    approved_amount_fen: int | None
    score: int
    reasons: tuple[str, ...]
    decided_at: str
    seq: int
    received_at: str


class SyncRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._pii = Sealer(db)

    def _open_payload(self, op_id: str, token: str | None) -> str:
        return unseal(self._pii.vault, "outbox", "payload", op_id, token) or "{}"

    def _item(self, row: Sequence[Any]) -> OutboxItem:
        values = list(row)
        values[5] = self._open_payload(str(row[1]), row[5])
        return OutboxItem(*values)

    # --- sync_state -------------------------------------------------------------------
    def state_get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def state_set(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM sync_state WHERE key = ?", [key])
            return
        self.db.execute(
            "INSERT INTO sync_state(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def state_delete_prefix(self, prefix: str) -> None:
        self.db.execute("DELETE FROM sync_state WHERE substr(key, 1, ?) = ?", [len(prefix), prefix])

    def state_all(self) -> dict[str, str]:
        rows = self.db.execute("SELECT key, value FROM sync_state").fetchall()
        return {str(k): str(v) for k, v in rows}

    # --- who and where ------------------------------------------------------------------
    def store_code(self, store_id: str) -> str:
        row = self.db.execute("SELECT code FROM stores WHERE id = ?", [store_id]).fetchone()
        return "" if row is None else str(row[0])

    def operator_login(self, operator_id: str) -> str:
        row = self.db.execute("SELECT login FROM operators WHERE id = ?", [operator_id]).fetchone()
        return "" if row is None else str(row[0])

    def store_codes(self, limit: int) -> list[str]:
        rows = self.db.execute("SELECT code FROM stores ORDER BY code LIMIT ?", [limit])
        return [str(r[0]) for r in rows.fetchall()]

    def rename_store(self, old_code: str, new_code: str) -> None:
        self.db.execute("UPDATE stores SET code = ? WHERE code = ?", [new_code, old_code])

    def set_store_details(self, code: str, name: str, city: str) -> None:
        """Name and city as head office knows them (empty values leave ours)."""
        self.db.execute(
            "UPDATE stores SET name = CASE WHEN ? = '' THEN name ELSE ? END, "
            "city = CASE WHEN ? = '' THEN city ELSE ? END WHERE code = ?",
            [name, name, city, city, code],
        )

    # --- outbox: writing ----------------------------------------------------------------
    def insert_outbox(
        self,
        op_id: str,
        application_id: str,
        op: str,
        base_rev: int,
        payload: str,
        payload_sha256: str,
        created_at: str,
    ) -> None:
        self.db.execute(
            "INSERT INTO outbox(op_id, application_id, op, base_rev, payload, payload_sha256, "
            "state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
            [
                op_id,
                application_id,
                op,
                base_rev,
                seal(self._pii.for_write(), "outbox", "payload", op_id, payload),
                payload_sha256,
                created_at,
            ],  # fmt: skip
        )

    def mark_acked(self, op_ids: Sequence[str], at: str, http_status: int) -> None:
        """Acked; the payload dropped too if the application is decided already."""
        self.db.conn.executemany(
            "UPDATE outbox SET state = 'acked', acked_at = ?, attempts = attempts + 1, "
            f"last_http_status = ?, last_error = NULL, next_attempt_at = NULL, {_DROP_IF_DECIDED} "
            "WHERE op_id = ? AND state = 'pending'",
            [(at, http_status, op_id) for op_id in op_ids],
        )

    def mark_rejected(self, op_id: str, http_status: int | None, error: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, "
            "last_http_status = ?, last_error = ?, next_attempt_at = NULL "
            "WHERE op_id = ? AND state = 'pending'",
            [http_status, _json(error), op_id],
        )

    def mark_retry(
        self,
        op_ids: Sequence[str],
        next_attempt_at: float,
        http_status: int | None,
        error: dict[str, Any],
    ) -> None:
        """Still pending, tried again no earlier than ``next_attempt_at``."""
        text = _json(error)
        self.db.conn.executemany(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, "
            "last_http_status = ?, last_error = ? WHERE op_id = ? AND state = 'pending'",
            [(next_attempt_at, http_status, text, op_id) for op_id in op_ids],
        )

    def record_solo_failure(
        self,
        op_id: str,
        at: str,
        next_attempt_at: float,
        http_status: int | None,
        error: dict[str, Any],
    ) -> tuple[int, str]:
        """Count a failure of the item sent alone; returns (failures, first failure)."""
        self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, solo_failures = solo_failures + 1, "
            "first_failed_at = COALESCE(first_failed_at, ?), next_attempt_at = ?, "
            "last_http_status = ?, last_error = ? WHERE op_id = ? AND state = 'pending'",
            [at, next_attempt_at, http_status, _json(error), op_id],
        )
        row = self.db.execute(
            "SELECT solo_failures, first_failed_at FROM outbox WHERE op_id = ?", [op_id]
        ).fetchone()
        if row is None or row[1] is None:  # withdrawn meanwhile (cancelled): nothing to count
            return 0, at
        return int(row[0]), str(row[1])

    def drop_unsent(self, application_id: str) -> int:
        """Withdraw an application's uploads that have not gone (pending, or quarantined
        and so still requeueable): the cancel does it. Acked rows are history and stay;
        rejected ones were never taken and will not be sent again. An engine holding one
        of these rows in flight finds nothing to mark by its op id."""
        cur = self.db.execute(
            "DELETE FROM outbox WHERE application_id = ? AND state IN ('pending', 'quarantined')",
            [application_id],
        )
        return cur.rowcount

    def mark_quarantined(self, op_id: str) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'quarantined', next_attempt_at = NULL WHERE op_id = ?",
            [op_id],
        )

    def requeue(self, op_id: str) -> bool:
        """A quarantined item back to pending, with its failure count cleared."""
        cur = self.db.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = NULL, solo_failures = 0, "
            "first_failed_at = NULL WHERE op_id = ? AND state = 'quarantined'",
            [op_id],
        )
        return cur.rowcount > 0

    def pending_payloads(self, after_rowid: int, limit: int) -> list[tuple[int, str, str]]:
        rows = self.db.execute(
            "SELECT rowid, op_id, payload FROM outbox WHERE state = 'pending' AND rowid > ? "
            "ORDER BY rowid LIMIT ?",
            [after_rowid, limit],
        ).fetchall()
        return [(int(r[0]), str(r[1]), self._open_payload(str(r[1]), r[2])) for r in rows]

    def reseal(self, op_id: str, new_op_id: str, payload: str, payload_sha256: str) -> None:
        """New content for a pending row, under a new op id (sealed for that id), its
        history cleared."""
        payload = seal(self._pii.for_write(), "outbox", "payload", new_op_id, payload)
        self.db.execute(
            "UPDATE outbox SET op_id = ?, payload = ?, payload_sha256 = ?, attempts = 0, "
            "solo_failures = 0, first_failed_at = NULL, next_attempt_at = NULL, "
            "last_error = NULL, last_http_status = NULL WHERE op_id = ? AND state = 'pending'",
            [new_op_id, payload, payload_sha256, op_id],
        )

    def repend_undecided(self) -> int:
        """After a server restore: every acked create whose application has no
        decision yet is pending again (the server's dedupe absorbs what it still has)."""
        cur = self.db.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = NULL, acked_at = NULL "
            "WHERE state = 'acked' AND NOT EXISTS "
            "(SELECT 1 FROM decisions d WHERE d.application_id = outbox.application_id)"
        )
        return cur.rowcount

    def ack_pending_for(self, application_id: str, at: str) -> int:
        """The server decided it, so it has it: settle the application's pending rows
        (their payloads dropped once the decision is stored)."""
        cur = self.db.execute(
            f"UPDATE outbox SET state = 'acked', acked_at = ?, next_attempt_at = NULL, "
            f"{_DROP_IF_DECIDED} WHERE application_id = ? AND state = 'pending'",
            [at, application_id],
        )
        return cur.rowcount

    # --- outbox: reading ----------------------------------------------------------------
    def due_page(
        self, after_rowid: int, now: float, horizon: float, limit: int
    ) -> list[OutboxItem]:
        """Pending rows queued after ``after_rowid`` that are due at wall time ``now``.

        A row scheduled beyond ``now + horizon`` (longer than any wait the engine sets)
        was scheduled by a clock that has since been wound back: it is due too, so a PC
        clock set back a year never stalls the queue.
        """
        rows = self.db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox "
            "WHERE state = 'pending' AND rowid > ? AND (next_attempt_at IS NULL "
            "OR next_attempt_at <= ? OR next_attempt_at > ?) ORDER BY rowid LIMIT ?",
            [after_rowid, now, now + horizon, limit],
        ).fetchall()
        return [self._item(r) for r in rows]

    def next_due_at(self) -> float | None:
        row = self.db.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'"
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def count_state(self, state: str) -> int:
        return int(
            self.db.execute("SELECT count(*) FROM outbox WHERE state = ?", [state]).fetchone()[0]
        )

    def items(self, state: str, offset: int = 0, limit: int = 1000) -> list[OutboxItem]:
        rows = self.db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = ? ORDER BY rowid LIMIT ? OFFSET ?",
            [state, limit, offset],
        ).fetchall()
        return [self._item(r) for r in rows]

    def item(self, op_id: str) -> OutboxItem | None:
        row = self.db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE op_id = ?", [op_id]
        ).fetchone()
        return None if row is None else self._item(row)

    def application_operator_login(self, app_id: str) -> str:
        row = self.db.execute(
            "SELECT o.login FROM applications a JOIN operators o ON o.id = a.operator_id "
            "WHERE a.id = ?",
            [app_id],
        ).fetchone()
        return "" if row is None else str(row[0])

    def unqueued_applications(self, limit: int) -> list[str]:
        """Applications saved before sync existed: pre-screened, never queued."""
        rows = self.db.execute(
            "SELECT id FROM applications a WHERE status = 'prescreened' AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.application_id = a.id) ORDER BY created_at LIMIT ?",
            [limit],
        ).fetchall()
        return [str(r[0]) for r in rows]

    # --- applications --------------------------------------------------------------------
    def statuses(self, app_ids: Iterable[str]) -> dict[str, str]:
        ids = list(app_ids)
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.execute(
                f"SELECT id, status FROM applications WHERE id IN ({marks})", chunk
            ).fetchall()
            found.update((str(i), str(s)) for i, s in rows)
        return found

    # --- decisions ------------------------------------------------------------------------
    def upsert_decision(self, d: DecisionRecord) -> None:
        self.db.execute(
            "INSERT INTO decisions(application_id, decision, approved_amount_fen, score, "
            "reasons, decided_at, seq, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(application_id) DO UPDATE SET decision = excluded.decision, "
            "approved_amount_fen = excluded.approved_amount_fen, score = excluded.score, "
            "reasons = excluded.reasons, decided_at = excluded.decided_at, seq = excluded.seq, "
            "received_at = excluded.received_at",
            [
                d.application_id, d.decision, d.approved_amount_fen, d.score,
                _json(list(d.reasons)), d.decided_at, d.seq, d.received_at,
            ],
        )  # fmt: skip
        self.drop_decided_payloads(d.application_id)

    def drop_decided_payloads(self, application_id: str | None = None) -> int:
        """Blank the payloads of acked rows whose application has a decision (one
        application's, or every one: migration 0010); returns how many."""
        where = "" if application_id is None else "AND application_id = ? "
        cur = self.db.execute(
            "UPDATE outbox SET payload = '' WHERE state = 'acked' AND payload != '' "
            f"{where}AND EXISTS (SELECT 1 FROM decisions d "
            "WHERE d.application_id = outbox.application_id)",
            [] if application_id is None else [application_id],
        )
        return cur.rowcount

    def decision(self, app_id: str) -> DecisionRecord | None:
        row = self.db.execute(
            "SELECT application_id, decision, approved_amount_fen, score, reasons, decided_at, "
            "seq, received_at FROM decisions WHERE application_id = ?",
            [app_id],
        ).fetchone()
        if row is None:
            return None
        try:
            reasons = tuple(str(r) for r in json.loads(row[4]))
        except (ValueError, TypeError):
            reasons = ()
        return DecisionRecord(row[0], row[1], row[2], row[3], reasons, row[5], row[6], row[7])

    # --- catalog and blacklist --------------------------------------------------------------
    def delete_catalog(self, skus: Sequence[str]) -> None:
        self.db.conn.executemany("DELETE FROM catalog WHERE sku = ?", [(s,) for s in skus])

    def iter_digests(self, kind: str) -> Iterator[str]:
        """The digests of one kind in sorted order, streamed (see BlacklistRepo)."""
        return BlacklistRepo(self.db).iter_digests(kind)

    def clear_digests(self, kind: str) -> int:
        return BlacklistRepo(self.db).clear_kind(kind)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
