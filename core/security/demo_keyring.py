"""A keyring backend that keeps secrets in a JSON file: for ``--demo`` and tests only.

``--demo`` uses it when the PC has no secure keyring, so the demo's sample data (made-up
customers) can be reopened on the next run; the file sits in the demo data folder and
``check`` names the backend. Real installs never use it: ``main.py`` without ``--demo``
keeps the OS keyring or refuses to start.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors


class FileKeyring(keyring.backend.KeyringBackend):
    """Secrets in ``path`` (created on first write, readable by this user only)."""

    priority = 1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._fixed = path

    def _path(self) -> Path:
        if self._fixed is None:
            raise keyring.errors.KeyringError("FileKeyring has no file")
        return self._fixed

    def _load(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self._path().read_text(encoding="utf-8"))
            return data
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, str]) -> None:
        path = self._path()
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._save(data)
