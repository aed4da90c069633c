"""Choosing the dashboard's period: today, this week, this month, or a range of days
(China-local days, core.field.dashboard.Period). Also used by the Excel export."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.clock import Clock
from core.field.dashboard import Period

KINDS = ("today", "week", "month", "range")


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodBar(QWidget):
    """``period()`` is what is chosen; ``sig_changed`` when the choice changes. Editing
    a date picks "Range"."""

    sig_changed = Signal()

    def __init__(self, clock: Clock, kind: str = "today", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("period_bar")
        self._clock = clock
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        texts = {
            "today": self.tr("&Today"),
            "week": self.tr("This &week"),
            "month": self.tr("This &month"),
            "range": self.tr("&Range:"),
        }
        for name in KINDS:
            button = QPushButton(texts[name])
            button.setObjectName(f"period_{name}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.group.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button)
        month = Period.this_month(clock)
        self.first = QDateEdit(qdate(month.first))
        self.first.setObjectName("period_first")
        self.last = QDateEdit(qdate(month.last))
        self.last.setObjectName("period_last")
        to = QLabel(self.tr("to"))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._dates_edited)
        layout.addWidget(self.first)
        layout.addWidget(to)
        layout.addWidget(self.last)
        layout.addStretch(1)
        self.buttons[kind if kind in KINDS else "today"].setChecked(True)
        self.group.buttonToggled.connect(self._toggled)

    def kind(self) -> str:
        for name, button in self.buttons.items():
            if button.isChecked():
                return name
        return "today"

    def period(self) -> Period:
        kind = self.kind()
        if kind == "week":
            return Period.this_week(self._clock)
        if kind == "month":
            return Period.this_month(self._clock)
        if kind == "range":
            return Period.between(pydate(self.first.date()), pydate(self.last.date()))
        return Period.today(self._clock)

    def choose(self, kind: str, first: date | None = None, last: date | None = None) -> None:
        """Pick ``kind`` (and the range's days) as the operator would."""
        if first is not None and last is not None:
            self.blockSignals(True)
            self.first.setDate(qdate(first))
            self.last.setDate(qdate(last))
            self.blockSignals(False)
        if self.buttons[kind].isChecked():
            self.sig_changed.emit()
        else:
            self.buttons[kind].setChecked(True)

    def _toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.sig_changed.emit()

    def _dates_edited(self) -> None:
        if self.signalsBlocked():
            return
        if self.buttons["range"].isChecked():
            self.sig_changed.emit()
        else:
            self.buttons["range"].setChecked(True)


class PeriodDialog(QDialog):
    """Asks for a period (the Excel export's): this month unless changed."""

    def __init__(self, clock: Clock, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("period_dialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "The applications saved in this period (China time), and the dashboard's "
                "figures. Names, ID numbers and phones are masked."
            )
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.bar = PeriodBar(clock, "month", self)
        layout.addWidget(self.bar)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def period(self) -> Period:
        return self.bar.period()
