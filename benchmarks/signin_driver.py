"""One sign-in, timed, in a fresh process (benchmarks/bench_signin.py runs it).

The real start: a StartupContext and the Session that ``run_gui`` uses show the sign-in
screen; once the app's data is open (as it is by the time a clerk has typed), the login
and password are filled in and the button pressed. Timed from the press to the main
window painted with the first page of the list. Prints ``SIGNIN_MS <ms> ROWS <n>``.

    python -m benchmarks.signin_driver DATA_DIR LOGIN PASSWORD
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from core.config import resolve_paths
from core.startup import StartupContext
from ui.app import install_translations, make_main_window
from ui.session import Session


def main(data_dir: str, login: str, password: str) -> int:
    app = QApplication([])
    install_translations(app, "zh_CN")
    source = StartupContext(resolve_paths(data_dir))
    session = Session(
        source, "zh_CN", lambda basis, lane: make_main_window(basis, "zh_CN", lane=lane)
    )
    result: dict[str, float] = {}

    def press() -> None:
        dialog = session.login_dialog
        assert dialog is not None
        dialog.login_edit.setText(login)
        dialog.password_edit.setText(password)
        result["pressed"] = time.perf_counter()
        dialog.login_button.click()  # signs in on the lane; the main window follows

    def painted() -> None:
        window = session.window
        assert window is not None
        window.repaint()  # the first page painted, not only queued
        result["painted"] = time.perf_counter()
        result["rows"] = window.model.rowCount()
        QTimer.singleShot(0, app.quit)

    def shown(screen: str) -> None:
        if screen != "main":
            return
        window = session.window
        assert window is not None
        if window.model.loading:  # the first page is read on the lane: wait for it
            window.model.modelReset.connect(painted)
        else:
            painted()

    session.sig_shown.connect(shown)
    session.sig_ready.connect(lambda: QTimer.singleShot(0, press))
    session.sig_failed.connect(lambda exc: (print(f"FAILED {exc!r}", file=sys.stderr), app.quit()))
    QTimer.singleShot(60_000, app.quit)  # bounded: never hang a benchmark run
    session.start()
    app.exec()
    session.shutdown()
    source.close()
    if "painted" not in result:
        print("sign-in did not reach the main window", file=sys.stderr)
        return 1
    print(
        f"SIGNIN_MS {(result['painted'] - result['pressed']) * 1000:.2f} "
        f"ROWS {int(result['rows'])}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
