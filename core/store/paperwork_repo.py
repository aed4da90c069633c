"""Consent records (the one an operator recorded for the open form, the one kept with
each application) and what the decision receipt gains: the schedule with due dates,
the evidence list and the consent (written with the receipt itself,
core/store/receipts_repo.py ``insert_receipt``)."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from core.store.receipts_repo import TERMS_COLUMNS, ReceiptsRepo


class PaperworkRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # --- consent for the operator's open form ----------------------------------------------
    def set_pending_consent(self, operator_id: str, record: dict[str, Any], at: str) -> None:
        self.db.execute(
            "INSERT INTO pending_consents(operator_id, record, at) VALUES (?, ?, ?) "
            "ON CONFLICT(operator_id) DO UPDATE SET record = excluded.record, at = excluded.at",
            [operator_id, json.dumps(record, sort_keys=True), at],
        )

    def pending_consent(self, operator_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT record FROM pending_consents WHERE operator_id = ?", [operator_id]
        ).fetchone()
        if row is None:
            return None
        value = json.loads(row[0])
        return value if isinstance(value, dict) else None

    def clear_pending_consent(self, operator_id: str) -> bool:
        cur = self.db.execute("DELETE FROM pending_consents WHERE operator_id = ?", [operator_id])
        return bool(cur.rowcount)

    # --- consent kept with an application --------------------------------------------------
    def insert_consent(self, app_id: str, record: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO consents(application_id, version, at, method, texts_sha256, "
            "signature_sha256) VALUES (?, ?, ?, ?, ?, ?)",
            [
                app_id,
                record["version"],
                record["at"],
                record["method"],
                record["texts_sha256"],
                record.get("signature_sha256"),
            ],
        )

    def consent(self, app_id: str) -> dict[str, Any] | None:
        rows = list(
            self.db.query(
                "SELECT version, at, method, texts_sha256, signature_sha256, withdrawn_at "
                "FROM consents WHERE application_id = ?",
                [app_id],
            )
        )
        return rows[0] if rows else None

    def mark_withdrawn(self, app_id: str, at: str) -> None:
        self.db.execute(
            "UPDATE consents SET withdrawn_at = ? WHERE application_id = ?", [at, app_id]
        )

    # --- the receipt's paperwork -----------------------------------------------------------
    def receipt_paperwork(self, app_id: str) -> dict[str, Any] | None:
        """The receipt's schedule (whole: a short one is rebuilt from the application's
        terms, :class:`core.store.receipts_repo.ReceiptMismatch` when they changed after
        the fact), evidence list and consent; None when there is no receipt."""
        row = self.db.execute(
            f"SELECT r.schedule, r.evidence, r.consent, {TERMS_COLUMNS} "
            "FROM prescreen_receipts r LEFT JOIN applications a ON a.id = r.application_id "
            "WHERE r.application_id = ?",
            [app_id],
        ).fetchone()
        if row is None:
            return None
        schedule = ReceiptsRepo(self.db).whole_schedule(app_id, row[0], row[3:]) if row[0] else ""
        return {
            "schedule": json.loads(schedule) if schedule else [],
            "evidence": json.loads(row[1]) if row[1] else [],
            "consent": json.loads(row[2]) if row[2] else None,
        }

    def set_due_dates(self, app_id: str, first_due_date: str, due_day: int) -> None:
        """The receipt's schedule is rebuilt from these: it is stored whole first (the
        schedule as signed stays the receipt's)."""
        ReceiptsRepo(self.db).expand_schedules([app_id])
        self.db.execute(
            "UPDATE applications SET first_due_date = ?, due_day = ? WHERE id = ?",
            [first_due_date, due_day, app_id],
        )
