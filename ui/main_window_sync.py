"""The main window's sync side: the status bar's sync part, the sync panel, "Sync now",
live updates after a run, settings and enrolling (which reopens the context)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt

from core.context import AppContext, open_context
from core.store.db import StorageEnvironmentError
from core.sync.report import SyncReport
from ui.settings_dialog import SettingsDialog
from ui.sync_panel import SyncPanel
from ui.sync_status import SyncStatusWidget
from ui.widgets import error_text, show_problem

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from core.applications import ApplicationService
    from ui.applications_model import ApplicationsTableModel
    from ui.detail import DetailDialog
    from ui.main_window import MainWindow
    from ui.sync_controller import SyncController
    from ui.tasks import TaskRunner

log = logging.getLogger("loandesk.ui")


class SyncWindowMixin:
    """Mixed into MainWindow (which provides the attributes declared below)."""

    if TYPE_CHECKING:
        _ctx: AppContext
        _service: ApplicationService
        _lang: str
        _owned: list[AppContext]
        _tools_menu: QMenu
        model: ApplicationsTableModel
        sync: SyncController
        task_runner: TaskRunner
        act_sync: QAction
        act_rules: QAction
        detail_dialog: DetailDialog | None
        settings_dialog: SettingsDialog | None

        def refresh(self) -> None: ...
        def _guarded(self, action: Callable[[], object]) -> None: ...
        def _update_actions(self) -> None: ...
        def _update_rules_label(self) -> None: ...

    def _window(self) -> MainWindow:
        return self  # type: ignore[return-value]

    def _build_sync_ui(self) -> None:
        window = self._window()
        self.sync_status = SyncStatusWidget(self.sync, self._lang)
        self.sync_status.sig_open_panel.connect(self.show_sync_panel)
        window.statusBar().addPermanentWidget(self.sync_status)
        self.sync_panel = SyncPanel(self.sync, self._lang, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sync_panel)
        self.sync_panel.hide()
        panel_action = self.sync_panel.toggleViewAction()
        panel_action.setText(QCoreApplication.translate("MainWindow", "Sync &panel"))
        panel_action.setObjectName("act_sync_panel")
        self._tools_menu.insertAction(self.act_rules, panel_action)
        self.sync.sig_started.connect(lambda: self.act_sync.setEnabled(False))
        self.sync.sig_finished.connect(self._on_sync_finished)
        self.sync.sig_state_changed.connect(self._mark_returned)

    @property
    def context(self) -> AppContext:
        return self._ctx

    def sync_now(self) -> None:
        """Toolbar "Sync now": show the panel and start a run (one at a time)."""
        self.show_sync_panel()
        self.sync.sync_now()

    def show_sync_panel(self) -> SyncPanel:
        self.sync_panel.show()
        self.sync_panel.raise_()
        return self.sync_panel

    def _on_sync_finished(self, report: SyncReport | None) -> None:
        """Decisions update the list live: statuses of the loaded rows, the open detail."""
        self.act_sync.setEnabled(True)
        if report is None:
            return
        if self.model.query.status is not None:
            self.refresh()  # rows may have entered or left the filtered list
        else:
            self._guarded(self.model.refresh_open_rows)
        self._update_actions()
        if self.detail_dialog is not None and self.detail_dialog.isVisible():
            self.detail_dialog.reload()
        if report.pack_installed:
            self._update_rules_label()

    def _mark_returned(self) -> None:
        """Rejected applications stay queued in core; the list shows they came back."""
        try:
            ids = frozenset(i.application_id for i in self.sync.rejected_items())
        except StorageEnvironmentError as exc:
            log.warning("rejected items unreadable: %s", exc.code)
            return
        self.model.set_returned(ids)

    def open_settings(self) -> SettingsDialog:
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return self.settings_dialog
        dialog = SettingsDialog(self.sync, self._lang, self._window())
        dialog.sig_enrolled.connect(lambda _done: self.reopen_context())
        dialog.finished.connect(lambda _result: self._forget_settings_dialog(dialog))
        self.settings_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        return dialog

    def _forget_settings_dialog(self, dialog: SettingsDialog) -> None:
        if self.settings_dialog is dialog:
            self.settings_dialog = None
        dialog.deleteLater()

    def reopen_context(self) -> None:
        """Enrolling renamed the store and rewrote the settings file: rebuild the services
        from a fresh context, as core requires. The old one stays open until the window
        closes (a dialog may still hold its services)."""
        try:
            # still as the logged-in operator, never the built-in admin account
            fresh = open_context(self._ctx.paths, self._ctx.clock).as_operator(
                self._service.actor)
        except StorageEnvironmentError as exc:
            show_problem(self._window(), error_text(exc, self._lang))
            return
        self._owned.append(fresh)
        self._ctx = fresh
        self._service = fresh.applications
        self._guarded(lambda: self.model.set_service(fresh.applications))
        self.sync.set_context(fresh)
        self._update_rules_label()
        self._update_actions()
        log.info("context reopened after enrollment")

    def shutdown(self) -> None:
        """Stop syncing and the worker; close the contexts this window opened. Called on
        close and when the application quits (whichever comes first)."""
        self.sync.stop()
        if self.task_runner.busy():  # a request may take a while to end: go away first
            self._window().hide()
        self.task_runner.shutdown()
        owned, self._owned = self._owned, []
        for ctx in owned:
            ctx.close()
