"""``main.py check`` as IT runs it (a real subprocess) on a data folder whose audit log was
tampered with through a raw sqlite3 connection: each kind of tampering fails the "audit
log" item, names the row and what happened, and makes ``check`` exit 1 - also when the
checkpoint file was deleted and the app started again, thanks to its OS keyring copy
(this process and the subprocess share one keyring file)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.audit.checkpoint import checkpoint_path
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)


def check(data_dir: Path, *, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    r = subprocess.run(
        [sys.executable, "main.py", "check", "--json", "--data-dir", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=env or dict(os.environ),
    )  # fmt: skip
    report = json.loads(r.stdout)
    return r.returncode, {c["name"]: c for c in report["checks"]}


@pytest.fixture
def folder(tmp_path: Path, shared_keyring: object) -> Path:
    """4 saved applications (8 audit rows), closed: the checkpoint is at row 8."""
    d = tmp_path / "d"
    ctx = open_context(resolve_paths(d), FixedClock(NOW))
    try:
        gen = DemoGenerator(3, NOW.date(), load_demo_catalog())
        for _ in range(4):
            ctx.applications.save(gen.application())
    finally:
        ctx.close()
    return d


def tamper(data_dir: Path, *statements: str) -> None:
    conn = sqlite3.connect(data_dir / "loandesk.db", isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_append_only")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def test_an_untouched_log_passes_and_check_changes_nothing(folder: Path) -> None:
    files = [folder / "loandesk.db", checkpoint_path(folder / "loandesk.db"),
             Path(os.environ["LOANDESK_TEST_KEYRING_FILE"])]  # fmt: skip
    before = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    code, items = check(folder)
    assert items["audit log"] == {
        "name": "audit log", "ok": True,
        "detail": "Audit log intact (8 rows checked); checkpoint at row 8",
    }  # fmt: skip
    assert code == 0, [c for c in items.values() if not c["ok"]]
    assert [hashlib.sha256(f.read_bytes()).hexdigest() for f in files] == before


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            ['UPDATE audit_log SET detail = \'{"outcome":"PASS"}\' WHERE seq = 3'],
            "Audit log row 3 was changed",
        ),
        (
            ["UPDATE audit_log SET action = 'cancelled' WHERE seq = 6"],
            "Audit log row 6 was changed",
        ),
        (["UPDATE audit_log SET operator_id = NULL WHERE seq = 2"], "Audit log row 2 was changed"),
        (["DELETE FROM audit_log WHERE seq = 5"], "Audit log row 5 was deleted"),
        (["DELETE FROM audit_log WHERE seq > 6"], "Audit log rows from row 7 on were cut off"),
        (["DELETE FROM audit_log"], "Audit log rows from row 1 on were cut off"),
    ],
    ids=["detail", "action", "operator", "middle-row", "last-rows", "everything"],
)
def test_tampering_fails_check(folder: Path, statements: list[str], expected: str) -> None:
    tamper(folder, *statements)
    code, items = check(folder)
    assert code == 1
    assert items["audit log"]["ok"] is False
    assert items["audit log"]["detail"] == expected


def reopen(data_dir: Path) -> None:
    """The app starts once and closes (in this process, on the shared keyring file)."""
    open_context(resolve_paths(data_dir), FixedClock(NOW)).close()


def test_the_reviewers_attack_fails_check(folder: Path) -> None:
    """Files only, no keyring: drop the trigger, cut the newest rows, reset
    sqlite_sequence, delete the checkpoint file, start the app once."""
    tamper(folder, "DELETE FROM audit_log WHERE seq > 6",
           "UPDATE sqlite_sequence SET seq = 6 WHERE name = 'audit_log'")  # fmt: skip
    checkpoint_path(folder / "loandesk.db").unlink()
    reopen(folder)
    assert not checkpoint_path(folder / "loandesk.db").exists()  # not silently recreated
    code, items = check(folder)
    assert code == 1 and items["audit log"] == {
        "name": "audit log", "ok": False,
        "detail": "Audit log rows from row 7 on were cut off (the checkpoint's copy in the OS "
        "keyring is at row 8; the file loandesk-audit-checkpoint.json is missing or older)",
    }  # fmt: skip


def test_a_removed_file_alone_is_covered_by_the_keyring_copy(folder: Path) -> None:
    checkpoint_path(folder / "loandesk.db").unlink()
    code, items = check(folder)
    assert code == 0 and items["audit log"]["ok"]
    assert items["audit log"]["detail"].startswith(
        "Audit log intact (8 rows checked); checkpoint at row 8 (from its copy in the OS keyring"
    )
    reopen(folder)  # the next start writes the file again
    assert checkpoint_path(folder / "loandesk.db").exists()
    code, items = check(folder)
    assert items["audit log"]["detail"] == "Audit log intact (8 rows checked); checkpoint at row 8"


def test_without_a_usable_keyring_the_audit_is_not_verified(folder: Path) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    code, items = check(folder, env=env)
    assert code == 1
    detail = items["audit log"]["detail"]
    assert not items["audit log"]["ok"]
    assert detail.startswith("The audit log could not be verified: The OS keyring cannot be used")
