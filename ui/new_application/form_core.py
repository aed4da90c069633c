"""What the new-application form needs from core: the pure checks it runs as the clerk
types (``rules``: validation and quotes against the terms on offer, read when the form
opened) and everything that reads or writes the data, as operations on the window's
database lane (ui.db_lane), so the form never waits on the disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from core import api
from core.applications.form_rules import FormRules
from core.applications.service import ApplicationService
from core.attachments import EvidenceItem
from core.consent.model import ConsentRecord
from core.consent.texts import ConsentVersion
from core.models import ApplicationInput, CatalogItem
from core.prescreen.outcome import PrescreenOutcome
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
        operator_name: str = "",
    ) -> None:
        """``texts``: the consent texts the customer signs (default the bundled current
        version); ``consent``: the one already recorded for this operator's open form;
        ``operator_name``: who is typing (kept in the draft to say whose it is)."""
        self.lane = lane
        self.operator_name = operator_name
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
            record = api.current_operator(core, apps.actor)
            form = FormCore(
                lane,
                apps.form_rules(),
                apps.consent_texts(),
                apps.pending_consent(),
                record.display_name if record is not None else "",
            )
            return FormStart(form, apps.load_form_draft())

        return lane.call(read, "form_open", parent)

    def record_consent(self, parent: QObject) -> Operation[ConsentRecord]:
        """The customer signed the printed consent form (audited in core)."""
        return self.lane.call(
            lambda core: _apps(core).record_consent("paper"), "record_consent", parent
        )

    def record_signature(self, png: bytes, parent: QObject) -> Operation[ConsentRecord]:
        """The customer signed on the pad: the image is attached to the open form, then
        the consent is recorded with method "signature" naming it (both audited)."""

        def run(core: Any) -> ConsentRecord:
            apps = _apps(core)
            stored = apps.attach("signature", png)
            return apps.record_consent("signature", stored.sha256)

        return self.lane.call(run, "record_signature", parent)

    def attach(self, kind: str, data: bytes, parent: QObject) -> Operation[EvidenceItem]:
        """A photo for the open form (downscaled, stripped and encrypted in core)."""

        def run(core: Any) -> EvidenceItem:
            return EvidenceItem(kind, _apps(core).attach(kind, data).sha256)

        return self.lane.call(run, "attach", parent)

    def attach_file(self, kind: str, path: Path, parent: QObject) -> Operation[EvidenceItem]:
        """A photo from a file (read on the lane's thread, not the screen's)."""

        def run(core: Any) -> EvidenceItem:
            return EvidenceItem(kind, _apps(core).attach(kind, path.read_bytes()).sha256)

        return self.lane.call(run, "attach_file", parent)

    def attached(self, parent: QObject | None) -> Operation[list[EvidenceItem]]:
        """What is attached to the open form so far."""
        return self.lane.call(lambda core: _apps(core).pending_attachments(), "attached", parent)

    def required_evidence(
        self, app: ApplicationInput, parent: QObject
    ) -> Operation[tuple[str, ...]]:
        """What the rule pack asks to be attached for ``app``."""
        return self.lane.call(
            lambda core: _apps(core).required_evidence(app), "required_evidence", parent
        )

    def suggest_skus(self, prefix: str, parent: QObject) -> Operation[list[CatalogItem]]:
        return self.lane.call(lambda core: _apps(core).suggest_skus(prefix), "suggest", parent)

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
