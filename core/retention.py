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
from collections.abc import Sequence
from datetime import UTC, timedelta

import sqlite_utils

from core.clock import Clock, iso_now
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo

log = logging.getLogger("loandesk.retention")

FINAL = ("approved", "declined")
CANCELLED = "cancelled"
BATCH = 500


def due_for_purge(db: sqlite_utils.Database, clock: Clock, retention_days: int) -> list[str]:
    """Ids of applications whose personal data is past retention and still present:
    final and synced ones by the decision's arrival, cancelled ones by the cancel (their
    ``updated_at``: nothing changes a cancelled application afterwards but the purge)."""
    if "decisions" not in db.table_names():
        return []
    cutoff = (clock.now() - timedelta(days=retention_days)).astimezone(UTC)
    at = cutoff.isoformat(timespec="milliseconds")
    rows = db.execute(
        "SELECT a.id FROM applications a JOIN decisions d ON d.application_id = a.id "
        f"WHERE a.status IN ({', '.join('?' for _ in FINAL)}) AND d.received_at < ? "
        "AND a.customer_name != '' "
        "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.application_id = a.id "
        "               AND o.state != 'acked') "
        "UNION SELECT id FROM applications WHERE status = ? AND updated_at < ? "
        "AND customer_name != '' "
        "ORDER BY 1",
        [*FINAL, at, CANCELLED, at],
    ).fetchall()
    return [r[0] for r in rows]


def purge_personal_data(
    db: sqlite_utils.Database, clock: Clock, retention_days: int, operator_id: str | None = None
) -> int:
    """Blank the personal fields of every application past retention; returns how many.

    One transaction per batch of applications, each with its audit row, so an
    interruption leaves every application either purged or untouched.
    """
    withdraw_cancelled_uploads(db, clock, operator_id)
    ids = due_for_purge(db, clock, retention_days)
    repo = Repositories(db)
    for start in range(0, len(ids), BATCH):
        _purge_batch(db, repo, ids[start : start + BATCH], iso_now(clock), operator_id,
                     retention_days)
    if ids:
        log.info("retention: personal data removed from %d applications", len(ids))
    return len(ids)


def withdraw_cancelled_uploads(
    db: sqlite_utils.Database, clock: Clock, operator_id: str | None = None
) -> int:
    """Delete the unsent uploads of cancelled applications (versions before cancelling
    did so itself left them queued); one ``upload_withdrawn`` audit row each. Returns
    how many applications had some."""
    if "outbox" not in db.table_names():
        return 0
    rows = db.execute(
        # from the (few) cancelled applications to their outbox rows (both indexed), so
        # this stays cheap however many uploads wait (it runs at every start)
        "SELECT o.application_id, count(*) FROM applications a "
        "CROSS JOIN outbox o ON o.application_id = a.id "  # CROSS: applications first
        "WHERE a.status = ? AND o.state IN ('pending', 'quarantined') "
        "GROUP BY o.application_id ORDER BY o.application_id",
        [CANCELLED],
    ).fetchall()
    if not rows:
        return 0
    repo, sync, at = Repositories(db), SyncRepo(db), iso_now(clock)
    with db.atomic():
        for app_id, _count in rows:
            withdrawn = sync.drop_unsent(str(app_id))
            repo.audit(at, operator_id, "upload_withdrawn", "application", str(app_id),
                       detail={"count": withdrawn})
    log.info("retention: unsent uploads of %d cancelled applications withdrawn", len(rows))
    return len(rows)


def _purge_batch(db: sqlite_utils.Database, repo: Repositories, ids: Sequence[str], at: str,
                 operator_id: str | None, retention_days: int) -> None:
    marks = ", ".join("?" for _ in ids)
    with db.atomic():
        db.execute(
            "UPDATE customers SET id_number = '', name = '', phone = '', home_address = '', "
            "id_hash = '', phone_hash = '', updated_at = ? WHERE id IN "
            f"(SELECT customer_id FROM applications WHERE id IN ({marks}))",
            [at, *ids],
        )
        db.execute(
            "UPDATE applications SET customer_name = '', name_hash = '', phone_tail = '', "
            f"delivery_address = '', delivery_key = '', updated_at = ? WHERE id IN ({marks})",
            [at, *ids],
        )
        # the acked payload was the application as sent (a rejected one, as refused); its
        # hash stays as the receipt ('' reads back as the empty payload "{}")
        db.execute(
            f"UPDATE outbox SET payload = '' WHERE state IN ('acked', 'rejected') AND "
            f"application_id IN ({marks})",
            list(ids),
        )
        for app_id in ids:
            repo.audit(at, operator_id, "personal_data_purged", "application", app_id,
                       detail={"retention_days": retention_days})
