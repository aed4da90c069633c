"""Python's garbage collection on the GUI thread only (as Anki does).

The screens' lanes run Python on worker threads. Python's cycle collector runs on
whichever thread happens to cross its allocation threshold, and a Qt object it frees
there (a dialog kept alive only by a reference cycle through its slots) is destroyed
off the GUI thread, which crashes Qt. So the automatic collector is turned off and a
timer on the GUI thread collects instead: often enough that memory stays flat, never on
a worker thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 1000
#: collect the youngest generation once this many objects were allocated since
YOUNG_THRESHOLD = 20_000


class GuiGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def check(self) -> None:
        young, middle, old = gc.get_count()
        if old > 10:
            gc.collect(2)
        elif middle > 10:
            gc.collect(1)
        elif young > YOUNG_THRESHOLD:
            gc.collect(0)
