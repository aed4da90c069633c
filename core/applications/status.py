"""The one way an application's status changes: :func:`transition`.

Every status change in core (the clerk's cancel, a change by hand, queueing a saved
application, the push's ack, a decision from head office) goes through it, so each one
is checked against the status machine (``core.models.TRANSITIONS``) and leaves exactly
one audit row, written from one typed event (:class:`StatusChanged`) in one place.

``transition`` works inside the caller's transaction: it neither opens nor commits one
(it refuses to run outside one), so the status, ``updated_at`` and the audit row commit
or roll back together with whatever else the caller's action writes. It checks the
move, not the mover: a service acting for a person checks that person's permissions
first (``core.applications.service``); sync moves are the system's (no operator).

A refused move raises before anything is written.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from core.applications import labels
from core.models import TRANSITIONS, Status
from core.operators.actor import ServiceError
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo

log = logging.getLogger("loandesk.status")

# The audit log's action for a status change (the History view and the chain read them):
# "status"    a change by hand (head office's decision, in tools and tests)
# "cancelled" the clerk's cancel;  "queued" a saved application joins the outbox
# "submitted" head office has it (the push's ack, or a decision whose ack was lost)
# "decided"   head office's decision moved it
Action = Literal["status", "cancelled", "queued", "submitted", "decided"]


class TransitionRefused(ServiceError):
    """The status machine does not allow this move (code ``TRANSITION_NOT_ALLOWED``,
    parameter ``status``: the current status as the user reads it)."""

    def __init__(self, app_id: str, from_status: Status, to_status: Status) -> None:
        super().__init__("TRANSITION_NOT_ALLOWED", status=labels.status_text(from_status))
        self.app_id = app_id
        self.from_status = from_status
        self.to_status = to_status


@dataclass(frozen=True)
class StatusChanged:
    """One move of the status machine, as the audit log keeps it. ``detail`` holds
    codes and amounts only, never personal data or a caller's free text."""

    app_id: str
    from_status: Status
    to_status: Status
    at: str
    action: Action
    operator_id: str | None = None  # None: the system (sync, head office)
    detail: Mapping[str, Any] | None = None


def _append(repo: Repositories, event: StatusChanged) -> None:
    """The one place a :class:`StatusChanged` becomes its audit row."""
    repo.audit(
        at=event.at,
        operator_id=event.operator_id,
        action=event.action,
        target_type="application",
        target_id=event.app_id,
        from_status=event.from_status.value,
        to_status=event.to_status.value,
        detail=dict(event.detail) if event.detail else None,
    )


def transition(
    repo: Repositories,
    app_id: str,
    to: Status,
    *,
    at: str,
    action: Action,
    operator_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    current: Status | None = None,
) -> StatusChanged:
    """Move application ``app_id`` to ``to`` as of ``at``: check the move against the
    status machine, write the status and ``updated_at``, append one audit row; the
    event written is returned.

    Runs in the caller's transaction (RuntimeError outside one). Raises
    ``ServiceError("APPLICATION_NOT_FOUND")`` for an unknown id and
    :class:`TransitionRefused` for a move the machine does not allow, before writing
    anything. Cancelling also withdraws the application's uploads not sent yet (a
    customer who withdrew is not sent to head office); their count is added to the
    detail as ``uploads_withdrawn``.

    ``current``: the status the caller has just written in this transaction (a save
    inserts the application as prescreened and queues it): the row is not read again;
    the move is checked all the same."""
    if not repo.db.conn.in_transaction:
        raise RuntimeError("transition() runs inside the caller's transaction")
    if current is None:
        found = repo.application_status(app_id)
        if found is None:
            raise ServiceError("APPLICATION_NOT_FOUND", id=app_id)
        current = Status(found[0])
    before = current
    if to not in TRANSITIONS[before]:
        raise TransitionRefused(app_id, before, to)
    repo.set_status(app_id, to.value, at)
    record: dict[str, Any] | None = dict(detail) if detail else None
    if to is Status.CANCELLED:
        withdrawn = SyncRepo(repo.db).drop_unsent(app_id)
        if withdrawn:
            record = {**(record or {}), "uploads_withdrawn": withdrawn}
            log.info("application %s cancelled: %d unsent upload(s) withdrawn", app_id, withdrawn)
    event = StatusChanged(app_id, before, to, at, action, operator_id, record)
    _append(repo, event)
    return event


class Transition(Protocol):
    """The shape of :func:`transition` (what the sync run state carries)."""

    def __call__(
        self,
        repo: Repositories,
        app_id: str,
        to: Status,
        *,
        at: str,
        action: Action,
        operator_id: str | None = None,
        detail: Mapping[str, Any] | None = None,
        current: Status | None = None,
    ) -> StatusChanged: ...


__all__ = ["Action", "StatusChanged", "Transition", "TransitionRefused", "transition"]
