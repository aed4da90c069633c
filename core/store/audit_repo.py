"""The hash-chained audit log: appending rows, reading history, verifying the chain.

Each row's ``hash`` is :func:`core.security.audit_chain.row_hash` of the previous row's
hash and the row itself (every column except ``hash``/``prev_hash``, values as SQLite
returns them), an HMAC under the install's chain key (:attr:`Vault.chain_key`), so whoever
can edit the database file but not read the OS keyring cannot re-make a hash.

Appending is safe with two writers (the GUI and the sync thread each have a connection).
Reading the last row before writing would, under WAL with deferred transactions, fail with
SQLITE_BUSY_SNAPSHOT (at once, not after waiting for the lock) if the other one wrote
meanwhile. So when the caller's transaction has not written yet, the row is INSERTed
first, which takes SQLite's write lock and gives ``seq`` from AUTOINCREMENT, and only then
is its predecessor read and the row's hash set. When it already has (a save writes the
application first), the lock is held: the last row's hash and the next ``seq`` are read,
the hash computed, and the row written once. Both ways store the same columns.

Triggers (migration 0006, in core/store/migrations.py) refuse UPDATE and DELETE of a
chained row, so no code path rewrites history by mistake; someone editing the file can
drop them, which is what the chain is for.
Note for later migrations: the hash covers every column, so adding a column to
``audit_log`` changes the hashed content of old rows (it needs a re-chaining step).
"""

from __future__ import annotations

import hmac
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from core.models import StatusEvent
from core.security.audit_chain import GENESIS, ChainReport, row_hash, verify_chain
from core.store.vault import vault_of

_HEX64_LEN = 64


def _hash_or_empty(prev_hash: str, row: dict[str, Any], key: bytes) -> str:
    try:
        return row_hash(prev_hash, row, key=key)
    except (TypeError, ValueError):
        return ""


#: the hashed columns of ``audit_log`` after ``seq``, in table order (a test compares
#: them with the table: a new column must be added here and re-chained)
AUDIT_COLUMNS = (
    "at",
    "operator_id",
    "action",
    "target_type",
    "target_id",
    "from_status",
    "to_status",
    "detail",
)


_TAIL = "_loandesk_audit_tail"  # on the connection: (write epoch, seq, hash) of its last append


def _write_epoch(conn: sqlite3.Connection) -> int | None:
    """The connection's write epoch (core.store.connection): None when its transaction
    has not written yet, or on a connection that does not keep one."""
    epoch = getattr(conn, "write_epoch", None)
    return epoch() if epoch is not None else None


def _remember_tail(conn: sqlite3.Connection, seq: int, digest: str) -> None:
    """The row just appended is the log's last until this transaction ends or rolls
    back to a savepoint (it holds the write lock): the next append in it chains to it
    without reading it back."""
    epoch = _write_epoch(conn)
    if epoch is not None:
        setattr(conn, _TAIL, (epoch, seq, digest))


def _usable_prev(prev: object) -> str:
    """The predecessor's hash to chain to; a damaged one (verify reports it) gives
    GENESIS, so saving goes on."""
    return prev if isinstance(prev, str) and len(prev) == _HEX64_LEN else GENESIS


def _chained_hash(prev_hash: str, row: dict[str, Any], key: bytes) -> str:
    try:
        return row_hash(prev_hash, row, key=key)
    except ValueError:
        return row_hash(GENESIS, row, key=key)


def _columns(cursor: sqlite3.Cursor) -> list[str]:
    return [d[0] for d in cursor.description]


