"""Step 2: what is bought (scanned or typed lines) and where it is delivered."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import i18n
from core.applications import labels
from core.basket import basket_errors
from core.models import CatalogItem, Scenario
from core.money import format_fen
from core.validation.application import FieldError
from ui.formatting import yuan
from ui.new_application.common import line_field, normalize_field
from ui.new_application.form_core import FormCore
from ui.new_application.lines_model import (
    COL_NAME,
    COL_PRICE,
    COL_QTY,
    FIELD_COLUMNS,
    Line,
    LinesModel,
    QuantityDelegate,
)
from ui.new_application.sku_suggest import SkuSuggestions
from ui.widgets import ErrorLabel, error_text, field_with_error, monospace_font

log = logging.getLogger("loandesk.ui")


class OrderPage(QWidget):
    sig_changed = Signal()
    """Scenario, a line or the delivery changed."""

    sig_same_as_home = Signal(bool)
    """The "same as home address" box was ticked or cleared."""

    def __init__(self, form: FormCore, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("order_page")
        self._form = form
        self._lang = lang

        self.scenario = QComboBox()
        self.scenario.setObjectName("scenario")
        for scenario in Scenario:
            self.scenario.addItem(labels.scenario_text(scenario, lang), scenario.value)
        self.scenario_error = ErrorLabel("error_scenario")

        self.sku = QLineEdit()
        self.sku.setObjectName("sku_entry")
        self.sku.setFont(monospace_font())
        self.sku.setPlaceholderText(self.tr("Scan the barcode or type the SKU, then Enter"))
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.setObjectName("add_line")
        self.remove_button = QPushButton(self.tr("&Remove line"))
        self.remove_button.setObjectName("remove_line")
        self.suggest = SkuSuggestions(self.sku, form, self._add_picked, self)
        self.completer = self.suggest.completer
        self.sku_message = QLabel()
        self.sku_message.setObjectName("sku_message")
        self.sku_message.setWordWrap(True)

        self.lines = LinesModel(self)
        self.table = QTableView()
        self.table.setObjectName("lines_table")
        self.table.setModel(self.lines)
        self.table.setItemDelegate(QuantityDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setMinimumHeight(150)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 130), (COL_PRICE, 130), (COL_QTY, 60), (4, 120)):
            header.resizeSection(col, width)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.remove_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.lines_error = ErrorLabel("error_lines")
        self.total_label = QLabel()
        self.total_label.setObjectName("order_total")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.same_as_home = QCheckBox(self.tr("Same as the customer's &home address"))
        self.same_as_home.setObjectName("same_as_home")
        self.delivery_city = QLineEdit()
        self.delivery_city.setObjectName("delivery_city")
        self.delivery_city.setMaxLength(30)
        self.delivery_address = QLineEdit()
        self.delivery_address.setObjectName("delivery_address")
        self.delivery_address.setMaxLength(120)
        self.delivery_city_error = ErrorLabel("error_delivery_city")
        self.delivery_address_error = ErrorLabel("error_delivery_address")
        self._layout()
        self._connect()
        self._update_total()

    def _layout(self) -> None:
        top = QFormLayout()
        scenario_label = QLabel(self.tr("&Category:"))
        scenario_label.setBuddy(self.scenario)
        top.addRow(scenario_label, field_with_error(self.scenario, self.scenario_error))
        sku_label = QLabel(self.tr("S&KU:"))
        sku_label.setBuddy(self.sku)
        sku_row = QHBoxLayout()
        sku_row.addWidget(self.sku, 1)
        sku_row.addWidget(self.add_button)
        sku_row.addWidget(self.remove_button)
        top.addRow(sku_label, sku_row)

        delivery = QGroupBox(self.tr("Delivery"))
        form = QFormLayout(delivery)
        form.addRow(self.same_as_home)
        city_label = QLabel(self.tr("Delivery c&ity:"))
        city_label.setBuddy(self.delivery_city)
        form.addRow(city_label, field_with_error(self.delivery_city, self.delivery_city_error))
        address_label = QLabel(self.tr("Delivery a&ddress:"))
        address_label.setBuddy(self.delivery_address)
        form.addRow(
            address_label, field_with_error(self.delivery_address, self.delivery_address_error)
        )

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sku_message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.lines_error)
        layout.addWidget(self.total_label)
        layout.addWidget(delivery)

    def _connect(self) -> None:
        self.sku.returnPressed.connect(self.add_from_entry)
        self.add_button.clicked.connect(self.add_from_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        for signal in (
            self.lines.dataChanged,
            self.lines.rowsInserted,
            self.lines.rowsRemoved,
            self.lines.modelReset,
        ):
            signal.connect(self._on_lines_changed)
        self.scenario.currentIndexChanged.connect(self.scenario_error.clear_message)
        self.scenario.currentIndexChanged.connect(self.sig_changed)
        self.same_as_home.toggled.connect(self._on_same_as_home)
        for edit, error in (
            (self.delivery_city, self.delivery_city_error),
            (self.delivery_address, self.delivery_address_error),
        ):
            edit.textChanged.connect(error.clear_message)
            edit.textChanged.connect(self.sig_changed)

    def title(self) -> str:
        return self.tr("Items")

    def enter_chain(self) -> list[QWidget]:
        return [
            self.scenario,
            self.sku,
            self.same_as_home,
            self.delivery_city,
            self.delivery_address,
        ]

    def own_enter(self) -> list[QWidget]:
        """Enter in the SKU box adds the line (a scanner ends each code with Enter)."""
        return [self.sku]

    def first_field(self) -> QWidget:
        return self.sku

    def _add_picked(self) -> None:
        if self.sku.text().strip():  # Enter on the list may already have added it
            self.add_from_entry()

    # --- lines -----------------------------------------------------------------------------
    def add_from_entry(self) -> None:
        """A scanner types the SKU and presses Enter: look it up and add a line."""
        sku = self.sku.text().strip()
        if not sku:
            self.same_as_home.setFocus(Qt.FocusReason.TabFocusReason)
            return
        self.suggest.stop()
        self.sku.clear()
        op = self._form.lookup_sku(sku, self)
        op.on_success(lambda item: self._add_line(sku, item))
        op.on_failure(lambda exc: self._lookup_failed(sku, exc))

    def basket_errors(self) -> list[FieldError]:
        """Mixed categories, or a scenario other than the catalog's (core.basket)."""
        return basket_errors(self.scenario_value(), self.lines.categories())

    def field_targets(self) -> dict[QWidget, tuple[str, ErrorLabel]]:
        return {
            self.delivery_city: ("delivery_city", self.delivery_city_error),
            self.delivery_address: ("delivery_address", self.delivery_address_error),
        }

    def _lookup_failed(self, sku: str, exc: Exception) -> None:
        if not self.sku.text():
            self.sku.setText(sku)  # nothing scanned since: keep the code to try again
        self.sku_message.setText(error_text(exc, self._lang))

    def _add_line(self, sku: str, item: CatalogItem | None) -> None:
        self.sku_message.setStyleSheet("")
        existing = self.lines.find_sku(item.sku if item is not None else sku)
        if existing >= 0:
            self.lines.increment(existing)
            self.table.selectRow(existing)
            self.sku_message.setText(self.tr("Same item scanned again: quantity increased."))
            return
        if item is None:
            row = self.lines.add_line(Line(sku))
            self.sku_message.setText(
                self.tr("SKU not in the catalog: type the item name and price in the table.")
            )
            index = self.lines.index(row, COL_NAME)
            self.table.setCurrentIndex(index)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.edit(index)
            return
        known = {c for c in self.lines.categories() if c is not None}
        if known and item.category not in known:
            # appliance and furniture are financed on different terms: one per application
            self.sku_message.setText(i18n.translate("BASKET_MIXED", self._lang) + f" ({item.sku})")
            self.sku_message.setStyleSheet("color: #b71c1c;")
            return
        if not known and item.category in {s.value for s in Scenario}:
            self.set_scenario(item.category)  # the catalog decides the scenario
        row = self.lines.add_line(
            Line(item.sku, item.name, format_fen(item.price_fen, grouping=False), 1, item.category)
        )
        self.table.selectRow(row)
        self.sku_message.setText(self.tr("Added: %1").replace("%1", item.name))

    def remove_selected(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        self.lines.remove_rows(rows)

    def _on_lines_changed(self, *_args: object) -> None:
        self.lines_error.clear_message()
        self._update_total()
        self.sig_changed.emit()

    def _update_total(self) -> None:
        total = self.lines.total_fen()
        text = "—" if total is None else yuan(total)
        self.total_label.setText(self.tr("Order total: %1 yuan").replace("%1", text))

    # --- scenario and delivery -------------------------------------------------------------
    def scenario_value(self) -> str:
        return str(self.scenario.currentData() or "")

    def set_scenario(self, value: str) -> None:
        index = self.scenario.findData(value)
        if index >= 0:
            self.scenario.setCurrentIndex(index)

    def _on_same_as_home(self, checked: bool) -> None:
        self.delivery_city.setReadOnly(checked)
        self.delivery_address.setReadOnly(checked)
        self.delivery_city.setEnabled(not checked)
        self.delivery_address.setEnabled(not checked)
        self.sig_same_as_home.emit(checked)
        self.sig_changed.emit()

    def copy_home(self, city: str, address: str) -> None:
        if self.same_as_home.isChecked():
            self.delivery_city.setText(city)
            self.delivery_address.setText(address)

    # --- errors ------------------------------------------------------------------------
    def error_target(self, field: str) -> tuple[QWidget | None, ErrorLabel, int]:
        field = normalize_field(field)
        if field == "scenario":
            return self.scenario, self.scenario_error, 0
        if field == "delivery_city":
            return self.delivery_city, self.delivery_city_error, 20
        if field == "delivery_address":
            return self.delivery_address, self.delivery_address_error, 21
        return self.table, self.lines_error, 10

    def show_line_error(self, field: str, text: str) -> None:
        """Errors of a line go under the table, prefixed with the line number."""
        where = line_field(field)
        if where is None:
            self.lines_error.add_message(text)
            return
        row, key = where
        self.lines_error.add_message(self.tr("Line %1: ").replace("%1", str(row + 1)) + text)

    def focus_line(self, field: str) -> None:
        where = line_field(field)
        if where is None or where[0] >= self.lines.rowCount():
            self.sku.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        row, key = where
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentIndex(self.lines.index(row, FIELD_COLUMNS.get(key, COL_NAME)))

    def clear_errors(self) -> None:
        for error in (
            self.scenario_error,
            self.lines_error,
            self.delivery_city_error,
            self.delivery_address_error,
        ):
            error.clear_message()

    # --- state -------------------------------------------------------------------------
    def has_content(self) -> bool:
        return self.lines.rowCount() > 0 or bool(
            not self.same_as_home.isChecked()
            and (self.delivery_city.text().strip() or self.delivery_address.text().strip())
        )

    def state(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_value(),
            "lines": self.lines.raw(),
            "delivery_city": self.delivery_city.text().strip(),
            "delivery_address": self.delivery_address.text().strip(),
            "same_as_home": self.same_as_home.isChecked(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        self.set_scenario(str(state.get("scenario") or Scenario.APPLIANCE.value))
        self.lines.restore(state.get("lines"))
        self.same_as_home.setChecked(bool(state.get("same_as_home")))
        self.delivery_city.setText(str(state.get("delivery_city") or ""))
        self.delivery_address.setText(str(state.get("delivery_address") or ""))
