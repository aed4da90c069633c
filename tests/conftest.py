"""Test-wide set-up: offscreen Qt, an in-memory keyring, data dirs in tmp."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


SUBPROCESS_KEYRING = "tests.file_keyring.TestFileKeyring"
# Subprocesses (and module-scoped fixtures that start them) get a file keyring shared by
# the session; each test then points them at its own file (below).
os.environ["PYTHON_KEYRING_BACKEND"] = SUBPROCESS_KEYRING
os.environ.setdefault(
    "LOANDESK_TEST_KEYRING_FILE", str(Path(tempfile.mkdtemp(prefix="loandesk-kr-")) / "k.json")
)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The big-list test's 100,000 applications are seeded in the background from now
    on, on the core the tests leave idle (tests/helpers/big_seed.py)."""
    if session.config.option.collectonly:
        return
    if any(item.nodeid.startswith("tests/test_big_list.py") for item in session.items):
        from tests.helpers import big_seed

        big_seed.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.helpers import big_seed

    big_seed.stop()


@pytest.fixture(autouse=True, scope="session")
def screens_off_the_gui_thread():
    """Code of ``ui/`` that runs a statement on the GUI (main) thread fails the test: the
    screens reach the data through their database lane (ui.db_lane)."""
    import threading

    from core.store.connection import forbid_screens_on_thread

    root = Path(__file__).resolve().parent.parent
    forbid_screens_on_thread(threading.main_thread().ident, str(root / "ui"))
    yield
    forbid_screens_on_thread(None)


@pytest.fixture(autouse=True, scope="session")
def session_keyring():
    """In this process, module- and session-scoped fixtures see a memory keyring."""
    import keyring

    from core.security.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


@pytest.fixture(autouse=True)
def memory_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """In this process: secrets in memory. Subprocesses started by the test get a file
    keyring of their own (tmp_path/keyring.json) unless the test asks for
    ``shared_keyring``, which puts this process on that same file."""
    import keyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", SUBPROCESS_KEYRING)
    monkeypatch.setenv("LOANDESK_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))

    previous = keyring.get_keyring()
    from core.security.memory_keyring import MemoryKeyring

    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    yield mem
    keyring.set_keyring(previous)


#: scrypt cost for the tests' many sign-ins; the app's own (OWASP) cost is proven by
#: tests/core/security/test_password_storage.py in a subprocess, where nothing lowers it
TEST_SCRYPT_COST = (2**12, 8, 1)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.security import passwords

    monkeypatch.setattr(passwords, "COST", TEST_SCRYPT_COST)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh LoanDesk data dir; LOANDESK_DATA_DIR points at it for code that reads env."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("LOANDESK_DATA_DIR", str(d))
    return d


@pytest.fixture
def shared_keyring(memory_keyring: object):
    """This process and its subprocesses share one keyring file (the data keys of a
    database made here open there, and the other way round)."""
    import keyring

    from tests.file_keyring import TestFileKeyring

    backend = TestFileKeyring()
    keyring.set_keyring(backend)
    return backend