class AuditRepo:
    """The audit log of one database.

    ``key`` is the chain key; by default the vault of the connection's (so a connection
    opened without data keys raises :class:`core.store.vault.VaultMissing` on append).
    ``main.py check`` passes the key it read from the keyring itself.
    """

    def __init__(self, db: sqlite_utils.Database, key: bytes | None = None) -> None:
        self.db = db
        self._key = key

    @property
    def key(self) -> bytes:
        return self._key if self._key is not None else vault_of(self.db).chain_key

    # --- writing ----------------------------------------------------------------------
    def append(
        self,
        at: str,
        operator_id: str | None,
        action: str,
        target_type: str,
        target_id: str,
        from_status: str | None = None,
        to_status: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Add one chained row inside the caller's transaction (or its own); its seq.

        ``detail`` holds ids, codes and amounts only - never personal data.
        """
        if not self.db.conn.in_transaction:
            with self.db.atomic():
                return self.append(
                    at, operator_id, action, target_type, target_id, from_status, to_status,
                    detail,
                )  # fmt: skip
        key = self.key  # before writing: a connection without keys must change nothing
        values = [
            at,
            operator_id,
            action,
            target_type,
            target_id,
            from_status,
            to_status,
            json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
        ]
        epoch = _write_epoch(self.db.conn)
        if epoch is not None and all(v is None or isinstance(v, str) for v in values):
            return self._append_chained(values, key, epoch)
        cursor = self.db.execute(
            "INSERT INTO audit_log(at, operator_id, action, target_type, target_id, from_status, "
            "to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
        seq = cursor.lastrowid
        assert seq is not None
        # the write lock is ours now: the predecessor read here cannot change under us
        prev = self.db.execute(
            "SELECT hash FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT 1", [seq]
        ).fetchone()
        prev_hash = _usable_prev(prev[0] if prev is not None else None)
        row_cursor = self.db.execute("SELECT * FROM audit_log WHERE seq = ?", [seq])
        row = dict(zip(_columns(row_cursor), row_cursor.fetchone(), strict=True))
        digest = _chained_hash(prev_hash, row, key)
        self.db.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", [prev_hash, digest, seq]
        )
        _remember_tail(self.db.conn, int(seq), digest)
        return int(seq)

    def _append_chained(self, values: list[str | None], key: bytes, epoch: int) -> int:
        """The row written once, its hash computed first: only when this transaction
        already holds the write lock (it has changed a row), so the last row and the next
        seq read here (or remembered from this transaction's previous append) are still
        the last and the next when the INSERT runs. Text values
        only: they come back from SQLite as given, so the hash is the one
        :meth:`append`'s read-back path computes (and ``verify`` recomputes)."""
        tail = getattr(self.db.conn, _TAIL, None)
        if tail is not None and tail[0] == epoch:  # this transaction's own last row
            seq, prev_hash = int(tail[1]) + 1, str(tail[2])
        else:
            last = self.db.execute(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0), "
                "(SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), "
                "(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)"
            ).fetchone()
            seq = max(int(last[0]), int(last[1] or 0)) + 1  # what AUTOINCREMENT would give
            prev_hash = _usable_prev(last[2] if last[1] is not None else None)
        row: dict[str, Any] = {"seq": seq, **dict(zip(AUDIT_COLUMNS, values, strict=True))}
        digest = _chained_hash(prev_hash, row, key)
        self.db.execute(
            "INSERT INTO audit_log(seq, at, operator_id, action, target_type, target_id, "
            "from_status, to_status, detail, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, *values, prev_hash, digest],
        )
        _remember_tail(self.db.conn, seq, digest)
        return seq

    # --- reading ----------------------------------------------------------------------
    def history(self, target_id: str) -> list[StatusEvent]:
        rows = self.db.execute(
            "SELECT l.seq, l.at, COALESCE(o.display_name, ''), l.action, l.from_status, "
            "l.to_status, l.detail FROM audit_log l LEFT JOIN operators o ON o.id = l.operator_id "
            "WHERE l.target_id = ? ORDER BY l.seq",
            [target_id],
        ).fetchall()
        return [StatusEvent(*r) for r in rows]

    def rows(self, from_seq: int = 0) -> Iterator[dict[str, Any]]:
        """Rows with ``seq >= from_seq`` as SQLite returns them, in storage order."""
        cursor = self.db.execute(
            "SELECT * FROM audit_log WHERE rowid >= ? ORDER BY rowid", [from_seq]
        )
        names = _columns(cursor)
        for values in cursor:
            yield dict(zip(names, values, strict=True))

    def is_chained(self) -> bool:
        """Has migration 0006 run on this file (``check`` opens without migrating)?"""
        return "hash" in {c.name for c in self.db["audit_log"].columns}

    def verify(self, checkpoint: tuple[int, str] | None = None) -> ChainReport:
        """The whole chain, and that it reaches ``checkpoint`` (seq, hash) if given."""
        return verify_chain(self.rows(), self.key, checkpoint=checkpoint)

    def verify_since(self, trusted: tuple[int, str]) -> ChainReport:
        """Only the rows after a trusted ``(seq, hash)``, whose own row must still be there
        unchanged (cheap: what :mod:`core.audit.checkpoint` runs before moving the
        checkpoint forward; the rows before it are for :meth:`verify`)."""
        seq, digest = trusted
        if seq == 0:
            return verify_chain(self.rows(), self.key)
        rows = self.rows(seq)
        first = next(rows, None)
        if first is None:
            return ChainReport(False, 0, seq, "truncated", seq - 1, GENESIS)
        if first.get("seq") != seq:
            return ChainReport(False, 0, seq, "deleted", seq - 1, GENESIS)
        prev = first.get("prev_hash")
        if (
            first.get("hash") != digest
            or not isinstance(prev, str)
            or not hmac.compare_digest(_hash_or_empty(prev, first, self.key), digest)
        ):
            return ChainReport(False, 0, seq, "changed", seq - 1, GENESIS)
        return verify_chain(rows, self.key, after=trusted)


def chain_existing_rows(db: sqlite_utils.Database) -> int:
    """Migration 0006's data step: hash the rows already in ``audit_log`` in seq order,
    under the vault's chain key (VaultMissing without keys, when there are rows).
    Returns how many were chained."""
    if db.execute("SELECT 1 FROM audit_log LIMIT 1").fetchone() is None:
        return 0
    key = vault_of(db).chain_key
    prev = GENESIS
    updates: list[tuple[str, str, int]] = []
    for row in AuditRepo(db, key).rows():
        digest = row_hash(prev, row, key=key)
        updates.append((prev, digest, int(row["seq"])))
        prev = digest
    db.conn.executemany("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", updates)
    return len(updates)
