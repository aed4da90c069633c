"""Everything the detail view shows of one application, read in one go (one trip to the
database lane): the application, its pre-screen receipt, its history, whether this
operator may cancel it, its schedule and head office's decision, and whether head office
has changed its decision since its first answer (a revision through the decisions feed:
the audit log keeps each answer this PC received).

A part that cannot be read (the receipt or the decision of a damaged row, say) is left
out with the reason, so the rest still shows; the application itself must be readable.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from core.applications.printouts import PrintFacts
from core.applications.service import ApplicationService
from core.consent.texts import bundled_texts
from core.models import ApplicationDetail, StatusEvent
from core.money import Schedule
from core.prescreen.outcome import PrescreenOutcome
from core.store.errors import StorageEnvironmentError
from core.store.sync_repo import DecisionRecord
from core.sync.service import SyncService

log = logging.getLogger("loandesk.applications")


DECISION_ACTIONS = frozenset({"decided", "decision"})  # core.sync.pull's audit rows


@dataclass(frozen=True)
class DecisionAnswer:
    """One answer of head office as this PC received it (from the audit log)."""

    decision: str
    approved_amount_fen: int | None
    score: int | None
    reasons: tuple[str, ...]
    received_at: str


@dataclass(frozen=True)
class DecisionRevision:
    """Head office changed its answer: the one before the current, when the change
    arrived, and how many answers there were in all."""

    previous: DecisionAnswer
    revised_at: str
    answers: int


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
    revision: DecisionRevision | None = None  # head office changed its decision


def _answer(event: StatusEvent) -> DecisionAnswer | None:
    try:
        detail = json.loads(event.detail or "")
    except ValueError:
        return None
    if not isinstance(detail, dict) or not isinstance(detail.get("decision"), str):
        return None
    amount, score, reasons = (
        detail.get("approved_amount_fen"),
        detail.get("score"),
        detail.get("reasons"),
    )
    return DecisionAnswer(
        detail["decision"],
        amount if isinstance(amount, int) else None,
        score if isinstance(score, int) else None,
        tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
        event.at,
    )


def decision_revision(history: list[StatusEvent]) -> DecisionRevision | None:
    """None while head office has given one answer (re-deliveries of the same answer
    do not count); else the answer before the latest and when the latest arrived."""
    answers: list[DecisionAnswer] = []
    for event in history:
        found = _answer(event) if event.action in DECISION_ACTIONS else None
        if found is None:
            continue
        if answers and _same(answers[-1], found):
            continue
        answers.append(found)
    if len(answers) < 2:
        return None
    return DecisionRevision(answers[-2], answers[-1].received_at, len(answers))


def _same(a: DecisionAnswer, b: DecisionAnswer) -> bool:
    return (a.decision, a.approved_amount_fen, a.score, a.reasons) == (
        b.decision,
        b.approved_amount_fen,
        b.score,
        b.reasons,
    )


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
    receipt, problem = None, None
    schedule: Schedule | None = None
    try:
        # the receipt's schedule, rebuilt from the row's terms, must match what it signed
        paperwork = service.receipt_paperwork(app_id)
    except StorageEnvironmentError as exc:
        log.warning("receipt of %s cannot be read: %s", app_id, exc.code)
        problem = exc
    else:
        try:
            schedule = stored_due_dates(service.stored_schedule(detail), paperwork)
        except ValueError as exc:
            log.warning("schedule of %s cannot be rebuilt: %s", app_id, exc)
    try:
        receipt = service.receipt(app_id)
    except StorageEnvironmentError as exc:
        log.warning("receipt of %s cannot be read: %s", app_id, exc.code)
        problem = problem or exc
    decision = None
    if sync is not None:
        try:
            decision = sync.decision(app_id)
        except StorageEnvironmentError as exc:
            log.warning("decision of %s cannot be read: %s", app_id, exc.code)
    history = service.history(app_id)
    return ApplicationSnapshot(
        detail=detail,
        history=history,
        may_cancel=may_cancel,
        schedule=schedule,
        receipt=receipt,
        receipt_problem=problem,
        decision=decision,
        decisions_known=sync is not None,
        revision=decision_revision(history) if decision is not None else None,
    )


def stored_due_dates(schedule: Schedule, paperwork: dict[str, Any] | None) -> Schedule:
    """``schedule`` with the due dates the receipt stored when it was saved (the
    schedule rebuilt from the terms has none when the store set no first date)."""
    if schedule.due_dates or not paperwork:
        return schedule
    stored = {
        int(p["period"]): p.get("due_date")
        for p in paperwork.get("schedule") or []
        if isinstance(p, dict) and "period" in p
    }
    dates = [stored.get(r.period) for r in schedule.rows]
    if not all(isinstance(d, str) for d in dates):
        return schedule
    rows = tuple(
        replace(r, due_date=date.fromisoformat(str(d)))
        for r, d in zip(schedule.rows, dates, strict=True)
    )
    return replace(schedule, rows=rows)


def read_print_facts(service: ApplicationService, app_id: str) -> PrintFacts:
    """What the printouts of ``app_id`` need (the detail masked as for the screens)."""
    detail = service.detail(app_id)
    paperwork = service.receipt_paperwork(app_id)
    try:
        schedule: Schedule | None = stored_due_dates(service.stored_schedule(detail), paperwork)
    except ValueError as exc:
        log.warning("schedule of %s cannot be rebuilt: %s", app_id, exc)
        schedule = None
    consent = (paperwork or {}).get("consent")
    version = consent.get("version") if isinstance(consent, dict) else None
    texts = bundled_texts().get(version) if isinstance(version, str) else None
    return PrintFacts(detail, schedule, texts, version if isinstance(version, str) else None)
