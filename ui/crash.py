"""What happens when something goes wrong that nobody caught: the GUI never dies silently.

:func:`install` (called once by ui.app when the window starts):

- an uncaught exception (``sys.excepthook``, on any thread: PySide reports one raised
  in a slot through it) and one in a Python thread (``threading.excepthook``) are
  logged with their traceback under an *incident reference* (a short id and the time),
  then shown on the GUI thread in a :class:`CrashDialog`: what happened in plain
  words, that saved applications are safe, the reference and the log file for IT, and
  "Copy details" (the exception's type and its scrubbed message: no personal data);
- ``faulthandler`` writes a hard crash (segfault, abort) to ``logs/crash.log``; at the
  next start a non-empty one is moved aside and noted in the log (core.about), and
  Help → About and Diagnostics show it.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import secrets
import sys
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.about import crash_file, set_aside_previous_crash
from core.build_info import build_info
from core.diagnostics_export import scrub_text
from core.logs import LOG_FILENAME

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
        return (f"LoanDesk incident {self.ref}\n"
                f"time: {self.at.isoformat(timespec='seconds')}\n"
                f"version: {build_info().describe()}\n"
                f"error: {self.kind}: {self.message}\n"
                f"thread: {self.thread}\n"
                f"log file: {self.log_file}\n")


def new_incident(kind: type[BaseException], value: BaseException | None, thread: str,
                 log_file: Path) -> Incident:
    message = scrub_text(str(value) if value is not None else "")[0]
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + "…"
    return Incident(secrets.token_hex(4).upper(), datetime.now().astimezone(),
                    kind.__name__, message, thread, log_file)


class CrashDialog(QDialog):
    """The readable explanation of an incident, with what to tell IT."""

    def __init__(self, incident: Incident, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.incident = incident
        self.setObjectName("crash_dialog")
        self.setWindowTitle(self.tr("LoanDesk – something went wrong"))
        self.setMinimumWidth(520)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        headline = QLabel(self.tr("Something went wrong and the last action was not "
                                  "completed."))
        headline.setObjectName("crash_headline")
        font = headline.font()
        font.setBold(True)
        headline.setFont(font)
        headline.setWordWrap(True)
        safe = QLabel(self.tr("Applications that were already saved are safe. You can go on "
                              "working; if this happens again, call IT and tell them the "
                              "reference below."))
        safe.setWordWrap(True)
        self.reference_label = QLabel(self.tr("Reference: %1").replace("%1", incident.reference))
        self.reference_label.setObjectName("crash_reference")
        self.reference_label.setFont(font)
        self.reference_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label = QLabel(self.tr("The details are in the log file:\n%1")
                                .replace("%1", str(incident.log_file)))
        self.log_label.setObjectName("crash_log_file")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel(self.tr("Error: %1").replace("%1", incident.kind))
        self.error_label.setObjectName("crash_error")
        self.error_label.setStyleSheet("color: #555;")

        text = QVBoxLayout()
        text.setSpacing(10)
        for w in (headline, safe, self.reference_label, self.log_label, self.error_label):
            text.addWidget(w)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(8)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("&Copy details"))
        self.copy_button.setObjectName("crash_copy")
        self.copy_button.setToolTip(self.tr("Copy the reference and the error for IT (no "
                                            "customer data)"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("crash_close")
        buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("crash_status")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

    def text(self) -> str:
        """Every text shown, for tests and screen readers."""
        return "\n".join(w.text() for w in self.findChildren(QLabel) if w.text())

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.incident.details())
        self.status.setText(self.tr("Copied."))


class CrashReporter(QObject):
    """Lives on the GUI thread; the hooks call :meth:`handle` from any thread."""

    sig_incident = Signal(object)
    """An incident was logged (carries the Incident); delivered on the GUI thread."""

    def __init__(self, logs_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.logs_dir = logs_dir
        self.log_file = logs_dir / LOG_FILENAME
        self.incidents: list[Incident] = []
        self.dialog: CrashDialog | None = None
        self._previous: tuple[Any, Any] | None = None
        self._fault_file: IO[str] | None = None
        self.sig_incident.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # --- the hooks ---------------------------------------------------------------------------
    def excepthook(self, kind: type[BaseException], value: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.handle(kind, value, tb, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def handle(self, kind: type[BaseException], value: BaseException | None,
               tb: TracebackType | None, thread: str) -> Incident:
        """Log it (here and now, whatever the thread), then have the GUI thread show it."""
        incident = new_incident(kind, value, thread, self.log_file)
        try:
            text = "".join(traceback.format_exception(kind, value, tb))
        except Exception:  # noqa: BLE001 - a broken __str__ must not hide the incident
            text = f"{kind.__name__} (traceback unavailable)"
        log.error("incident %s at %s: uncaught %s in thread %s\n%s", incident.ref,
                  incident.at.isoformat(timespec="seconds"), incident.kind, thread, text)
        self.incidents.append(incident)
        app = QCoreApplication.instance()
        if not isinstance(app, QApplication):
            print(f"LoanDesk: unexpected error, incident {incident.reference}; see "
                  f"{self.log_file}", file=sys.stderr)
            return incident
        on_gui = QThread.currentThread() == app.thread()
        if on_gui and QThread.currentThread().loopLevel() == 0:
            self._show(incident, wait=True)  # no event loop (yet, or any more): show now
        else:
            self.sig_incident.emit(incident)  # queued: shown once the hook has returned
        return incident

    # --- the dialog --------------------------------------------------------------------------
    @Slot(object)
    def _show(self, incident: Incident, wait: bool = False) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # one at a time; the others are in the log with their references
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


def install(logs_dir: Path, *, hard_crashes: bool = True,
            parent: QObject | None = None) -> CrashReporter:
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
