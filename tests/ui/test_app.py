"""run_gui end to end in a real process: QApplication, translators, and the first screen
(the setup step on a new install, the login dialog once an administrator exists)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.config import resolve_paths
from core.context import open_context
from core.operators.service import create_first_admin

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
from core.config import resolve_paths
from core.context import open_context
from ui.app import run_gui
sys.exit(run_gui(open_context(resolve_paths(sys.argv[2])), "zh_CN"))
"""


def _run(data: Path) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOANDESK_EXIT_AFTER_SHOWN": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT), str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


def test_run_gui_starts_with_setup_then_login_and_exits_when_asked(
    tmp_path: Path, shared_keyring: object
) -> None:
    data = tmp_path / "data"
    # a new install: no default password, set one up; the data opens behind the screen
    assert _run(data) == ["SHOWN setup", "READY"]
    ctx = open_context(resolve_paths(data))
    try:
        create_first_admin(ctx.db, ctx.clock, "boss", "王店长", "Counter2026")
    finally:
        ctx.close()
    assert _run(data) == ["SHOWN login", "READY"]
