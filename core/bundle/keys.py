"""The keys of offline sync bundles.

- **Head office's public keys** are pinned in ``resources/keys/head_office_keys.json``
  (shipped with the store build, like the rule-pack issuer keys)::

      {"keys": [{"key_id": "ho-…", "box_public": "<base64 X25519>",
                 "sign_public": "<base64 Ed25519>"}]}

  A store seals its bundles to the first entry; a return bundle signed by any listed
  key is accepted (so the central team can rotate). The key id is derived from the
  two public keys (:func:`head_office_key_id`), so it cannot disagree with them.
- **Head office's private keys** are PEM files in the server's key folder
  (``<data dir>/keys/head_office_box.pem`` and ``head_office_sign.pem``); without
  them the reference server uses the demo pair in ``resources/keys`` (demo only, like
  ``demo_issuer_private.pem``: never shipped to a store PC).
- **The PC's device key** (an Ed25519 signing key and an X25519 encryption key) is made
  on first use and kept only in the OS keyring, under ``device-key:<device id>``, through
  :mod:`core.security.keyring_store` (the same refusal of insecure backends as for the data keys).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from core.bundle.envelope import (
    EnvelopeError,
    b64,
    box_public,
    raw_public,
    sign_public,
    unb64,
)
from core.bundle.errors import BundleError
from core.config import resources_dir
from core.security.keyring_store import read_secret, write_secret

DEVICE_KEY_FORMAT = "loandesk-device-key"
PRIVATE_BOX_FILE = "head_office_box.pem"
PRIVATE_SIGN_FILE = "head_office_sign.pem"


def head_office_key_id(box: X25519PublicKey, sign: Ed25519PublicKey) -> str:
    return "ho-" + hashlib.sha256(raw_public(box) + raw_public(sign)).hexdigest()[:16]


@dataclass(frozen=True)
class HeadOfficeKey:
    key_id: str
    box: X25519PublicKey
    sign: Ed25519PublicKey


@dataclass(frozen=True)
class HeadOfficePrivate:
    key_id: str
    box: X25519PrivateKey = field(repr=False)
    sign: Ed25519PrivateKey = field(repr=False)


def head_office_keys_path() -> Path:
    return resources_dir() / "keys" / "head_office_keys.json"


def load_head_office_keys(path: Path | None = None) -> list[HeadOfficeKey]:
    """The pinned keys, first the one to seal to; BundleError BUNDLE_NO_HEAD_OFFICE_KEY."""
    source = path or head_office_keys_path()
    try:
        entries = json.loads(source.read_text(encoding="utf-8"))["keys"]
        found = []
        for entry in entries:
            box, sign = box_public(entry["box_public"]), sign_public(entry["sign_public"])
            key_id = head_office_key_id(box, sign)
            if entry.get("key_id", key_id) != key_id:
                raise ValueError("key id does not match the keys")
            found.append(HeadOfficeKey(key_id, box, sign))
    except (OSError, ValueError, KeyError, TypeError, EnvelopeError) as exc:
        raise BundleError("BUNDLE_NO_HEAD_OFFICE_KEY", detail=type(exc).__name__) from None
    if not found:
        raise BundleError("BUNDLE_NO_HEAD_OFFICE_KEY", detail="no keys")
    return found


def load_head_office_private(folder: Path | None) -> HeadOfficePrivate:
    """Head office's private pair from ``folder`` (the server's key folder), or the demo
    pair shipped in resources/keys when that folder has none."""
    places = [(folder, "")] if folder is not None else []
    for place, prefix in [*places, (resources_dir() / "keys", "demo_")]:
        box_file, sign_file = (
            place / (prefix + PRIVATE_BOX_FILE),
            place / (prefix + PRIVATE_SIGN_FILE),
        )
        if box_file.exists() and sign_file.exists():
            box = serialization.load_pem_private_key(box_file.read_bytes(), password=None)
            sign = serialization.load_pem_private_key(sign_file.read_bytes(), password=None)
            if not isinstance(box, X25519PrivateKey) or not isinstance(sign, Ed25519PrivateKey):
                raise ValueError(f"{place}: not an X25519 and an Ed25519 private key")
            key_id = head_office_key_id(box.public_key(), sign.public_key())
            return HeadOfficePrivate(key_id, box, sign)
    raise FileNotFoundError("no head-office bundle keys")


# --- the PC's device key ------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceKey:
    sign: Ed25519PrivateKey = field(repr=False)
    box: X25519PrivateKey = field(repr=False)

    @property
    def sign_public(self) -> str:
        return b64(raw_public(self.sign.public_key()))

    @property
    def box_public(self) -> str:
        return b64(raw_public(self.box.public_key()))


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _secret_name(device_id: str) -> str:
    return f"device-key:{device_id}"


def load_device_key(device_id: str) -> DeviceKey | None:
    """This PC's device key, or None when it has none yet (KeyringUnavailable passes)."""
    stored = read_secret(_secret_name(device_id))
    if stored is None:
        return None
    try:
        blob = json.loads(stored)
        if blob.get("format") != DEVICE_KEY_FORMAT or blob.get("version") != 1:
            raise ValueError("format")
        return DeviceKey(
            Ed25519PrivateKey.from_private_bytes(unb64(blob["sign"])),
            X25519PrivateKey.from_private_bytes(unb64(blob["box"])),
        )
    except (ValueError, KeyError, TypeError, EnvelopeError):
        raise BundleError("BUNDLE_DEVICE_KEY_DAMAGED") from None


def load_or_create_device_key(device_id: str) -> DeviceKey:
    found = load_device_key(device_id)
    if found is not None:
        return found
    key = DeviceKey(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
    blob = {
        "format": DEVICE_KEY_FORMAT,
        "version": 1,
        "sign": b64(_raw_private(key.sign)),
        "box": b64(_raw_private(key.box)),
    }
    write_secret(_secret_name(device_id), json.dumps(blob, separators=(",", ":")))
    again = load_device_key(device_id)  # read back: the backend keeps secrets (or a racer won)
    if again is None:
        raise BundleError("BUNDLE_DEVICE_KEY_DAMAGED")
    return again
