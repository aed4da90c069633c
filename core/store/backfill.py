"""Migration 0009's step: applications saved before sync existed (``prescreened``, no
outbox row) are queued exactly as a save queues one today: the same payload bytes (the
stored application, its pre-screen receipt if it has one), an outbox row, and the move
to ``queued`` through :func:`core.applications.status.transition` (its audit row marked
``{"backfill": true}``).

Runs in the caller's transaction (the migration's). Reading the applications and sealing
their payloads needs the data keys: when there is something to queue, a connection
without them raises :class:`core.store.vault.VaultMissing` (as migration 0005 refuses).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from core.ids import uuid7
from core.models import ApplicationInput, Scenario, Status
from core.store.receipts_repo import ReceiptsRepo
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo

PAGE = 500


def queue_unqueued_applications(db: sqlite_utils.Database, at: str) -> int:
    """Queue every pre-screened application that has no outbox row; returns how many.
    ``at`` is the time of the status change and audit row."""
    sync = SyncRepo(db)
    done, skipped = 0, 0
    while True:
        ids = sync.unqueued_applications(PAGE + skipped)[skipped:]
        if not ids:
            return done
        for app_id in ids:
            if queue_one(db, app_id, at):
                done += 1
            else:
                skipped += 1


def queue_one(db: sqlite_utils.Database, app_id: str, at: str) -> bool:
    """Queue one application saved before sync existed; False if it is not there."""
    from core.applications.status import transition  # the one status change (status and audit row)
    from core.sync.payload import (  # the wire's shape
        application_payload,
        prescreen_from_receipt,
        sealed,
    )

    sync, repo, receipts = SyncRepo(db), Repositories(db), ReceiptsRepo(db)
    d = repo.application_detail(app_id)
    if d is None:
        return False
    receipt = receipts.receipt(app_id)
    prescreen = prescreen_from_receipt(receipt) if receipt is not None else None
    app = ApplicationInput(
        Scenario(d.row.scenario), d.customer, d.lines, d.terms, d.delivery_city, d.delivery_address
    )
    payload = application_payload(
        application_id=app_id,
        store_code=d.store_code,
        operator=sync.application_operator_login(app_id),
        created_at=d.row.created_at,
        app=app,
        annual_rate=str(d.annual_rate),
        first_payment_fen=d.row.first_payment_fen,
        total_repayment_fen=d.total_repayment_fen,
        apr=str(d.apr),
        prescreen=prescreen,
        consent=_consent(db, app_id),
        reference=d.row.reference or None,
        evidence=_evidence(db, app_id),
    )
    text, sha = sealed(payload)
    sync.insert_outbox(uuid7(), app_id, "create", 0, text, sha, d.row.created_at)
    transition(repo, app_id, Status.QUEUED, at=at, action="queued", detail={"backfill": True})
    return True


def _consent(db: sqlite_utils.Database, app_id: str) -> dict[str, Any] | None:
    """The consent kept with the application, as a save puts it in the payload (none
    before migration 0012 made the table)."""
    if "consents" not in db.table_names():
        return None
    from core.consent.model import consent_from_json
    from core.store.paperwork_repo import PaperworkRepo

    record = consent_from_json(PaperworkRepo(db).consent(app_id))
    return record.to_json() if record is not None else None


def _evidence(db: sqlite_utils.Database, app_id: str) -> list[dict[str, str]] | None:
    """The evidence list the receipt kept (as a save lists it in the payload); none
    before migration 0012 added it."""
    if "consents" not in db.table_names():
        return None
    from core.store.paperwork_repo import PaperworkRepo

    found = PaperworkRepo(db).receipt_paperwork(app_id)
    return list(found["evidence"]) if found is not None else None
