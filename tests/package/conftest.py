"""The packaged (PyInstaller) build, run as a store PC would run it.

``frozen_dir`` is ``$LOANDESK_FROZEN_DIR`` when set (an existing ``dist/LoanDesk``), else
the session builds one from build.spec into a temporary folder (about a minute), so the
tests always run what the source tree builds now, and parallel sessions never share one.

The frozen app accepts only a secure OS keyring: each run gets a real Secret Service, a
D-Bus session bus with gnome-keyring unlocked in a fresh HOME (Debian: dbus,
gnome-keyring). The GUI runs on the real xcb platform under Xvfb (Debian: xvfb).
Nothing here skips: a missing tool fails the test and names the package to install.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_FROZEN_DIR = "LOANDESK_FROZEN_DIR"
EXE_NAME = "LoanDesk.exe" if sys.platform == "win32" else "LoanDesk"
BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 120
KEYRING_PASSWORD = "loandesk-test-keyring"
# Inside a fresh D-Bus session: start gnome-keyring's Secret Service with an unlocked
# login keyring (created in $HOME on first use), then run the command.
_WITH_KEYRING = (
    'eval "$(printf %s "$LOANDESK_KEYRING_PW" | '
    'gnome-keyring-daemon --unlock --components=secrets)" >/dev/null && exec "$@"'
)
_TOOLS = {"dbus-run-session": "dbus", "gnome-keyring-daemon": "gnome-keyring", "Xvfb": "xvfb"}


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed; the packaged-build tests need the Debian "
            f"package {_TOOLS.get(name, name)} (scripts/ensure-system-deps.sh)"
        )
    return path


def pyproject_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    assert m, "no version in pyproject.toml"
    return m.group(1)


def _build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is not installed: .venv/bin/pip install -e '.[dev]'")
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(ROOT / "build.spec"),
    ]
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"building the package took over {BUILD_TIMEOUT_S} s")
    if done.returncode != 0:
        pytest.fail(
            f"pyinstaller build.spec failed (exit {done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
        )
    return dist / "LoanDesk"


def git_short_head() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


#: the commits HEAD pointed at just before and just after this session's build
BUILT_FROM: set[str] = set()


@pytest.fixture(scope="session")
def frozen_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get(ENV_FROZEN_DIR)
    if given:
        folder = Path(given).resolve()
    else:
        base = tmp_path_factory.mktemp("package")
        BUILT_FROM.add(git_short_head())
        folder = _build(base / "dist", base / "work")
        BUILT_FROM.add(git_short_head())
    if not (folder / EXE_NAME).is_file():
        pytest.fail(f"no {EXE_NAME} in {folder} ({ENV_FROZEN_DIR}={given!r})")
    return folder


@pytest.fixture(scope="session")
def frozen_exe(frozen_dir: Path) -> Path:
    return frozen_dir / EXE_NAME


@pytest.fixture(scope="session")
def bundled_resources(frozen_dir: Path) -> Path:
    """The resources folder inside the bundle (what core.config.resources_dir() finds)."""
    return frozen_dir / "_internal" / "resources"


def base_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment like a fresh desktop login: no keyring override from the test
    session (the frozen app must find the Secret Service itself), a UTF-8 locale."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "LOANDESK_KEYRING_PW": KEYRING_PASSWORD,
    }
    env.update(extra)
    return env


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_with_keyring(
    cmd: Sequence[str],
    home: Path,
    *,
    cwd: Path | None = None,
    timeout: float = RUN_TIMEOUT_S,
    **env: str,
) -> Run:
    """``cmd`` in its own D-Bus session with gnome-keyring's Secret Service unlocked
    (the keyring itself lives in ``home``, so it persists from one run to the next)."""
    dbus = require_tool("dbus-run-session")
    require_tool("gnome-keyring-daemon")
    full = [dbus, "--", "sh", "-c", _WITH_KEYRING, "sh", *map(str, cmd)]
    try:
        done = subprocess.run(
            full,
            cwd=cwd,
            env=base_env(home, **env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(
            f"{cmd[0]} {' '.join(map(str, cmd[1:3]))} did not finish in {timeout} s:"
            f"\n{exc.stdout!r}\n{exc.stderr!r}"
        )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh HOME: a new user profile with an empty keyring."""
    d = tmp_path / "home"
    d.mkdir()
    return d


@pytest.fixture
def new_data_dir(tmp_path: Path) -> Path:
    return tmp_path / "LoanDesk-data"  # not created: the app makes it


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    """A virtual X server for the session; yields its DISPLAY (":N")."""
    xvfb = require_tool("Xvfb")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [
            xvfb,
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    number = b""
    deadline = time.monotonic() + 30
    try:
        while b"\n" not in number and time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(read_fd, 64)
            if not chunk:
                break
            number += chunk
    finally:
        os.close(read_fd)
    if not number.strip().isdigit():
        proc.kill()
        _, err = proc.communicate(timeout=10)
        pytest.fail(f"Xvfb did not start: {err.decode(errors='replace')[-2000:]}")
    try:
        yield f":{number.strip().decode()}"
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate(timeout=10)
