"""The main window's sync side: the status bar's sync part, the sync panel, "Sync now",
live updates after a run, settings and enrolling (which reopens the context).

A controller the window owns (``window.sync_side``)."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt

from core.config import Settings
from core.sync.report import SyncReport
from ui.settings_dialog import SettingsDialog
from ui.sync_panel import SyncPanel
from ui.sync_status import SyncStatusWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui")


class SyncSide(QObject):
    """Sync status, panel, settings and the contexts enrolling opens, for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.settings_dialog: SettingsDialog | None = None
        self.reopened = 0  # times enrolling made the lanes open their connections again
        sync = window.sync
        self.sync_status = SyncStatusWidget(sync, window.lang)
        self.sync_status.sig_open_panel.connect(self.show_sync_panel)
        window.statusBar().addPermanentWidget(self.sync_status)
        self.sync_panel = SyncPanel(sync, window.lang, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sync_panel)
        self.sync_panel.hide()
        panel_action = self.sync_panel.toggleViewAction()
        panel_action.setText(QCoreApplication.translate("MainWindow", "Sync &panel"))
        panel_action.setObjectName("act_sync_panel")
        window.tools_menu.insertAction(window.act_rules, panel_action)
        sync.sig_started.connect(lambda: window.act_sync.setEnabled(False))
        sync.sig_finished.connect(self._on_sync_finished)
        sync.sig_state_changed.connect(self.mark_returned)

    def sync_now(self) -> None:
        """Toolbar "Sync now": show the panel and start a run (one at a time)."""
        self.show_sync_panel()
        self._window.sync.sync_now()

    def show_sync_panel(self) -> SyncPanel:
        self.sync_panel.show()
        self.sync_panel.raise_()
        return self.sync_panel

    def _on_sync_finished(self, report: SyncReport | None) -> None:
        """Decisions update the list live: statuses of the loaded rows, the open detail."""
        window = self._window
        window.act_sync.setEnabled(True)
        if report is None:
            return
        if window.model.query.status is not None:
            window.refresh()  # rows may have entered or left the filtered list
        else:
            window.model.refresh_open_rows()
        window.update_actions()
        detail = window.dialogs.detail_dialog
        if detail is not None and detail.isVisible():
            detail.reload()
        if report.pack_installed:
            window.dialogs.update_rules_label()

    def mark_returned(self) -> None:
        """Rejected applications stay queued in core; the list shows they came back."""
        sync = self._window.sync
        if not sync.state_known:
            return  # sig_state_changed calls again once it is read
        try:
            ids = frozenset(i.application_id for i in sync.rejected_items())
        except Exception as exc:  # the status bar and the panel explain it
            log.warning("rejected items unreadable: %s", getattr(exc, "code", type(exc).__name__))
            return
        self._window.model.set_returned(ids)

    def open_settings(self) -> SettingsDialog:
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return self.settings_dialog
        dialog = SettingsDialog(self._window.sync, self._window.lang, self._window)
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
        """Enrolling renamed the store and rewrote the settings file: the lanes rebuild
        their services from fresh connections, as core requires (still as the signed-in
        operator, never the built-in admin account)."""
        window = self._window
        old = window.context
        fresh = dataclasses.replace(old, settings=Settings(old.paths.settings_file))
        self.reopened += 1
        window.use_basis(fresh)
        log.info("connections reopened after enrollment")

    def shutdown(self) -> None:
        """Stop syncing and the worker; close the contexts this window opened. Called on
        close and when the application quits (whichever comes first)."""
        window = self._window
        window.sync.stop()
        if window.task_runner.busy():  # a request may take a while to end: go away first
            window.hide()
        window.sync.close_lane()
        window.task_runner.shutdown()
