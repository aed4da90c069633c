"""run_gui end to end in a real process: QApplication, translators, the main window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
from core.config import resolve_paths
from core.context import open_context
from ui.app import run_gui
sys.exit(run_gui(open_context(resolve_paths(sys.argv[2])), "zh_CN"))
"""


def test_run_gui_shows_the_main_window_and_exits_when_asked(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOANDESK_EXIT_AFTER_SHOWN": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT), str(tmp_path / "data")],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "SHOWN"
