"""Step 3: down payment, term and method, with the live schedule and the APR the
customer must be shown."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import i18n
from core.applications import labels
from core.applications.due_dates import default_first_due
from core.applications.paperwork import dated
from core.clock import local_today
from core.models import RepaymentMethod, Scenario
from core.money import MoneyParseError, Schedule, format_fen, parse_yuan
from core.validation.application import FIRST_DUE_MAX_DAYS
from ui.formatting import percent, yuan
from ui.new_application.dated_schedule import DatedScheduleModel
from ui.new_application.form_core import FormCore
from ui.widgets import ErrorLabel, field_with_error

log = logging.getLogger("loandesk.ui")
TERM_FIELDS = ("down_payment", "term_months", "method", "first_due_date")
DEFAULT_TERM = 12
_NONE = "—"


class TermsPage(QWidget):
    sig_changed = Signal()
    """Down payment, term or method changed."""

    def __init__(self, form: FormCore, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("terms_page")
        self._rules = form.rules
        self._lang = lang
        self._order_total: int | None = None
        self._scenario = Scenario.APPLIANCE
        self.schedule: Schedule | None = None

        self.down_payment = QLineEdit("0")
        self.down_payment.setObjectName("terms_down_payment")
        self.down_payment.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.down_payment.setMaximumWidth(200)
        self.term = QComboBox()
        self.term.setObjectName("terms_term_months")
        self._fill_terms(form.rules.policy.allowed_terms)
        self.method = QComboBox()
        self.method.setObjectName("terms_method")
        for method in RepaymentMethod:
            self.method.addItem(labels.method_text(method, lang), method.value)
        self.first_due = self._first_due_edit(form)
        self.errors = {key: ErrorLabel(f"error_terms_{key}") for key in TERM_FIELDS}
        self.general_error = ErrorLabel("error_terms")
        policy = form.rules.policy
        self.limits = QLabel(
            self.tr("Loans from ¥%1 to ¥%2 can be offered.")
            .replace("%1", format_fen(policy.min_principal_fen))
            .replace("%2", format_fen(policy.max_principal_fen))
        )
        self.limits.setObjectName("amount_limits")
        self.limits.setWordWrap(True)
        self.limits.setStyleSheet("color: #555;")
        self.amount_error = ErrorLabel("error_terms_amount")

        rows = QFormLayout()
        for key, caption, widget in (
            ("down_payment", self.tr("&Down payment (yuan):"), self.down_payment),
            ("term_months", self.tr("&Term:"), self.term),
            ("method", self.tr("Repayment &method:"), self.method),
            ("first_due_date", self.tr("&First payment date:"), self.first_due),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            rows.addRow(label, field_with_error(widget, self.errors[key]))
        rows.addRow(self.limits)
        rows.addRow(self.amount_error)

        self.schedule_model = DatedScheduleModel(self)
        self.table = QTableView()
        self.table.setObjectName("schedule_table")
        self.table.setModel(self.schedule_model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setMinimumHeight(160)

        top = QHBoxLayout()
        top.addLayout(rows, 1)
        top.addWidget(self._build_summary(), 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.general_error)
        layout.addWidget(QLabel(self.tr("Repayment schedule:")))
        layout.addWidget(self.table, 1)

        self.down_payment.textChanged.connect(self.errors["down_payment"].clear_message)
        self.term.currentIndexChanged.connect(self.errors["term_months"].clear_message)
        self.method.currentIndexChanged.connect(self.errors["method"].clear_message)
        self.down_payment.textChanged.connect(self._changed)
        self.term.currentIndexChanged.connect(self._changed)
        self.method.currentIndexChanged.connect(self._changed)
        self.first_due.dateChanged.connect(self.errors["first_due_date"].clear_message)
        self.first_due.dateChanged.connect(self._changed)
        self.update_quote()

    def _first_due_edit(self, form: FormCore) -> QDateEdit:
        """The first-payment date the store sets: from tomorrow to the latest allowed;
        it starts on the default (one month after today, month ends clamped)."""
        today = local_today(form.rules.clock)
        self._default_due = default_first_due(today)[0]
        edit = QDateEdit()
        edit.setObjectName("terms_first_due_date")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDateRange(
            _qdate(today + timedelta(days=1)), _qdate(today + timedelta(days=FIRST_DUE_MAX_DAYS))
        )
        edit.setDate(_qdate(self._default_due))
        edit.setMaximumWidth(200)
        return edit

    def first_due_date(self) -> date:
        got = self.first_due.date()
        return date(got.year(), got.month(), got.day())

    def _build_summary(self) -> QGroupBox:
        box = QGroupBox(self.tr("Summary"))
        grid = QGridLayout(box)
        self.order_total_value = self._value_label("order_total_value")
        self.loan_value = self._value_label("loan_amount_value")
        self.monthly_caption = QLabel(self.tr("Monthly payment:"))
        self.monthly_value = self._value_label("monthly_payment_label")
        bold = QFont(self.monthly_value.font())
        bold.setBold(True)
        self.monthly_value.setFont(bold)
        self.interest_value = self._value_label("total_interest_value")
        self.fees_value = self._value_label("fees_value")
        self.repayment_value = self._value_label("total_repayment_value")
        self.rate_value = self._value_label("annual_rate_value")
        self.apr_value = self._value_label("apr_label")
        big = QFont(self.apr_value.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.6)
        self.apr_value.setFont(big)
        self.apr_value.setStyleSheet("color: #0d47a1;")
        apr_caption = QLabel(self.tr("APR (annual percentage rate):"))
        apr_caption.setFont(bold)
        rows = (
            (QLabel(self.tr("Order total (yuan):")), self.order_total_value),
            (QLabel(self.tr("Loan amount (yuan):")), self.loan_value),
            (self.monthly_caption, self.monthly_value),
            (QLabel(self.tr("Total interest (yuan):")), self.interest_value),
            (QLabel(self.tr("Fees (yuan):")), self.fees_value),
            (QLabel(self.tr("Total repayment (yuan):")), self.repayment_value),
            (QLabel(self.tr("Nominal annual rate:")), self.rate_value),
            (apr_caption, self.apr_value),
        )
        for row, (caption, value) in enumerate(rows):
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        return box

    @staticmethod
    def _value_label(name: str) -> QLabel:
        label = QLabel(_NONE)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def title(self) -> str:
        return self.tr("Terms")

    def enter_chain(self) -> list[QWidget]:
        return [self.down_payment, self.term, self.method]

    def own_enter(self) -> list[QWidget]:
        return []

    def first_field(self) -> QWidget:
        return self.down_payment

    # --- the live quote -----------------------------------------------------------------
    def set_order(self, total_fen: int | None, scenario: str) -> None:
        """The order step changed: the loan amount and the rate follow it."""
        self._order_total = total_fen
        try:
            self._scenario = Scenario(scenario)
        except ValueError:
            self._scenario = Scenario.APPLIANCE
        self._fill_terms(self._rules.policy.terms_for(self._scenario))
        self.update_quote()

    def _fill_terms(self, terms: tuple[int, ...]) -> None:
        """Offer only the terms the scenario allows; keep the clerk's choice if it still is."""
        current = self.term.currentData()
        if [self.term.itemData(i) for i in range(self.term.count())] == list(terms):
            return
        self.term.blockSignals(True)
        self.term.clear()
        for months in terms:
            self.term.addItem(self.tr("%1 months").replace("%1", str(months)), months)
        for wanted in (current, DEFAULT_TERM):
            index = self.term.findData(wanted)
            if index >= 0:
                self.term.setCurrentIndex(index)
                break
        self.term.blockSignals(False)

    def _changed(self) -> None:
        self.update_quote()
        self.sig_changed.emit()

    def down_payment_fen(self) -> int | None:
        text = self.down_payment.text().strip()
        if not text:
            return 0
        try:
            return parse_yuan(text)
        except MoneyParseError:
            return None

    def update_quote(self) -> None:
        total, down = self._order_total, self.down_payment_fen()
        principal = None if total is None or down is None else total - down
        self.order_total_value.setText(_NONE if total is None else yuan(total))
        self.loan_value.setText(_NONE if principal is None or principal <= 0 else yuan(principal))
        self.schedule = None
        self.amount_error.clear_message()
        policy = self._rules.policy
        if principal is not None and principal > 0 and not self._offered(principal):
            self.amount_error.show_message(
                i18n.translate(
                    "PRINCIPAL_RANGE",
                    self._lang,
                    principal=format_fen(principal),
                    min=format_fen(policy.min_principal_fen),
                    max=format_fen(policy.max_principal_fen),
                )
            )
        elif principal is not None and principal > 0:
            try:
                method = RepaymentMethod(self.method_value())
                quote = self._rules.quote(self._scenario, principal, self.term_months(), method)
                self.schedule = dated(quote, self._chosen_due(), self._rules.clock.now())
            except ValueError as exc:  # outside what a schedule can be built for
                log.debug("no quote: %s", exc)
        self.schedule_model.set_schedule(self.schedule)
        self._show_summary(self.schedule)

    def _offered(self, principal: int) -> bool:
        """Only an amount the terms can finance gets a schedule and an APR."""
        policy = self._rules.policy
        return policy.min_principal_fen <= principal <= policy.max_principal_fen

    def _chosen_due(self) -> date | None:
        """The store's first-payment date; None while it is the default (which keeps
        the application day as the due day: 31 Jan -> 28 Feb -> 31 Mar)."""
        chosen = self.first_due_date()
        return None if chosen == self._default_due else chosen

    def _show_summary(self, s: Schedule | None) -> None:
        equal_principal = self.method_value() == RepaymentMethod.EQUAL_PRINCIPAL.value
        self.monthly_caption.setText(
            self.tr("First month payment:") if equal_principal else self.tr("Monthly payment:")
        )
        if s is None:
            for label in (
                self.monthly_value,
                self.interest_value,
                self.fees_value,
                self.repayment_value,
                self.rate_value,
                self.apr_value,
            ):
                label.setText(_NONE)
            return
        monthly = yuan(s.first_payment_fen)
        if equal_principal and s.rows:
            monthly += f"  →  {yuan(s.rows[-1].payment_fen)}"
        self.monthly_value.setText(monthly)
        self.interest_value.setText(yuan(s.total_interest_fen))
        self.fees_value.setText(yuan(s.total_fee_fen))
        self.repayment_value.setText(yuan(s.total_repayment_fen))
        self.rate_value.setText(percent(s.annual_rate))
        self.apr_value.setText(percent(s.apr))

    # --- errors ------------------------------------------------------------------------
    def error_target(self, field: str) -> tuple[QWidget | None, ErrorLabel, int]:
        key = field.split(".", 1)[1] if "." in field else ""
        widgets: dict[str, QWidget] = {
            "down_payment": self.down_payment,
            "term_months": self.term,
            "method": self.method,
            "first_due_date": self.first_due,
        }
        if key in self.errors:
            return widgets[key], self.errors[key], TERM_FIELDS.index(key)
        return None, self.general_error, len(TERM_FIELDS)

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_message()
        self.general_error.clear_message()

    # --- state -------------------------------------------------------------------------
    def term_months(self) -> int:
        return int(self.term.currentData() or DEFAULT_TERM)

    def method_value(self) -> str:
        return str(self.method.currentData() or RepaymentMethod.EQUAL_INSTALLMENT.value)

    def has_content(self) -> bool:
        return self.down_payment.text().strip() not in ("", "0") or self._chosen_due() is not None

    def raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "down_payment": self.down_payment.text().strip(),
            "term_months": self.term_months(),
            "method": self.method_value(),
        }
        chosen = self._chosen_due()
        if chosen is not None:
            raw["first_due_date"] = chosen.isoformat()
        return raw

    def field_targets(self) -> dict[QWidget, tuple[str, ErrorLabel]]:
        return {
            self.down_payment: ("terms.down_payment", self.errors["down_payment"]),
            self.first_due: ("terms.first_due_date", self.errors["first_due_date"]),
        }

    def restore(self, raw: dict[str, Any]) -> None:
        self.down_payment.setText(str(raw.get("down_payment", "0") or "0"))
        index = self.term.findData(raw.get("term_months"))
        if index >= 0:
            self.term.setCurrentIndex(index)
        index = self.method.findData(raw.get("method"))
        if index >= 0:
            self.method.setCurrentIndex(index)
        due = raw.get("first_due_date")
        try:
            self.first_due.setDate(
                _qdate(date.fromisoformat(due)) if due else _qdate(self._default_due)
            )
        except (TypeError, ValueError):
            self.first_due.setDate(_qdate(self._default_due))
        self.update_quote()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
