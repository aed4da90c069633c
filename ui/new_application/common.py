"""Pieces the new-application pages share: Enter-to-next-field navigation and the map
from a validation field path ("customer.phone", "lines[0].unit_price") to a step."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

STEP_CUSTOMER, STEP_ORDER, STEP_TERMS, STEP_REVIEW = range(4)
_LINE_RE = re.compile(r"^(?:order\.)?lines\[(\d+)\](?:\.(\w+))?$")


def normalize_field(field: str) -> str:
    """ "order.delivery_city" and "delivery_city" name the same field."""
    if field.startswith("order.") and not field.startswith("order.lines"):
        return field[len("order.") :]
    return field


def line_field(field: str) -> tuple[int, str] | None:
    """("lines[2].unit_price") -> (2, "unit_price"); None for other fields."""
    match = _LINE_RE.match(field)
    if match is None:
        return None
    return int(match.group(1)), match.group(2) or ""


def step_of(field: str) -> int:
    """Which step of the form shows the error for ``field``."""
    field = normalize_field(field)
    if field.startswith("customer"):
        return STEP_CUSTOMER
    if field.startswith(("scenario", "order", "lines", "delivery")):
        return STEP_ORDER
    if field.startswith("terms"):
        return STEP_TERMS
    return STEP_REVIEW


def is_enter(event: QEvent) -> bool:
    if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
        return False
    if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return False
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return mods == Qt.KeyboardModifier.NoModifier


class EnterNavigator(QObject):
    """Enter in a field moves to the next field of the step, like Tab; Enter in the
    step's last field calls ``on_last`` (the dialog goes to the next step).

    Widgets in ``own_enter`` (the SKU box) handle Enter themselves; the chain only
    leads to them.
    """

    def __init__(
        self,
        chain: Sequence[QWidget],
        on_last: Callable[[], object],
        parent: QObject | None = None,
        own_enter: Sequence[QWidget] = (),
        check: Callable[[QWidget], bool] | None = None,
    ) -> None:
        """``check(widget)``: validate the field being left; False (its error shown)
        keeps the focus there, so Enter never moves on silently from a wrong value."""
        super().__init__(parent)
        self._check = check
        self._chain = list(chain)
        self._own_enter = list(own_enter)
        self._on_last = on_last
        for widget in self._chain:
            if widget not in self._own_enter:
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not is_enter(event) or watched not in self._chain or watched in self._own_enter:
            return False
        if isinstance(watched, QComboBox) and watched.view().isVisible():
            return False  # Enter picks the highlighted item in an open list
        if isinstance(watched, QWidget) and self._check is not None and not self._check(watched):
            return True
        self.advance(watched)
        return True

    def advance(self, current: QObject) -> None:
        start = self._chain.index(current) + 1 if current in self._chain else 0
        for widget in self._chain[start:]:
            if (
                widget.isEnabled()
                and widget.isVisible()
                and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
        self._on_last()
