"""The product catalog (every role): search by SKU or name, ignoring case and character
width (ＡＢＣ１２３ finds ABC123), a category, a price range; and the change history
of the selected SKU (or of the whole catalog). Read on the window's database lane
(core.field.api); head office changes the catalog, the store only reads it."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import i18n
from core.applications import labels
from core.catalog import CatalogChange
from core.field import api as field_api
from core.models import CatalogItem
from ui.db_lane import CoreLane
from ui.formatting import local_time, yuan
from ui.permissions import refusal_text
from ui.tasks import Operation
from ui.widgets import show_problem

log = logging.getLogger("loandesk.ui.catalog")

_Index = QModelIndex | QPersistentModelIndex
SEARCH_DEBOUNCE_MS = 250
MAX_PRICE_YUAN = 10_000_000


def category_text(category: str, lang: str) -> str:
    code = f"SCENARIO_{category}"
    return labels.scenario_text(category, lang) if i18n.has(code) else category


class _Table(QAbstractTableModel):
    def __init__(
        self, headers: list[str], right: tuple[int, ...] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.headers = headers
        self.right = right  # columns of amounts
        self.cells: list[list[str]] = []

    def set_cells(self, cells: list[list[str]]) -> None:
        self.beginResetModel()
        self.cells = cells
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


def _table(name: str, model: _Table, stretch: int) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class CatalogDialog(QDialog):
    def __init__(self, lane: CoreLane, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalog_page")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("Product catalog"))
        self.resize(1100, 640)
        self._lane, self._lang = lane, lang
        self.items: list[CatalogItem] = []
        self.changes: list[CatalogChange] = []
        self.last_error: Exception | None = None

        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        search_label = QLabel(self.tr("&Search:"))
        self.search = QLineEdit()
        self.search.setObjectName("catalog_search")
        self.search.setPlaceholderText(self.tr("SKU or name (any case, full- or half-width)"))
        self.search.setClearButtonEnabled(True)
        search_label.setBuddy(self.search)
        category_label = QLabel(self.tr("&Category:"))
        self.category = QComboBox()
        self.category.setObjectName("catalog_category")
        self.category.addItem(self.tr("All"), None)
        category_label.setBuddy(self.category)
        price_label = QLabel(self.tr("&Price (yuan):"))
        self.min_price = self._price_box("catalog_min_price")
        self.max_price = self._price_box("catalog_max_price")
        price_label.setBuddy(self.min_price)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addSpacing(12)
        filters.addWidget(category_label)
        filters.addWidget(self.category)
        filters.addSpacing(12)
        filters.addWidget(price_label)
        filters.addWidget(self.min_price)
        filters.addWidget(QLabel(self.tr("to")))
        filters.addWidget(self.max_price)
        layout.addLayout(filters)

        self.item_model = _Table(
            [self.tr("SKU"), self.tr("Item name"), self.tr("Category"), self.tr("Price (yuan)")],
            (3,),
            self,
        )
        self.item_table = _table("catalog_items", self.item_model, 1)
        self.item_table.selectionModel().selectionChanged.connect(lambda *_: self.load_history())
        self.history_box = QGroupBox(self.tr("Change history: whole catalog"))
        self.history_box.setObjectName("catalog_history_box")
        self.history_model = _Table(
            [
                self.tr("When"),
                self.tr("SKU"),
                self.tr("Change"),
                self.tr("Before"),
                self.tr("After"),
            ],
            (),
            self,
        )
        self.history_table = _table("catalog_history", self.history_model, 4)
        box = QVBoxLayout(self.history_box)
        box.addWidget(self.history_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.item_table)
        split.addWidget(self.history_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("catalog_count")
        layout.addWidget(self.count_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.category.currentIndexChanged.connect(self.apply_filter)
        self.min_price.editingFinished.connect(self.apply_filter)
        self.max_price.editingFinished.connect(self.apply_filter)

    def _price_box(self, name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(name)
        box.setDecimals(2)
        box.setRange(0, MAX_PRICE_YUAN)
        box.setSpecialValueText(self.tr("any"))  # 0: no bound
        box.setGroupSeparatorShown(True)
        box.setMinimumWidth(110)
        return box

    def start(self) -> None:
        """Read the categories, the entries and the history."""
        op = self._lane.call(field_api.catalog_categories, "catalog_categories", self)
        op.on_success(self._categories).on_failure(self._failed)
        self.apply_filter()

    def _categories(self, names: list[str]) -> None:
        self.category.blockSignals(True)
        while self.category.count() > 1:
            self.category.removeItem(1)
        for name in names:
            self.category.addItem(category_text(name, self._lang), name)
        self.category.blockSignals(False)

    def apply_filter(self) -> Operation[list[CatalogItem]]:
        self._timer.stop()
        text, category = self.search.text(), self.category.currentData()
        low = round(self.min_price.value() * 100) or None
        high = round(self.max_price.value() * 100) or None

        def read(core: Any) -> list[CatalogItem]:
            return field_api.catalog_search(
                core, text, category=category, min_price_fen=low, max_price_fen=high
            )

        op = self._lane.call(read, "catalog_search", self)
        op.on_success(self._show_items).on_failure(self._failed)
        return op

    def _show_items(self, items: list[CatalogItem]) -> None:
        self.items = items
        self.item_model.set_cells(
            [
                [i.sku, i.name, category_text(i.category, self._lang), yuan(i.price_fen)]
                for i in items
            ]
        )
        self.count_label.setText(self.tr("%n item(s)", "", len(items)))
        self.load_history()

    def selected_sku(self) -> str | None:
        rows = self.item_table.selectionModel().selectedRows()
        return self.items[rows[0].row()].sku if rows else None

    def load_history(self) -> Operation[list[CatalogChange]]:
        sku = self.selected_sku()
        self.history_box.setTitle(
            self.tr("Change history: %1").replace("%1", sku)
            if sku
            else self.tr("Change history: whole catalog")
        )
        op = self._lane.call(
            lambda core: field_api.catalog_history(core, sku), "catalog_history", self
        )
        op.on_success(self._show_history).on_failure(self._failed)
        return op

    def _show_history(self, changes: list[CatalogChange]) -> None:
        self.changes = changes
        kinds = {
            "added": self.tr("added"),
            "changed": self.tr("changed"),
            "removed": self.tr("removed"),
        }
        self.history_model.set_cells(
            [
                [
                    local_time(c.at),
                    c.sku,
                    kinds.get(c.change, c.change),
                    self._state(c.old_name, c.old_category, c.old_price_fen),
                    self._state(c.new_name, c.new_category, c.new_price_fen),
                ]
                for c in changes
            ]
        )

    def _state(self, name: str | None, category: str | None, price: int | None) -> str:
        if name is None and price is None:
            return ""
        parts = [name or "", category_text(category, self._lang) if category else "", yuan(price)]
        return " · ".join(p for p in parts if p)

    def _failed(self, exc: Exception) -> None:
        self.last_error = exc
        log.warning("catalog read failed: %s", getattr(exc, "code", type(exc).__name__))
        show_problem(self, refusal_text(exc, self._lang))
