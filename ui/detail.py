"""One application in full: customer (masked), items, terms and APR, the pre-screen
receipt, head office's decision, the schedule and the status history; cancelling when
the status machine and the operator's role allow it.

Core hands the ID number and phone over masked for every role; roles with
VIEW_FULL_ID get a "Show" button per field, which asks core for the full value (one
audit row per reveal). A customer purged by retention says so instead of blanks."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.api import DecisionRecord
from core.applications import labels
from core.applications.printouts import PrintFacts
from core.applications.snapshot import ApplicationSnapshot, read_print_facts, read_snapshot
from core.models import TRANSITIONS, ApplicationDetail, Status, StatusEvent
from core.money import format_fen
from core.operators import access
from core.operators.actor import Actor
from core.prescreen.outcome import PrescreenOutcome
from core.security.permissions import Permission
from ui.db_lane import CoreLane
from ui.decision_view import DecisionBox
from ui.detail_layout import opening_size, scrolling, table
from ui.formatting import local_time, percent, yuan
from ui.history_model import HistoryModel
from ui.new_application.lines_model import Line, LinesModel
from ui.permissions import can, refusal_text
from ui.prescreen_view import OutcomeBadge, PrescreenView
from ui.printing.preview import PrintoutDialog
from ui.reveal_reason import ask_reason
from ui.schedule_model import ScheduleModel
from ui.tasks import Operation
from ui.widgets import ErrorLabel, confirm, error_text, monospace_font, no_auto_default

log = logging.getLogger("loandesk.ui")


class DetailDialog(QDialog):
    sig_changed = Signal(str)
    """The application's status changed (e.g. cancelled); carries its id."""

    def __init__(
        self,
        lane: CoreLane,
        actor: Actor,
        snapshot: ApplicationSnapshot,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        """``snapshot``: the application as :func:`opening` read it on ``lane``, which
        later reads (reload, reveal, cancel) also use; ``actor``: who is looking."""
        super().__init__(parent)
        self.setObjectName("detail_dialog")
        self.setMinimumSize(760, 560)
        self._lane = lane
        self._actor = actor
        self._snapshot = snapshot
        app_id = snapshot.detail.row.id
        self._app_id = app_id
        self._lang = lang
        self.detail: ApplicationDetail = snapshot.detail
        self.purged = access.is_purged(self.detail)
        self.revealed: dict[str, str] = {}  # field -> full value, while the dialog is open
        self.setWindowTitle(
            self.tr("Application %1").replace("%1", self.detail.row.reference or app_id)
        )

        self.lines_model = LinesModel(self, editable=False)
        self.schedule_model = ScheduleModel(self)
        self.history_model = HistoryModel(lang, self)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_value")
        bold = QFont(self.status_label.font())
        bold.setBold(True)
        self.status_label.setFont(bold)
        self.apr_label = QLabel()
        self.apr_label.setObjectName("apr_label")
        big = QFont(bold)
        big.setPointSizeF(big.pointSizeF() * 1.4)
        self.apr_label.setFont(big)
        self.apr_label.setStyleSheet("color: #0d47a1;")
        self.error = ErrorLabel("detail_error")
        self.decision_box = DecisionBox(lang)
        self.decision: DecisionRecord | None = None
        self.receipt: PrescreenOutcome | None = snapshot.receipt
        problem = snapshot.receipt_problem
        self._receipt_problem = error_text(problem, lang) if problem is not None else ""
        self.outcome_badge = OutcomeBadge("detail_outcome_badge", scale=1.0)
        self.prescreen_view = PrescreenView(lang, show_digest=True)

        self.tabs = tabs = QTabWidget()
        tabs.addTab(self._summary_tab(), self.tr("&Application"))
        tabs.addTab(self._prescreen_tab(), self.tr("&Pre-screen"))
        tabs.addTab(table(self.schedule_model, "schedule_table"), self.tr("Sc&hedule"))
        tabs.addTab(table(self.history_model, "history_table"), self.tr("H&istory"))
        self.cancel_button = QPushButton(self.tr("&Cancel application"))
        self.cancel_button.setObjectName("cancel_application")
        self.cancel_button.clicked.connect(self.cancel_application)
        self.print_button = QPushButton(self.tr("&Print / PDF…"))
        self.print_button.setObjectName("print_application")
        self.print_button.setToolTip(
            self.tr("Repayment plan, application summary and consent form for the customer")
        )
        self.print_button.clicked.connect(self.open_printout)
        no_auto_default(self.print_button)
        self.printout: PrintoutDialog | None = None
        close_button = QPushButton(self.tr("Close"))
        close_button.clicked.connect(self.accept)
        no_auto_default(self.cancel_button)
        close_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addLayout(buttons)
        self._sized = False
        self._fill()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._sized:  # the first time only: a size the clerk chose stays
            self._sized = True
            screen = self.screen()
            if screen is not None:
                self.resize(opening_size(screen.availableGeometry().size()))
        super().showEvent(event)

    def _summary_tab(self) -> QWidget:
        d = self.detail
        head = QFormLayout()
        if d.row.reference:  # what the customer reads over the phone
            reference = QLabel(d.row.reference)
            reference.setObjectName("reference_value")
            reference.setFont(monospace_font())
            reference.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            head.addRow(self.tr("Reference:"), reference)
        id_value = QLabel(self._app_id)
        id_value.setFont(monospace_font())
        id_value.setStyleSheet("color: #666;")
        id_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addRow(self.tr("System id:"), id_value)
        head.addRow(self.tr("Status:"), self.status_label)
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.outcome_badge)
        outcome_row.addStretch(1)
        head.addRow(self.tr("Pre-screen:"), outcome_row)
        head.addRow(
            self.tr("Created:"),
            QLabel(f"{local_time(d.row.created_at)}  {d.operator_name} ({d.store_code})"),
        )

        customer = QGroupBox(self.tr("Customer"))
        form = QFormLayout(customer)
        self.id_label = self._personal("id_number_value", d.customer.id_number)
        self.id_label.setFont(monospace_font())
        form.addRow(self.tr("ID number:"), self._with_reveal(self.id_label, "id_number"))
        self.name_label = self._personal("name_value", d.customer.name)
        form.addRow(self.tr("Name:"), self.name_label)
        self.phone_label = self._personal("phone_value", d.customer.phone)
        form.addRow(self.tr("Mobile phone:"), self._with_reveal(self.phone_label, "phone"))
        form.addRow(self.tr("Monthly income (yuan):"), QLabel(yuan(d.customer.monthly_income_fen)))
        self.address_label = self._personal(
            "home_address_value", d.customer.home_address, prefix=d.customer.home_city
        )
        form.addRow(self.tr("Home address:"), self.address_label)

        terms = QGroupBox(self.tr("Terms"))
        tform = QFormLayout(terms)
        tform.addRow(self.tr("Category:"), QLabel(labels.scenario_text(d.row.scenario, self._lang)))
        tform.addRow(self.tr("Order total (yuan):"), QLabel(yuan(d.row.order_total_fen)))
        tform.addRow(self.tr("Down payment (yuan):"), QLabel(yuan(d.terms.down_payment_fen)))
        tform.addRow(self.tr("Loan amount (yuan):"), QLabel(yuan(d.row.principal_fen)))
        tform.addRow(
            self.tr("Term:"), QLabel(self.tr("%1 months").replace("%1", str(d.terms.term_months)))
        )
        tform.addRow(
            self.tr("Repayment method:"), QLabel(labels.method_text(d.terms.method, self._lang))
        )
        tform.addRow(self.tr("First month payment:"), QLabel(yuan(d.row.first_payment_fen)))
        tform.addRow(self.tr("Total repayment (yuan):"), QLabel(yuan(d.total_repayment_fen)))
        tform.addRow(self.tr("Nominal annual rate:"), QLabel(percent(d.annual_rate)))
        tform.addRow(self.tr("APR (annual percentage rate):"), self.apr_label)

        self.lines_model.set_lines(
            [Line(ln.sku, ln.name, format_fen(ln.unit_price_fen), ln.quantity) for ln in d.lines]
        )
        lines_view = table(self.lines_model, "lines_table")
        lines_view.setMinimumHeight(110)

        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(customer)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.decision_box)
        right.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 4)
        top.addWidget(terms, 3, Qt.AlignmentFlag.AlignTop)
        top.addLayout(right, 3)
        delivery = (
            f"{d.delivery_city} {d.delivery_address}"
            if d.delivery_address
            else f"{d.delivery_city} {self.removed_text()}"
            if self.purged
            else d.delivery_city
        )
        items = QLabel(self.tr("Items (delivery: %1)").replace("%1", delivery))
        items.setObjectName("items_caption")
        items.setWordWrap(True)
        content = QWidget()
        content.setObjectName("summary_content")
        layout = QVBoxLayout(content)
        layout.addLayout(top)
        layout.addWidget(items)
        layout.addWidget(lines_view, 1)
        return scrolling(content)

    # --- personal data: masked, purged, revealed -----------------------------------------
    def removed_text(self) -> str:
        return self.tr("removed (retention)")

    def _personal(self, name: str, value: str, prefix: str = "") -> QLabel:
        """A customer field; a purged one says so rather than showing a blank."""
        shown = value or (self.removed_text() if self.purged else "")
        label = QLabel(f"{prefix} {shown}".strip())
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if self.purged and not value:
            label.setStyleSheet("color: #777; font-style: italic;")
        return label

    def _with_reveal(self, label: QLabel, field: str) -> QWidget:
        """The masked value, and for roles allowed to see it a "Show" button."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        if can(self._actor, Permission.VIEW_FULL_ID) and not self.purged:
            button = QPushButton(self.tr("Show"))
            button.setObjectName(f"reveal_{field}")
            button.setToolTip(
                self.tr("Show the full value; this is recorded in the audit log under your name")
            )
            no_auto_default(button)
            button.clicked.connect(lambda: self.reveal(field))
            row.addWidget(button)
        row.addStretch(1)
        return box

    def reveal(self, field: str, reason: str | None = None) -> bool:
        """Ask why (unless ``reason`` is given: one of core.operators.reveal_reasons), then ask
        core for the full value (audited there with the reason) and show it in place
        when it comes; True once shown (at once with the tests' runner)."""
        app_id = self._app_id
        if reason is None:
            what = self.tr("ID number") if field == "id_number" else self.tr("mobile phone")
            reason = ask_reason(what, self._lang, self)
            if reason is None:
                return False
        why = reason

        def read(core: Any) -> tuple[str, list[StatusEvent]]:
            value = core.applications.reveal(app_id, field, why)
            return value, core.applications.history(app_id)

        op = self._lane.call(read, "reveal", self)
        op.on_success(lambda got: self._revealed(field, *got))
        op.on_failure(lambda exc: self.error.show_message(refusal_text(exc, self._lang)))
        return field in self.revealed

    def _revealed(self, field: str, value: str, history: list[StatusEvent]) -> None:
        self.revealed[field] = value
        label = self.id_label if field == "id_number" else self.phone_label
        label.setText(value)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        button = self.findChild(QPushButton, f"reveal_{field}")
        if button is not None:
            button.hide()
        self.history_model.set_events(history)

    def _prescreen_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        note = QLabel(
            self.tr(
                "The decision receipt saved with the application: the outcome "
                "and reasons the store saw, the rule pack used and a digest of "
                "the inputs, so the credit centre can replay the decision."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(self.prescreen_view)
        layout.addWidget(note)
        layout.addStretch(1)
        if self.receipt is not None:
            self.prescreen_view.show_outcome(self.receipt)
            self.outcome_badge.set_outcome(self.receipt.outcome)
        elif self._receipt_problem:
            self.prescreen_view.show_message(self._receipt_problem)
            self.outcome_badge.set_outcome(None)
        else:
            self.prescreen_view.show_message(
                self.tr(
                    "No pre-screen receipt: this application was saved before pre-screening "
                    "existed."
                )
            )
            self.outcome_badge.set_outcome(None, self.tr("No receipt"))
        return page

    def _fill(self) -> None:
        snap = self._snapshot
        d = self.detail = snap.detail
        self.status_label.setText(labels.status_text(d.row.status, self._lang))
        self.apr_label.setText(percent(d.apr))
        self.schedule_model.set_schedule(snap.schedule)
        self.history_model.set_events(snap.history)
        status = Status(d.row.status)
        may_cancel = snap.may_cancel
        self.cancel_button.setEnabled(
            may_cancel and Status.CANCELLED in TRANSITIONS.get(status, ())
        )
        if not may_cancel:
            self.cancel_button.setToolTip(self.tr("Your role may not cancel this application"))
        self.decision = snap.decision
        self.decision_box.show_decision(self.decision, d.row.status, snap.revision)
        self.decision_box.setVisible(snap.decisions_known)

    def reload(self) -> None:
        """Re-read the application (a sync brought its decision, say)."""
        opening(self._lane, self._app_id, self).on_success(self._show_snapshot).on_failure(
            lambda exc: self.error.show_message(error_text(exc, self._lang))
        )

    def _show_snapshot(self, snapshot: ApplicationSnapshot) -> None:
        self._snapshot = snapshot
        self._fill()

    def status(self) -> str:
        return self.detail.row.status

    def cancel_application(self) -> bool:
        """Ask, then cancel; the dialog and the list show the new status."""
        if not confirm(
            self,
            self.tr("Cancel application"),
            self.tr("Cancel this application? This cannot be undone."),
            self.tr("Cancel application"),
            self.tr("Keep it"),
        ):
            return False
        app_id = self._app_id

        def cancel(core: Any) -> ApplicationSnapshot:
            core.applications.cancel(app_id)
            return read_snapshot(core.applications, core.sync, app_id)

        op = self._lane.call(cancel, "cancel_application", self)
        op.on_success(self._cancelled)
        op.on_failure(lambda exc: self.error.show_message(refusal_text(exc, self._lang)))
        return op.succeeded

    def open_printout(self) -> PrintoutDialog | None:
        """Read what the papers say (on the lane), then show their print preview
        (returned at once with the tests' runner)."""
        app_id = self._app_id
        op = self._lane.call(
            lambda core: read_print_facts(core.applications, app_id), "read_printout", self
        )
        op.on_success(self._show_printout)
        op.on_failure(lambda exc: self.error.show_message(error_text(exc, self._lang)))
        return self.printout

    def _show_printout(self, facts: PrintFacts) -> None:
        self.printout = PrintoutDialog(self._lane, facts, self._lang, self)
        self.printout.sig_saved.connect(lambda _sha: self.reload())
        self.printout.open()

    def _cancelled(self, snapshot: ApplicationSnapshot) -> None:
        log.info("application %s cancelled", self._app_id)
        self._show_snapshot(snapshot)
        self.sig_changed.emit(self._app_id)


def opening(lane: CoreLane, app_id: str, parent: QObject | None) -> Operation[ApplicationSnapshot]:
    """Read what the detail view shows of ``app_id`` on ``lane``."""
    return lane.call(
        lambda core: read_snapshot(core.applications, core.sync, app_id), "open_detail", parent
    )
