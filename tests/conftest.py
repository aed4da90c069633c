"""Test-wide set-up: offscreen Qt, an in-memory keyring, data dirs in tmp."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class MemoryKeyring:
    """A real keyring backend that keeps secrets in a dict (never on disk)."""

    def __init__(self) -> None:
        import keyring.backend

        class _Backend(keyring.backend.KeyringBackend):
            priority = 1  # type: ignore[assignment]

            def __init__(self) -> None:
                super().__init__()
                self.store: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                import keyring.errors

                try:
                    del self.store[(service, username)]
                except KeyError:
                    raise keyring.errors.PasswordDeleteError(username) from None

        self.backend = _Backend()


@pytest.fixture(autouse=True)
def memory_keyring():
    import keyring

    previous = keyring.get_keyring()
    mem = MemoryKeyring().backend
    keyring.set_keyring(mem)
    yield mem
    keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh LoanDesk data dir; LOANDESK_DATA_DIR points at it for code that reads env."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("LOANDESK_DATA_DIR", str(d))
    return d
