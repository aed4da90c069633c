"""The transactional outbox: what saving an application writes for the sync engine.

``enqueue`` runs inside the caller's transaction (the save), so an application is
never saved without its outbox row, nor queued without being saved. The payload is
sealed (canonical JSON + sha256) once: every resend carries the same bytes, and the
server's dedupe by application id and sha makes at-least-once delivery exactly-once.
"""

from __future__ import annotations

import dataclasses
import json

import sqlite_utils

from core.applications.status import transition
from core.ids import uuid7
from core.models import ApplicationInput, Status
from core.money import Schedule
from core.operators.actor import ServiceError
from core.prescreen.outcome import PrescreenOutcome
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.sync import messages as _messages  # noqa: F401  (the audit actions' names)
from core.sync.payload import application_payload, prescreen_summary, sealed


class Outbox:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._sync = SyncRepo(db)
        self._repo = Repositories(db)

    def origin(self, store_id: str, operator_id: str) -> tuple[str, str]:
        """The store code and operator login a payload names. Read per save, not
        cached: an enrollment may change the store code while the window is open."""
        return self._sync.store_code(store_id), self._sync.operator_login(operator_id)

    def enqueue(
        self,
        app: ApplicationInput,
        schedule: Schedule,
        at: str,
        app_id: str,
        outcome: PrescreenOutcome,
        origin: tuple[str, str],
        operator_id: str | None,
        reference: str | None = None,
        evidence: list[dict[str, str]] | None = None,
    ) -> str:
        """Write the outbox row and move the application prescreened -> queued
        (:func:`core.applications.status.transition`: the status and its audit row); the caller has
        already inserted the application as ``prescreened``. Returns the op id.
        ``evidence``: kind and sha256 of each attachment saved with it. The payload's
        ``terms.first_due_date`` is the schedule's (the store's date, or the default).
        Refused (CONSENT_MISSING) for an application without the customer's consent:
        no consent, no sync of the customer's data."""
        consent = app.consent
        if consent is None:
            raise ServiceError("CONSENT_MISSING")
        if app.terms.first_due_date is None and schedule.first_due_date is not None:
            # the date the schedule was dated from (the default one month on): head
            # office sees the customer's due dates, and a backfill rebuilds the same bytes
            terms = dataclasses.replace(app.terms, first_due_date=schedule.first_due_date)
            app = dataclasses.replace(app, terms=terms)
        payload = application_payload(
            application_id=app_id,
            store_code=origin[0],
            operator=origin[1],
            created_at=at,
            app=app,
            annual_rate=str(schedule.annual_rate),
            first_payment_fen=schedule.first_payment_fen,
            total_repayment_fen=schedule.total_repayment_fen,
            apr=str(schedule.apr),
            prescreen=prescreen_summary(outcome),
            consent=consent.to_json(),
            reference=reference,
            evidence=evidence,
        )
        text, sha = sealed(payload)
        op_id = uuid7()
        self._sync.insert_outbox(op_id, app_id, "create", 0, text, sha, at)
        transition(
            self._repo,
            app_id,
            Status.QUEUED,
            at=at,
            action="queued",
            operator_id=operator_id,
            current=Status.PRESCREENED,  # as the caller inserted it
        )
        return op_id


def reseal_store_code(db: sqlite_utils.Database, store_code: str, page: int = 500) -> int:
    """Pending payloads that name another store get this one (an enrollment decides
    which store this PC is). Each re-sealed row gets a new op id, so no server ever
    sees one op id with two contents. Runs in the caller's transaction."""
    repo = SyncRepo(db)
    changed, after = 0, 0
    while True:
        rows = repo.pending_payloads(after, page)
        if not rows:
            return changed
        after = rows[-1][0]
        for _rowid, op_id, text in rows:
            payload = json.loads(text)
            if payload.get("store_code") == store_code:
                continue
            payload["store_code"] = store_code
            new_text, sha = sealed(payload)
            repo.reseal(op_id, uuid7(), new_text, sha)
            changed += 1
