"""What happens when something goes wrong that nobody caught: the GUI never dies silently.

:func:`install` (called once by ui.app when the window starts):

- an uncaught exception (``sys.excepthook``, on any thread: PySide reports one raised
  in a slot through it) and one in a Python thread (``threading.excepthook``) are
  logged with their traceback under an *incident reference* (a short id and the time),
  then shown on the GUI thread in a :class:`CrashDialog`: what happened in plain
  words, that saved applications are safe, the reference and the log file for IT, and
  "Copy details" (the exception's type and its scrubbed message: no personal data);
- ``faulthandler`` writes a hard crash (segfault, abort) to ``logs/crash.log``; at the
  next start a non-empty one is moved aside and noted in the log (core.diagnostics.about), and
  Help → About and Diagnostics show it.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from core.build_info import build_info
from core.diagnostics.crash_records import crash_file, set_aside_previous_crash
from core.logs import LOG_FILENAME

if TYPE_CHECKING:
    from ui.crash_dialog import CrashDialog

log = logging.getLogger("loandesk.crash")

# the same switch as ui.app.ENV_EXIT_AFTER_SHOWN (tests and the startup benchmark)
ENV_EXIT_AFTER_SHOWN = "LOANDESK_EXIT_AFTER_SHOWN"
MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class Incident:
    """One uncaught exception, as IT will ask about it on the phone."""

    ref: str  # 8 hex digits, e.g. "7F3A2C9B"
    at: datetime  # local, aware
    kind: str  # the exception's type name
    message: str  # its message, scrubbed of personal data and shortened
    thread: str
    log_file: Path

    @property
    def when(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def reference(self) -> str:
        return f"{self.ref} {self.when}"

    def details(self) -> str:
        """What "Copy details" puts on the clipboard (no personal data)."""
        return (
            f"LoanDesk incident {self.ref}\n"
            f"time: {self.at.isoformat(timespec='seconds')}\n"
            f"version: {build_info().describe()}\n"
            f"error: {self.kind}: {self.message}\n"
            f"thread: {self.thread}\n"
            f"log file: {self.log_file}\n"
        )


def new_incident(
    kind: type[BaseException], value: BaseException | None, thread: str, log_file: Path
) -> Incident:
    from core.diagnostics.export import scrub_text  # zipfile & co.: only when needed

    message = scrub_text(str(value) if value is not None else "")[0]
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + "…"
    import secrets

    return Incident(
        secrets.token_hex(4).upper(),
        datetime.now().astimezone(),
        kind.__name__,
        message,
        thread,
        log_file,
    )


class CrashReporter(QObject):
    """Lives on the GUI thread; the hooks call :meth:`handle` from any thread."""

    sig_incident = Signal(object)
    """An incident was logged (carries the Incident); emitted from the thread it
    happened on (slots of GUI objects get it on the GUI thread)."""

    _sig_show = Signal(object)
    """Internal: show this incident's dialog on the GUI thread."""

    def __init__(self, logs_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.logs_dir = logs_dir
        self.log_file = logs_dir / LOG_FILENAME
        self.incidents: list[Incident] = []
        self.dialog: CrashDialog | None = None
        self._previous: tuple[Any, Any] | None = None
        self._fault_file: IO[str] | None = None
        self._sig_show.connect(self._show)  # emitted from another thread: queued by Qt

    # --- the hooks ---------------------------------------------------------------------------
    def excepthook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.handle(kind, value, tb, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def handle(
        self,
        kind: type[BaseException],
        value: BaseException | None,
        tb: TracebackType | None,
        thread: str,
    ) -> Incident:
        """Log it (here and now, whatever the thread), then have the GUI thread show it."""
        incident = new_incident(kind, value, thread, self.log_file)
        try:
            text = "".join(traceback.format_exception(kind, value, tb))
        except Exception:  # noqa: BLE001 - a broken __str__ must not hide the incident
            text = f"{kind.__name__} (traceback unavailable)"
        log.error(
            "incident %s at %s: uncaught %s in thread %s\n%s",
            incident.ref,
            incident.at.isoformat(timespec="seconds"),
            incident.kind,
            thread,
            text,
        )
        self.incidents.append(incident)
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication):
            print(
                f"LoanDesk: unexpected error, incident {incident.reference}; see {self.log_file}",
                file=sys.stderr,
            )
            return incident
        on_gui = QThread.currentThread() == app.thread()
        if on_gui and QThread.currentThread().loopLevel() == 0:
            self._show(incident, wait=True)  # no event loop (yet, or any more): show now
        else:
            self._show_soon(incident)  # shown once the hook has returned
        self.sig_incident.emit(incident)
        return incident

    def _show_soon(self, incident: Incident) -> None:
        if QThread.currentThread() == self.thread():
            QTimer.singleShot(0, self, lambda: self._show(incident))
        else:
            self._sig_show.emit(incident)  # another thread: Qt queues it to ours

    # --- the dialog --------------------------------------------------------------------------
    @Slot(object)
    def _show(self, incident: Incident, wait: bool = False) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # one at a time; the others are in the log with their references
        from ui.crash_dialog import CrashDialog  # its widgets load only when needed

        dialog = CrashDialog(incident)  # no parent: a closing dialog must not take it along
        dialog.setModal(True)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.dialog = dialog
        if os.environ.get(ENV_EXIT_AFTER_SHOWN) == "1":

            def shown() -> None:
                print(f"SHOWN crash {incident.ref}", flush=True)
                dialog.done(0)

            QTimer.singleShot(0, shown)
        if wait:
            dialog.exec()
        else:
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()

    def _forget(self, dialog: CrashDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # --- installing --------------------------------------------------------------------------
    def _enable_fault_file(self) -> None:
        set_aside_previous_crash(self.logs_dir)
        try:
            self._fault_file = open(crash_file(self.logs_dir), "w", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(self._fault_file, all_threads=True)
        except OSError as exc:
            log.warning("hard crashes cannot be recorded in %s: %s", self.logs_dir, exc)

    def uninstall(self) -> None:
        """Put back the hooks found at install (tests); stop recording hard crashes."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None
        if self._fault_file is not None:
            faulthandler.disable()
            self._fault_file.close()
            self._fault_file = None


def install(
    logs_dir: Path, *, hard_crashes: bool = True, parent: QObject | None = None
) -> CrashReporter:
    """Install the hooks for the running QApplication (call on the GUI thread).

    ``hard_crashes``: also point faulthandler at ``logs/crash.log`` (after moving a
    previous run's record aside). Returns the reporter; ``uninstall()`` undoes it."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    reporter = CrashReporter(logs_dir, parent or QCoreApplication.instance())
    reporter._previous = (sys.excepthook, threading.excepthook)
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_excepthook
    if hard_crashes:
        reporter._enable_fault_file()
    return reporter


def __getattr__(name: str) -> Any:
    if name == "CrashDialog":  # kept in ui.crash_dialog so that starting stays light
        from ui.crash_dialog import CrashDialog

        return CrashDialog
    raise AttributeError(name)
