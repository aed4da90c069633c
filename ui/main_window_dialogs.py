"""The main window's dialogs on a selected application and on the rules: the detail
view, cancelling, and the rules page (with the status bar's "rules out of date" hint).

A controller the window owns (``window.dialogs``); it reads the window's current
context and service each time, since enrolling replaces them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from core.applications.snapshot import ApplicationSnapshot
from ui.detail import DetailDialog, opening
from ui.permissions import refusal_text
from ui.rules_page import RulesDialog
from ui.widgets import confirm, show_problem

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui")


class ApplicationDialogs(QObject):
    """Detail, cancel and rules for one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.detail_dialog: DetailDialog | None = None
        self.rules_dialog: RulesDialog | None = None

    def open_selected(self) -> DetailDialog | None:
        """Read the selected application on the lane, then show it (returned at once
        with the tests' runner)."""
        window = self._window
        app_id = window.selected_id()
        if app_id is None:
            return None
        self.detail_dialog = None
        op = opening(window.lane, app_id, self)
        op.on_success(self._show_detail)
        op.on_failure(  # e.g. another store's
            lambda exc: show_problem(window, refusal_text(exc, window.lang))
        )
        return self.detail_dialog

    def _show_detail(self, snapshot: ApplicationSnapshot) -> None:
        window = self._window
        dialog = DetailDialog(window.lane, window.actor, snapshot, window.lang, window)
        dialog.sig_changed.connect(window.application_changed)
        dialog.finished.connect(lambda _result: self._forget_detail_dialog(dialog))
        self.detail_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def open_rules(self) -> RulesDialog:
        """The rules page: the active rule pack, and loading one from a file."""
        if self.rules_dialog is not None and self.rules_dialog.isVisible():
            self.rules_dialog.raise_()
            self.rules_dialog.activateWindow()
            return self.rules_dialog
        window = self._window
        dialog = RulesDialog(
            window.lane, window.lang, window, actor=window.actor
        )  # LOAD_RULE_PACK, audited
        dialog.finished.connect(lambda _result: self._forget_rules_dialog(dialog))
        self.rules_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        return dialog

    def _forget_rules_dialog(self, dialog: RulesDialog) -> None:
        if self.rules_dialog is dialog:
            self.rules_dialog = None
        self.update_rules_label()
        dialog.deleteLater()

    def update_rules_label(self) -> None:
        """A standing hint in the status bar while no usable rule pack is active (read on
        the lane; an unreadable status counts as not usable)."""

        def usable(core: Any) -> bool:
            rules = core.rules
            return bool(rules is not None and rules.status().usable)

        op = self._window.lane.call(usable, "rules_usable", self)
        op.on_success(self._show_rules_label)
        op.on_failure(lambda exc: self._show_rules_label(False))

    def _show_rules_label(self, usable: bool) -> None:
        label = self._window.rules_label
        label.setText(
            ""
            if usable
            else QCoreApplication.translate(
                "MainWindow", "Rules out of date – applications are referred"
            )
        )
        label.setToolTip(
            "" if usable else QCoreApplication.translate("MainWindow", "Tools > Rules… shows why")
        )
        label.setVisible(not usable)

    def _forget_detail_dialog(self, dialog: DetailDialog) -> None:
        if self.detail_dialog is dialog:
            self.detail_dialog = None
        dialog.deleteLater()

    def cancel_selected(self) -> None:
        window = self._window
        app_id = window.selected_id()
        if app_id is None:
            return
        if not confirm(
            window,
            QCoreApplication.translate("MainWindow", "Cancel application"),
            QCoreApplication.translate(
                "MainWindow", "Cancel this application? This cannot be undone."
            ),
            QCoreApplication.translate("MainWindow", "Cancel application"),
            QCoreApplication.translate("MainWindow", "Keep it"),
        ):
            return
        op = window.lane.call(lambda core: core.applications.cancel(app_id), "cancel", self)
        op.on_success(lambda _none: self._cancelled(app_id))
        op.on_failure(lambda exc: show_problem(window, refusal_text(exc, window.lang)))

    def _cancelled(self, app_id: str) -> None:
        log.info("application %s cancelled from the list", app_id)
        self._window.application_changed(app_id)
