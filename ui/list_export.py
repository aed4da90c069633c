"""Export the applications list as the window shows it (search and status filter) to a
CSV file: the action in the main window, for roles with EXPORT.

The work is core.exports.csv_list.export_csv on the background runner (its own connection, as
the logged-in operator: core checks EXPORT and writes the audit row). A progress
dialog with Cancel appears only when the export lasts; a failure (a full USB stick, a
read-only folder) is said in plain words and leaves no file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from core import api
from core.exports.csv_list import ExportError, ExportResult
from core.models import ListQuery
from core.operators.actor import Actor
from core.security.permissions import Permission
from ui.db_lane import CoreLane
from ui.delayed_progress import delayed_progress, show_counts
from ui.permissions import can, refusal_text
from ui.tasks import (
    PROGRESS_DELAY_MS,
    CancelFn,
    Operation,
    ProgressFn,
    TaskCancelled,
)
from ui.widgets import show_problem

if TYPE_CHECKING:
    from core.context import AppContext
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui.export")


def export_list_job(
    actor: Actor, query: ListQuery, target: Path, lang: str
) -> Callable[[AppContext, ProgressFn, CancelFn], ExportResult]:
    """Runs on a background lane, acting as ``actor``."""

    def export_list(core: AppContext, progress: ProgressFn, cancel: CancelFn) -> ExportResult:
        return api.export_list(
            core, actor, query, target, lang=lang, progress=progress, cancel=cancel
        )

    return export_list


class ListExport(QObject):
    """The "Export list…" action; ``query`` is read when it runs (the filter may have
    changed). The export runs on ``lane`` (default the window's background lane)."""

    def __init__(
        self,
        parent: MainWindow,
        lang: str,
        query: Callable[[], ListQuery],
        *,
        lane: CoreLane | None = None,
        progress_delay_ms: int = PROGRESS_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._lang = lang
        self._lane = lane
        self._query = query
        self._last_dir = QDir.homePath()
        self.op: Operation[ExportResult] | None = None
        self.last_result: ExportResult | None = None
        self.last_error: Exception | None = None
        self.action = QAction(self.tr("E&xport list…"), parent)
        self.action.setObjectName("act_export")
        self.action.setToolTip(
            self.tr(
                "Save the applications listed (with the current search "
                "and filter) to a CSV file; ID numbers and phones are "
                "masked"
            )
        )
        self.action.triggered.connect(self.choose_file)
        self.progress, self._delay = delayed_progress(
            parent,
            self,
            self.tr("Exporting the list…"),
            self.tr("Cancel"),
            "export_progress",
            self.cancel,
            progress_delay_ms,
        )
        self.progress.setWindowTitle(self.tr("Export list"))
        self.update_enabled()

    def update_enabled(self) -> None:
        """Shown and enabled only for roles with EXPORT (core refuses the others)."""
        may = can(self._window.actor, Permission.EXPORT)
        self.action.setVisible(may)
        self.action.setEnabled(may and (self.op is None or self.op.done))

    def choose_file(self) -> None:
        default = Path(self._last_dir) / f"loandesk-applications-{date.today():%Y%m%d}.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export list"),
            str(default),
            self.tr("CSV files (*.csv);;All files (*)"),
        )
        if path:
            self._last_dir = str(Path(path).parent)
            self.export_to(Path(path))

    def export_to(self, target: Path) -> Operation[ExportResult]:
        job = export_list_job(self._window.actor, self._query(), target, self._lang)
        self.action.setEnabled(False)
        self.last_result, self.last_error = None, None
        log.info("exporting the applications list")
        lane = self._lane if self._lane is not None else self._window.sync.lane
        op = lane.job(job, "export_list", self)
        self.op = op
        op.with_progress(self._delay)
        op.on_progress(self._on_progress)
        op.on_success(self._done).on_failure(self._failed).on_finished(self.update_enabled)
        return op

    def cancel(self) -> None:
        if self.op is not None and not self.op.done:
            self.op.cancel()

    def _on_progress(self, _phase: str, done: int, total: int) -> None:
        show_counts(self.progress, done, total)
        self.progress.setLabelText(
            self.tr("Exporting the list… %1 of %2")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def _done(self, result: ExportResult) -> None:
        self.last_result = result
        text = self.tr("%n application(s) exported to %1", "", result.count).replace(
            "%1", str(result.path)
        )
        bar = getattr(self._window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 15000)

    def _failed(self, exc: Exception) -> None:
        self.last_error = exc
        if isinstance(exc, TaskCancelled) or (
            isinstance(exc, ExportError) and exc.code == "EXPORT_CANCELLED"
        ):
            return  # the operator asked (or the window is closing): nothing to explain
        show_problem(self._window, refusal_text(exc, self._lang))
