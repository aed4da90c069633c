"""The reads pre-screening makes (velocity, the merchant side) and the decision receipts.

Every count skips cancelled applications. Times are the stored ISO UTC strings, so
ranges are index range scans: the indexes come from migration 0003_prescreen_indexes.
A salesperson's or store's baseline (the days before today) does not change during
the day, so it is computed once per day and kept.

ID numbers, phones and delivery addresses arrive plain (from core/prescreen/facts.py)
and are compared through the keyed hashes the repositories store (``id_hash``,
``phone_hash``, ``delivery_key``): the file holds no comparable plain value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from core.models import (
    ApplicationInput,
    CatalogItem,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
)
from core.prescreen.facts import Baseline, Today
from core.prescreen.rebuild import (
    COMPACT,
    SCHEDULE_REBUILT,
    SCHEDULE_TERMS,
    compact_inputs,
    compact_schedule,
    expand_inputs,
    expand_schedule,
    is_compact,
    is_rebuilt_schedule,
)
from core.store.errors import StorageEnvironmentError
from core.store.pii import lookup, unseal
from core.store.vault import vault_of

_LIVE = "status != 'cancelled'"


class ReceiptMismatch(StorageEnvironmentError):
    """A receipt kept in compact form whose inputs or schedule the application's stored
    rows no longer rebuild (they were changed after the receipt was written): refused,
    never shown as if it held. ``str()`` is the application id (no personal data)."""

    code = "STORAGE_RECEIPT_MISMATCH"


@dataclass(frozen=True)
class ReceiptPaperwork:
    """What the receipt keeps beside the pre-screen, as JSON-ready values. ``terms``:
    the application row just written (its :data:`SCHEDULE_TERMS` as they read back);
    when given, a schedule those terms rebuild exactly is stored in its short form
    (core.prescreen.rebuild.compact_schedule)."""

    schedule: list[dict[str, Any]] | None
    evidence: list[dict[str, str]] | None
    consent: dict[str, Any] | None
    terms: Mapping[str, Any] | None = None

    def columns(self) -> list[str | None]:
        schedule = None
        if self.schedule is not None:
            schedule = json.dumps(self.schedule, sort_keys=True)
            if self.terms is not None:
                schedule = compact_schedule(schedule, self.terms)
        return [
            schedule,
            json.dumps(self.evidence, sort_keys=True) if self.evidence is not None else None,
            json.dumps(self.consent, sort_keys=True) if self.consent is not None else None,
        ]


_SCOPES = {"operator": "operator_id", "store": "store_id"}
# The application row's terms the receipt's schedule is rebuilt from, as selected.
TERMS_COLUMNS = ", ".join(f"a.{c}" for c in SCHEDULE_TERMS)


class ScreeningRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._baselines: dict[tuple[str, str, str, str], Baseline] = {}
        self._prices: dict[str, int] | None = None  # catalog_known()'s

    def clear_cache(self) -> None:
        """Call when rows may have been written with past times (bulk import)."""
        self._baselines.clear()

    def _count(self, sql: str, params: list[Any]) -> int:
        return int(self.db.execute(sql, params).fetchone()[0] or 0)

    # --- who and where ---------------------------------------------------------------------
    def store_city(self, store_id: str) -> str:
        row = self.db.execute("SELECT city FROM stores WHERE id = ?", [store_id]).fetchone()
        return "" if row is None else str(row[0] or "")

    def device_id(self) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        return "" if row is None else str(row[0])

    def _hash(self, kind: str, value: str) -> str:
        return lookup(vault_of(self.db), kind, value)

    # --- velocity ---------------------------------------------------------------------------
    def same_id(self, id_number: str, since: str, until: str) -> int:
        return self._count(
            "SELECT count(*) FROM customers c JOIN applications a ON a.customer_id = c.id "
            f"WHERE c.id_hash = ? AND a.created_at >= ? AND a.created_at <= ? AND a.{_LIVE}",
            [self._hash("id_number", id_number), since, until],
        )

    def same_phone(self, phone: str, since: str, until: str) -> int:
        return self._count(
            "SELECT count(*) FROM customers c JOIN applications a ON a.customer_id = c.id "
            f"WHERE c.phone_hash = ? AND a.created_at >= ? AND a.created_at <= ? AND a.{_LIVE}",
            [self._hash("phone", phone), since, until],
        )

    def same_device(self, device_id: str, since: str, until: str, cap: int) -> int:
        """At most ``cap``: past the pack's maximum the exact number does not matter."""
        return self._count(
            "SELECT count(*) FROM (SELECT 1 FROM applications WHERE device_id = ? "
            f"AND created_at >= ? AND created_at <= ? AND {_LIVE} LIMIT ?)",
            [device_id, since, until, cap],
        )

    # --- the merchant side ------------------------------------------------------------------
    def other_ids_on_phone(self, phone: str, id_number: str, since: str, until: str) -> int:
        return self._count(
            "SELECT count(DISTINCT c.id_hash) FROM customers c "
            "JOIN applications a ON a.customer_id = c.id WHERE c.phone_hash = ? "
            f"AND c.id_hash != ? AND a.created_at >= ? AND a.created_at <= ? AND a.{_LIVE}",
            [self._hash("phone", phone), self._hash("id_number", id_number), since, until],
        )

    def other_customers_at_address(self, key: str, id_number: str, since: str, until: str) -> int:
        """``key`` is the plain address key (core.prescreen.normalize.address_key)."""
        return self._count(
            "SELECT count(DISTINCT c.id_hash) FROM applications a "
            "JOIN customers c ON c.id = a.customer_id WHERE a.delivery_key = ? "
            f"AND c.id_hash != ? AND a.created_at >= ? AND a.created_at <= ? AND a.{_LIVE}",
            [self._hash("address", key), self._hash("id_number", id_number), since, until],
        )

    def today(self, store_id: str, operator_id: str, day_start: str, until: str) -> Today:
        """One range scan of the store's day (a covering index) for all three figures."""
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(operator_id = ?), 0), coalesce(sum(principal_fen), 0) "
            "FROM applications WHERE store_id = ? AND created_at >= ? AND created_at <= ? "
            f"AND {_LIVE}",
            [operator_id, store_id, day_start, until],
        ).fetchone()
        return Today(int(row[0]), int(row[1]), int(row[2]))

    def baseline(self, scope: str, key: str, day_start: str, baseline_start: str) -> Baseline:
        cache_key = (scope, key, day_start, baseline_start)
        found = self._baselines.get(cache_key)
        if found is None:
            col = _SCOPES[scope]
            total = self._count(
                f"SELECT count(*) FROM applications WHERE {col} = ? "
                f"AND created_at >= ? AND created_at < ? AND {_LIVE}",
                [key, baseline_start, day_start],
            )
            row = self.db.execute(
                f"SELECT min(created_at) FROM applications WHERE {col} = ? AND created_at < ?",
                [key, day_start],
            ).fetchone()
            first = None if row is None or row[0] is None else str(row[0])
            found = self._baselines[cache_key] = Baseline(total, first)
        return found

    @contextmanager
    def catalog_known(self, items: Iterable[CatalogItem]) -> Iterator[None]:
        """Within: :meth:`catalog_prices` answers from ``items``, the whole catalog the
        caller has just read (a save reads it to check the basket), not from the table
        again."""
        self._prices = {item.sku: item.price_fen for item in items}
        try:
            yield
        finally:
            self._prices = None

    def catalog_prices(self, skus: Iterable[str]) -> Mapping[str, int]:
        wanted = sorted(set(skus))
        if self._prices is not None:
            known = self._prices
            return {sku: known[sku] for sku in wanted if sku in known}
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self.db.execute(
            f"SELECT sku, price_fen FROM catalog WHERE sku IN ({marks})", wanted
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    # --- decision receipts ------------------------------------------------------------------
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
