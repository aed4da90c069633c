"""A QTimer that never runs on the wall clock: the test moves its time.

Hand it to code that takes a ``timer`` (ui.tasks.ProgressDelay, ui.idle_watch.IdleWatcher)
and then drive it: ``advance(ms)`` moves its own clock and fires ``timeout`` if the timer
was armed that long ago; ``fire()`` jumps to the moment it is due. ``starts`` lists the
interval of every (re)start, so a test can see that something re-armed it. Tests assert
what happens in what order, never how long anything took.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer


class ManualTimer(QTimer):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.now_ms = 0
        self.starts: list[int] = []
        self._due: int | None = None

    # --- what the code under test calls (Python-side overrides of QTimer) -----------------
    def start(self, msec: int | None = None) -> None:  # type: ignore[override]
        if msec is not None:
            self.setInterval(msec)
        self.starts.append(self.interval())
        self._due = self.now_ms + self.interval()

    def stop(self) -> None:  # type: ignore[override]
        self._due = None

    def isActive(self) -> bool:  # type: ignore[override]  # noqa: N802 (Qt's name)
        return self._due is not None

    def remainingTime(self) -> int:  # type: ignore[override]  # noqa: N802 (Qt's name)
        return -1 if self._due is None else max(0, self._due - self.now_ms)

    # --- what the test calls ---------------------------------------------------------------
    def advance(self, ms: int) -> None:
        """Let ``ms`` pass on this timer's clock; it fires (perhaps more than once, if not
        single-shot) at each moment it falls due."""
        end = self.now_ms + ms
        while self._due is not None and self._due <= end:
            self.now_ms = self._due
            self._due = None if self.isSingleShot() else self._due + max(1, self.interval())
            self.timeout.emit()
        self.now_ms = end

    def fire(self) -> None:
        """Jump to the moment the armed timer is due (it must be armed)."""
        assert self._due is not None, "the timer is not armed"
        self.advance(self._due - self.now_ms)
