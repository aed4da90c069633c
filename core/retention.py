"""Retention: personal data of finished applications does not stay on a shop PC forever.

An application whose central decision is final (approved or declined), whose upload is
acknowledged, and whose decision arrived more than ``retention_days`` ago keeps its
non-personal record — amounts, terms, schedule figures, statuses, the pre-screen
receipt (which holds no personal data), the audit trail — but loses the customer's ID
number, name, phone and addresses, here and in the acknowledged upload payload. The
connection runs with ``secure_delete`` so the old values are overwritten in the file.

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

log = logging.getLogger("loandesk.retention")

FINAL = ("approved", "declined")
BATCH = 500


def due_for_purge(db: sqlite_utils.Database, clock: Clock, retention_days: int) -> list[str]:
    """Ids of applications whose personal data is past retention and still present."""
    if "decisions" not in db.table_names():
        return []
    cutoff = (clock.now() - timedelta(days=retention_days)).astimezone(UTC)
    rows = db.execute(
        "SELECT a.id FROM applications a JOIN decisions d ON d.application_id = a.id "
        f"WHERE a.status IN ({', '.join('?' for _ in FINAL)}) AND d.received_at < ? "
        "AND a.customer_name != '' "
        "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.application_id = a.id "
        "               AND o.state != 'acked') "
        "ORDER BY a.id",
        [*FINAL, cutoff.isoformat(timespec="milliseconds")],
    ).fetchall()
    return [r[0] for r in rows]


def purge_personal_data(
    db: sqlite_utils.Database, clock: Clock, retention_days: int, operator_id: str | None = None
) -> int:
    """Blank the personal fields of every application past retention; returns how many.

    One transaction per batch of applications, each with its audit row, so an
    interruption leaves every application either purged or untouched.
    """
    ids = due_for_purge(db, clock, retention_days)
    repo = Repositories(db)
    for start in range(0, len(ids), BATCH):
        _purge_batch(db, repo, ids[start : start + BATCH], iso_now(clock), operator_id,
                     retention_days)
    if ids:
        log.info("retention: personal data removed from %d applications", len(ids))
    return len(ids)


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
        # the acked payload was the application as sent; its hash stays as the receipt
        # ('' reads back as the empty payload "{}")
        db.execute(
            f"UPDATE outbox SET payload = '' WHERE state = 'acked' AND application_id IN "
            f"({marks})",
            list(ids),
        )
        for app_id in ids:
            repo.audit(at, operator_id, "personal_data_purged", "application", app_id,
                       detail={"retention_days": retention_days})
