"""Must show: where the keyring has no usable backend, LoanDesk says so at
start in plain words with what IT must do, and does not fall back to plain text.

Real subprocesses of main.py with keyring's own PYTHON_KEYRING_BACKEND switch: the
"fail" backend (a Linux PC without Secret Service), a backend that writes plain files,
and a working keyring that has lost the keys of an encrypted database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXIT_KEYRING = 5
PLAIN_BACKEND = "tests.file_keyring.PlaintextFileKeyring"


def run(
    data_dir: Path,
    *args: str,
    backend: str,
    extra: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": backend,
        "LOANDESK_EXIT_AFTER_SHOWN": "1",
        "QT_QPA_PLATFORM": "offscreen",
        **(extra or {}),
    }
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _tables(db: Path) -> list[str]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("backend", "why_en"),
    [
        ("keyring.backends.fail.Keyring", "no usable keyring backend"),
        (PLAIN_BACKEND, "stores secrets in plain text"),
    ],
)
def test_no_secure_keyring_stops_every_start_with_what_it_must_do(
    tmp_path: Path, backend: str, why_en: str
) -> None:
    data = tmp_path / "data"
    for args in (["--lang", "en", "seed-demo", "--count", "3"], ["--lang", "en"]):
        r = run(data, *args, backend=backend)
        assert r.returncode == EXIT_KEYRING, r.stderr
        assert why_en in r.stderr
        assert "Credential Manager" in r.stderr and "PYTHON_KEYRING_BACKEND" in r.stderr
        assert "never falls back to storing keys in plain text" in r.stderr
        assert "Traceback" not in r.stderr
    assert "SHOWN startupError" in r.stdout  # the GUI start showed it in a message box
    assert _tables(data / "loandesk.db") == []  # nothing was stored, let alone in plain text
    assert not any(
        "LoanDesk" in p.read_text(errors="replace") for p in tmp_path.rglob("keyring.json")
    )


def test_the_message_is_in_chinese_for_a_chinese_start(tmp_path: Path) -> None:
    r = run(
        tmp_path / "data",
        "--lang",
        "zh_CN",
        "seed-demo",
        "--count",
        "1",
        backend="keyring.backends.fail.Keyring",
    )
    assert r.returncode == EXIT_KEYRING
    assert "找不到可用的密钥环后端" in r.stderr and "凭据管理器" in r.stderr


def test_lost_keys_of_an_encrypted_database_are_never_replaced(tmp_path: Path) -> None:
    data, keys = tmp_path / "data", tmp_path / "keyring.json"
    ok = run(
        data,
        "seed-demo",
        "--count",
        "3",
        backend="tests.file_keyring.TestFileKeyring",
        extra={"LOANDESK_TEST_KEYRING_FILE": str(keys)},
    )
    assert ok.returncode == 0, ok.stderr
    before = (data / "loandesk.db").read_bytes()
    # another Windows user / a wiped Credential Manager: the keyring works but is empty
    r = run(
        data,
        "--lang",
        "en",
        "seed-demo",
        "--count",
        "3",
        backend="tests.file_keyring.TestFileKeyring",
        extra={"LOANDESK_TEST_KEYRING_FILE": str(tmp_path / "empty.json")},
    )
    assert r.returncode == EXIT_KEYRING
    assert "missing from the OS keyring" in r.stderr and "restore" in r.stderr
    assert not (tmp_path / "empty.json").exists()  # no fresh key was made
    again = run(
        data,
        "seed-demo",
        "--count",
        "1",
        backend="tests.file_keyring.TestFileKeyring",
        extra={"LOANDESK_TEST_KEYRING_FILE": str(keys)},
    )
    assert again.returncode == 0, again.stderr  # the right keys still open everything
    assert before  # the data written first is still there (seed-demo added to it)
