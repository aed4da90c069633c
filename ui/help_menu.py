"""The Help menu: About, Diagnostics, Export diagnostics… (every role).

The export holds no personal data (core.diagnostics_export), so every role may make
one; it is recorded in the audit log as the signed-in operator, like every export.
It runs on the background runner with its own database connection, and is written to
a ``.part`` file that takes its name only when complete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QObject, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow

from core.about import about_info
from core.actor import Actor
from core.clock import Clock
from core.config import Paths
from core.context import AppContext, open_context
from core.diagnostics_export import ExportSummary, export_diagnostics, record_export
from core.store.db import StorageEnvironmentError
from ui.diagnostics_dialog import AboutDialog, DiagnosticsDialog
from ui.tasks import CancelFn, Job, Operation, ProgressFn, TaskRunner, run
from ui.widgets import error_text, show_problem

log = logging.getLogger("loandesk.ui.help")


def export_job(
    paths: Paths, clock: Clock, actor: Actor, target: Path, report: dict[str, Any] | None
) -> Job[Path]:
    """Runs on the worker: its own context, to record the export as ``actor``."""

    def export_diagnostics_zip(_progress: ProgressFn, _cancel: CancelFn) -> Path:
        ctx = open_context(paths, clock)
        try:

            def record(summary: ExportSummary) -> None:
                record_export(ctx.db, actor, ctx.clock, summary)

            return export_diagnostics(
                paths,
                target,
                report=report,
                record=record,
                extra_environment={"qt_runtime": qVersion()},
            )
        finally:
            ctx.close()

    return export_diagnostics_zip


class HelpMenu(QObject):
    """Adds the Help menu to ``window``; ``context`` is read when an action runs."""

    def __init__(
        self, window: QMainWindow, lang: str, runner: TaskRunner, context: Callable[[], AppContext]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._lang = lang
        self._runner = runner
        self._context = context
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
        try:
            info = about_info(self._context(), self._lang)
        except StorageEnvironmentError as exc:
            show_problem(self._window, error_text(exc, self._lang))
            return None
        dialog = AboutDialog(info, self._window)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        self.about_dialog = dialog
        dialog.open()
        return dialog

    # --- Diagnostics -------------------------------------------------------------------
    def open_diagnostics(self) -> DiagnosticsDialog:
        if self.diagnostics_dialog is not None and self.diagnostics_dialog.isVisible():
            self.diagnostics_dialog.raise_()
            self.diagnostics_dialog.activateWindow()
            return self.diagnostics_dialog
        dialog = DiagnosticsDialog(
            self._context().paths,
            self._lang,
            self._runner,
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
        ctx = self._context()
        self.act_export.setEnabled(False)
        self.last_export, self.last_error = None, None
        self._note(self.tr("Exporting diagnostics…"))
        log.info("exporting diagnostics")
        op = run(
            self,
            export_job(ctx.paths, ctx.clock, ctx.applications.actor, target, report),
            runner=self._runner,
            name="export_diagnostics",
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
