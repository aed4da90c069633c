"""The packaged build (dist/LoanDesk, or $LOANDESK_FROZEN_DIR): its folder size against
the 120 MB goal, and its GUI start against the source tree's in the same run.

Start: spawn to the ``SHOWN login`` line (LOANDESK_EXIT_AFTER_SHOWN=1) on one data folder
with an administrator, fresh processes, packaged and source runs alternating, median of
each. The packaged app accepts only a real keyring, so the timed part runs inside one
D-Bus session with gnome-keyring's Secret Service (Debian: dbus, gnome-keyring), and the
source runs use that same keyring: both pay the same for their keys.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import emit, median

ROOT = Path(__file__).resolve().parent.parent
GOAL_MB = 120
ENV_INNER = "LOANDESK_BENCH_PACKAGE_INNER"
KEYRING_PASSWORD = "loandesk-bench-keyring"
_WITH_KEYRING = (
    'eval "$(printf %s "$LOANDESK_KEYRING_PW" | '
    'gnome-keyring-daemon --unlock --components=secrets)" >/dev/null && exec "$@"'
)


def frozen_dir() -> Path:
    given = os.environ.get("LOANDESK_FROZEN_DIR")
    folder = Path(given) if given else ROOT / "dist" / "LoanDesk"
    exe = folder / ("LoanDesk.exe" if sys.platform == "win32" else "LoanDesk")
    if not exe.is_file():
        raise RuntimeError(f"no packaged build in {folder}: run `make package` first")
    return folder.resolve()


def folder_mb(folder: Path) -> float:
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return size / 2**20


def _time_until_shown(cmd: list[str], env: dict[str, str], timeout_s: float = 120) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    elapsed = None
    try:
        for line in proc.stdout:
            if line.startswith("SHOWN"):
                elapsed = time.perf_counter() - started
                break
        proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=30)
    if elapsed is None:
        raise RuntimeError(f"{cmd[0]} never showed its window (exit {proc.returncode})")
    return elapsed


def _add_admin(data_dir: Path) -> None:
    """In this process, with the session's Secret Service (no test keyring)."""
    from core.config import resolve_paths
    from core.context import open_context
    from core.operators.service import create_first_admin

    ctx = open_context(resolve_paths(data_dir))
    try:
        create_first_admin(ctx.db, ctx.clock, "bench", "Bench", "Bench-2026")
    finally:
        ctx.close()


def _inner(rounds: int) -> None:
    """Runs inside the D-Bus session with the keyring unlocked."""
    exe = frozen_dir() / "LoanDesk"
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            LOANDESK_EXIT_AFTER_SHOWN="1",
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        )
        env.pop("PYTHON_KEYRING_BACKEND", None)
        args = ["--data-dir", tmp, "--lang", "zh_CN"]
        frozen_cmd = [str(exe), *args]
        source_cmd = [sys.executable, "main.py", *args]
        _time_until_shown(frozen_cmd, env)  # creates the database and keys; not timed
        _add_admin(Path(tmp))  # from now on the first screen is the sign-in
        _time_until_shown(source_cmd, env)  # warm the source's byte-code cache; not timed
        frozen_times, source_times = [], []
        for _ in range(rounds):
            source_times.append(_time_until_shown(source_cmd, env))
            frozen_times.append(_time_until_shown(frozen_cmd, env))
    value, baseline = median(frozen_times), median(source_times)
    emit(
        {
            "bench": "package_startup",
            "value_s": value,
            "baseline_s": baseline,
            "ratio": value / baseline,
            "rounds": rounds,
            "measured": "packaged build: spawn to the sign-in dialog shown",
            "baseline": "source tree (.venv/bin/python main.py), same data folder and keyring",
        }
    )


def run(rounds: int = 5) -> None:
    folder = frozen_dir()
    size = folder_mb(folder)
    emit(
        {
            "bench": "package_size",
            "value_mb": size,
            "goal_mb": GOAL_MB,
            "ratio": size / GOAL_MB,
            "under_goal": size < GOAL_MB,
            "folder": str(folder.relative_to(ROOT)) if folder.is_relative_to(ROOT) else str(folder),
        }
    )
    dbus = shutil.which("dbus-run-session")
    if dbus is None or shutil.which("gnome-keyring-daemon") is None:
        raise RuntimeError("the packaged start needs dbus-run-session and gnome-keyring")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, LOANDESK_KEYRING_PW=KEYRING_PASSWORD, **{ENV_INNER: "1"})
        env.pop("PYTHON_KEYRING_BACKEND", None)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        cmd = [
            dbus,
            "--",
            "sh",
            "-c",
            _WITH_KEYRING,
            "sh",
            sys.executable,
            "-m",
            "benchmarks.bench_package",
            str(rounds),
        ]
        done = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
        )
    sys.stdout.write(done.stdout)
    sys.stdout.flush()
    if done.returncode != 0:
        raise RuntimeError(f"packaged start benchmark failed:\n{done.stderr[-3000:]}")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if os.environ.get(ENV_INNER) == "1":
        _inner(n)
    else:
        run(n)
