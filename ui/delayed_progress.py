"""A progress dialog for long work that appears only once the work has lasted a moment
(:class:`ui.tasks.ProgressDelay` decides when), with a Cancel button; the list export
and the field managers' tools use it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.tasks import ProgressDelay


def delayed_progress(
    parent: QWidget,
    owner: QObject,
    label: str,
    cancel_text: str,
    name: str,
    on_cancel: Callable[[], object],
    delay_ms: int,
) -> tuple[QProgressDialog, ProgressDelay]:
    """A window-modal progress dialog named ``name``, hidden until the returned
    ProgressDelay (owned by ``owner``; call its begin/end around the work) shows it."""
    progress = QProgressDialog(label, cancel_text, 0, 0, parent)
    progress.setObjectName(name)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(2**31 - 1)  # shown by ProgressDelay, never by itself
    progress.setAutoReset(False)
    progress.setAutoClose(False)
    progress.canceled.connect(on_cancel)
    progress.reset()
    progress.hide()
    delay = ProgressDelay(delay_ms, parent=owner)

    def visible(shown: bool) -> None:
        if shown:
            progress.show()
        else:
            progress.reset()
            progress.hide()

    delay.sig_visible_changed.connect(visible)
    return progress, delay


def show_counts(progress: QProgressDialog, done: int, total: int) -> None:
    """``done`` of ``total`` on the bar (a busy bar while the total is unknown)."""
    progress.setMaximum(max(total, 0))
    progress.setValue(min(done, total) if total else 0)
