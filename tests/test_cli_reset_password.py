"""`main.py reset-password`: IT's way back in when the only administrator forgot the
password. Real subprocesses on a real data folder; the keyring file is shared with them."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import resolve_paths
from core.context import open_context
from core.operators.service import LoginFailed, authenticate, create_first_admin
from core.security.permissions import Role
from core.store.audit_repo import AuditRepo

ROOT = Path(__file__).resolve().parent.parent


def reset(data: Path, login: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), "reset-password", "--login", login],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_resets_a_forgotten_admin_password(tmp_path: Path, shared_keyring: object) -> None:
    data = tmp_path / "data"
    ctx = open_context(resolve_paths(data))
    create_first_admin(ctx.db, ctx.clock, "boss", "王店长", "Forgotten-1")
    ctx.close()

    differ = reset(data, "boss", "New-pass-2026\nNew-pass-2027\n")
    assert differ.returncode == 1 and "differ" in differ.stderr
    weak = reset(data, "boss", "short\nshort\n")
    assert weak.returncode == 1 and "8" in weak.stderr and "Traceback" not in weak.stderr
    unknown = reset(data, "nobody", "New-pass-2026\nNew-pass-2026\n")
    assert unknown.returncode == 1 and "nobody" in unknown.stderr
    system = reset(data, "system", "New-pass-2026\nNew-pass-2026\n")
    assert system.returncode == 1  # the built-in account never gets a password

    done = reset(data, "boss", "New-pass-2026\nNew-pass-2026\n")
    assert done.returncode == 0, done.stderr
    assert "New-pass-2026" not in done.stdout + done.stderr
    ctx = open_context(resolve_paths(data))
    try:
        with pytest.raises(LoginFailed):
            authenticate(ctx.db, ctx.clock, "boss", "Forgotten-1")
        assert authenticate(ctx.db, ctx.clock, "boss", "New-pass-2026").role is Role.ADMIN
        rows = list(AuditRepo(ctx.db).rows())
        reset_rows = [r for r in rows if r["action"] == "password_reset"]
        assert len(reset_rows) == 1 and reset_rows[0]["operator_id"] == ctx.actor.operator_id
        assert AuditRepo(ctx.db).verify().ok
    finally:
        ctx.close()
    logs = "".join(p.read_text(encoding="utf-8") for p in (data / "logs").glob("*.log*"))
    assert "New-pass-2026" not in logs and "Forgotten-1" not in logs


def test_without_administrator_rights_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clerk in the shared Windows session cannot make themselves an administrator."""
    import main
    from core import os_admin

    data = tmp_path / "data"
    ctx = open_context(resolve_paths(data))
    create_first_admin(ctx.db, ctx.clock, "boss", "王店长", "Forgotten-1")
    ctx.close()
    monkeypatch.setattr(os_admin, "is_os_admin", lambda: False)
    try:
        code = main.main(["--data-dir", str(data), "reset-password", "--login", "boss"])
    finally:  # main() attached its log file to the "loandesk" logger: detach it
        root = logging.getLogger("loandesk")
        for handler in [h for h in root.handlers if getattr(h, "_loandesk", False)]:
            root.removeHandler(handler)
            handler.close()
    assert code == 1
    assert "Run as administrator" in capsys.readouterr().err
    ctx = open_context(resolve_paths(data))
    try:
        assert authenticate(ctx.db, ctx.clock, "boss", "Forgotten-1").role is Role.ADMIN
    finally:
        ctx.close()
