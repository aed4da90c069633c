"""The one module that touches the OS keyring (Credential Manager, Secret Service, ...).

The data keys that protect customers' personal data live only here, never in the
database or a settings file. A backend that has no store (``fail``), drops secrets
(``null``) or writes them in plain text (anything from ``keyrings.alt``) is refused with
:class:`KeyringUnavailable`, whose text tells IT what to do: there is no fallback.

Keys are one versioned JSON blob under service ``LoanDesk``, user
``data-keys:<install_id>``::

    {"format": "loandesk-data-keys", "version": 1, "active": "<key_id>",
     "keys": [{"key_id": "...", "enc_key": "<base64>", "lookup_key": "<base64>"}]}

``keys`` is a list so that rotation can add a key and keep the old ones for reading.
New keys are made only when no blob exists; a damaged blob is an error
(:class:`DataKeysCorrupt`), because fresh keys would orphan every encrypted field.
Other secrets (e.g. the sync device token) go through :func:`read_secret` /
:func:`write_secret` / :func:`delete_secret` so the same refusal applies to them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from core import i18n
from core.security.messages import SecurityError

SERVICE = "LoanDesk"
BLOB_FORMAT = "loandesk-data-keys"
BLOB_VERSION = 1
KEY_BYTES = 32
_KEY_ID = re.compile(r"[0-9a-z]{1,32}")

KeyringProblem = Literal["no_backend", "insecure_backend", "error", "not_kept"]


class KeyringUnavailable(SecurityError):
    """No secure OS keyring: the app must say so at start and must not go on."""

    code = "SECURITY_KEYRING_UNAVAILABLE"

    def __init__(self, backend: str, reason: KeyringProblem, detail: str = "") -> None:
        self.backend = backend
        self.reason = reason
        super().__init__(backend=backend, reason=reason, detail=detail)

    def message(self, lang: str | None = None) -> str:
        why = i18n.translate(
            f"SECURITY_KEYRING_WHY_{self.reason.upper()}", lang, detail=self.params["detail"]
        )
        return i18n.translate(self.code, lang, backend=self.backend, why=why)


class DataKeysCorrupt(SecurityError):
    """The stored blob cannot be read; never replaced automatically."""

    code = "SECURITY_KEYS_CORRUPT"

    def __init__(self, install_id: str, detail: str) -> None:
        super().__init__(install_id=install_id, detail=detail)


class DataKeysMissing(SecurityError):
    """No keys in the keyring although the caller said encrypted data exists."""

    code = "SECURITY_KEYS_MISSING"

    def __init__(self, install_id: str) -> None:
        super().__init__(install_id=install_id)


@dataclass(frozen=True)
class DataKeys:
    """One generation of data keys. ``repr`` never shows key bytes."""

    enc_key: bytes = field(repr=False)  # AES-256-GCM
    lookup_key: bytes = field(repr=False)  # HMAC-SHA256 for indexed lookups
    key_id: str

    def __post_init__(self) -> None:
        if len(self.enc_key) != KEY_BYTES or len(self.lookup_key) != KEY_BYTES:
            raise ValueError("data keys must be 32 bytes each")
        if not _KEY_ID.fullmatch(self.key_id):
            raise ValueError("key_id must be 1-32 lowercase letters or digits")


def generate_keys() -> DataKeys:
    """Fresh random keys (from ``secrets``); callers normally use :func:`load_or_create_keys`."""
    return DataKeys(
        enc_key=secrets.token_bytes(KEY_BYTES),
        lookup_key=secrets.token_bytes(KEY_BYTES),
        key_id=secrets.token_hex(4),
    )


# --- the backend -----------------------------------------------------------------------


def describe_backend(backend: KeyringBackend) -> str:
    """``module.Class`` of a backend (chained backends listed in brackets), for messages."""
    kind = type(backend)
    name = f"{kind.__module__}.{kind.__qualname__}"
    chained = _chained(backend)
    if chained is not None:
        name += "[" + ", ".join(describe_backend(b) for b in chained) + "]"
    return name


def insecure_reason(backend: KeyringBackend) -> KeyringProblem | None:
    """Why ``backend`` must not hold LoanDesk secrets, or None if it may.

    Refused: keyring's ``fail`` (no backend at all), ``null`` (drops secrets), every
    ``keyrings.alt`` backend and anything named "plaintext"; a chainer is refused when it
    chains nothing or any of its members is refused.
    """
    kind = type(backend)
    module = kind.__module__
    if module.startswith("keyring.backends.fail"):
        return "no_backend"
    label = f"{module}.{kind.__qualname__}".lower()
    if module.startswith(("keyring.backends.null", "keyrings.alt")) or "plaintext" in label:
        return "insecure_backend"
    chained = _chained(backend)
    if chained is not None:
        if not chained:
            return "no_backend"
        for member in chained:
            if (reason := insecure_reason(member)) is not None:
                return reason
    return None


def require_secure_backend() -> KeyringBackend:
    """The current keyring backend, or :class:`KeyringUnavailable`. Call it at start."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken PYTHON_KEYRING_BACKEND or keyringrc raises anything
        raise KeyringUnavailable("?", "error", _describe(exc)) from exc
    reason = insecure_reason(backend)
    if reason is not None:
        raise KeyringUnavailable(describe_backend(backend), reason)
    return backend


