"""The main window's new-application form: opening it (offering to continue an unsaved
draft, or dropping the last customer's draft and consent), keeping it single, and telling
the window when an application was saved.

A controller the window owns (``window.form_flow``), as ``dialogs`` and ``sync_side``
are; the form reads and writes through the window's database lane."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from ui.new_application import NewApplicationDialog
from ui.new_application.draft import ask_resume
from ui.new_application.form_core import FormCore
from ui.widgets import error_text, show_problem

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class NewApplicationFlow(QObject):
    """At most one new-application form per window."""

    def __init__(self, window: MainWindow, lang: str) -> None:
        super().__init__(window)
        self._window = window
        self._lang = lang
        self.dialog: NewApplicationDialog | None = None
        self._opening = False

    def open(self) -> NewApplicationDialog | None:
        """Open the form, or raise the open one; the draft is read on the lane first."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        if self._opening:
            return None
        self._opening = True
        op = FormCore.opening(self._window.lane, self)
        op.on_success(lambda got: self._show(got.form, got.draft))
        op.on_failure(lambda exc: show_problem(self._window, error_text(exc, self._lang)))
        op.on_finished(self._opened)
        return self.dialog

    def flush_draft(self) -> None:
        """The window closes: the open form's draft is written now."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.flush_draft()

    def _opened(self) -> None:
        self._opening = False

    def _show(self, form: FormCore, draft: dict[str, Any] | None) -> None:
        resume = False
        if draft is not None:
            resume = ask_resume(self._window, draft)  # whose and when; Continue by default
            if not resume:  # a new customer: the last one's draft (and consent) go
                gone = form.withdraw_consent(None) if form.consent else form.discard_draft(None)
                form.consent = None
                gone.on_failure(lambda exc: show_problem(self._window, error_text(exc, self._lang)))
        dialog = NewApplicationDialog(form, self._lang, self._window, resume_draft=resume)
        dialog.sig_saved.connect(self._window.show_saved)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def _forget(self, dialog: NewApplicationDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
