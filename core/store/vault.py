"""The data keys of one database, carried by its connection.

Every connection the client opens on its database gets a :class:`Vault` (see
``open_database(..., unlock=keyring_unlock)``): the repositories seal personal data with
it before writing and open it after reading, and compute keyed lookup hashes for the
columns that are searched (ID number, phone, full name, delivery address). The keys come
from the OS keyring only (:mod:`core.security.keyring_store`); the database holds tokens and
hashes, never the keys.

The vault is attached to the ``sqlite_utils.Database`` object rather than passed to
each repository, because every repository, migration and background thread already
receives the database: whoever can read the rows can read them through the vault of
the same connection, and a connection opened without keys fails loudly
(:class:`VaultMissing`) instead of writing plain text.

Token contexts are ``"<table>.<column>:<row id>"``, so a token copied to another row or
column does not decrypt.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from core.security.audit_chain import chain_key
from core.security.crypto import FieldCipher
from core.security.keyring_store import DataKeys, load_or_create_keys
from core.security.messages import SecurityError

_ATTR = "_loandesk_vault"

#: meta keys: the id the keyring entry is named by, and whether personal data in this
#: file is encrypted (then keys must already exist: never start a fresh key silently)
META_INSTALL_ID = "install_id"
META_ENCRYPTED = "personal_data_encrypted"


class VaultMissing(SecurityError):
    """Code touched personal data on a connection opened without data keys (a bug)."""

    code = "SECURITY_VAULT_MISSING"

    def __init__(self) -> None:
        super().__init__()


class Vault:
    """Seal/open personal fields and compute lookup hashes with one install's keys."""

    def __init__(self, keys: DataKeys) -> None:
        self._cipher = FieldCipher(keys)
        self._chain_key = chain_key(keys)

    @property
    def key_id(self) -> str:
        return self._cipher.key_id

    @property
    def chain_key(self) -> bytes:
        """The HMAC key of the audit chain (derived, never the lookup key itself)."""
        return self._chain_key

    def seal(self, table: str, column: str, row_id: str, value: str) -> str:
        return self._cipher.encrypt(value, context=f"{table}.{column}:{row_id}")

    def open(self, table: str, column: str, row_id: str, token: str) -> str:
        """The plain value; raises :class:`core.security.DecryptError` for a token that was
        altered, moved to another row or column, or made with other keys."""
        return self._cipher.decrypt(token, context=f"{table}.{column}:{row_id}")

    def seal_file(self, name: str, data: bytes) -> bytes:
        """A file's bytes encrypted and bound to ``name`` (e.g. ``attachments/<sha256>``):
        the same file renamed does not decrypt."""
        return self._cipher.encrypt_bytes(data, context=f"file:{name}")

    def open_file(self, name: str, blob: bytes) -> bytes:
        """The plain bytes; :class:`core.security.DecryptError` when altered or moved."""
        return self._cipher.decrypt_bytes(blob, context=f"file:{name}")

    def lookup(self, kind: str, normalized_value: str) -> str:
        """Keyed hash for equality search; callers normalize first."""
        return self._cipher.lookup_hash(kind, normalized_value)


def attach(db: sqlite_utils.Database, vault: Vault) -> None:
    setattr(db, _ATTR, vault)


def vault_of(db: sqlite_utils.Database) -> Vault:
    """The vault of this connection, or :class:`VaultMissing`."""
    found: Any = getattr(db, _ATTR, None)
    if not isinstance(found, Vault):
        raise VaultMissing()
    return found


def has_vault(db: sqlite_utils.Database) -> bool:
    return isinstance(getattr(db, _ATTR, None), Vault)


def keyring_unlock(install_id: str, encrypted: bool) -> Vault:
    """The production unlock: keys from the OS keyring, created on a new install.

    ``encrypted`` says the file already holds encrypted data; then missing keys are an
    error (:class:`core.security.DataKeysMissing`), never a fresh key.
    """
    return Vault(load_or_create_keys(install_id, must_exist=encrypted))
