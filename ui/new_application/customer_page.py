"""Step 1: who the customer is (as on the ID card) and how to reach them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.widgets import ErrorLabel, field_with_error, monospace_font

CUSTOMER_FIELDS = ("id_number", "name", "phone", "monthly_income", "home_city", "home_address")


class CustomerPage(QWidget):
    sig_changed = Signal()
    """Any field changed (the dialog saves the draft and refreshes dependent steps)."""

    sig_home_changed = Signal()
    """Home city or address changed ("same as home" delivery follows it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_page")
        self.id_number = QLineEdit()
        self.id_number.setFont(monospace_font())
        self.id_number.setMaxLength(20)
        self.id_number.setPlaceholderText(self.tr("18 characters, as on the ID card"))
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.phone = QLineEdit()
        self.phone.setMaxLength(20)
        self.phone.setPlaceholderText(self.tr("11-digit mobile number"))
        self.monthly_income = QLineEdit()
        self.monthly_income.setPlaceholderText(self.tr("e.g. 8000"))
        self.home_city = QLineEdit()
        self.home_city.setMaxLength(30)
        self.home_address = QLineEdit()
        self.home_address.setMaxLength(120)
        self.home_address.setPlaceholderText(self.tr("Street, building, house number"))

        self.edits: dict[str, QLineEdit] = {
            "id_number": self.id_number,
            "name": self.name,
            "phone": self.phone,
            "monthly_income": self.monthly_income,
            "home_city": self.home_city,
            "home_address": self.home_address,
        }
        self.errors: dict[str, ErrorLabel] = {}
        captions = {
            "id_number": self.tr("&ID number:"),
            "name": self.tr("N&ame:"),
            "phone": self.tr("&Mobile phone:"),
            "monthly_income": self.tr("Monthly inc&ome (yuan):"),
            "home_city": self.tr("Home &city:"),
            "home_address": self.tr("Home a&ddress:"),
        }

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        for key in CUSTOMER_FIELDS:
            edit = self.edits[key]
            edit.setObjectName(f"customer_{key}")
            edit.setMinimumWidth(280)
            error = ErrorLabel(f"error_customer_{key}")
            self.errors[key] = error
            label = QLabel(captions[key])
            label.setBuddy(edit)
            form.addRow(label, field_with_error(edit, error))
            edit.textChanged.connect(error.clear_message)
            edit.textChanged.connect(self.sig_changed)
        self.home_city.textChanged.connect(self.sig_home_changed)
        self.home_address.textChanged.connect(self.sig_home_changed)

        self.general_error = ErrorLabel("error_customer")
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("Enter the customer's details exactly as on the ID card."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)

    def title(self) -> str:
        return self.tr("Customer")

    def enter_chain(self) -> list[QWidget]:
        return [self.edits[key] for key in CUSTOMER_FIELDS]

    def own_enter(self) -> list[QWidget]:
        return []

    def first_field(self) -> QWidget:
        return self.id_number

    def field_targets(self) -> dict[QWidget, tuple[str, ErrorLabel]]:
        """Each field with its validation path and the label under it."""
        return {self.edits[k]: (f"customer.{k}", self.errors[k]) for k in CUSTOMER_FIELDS}

    # --- errors ------------------------------------------------------------------------
    def error_target(self, field: str) -> tuple[QWidget | None, ErrorLabel, int]:
        """Where the error for ``customer.<key>`` goes, and its place in the form."""
        key = field.split(".", 1)[1] if "." in field else ""
        if key in self.errors:
            return self.edits[key], self.errors[key], CUSTOMER_FIELDS.index(key)
        return None, self.general_error, len(CUSTOMER_FIELDS)

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_message()
        self.general_error.clear_message()

    # --- state -------------------------------------------------------------------------
    def raw(self) -> dict[str, str]:
        return {key: self.edits[key].text().strip() for key in CUSTOMER_FIELDS}

    def has_content(self) -> bool:
        return any(edit.text().strip() for edit in self.edits.values())

    def restore(self, raw: dict[str, Any]) -> None:
        for key in CUSTOMER_FIELDS:
            value = raw.get(key, "")
            self.edits[key].setText("" if value is None else str(value))
