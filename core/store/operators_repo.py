"""Operator accounts and the persisted login throttle: the only place that knows the
columns of ``operators`` and ``login_failures``.

Migration 0007 gives operators a password hash (NULL = cannot log in), a flag for the
built-in ``system`` account (the CLI and background work act as it; it never logs in)
and the time the password was last set. ``login_failures`` keeps the failed-login
count per login so that restarting the app does not reset the growing delay; the login
is stored only as a keyed hash (someone may type a password into the name field).

Migration 0011 seals the password hashes: ``password_hash`` holds an AES-GCM token under
the install's data key (context ``operators.password_hash:<id>``), never the scrypt text,
so a copy of the file alone gives no hash to guess PINs against offline, and a hash
copied to another row, or a plain hash written in by hand, never opens.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from core.security.crypto import DecryptError
from core.store.vault import has_vault, vault_of

SYSTEM_LOGIN = "system"
#: how a hash starts in the clear (core.security.passwords); a sealed one never does
PLAIN_HASH_PREFIX = "scrypt$"

log = logging.getLogger("loandesk.store")


def normalize_login(login: str) -> str:
    """The one login rule of every account: full-width letters from a Chinese IME equal
    ASCII ones, surrounding spaces go, case does not matter. Every login written to or
    looked up in ``operators`` passes through it here."""
    return unicodedata.normalize("NFKC", login).strip().lower()


@dataclass(frozen=True)
class OperatorRecord:
    """One operator as the services see it (never the password hash)."""

    id: str
    store_id: str
    login: str
    display_name: str
    role: str
    active: bool
    is_system: bool
    has_password: bool
    created_at: str


_COLUMNS = (
    "id, store_id, login, display_name, role, active, is_system, "
    "password_hash IS NOT NULL AS has_password, created_at"
)


def _record(row: Any) -> OperatorRecord:
    return OperatorRecord(
        id=str(row[0]),
        store_id=str(row[1]),
        login=str(row[2]),
        display_name=str(row[3]),
        role=str(row[4]),
        active=bool(row[5]),
        is_system=bool(row[6]),
        has_password=bool(row[7]),
        created_at=str(row[8]),
    )


class OperatorsRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # --- reads -----------------------------------------------------------------------
    def by_id(self, operator_id: str) -> OperatorRecord | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM operators WHERE id = ?", [operator_id]
        ).fetchone()
        return None if row is None else _record(row)

    def by_login(self, login: str) -> OperatorRecord | None:
        """The account ``login`` names (normalized: :func:`normalize_login`)."""
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM operators WHERE login = ?", [normalize_login(login)]
        ).fetchone()
        return None if row is None else _record(row)

    def all(self) -> list[OperatorRecord]:
        """Every account people use (the system account is left out), by login."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM operators WHERE is_system = 0 ORDER BY login"
        ).fetchall()
        return [_record(r) for r in rows]

    def password_hash(self, operator_id: str) -> str | None:
        """The scrypt hash, opened with the data key; None when there is none, or when the
        stored value is not a token this install sealed for this row (a plain hash written
        in by hand, one copied from another row): that account cannot sign in."""
        row = self.db.execute(
            "SELECT password_hash FROM operators WHERE id = ?", [operator_id]
        ).fetchone()
        if row is None or row[0] is None:
            return None
        stored = str(row[0])
        if not has_vault(self.db):  # a tool's connection without keys (never the app)
            return stored
        try:
            return vault_of(self.db).open("operators", "password_hash", operator_id, stored)
        except DecryptError:
            log.error("operator %s: the stored password hash is not sealed for it; "
                      "refused", operator_id)  # fmt: skip
            return None

    def system(self) -> OperatorRecord | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM operators WHERE is_system = 1 ORDER BY created_at LIMIT 1"
        ).fetchone()
        return None if row is None else _record(row)

    def active_admins_with_password(self, excluding: str | None = None) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM operators WHERE role = 'admin' AND active = 1 "
            "AND is_system = 0 AND password_hash IS NOT NULL AND id IS NOT ?",
            [excluding],
        ).fetchone()
        return int(row[0])

    # --- writes ----------------------------------------------------------------------
    def insert(
        self,
        op_id: str,
        store_id: str,
        login: str,
        display_name: str,
        role: str,
        at: str,
        *,
        password_hash: str | None = None,
        is_system: bool = False,
    ) -> None:
        """A new account; ``login`` is stored normalized (:func:`normalize_login`)."""
        self.db.execute(
            "INSERT INTO operators(id, store_id, login, display_name, role, active, created_at, "
            "password_hash, is_system, password_set_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
            [
                op_id,
                store_id,
                normalize_login(login),
                display_name,
                role,
                at,
                None if password_hash is None else self._seal(op_id, password_hash),
                int(is_system),
                at if password_hash else None,
            ],
        )

    def set_password_hash(self, operator_id: str, password_hash: str, at: str) -> None:
        self.db.execute(
            "UPDATE operators SET password_hash = ?, password_set_at = ? WHERE id = ?",
            [self._seal(operator_id, password_hash), at, operator_id],
        )

    def _seal(self, operator_id: str, password_hash: str) -> str:
        """The hash as stored: sealed whenever the connection has the keys (the app's
        always does; VaultMissing is not raised so a keyless tool keeps working)."""
        if not has_vault(self.db):
            return password_hash
        return vault_of(self.db).seal("operators", "password_hash", operator_id, password_hash)

    def seal_plain_hashes(self) -> int:
        """Migration 0011: seal every hash still stored in the clear; returns how many.
        Needs the keys when there is any (VaultMissing otherwise)."""
        rows = self.db.execute(
            "SELECT id, password_hash FROM operators WHERE substr(password_hash, 1, ?) = ?",
            [len(PLAIN_HASH_PREFIX), PLAIN_HASH_PREFIX],
        ).fetchall()
        if not rows:
            return 0
        vault = vault_of(self.db)
        for op_id, plain in rows:
            self.db.execute(
                "UPDATE operators SET password_hash = ? WHERE id = ?",
                [vault.seal("operators", "password_hash", str(op_id), str(plain)), op_id],
            )
        return len(rows)

    def set_active(self, operator_id: str, active: bool) -> None:
        self.db.execute("UPDATE operators SET active = ? WHERE id = ?", [int(active), operator_id])

    # --- the login throttle ------------------------------------------------------------
    def login_key(self, normalized_login: str) -> str:
        """What ``login_failures`` is keyed by: a keyed hash when the connection has the
        data keys (always, in the app), else a plain SHA-256."""
        if has_vault(self.db):
            return vault_of(self.db).lookup("operator_login", normalized_login)
        return hashlib.sha256(normalized_login.encode("utf-8")).hexdigest()

    def failures(self, login_key: str) -> tuple[int, str] | None:
        row = self.db.execute(
            "SELECT failures, last_failure FROM login_failures WHERE login_key = ?", [login_key]
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def set_failures(self, login_key: str, failures: int, last_failure: str) -> None:
        self.db.execute(
            "INSERT INTO login_failures(login_key, failures, last_failure) VALUES (?, ?, ?) "
            "ON CONFLICT(login_key) DO UPDATE SET failures = excluded.failures, "
            "last_failure = excluded.last_failure",
            [login_key, failures, last_failure],
        )

    def clear_failures(self, login_key: str) -> None:
        self.db.execute("DELETE FROM login_failures WHERE login_key = ?", [login_key])

    def forget_failures_before(self, before: str) -> None:
        """Drop entries quiet since ``before`` (the throttle forgives them anyway)."""
        self.db.execute("DELETE FROM login_failures WHERE last_failure < ?", [before])
