"""The account part inside a main window: the operator in the status bar, the Account
menu (Lock now Ctrl+L, Sign out, Operators…) and the screen lock. It works in any
MainWindow, also one built directly by tests as ``ctx.actor``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from core import api
from core.operators.actor import Actor
from core.operators.service import role_text
from core.security.permissions import Permission, allowed
from ui.idle_lock import LOCK_SHORTCUT, LockShortcut, ScreenLock
from ui.operators_dialog import OperatorsDialog
from ui.tasks import Operation

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui.session")


def operator_text(name: str, actor: Actor, lang: str) -> str:
    """ "王店长 · 管理员": the acting operator's name and role."""
    return f"{name} · {role_text(actor.role, lang)}" if name else role_text(actor.role, lang)


class SessionUi(QObject):
    """The account part of a main window: status-bar operator, Account menu, the lock."""

    sig_sign_out = Signal()
    """The operator chose "Sign out" (from the menu or the lock panel)."""

    def __init__(self, window: MainWindow, lang: str) -> None:
        super().__init__(window)
        self._window = window
        self._lang = lang
        self.operators_dialog: OperatorsDialog | None = None
        actor = self.actor = window.actor
        text = operator_text("", actor, lang)  # the name follows from the lane
        lane = window.lane

        def unlock(password: str) -> Operation[Actor]:
            return lane.call(
                lambda core: api.unlock(core, actor.operator_id, password), "unlock", window
            )

        self.lock = ScreenLock(window, unlock, text, lang)
        self.lock.sig_sign_out.connect(self.sig_sign_out)

        self.operator_label = QLabel(text)
        self.operator_label.setObjectName("operator_label")
        window.statusBar().addPermanentWidget(self.operator_label)

        self.act_lock = QAction(self.tr("&Lock now"), window)
        self.act_lock.setObjectName("act_lock")
        self.act_lock.setShortcut(QKeySequence(LOCK_SHORTCUT))
        self.act_lock.setToolTip(
            self.tr("Hide customer data until you type your password again (Ctrl+L)")
        )
        self.act_lock.triggered.connect(self.lock.lock)
        self.act_sign_out = QAction(self.tr("Sign &out"), window)
        self.act_sign_out.setObjectName("act_sign_out")
        self.act_sign_out.setToolTip(self.tr("Sign out so that another member of staff can log in"))
        self.act_sign_out.triggered.connect(self.sig_sign_out)
        self.act_operators = QAction(self.tr("&Operators…"), window)
        self.act_operators.setObjectName("act_operators")
        self.act_operators.setToolTip(
            self.tr("Add staff accounts, disable them, reset passwords (administrators)")
        )
        self.act_operators.setEnabled(allowed(actor.role, Permission.MANAGE_OPERATORS))
        self.act_operators.triggered.connect(self.open_operators)
        menu = window.menuBar().addMenu(self.tr("A&ccount"))
        menu.addActions([self.act_lock, self.act_sign_out])
        menu.addSeparator()
        menu.addAction(self.act_operators)
        window.addAction(self.act_lock)  # Ctrl+L also while the menu bar is hidden
        self._shortcut = LockShortcut(window, self.lock.lock)  # and over an open form
        lane.call(lambda core: api.current_operator(core, actor), "operator_name", self).on_success(
            self._show_name
        )

    def _show_name(self, record: api.OperatorRecord | None) -> None:
        if record is not None:
            text = operator_text(record.display_name, self.actor, self._lang)
            self.operator_label.setText(text)
            self.lock.set_operator_text(text)

    def open_operators(self) -> OperatorsDialog:
        if self.operators_dialog is not None and self.operators_dialog.isVisible():
            self.operators_dialog.raise_()
            return self.operators_dialog
        dialog = OperatorsDialog(self._window.lane, self.actor, self._lang, self._window)
        dialog.finished.connect(lambda _r: self._forget_operators(dialog))
        self.operators_dialog = dialog
        dialog.open()
        return dialog

    def _forget_operators(self, dialog: OperatorsDialog) -> None:
        if self.operators_dialog is dialog:
            self.operators_dialog = None
        dialog.deleteLater()
