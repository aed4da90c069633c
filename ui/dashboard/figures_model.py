"""The table beside each of the dashboard's charts: one row per scenario, salesperson or
store (or per outcome), with the figures core counted (core.field.dashboard.Figures)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from core.field.dashboard import Figures
from ui.formatting import percent, yuan

_Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("label", "applications", "principal", "approved", "declined", "review", "rate")


class FiguresModel(QAbstractTableModel):
    """Rows of figures; ``key(row)`` is what the list is filtered by when it is opened."""

    def __init__(self, first_header: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Figures] = []
        self._headers = [
            first_header,
            self.tr("Applications"),
            self.tr("Financed (yuan)"),
            self.tr("Approved"),
            self.tr("Declined"),
            self.tr("In review"),
            self.tr("Approval rate"),
        ]

    def set_rows(self, rows: list[Figures]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Figures]:
        return list(self._rows)

    def key(self, row: int) -> str | None:
        return self._rows[row].key if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        f = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and column != "label":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return cell_text(f, column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


def cell_text(f: Figures, column: str) -> str:
    if column == "label":
        return f.label
    if column == "applications":
        return str(f.applications)
    if column == "principal":
        return yuan(f.principal_fen)
    if column in ("approved", "declined", "review"):
        return str(f.decisions.get(column, 0))
    rate = f.approval_rate
    return "–" if rate is None else percent(rate)
