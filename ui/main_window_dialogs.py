"""The main window's dialogs on a selected application and on the rules: the detail
view, cancelling, and the rules page (with the status bar's "rules out of date" hint)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.admin import AdminService
from core.applications import ServiceError
from core.security.permissions import PermissionDenied
from core.store.db import StorageEnvironmentError
from ui.detail import DetailDialog
from ui.permissions import refusal_text
from ui.rules_page import RulesDialog
from ui.widgets import confirm, show_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from core.applications import ApplicationService
    from core.context import AppContext

log = logging.getLogger("loandesk.ui")


class DialogsWindowMixin:
    """Mixed into MainWindow (which provides the attributes declared below)."""

    if TYPE_CHECKING:
        _ctx: AppContext
        _service: ApplicationService
        _lang: str
        detail_dialog: DetailDialog | None
        rules_dialog: RulesDialog | None
        rules_label: QLabel

        def selected_id(self) -> str | None: ...
        def tr(self, text: str) -> str: ...
        def _on_application_changed(self, app_id: str) -> None: ...

    def open_selected(self) -> DetailDialog | None:
        app_id = self.selected_id()
        if app_id is None:
            return None
        try:
            dialog = DetailDialog(self._service, app_id, self._lang, self, sync=self._ctx.sync)
        except (StorageEnvironmentError, ServiceError, PermissionDenied) as exc:
            show_problem(self, refusal_text(exc, self._lang))  # e.g. another store's
            return None
        dialog.sig_changed.connect(self._on_application_changed)
        dialog.finished.connect(lambda _result: self._forget_detail_dialog(dialog))
        self.detail_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        return dialog

    def open_rules(self) -> RulesDialog:
        """The rules page: the active rule pack, and loading one from a file."""
        if self.rules_dialog is not None and self.rules_dialog.isVisible():
            self.rules_dialog.raise_()
            self.rules_dialog.activateWindow()
            return self.rules_dialog
        dialog = RulesDialog(self._ctx.rules, self._lang, self,
                             admin=AdminService.of(self._ctx))  # LOAD_RULE_PACK, audited
        dialog.finished.connect(lambda _result: self._forget_rules_dialog(dialog))
        self.rules_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        return dialog

    def _forget_rules_dialog(self, dialog: RulesDialog) -> None:
        if self.rules_dialog is dialog:
            self.rules_dialog = None
        self._update_rules_label()
        dialog.deleteLater()

    def _update_rules_label(self) -> None:
        """A standing hint in the status bar while no usable rule pack is active."""
        try:
            status = self._ctx.rules.status() if self._ctx.rules is not None else None
        except StorageEnvironmentError as exc:
            log.warning("rule pack status unreadable: %s", exc.code)
            status = None
        usable = status is not None and status.usable
        self.rules_label.setText("" if usable else
                                 self.tr("Rules out of date – applications are referred"))
        self.rules_label.setToolTip("" if usable else self.tr("Tools > Rules… shows why"))
        self.rules_label.setVisible(not usable)

    def _forget_detail_dialog(self, dialog: DetailDialog) -> None:
        if self.detail_dialog is dialog:
            self.detail_dialog = None
        dialog.deleteLater()

    def cancel_selected(self) -> None:
        app_id = self.selected_id()
        if app_id is None:
            return
        if not confirm(
            self,
            self.tr("Cancel application"),
            self.tr("Cancel this application? This cannot be undone."),
            self.tr("Cancel application"),
            self.tr("Keep it"),
        ):
            return
        try:
            self._service.cancel(app_id)
        except (StorageEnvironmentError, ServiceError, PermissionDenied) as exc:
            show_problem(self, refusal_text(exc, self._lang))
            return
        log.info("application %s cancelled from the list", app_id)
        self._on_application_changed(app_id)

