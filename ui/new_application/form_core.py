"""What the new-application form needs from core: the pure checks it runs as the clerk
types (``rules``: validation and quotes against the terms on offer, read when the form
opened) and everything that reads or writes the data, as operations on the window's
database lane (ui.db_lane), so the form never waits on the disk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject

from core.applications import ApplicationService
from core.consent.model import ConsentRecord
from core.consent.texts import ConsentVersion
from core.form_rules import FormRules
from core.models import ApplicationInput, CatalogItem
from core.prescreen import PrescreenOutcome
from ui.db_lane import CoreLane
from ui.tasks import Operation


def _apps(core: Any) -> ApplicationService:
    service: ApplicationService = core.applications
    return service


class FormCore:
    def __init__(
        self,
        lane: CoreLane,
        rules: FormRules,
        texts: ConsentVersion | None = None,
        consent: ConsentRecord | None = None,
    ) -> None:
        """``texts``: the consent texts the customer signs (default the bundled current
        version); ``consent``: the one already recorded for this operator's open form."""
        self.lane = lane
        self.rules = rules
        if texts is None:
            from core.consent.texts import bundled_texts

            texts = bundled_texts().current_version
        self.texts = texts
        self.consent = consent

    @classmethod
    def opening(cls, lane: CoreLane, parent: QObject | None) -> Operation[FormStart]:
        """Read what a new form starts from: the rules, the consent texts, the consent
        already recorded for the open form, and the clerk's unsaved draft."""

        def read(core: Any) -> FormStart:
            apps = _apps(core)
            form = FormCore(lane, apps.form_rules(), apps.consent_texts(), apps.pending_consent())
            return FormStart(form, apps.load_form_draft())

        return lane.call(read, "form_open", parent)

    def record_consent(self, parent: QObject) -> Operation[ConsentRecord]:
        """The customer signed the printed consent form (audited in core)."""
        return self.lane.call(
            lambda core: _apps(core).record_consent("paper"), "record_consent", parent
        )

    def withdraw_consent(self, parent: QObject | None) -> Operation[None]:
        """The customer withdraws consent for the form now open (its draft and photos
        are deleted in core)."""
        return self.lane.call(lambda core: _apps(core).withdraw_consent(), "withdraw", parent)

    def save(self, app: ApplicationInput, parent: QObject) -> Operation[str]:
        return self.lane.call(lambda core: _apps(core).save(app), "save_application", parent)

    def prescreen(self, app: ApplicationInput, parent: QObject) -> Operation[PrescreenOutcome]:
        return self.lane.call(lambda core: _apps(core).prescreen(app), "prescreen", parent)

    def lookup_sku(self, sku: str, parent: QObject) -> Operation[CatalogItem | None]:
        return self.lane.call(lambda core: _apps(core).lookup_sku(sku), "lookup_sku", parent)

    def load_draft(self, parent: QObject) -> Operation[dict[str, Any] | None]:
        return self.lane.call(lambda core: _apps(core).load_form_draft(), "load_draft", parent)

    def save_draft(self, state: dict[str, Any], parent: QObject | None) -> Operation[None]:
        return self.lane.call(lambda core: _apps(core).save_form_draft(state), "save_draft", parent)

    def discard_draft(self, parent: QObject | None) -> Operation[None]:
        return self.lane.call(
            lambda core: _apps(core).discard_form_draft(), "discard_draft", parent
        )


@dataclass(frozen=True)
class FormStart:
    form: FormCore
    draft: dict[str, Any] | None
