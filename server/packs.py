"""Published rule packs: the newest version is current; parsed packs are cached.

A pack is stored as the exact signed file bytes; its ETag is the quoted sha256 of
those bytes. Publishing verifies the signature with the trusted keys and refuses a
version that is not higher than the current one (stores refuse a rollback anyway).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.models import TermsPolicy
from core.prescreen.params import Params, parse_params, terms_policy
from core.rules import PackError, RulePack, TrustedKey, load_trusted_keys, parse_pack, sign_pack
from core.rules.pack import decode_pack_json
from core.rules.trusted_keys import load_private_key_file
from server.db import Database, utc_now


class PublishError(Exception):
    pass


@dataclass(frozen=True)
class StoredPack:
    version: int
    pack_id: str
    file_sha256: str
    body: bytes

    @property
    def etag(self) -> str:
        return f'"{self.file_sha256}"'


@dataclass(frozen=True)
class ActivePack:
    """The current pack, parsed, with what the server derives from it."""

    stored: StoredPack
    pack: RulePack
    policy: TermsPolicy
    params: Params


def insert_pack(conn: sqlite3.Connection, pack: RulePack) -> StoredPack:
    row = conn.execute("SELECT MAX(version) FROM rulepacks").fetchone()
    current = row[0] if row is not None else None
    if current is not None and pack.version <= current:
        raise PublishError(
            f"pack version {pack.version} is not higher than the published version {current}; "
            "raise manifest.version (stores refuse a rollback)"
        )
    stored = StoredPack(
        pack.version, pack.pack_id, hashlib.sha256(pack.raw).hexdigest(), bytes(pack.raw)
    )
    conn.execute(
        "INSERT INTO rulepacks (version, pack_id, file_sha256, body, published_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (stored.version, stored.pack_id, stored.file_sha256, stored.body, utc_now()),
    )
    return stored


def pack_version(conn: sqlite3.Connection, version: int) -> StoredPack | None:
    row = conn.execute(
        "SELECT version, pack_id, file_sha256, body FROM rulepacks WHERE version = ?", (version,)
    ).fetchone()
    if row is None:
        return None
    return StoredPack(int(row[0]), str(row[1]), str(row[2]), bytes(row[3]))


def current_pack(conn: sqlite3.Connection) -> StoredPack | None:
    row = conn.execute(
        "SELECT version, pack_id, file_sha256, body FROM rulepacks ORDER BY version DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return StoredPack(int(row[0]), str(row[1]), str(row[2]), bytes(row[3]))


def publish_pack_file(
    db: Database,
    path: Path,
    *,
    sign_key: Path | None = None,
    keys: Mapping[str, TrustedKey] | None = None,
) -> StoredPack:
    """Publish ``path`` (signed; or unsigned plus ``sign_key``). Raises PublishError."""
    keys = keys if keys is not None else load_trusted_keys()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PublishError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        if sign_key is not None:
            data = sign_pack(decode_pack_json(data), load_private_key_file(sign_key))
        pack = parse_pack(data, keys)
    except PackError as exc:
        raise PublishError(f"{path}: {exc.code}: {exc.detail}") from None
    except ValueError as exc:
        raise PublishError(str(exc)) from None
    with db.write() as conn:
        return insert_pack(conn, pack)


class PackCache:
    """The current pack of the database, and any published version a store names,
    each parsed once."""

    MAX_VERSIONS = 16  # parsed older versions kept (stores offline with an older pack)

    def __init__(self, db: Database, keys: Mapping[str, TrustedKey] | None = None) -> None:
        self._db = db
        self._keys = keys
        self._lock = threading.Lock()
        self._active: ActivePack | None = None
        self._versions: dict[int, ActivePack] = {}

    def stored(self) -> StoredPack | None:
        with self._db.read() as conn:
            return current_pack(conn)

    def active(self, stored: StoredPack | None = None) -> ActivePack | None:
        stored = stored if stored is not None else self.stored()
        if stored is None:
            return None
        with self._lock:
            found = self._active
            if found is not None and found.stored.file_sha256 == stored.file_sha256:
                return found
            self._active = self._parse(stored)
            return self._active

    def version(self, version: int) -> ActivePack | None:
        """Published ``version``, parsed; None if it was never published."""
        with self._lock:
            found = self._versions.get(version)
            if found is not None:
                return found
        with self._db.read() as conn:
            stored = pack_version(conn, version)
        if stored is None:
            return None
        with self._lock:
            parsed = self._parse(stored)
            if len(self._versions) >= self.MAX_VERSIONS:
                self._versions.pop(next(iter(self._versions)))
            self._versions[version] = parsed
            return parsed

    def _parse(self, stored: StoredPack) -> ActivePack:
        if self._keys is None:
            self._keys = load_trusted_keys()
        pack = parse_pack(stored.body, self._keys)
        params = parse_params(pack.parameters)
        return ActivePack(stored, pack, terms_policy(params, TermsPolicy()), params)
