"""The form's draft: written to the database shortly after the clerk stops typing and
when the form closes, so a crash or a closed window loses nothing typed. The writes go
to the window's database lane (one at a time, in order), never on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.formatting import local_time
from ui.new_application.form_core import FormCore
from ui.tasks import Operation
from ui.widgets import error_text

log = logging.getLogger("loandesk.ui")
DRAFT_DEBOUNCE_MS = 500


class DraftKeeper(QObject):
    sig_status = Signal(str)
    """A short line for the form: "Draft saved." or why it could not be saved."""

    def __init__(
        self,
        form: FormCore,
        state: Callable[[], dict[str, Any]],
        has_content: Callable[[], bool],
        lang: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._form = form
        self._state = state
        self._has_content = has_content
        self._lang = lang
        self._dirty = False
        self._written = False  # a draft of this form is in the database
        self._enabled = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)

    def changed(self) -> None:
        if self._enabled:
            self._dirty = True
            self._timer.start()

    def restored(self) -> None:
        """The form was just filled from the stored draft: nothing new to write."""
        self._dirty = False
        self._written = True

    def stop(self) -> None:
        """The application was saved (the service already deleted the draft)."""
        self._enabled = False
        self._timer.stop()

    def pause(self) -> None:
        """A save is on its way: write nothing meanwhile (it deletes the draft)."""
        self._enabled = False
        self._timer.stop()

    def resume(self) -> None:
        """The save failed: the draft keeps following the form."""
        self._enabled = True
        if self._dirty:
            self._timer.start()

    def load(self) -> Operation[dict[str, Any] | None]:
        def failed(exc: Exception) -> None:
            self.sig_status.emit(error_text(exc, self._lang))

        return self._form.load_draft(self).on_failure(failed)

    def flush(self) -> None:
        """Write the draft now if something changed since the last write (the write is
        queued on the lane; what it says arrives in ``sig_status``)."""
        self._timer.stop()
        if not self._enabled or not self._dirty:
            return
        self._dirty = False
        if self._has_content():
            op = self._form.save_draft(self._state(), self)
            self._written = True
        elif self._written:
            op = self._form.discard_draft(self)
            self._written = False
        else:
            return
        op.on_success(lambda _none: self.sig_status.emit(self.tr("Draft saved.")))
        op.on_failure(self._not_written)

    def _not_written(self, exc: Exception) -> None:
        log.warning("draft not saved: %s", getattr(exc, "code", type(exc).__name__))
        self._dirty = True  # the next change or flush tries again
        self.sig_status.emit(error_text(exc, self._lang))


def draft_question(draft: dict[str, Any]) -> str:
    """Whose unsaved application this is, from when, and for which customer."""
    who = str(draft.get("saved_by") or "").strip()
    when = local_time(str(draft.get("saved_at") or "")) if draft.get("saved_at") else ""
    form = draft.get("form")
    customer = form.get("customer") if isinstance(form, dict) else None
    name = str(customer.get("name") or "").strip() if isinstance(customer, dict) else ""
    if who and when:
        text = (
            QCoreApplication.translate("DraftPrompt", "%1 left an unsaved application on %2.")
            .replace("%1", who)
            .replace("%2", when)
        )
    elif when:
        text = QCoreApplication.translate(
            "DraftPrompt", "An unsaved application was left on %1."
        ).replace("%1", when)
    else:
        text = QCoreApplication.translate(
            "DraftPrompt", "An unsaved application was left from an earlier session."
        )
    if name:
        text += " " + QCoreApplication.translate("DraftPrompt", "Customer: %1.").replace("%1", name)
    return text + "\n\n" + QCoreApplication.translate("DraftPrompt", "Continue it?")


def ask_resume(parent: QWidget | None, draft: dict[str, Any]) -> bool:
    """Ask whether to continue the stored draft. Continue is the default (and Esc):
    only an explicit "Start a new one" throws what was typed away. The buttons are
    named "confirm" (continue) and "discard" so tests can press them."""
    box = QMessageBox(parent)
    box.setObjectName("draft_prompt")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("DraftPrompt", "Unsaved application"))
    box.setText(draft_question(draft))
    keep = box.addButton(
        QCoreApplication.translate("DraftPrompt", "&Continue"), QMessageBox.ButtonRole.AcceptRole
    )
    keep.setObjectName("confirm")
    discard = box.addButton(
        QCoreApplication.translate("DraftPrompt", "&Start a new one (delete it)"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    discard.setObjectName("discard")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is not discard
