"""The device token, kept only in the OS keyring (Credential Manager, Secret Service...).

Stored through :mod:`core.security.keyring_store` (``read_secret`` / ``write_secret`` /
``delete_secret``), so the same refusal applies as for the data keys: no backend, a
backend that drops secrets or keeps them in plain text (``keyrings.alt``...) is refused.
There is no fallback: a PC without a usable keyring cannot sync until IT provides one,
and callers see :class:`SyncError` ``SYNC_KEYRING_UNAVAILABLE`` saying how.
"""

from __future__ import annotations

from core.security.keyring_store import (
    SERVICE,
    KeyringUnavailable,
    delete_secret,
    read_secret,
    write_secret,
)
from core.sync.errors import SyncError

__all__ = ["SERVICE", "delete_token", "load_token", "save_token"]


def _username(device_id: str) -> str:
    return f"device-token:{device_id}"


def _unavailable(exc: KeyringUnavailable) -> SyncError:
    """The sync code for a keyring refusal; the detail names the backend and why (never
    the token)."""
    why = exc.reason.replace("_", " ")
    detail = f"{why}: {exc.backend}" + (
        f" ({exc.params['detail']})" if exc.params.get("detail") else ""
    )
    return SyncError("SYNC_KEYRING_UNAVAILABLE", detail=detail)


def save_token(device_id: str, token: str) -> None:
    try:
        write_secret(_username(device_id), token)
    except KeyringUnavailable as exc:
        raise _unavailable(exc) from exc


def load_token(device_id: str) -> str | None:
    """The stored token, or None if this device has none."""
    try:
        return read_secret(_username(device_id))
    except KeyringUnavailable as exc:
        raise _unavailable(exc) from exc


def delete_token(device_id: str) -> None:
    try:
        delete_secret(_username(device_id))
    except KeyringUnavailable as exc:
        raise _unavailable(exc) from exc
