"""``main.py --demo`` in a real process, and the Qt binding work-around (ui/qt_compat)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keyring

from core.config import resolve_paths
from core.context import open_context
from core.operators.service import authenticate
from core.security.demo_keyring import FileKeyring
from core.security.permissions import Role
from server.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_demo_starts_a_server_enrolls_seeds_and_shows_the_window(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOANDESK_EXIT_AFTER_SHOWN": "1"}
    env.pop("PYTHON_KEYRING_BACKEND", None)  # whatever this PC has: the demo copes
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--demo", "--data-dir", str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    # demo accounts exist, so the sign-in screen; its data is open behind it
    assert done.stdout.strip().splitlines()[-2:] == ["SHOWN login", "READY"]
    assert "demo: head-office server at http://127.0.0.1:" in done.stderr
    assert "demo: log in as demo-admin, demo-manager or demo-clerk" in done.stderr
    if (data / "demo-keyring.json").exists():  # no secure keyring here: the demo's file
        keyring.set_keyring(FileKeyring(data / "demo-keyring.json"))
    ctx = open_context(resolve_paths(data))
    try:
        for login, role in (
            ("demo-admin", Role.ADMIN),
            ("demo-manager", Role.FIELD_MANAGER),
            ("demo-clerk", Role.CLERK),
        ):
            assert authenticate(ctx.db, ctx.clock, login, DEMO_PASSWORD).role is role
        assert ctx.sync is not None
        state = ctx.sync.sync_state()
        assert state.enrolled and state.store_code == "DEMO01"
        assert state.server_url is not None and state.server_url.startswith("http://127.0.0.1:")
        assert ctx.applications.count_all() == 300
        assert state.pending == 300  # seeded applications are queued like any other
        assert ctx.settings.get("store_name") == "演示门店"
    finally:
        ctx.close()
    assert (data / "server" / "server.db").exists()


def test_thousands_of_emits_do_not_free_true() -> None:
    """PySide6 6.12.0 drops a reference to True on every emit(); importing ui pins it."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import ui\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "class X(QObject):\n"
        "    sig_tick = Signal(int)\n"
        "x = X(); x.sig_tick.connect(lambda n: None)\n"
        "for i in range(50000): x.sig_tick.emit(i)\n"
        "print('alive')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "alive"


def test_thousands_of_calls_returning_nothing_do_not_free_none() -> None:
    """PySide6 6.12.0 drops a reference to None on every wrapped call that returns
    nothing (setObjectName, setInterval, processEvents …); importing ui pins it. A
    timer loop of the GUI-stall benchmark died of it after some seconds."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import ui\n"
        "from PySide6.QtCore import QCoreApplication, QObject, QTimer\n"
        "app = QCoreApplication([])\n"
        "x = QObject(); t = QTimer()\n"
        "for i in range(50000):\n"
        "    x.setObjectName('x'); t.setInterval(5); app.processEvents()\n"
        "print('alive')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "alive"
