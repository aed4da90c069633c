"""Migration 0005's helpers: encrypt the personal data already stored, and leave no
plain copy. The migration itself is registered in core/store/migrations.py.

Schema (there): ``customers`` gets ``id_hash`` / ``phone_hash`` and ``applications`` gets
``name_hash`` (keyed hashes, indexed); the indexes over plain ID numbers, phones and
names go. Data: every personal column becomes an AES-GCM token bound to its row
(:mod:`core.store.pii`), ``delivery_key`` becomes the keyed hash of the address key,
outbox payloads and form drafts are sealed. A file that holds personal data but was
opened without the data keys is refused (:class:`PlainDataNeedsKeys`): it is never
left, or written, in plain text.

The copy ``migrate_database`` wrote before migrating is plain text, and so are the old
pages in the WAL and the free list: once 0005 has committed, :func:`finish_encryption`
checkpoints and vacuums the file and overwrites and removes that copy.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from core import i18n
from core.security.messages import SecurityError
from core.store.pii import mark_encrypted, name_key
from core.store.vault import Vault, has_vault, vault_of

log = logging.getLogger("loandesk.store.pii")

MIGRATION_NAME = "0005_encrypt_personal_data"
PAGE = 2000

i18n.register(
    {
        "SECURITY_PLAIN_DATA_NEEDS_KEYS": {
            "zh_CN": "数据库中有尚未加密的客户资料，但打开它时没有提供数据密钥，无法加密。"
            "程序不会以明文继续保存客户资料。请用 LoanDesk 程序本身（而不是其他工具）打开该"
            "数据文件夹，或联系 IT。",
            "en": "The database holds customer data that is not encrypted yet, but it was "
            "opened without the data keys, so it cannot be encrypted. LoanDesk will not keep "
            "customer data in plain text. Open this data folder with LoanDesk itself (not "
            "another tool), or contact IT.",
        },
    }
)


class PlainDataNeedsKeys(SecurityError):
    """Migration 0005 met personal data on a connection without a vault."""

    code = "SECURITY_PLAIN_DATA_NEEDS_KEYS"


_HOLDERS = ("customers", "applications", "outbox", "form_drafts")


def holds_personal_data(db: sqlite_utils.Database) -> bool:
    """Does any table that keeps personal data hold a row?"""
    return any(
        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None for table in _HOLDERS
    )


def refuse_plain_data_without_keys(db: sqlite_utils.Database) -> bool:
    """Whether the file holds personal data; :class:`PlainDataNeedsKeys` if it does and
    this connection has no data keys (it would be left, or written, in plain text)."""
    holds_data = holds_personal_data(db)
    if holds_data and not has_vault(db):
        raise PlainDataNeedsKeys()
    return holds_data


def encrypt_existing(db: sqlite_utils.Database) -> None:
    """0005's data step, after its schema step (core/store/migrations.py): every stored
    personal value sealed and keyed-hashed, in the migration's transaction (a failure
    leaves the file as it was)."""
    vault = vault_of(db)
    counts = {
        "customers": _each_page(
            db,
            "customers",
            "id, id_number, name, phone, home_address",
            lambda rows: _customers(db, vault, rows),
        ),
        "applications": _each_page(
            db,
            "applications",
            "id, customer_name, delivery_address, delivery_key",
            lambda rows: _applications(db, vault, rows),
        ),
        "outbox": _each_page(db, "outbox", "op_id, payload", lambda rows: _outbox(db, vault, rows)),
        "form_drafts": _each_page(
            db, "form_drafts", "operator_id, data", lambda rows: _drafts(db, vault, rows)
        ),
    }
    mark_encrypted(db)
    log.info("personal data encrypted: %s", counts)  # counts only, never values


def _each_page(
    db: sqlite_utils.Database,
    table: str,
    columns: str,
    handle: Callable[[list[tuple[Any, ...]]], None],
) -> int:
    """Feed ``handle`` the rows of ``table`` in rowid pages (bounded memory)."""
    after, done = -(2**63), 0
    while True:
        rows = db.execute(
            f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
            [after, PAGE],
        ).fetchall()
        if not rows:
            return done
        after = rows[-1][0]
        handle([tuple(r[1:]) for r in rows])
        done += len(rows)


def _s(vault: Vault, table: str, column: str, row_id: str, value: object) -> str:
    text = "" if value is None else str(value)
    return vault.seal(table, column, row_id, text) if text else ""


def _h(vault: Vault, kind: str, value: object) -> str:
    text = "" if value is None else str(value)
    return vault.lookup(kind, text) if text else ""


def _customers(db: sqlite_utils.Database, vault: Vault, rows: Sequence[tuple[Any, ...]]) -> None:
    db.conn.executemany(
        "UPDATE customers SET id_number = ?, name = ?, phone = ?, home_address = ?, "
        "id_hash = ?, phone_hash = ? WHERE id = ?",
        [
            (
                _s(vault, "customers", "id_number", cid, id_number),
                _s(vault, "customers", "name", cid, name),
                _s(vault, "customers", "phone", cid, phone),
                _s(vault, "customers", "home_address", cid, address),
                _h(vault, "id_number", id_number),
                _h(vault, "phone", phone),
                cid,
            )
            for cid, id_number, name, phone, address in rows
        ],
    )


def _applications(db: sqlite_utils.Database, vault: Vault, rows: Sequence[tuple[Any, ...]]) -> None:
    db.conn.executemany(
        "UPDATE applications SET customer_name = ?, name_hash = ?, delivery_address = ?, "
        "delivery_key = ? WHERE id = ?",
        [
            (
                _s(vault, "applications", "customer_name", app_id, name),
                _h(vault, "name", name_key(str(name or ""))),
                _s(vault, "applications", "delivery_address", app_id, address),
                _h(vault, "address", key),  # today's key is the plain address_key
                app_id,
            )
            for app_id, name, address, key in rows
        ],
    )


def _outbox(db: sqlite_utils.Database, vault: Vault, rows: Sequence[tuple[Any, ...]]) -> None:
    db.conn.executemany(
        "UPDATE outbox SET payload = ? WHERE op_id = ?",
        [
            # a payload blanked by retention ("{}") holds nothing: stored as '' (reads "{}")
            ("" if payload in ("", "{}") else _s(vault, "outbox", "payload", op_id, payload), op_id)
            for op_id, payload in rows
        ],
    )


def _drafts(db: sqlite_utils.Database, vault: Vault, rows: Sequence[tuple[Any, ...]]) -> None:
    db.conn.executemany(
        "UPDATE form_drafts SET data = ? WHERE operator_id = ?",
        [(_s(vault, "form_drafts", "data", op, data), op) for op, data in rows],
    )


# --- after the migration: no plain copy left ------------------------------------------------


def finish_encryption(db: sqlite_utils.Database, backup: Path | None) -> None:
    """Call once 0005 has committed on a file that already held data.

    Checkpoints the WAL into the file and truncates it, rebuilds the file (VACUUM: the
    pages that held plain text are gone, free list included), truncates the WAL again,
    and overwrites then deletes the plain-text pre-migration backup.
    """
    if db.conn.in_transaction:
        db.conn.commit()
    _checkpoint(db)
    db.execute("VACUUM")
    _checkpoint(db)
    if backup is not None:
        shred(backup)
        log.info("removed the pre-encryption backup %s (it held plain text)", backup.name)


def _checkpoint(db: sqlite_utils.Database) -> None:
    busy, _frames, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:  # another connection reads: the WAL is emptied when it is next checkpointed
        log.warning("WAL checkpoint after encryption was blocked by another connection")


def shred(path: Path) -> None:
    """Overwrite ``path`` with zeros, flush it to disk, then delete it (and its journal)."""
    for p in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        if not p.exists():
            continue
        size = p.stat().st_size
        with p.open("r+b") as f:
            chunk = b"\0" * 65536
            left = size
            while left > 0:
                n = min(left, len(chunk))
                f.write(chunk[:n])
                left -= n
            f.flush()
            os.fsync(f.fileno())
        p.unlink()
