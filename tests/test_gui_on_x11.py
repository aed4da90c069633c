"""`make demo` on a real X display: the app, started from source as a user starts it,
loads Qt's xcb platform and shows its first window on a real X server (Xvfb).

The other GUI tests run Qt offscreen, which needs fewer system libraries than xcb: a PC
missing xcb's libraries passed them and still aborted at `make demo` with "Could not load
the Qt platform plugin xcb". Here the window must really appear on the X server, seen
from outside the app (xdotool), for the first-run screen of a fresh folder and for the
sign-in screen once an administrator exists, in both languages; and the
LOANDESK_EXIT_AFTER_SHOWN contract (``SHOWN <screen>``, exit 0) holds on xcb too.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.xvfb import Xvfb, stop_process

ROOT = Path(__file__).resolve().parent.parent
WINDOW_TIMEOUT = 120.0  # generous: the machine may be busy; never a performance claim
RUN_TIMEOUT = 120.0
GONE_TIMEOUT = 30.0
TITLES = {  # Qt adds the app's name (" — LoanDesk"): the titles do not repeat it
    ("setup", "zh_CN"): "首次使用",
    ("setup", "en"): "First start",
    ("login", "zh_CN"): "登录",
    ("login", "en"): "Log in",
}


@pytest.fixture(scope="module")
def xserver() -> Iterator[Xvfb]:
    with Xvfb() as x:
        yield x


def _data_dir(tmp_path: Path, screen: str) -> Path:
    """A fresh data folder; for the sign-in screen, one with an administrator, made here
    on the keyring file the app's process will use (the shared_keyring fixture)."""
    data = tmp_path / "data"
    if screen == "login":
        from core.config import resolve_paths
        from core.context import open_context
        from core.operators.service import create_first_admin

        ctx = open_context(resolve_paths(data))
        try:
            create_first_admin(ctx.db, ctx.clock, "boss", "Boss", "Boss-2026!")
        finally:
            ctx.close()
    return data


def _env(x: Xvfb, tmp_path: Path, *, exit_after_shown: bool) -> dict[str, str]:
    env = x.env()  # DISPLAY=:N, QT_QPA_PLATFORM=xcb
    env["PYTHON_KEYRING_BACKEND"] = "tests.file_keyring.TestFileKeyring"
    env["LOANDESK_TEST_KEYRING_FILE"] = str(tmp_path / "keyring.json")
    env.pop("LOANDESK_EXIT_AFTER_SHOWN", None)
    if exit_after_shown:
        env["LOANDESK_EXIT_AFTER_SHOWN"] = "1"
    return env


def _app(data: Path, lang: str) -> list[str]:
    return [sys.executable, "main.py", "--data-dir", str(data), "--lang", lang]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("screen", ["setup", "login"])
def test_the_first_window_appears_on_a_real_x_server(
    xserver: Xvfb, tmp_path: Path, shared_keyring: object, screen: str, lang: str
) -> None:
    data = _data_dir(tmp_path, screen)
    title = TITLES[(screen, lang)]
    out, err = tmp_path / "app.out", tmp_path / "app.err"
    with open(out, "wb") as out_f, open(err, "wb") as err_f:
        app = subprocess.Popen(
            _app(data, lang),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out_f,
            stderr=err_f,
            env=_env(xserver, tmp_path, exit_after_shown=False),
        )
    try:
        try:
            window = xserver.wait_for_window(title, WINDOW_TIMEOUT, process=app)
        except RuntimeError as e:
            pytest.fail(f"{e}\n--- app stderr ---\n{err.read_text(errors='replace')}")
        assert xserver.window_name(window).startswith(title)
        assert xserver.window_name(window).count("LoanDesk") == 1  # said once, by Qt
        assert app.poll() is None  # still running: the window is the app's, not a leftover
        others = {t for (s, la), t in TITLES.items() if la == lang and s != screen}
        assert not any(xserver.windows(t) for t in others)  # the right screen, not both
    finally:
        stop_process(app)
    xserver.wait_until_no_window(title, GONE_TIMEOUT)  # gone with the app: it was its window
    assert "Could not load the Qt platform plugin" not in err.read_text(errors="replace")


@pytest.mark.parametrize(("screen", "lang"), [("setup", "zh_CN"), ("login", "en")])
def test_exit_after_shown_reports_the_screen_on_xcb(
    xserver: Xvfb, tmp_path: Path, shared_keyring: object, screen: str, lang: str
) -> None:
    data = _data_dir(tmp_path, screen)
    r = subprocess.run(
        _app(data, lang),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env=_env(xserver, tmp_path, exit_after_shown=True),
    )
    assert r.returncode == 0, r.stderr
    assert f"SHOWN {screen}" in r.stdout.splitlines(), r.stdout + r.stderr
    xserver.wait_until_no_window(TITLES[(screen, lang)], GONE_TIMEOUT)  # closed on its way out
