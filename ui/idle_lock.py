"""Lock the window when nobody has touched the PC for a while.

:class:`IdleWatcher` is an application-wide event filter: any key press, click, wheel
or mouse move restarts its timer; when the timer runs out it emits ``sig_idle``.
:class:`ScreenLock` then hides every customer's data: the window's central widget (the
list) is taken out and a :class:`LockPanel` takes its place, toolbars and menus go away,
the window's actions are disabled, and open dialogs (a form, an application's detail,
the sync panel) are hidden until the same operator types their password again (the
growing delay after wrong passwords applies). "Sign out" leaves the form's draft in the
database for that operator.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.operators.actor import Actor
from ui.idle_watch import IdleWatcher as IdleWatcher  # re-exported
from ui.login import RetryCountdown, password_edit, try_password
from ui.tasks import Operation
from ui.widgets import ErrorLabel, no_auto_default

log = logging.getLogger("loandesk.ui.lock")

LOCK_SHORTCUT = "Ctrl+L"
LOCK_MODIFIERS = Qt.KeyboardModifier.ControlModifier

#: unlock(password) -> Actor; raises LoginFailed
Unlock = Callable[[str], Operation[Actor]]


class LockShortcut(QObject):
    """Ctrl+L anywhere in ``window`` or in one of its dialogs (a window-modal form blocks
    the window's own shortcuts) calls ``lock``."""

    def __init__(self, window: QMainWindow, lock: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._lock = lock
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # removed by Qt when this object is destroyed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_L or event.modifiers() != LOCK_MODIFIERS:
            return False
        active = QApplication.activeWindow()
        if active is None or not _belongs_to(active, self._window):
            return False
        self._lock()
        return True


class LockPanel(QWidget):
    """What a locked window shows: who is signed in, their password, Unlock, Sign out."""

    sig_unlocked = Signal(object)
    """The same operator typed their password (carries core's Actor)."""
    sig_sign_out = Signal()
    """The operator chose to sign out (another one may log in)."""

    def __init__(
        self, unlock: Unlock, operator_text: str, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lock_panel")
        self._unlock = unlock
        self._lang = lang
        title = QLabel(self.tr("Locked"))
        title.setObjectName("lock_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        title.setFont(font)
        who = QLabel(
            self.tr("Signed in: %1. Type your password to continue.").replace("%1", operator_text)
        )
        who.setObjectName("lock_operator")
        who.setWordWrap(True)
        who.setTextFormat(Qt.TextFormat.PlainText)
        self.password_edit = password_edit("unlock_password")
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setObjectName("unlock_button")
        self.sign_out_button = QPushButton(self.tr("Sign &out"))
        self.sign_out_button.setObjectName("lock_sign_out")
        no_auto_default(self.unlock_button, self.sign_out_button)
        self.message = ErrorLabel("unlock_message", self)
        self.countdown = RetryCountdown(self.unlock_button, self)

        box = QWidget(self)
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(who)
        inner.addWidget(self.password_edit)
        inner.addWidget(self.message)
        inner.addWidget(self.countdown)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        inner.setSpacing(10)
        outer = QHBoxLayout(self)  # the box keeps its natural height, centred both ways
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addStretch(1)

        self.password_edit.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self.sign_out_button.clicked.connect(self.sig_sign_out)

    def submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        try_password(
            self._unlock,
            self.password_edit,
            self.message,
            self.countdown,
            self._lang,
            self.unlock_button,
            self.sig_unlocked.emit,
            self.tr("Wrong password"),  # the user name is not asked here
        )


class ScreenLock(QObject):
    """Locks and unlocks one main window (see the module docstring)."""

    sig_locked = Signal()
    """The window is locked: no customer data is on screen."""
    sig_unlocked = Signal()
    """The same operator unlocked the window."""
    sig_sign_out = Signal()
    """The operator pressed "Sign out" on the lock panel."""

    def __init__(self, window: QMainWindow, unlock: Unlock, operator_text: str, lang: str) -> None:
        super().__init__(window)
        self._window = window
        self._unlock = unlock
        self._operator_text = operator_text
        self._lang = lang
        self.panel: LockPanel | None = None
        self._central: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        self._bars: list[QWidget] = []

    def is_locked(self) -> bool:
        return self.panel is not None

    def set_operator_text(self, text: str) -> None:
        """Who the lock panel says is signed in (once the name has been read)."""
        self._operator_text = text

    def lock(self) -> None:
        if self.panel is not None:
            return
        window = self._window
        self._bars = [
            w
            for w in (
                window.menuBar(),
                *window.findChildren(QToolBar),
                *window.findChildren(QDockWidget),
            )
            if w.isVisible()
        ]
        for bar in self._bars:
            bar.hide()
        self._hide_dialogs()
        self._disabled = [a for a in window.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled:
            action.setEnabled(False)
        self._central = window.takeCentralWidget()
        if self._central is not None:
            # a hidden child of the window again (takeCentralWidget orphans it), so it
            # goes away with the window even if nobody unlocks (sign out)
            self._central.setParent(window)
            self._central.hide()
        panel = LockPanel(self._unlock, self._operator_text, self._lang)
        panel.sig_unlocked.connect(lambda _actor: self.unlock())
        panel.sig_sign_out.connect(self.sig_sign_out)
        window.setCentralWidget(panel)
        self.panel = panel
        panel.password_edit.setFocus()
        log.info("window locked")
        self.sig_locked.emit()

    def unlock(self) -> None:
        """Put everything back (called once the password was right)."""
        if self.panel is None:
            return
        window = self._window
        panel = window.takeCentralWidget()
        if panel is not None:
            panel.deleteLater()
        self.panel = None
        if self._central is not None:
            window.setCentralWidget(self._central)
            self._central.show()
            self._central = None
        for bar in self._bars:
            bar.show()
        for action in self._disabled:
            action.setEnabled(True)
        self._bars, self._disabled = [], []
        hidden, self._hidden = self._hidden, []
        for dialog in hidden:
            dialog.show()
        log.info("window unlocked")
        self.sig_unlocked.emit()

    def _hide_dialogs(self) -> None:
        """Hide every open window of ours but the main one; a form keeps its draft."""
        self._hidden = []
        for widget in QApplication.topLevelWidgets():
            if widget is self._window or not widget.isVisible():
                continue
            if not _belongs_to(widget, self._window):
                continue
            flush = getattr(widget, "flush_draft", None)
            if callable(flush):
                flush()
            widget.hide()
            # a message box was answered "no" by hiding it; it is not shown again
            if isinstance(widget, QDialog) and not isinstance(widget, QMessageBox):
                self._hidden.append(widget)


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    """``widget`` is ``window`` or a window opened over it (or a parentless box)."""
    if widget is window:
        return True
    parent = widget.parentWidget()
    for _ in range(64):  # bounded walk up the parents
        if parent is None:
            return isinstance(widget, QMessageBox)  # a parentless question box
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
