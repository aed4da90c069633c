"""Rejected or quarantined applications of the sync panel as a Qt table model.

These lists are short (items head office refused, items kept aside after repeated
failures), so the model holds the ``ProblemItem`` list core hands it; the reason text
is built once per item in the screen's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from core.sync.service import ProblemItem
from ui.formatting import local_time

COL_CUSTOMER, COL_APPLICATION, COL_SAVED, COL_REASON = range(4)
COLUMN_COUNT = 4
OP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
APPLICATION_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


class ProblemItemsModel(QAbstractTableModel):
    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._items: list[ProblemItem] = []
        self._rows: list[tuple[str, str, str, str]] = []
        self._headers = (
            self.tr("Customer"),
            self.tr("Application"),
            self.tr("Saved"),
            self.tr("Reason"),
        )

    def set_items(self, items: Sequence[ProblemItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._rows = [
            (i.customer_name, i.application_id, local_time(i.created_at), i.text(self._lang))
            for i in self._items
        ]
        self.endResetModel()

    def item(self, row: int) -> ProblemItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def reason(self, row: int) -> str:
        return self._rows[row][COL_REASON] if 0 <= row < len(self._rows) else ""

    # --- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        text = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text.splitlines()[0] if index.column() == COL_REASON and text else text
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_REASON:
            return text
        if role == OP_ID_ROLE:
            return self._items[index.row()].op_id
        if role == APPLICATION_ID_ROLE:
            return self._items[index.row()].application_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < COLUMN_COUNT
        ):
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
