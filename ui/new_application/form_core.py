"""What the new-application form needs from core: the pure checks it runs as the clerk
types (``rules``: validation and quotes against the terms on offer, read when the form
opened) and everything that reads or writes the data, as operations on the window's
database lane (ui.db_lane), so the form never waits on the disk."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from core.applications import ApplicationService
from core.form_rules import FormRules
from core.models import ApplicationInput, CatalogItem
from core.prescreen import PrescreenOutcome
from ui.db_lane import CoreLane
from ui.tasks import Operation


def _apps(core: Any) -> ApplicationService:
    service: ApplicationService = core.applications
    return service


class FormCore:
    def __init__(self, lane: CoreLane, rules: FormRules) -> None:
        self.lane = lane
        self.rules = rules

    @classmethod
    def opening(
        cls, lane: CoreLane, parent: QObject | None
    ) -> Operation[tuple[FormRules, dict[str, Any] | None]]:
        """Read what a new form starts from: the rules and the clerk's unsaved draft."""

        def read(core: Any) -> tuple[FormRules, dict[str, Any] | None]:
            return _apps(core).form_rules(), _apps(core).load_form_draft()

        return lane.call(read, "form_open", parent)

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
