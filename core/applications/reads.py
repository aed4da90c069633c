"""What the screens read about applications: the list, one application (masked), its
receipt, schedule and history, and the audited reveal of a full ID number or phone.

``ApplicationReads`` is the read half of ``core.applications.ApplicationService`` (which
inherits it); ``Actor`` and ``ServiceError`` (core.operators.actor) are re-exported for both halves.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from core.basket import find_sku
from core.catalog import CatalogService
from core.clock import Clock, iso_now
from core.models import (
    ApplicationDetail,
    ApplicationRow,
    CatalogItem,
    ListQuery,
    StatusEvent,
)
from core.money import Schedule, build_schedule
from core.operators import access
from core.operators.actor import Actor as Actor  # re-exported: both halves of the service use them
from core.operators.actor import ServiceError as ServiceError
from core.operators.reveal_reasons import reveal_reason
from core.prescreen.outcome import PrescreenOutcome, outcome_from_record
from core.security.permissions import Permission
from core.store.catalog_repo import CatalogRepo
from core.store.receipts_repo import ReceiptsRepo
from core.store.repositories import Repositories

log = logging.getLogger("loandesk.applications")


@contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[None]:
    """One transaction. Environment failures (disk full, locked...) arrive already as
    StorageEnvironmentError: the connection sorts them (core.store.connection)."""
    with db.atomic():
        yield


class ApplicationReads:
    """Reads for every role; ID number and phone are masked except through
    :meth:`reveal`, which needs VIEW_FULL_ID and leaves an audit row.

    Without VIEW_ALL_STORES an actor sees only their own store: the list and counts
    are filtered to it, and opening another store's application (its row, detail,
    receipt, history or a reveal) is refused with PermissionDenied, as cancelling is."""

    _db: sqlite_utils.Database
    _repo: Repositories
    _receipts: ReceiptsRepo
    _actor: Actor
    _clock: Clock

    @property
    def actor(self) -> Actor:
        """Who this service acts as (the screens use its role for courtesy gating)."""
        return self._actor

    # --- the list -------------------------------------------------------------------------
    def count_all(self) -> int:
        return self.count(ListQuery())

    def count(self, query: ListQuery) -> int:
        return self._repo.count_applications(query, self._scope())

    def page(self, query: ListQuery, offset: int, limit: int) -> list[ApplicationRow]:
        return self._repo.list_applications(query, offset, limit, self._scope())

    def salespeople(self) -> list[tuple[str, str]]:
        """(operator id, display name) of everyone who saved an application this actor
        may list, by name: the list's salesperson filter."""
        from core.store.dashboard_repo import DashboardRepo

        return DashboardRepo(self._db).salespeople(self._scope())

    def row(self, app_id: str) -> ApplicationRow | None:
        if not self._may_open(app_id):
            return None
        return self._repo.application_row(app_id)

    def _scope(self) -> str | None:
        return access.list_scope(self._actor.role, self._actor.store_id)

    def _may_open(self, app_id: str) -> bool:
        """False when there is no such application; PermissionDenied when it is another
        store's and the actor lacks VIEW_ALL_STORES."""
        store_id = self._repo.application_store_id(app_id)
        if store_id is None:
            return False
        access.require_store(self._actor.role, self._actor.store_id, store_id)
        return True

    # --- one application --------------------------------------------------------------------
    def detail(self, app_id: str) -> ApplicationDetail:
        """The application with ID number and phone masked, for every role; the full
        values only through :meth:`reveal`. Purged customers read back as ''."""
        return access.masked(self._full_detail(app_id))

    def may_cancel(self, app_id: str) -> bool:
        """Whether this actor may cancel it, status aside (the screens' courtesy; the
        service checks again when asked)."""
        store_id = self._repo.application_store_id(app_id)
        return store_id is not None and access.may_cancel(
            self._actor.role, self._actor.store_id, store_id
        )

    def reveal(self, app_id: str, field: str, reason: str | None = None) -> str:
        """The full ID number or phone of an application's customer. Needs VIEW_FULL_ID
        (and VIEW_ALL_STORES for another store's). Each reveal is one audit row naming
        the field and ``reason`` (one of core.operators.reveal_reasons.RevealReason: the screens
        always ask for one; tools and the CLI may leave it out), never the value,
        committed before the value is returned."""
        access.require_current(self._db, self._actor, Permission.VIEW_FULL_ID)
        which = access.reveal_field(field)
        if which is None:
            raise ServiceError("REVEAL_FIELD_UNKNOWN", field=field)
        why = reveal_reason(reason) if reason is not None else None
        if reason is not None and why is None:
            raise ServiceError("REVEAL_REASON_UNKNOWN", reason=reason[:40])
        detail = (
            {"field": which.value} if why is None else {"field": which.value, "reason": why.value}
        )
        value = access.full_value(self._full_detail(app_id), which)
        if not value:
            raise ServiceError("PERSONAL_DATA_REMOVED")
        with writing(self._db):
            self._repo.audit(
                iso_now(self._clock),
                self._actor.operator_id,
                "revealed",
                "application",
                app_id,
                detail=detail,
            )
        log.info("application %s: %s shown in full", app_id, which.value)
        return value

    def _full_detail(self, app_id: str) -> ApplicationDetail:
        found = self._repo.application_detail(app_id) if self._may_open(app_id) else None
        if found is None:
            raise ServiceError("APPLICATION_NOT_FOUND", id=app_id)
        return found

    def receipt(self, app_id: str) -> PrescreenOutcome | None:
        """The decision receipt saved with the application (None for ones saved before
        pre-screening existed)."""
        if not self._may_open(app_id):
            return None
        row = self._receipts.receipt(app_id)
        if row is None:
            return None
        return outcome_from_record(
            row["outcome"],
            json.loads(row["reasons"]),
            row["pack_id"],
            row["pack_version"],
            row["inputs"],
            row["inputs_sha256"],
        )

    def stored_schedule(self, detail: ApplicationDetail) -> Schedule:
        """The schedule as signed: rebuilt from the stored rate and fees, not today's."""
        return build_schedule(
            detail.terms.method,
            detail.row.principal_fen,
            detail.annual_rate,
            detail.terms.term_months,
            upfront_fee_fen=detail.upfront_fee_fen,
            period_fee_fen=detail.period_fee_fen,
            first_due_date=detail.terms.first_due_date,
            due_day=detail.due_day,
        )

    def history(self, app_id: str) -> list[StatusEvent]:
        if not self._may_open(app_id):
            return []
        return self._repo.history(app_id)

    def lookup_sku(self, sku: str) -> CatalogItem | None:
        """The catalog entry for a scanned or typed SKU: the exact SKU (an indexed read),
        else the one equal to it ignoring case and width (core.basket)."""
        exact = self._repo.catalog_item(sku.strip())
        return exact if exact is not None else find_sku(self._catalog_items(), sku)

    def suggest_skus(self, prefix: str, limit: int = 10) -> list[CatalogItem]:
        """What the order step offers as the clerk types (core.catalog.suggest_skus)."""
        return CatalogService(self._db).suggest_skus(prefix, limit)

    def _catalog_items(self) -> list[CatalogItem]:
        return CatalogRepo(self._db).items(None, None, None)
