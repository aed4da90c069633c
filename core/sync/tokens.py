"""The device token, kept only in the OS keyring (Credential Manager, Secret Service...).

The one module that touches the keyring for sync. There is no fallback: a PC without a
usable keyring cannot sync until IT provides one (SYNC_KEYRING_UNAVAILABLE says how),
and a backend that stores secrets in plain text is refused.
"""

from __future__ import annotations

import keyring
import keyring.errors

from core.sync.errors import SyncError

SERVICE = "LoanDesk"


def _username(device_id: str) -> str:
    return f"device-token:{device_id}"


def _backend_checked() -> None:
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name.startswith("keyring.backends.fail") or "plaintext" in name.lower():
        raise SyncError("SYNC_KEYRING_UNAVAILABLE", detail=f"no secure keyring backend ({name})")


def save_token(device_id: str, token: str) -> None:
    _backend_checked()
    try:
        keyring.set_password(SERVICE, _username(device_id), token)
    except keyring.errors.KeyringError as exc:
        raise SyncError("SYNC_KEYRING_UNAVAILABLE", detail=_describe(exc)) from exc


def load_token(device_id: str) -> str | None:
    """The stored token, or None if this device has none."""
    _backend_checked()
    try:
        return keyring.get_password(SERVICE, _username(device_id))
    except keyring.errors.KeyringError as exc:
        raise SyncError("SYNC_KEYRING_UNAVAILABLE", detail=_describe(exc)) from exc


def delete_token(device_id: str) -> None:
    _backend_checked()
    try:
        keyring.delete_password(SERVICE, _username(device_id))
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise SyncError("SYNC_KEYRING_UNAVAILABLE", detail=_describe(exc)) from exc


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
