"""Step 4: the pre-screen outcome and a read-only summary to check with the customer
before saving."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from core.applications import labels
from core.models import ApplicationInput
from core.money import MoneyParseError, Schedule, format_fen, parse_yuan
from core.prescreen.outcome import PrescreenOutcome
from ui.formatting import percent, yuan
from ui.new_application.evidence_box import EvidenceBox
from ui.new_application.form_core import FormCore
from ui.prescreen_view import PrescreenView
from ui.widgets import ErrorLabel, error_text

log = logging.getLogger("loandesk.ui")


def _money(text: object) -> str:
    try:
        return yuan(parse_yuan(text))
    except MoneyParseError:
        return escape(str(text))


class ReviewPage(QWidget):
    sig_outcome = Signal(str)
    """The pre-screen ran: "PASS", "REFER", "DECLINE", or "" when it could not run."""

    def __init__(self, form: FormCore, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_page")
        self._form = form
        self._asked = 0  # pre-screens asked for: only the latest one's answer is shown
        self._lang = lang
        self.outcome: PrescreenOutcome | None = None
        self.prescreen = PrescreenView(lang)
        self.summary = QLabel()
        self.summary.setObjectName("review_summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.summary)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.general_error = ErrorLabel("error_review")
        self.hint = QLabel(self.tr("Check every detail with the customer, then press Save."))
        self.hint.setObjectName("review_hint")
        self.hint.setWordWrap(True)
        self.evidence = EvidenceBox(form, lang)
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(self.evidence, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prescreen)
        layout.addWidget(self.hint)
        layout.addLayout(body, 1)
        layout.addWidget(self.general_error)

    def title(self) -> str:
        return self.tr("Review")

    def enter_chain(self) -> list[QWidget]:
        return []

    def own_enter(self) -> list[QWidget]:
        return []

    def first_field(self) -> QWidget | None:
        return None

    def error_target(self, field: str) -> tuple[QWidget | None, ErrorLabel, int]:
        return None, self.general_error, 0

    def clear_errors(self) -> None:
        self.general_error.clear_message()

    def run_prescreen(self, raw: dict[str, Any]) -> PrescreenOutcome | None:
        """Pre-screen what the form holds now (every time the step is entered, so edits
        made on earlier steps count); None when the form is incomplete or it failed.
        It reads the store's data on the lane: the outcome is shown (and returned, with
        the tests' runner) when it arrives; ``sig_outcome`` tells either way."""
        self.outcome = None
        self._asked += 1
        asked = self._asked
        result = self._form.rules.validate(raw)
        if result.value is None:
            self.prescreen.show_message(
                self.tr(
                    "The pre-screen runs once every step is complete; Save shows what is missing."
                )
            )
            self.sig_outcome.emit("")
            return None
        self.prescreen.show_message(self.tr("Pre-screening…"))
        op = self._form.prescreen(result.value, self)
        op.on_success(lambda outcome: self._screened(asked, outcome))
        op.on_failure(lambda exc: self._not_screened(asked, exc))
        return self.outcome

    def _screened(self, asked: int, outcome: PrescreenOutcome) -> None:
        if asked != self._asked:
            return  # the form changed since: a newer pre-screen is on its way
        self.outcome = outcome
        self.prescreen.show_outcome(outcome)
        log.info("pre-screen on review: %s (%s)", outcome.outcome, ",".join(outcome.codes) or "-")
        self.sig_outcome.emit(outcome.outcome)

    def _not_screened(self, asked: int, exc: Exception) -> None:
        if asked != self._asked:
            return
        log.warning("pre-screen failed: %s", getattr(exc, "code", type(exc).__name__))
        self.prescreen.show_message(
            self.tr("The pre-screen could not run: %1").replace("%1", error_text(exc, self._lang))
        )
        self.sig_outcome.emit("")

    def show_summary(self, raw: dict[str, Any], schedule: Schedule | None) -> None:
        """What will be saved: the validated, normalised values (phone without +86 or
        spaces, half-width digits, trimmed text); the typed ones only while the form
        is incomplete."""
        value = self._form.rules.validate(raw).value
        if value is not None:
            raw = saved_values(value)
        customer = raw.get("customer", {})
        order = raw.get("order", {})
        terms = raw.get("terms", {})

        def row(caption: str, value: str) -> str:
            return (
                f"<tr><td style='padding-right:16px;color:#555'>{escape(caption)}</td>"
                f"<td>{value}</td></tr>"
            )

        def text(value: object) -> str:
            return escape(str(value or ""))

        def heading(caption: str) -> str:
            return f"<h3>{escape(caption)}</h3><table>"

        parts = [
            heading(self.tr("Customer")),
            row(self.tr("ID number:"), f"<tt>{text(customer.get('id_number'))}</tt>"),
            row(self.tr("Name:"), text(customer.get("name"))),
            row(self.tr("Mobile phone:"), text(customer.get("phone"))),
            row(self.tr("Monthly income (yuan):"), _money(customer.get("monthly_income"))),
            row(
                self.tr("Home address:"),
                text(f"{customer.get('home_city', '')} {customer.get('home_address', '')}"),
            ),
            "</table>",
            heading(self.tr("Items")),
            row(
                self.tr("Category:"),
                escape(labels.scenario_text(str(raw.get("scenario")), self._lang)),
            ),
        ]
        for line in order.get("lines", []):
            parts.append(
                row(
                    f"{line.get('sku', '')}",
                    f"{text(line.get('name'))} × {text(line.get('quantity'))}"
                    f" @ {_money(line.get('unit_price'))}",
                )
            )
        parts.append(
            row(
                self.tr("Delivery address:"),
                text(f"{order.get('delivery_city', '')} {order.get('delivery_address', '')}"),
            )
        )
        parts.append("</table>")
        parts.append(heading(self.tr("Terms")))
        parts.append(row(self.tr("Down payment (yuan):"), _money(terms.get("down_payment") or 0)))
        parts.append(
            row(
                self.tr("Term:"),
                escape(self.tr("%1 months").replace("%1", str(terms.get("term_months")))),
            )
        )
        parts.append(
            row(
                self.tr("Repayment method:"),
                escape(labels.method_text(str(terms.get("method")), self._lang)),
            )
        )
        if schedule is not None and schedule.first_due_date is not None:
            parts.append(
                row(self.tr("First payment date:"), escape(schedule.first_due_date.isoformat()))
            )
        if schedule is not None:
            parts.append(row(self.tr("Loan amount (yuan):"), yuan(schedule.principal_fen)))
            parts.append(row(self.tr("First month payment:"), yuan(schedule.first_payment_fen)))
            parts.append(row(self.tr("Total interest (yuan):"), yuan(schedule.total_interest_fen)))
            parts.append(row(self.tr("Fees (yuan):"), yuan(schedule.total_fee_fen)))
            parts.append(
                row(self.tr("Total repayment (yuan):"), yuan(schedule.total_repayment_fen))
            )
            parts.append(
                row(
                    self.tr("APR (annual percentage rate):"),
                    f"<b style='font-size:large;color:#0d47a1'>{percent(schedule.apr)}</b>",
                )
            )
        parts.append("</table>")
        self.summary.setText("".join(parts))


def saved_values(app: ApplicationInput) -> dict[str, Any]:
    """``app`` in the shape of the form's raw dict, as it will be stored."""
    c = app.customer
    return {
        "scenario": app.scenario.value,
        "customer": {
            "id_number": c.id_number,
            "name": c.name,
            "phone": c.phone,
            "monthly_income": format_fen(c.monthly_income_fen, grouping=False),
            "home_city": c.home_city,
            "home_address": c.home_address,
        },
        "order": {
            "lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "unit_price": format_fen(line.unit_price_fen, grouping=False),
                    "quantity": line.quantity,
                }
                for line in app.lines
            ],
            "delivery_city": app.delivery_city,
            "delivery_address": app.delivery_address,
        },
        "terms": {
            "down_payment": format_fen(app.terms.down_payment_fen, grouping=False),
            "term_months": app.terms.term_months,
            "method": app.terms.method.value,
        },
    }
