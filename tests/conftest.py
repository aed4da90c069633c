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


@pytest.fixture(autouse=True)
def memory_keyring():
    import keyring

    previous = keyring.get_keyring()
    from core.security.memory_keyring import MemoryKeyring

    mem = MemoryKeyring()
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
