"""The field managers' tools in the main window's Tools menu, each shown only to the
roles core lets do it (core refuses anyway):

- Dashboard… (VIEW_ALL_STORES: field managers, admins): ui.dashboard, read on the
  window's lane; a figure opens the list filtered to it (``window.show_filtered``:
  the list's filter bar shows it and clears it);
- Export to Excel… (EXPORT): a period, then a file; core.exports.xlsx on the background
  lane with progress and Cancel, masked, audited in core;
- Export / Import offline bundle… (SYNC, every role: a store with no network, and the
  field manager's connected laptop): core.bundle on the background lane; a refusal
  (changed file, another store's, an older one…) is said in plain words, zh or en;
- Product catalog… (every role): ui.catalog_page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QDir, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMessageBox,
)

from core.exports.csv_list import ExportError, ExportResult
from core.field import api as field_api
from core.field.dashboard import Period
from core.models import ListQuery
from core.security.permissions import Permission
from ui.catalog_page import CatalogDialog
from ui.dashboard import DashboardWindow
from ui.dashboard.period import PeriodDialog
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

log = logging.getLogger("loandesk.ui.field")
T = TypeVar("T")
BUNDLE_FILTER = "*.ldbundle"


class FieldTools(QObject):
    def __init__(
        self, window: MainWindow, lang: str, *, progress_delay_ms: int = PROGRESS_DELAY_MS
    ) -> None:
        super().__init__(window)
        self._window = window
        self._lang = lang
        self._last_dir = QDir.homePath()
        self.dashboard: DashboardWindow | None = None
        self.catalog: CatalogDialog | None = None
        self.op: Operation[Any] | None = None
        self.last_result: Any = None
        self.last_error: Exception | None = None
        self.message_box: QMessageBox | None = None

        def action(name: str, text: str, tip: str, slot: Callable[[], object]) -> QAction:
            act = QAction(text, window)
            act.setObjectName(name)
            act.setToolTip(tip)
            act.triggered.connect(lambda _checked=False: slot())
            return act

        self.act_dashboard = action(
            "act_dashboard",
            self.tr("&Dashboard…"),
            self.tr("Figures of your stores: today, this week, this month or a range"),
            self.open_dashboard,
        )
        self.act_export_xlsx = action(
            "act_export_xlsx",
            self.tr("Export to E&xcel…"),
            self.tr("The applications of a period and the dashboard's figures, masked"),
            self.choose_xlsx,
        )
        self.act_bundle_export = action(
            "act_bundle_export",
            self.tr("Export offline &bundle…"),
            self.tr("No network: write what head office has not received to a USB stick"),
            self.choose_bundle_export,
        )
        self.act_bundle_import = action(
            "act_bundle_import",
            self.tr("&Import offline bundle…"),
            self.tr(
                "A store's bundle: send it to head office and write the return bundle; "
                "a return bundle: take head office's answers"
            ),
            self.choose_bundle_import,
        )
        self.act_catalog = action(
            "act_catalog",
            self.tr("Product &catalog…"),
            self.tr("Search the catalog; see its changes"),
            self.open_catalog,
        )
        menu = window.tools_menu
        menu.addSeparator()
        menu.addActions([self.act_dashboard, self.act_export_xlsx])
        menu.addSeparator()
        menu.addActions([self.act_bundle_export, self.act_bundle_import])
        menu.addSeparator()
        menu.addAction(self.act_catalog)

        self.progress, self._delay = delayed_progress(
            window,
            self,
            self.tr("Working…"),
            self.tr("Cancel"),
            "field_progress",
            self.cancel,
            progress_delay_ms,
        )
        self.update_enabled()

    def update_enabled(self) -> None:
        actor = self._window.actor
        idle = self.op is None or self.op.done
        for act, permission in (
            (self.act_dashboard, Permission.VIEW_ALL_STORES),
            (self.act_export_xlsx, Permission.EXPORT),
            (self.act_bundle_export, Permission.SYNC),
            (self.act_bundle_import, Permission.SYNC),
        ):
            may = can(actor, permission)
            act.setVisible(may)
            act.setEnabled(may and (idle or act is self.act_dashboard))

    # --- dashboard and catalog ------------------------------------------------------------
    def open_dashboard(self) -> DashboardWindow:
        if self.dashboard is None:
            w = self._window
            self.dashboard = DashboardWindow(
                w.lane, w.actor, w.context.clock, self._lang, self.open_list, w
            )
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        self.dashboard.reload()
        return self.dashboard

    def open_list(self, query: ListQuery, words: str) -> None:
        """The main window's list, filtered to a dashboard figure: the figure's query
        replaces the search and every filter, and the filter bar shows it."""
        self._window.show_filtered(query, words)
        self._window.raise_()
        self._window.activateWindow()

    def show_all(self) -> None:
        """Back to the whole list (the filter bar's "Clear filters")."""
        self._window.clear_filters()

    def open_catalog(self) -> CatalogDialog:
        if self.catalog is None:
            self.catalog = CatalogDialog(self._window.lane, self._lang, self._window)
        self.catalog.show()
        self.catalog.raise_()
        self.catalog.start()
        return self.catalog

    # --- Excel ----------------------------------------------------------------------------
    def choose_xlsx(self) -> None:
        dialog = PeriodDialog(self._window.context.clock, self.tr("Export to Excel"), self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        period = dialog.period()
        name = f"loandesk-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
        path = self._save_name(self.tr("Export to Excel"), name, self.tr("Excel files (*.xlsx)"))
        if path is not None:
            self.export_xlsx_to(period, path)

    def export_xlsx_to(self, period: Period, target: Path) -> Operation[ExportResult]:
        actor, lang = self._window.actor, self._lang

        def job(core: AppContext, progress: ProgressFn, cancel: CancelFn) -> ExportResult:
            return field_api.export_xlsx(
                core, actor, period, target, lang=lang, progress=progress, cancel=cancel
            )

        return self._run(job, "export_xlsx", self.tr("Exporting to Excel…"), self._xlsx_done)

    def _xlsx_done(self, result: ExportResult) -> None:
        self._say(
            self.tr("%n application(s) exported to %1", "", result.count).replace(
                "%1", str(result.path)
            ),
            box=False,
        )

    # --- offline bundles ------------------------------------------------------------------
    def choose_bundle_export(self) -> None:
        name = f"loandesk-bundle-{date.today():%Y%m%d}.ldbundle"
        path = self._save_name(self.tr("Export offline bundle"), name, self._bundle_filter())
        if path is not None:
            self.export_bundle_to(path)

    def export_bundle_to(self, target: Path) -> Operation[field_api.BundleDone]:
        actor = self._window.actor

        def job(core: AppContext, progress: ProgressFn, _cancel: CancelFn) -> field_api.BundleDone:
            return field_api.bundle_export(core, actor, target, progress)

        return self._run(
            job, "bundle_export", self.tr("Writing the offline bundle…"), self._bundle_done
        )

    def choose_bundle_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._window, self.tr("Import offline bundle"), self._last_dir, self._bundle_filter()
        )
        if path:
            self._last_dir = str(Path(path).parent)
            self.import_bundle_from(Path(path))

    def import_bundle_from(
        self, source: Path, out: Path | None = None
    ) -> Operation[field_api.BundleDone]:
        actor = self._window.actor

        def job(core: AppContext, _progress: ProgressFn, _cancel: CancelFn) -> field_api.BundleDone:
            return field_api.bundle_import(core, actor, source, out)

        return self._run(
            job, "bundle_import", self.tr("Importing the offline bundle…"), self._bundle_done
        )

    def _bundle_done(self, done: field_api.BundleDone) -> None:
        counts = dict(done.counts)
        if done.action == "exported":
            text = (
                self.tr("Offline bundle %1 with %n application(s) written to %2.", "", done.items)
                .replace("%1", str(done.seq))
                .replace("%2", str(done.path))
                + "\n"
                + self.tr(
                    "Take it to a connected PC and import it there; bring back the return "
                    "bundle and import it here. The applications stay queued until then."
                )
            )
        elif done.action == "relayed":
            text = (
                self.tr(
                    "Bundle %1 of store %2 sent to head office (%n application(s)).", "", done.items
                )
                .replace("%1", str(done.seq))
                .replace("%2", done.store_code)
                + "\n"
                + self.tr(
                    "Return bundle written to %1: take it back to the store and import it there."
                ).replace("%1", str(done.path))
            )
        elif done.action == "already_imported":
            text = self.tr("Return bundle %1 was imported before: nothing changed.").replace(
                "%1", str(done.seq)
            )
        else:
            text = (
                self.tr(
                    "Return bundle %1 imported: %2 acknowledged, %3 refused, %4 decision(s), "
                    "%5 catalog change(s)."
                )
                .replace("%1", str(done.seq))
                .replace("%2", str(counts.get("acked", 0)))
                .replace("%3", str(counts.get("rejected", 0)))
                .replace("%4", str(counts.get("decisions", 0)))
                .replace("%5", str(counts.get("catalog", 0)))
            )
            self._window.refresh()
            self._window.sync.state_may_have_changed()
        self._say(text, box=True)

    def _bundle_filter(self) -> str:
        return self.tr("Offline bundles (%1);;All files (*)").replace("%1", BUNDLE_FILTER)

    # --- shared ---------------------------------------------------------------------------
    def _save_name(self, title: str, name: str, filters: str) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(
            self._window, title, str(Path(self._last_dir) / name), filters
        )
        if not path:
            return None
        self._last_dir = str(Path(path).parent)
        return Path(path)

    def _run(
        self,
        job: Callable[[AppContext, ProgressFn, CancelFn], T],
        name: str,
        label: str,
        done: Callable[[T], None],
    ) -> Operation[T]:
        """``job`` on the background lane (beside sync), with progress and Cancel."""
        self.last_result, self.last_error = None, None
        self.progress.setLabelText(label)
        self.progress.setWindowTitle(label.rstrip("…"))
        log.info("field tool: %s", name)
        op = self._window.sync.lane.job(job, name, self)
        self.op = op
        self.update_enabled()
        op.with_progress(self._delay)
        op.on_progress(self._on_progress)

        def succeeded(value: T) -> None:
            self.last_result = value
            done(value)

        op.on_success(succeeded).on_failure(self._failed).on_finished(self.update_enabled)
        return op

    def cancel(self) -> None:
        if self.op is not None and not self.op.done:
            self.op.cancel()

    def _on_progress(self, _phase: str, done: int, total: int) -> None:
        show_counts(self.progress, done, total)

    def _failed(self, exc: Exception) -> None:
        self.last_error = exc
        if isinstance(exc, TaskCancelled) or (
            isinstance(exc, ExportError) and exc.code == "EXPORT_CANCELLED"
        ):
            return
        log.warning("field tool failed: %s", getattr(exc, "code", type(exc).__name__))
        show_problem(self._window, refusal_text(exc, self._lang))

    def _say(self, text: str, *, box: bool) -> None:
        self._window.statusBar().showMessage(text.replace("\n", " "), 30000)
        if box:
            message = QMessageBox(QMessageBox.Icon.Information, self.tr("Offline bundle"), text)
            message.setObjectName("field_message")
            message.setParent(self._window, message.windowFlags())
            message.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.message_box = message
            message.finished.connect(lambda _r: self._forget_box(message))
            message.open()

    def _forget_box(self, message: QMessageBox) -> None:
        if self.message_box is message:
            self.message_box = None
