"""Everything the detail view shows of one application, read in one go (one trip to the
database lane): the application, its pre-screen receipt, its history, whether this
operator may cancel it, its schedule and head office's decision.

A part that cannot be read (the receipt or the decision of a damaged row, say) is left
out with the reason, so the rest still shows; the application itself must be readable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.applications import ApplicationService
from core.models import ApplicationDetail, StatusEvent
from core.money import Schedule
from core.prescreen import PrescreenOutcome
from core.store.errors import StorageEnvironmentError
from core.store.sync_repo import DecisionRecord
from core.sync.service import SyncService

log = logging.getLogger("loandesk.applications")


@dataclass(frozen=True)
class ApplicationSnapshot:
    detail: ApplicationDetail
    history: list[StatusEvent]
    may_cancel: bool
    schedule: Schedule | None
    receipt: PrescreenOutcome | None
    receipt_problem: StorageEnvironmentError | None
    decision: DecisionRecord | None
    decisions_known: bool  # a sync service exists: head office's part is shown


def read_snapshot(
    service: ApplicationService, sync: SyncService | None, app_id: str
) -> ApplicationSnapshot:
    """Raises what :meth:`ApplicationService.detail` raises (not found, another store's,
    a storage problem); the other parts degrade as described above."""
    detail = service.detail(app_id)
    try:
        may_cancel = service.may_cancel(app_id)
    except StorageEnvironmentError:
        may_cancel = False
    try:
        schedule: Schedule | None = service.stored_schedule(detail)
    except ValueError as exc:
        log.warning("schedule of %s cannot be rebuilt: %s", app_id, exc)
        schedule = None
    receipt, problem = None, None
    try:
        receipt = service.receipt(app_id)
    except StorageEnvironmentError as exc:
        log.warning("receipt of %s cannot be read: %s", app_id, exc.code)
        problem = exc
    decision = None
    if sync is not None:
        try:
            decision = sync.decision(app_id)
        except StorageEnvironmentError as exc:
            log.warning("decision of %s cannot be read: %s", app_id, exc.code)
    return ApplicationSnapshot(
        detail=detail,
        history=service.history(app_id),
        may_cancel=may_cancel,
        schedule=schedule,
        receipt=receipt,
        receipt_problem=problem,
        decision=decision,
        decisions_known=sync is not None,
    )
