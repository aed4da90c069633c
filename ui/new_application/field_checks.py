"""A field is checked when the clerk leaves it (Tab, a click elsewhere, Enter), not only
on Next: its messages appear under it at once. An empty field is not judged on the way
through (the clerk may fill the form in any order); Next and Save still say what is
missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from core.validation.application import FieldError
from ui.new_application.common import normalize_field
from ui.widgets import ErrorLabel

#: focus changes that mean "the clerk moved on" (not a menu, a popup or another window)
_LEAVING = frozenset(
    {
        Qt.FocusReason.TabFocusReason,
        Qt.FocusReason.BacktabFocusReason,
        Qt.FocusReason.MouseFocusReason,
        Qt.FocusReason.ShortcutFocusReason,
    }
)


class FieldChecks(QObject):
    """``targets``: each checked widget with its field path (as the validation names
    it) and the label under it; ``errors()``: the form's current validation errors."""

    def __init__(
        self,
        targets: Mapping[QWidget, tuple[str, ErrorLabel]],
        errors: Callable[[], list[FieldError]],
        lang: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._targets = dict(targets)
        self._errors = errors
        self._lang = lang
        for widget in self._targets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() in _LEAVING
            and isinstance(watched, QWidget)
        ):
            self.check(watched)
        return False

    def check(self, widget: QWidget) -> bool:
        """Show the messages of ``widget``'s field under it; True when it has none (or
        it is empty, or not a checked field)."""
        target = self._targets.get(widget)
        if target is None or not widget.isVisible():
            return True
        path, label = target
        if isinstance(widget, QLineEdit) and not widget.text().strip():
            return True
        found = [e for e in self._errors() if normalize_field(e.field) == path]
        label.clear_message()
        for error in found:
            label.add_message(error.text(self._lang))
        return not found
