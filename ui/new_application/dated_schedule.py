"""The form's schedule table: the periods of ui.schedule_model with each due date."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from core.money import Installment, Schedule
from ui.schedule_model import ScheduleModel

_Index = QModelIndex | QPersistentModelIndex
COL_DUE = 1  # after the period number


class DatedScheduleModel(ScheduleModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dated: tuple[Installment, ...] = ()
        self._due_header = self.tr("Due date")

    def set_schedule(self, schedule: Schedule | None) -> None:
        self._dated = schedule.rows if schedule is not None else ()
        super().set_schedule(schedule)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else super().columnCount(parent) + 1

    def _base(self, index: _Index) -> QModelIndex:
        column = index.column() - 1 if index.column() > COL_DUE else index.column()
        return super().index(index.row(), column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._dated):
            return None
        if index.column() != COL_DUE:
            return super().data(self._base(index), role)
        if role == Qt.ItemDataRole.DisplayRole:
            due = self._dated[index.row()].due_date
            return due.isoformat() if due is not None else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and section == COL_DUE:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._due_header
            return None
        if orientation == Qt.Orientation.Horizontal and section > COL_DUE:
            section -= 1
        return super().headerData(section, orientation, role)
