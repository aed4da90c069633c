"""The form's draft: written to the database shortly after the clerk stops typing and
when the form closes, so a crash or a closed window loses nothing typed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.applications import ApplicationService
from core.store.db import StorageEnvironmentError
from ui.widgets import error_text

log = logging.getLogger("loandesk.ui")
DRAFT_DEBOUNCE_MS = 500


class DraftKeeper(QObject):
    sig_status = Signal(str)
    """A short line for the form: "Draft saved." or why it could not be saved."""

    def __init__(
        self,
        service: ApplicationService,
        state: Callable[[], dict[str, Any]],
        has_content: Callable[[], bool],
        lang: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
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

    def load(self) -> dict[str, Any] | None:
        try:
            return self._service.load_form_draft()
        except StorageEnvironmentError as exc:
            self.sig_status.emit(error_text(exc, self._lang))
            return None

    def flush(self) -> None:
        """Write the draft now if something changed since the last write."""
        self._timer.stop()
        if not self._enabled or not self._dirty:
            return
        try:
            if self._has_content():
                self._service.save_form_draft(self._state())
                self._written = True
            elif self._written:
                self._service.discard_form_draft()
                self._written = False
        except StorageEnvironmentError as exc:
            log.warning("draft not saved: %s", exc.code)
            self.sig_status.emit(error_text(exc, self._lang))
            return
        self._dirty = False
        self.sig_status.emit(self.tr("Draft saved."))
