"""The order's item lines as an editable table model (no QTableWidget).

Prices stay the text the clerk typed, so the validation sees exactly the input and
a half-typed price is never silently rounded; the amount column shows what parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QSpinBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from core.catalog import fold
from core.money import MoneyParseError, format_fen, parse_yuan
from core.validation.application import MAX_QUANTITY

COL_SKU, COL_NAME, COL_PRICE, COL_QTY, COL_AMOUNT = range(5)
FIELD_COLUMNS = {"sku": COL_SKU, "name": COL_NAME, "unit_price": COL_PRICE, "quantity": COL_QTY}
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass
class Line:
    sku: str
    name: str = ""
    unit_price: str = ""  # yuan, as typed
    quantity: int = 1
    category: str | None = None  # the catalog's category; None for a free-price line

    def amount_fen(self) -> int | None:
        try:
            return parse_yuan(self.unit_price) * self.quantity
        except MoneyParseError:
            return None


class LinesModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None, *, editable: bool = True) -> None:
        super().__init__(parent)
        self._lines: list[Line] = []
        self._editable = editable
        self._headers = (
            self.tr("SKU"),
            self.tr("Item"),
            self.tr("Unit price (yuan)"),
            self.tr("Qty"),
            self.tr("Amount (yuan)"),
        )

    # --- editing from code ---------------------------------------------------------------
    def lines(self) -> list[Line]:
        return list(self._lines)

    def add_line(self, line: Line) -> int:
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(line)
        self.endInsertRows()
        return row

    def find_sku(self, sku: str) -> int:
        """The row of ``sku`` (ignoring case and width), or -1."""
        needle = fold(sku)
        for row, line in enumerate(self._lines):
            if fold(line.sku) == needle:
                return row
        return -1

    def categories(self) -> list[str | None]:
        """The catalog category of each line (None where the catalog does not know it)."""
        return [line.category for line in self._lines]

    def increment(self, row: int) -> None:
        self.setData(self.index(row, COL_QTY), self._lines[row].quantity + 1)

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._lines):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._lines[row]
                self.endRemoveRows()

    def set_lines(self, lines: list[Line]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def total_fen(self) -> int | None:
        """Sum of the amounts; None while a line has no valid price (or no lines)."""
        amounts = [line.amount_fen() for line in self._lines]
        if not amounts or any(a is None for a in amounts):
            return None
        return sum(a for a in amounts if a is not None)

    def raw(self) -> list[dict[str, Any]]:
        return [
            {"sku": ln.sku, "name": ln.name, "unit_price": ln.unit_price, "quantity": ln.quantity}
            for ln in self._lines
        ]

    def restore(self, raw: object) -> None:
        lines: list[Line] = []
        for item in raw if isinstance(raw, list) else []:
            if not isinstance(item, dict):
                continue
            try:
                quantity = int(item.get("quantity", 1))
            except (TypeError, ValueError):
                quantity = 1
            lines.append(
                Line(
                    str(item.get("sku") or ""),
                    str(item.get("name") or ""),
                    str(item.get("unit_price") or ""),
                    quantity,
                )
            )
        self.set_lines(lines)

    # --- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        line, col = self._lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_SKU:
                return line.sku
            if col == COL_NAME:
                return line.name
            if col == COL_PRICE:
                return line.unit_price
            if col == COL_QTY:
                return line.quantity
            amount = line.amount_fen()
            return "" if amount is None else format_fen(amount)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in (COL_PRICE, COL_QTY, COL_AMOUNT) else _LEFT
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self._editable:
            return False
        line, col = self._lines[index.row()], index.column()
        if col == COL_SKU:
            line.sku = str(value).strip()
        elif col == COL_NAME:
            line.name = str(value).strip()
        elif col == COL_PRICE:
            line.unit_price = str(value).strip()
        elif col == COL_QTY:
            try:
                line.quantity = int(value)
            except (TypeError, ValueError):
                return False
        else:
            return False
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, COL_AMOUNT))
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if self._editable and index.column() != COL_AMOUNT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if section in (COL_PRICE, COL_QTY, COL_AMOUNT) else _LEFT
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1) if 0 <= section < len(self._lines) else None
        return None


class QuantityDelegate(QStyledItemDelegate):
    """Quantities are whole numbers: a spin box within the allowed range, not free text."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        if index.column() == COL_QTY:
            box = QSpinBox(parent)
            box.setRange(1, MAX_QUANTITY)
            box.setFrame(False)
            return box
        return super().createEditor(parent, option, index)
