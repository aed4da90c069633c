"""The new-application form: four steps, inline validation, a draft kept in the
database while the clerk types, and one Save that is one transaction."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.validation.application import FieldError
from ui.new_application.common import (
    STEP_ORDER,
    STEP_REVIEW,
    STEP_TERMS,
    EnterNavigator,
    line_field,
    normalize_field,
    step_of,
)
from ui.new_application.consent_box import ConsentBox
from ui.new_application.customer_page import CustomerPage
from ui.new_application.dialog_draft import DraftSide
from ui.new_application.draft import DraftKeeper
from ui.new_application.field_checks import FieldChecks
from ui.new_application.form_core import FormCore
from ui.new_application.order_page import OrderPage
from ui.new_application.review_page import ReviewPage
from ui.new_application.terms_page import TermsPage
from ui.tasks import ProgressDelay
from ui.widgets import ErrorLabel, confirm, error_text, no_auto_default

log = logging.getLogger("loandesk.ui")


class NewApplicationDialog(DraftSide, QDialog):
    sig_saved = Signal(str)
    """The application was committed; carries its id."""

    def __init__(
        self,
        form: FormCore,
        lang: str,
        parent: QWidget | None = None,
        *,
        resume_draft: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("new_application_dialog")
        self.setWindowTitle(self.tr("New application"))
        self.setMinimumSize(860, 620)
        self._form = form
        self._lang = lang
        self._saving = False
        self.saved_id: str | None = None
        self._saved = False
        self._restoring = False

        self.customer = CustomerPage()
        self.order = OrderPage(form, lang)
        self.terms = TermsPage(form, lang)
        self.review = ReviewPage(form, lang)
        self.pages: tuple[CustomerPage | OrderPage | TermsPage | ReviewPage, ...] = (
            self.customer,
            self.order,
            self.terms,
            self.review,
        )
        self.consent = ConsentBox(form, form.texts, lang, recorded=form.consent)
        self.consent.sig_changed.connect(self._consent_changed)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)

        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.setObjectName("back_button")
        self.next_button = QPushButton(self.tr("&Next"))
        self.next_button.setObjectName("next_button")
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setObjectName("save_button")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancel_button")
        self.discard_button = QPushButton(self.tr("Discard th&e draft…"))
        self.discard_button.setObjectName("discard_draft")
        self.discard_button.setToolTip(
            self.tr("Delete what was typed for this customer (the saved draft) and close")
        )
        self.banner = ErrorLabel("save_error")
        self.banner.setStyleSheet(
            "color: #b71c1c; background: #ffebee; border: 1px solid #e57373; padding: 6px;"
        )
        self.draft_status = QLabel()
        self.draft_status.setObjectName("draft_status")
        self.draft_status.setStyleSheet("color: #666;")
        self._build_layout()
        no_auto_default(*self.findChildren(QPushButton))

        self.checks = FieldChecks(
            {
                widget: target
                for page in (self.customer, self.order, self.terms)
                for widget, target in page.field_targets().items()
            },
            self._validate,
            lang,
            self,
        )
        self._navigators = [
            EnterNavigator(
                page.enter_chain(),
                self.go_next,
                self,
                own_enter=page.own_enter(),
                check=self.checks.check,
            )
            for page in self.pages[:STEP_REVIEW]
        ]
        self.draft = DraftKeeper(form, self.form_state, self.has_content, lang, self)
        self.draft.sig_status.connect(self.draft_status.setText)
        self._save_delay = ProgressDelay(parent=self)
        self._save_delay.sig_visible_changed.connect(self._show_waiting)
        self._connect()
        self._push_order()
        self.show_step(0)
        if resume_draft:
            self._resume()

    def _build_layout(self) -> None:
        steps = QHBoxLayout()
        self.step_labels: list[QLabel] = []
        for number, page in enumerate(self.pages, start=1):
            label = QLabel(f"{number}. {page.title()}")
            label.setObjectName(f"step_label_{number - 1}")
            self.step_labels.append(label)
            steps.addWidget(label)
            if number < len(self.pages):
                steps.addWidget(QLabel("›"))
        steps.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.draft_status, 1)
        for button in (self.back_button, self.next_button, self.save_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(steps)
        layout.addWidget(self.consent)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.discard_button.clicked.connect(self.discard)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        for page in (self.customer, self.order, self.terms):
            page.sig_changed.connect(self._on_changed)
        self.customer.sig_home_changed.connect(self._sync_delivery)
        self.order.sig_same_as_home.connect(self._sync_delivery)
        self.order.sig_changed.connect(self._push_order)
        self.review.sig_outcome.connect(self._on_outcome)

    # --- navigation ----------------------------------------------------------------------
    def current_step(self) -> int:
        return self.stack.currentIndex()

    def show_step(self, step: int) -> None:
        step = max(0, min(step, STEP_REVIEW))
        self.stack.setCurrentIndex(step)
        for i, label in enumerate(self.step_labels):
            label.setStyleSheet("font-weight: bold;" if i == step else "color: #888;")
        self.back_button.setEnabled(step > 0)
        self.next_button.setVisible(step < STEP_REVIEW)
        self.save_button.setVisible(step == STEP_REVIEW)
        self.save_button.setDefault(step == STEP_REVIEW)
        if step == STEP_TERMS:
            self._push_order()
        if step == STEP_REVIEW:
            self._push_order()
            self.review.show_summary(self.raw(), self.terms.schedule)
            self.review.run_prescreen(self.raw())
            self.review.evidence.refresh(self._form.rules.validate(self.raw()).value)
        first = self.pages[step].first_field()
        (first or self.save_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _consent_changed(self, _recorded: bool) -> None:
        """The pre-screen on the review step follows the consent (none without it);
        a signature on the pad is one of the attachments."""
        self.review.evidence.refresh(None)
        if self.current_step() == STEP_REVIEW:
            self.review.run_prescreen(self.raw())

    def _on_outcome(self, outcome: str) -> None:
        """Saving works for any outcome; a declined one says so on the button."""
        if outcome == "DECLINE":
            self.save_button.setText(self.tr("&Save (declined)"))
            self.save_button.setToolTip(
                self.tr("The pre-screen declines this application; saving keeps the record.")
            )
        else:
            self.save_button.setText(self.tr("&Save"))
            self.save_button.setToolTip("")

    def go_next(self) -> bool:
        """Validate this step; move on only when it has no errors."""
        step = self.current_step()
        if step >= STEP_REVIEW:
            return False
        errors = [e for e in self._validate() if step_of(e.field) == step]
        self._show_errors(errors, [step])
        if errors:
            return False
        self.show_step(step + 1)
        return True

    def go_back(self) -> None:
        if self.current_step() > 0:
            self.show_step(self.current_step() - 1)

    # --- validation and save ---------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        """The application as typed, in the shape ``ApplicationService.validate`` reads."""
        order = self.order.state()
        return {
            "scenario": order["scenario"],
            "customer": self.customer.raw(),
            "order": {
                "lines": order["lines"],
                "delivery_city": order["delivery_city"],
                "delivery_address": order["delivery_address"],
            },
            "terms": self.terms.raw(),
        }

    def _validate(self) -> list[FieldError]:
        """The form's errors: the fields (core.validation.application) and the basket (core.basket:
        one catalog category per application, the scenario following it)."""
        return list(self._form.rules.validate(self.raw()).errors) + self.order.basket_errors()

    def _show_errors(self, errors: list[FieldError], steps: list[int]) -> None:
        """Put each message under its field; focus the first invalid field shown."""
        for step in steps:
            self.pages[step].clear_errors()
        first: tuple[int, int, QWidget | None, str] | None = None
        for error in errors:
            step = step_of(error.field)
            if step not in steps:
                continue
            page, text = self.pages[step], error.text(self._lang)
            field = normalize_field(error.field)
            widget: QWidget | None
            if step == STEP_ORDER and (line_field(field) or field.startswith(("order", "lines"))):
                self.order.show_line_error(field, text)
                widget, order_key = self.order.table, 10 + (line_field(field) or (0, ""))[0]
            else:
                widget, label, order_key = page.error_target(field)
                label.add_message(text)
            if first is None or (step, order_key) < first[:2]:
                first = (step, order_key, widget, field)
        if first is None or first[0] != self.current_step():
            return
        if first[2] is self.order.table:
            self.order.focus_line(first[3])
        elif first[2] is not None:
            first[2].setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> str | None:
        """Validate everything and store the application; the form stays on any failure.

        The write runs on the database lane: Save is disabled meanwhile, and if it lasts
        (another program holds the file) the form says it is waiting. Returns the id when
        the save has already finished (the tests' runner), else None: ``sig_saved``
        tells when it is stored."""
        if self._saving:
            return None
        self.banner.clear_message()
        result = self._form.rules.validate(self.raw())
        errors = list(result.errors) + self.order.basket_errors()
        if errors or result.value is None:
            steps = sorted({step_of(e.field) for e in errors}) or [STEP_REVIEW]
            self.show_step(steps[0])
            self._show_errors(errors, list(range(len(self.pages))))
            return None
        if self.review.evidence.missing():  # core refuses it too (EVIDENCE_MISSING)
            self.show_step(STEP_REVIEW)
            self.banner.show_message(self.review.evidence.missing_text())
            return None
        self._set_saving(True)
        self.draft.pause()
        op = self._form.save(result.value, self)
        op.with_progress(self._save_delay)
        op.on_success(self._stored).on_failure(self._not_stored)
        op.on_finished(lambda: self._set_saving(False))
        return self.saved_id

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.cancel_button.setEnabled(not saving)

    def _show_waiting(self, visible: bool) -> None:
        if visible:
            self.banner.show_message(
                self.tr("Saving… the database is busy (another program is using it); waiting.")
            )
        elif self._saving:
            self.banner.clear_message()

    def _stored(self, app_id: str) -> None:
        self._saved = True
        self.saved_id = app_id
        self.draft.stop()
        log.info("application %s saved", app_id)
        self.sig_saved.emit(app_id)
        self.accept()

    def _not_stored(self, exc: Exception) -> None:
        log.warning("saving an application failed: %s", getattr(exc, "code", type(exc)))
        self.draft.resume()
        self.banner.show_message(error_text(exc, self._lang))

    # --- keeping the delivery and the terms in step with the order ------------------------
    def _sync_delivery(self) -> None:
        self.order.copy_home(
            self.customer.home_city.text().strip(), self.customer.home_address.text().strip()
        )

    def _push_order(self) -> None:
        self.terms.set_order(self.order.lines.total_fen(), self.order.scenario_value())

    def _on_changed(self) -> None:
        self.banner.clear_message()
        if not self._restoring:
            self.draft.changed()

    # --- closing -----------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc or Cancel: ask first when something was typed (it stays as a draft)."""
        if (
            not self._saved
            and self.has_content()
            and not confirm(
                self,
                self.tr("Close the form"),
                self.tr(
                    "Close the application form? What you typed is kept as a draft; "
                    "choose New application to continue it."
                ),
                self.tr("Close"),
                self.tr("Keep editing"),
            )
        ):
            return
        super().reject()

    def _close_now(self) -> None:
        """Close without asking (nothing is left to keep)."""
        self._saved = True
        super().reject()

    def done(self, result: int) -> None:
        self.flush_draft()
        super().done(result)

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_draft()
        super().hideEvent(event)