def _chained(backend: KeyringBackend) -> list[KeyringBackend] | None:
    if not isinstance(backend, ChainerBackend):
        return None
    members: Any = getattr(backend, "backends", [])
    return list(members)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _get(backend: KeyringBackend, username: str) -> str | None:
    try:
        return backend.get_password(SERVICE, username)
    except Exception as exc:  # backends raise their own D-Bus / Win32 errors too
        raise KeyringUnavailable(describe_backend(backend), "error", _describe(exc)) from exc


def _set(backend: KeyringBackend, username: str, value: str) -> None:
    try:
        backend.set_password(SERVICE, username, value)
    except Exception as exc:
        raise KeyringUnavailable(describe_backend(backend), "error", _describe(exc)) from exc


# --- generic secrets -------------------------------------------------------------------


def read_secret(name: str) -> str | None:
    """The secret stored as ``name`` under service ``LoanDesk``, or None."""
    return _get(require_secure_backend(), name)


def write_secret(name: str, value: str) -> None:
    _set(require_secure_backend(), name, value)


def delete_secret(name: str) -> None:
    """Remove ``name``; a secret that is not there is fine."""
    backend = require_secure_backend()
    try:
        backend.delete_password(SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass
    except Exception as exc:
        raise KeyringUnavailable(describe_backend(backend), "error", _describe(exc)) from exc


# --- data keys -------------------------------------------------------------------------


def keys_username(install_id: str) -> str:
    if not install_id or install_id != install_id.strip() or ":" in install_id:
        raise ValueError("install_id must be a non-empty id without spaces or ':'")
    return f"data-keys:{install_id}"


def load_or_create_keys(install_id: str, *, must_exist: bool = False) -> DataKeys:
    """The active data keys of this installation, made on first use.

    Pass ``must_exist=True`` once the database holds encrypted data: a missing blob then
    raises :class:`DataKeysMissing` (e.g. another Windows user is logged in) instead of
    silently starting a new key that cannot read the old data.
    """
    username = keys_username(install_id)
    backend = require_secure_backend()
    stored = _get(backend, username)
    if stored is not None:
        return parse_key_blob(stored, install_id)
    if must_exist:
        raise DataKeysMissing(install_id)
    _set(backend, username, dump_key_blob(generate_keys()))
    # Read back: proves the backend keeps secrets, and if another process raced us to
    # create keys, both end up using the one that was stored last.
    stored = _get(backend, username)
    if stored is None:
        raise KeyringUnavailable(describe_backend(backend), "not_kept")
    return parse_key_blob(stored, install_id)


def dump_key_blob(keys: DataKeys) -> str:
    entry = {
        "key_id": keys.key_id,
        "enc_key": base64.b64encode(keys.enc_key).decode("ascii"),
        "lookup_key": base64.b64encode(keys.lookup_key).decode("ascii"),
    }
    blob = {"format": BLOB_FORMAT, "version": BLOB_VERSION, "active": keys.key_id, "keys": [entry]}
    return json.dumps(blob, separators=(",", ":"))


def parse_key_blob(text: str, install_id: str = "?") -> DataKeys:
    """The active keys of a stored blob, or :class:`DataKeysCorrupt` saying what is wrong
    (the detail never quotes key material)."""
    try:
        blob = json.loads(text)
    except ValueError:
        raise DataKeysCorrupt(install_id, "not JSON") from None
    if not isinstance(blob, dict) or blob.get("format") != BLOB_FORMAT:
        raise DataKeysCorrupt(install_id, f"not a {BLOB_FORMAT} blob")
    version = blob.get("version")
    if version != BLOB_VERSION:
        raise DataKeysCorrupt(
            install_id, f"format version {version!r}; this build reads version {BLOB_VERSION}"
        )
    entries, active = blob.get("keys"), blob.get("active")
    if not isinstance(entries, list):
        raise DataKeysCorrupt(install_id, "'keys' is not a list")
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("key_id") == active:
            try:
                return DataKeys(
                    enc_key=_key_bytes(entry.get("enc_key"), f"keys[{i}].enc_key"),
                    lookup_key=_key_bytes(entry.get("lookup_key"), f"keys[{i}].lookup_key"),
                    key_id=str(active),
                )
            except ValueError as exc:
                raise DataKeysCorrupt(install_id, str(exc)) from None
    raise DataKeysCorrupt(install_id, "the active key id is not among the keys")


def _key_bytes(value: object, where: str) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"{where} is missing")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{where} is not base64") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"{where} has {len(raw)} bytes, expected {KEY_BYTES}")
    return raw
