"""Where the audit checkpoint is kept: a file next to the database AND the OS keyring.

Both copies hold the same signed text: ``{"format", "version", "seq", "hash", "mac"}``,
``mac`` an HMAC-SHA256 under the chain key (which lives only in the OS keyring), so a
copy edited or made up without the keyring fails. The file is what IT sees next to the
database (``<database stem>-audit-checkpoint.json``); the keyring copy (service
``LoanDesk``, name ``audit-checkpoint:<install id>``) is the one that somebody who has
the files but not the Windows user's Credential Manager can neither delete nor replace
with an older copy of itself. Readers take the furthest valid copy (:attr:`Copies.best`).

The meta key :data:`META_CHECKPOINT_WRITTEN` records that a checkpoint was written for
this database, so that losing both copies (e.g. a keyring write had failed, then the
file was deleted) is not mistaken for a new install. :mod:`core.audit.checkpoint` decides when to
write; this module only reads and writes the copies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from core.errors import CoreError
from core.security.keyring_store import read_secret, write_secret
from core.security.messages import SecurityError
from core.store.meta_repo import MetaRepo, database_file
from core.store.vault import META_INSTALL_ID

CHECKPOINT_SUFFIX = "-audit-checkpoint.json"
FORMAT = "loandesk-audit-checkpoint"
VERSION = 1
#: meta key, '1' once a checkpoint was written for this database (never cleared by the app)
META_CHECKPOINT_WRITTEN = "audit_checkpoint_written"
_MAC_LABEL = b"loandesk/audit-checkpoint/v1\n"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str

    def as_tuple(self) -> tuple[int, str]:
        return self.seq, self.hash


class CheckpointInvalid(CoreError):
    """A copy exists but is not one this install wrote. ``detail`` is safe to log (no key
    material, no personal data)."""

    code = "AUDIT_CHECKPOINT_INVALID"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


def checkpoint_path(database: Path) -> Path:
    return database.with_name(database.stem + CHECKPOINT_SUFFIX)


def checkpoint_path_of(db: sqlite_utils.Database) -> Path | None:
    """The checkpoint next to this connection's database file; None for a memory db."""
    file = database_file(db)
    return None if file is None else checkpoint_path(file)


def keyring_name(install_id: str) -> str:
    """The keyring entry (under service ``LoanDesk``) of this install's checkpoint."""
    if not install_id or install_id != install_id.strip() or ":" in install_id:
        raise ValueError("install_id must be a non-empty id without spaces or ':'")
    return f"audit-checkpoint:{install_id}"


def install_id_of(db: sqlite_utils.Database) -> str | None:
    return MetaRepo(db).get(META_INSTALL_ID) or None


def ever_written(db: sqlite_utils.Database) -> bool:
    return MetaRepo(db).get(META_CHECKPOINT_WRITTEN) == "1"


def mark_written(db: sqlite_utils.Database) -> None:
    """Set :data:`META_CHECKPOINT_WRITTEN` (one write, the first time only)."""
    if not ever_written(db):
        MetaRepo(db).set(META_CHECKPOINT_WRITTEN, "1")


# --- the signed text --------------------------------------------------------------------


def _mac(key: bytes, body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, _MAC_LABEL + text, hashlib.sha256).hexdigest()


def encode(key: bytes, checkpoint: Checkpoint) -> str:
    body: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "seq": checkpoint.seq, "hash": checkpoint.hash,
    }  # fmt: skip
    return json.dumps({**body, "mac": _mac(key, body)}, sort_keys=True, indent=1) + "\n"


def decode(raw: bytes | str, key: bytes) -> Checkpoint:
    """The checkpoint in ``raw``, or :class:`CheckpointInvalid`."""
    try:
        data = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except ValueError:
        raise CheckpointInvalid("not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointInvalid("not a checkpoint file")
    if data.get("version") != VERSION:
        raise CheckpointInvalid(f"version {data.get('version')!r}")
    seq, digest, mac = data.get("seq"), data.get("hash"), data.get("mac")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CheckpointInvalid("bad seq")
    if not isinstance(digest, str) or not isinstance(mac, str):
        raise CheckpointInvalid("bad hash")
    body = {k: v for k, v in data.items() if k != "mac"}
    if not hmac.compare_digest(_mac(key, body), mac):
        raise CheckpointInvalid("HMAC does not match")
    return Checkpoint(seq, digest)


# --- the file ---------------------------------------------------------------------------


def read_checkpoint(path: Path, key: bytes) -> Checkpoint | None:
    """The checkpoint file at ``path``, None if there is none, :class:`CheckpointInvalid`
    if it cannot be read or its HMAC does not match."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CheckpointInvalid(f"unreadable: {type(exc).__name__}") from None
    return decode(raw, key)


def write_checkpoint(path: Path, key: bytes, checkpoint: Checkpoint) -> None:
    """Replace the file atomically; the new content is on disk before the rename."""
    text = encode(key, checkpoint)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --- the keyring ------------------------------------------------------------------------


def read_keyring_checkpoint(install_id: str, key: bytes) -> Checkpoint | None:
    """The keyring copy, None if there is none; :class:`CheckpointInvalid` if it is not
    one this install wrote, :class:`core.security.SecurityError` if the keyring fails."""
    stored = read_secret(keyring_name(install_id))
    return None if stored is None else decode(stored, key)


def write_keyring_checkpoint(install_id: str, key: bytes, checkpoint: Checkpoint) -> None:
    """Raises :class:`core.security.SecurityError` when the keyring refuses."""
    write_secret(keyring_name(install_id), encode(key, checkpoint))


# --- both -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Copies:
    """What was found of both copies. ``keyring_error`` is set (a safe description) when
    the keyring could not be read at all: then nothing is known about its copy."""

    file: Checkpoint | None = None
    keyring: Checkpoint | None = None
    file_problem: CheckpointInvalid | None = None
    keyring_problem: CheckpointInvalid | None = None
    keyring_error: str | None = None

    @property
    def best(self) -> Checkpoint | None:
        """The furthest valid copy (the keyring's on a tie: it is the harder to forge)."""
        found = [c for c in (self.keyring, self.file) if c is not None]
        return max(found, key=lambda c: c.seq) if found else None

    @property
    def invalid(self) -> bool:
        return self.file_problem is not None or self.keyring_problem is not None


def read_copies(path: Path, key: bytes, install_id: str | None) -> Copies:
    """Both copies; never raises for a damaged copy or an unreadable keyring."""
    file: Checkpoint | None = None
    file_problem: CheckpointInvalid | None = None
    try:
        file = read_checkpoint(path, key)
    except CheckpointInvalid as exc:
        file_problem = exc
    keyring: Checkpoint | None = None
    keyring_problem: CheckpointInvalid | None = None
    keyring_error: str | None = None
    if install_id is None:
        keyring_error = "no install id"
    else:
        try:
            keyring = read_keyring_checkpoint(install_id, key)
        except CheckpointInvalid as exc:
            keyring_problem = exc
        except (SecurityError, ValueError) as exc:
            keyring_error = type(exc).__name__
    return Copies(file, keyring, file_problem, keyring_problem, keyring_error)
