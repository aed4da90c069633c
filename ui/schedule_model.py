"""An installment schedule (core.money.Schedule) as a read-only table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from core.money import Installment, Schedule, format_fen

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ScheduleModel(QAbstractTableModel):
    """Period, due date, payment, principal, interest, fee and remaining balance of each
    month (the due date blank for a schedule without dates)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Installment, ...] = ()
        self._headers = (
            self.tr("Period"),
            self.tr("Due date"),
            self.tr("Payment"),
            self.tr("Principal"),
            self.tr("Interest"),
            self.tr("Fee"),
            self.tr("Balance"),
        )

    def set_schedule(self, schedule: Schedule | None) -> None:
        self.beginResetModel()
        self._rows = schedule.rows if schedule is not None else ()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        if index.column() == 1:
            return row.due_date.isoformat() if row.due_date is not None else ""
        values = (
            row.period,
            0,
            row.payment_fen,
            row.principal_fen,
            row.interest_fen,
            row.fee_fen,
            row.balance_fen,
        )
        value = values[index.column()]
        return str(value) if index.column() == 0 else format_fen(value)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
