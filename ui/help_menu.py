"""The Help menu: About, Diagnostics, Export diagnostics… (every role).

The export holds no personal data (core.diagnostics.export), so every role may make
one; it is recorded in the audit log as the signed-in operator, like every export.
It runs on the background runner with its own database connection, and is written to
a ``.part`` file that takes its name only when complete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDir, QObject, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from core import api
from core.diagnostics.about import about_info
from core.diagnostics.export import ExportSummary, export_diagnostics
from core.operators.actor import Actor
from ui.diagnostics_dialog import AboutDialog, DiagnosticsDialog
from ui.tasks import CancelFn, Operation, ProgressFn
from ui.widgets import error_text, show_problem

if TYPE_CHECKING:
    from core.context import AppContext
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui.help")


def export_job(
    actor: Actor, target: Path, report: dict[str, Any] | None
) -> Callable[[AppContext, ProgressFn, CancelFn], Path]:
    """Runs on the background lane: the zip, and its audit row as ``actor``."""

    def export_diagnostics_zip(core: AppContext, _progress: ProgressFn, _cancel: CancelFn) -> Path:
        def record(summary: ExportSummary) -> None:
            api.record_diagnostics_export(core, actor, summary)

        return export_diagnostics(
            core.paths,
            target,
            report=report,
            record=record,
            extra_environment={"qt_runtime": qVersion()},
        )

    return export_diagnostics_zip


class HelpMenu(QObject):
    """Adds the Help menu to ``window``. The export runs on the window's background lane
    (beside sync, with its connection) and is recorded as the signed-in operator."""

    def __init__(self, window: MainWindow, lang: str) -> None:
        super().__init__(window)
        self._window = window
        self._lang = lang
        self._last_dir = QDir.homePath()
        self.about_dialog: AboutDialog | None = None
        self.diagnostics_dialog: DiagnosticsDialog | None = None
        self.export_op: Operation[Path] | None = None
        self.last_export: Path | None = None
        self.last_error: Exception | None = None

        self.act_about = QAction(self.tr("&About LoanDesk"), window)
        self.act_about.setObjectName("act_about")
        self.act_about.setToolTip(self.tr("Version, data folder, rule pack, last sync"))
        self.act_about.triggered.connect(self.open_about)
        self.act_diagnostics = QAction(self.tr("&Diagnostics"), window)
        self.act_diagnostics.setObjectName("act_diagnostics")
        self.act_diagnostics.setToolTip(self.tr("Check this PC's LoanDesk, as IT would"))
        self.act_diagnostics.triggered.connect(self.open_diagnostics)
        self.act_export = QAction(self.tr("&Export diagnostics…"), window)
        self.act_export.setObjectName("act_export_diagnostics")
        self.act_export.setToolTip(
            self.tr("Save a zip file for IT: logs and checks, no customer data")
        )
        self.act_export.triggered.connect(lambda: self.choose_file())

        self.menu = window.menuBar().addMenu(self.tr("&Help"))
        self.menu.setObjectName("help_menu")
        self.menu.addAction(self.act_about)
        self.menu.addAction(self.act_diagnostics)
        self.menu.addSeparator()
        self.menu.addAction(self.act_export)

    # --- About ---------------------------------------------------------------------------
    def open_about(self) -> AboutDialog | None:
        """Read what About shows on the window's lane, then show it (returned at once
        with the tests' runner)."""
        lang = self._lang
        op = self._window.lane.call(lambda core: about_info(core, lang), "about", self)
        op.on_success(self._show_about)
        op.on_failure(lambda exc: show_problem(self._window, error_text(exc, self._lang)))
        return self.about_dialog if op.succeeded else None

    def _show_about(self, info: Any) -> None:
        dialog = AboutDialog(info, self._window)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.about_dialog = dialog
        dialog.open()

    # --- Diagnostics -------------------------------------------------------------------
    def open_diagnostics(self) -> DiagnosticsDialog:
        if self.diagnostics_dialog is not None and self.diagnostics_dialog.isVisible():
            self.diagnostics_dialog.raise_()
            self.diagnostics_dialog.activateWindow()
            return self.diagnostics_dialog
        dialog = DiagnosticsDialog(
            self._window.context.paths,
            self._lang,
            self._window.task_runner,
            export=self.choose_file,
            parent=self._window,
        )
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.diagnostics_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _forget(self, dialog: AboutDialog | DiagnosticsDialog) -> None:
        if self.about_dialog is dialog:
            self.about_dialog = None
        if self.diagnostics_dialog is dialog:
            self.diagnostics_dialog = None
        dialog.deleteLater()

    # --- Export ----------------------------------------------------------------------------
    def choose_file(self, report: dict[str, Any] | None = None) -> Operation[Path] | None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        default = Path(self._last_dir) / f"loandesk-diagnostics-{stamp}.zip"
        parent = self.diagnostics_dialog or self._window
        path, _filter = QFileDialog.getSaveFileName(
            parent,
            self.tr("Export diagnostics"),
            str(default),
            self.tr("Zip files (*.zip);;All files (*)"),
        )
        if not path:
            return None
        self._last_dir = str(Path(path).parent)
        return self.export_to(Path(path), report)

    def export_to(self, target: Path, report: dict[str, Any] | None = None) -> Operation[Path]:
        """Write the zip in the background (``report``: checks already run, else anew)."""
        self.act_export.setEnabled(False)
        self.last_export, self.last_error = None, None
        self._note(self.tr("Exporting diagnostics…"))
        log.info("exporting diagnostics")
        op = self._window.sync.lane.job(
            export_job(self._window.actor, target, report), "export_diagnostics", self
        )
        self.export_op = op
        op.on_success(self._done).on_failure(self._failed)
        op.on_finished(lambda: self.act_export.setEnabled(True))
        return op

    def _done(self, path: Path) -> None:
        self.last_export = path
        self._note(
            self.tr(
                "Diagnostics saved to %1 – send this file to IT; it holds no customer data"
            ).replace("%1", str(path))
        )

    def _failed(self, exc: Exception) -> None:
        self.last_error = exc
        self._note("")
        show_problem(self.diagnostics_dialog or self._window, error_text(exc, self._lang))

    def _note(self, text: str) -> None:
        if self.diagnostics_dialog is not None:
            self.diagnostics_dialog.note(text)
        if text:
            self._window.statusBar().showMessage(text, 15000)
