"""An unexpected exception is logged under an incident reference and explained in a
dialog; a thread's exception too; a hard crash of a real process is written down and
noted at the next start."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from core.config import Paths, resolve_paths
from core.diagnostics.about import crash_records
from core.logs import LOG_FILENAME, setup_logging
from ui import crash
from ui.app import install_translations

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"
NAME = "张小明"


@pytest.fixture
def reporter(data_dir: Path) -> Iterator[crash.CrashReporter]:
    """The hooks installed over a real log file (faulthandler stays pytest's: a hard
    crash is tested in a child process below); put back afterwards."""
    paths = resolve_paths(data_dir).ensure()
    setup_logging(paths.logs)
    installed = crash.install(paths.logs, hard_crashes=False)
    yield installed
    installed.uninstall()
    if installed.dialog is not None:
        installed.dialog.close()
    root = logging.getLogger("loandesk")
    for handler in [h for h in root.handlers if getattr(h, "_loandesk", False)]:
        root.removeHandler(handler)
        handler.close()


def _boom() -> None:
    raise RuntimeError(f"customer {ID_NUMBER} {PHONE} {NAME} not found")


def _log(data_dir: Path) -> str:
    return (data_dir / "logs" / LOG_FILENAME).read_text(encoding="utf-8")


def _shown(qtbot: Any, reporter: crash.CrashReporter) -> crash.CrashDialog:
    qtbot.waitUntil(
        lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5000
    )
    assert reporter.dialog is not None
    return reporter.dialog


def test_an_exception_in_a_slot_is_logged_and_explained(
    qtbot: Any, reporter: Any, data_dir: Path
) -> None:
    with qtbot.waitSignal(reporter.sig_incident, timeout=5000):
        QTimer.singleShot(0, _boom)  # raised in a slot, from the event loop
    dialog = _shown(qtbot, reporter)
    incident = reporter.incidents[-1]
    text = dialog.text()
    assert incident.ref in text and incident.when in text
    assert str(data_dir / "logs" / LOG_FILENAME) in text
    assert "saved are safe" in text and "RuntimeError" in text
    assert ID_NUMBER not in text and PHONE not in text and NAME not in text

    logged = _log(data_dir)
    assert f"incident {incident.ref} at " in logged
    assert "Traceback (most recent call last)" in logged and "in _boom" in logged
    assert "customer [ID] [PHONE]" in logged and ID_NUMBER not in logged

    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert incident.ref in copied and "RuntimeError: customer [ID] [PHONE] [CJK]" in copied
    assert str(data_dir / "logs" / LOG_FILENAME) in copied
    assert ID_NUMBER not in copied and PHONE not in copied and NAME not in copied


def test_a_second_exception_while_the_dialog_is_up_is_logged_only(
    qtbot: Any, reporter: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with qtbot.waitSignal(reporter.sig_incident, timeout=5000):
        QTimer.singleShot(0, _boom)
    first = _shown(qtbot, reporter)
    handled: list[Any] = []  # incidents whose (queued) show request the GUI thread ran
    show = reporter._show

    def spy(incident: Any, wait: bool = False) -> None:
        show(incident, wait)
        handled.append(incident)

    monkeypatch.setattr(reporter, "_show", spy)
    with qtbot.waitSignal(reporter.sig_incident, timeout=5000):
        QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: handled == reporter.incidents[1:], timeout=5000)
    assert reporter.dialog is first and len(reporter.incidents) == 2  # after it: no new one
    assert f"incident {reporter.incidents[1].ref}" in _log(data_dir)


def test_a_thread_exception_reaches_the_log_and_the_gui(
    qtbot: Any, reporter: Any, data_dir: Path
) -> None:
    worker = threading.Thread(target=_boom, name="sync-helper")
    worker.start()
    worker.join(timeout=10)
    dialog = _shown(qtbot, reporter)
    incident = reporter.incidents[-1]
    assert incident.thread == "sync-helper" and dialog.incident is incident
    assert f"incident {incident.ref} at " in _log(data_dir)
    assert "uncaught RuntimeError in thread sync-helper" in _log(data_dir)


def test_the_dialog_in_chinese(qtbot: Any, qapp: QApplication, tmp_path: Path) -> None:
    install_translations(qapp, "zh_CN")
    try:
        incident = crash.new_incident(
            ValueError, ValueError("x"), "MainThread", tmp_path / LOG_FILENAME
        )
        dialog = crash.CrashDialog(incident)
        qtbot.addWidget(dialog)
        text = dialog.text()
        assert "已保存的申请" in text and incident.ref in text and str(tmp_path) in text
        assert dialog.copy_button.text().startswith("复制")
    finally:
        install_translations(qapp, "en")


# --- a real main.py process ------------------------------------------------------------------

SCRIPT = """
import os, runpy, sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
what = sys.argv[1]
def boom():
    raise RuntimeError("customer {id_number} {phone} missing")
def segfault():
    import faulthandler, resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
    faulthandler._sigsegv()
def look(left):
    shown = [w for w in app.topLevelWidgets()
             if w.objectName() == "crash_dialog" and w.isVisible()]
    if shown:
        print("SEEN", shown[0].text().replace(chr(10), " "), flush=True)
    if shown or left == 0:
        app.quit()
    else:
        QTimer.singleShot(50, lambda: look(left - 1))
if what == "raise":
    QTimer.singleShot(0, boom)
    QTimer.singleShot(0, lambda: look(400))
elif what == "segfault":
    QTimer.singleShot(0, segfault)
sys.argv = ["main.py", "--data-dir", sys.argv[2], "--lang", "en"]
runpy.run_path(os.path.join({root!r}, "main.py"), run_name="__main__")
"""


def _main_py(what: str, data: Path, exit_when_shown: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    env.pop("LOANDESK_EXIT_AFTER_SHOWN", None)
    if exit_when_shown:
        env["LOANDESK_EXIT_AFTER_SHOWN"] = "1"
    script = SCRIPT.format(root=str(ROOT), id_number=ID_NUMBER, phone=PHONE)
    return subprocess.run(
        [sys.executable, "-c", script, what, str(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_real_process_crash_is_in_the_log(tmp_path: Path) -> None:
    data = tmp_path / "data"
    paths = Paths(data)

    raised = _main_py("raise", data, exit_when_shown=False)
    log_text = (paths.logs / LOG_FILENAME).read_text(encoding="utf-8")
    assert "uncaught RuntimeError in thread MainThread" in log_text, raised.stderr
    assert "customer [ID] [PHONE] missing" in log_text and ID_NUMBER not in log_text
    seen = [line for line in raised.stdout.splitlines() if line.startswith("SEEN ")]
    assert seen, raised.stdout + raised.stderr  # the dialog was up, with the reference ...
    ref = seen[0].split("Reference: ")[1].split()[0]
    assert f"incident {ref} at " in log_text  # ... that IT finds in the log
    assert str(paths.logs / LOG_FILENAME) in seen[0]

    crashed = _main_py("segfault", data, exit_when_shown=False)
    assert crashed.returncode == -signal.SIGSEGV, crashed.stderr
    record = (paths.logs / "crash.log").read_text(encoding="utf-8")
    assert "Segmentation fault" in record and "segfault" in record  # with the Python stack

    _main_py("none", data, exit_when_shown=True)  # the next start notes it
    log_text = (paths.logs / LOG_FILENAME).read_text(encoding="utf-8")
    assert "an earlier run ended in a hard crash" in log_text
    kept = [r.path for r in crash_records(paths.logs) if r.path.name.startswith("crash-")]
    assert [p for p in kept if "Segmentation fault" in p.read_text(encoding="utf-8")]
