"""The new-application form's draft side: what is kept while the clerk types (and
whose it is, from when), filling the form from it, and discarding it on purpose."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from core.clock import iso_now
from ui.widgets import ErrorLabel, confirm, error_text

if TYPE_CHECKING:
    from ui.new_application.consent_box import ConsentBox
    from ui.new_application.customer_page import CustomerPage
    from ui.new_application.draft import DraftKeeper
    from ui.new_application.form_core import FormCore
    from ui.new_application.order_page import OrderPage
    from ui.new_application.terms_page import TermsPage

log = logging.getLogger("loandesk.ui")
DRAFT_VERSION = 1


class DraftSide:
    """Mixed into NewApplicationDialog (which provides the pages and the methods below)."""

    customer: CustomerPage
    order: OrderPage
    terms: TermsPage
    consent: ConsentBox
    draft: DraftKeeper
    banner: ErrorLabel
    draft_status: QLabel
    _form: FormCore
    _lang: str
    _restoring: bool

    if TYPE_CHECKING:

        def raw(self) -> dict[str, Any]: ...
        def current_step(self) -> int: ...
        def show_step(self, step: int) -> None: ...
        def _push_order(self) -> None: ...
        def _close_now(self) -> None: ...

    # --- the draft -------------------------------------------------------------------------
    def has_content(self) -> bool:
        return self.customer.has_content() or self.order.has_content() or self.terms.has_content()

    def form_state(self) -> dict[str, Any]:
        """The draft: the form, and whose it is and when it was written (the prompt
        that offers to continue it says both)."""
        return {
            "version": DRAFT_VERSION,
            "step": self.current_step(),
            "form": self.raw(),
            "same_as_home": self.order.same_as_home.isChecked(),
            "saved_by": self._form.operator_name,
            "saved_at": iso_now(self._form.rules.clock),
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Fill the form from a saved draft (``form_state`` of an earlier dialog)."""
        form = state.get("form")
        form = form if isinstance(form, dict) else {}
        order = form.get("order")
        order = order if isinstance(order, dict) else {}
        self._restoring = True
        try:
            self.customer.restore(form.get("customer") or {})
            self.order.restore(
                {
                    **order,
                    "scenario": form.get("scenario"),
                    "same_as_home": state.get("same_as_home", False),
                }
            )
            self.terms.restore(form.get("terms") or {})
            self._push_order()
        finally:
            self._restoring = False
        step = state.get("step", 0)
        self.show_step(step if isinstance(step, int) else 0)

    def _resume(self) -> None:
        self.draft.load().on_success(self._resumed)

    def _resumed(self, state: dict[str, Any] | None) -> None:
        if state:
            self.restore(state)
            self.draft.restored()
            self.draft_status.setText(
                QCoreApplication.translate(
                    "NewApplicationDialog", "Continuing the unsaved application."
                )
            )

    def flush_draft(self) -> None:
        """Write the draft now if something changed since the last write."""
        self.draft.flush()

    def discard(self) -> bool:
        """The clerk throws this customer's form away: after a confirmation the draft
        (and a recorded consent with its photos, core) is deleted and the form closes."""
        if not confirm(
            cast(QWidget, self),
            QCoreApplication.translate("NewApplicationDialog", "Discard the application"),
            QCoreApplication.translate(
                "NewApplicationDialog",
                "Delete everything typed for this customer, and the saved draft? "
                "This cannot be undone.",
            ),
            QCoreApplication.translate("NewApplicationDialog", "Discard"),
            QCoreApplication.translate("NewApplicationDialog", "Keep editing"),
        ):
            return False
        self.draft.stop()
        recorded = self.consent.recorded is not None
        op = self._form.withdraw_consent(None) if recorded else self._form.discard_draft(None)
        op.on_success(lambda _none: self._discarded())
        op.on_failure(lambda exc: self._not_discarded(exc))
        return True

    def _discarded(self) -> None:
        log.info("the open form was discarded by the clerk")
        self._form.consent = None
        self._close_now()

    def _not_discarded(self, exc: Exception) -> None:
        self.draft.resume()
        self.banner.show_message(error_text(exc, self._lang))
