"""Retention: personal data of finished applications does not stay on a shop PC forever.

An application whose central decision is final (approved or declined), whose upload is
acknowledged, and whose decision arrived more than ``retention_days`` ago, or one that
was cancelled more than ``retention_days`` ago, keeps its non-personal record —
amounts, terms, schedule figures, statuses, the pre-screen receipt (which holds no
personal data), the audit trail — but loses the customer's ID number, name, phone and
addresses, here and in the upload payload kept as a receipt.
The connection runs with ``secure_delete`` so the old values are overwritten in the file.
Each run also withdraws any unsent upload of a cancelled application (cancelling does
that itself; older versions did not).

The personal fields are stored as tokens with keyed lookup hashes (core/store/pii.py):
purging blanks both, so a purged field reads back as ``''`` without any decryption and
no search or pre-screening count can find the customer again.
"""

from __future__ import annotations

import logging
from datetime import UTC, timedelta

import sqlite_utils

from core.clock import Clock, iso_now
from core.store.repositories import Repositories
from core.store.retention_repo import CANCELLED as CANCELLED
from core.store.retention_repo import FINAL as FINAL
from core.store.retention_repo import RetentionRepo
from core.store.sync_repo import SyncRepo

log = logging.getLogger("loandesk.retention")

BATCH = 500


def due_for_purge(db: sqlite_utils.Database, clock: Clock, retention_days: int) -> list[str]:
    """Ids of applications whose personal data is past retention and still present:
    final and synced ones by the decision's arrival, cancelled ones by the cancel (their
    ``updated_at``: nothing changes a cancelled application afterwards but the purge)."""
    repo = RetentionRepo(db)
    if not repo.has_decisions():
        return []
    cutoff = (clock.now() - timedelta(days=retention_days)).astimezone(UTC)
    return repo.due_for_purge(cutoff.isoformat(timespec="milliseconds"))


def purge_personal_data(
    db: sqlite_utils.Database, clock: Clock, retention_days: int, operator_id: str | None = None
) -> int:
    """Blank the personal fields of every application past retention; returns how many.

    One transaction per batch of applications, each with its audit row, so an
    interruption leaves every application either purged or untouched.
    """
    withdraw_cancelled_uploads(db, clock, operator_id)
    ids = due_for_purge(db, clock, retention_days)
    repo, retention = Repositories(db), RetentionRepo(db)
    for start in range(0, len(ids), BATCH):
        batch, at = ids[start : start + BATCH], iso_now(clock)
        with db.atomic():
            retention.blank_personal_data(batch, at)
            for app_id in batch:
                repo.audit(
                    at,
                    operator_id,
                    "personal_data_purged",
                    "application",
                    app_id,
                    detail={"retention_days": retention_days},
                )
    if ids:
        log.info("retention: personal data removed from %d applications", len(ids))
    return len(ids)


def withdraw_cancelled_uploads(
    db: sqlite_utils.Database, clock: Clock, operator_id: str | None = None
) -> int:
    """Delete the unsent uploads of cancelled applications (versions before cancelling
    did so itself left them queued); one ``upload_withdrawn`` audit row each. Returns
    how many applications had some."""
    retention = RetentionRepo(db)
    if not retention.has_outbox():
        return 0
    rows = retention.cancelled_with_unsent_uploads()
    if not rows:
        return 0
    repo, sync, at = Repositories(db), SyncRepo(db), iso_now(clock)
    with db.atomic():
        for app_id, _count in rows:
            withdrawn = sync.drop_unsent(app_id)
            repo.audit(
                at,
                operator_id,
                "upload_withdrawn",
                "application",
                app_id,
                detail={"count": withdrawn},
            )
    log.info("retention: unsent uploads of %d cancelled applications withdrawn", len(rows))
    return len(rows)
