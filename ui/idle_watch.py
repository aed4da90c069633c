"""Noticing that nobody is at the counter: the idle timer behind the screen lock (its own
small module, since the sign-in screen starts it before the window exists)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits ``sig_idle`` after ``timeout_ms`` without user input anywhere in the app.

    ``timer``: the single-shot timer that counts the idle time (default a new QTimer); a
    test hands in one whose firing it drives."""

    sig_idle = Signal()
    """Nobody has typed, clicked or moved the mouse for the whole timeout."""

    def __init__(
        self, timeout_ms: int, parent: QObject | None = None, *, timer: QTimer | None = None
    ) -> None:
        super().__init__(parent)
        self._timer = timer if timer is not None else QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, timeout_ms))
        self._timer.timeout.connect(self.sig_idle)
        self._installed = False

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def pause(self) -> None:
        """While the window is locked nothing needs watching."""
        self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restart: someone is at the counter
        return False
