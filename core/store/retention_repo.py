"""What retention reads and blanks (core.retention decides when): applications past
the retention period that still hold personal data, cancelled applications with unsent
uploads, and the blanking of an application's personal fields, its customer's and its
kept upload payload's. Blanked fields are '' (tokens and keyed hashes both), which read
back as '' without any decryption (core/store/pii.py)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from core.store.receipts_repo import ReceiptsRepo

FINAL = ("approved", "declined")
CANCELLED = "cancelled"


class RetentionRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def has_decisions(self) -> bool:
        """Is the schema new enough to judge (migration 0004 made ``decisions``)?"""
        return "decisions" in self.db.table_names()

    def has_outbox(self) -> bool:
        return "outbox" in self.db.table_names()

    def due_for_purge(self, before: str) -> list[str]:
        """Ids of applications whose personal data is still present and that are final
        and synced with the decision received before ``before``, or cancelled before it
        (their ``updated_at``: nothing changes a cancelled application afterwards but
        the purge). In id order."""
        rows = self.db.execute(
            "SELECT a.id FROM applications a JOIN decisions d ON d.application_id = a.id "
            f"WHERE a.status IN ({', '.join('?' for _ in FINAL)}) AND d.received_at < ? "
            "AND a.customer_name != '' "
            "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.application_id = a.id "
            "               AND o.state != 'acked') "
            "UNION SELECT id FROM applications WHERE status = ? AND updated_at < ? "
            "AND customer_name != '' "
            "ORDER BY 1",
            [*FINAL, before, CANCELLED, before],
        ).fetchall()
        return [str(r[0]) for r in rows]

    def cancelled_with_unsent_uploads(self) -> list[tuple[str, int]]:
        """(application id, unsent uploads) of cancelled applications with pending or
        quarantined outbox rows, by id."""
        rows = self.db.execute(
            # from the (few) cancelled applications to their outbox rows (both indexed), so
            # this stays cheap however many uploads wait (it runs at every start)
            "SELECT o.application_id, count(*) FROM applications a "
            "CROSS JOIN outbox o ON o.application_id = a.id "  # CROSS: applications first
            "WHERE a.status = ? AND o.state IN ('pending', 'quarantined') "
            "GROUP BY o.application_id ORDER BY o.application_id",
            [CANCELLED],
        ).fetchall()
        return [(str(app_id), int(count)) for app_id, count in rows]

    def blank_personal_data(self, ids: Sequence[str], at: str) -> None:
        """Blank the personal fields of these applications, their customers and their
        acked or rejected upload payloads (in the caller's transaction)."""
        marks = ", ".join("?" for _ in ids)
        # a compact receipt is rebuilt from the ID number blanked below: store it whole
        ReceiptsRepo(self.db).expand_receipts(ids)
        self.db.execute(
            "UPDATE customers SET id_number = '', name = '', phone = '', home_address = '', "
            "id_hash = '', phone_hash = '', updated_at = ? WHERE id IN "
            f"(SELECT customer_id FROM applications WHERE id IN ({marks}))",
            [at, *ids],
        )
        self.db.execute(
            "UPDATE applications SET customer_name = '', name_hash = '', phone_tail = '', "
            f"delivery_address = '', delivery_key = '', updated_at = ? WHERE id IN ({marks})",
            [at, *ids],
        )
        # the acked payload was the application as sent (a rejected one, as refused); its
        # hash stays as the receipt ('' reads back as the empty payload "{}")
        self.db.execute(
            f"UPDATE outbox SET payload = '' WHERE state IN ('acked', 'rejected') AND "
            f"application_id IN ({marks})",
            list(ids),
        )
