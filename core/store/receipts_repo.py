"""The pre-screen's decision receipts (table ``prescreen_receipts``), each thing kept
once: the inputs the application's own rows cannot rebuild, and the repayment schedule
only when its terms do not rebuild it (core/prescreen/rebuild.py). Every read returns
the whole form, rebuilt and checked against what was signed: a receipt whose application
was changed afterwards is refused (:class:`ReceiptMismatch`), never shown as if it held.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from core.models import (
    ApplicationInput,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
)
from core.money import Schedule
from core.prescreen.rebuild import (
    COMPACT,
    SCHEDULE_REBUILT,
    SCHEDULE_TERMS,
    compact_inputs,
    compact_schedule,
    compact_signed_schedule,
    expand_inputs,
    expand_schedule,
    is_compact,
    is_rebuilt_schedule,
    schedule_json,
    schedule_text,
)
from core.store.errors import StorageEnvironmentError
from core.store.pii import unseal
from core.store.vault import vault_of


class ReceiptMismatch(StorageEnvironmentError):
    """A receipt kept in compact form whose inputs or schedule the application's stored
    rows no longer rebuild (they were changed after the receipt was written): refused,
    never shown as if it held. ``str()`` is the application id (no personal data)."""

    code = "STORAGE_RECEIPT_MISMATCH"


@dataclass(frozen=True)
class ReceiptPaperwork:
    """What the receipt keeps beside the pre-screen: the schedule signed for, and the
    evidence and consent as JSON-ready values. ``terms``: the application row just
    written (its :data:`SCHEDULE_TERMS` as they read back); when given, a schedule those
    terms rebuild exactly is stored in its short form
    (core.prescreen.rebuild.compact_signed_schedule)."""

    schedule: Schedule | None
    evidence: list[dict[str, str]] | None
    consent: dict[str, Any] | None
    terms: Mapping[str, Any] | None = None

    def columns(self) -> list[str | None]:
        schedule = None
        if self.schedule is not None:
            if self.terms is not None:
                schedule = compact_signed_schedule(self.schedule, self.terms)
            else:
                schedule = schedule_text(schedule_json(self.schedule))
        return [
            schedule,
            json.dumps(self.evidence, sort_keys=True) if self.evidence is not None else None,
            json.dumps(self.consent, sort_keys=True) if self.consent is not None else None,
        ]


# The application row's terms the receipt's schedule is rebuilt from, as selected.
TERMS_COLUMNS = ", ".join(f"a.{c}" for c in SCHEDULE_TERMS)


class ReceiptsRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def insert_receipt(
        self,
        application_id: str,
        pack_id: str | None,
        pack_version: int | None,
        inputs_sha256: str,
        inputs_json: str,
        outcome: str,
        reasons: list[dict[str, Any]],
        evaluated_at: str,
        paperwork: ReceiptPaperwork | None = None,
    ) -> None:
        """One receipt. ``inputs_json`` is what the column holds: the whole canonical
        inputs, or the compact form (core.prescreen.rebuild.compact_inputs) the service
        chose. ``paperwork``: the schedule, evidence list and consent, in the same
        INSERT (None: left NULL, as for receipts saved before they existed)."""
        papers = paperwork or ReceiptPaperwork(None, None, None)
        self.db.execute(
            "INSERT INTO prescreen_receipts(application_id, pack_id, pack_version, "
            "inputs_sha256, inputs, outcome, reasons, evaluated_at, schedule, evidence, "
            "consent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                application_id,
                pack_id,
                pack_version,
                inputs_sha256,
                inputs_json,
                outcome,
                json.dumps(reasons, ensure_ascii=False, sort_keys=True),
                evaluated_at,
                *papers.columns(),
            ],
        )

    def receipt(self, application_id: str) -> dict[str, Any] | None:
        """The receipt row, ``inputs`` always whole: a compact one is rebuilt from the
        application's stored rows and checked against ``inputs_sha256``
        (:class:`ReceiptMismatch` when they changed after the fact)."""
        row = self.stored_receipt(application_id)
        if row is not None and is_compact(row["inputs"]):
            row["inputs"] = self._expand(application_id, row["inputs"], row["inputs_sha256"])
        return row

    def stored_receipt(self, application_id: str) -> dict[str, Any] | None:
        """The receipt row as stored (``inputs`` possibly compact)."""
        rows = list(
            self.db.query(
                "SELECT application_id, pack_id, pack_version, inputs_sha256, inputs, outcome, "
                "reasons, evaluated_at FROM prescreen_receipts WHERE application_id = ?",
                [application_id],
            )
        )
        return rows[0] if rows else None

    def _expand(self, application_id: str, stored: str, sha: str) -> str:
        facts = self._rebuild_facts(application_id)
        if facts is None:
            raise ReceiptMismatch(application_id)
        try:
            return expand_inputs(stored, sha, *facts)
        except ValueError:
            raise ReceiptMismatch(application_id) from None

    def _rebuild_facts(self, application_id: str) -> tuple[ApplicationInput, int] | None:
        """What rebuilding a receipt's inputs reads: the application as stored (only the
        ID number is opened: the rebuild needs the birth date) and the largest
        installment of the schedule kept on the receipt. None when the rows are not
        whole (no schedule, the stored totals disagree with the order lines)."""
        row = self.db.execute(
            "SELECT a.scenario, a.order_total_fen, a.principal_fen, a.down_payment_fen, "
            "a.term_months, a.method, a.first_due_date, a.customer_id, c.id_number, "
            f"c.monthly_income_fen, r.schedule, {TERMS_COLUMNS} FROM applications a "
            "JOIN customers c ON c.id = a.customer_id "
            "JOIN prescreen_receipts r ON r.application_id = a.id WHERE a.id = ?",
            [application_id],
        ).fetchone()
        if row is None or not row[10]:
            return None
        schedule = str(row[10])
        if is_rebuilt_schedule(schedule):
            try:
                schedule = expand_schedule(
                    schedule, dict(zip(SCHEDULE_TERMS, row[11:], strict=True))
                )
            except ValueError:
                return None
        lines = tuple(
            OrderLineInput(str(r[0]), "", int(r[1]), int(r[2]))
            for r in self.db.execute(
                "SELECT sku, unit_price_fen, quantity FROM order_lines "
                "WHERE application_id = ? ORDER BY line_no",
                [application_id],
            ).fetchall()
        )
        try:
            payments = [int(p["payment_fen"]) for p in json.loads(schedule)]
            app = ApplicationInput(
                Scenario(row[0]),
                CustomerInput(
                    unseal(vault_of(self.db), "customers", "id_number", str(row[7]), row[8]),
                    "",
                    "",
                    int(row[9]),
                    "",
                    "",
                ),
                lines,
                TermsInput(
                    int(row[3]),
                    int(row[4]),
                    RepaymentMethod(row[5]),
                    date.fromisoformat(row[6]) if row[6] else None,
                ),
                "",
                "",
            )
        except (ValueError, TypeError, KeyError):
            return None
        if not payments or (app.order_total_fen, app.principal_fen) != (row[1], row[2]):
            return None
        return app, max(payments)

    def compact_receipts(self, after: str, limit: int) -> tuple[int, str | None]:
        """Store the compact form of up to ``limit`` receipts after application id
        ``after`` (in id order) whose whole inputs the application's rows rebuild
        exactly; the others keep theirs. Returns (how many were compacted, the last id
        looked at, None when there were no more)."""
        rows = self.db.execute(
            "SELECT application_id, inputs, inputs_sha256 FROM prescreen_receipts "
            "WHERE application_id > ? AND schedule IS NOT NULL AND inputs NOT LIKE ? "
            "ORDER BY application_id LIMIT ?",
            [after, COMPACT + "%", limit],
        ).fetchall()
        done = 0
        for app_id, inputs, sha in rows:
            facts = self._rebuild_facts(app_id)
            if facts is None:
                continue
            compact = compact_inputs(inputs, sha, *facts)
            if compact != inputs:
                self.db.execute(
                    "UPDATE prescreen_receipts SET inputs = ? WHERE application_id = ?",
                    [compact, app_id],
                )
                done += 1
        return done, (str(rows[-1][0]) if rows else None)

    def expand_receipts(self, application_ids: Sequence[str], *, schedules: bool = False) -> None:
        """Store the whole inputs of these applications' compact receipts again (before
        their personal data is blanked, which the rebuild reads: the receipt is kept);
        with ``schedules``, their whole schedules too (before a column of
        :data:`SCHEDULE_TERMS` is blanked or changed). A receipt that no longer rebuilds
        is left as it is, still refused on read."""
        marks = ", ".join("?" for _ in application_ids)
        rows = self.db.execute(
            "SELECT application_id, inputs, inputs_sha256 FROM prescreen_receipts "
            f"WHERE application_id IN ({marks}) AND inputs LIKE ?",
            [*application_ids, COMPACT + "%"],
        ).fetchall()
        for app_id, stored, sha in rows:
            try:
                whole = self._expand(app_id, stored, sha)
            except ReceiptMismatch:
                continue
            self.db.execute(
                "UPDATE prescreen_receipts SET inputs = ? WHERE application_id = ?",
                [whole, app_id],
            )
        if schedules:
            self.expand_schedules(application_ids)

    # --- the receipt's schedule, kept once --------------------------------------------------
    def receipt_schedule(self, application_id: str) -> str | None:
        """The receipt's ``schedule`` column in its whole form (None when it has none): a
        short one is rebuilt from the application row's terms and checked against its
        sha256 (:class:`ReceiptMismatch` when they changed after the fact)."""
        row = self.db.execute(
            f"SELECT r.schedule, {TERMS_COLUMNS} FROM prescreen_receipts r "
            "LEFT JOIN applications a ON a.id = r.application_id WHERE r.application_id = ?",
            [application_id],
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return self.whole_schedule(application_id, str(row[0]), row[1:])

    def whole_schedule(self, application_id: str, stored: str, terms: Sequence[Any]) -> str:
        """The whole form of a schedule column ``stored`` of ``application_id``'s receipt,
        ``terms`` its application row's :data:`SCHEDULE_TERMS` values (as selected by
        ``TERMS_COLUMNS``)."""
        if not is_rebuilt_schedule(stored):
            return stored
        try:
            return expand_schedule(stored, dict(zip(SCHEDULE_TERMS, terms, strict=True)))
        except ValueError:
            raise ReceiptMismatch(application_id) from None

    def compact_schedules(self, after: str, limit: int) -> tuple[int, str | None]:
        """Store the short form of up to ``limit`` receipts' schedules after application
        id ``after`` (in id order) that the application row's terms rebuild exactly; the
        others keep theirs. Returns (how many were compacted, the last id looked at, None
        when there were no more)."""
        rows = self.db.execute(
            f"SELECT r.application_id, r.schedule, {TERMS_COLUMNS} FROM prescreen_receipts r "
            "JOIN applications a ON a.id = r.application_id WHERE r.application_id > ? "
            "AND r.schedule IS NOT NULL AND r.schedule NOT LIKE ? "
            "ORDER BY r.application_id LIMIT ?",
            [after, SCHEDULE_REBUILT + "%", limit],
        ).fetchall()
        done = 0
        for app_id, stored, *terms in rows:
            short = compact_schedule(str(stored), dict(zip(SCHEDULE_TERMS, terms, strict=True)))
            if short != stored:
                self.db.execute(
                    "UPDATE prescreen_receipts SET schedule = ? WHERE application_id = ?",
                    [short, app_id],
                )
                done += 1
        return done, (str(rows[-1][0]) if rows else None)

    def expand_schedules(self, application_ids: Sequence[str]) -> None:
        """Store these receipts' whole schedules again (see :meth:`expand_receipts`)."""
        if not application_ids:
            return
        marks = ", ".join("?" for _ in application_ids)
        rows = self.db.execute(
            f"SELECT r.application_id, r.schedule, {TERMS_COLUMNS} FROM prescreen_receipts r "
            "LEFT JOIN applications a ON a.id = r.application_id "
            f"WHERE r.application_id IN ({marks}) AND r.schedule LIKE ?",
            [*application_ids, SCHEDULE_REBUILT + "%"],
        ).fetchall()
        for app_id, stored, *terms in rows:
            try:
                whole = self.whole_schedule(str(app_id), str(stored), terms)
            except ReceiptMismatch:
                continue
            self.db.execute(
                "UPDATE prescreen_receipts SET schedule = ? WHERE application_id = ?",
                [whole, app_id],
            )
