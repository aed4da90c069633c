"""How the repositories store personal data: sealed tokens and keyed lookup hashes.

Every personal value goes through here on its way into or out of the database, with
the vault of the connection (:func:`core.store.vault.vault_of`): no vault, no write.
An empty value stays empty (retention blanks purged fields; there is nothing to hide
in them and they must read back as ``''`` without decrypting anything).

Lookup kinds (``Vault.lookup``): ``id_number`` (normalized, upper-case X), ``phone``
(11 digits), ``name`` (:func:`name_key`), ``address`` (the plain
:func:`core.prescreen.normalize.address_key`).
"""

from __future__ import annotations

import unicodedata

import sqlite_utils

from core.store.vault import META_ENCRYPTED, Vault, vault_of

#: personal columns of ``customers`` (each a token bound to the customer id)
CUSTOMER_SEALED = ("id_number", "name", "phone", "home_address")
#: personal columns of ``applications`` (each a token bound to the application id)
APPLICATION_SEALED = ("customer_name", "delivery_address")


def name_key(name: str) -> str:
    """What the name search compares: NFKC, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", name).strip()


def seal(vault: Vault, table: str, column: str, row_id: str, value: str) -> str:
    return vault.seal(table, column, row_id, value) if value else ""


def unseal(vault: Vault, table: str, column: str, row_id: str, token: str | None) -> str:
    """The plain value of a stored token; ``''`` for a purged (empty) field."""
    return vault.open(table, column, row_id, token) if token else ""


def lookup(vault: Vault, kind: str, value: str) -> str:
    """The keyed hash of a normalized value; ``''`` for an empty one (never matches)."""
    return vault.lookup(kind, value) if value else ""


class Sealer:
    """The vault of one connection, plus the note in ``meta`` that the file now holds
    encrypted data (from then on, missing keys are an error at start)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    @property
    def vault(self) -> Vault:
        return vault_of(self._db)

    def for_write(self) -> Vault:
        """The vault, after noting in ``meta`` that the file is encrypted. Done in the
        caller's transaction on every write (a no-op once set), so the note commits with
        the first token and is never lost with a rolled-back one; skipped on a connection
        that has seen the note committed (:func:`note_committed`)."""
        vault = vault_of(self._db)
        if not getattr(self._db, _NOTED, False):
            mark_encrypted(self._db)
        return vault


_NOTED = "_loandesk_encrypted_noted"


def note_committed(db: sqlite_utils.Database) -> None:
    """The ``meta`` note that the file is encrypted is committed in this file (the
    caller has just committed it): the writes on this connection need not repeat it.
    The note is never removed (only the sealed data would go with the file)."""
    setattr(db, _NOTED, True)


def mark_encrypted(db: sqlite_utils.Database) -> None:
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?, '1') "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value != '1'",
        [META_ENCRYPTED],
    )
