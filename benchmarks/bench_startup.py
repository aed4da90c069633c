"""GUI start to the main window shown, against a bare PySide6 window in the same run.

Both are fresh processes; each prints SHOWN once its window is shown, and we time from
spawn to that line. Runs alternate so drift on the machine hits both alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import emit, median

ROOT = Path(__file__).resolve().parent.parent
BARE = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "from PySide6.QtCore import QTimer\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.resize(1100, 700); w.show()\n"
    "print('SHOWN', flush=True)\n"
    "QTimer.singleShot(0, app.quit); app.exec()\n"
)


def _time_until_shown(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    elapsed = None
    for line in proc.stdout:
        if line.startswith("SHOWN"):
            elapsed = time.perf_counter() - started
            break
    proc.communicate(timeout=60)
    if elapsed is None:
        raise RuntimeError(f"{cmd[:3]} never showed its window (exit {proc.returncode})")
    return elapsed


def run(rounds: int = 5) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        LOANDESK_EXIT_AFTER_SHOWN="1",
    )
    with tempfile.TemporaryDirectory() as tmp:
        app_cmd = [sys.executable, "main.py", "--data-dir", tmp, "--lang", "zh_CN"]
        _time_until_shown(app_cmd, env)  # first run creates the database; not timed
        app_times, bare_times = [], []
        for _ in range(rounds):
            bare_times.append(_time_until_shown([sys.executable, "-c", BARE], env))
            app_times.append(_time_until_shown(app_cmd, env))
    value, baseline = median(app_times), median(bare_times)
    emit(
        {
            "bench": "startup",
            "value_s": value,
            "baseline_s": baseline,
            "ratio": value / baseline,
            "rounds": rounds,
            "baseline": "bare PySide6 QMainWindow in a fresh process",
        }
    )


if __name__ == "__main__":
    run()
