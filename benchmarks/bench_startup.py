"""GUI start to its first screen shown (the sign-in dialog: opening the database, its
keys from the keyring, the rules and the audit checkpoint are all done by then), against
a bare PySide6 window in the same run.

Both are fresh processes; each prints SHOWN once its window is shown, and we time from
spawn to that line. Runs alternate so drift on the machine hits both alike. The app's
process gets a throwaway file keyring (benchmarks/file_keyring.py): build boxes have none.
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


def _time_until(
    cmd: list[str], env: dict[str, str], marks: tuple[str, ...] = ("SHOWN",)
) -> list[float]:
    """Seconds from spawn to each line starting with one of ``marks``, in that order."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    seen: list[float] = []
    for line in proc.stdout:
        if len(seen) < len(marks) and line.startswith(marks[len(seen)]):
            seen.append(time.perf_counter() - started)
            if len(seen) == len(marks):
                break
    proc.communicate(timeout=60)
    if len(seen) < len(marks):
        raise RuntimeError(f"{cmd[:3]} printed {seen} of {marks} (exit {proc.returncode})")
    return seen


def _time_until_shown(cmd: list[str], env: dict[str, str]) -> float:
    return _time_until(cmd, env)[0]


def _add_admin(data_dir: Path) -> None:
    import keyring

    from core.config import resolve_paths
    from core.context import open_context
    from core.operators.service import create_first_admin
    from core.security.demo_keyring import FileKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring(data_dir / "keyring.json"))
    try:
        ctx = open_context(resolve_paths(data_dir))
        create_first_admin(ctx.db, ctx.clock, "bench", "Bench", "Bench-2026")
        ctx.close()
    finally:
        keyring.set_keyring(previous)


def run(rounds: int = 15) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            LOANDESK_EXIT_AFTER_SHOWN="1",
            PYTHON_KEYRING_BACKEND="benchmarks.file_keyring.BenchFileKeyring",
            LOANDESK_BENCH_KEYRING_FILE=str(Path(tmp) / "keyring.json"),
        )
        # as installed: compiled bytecode is kept (a packaged build ships it), so no run
        # pays for compiling sources it has already seen
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        app_cmd = [sys.executable, "main.py", "--data-dir", tmp, "--lang", "zh_CN"]
        _time_until_shown(app_cmd, env)  # first run creates the database; not timed
        _add_admin(Path(tmp))  # from now on the first screen is the sign-in
        app_times, ready_times, bare_times = [], [], []
        for _ in range(rounds):
            bare_times.append(_time_until_shown([sys.executable, "-c", BARE], env))
            shown, ready = _time_until(app_cmd, env, ("SHOWN", "READY"))
            app_times.append(shown)
            ready_times.append(ready)
    value, baseline = median(app_times), median(bare_times)
    emit(
        {
            "bench": "startup",
            "value_s": value,
            "baseline_s": baseline,
            "ratio": value / baseline,
            "rounds": rounds,
            "measured": "spawn to the sign-in dialog shown",
            "baseline": "bare PySide6 QMainWindow in a fresh process",
        }
    )
    ready = median(ready_times)
    emit(
        {
            "bench": "startup_data_open",
            "value_s": ready,
            "baseline_s": baseline,
            "ratio": ready / baseline,
            "rounds": rounds,
            "measured": "spawn to the app's data open behind the sign-in screen (keys, "
            "migrations check, rules): signing in is immediate from here",
            "baseline": "bare PySide6 QMainWindow in a fresh process",
        }
    )


if __name__ == "__main__":
    run()
