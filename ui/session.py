"""Who is at the counter: first-run setup, login, the main window as that operator,
the idle lock, and signing out.

:class:`SessionUi` is the part inside a main window (the operator in the status bar,
the Account menu: Lock now Ctrl+L, Sign out, Operators…); it works in any MainWindow,
also one built directly by tests as ``ctx.actor``. :class:`Session` is the flow
around the windows that ``run_gui`` starts: setup if needed, the login dialog, then a
main window on ``ctx.as_operator(actor)``, locked after ``idle_lock_minutes``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow

from core.actor import Actor
from core.context import AppContext
from core.operators import OperatorService, create_first_admin, role_text, unlock
from core.operators import authenticate as core_authenticate
from core.security.permissions import Permission, allowed
from core.store.db import StorageEnvironmentError
from ui.idle_lock import LOCK_SHORTCUT, IdleWatcher, LockShortcut, ScreenLock
from ui.login import LoginDialog, SetupDialog
from ui.operators_dialog import OperatorsDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui.session")


def operator_text(ctx: AppContext, lang: str) -> str:
    """"王店长 · 管理员": the acting operator's name and role."""
    try:
        record = OperatorService(ctx.db, ctx.clock, ctx.actor).current()
    except StorageEnvironmentError:
        record = None
    name = record.display_name if record is not None else ""
    return f"{name} · {role_text(ctx.actor.role, lang)}" if name else role_text(
        ctx.actor.role, lang)


class SessionUi(QObject):
    """The account part of a main window: status-bar operator, Account menu, the lock."""

    sig_sign_out = Signal()
    """The operator chose "Sign out" (from the menu or the lock panel)."""

    def __init__(self, window: QMainWindow, ctx: AppContext, lang: str) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = ctx
        self._lang = lang
        self.operators_dialog: OperatorsDialog | None = None
        text = operator_text(ctx, lang)
        actor = self.actor = ctx.actor
        self.lock = ScreenLock(
            window, lambda pw: unlock(ctx.db, ctx.clock, actor.operator_id, pw), text, lang)
        self.lock.sig_sign_out.connect(self.sig_sign_out)

        self.operator_label = QLabel(text)
        self.operator_label.setObjectName("operator_label")
        window.statusBar().addPermanentWidget(self.operator_label)

        self.act_lock = QAction(self.tr("&Lock now"), window)
        self.act_lock.setObjectName("act_lock")
        self.act_lock.setShortcut(QKeySequence(LOCK_SHORTCUT))
        self.act_lock.setToolTip(self.tr("Hide customer data until you type your password "
                                         "again (Ctrl+L)"))
        self.act_lock.triggered.connect(self.lock.lock)
        self.act_sign_out = QAction(self.tr("Sign &out"), window)
        self.act_sign_out.setObjectName("act_sign_out")
        self.act_sign_out.setToolTip(self.tr("Sign out so that another member of staff can "
                                             "log in"))
        self.act_sign_out.triggered.connect(self.sig_sign_out)
        self.act_operators = QAction(self.tr("&Operators…"), window)
        self.act_operators.setObjectName("act_operators")
        self.act_operators.setToolTip(self.tr("Add staff accounts, disable them, reset "
                                              "passwords (administrators)"))
        self.act_operators.setEnabled(allowed(actor.role, Permission.MANAGE_OPERATORS))
        self.act_operators.triggered.connect(self.open_operators)
        menu = window.menuBar().addMenu(self.tr("A&ccount"))
        menu.addActions([self.act_lock, self.act_sign_out])
        menu.addSeparator()
        menu.addAction(self.act_operators)
        window.addAction(self.act_lock)  # Ctrl+L also while the menu bar is hidden
        self._shortcut = LockShortcut(window, self.lock.lock)  # and over an open form

    def open_operators(self) -> OperatorsDialog:
        if self.operators_dialog is not None and self.operators_dialog.isVisible():
            self.operators_dialog.raise_()
            return self.operators_dialog
        service = OperatorService(self._ctx.db, self._ctx.clock, self._ctx.actor)
        dialog = OperatorsDialog(service, self._lang, self._window)
        dialog.finished.connect(lambda _r: self._forget_operators(dialog))
        self.operators_dialog = dialog
        dialog.open()
        return dialog

    def _forget_operators(self, dialog: OperatorsDialog) -> None:
        if self.operators_dialog is dialog:
            self.operators_dialog = None
        dialog.deleteLater()


class Session(QObject):
    """Setup → login → main window → (lock → unlock | sign out → login) …"""

    sig_shown = Signal(str)
    """A screen was shown: "setup", "login" or "main"."""

    def __init__(
        self,
        ctx: AppContext,
        lang: str,
        make_window: Callable[[AppContext], MainWindow],
        *,
        idle_ms: int | None = None,
        hint: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``make_window(operator_ctx)`` builds the main window; ``idle_ms`` overrides
        the ``idle_lock_minutes`` setting (tests); ``hint`` is shown on the login screen
        (demo accounts only)."""
        super().__init__(parent)
        self._ctx = ctx
        self._lang = lang
        self._make_window = make_window
        minutes = int(ctx.settings.get("idle_lock_minutes") or 5)
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else minutes * 60_000, self)
        self.idle.sig_idle.connect(self.lock)
        self._hint = hint
        self.setup_dialog: SetupDialog | None = None
        self.login_dialog: LoginDialog | None = None
        self.window: MainWindow | None = None

    def start(self) -> None:
        if OperatorService.needs_setup(self._ctx.db):
            self.show_setup()
        else:
            self.show_login()

    def show_setup(self) -> SetupDialog:
        ctx = self._ctx
        dialog = SetupDialog(
            lambda login, name, pw: create_first_admin(ctx.db, ctx.clock, login, name, pw),
            self._lang)
        dialog.sig_created.connect(lambda _id: self.show_login())
        self.setup_dialog = dialog
        dialog.show()
        dialog.activateWindow()
        self.sig_shown.emit("setup")
        return dialog

    def show_login(self) -> LoginDialog:
        ctx = self._ctx
        dialog = LoginDialog(
            lambda login, pw: core_authenticate(ctx.db, ctx.clock, login, pw),
            self._lang, hint=self._hint)
        dialog.sig_logged_in.connect(self.open_window)
        self.login_dialog = dialog
        dialog.show()
        dialog.activateWindow()
        self.sig_shown.emit("login")
        return dialog

    def open_window(self, actor: Actor) -> MainWindow:
        window = self._make_window(self._ctx.as_operator(actor))
        window.session_ui.sig_sign_out.connect(self.sign_out)
        window.session_ui.lock.sig_locked.connect(self.idle.pause)
        window.session_ui.lock.sig_unlocked.connect(self.idle.start)
        self.window = window
        window.show()
        window.activateWindow()
        self.idle.start()
        self.sig_shown.emit("main")
        return window

    def lock(self) -> None:
        if self.window is not None:
            self.window.session_ui.lock.lock()

    def sign_out(self) -> None:
        """Back to the login dialog; the window (and its worker) goes away."""
        window, self.window = self.window, None
        self.idle.stop()
        if window is None:
            return
        try:
            actor = window.session_ui.actor
            OperatorService(self._ctx.db, self._ctx.clock, actor).record_sign_out()
        except StorageEnvironmentError as exc:
            log.warning("sign-out not audited: %s", exc.code)
        self.show_login()  # first, so closing the window does not quit the app
        window.close()
        window.deleteLater()
        log.info("operator signed out")

    def shutdown(self) -> None:
        """The application quits: stop the window's worker."""
        self.idle.stop()
        if self.window is not None:
            self.window.shutdown()
