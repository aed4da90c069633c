"""Pinned issuer keys (public, shipped in resources/keys) and issuer key files.

``trusted_keys.json`` holds at most two Ed25519 public keys at once, so the central
team can rotate: ship a build trusting old + new, start signing with new, then drop
old in a later build. Format::

    {"keys": [{"key_id": "demo-2026", "algorithm": "ed25519",
               "public_key": "<base64 of the 32 raw bytes>"}]}
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from core.config import resources_dir
from core.rules.errors import PackError

MAX_TRUSTED_KEYS = 2


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    public_key: Ed25519PublicKey


def default_trusted_keys_path() -> Path:
    return resources_dir() / "keys" / "trusted_keys.json"


def public_key_b64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def trusted_key_entry(key_id: str, key: Ed25519PublicKey) -> dict[str, str]:
    """The JSON object for ``trusted_keys.json`` describing ``key``."""
    return {"key_id": key_id, "algorithm": "ed25519", "public_key": public_key_b64(key)}


def trusted_key_from_entry(entry: Mapping[str, Any], where: str = "key") -> TrustedKey:
    def bad(msg: str) -> PackError:
        return PackError("PACK_TRUSTED_KEYS", f"{where}: {msg}")

    key_id = entry.get("key_id")
    if not isinstance(key_id, str) or not key_id.strip():
        raise bad("key_id: expected a non-empty string")
    if entry.get("algorithm", "ed25519") != "ed25519":
        raise bad(f"algorithm: only ed25519 is supported, got {entry.get('algorithm')!r}")
    b64 = entry.get("public_key")
    if not isinstance(b64, str):
        raise bad("public_key: expected a base64 string")
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise bad("public_key: not valid base64") from None
    if len(raw) != 32:
        raise bad(f"public_key: expected 32 bytes, got {len(raw)}")
    return TrustedKey(key_id, Ed25519PublicKey.from_public_bytes(raw))


def load_trusted_keys(path: Path | None = None) -> dict[str, TrustedKey]:
    """Read the pinned public keys; raises :class:`PackError` (``PACK_TRUSTED_KEYS``)
    if the file is missing or broken, since no pack can be trusted without it."""
    path = path or default_trusted_keys_path()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PackError("PACK_TRUSTED_KEYS", f"{path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise PackError("PACK_TRUSTED_KEYS", f"{path}: not valid JSON ({exc})") from None
    entries = doc.get("keys") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise PackError("PACK_TRUSTED_KEYS", f"{path}: keys: expected a non-empty list")
    if len(entries) > MAX_TRUSTED_KEYS:
        raise PackError(
            "PACK_TRUSTED_KEYS",
            f"{path}: keys: at most {MAX_TRUSTED_KEYS} keys at once (old + new for rotation)",
        )
    keys: dict[str, TrustedKey] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise PackError("PACK_TRUSTED_KEYS", f"{path}: keys[{i}]: expected an object")
        key = trusted_key_from_entry(entry, f"{path}: keys[{i}]")
        if key.key_id in keys:
            raise PackError("PACK_TRUSTED_KEYS", f"{path}: keys[{i}]: duplicate key_id")
        keys[key.key_id] = key
    return keys


# --- issuer private keys (signing tool and tests only; never needed by the app) ------


def new_private_key_file(path: Path) -> Ed25519PrivateKey:
    """Generate a key and write it as unencrypted PKCS#8 PEM with mode 0600.
    Refuses to overwrite an existing file (losing an issuer key is not undoable)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(path, 0o600)  # the umask may have narrowed it; never widen beyond 0600
    return key


def load_private_key_file(path: Path) -> Ed25519PrivateKey:
    """Raises ``ValueError`` with a one-line reason if the file is not an Ed25519 key."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 key")
    return key
