"""Repositories: the only place that knows table and column names.

Each method is one or a few statements; transactions are opened by the services
(``db.atomic()``), so one user action is one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import sqlite_utils

from core.models import (
    LIST_SORT_COLUMNS,
    ApplicationDetail,
    ApplicationRow,
    CatalogItem,
    CustomerInput,
    ListQuery,
    OrderLineInput,
    RepaymentMethod,
    StatusEvent,
    TermsInput,
)
from core.store.list_filters import list_filters
from core.store.meta_repo import MetaRepo
from core.store.operators_repo import OperatorsRepo
from core.store.pii import Sealer, lookup, name_key, seal, unseal
from core.store.references import next_reference, normalized, reference_column

_ROW_COLUMNS = (
    "id, created_at, customer_name, phone_tail, scenario, order_total_fen, principal_fen, "
    "term_months, first_payment_fen, status, "
    "(SELECT o.display_name FROM operators o WHERE o.id = applications.operator_id), "
)


_SPACES = re.compile(r"[\s-]+")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")


class Repositories:
    """All repositories over one ``Database``; cheap to create."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._pii = Sealer(db)

    # --- meta ---------------------------------------------------------------------
    def meta_get(self, key: str) -> str | None:
        return MetaRepo(self.db).get(key)

    def meta_set(self, key: str, value: str) -> None:
        MetaRepo(self.db).set(key, value)

    # --- stores and operators -------------------------------------------------------
    def store_by_code(self, code: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM stores WHERE code = ?", [code]))
        return rows[0] if rows else None

    def insert_store(self, store_id: str, code: str, name: str, city: str, at: str) -> None:
        self.db.execute(
            "INSERT INTO stores(id, code, name, city, created_at) VALUES (?, ?, ?, ?, ?)",
            [store_id, code, name, city, at],
        )

    # operators are read and written by OperatorsRepo alone (one login rule); these
    # keep the dict shape the application service reads
    def operator_by_login(self, login: str) -> dict[str, Any] | None:
        found = OperatorsRepo(self.db).by_login(login)
        return None if found is None else asdict(found)

    def operator_by_id(self, operator_id: str) -> dict[str, Any] | None:
        found = OperatorsRepo(self.db).by_id(operator_id)
        return None if found is None else asdict(found)

    def insert_operator(
        self, op_id: str, store_id: str, login: str, name: str, role: str, at: str
    ) -> None:
        """An account without a password (it cannot log in); ``login`` normalized."""
        OperatorsRepo(self.db).insert(op_id, store_id, login, name, role, at)

    # --- customers -----------------------------------------------------------------
    def insert_customer(self, customer_id: str, c: CustomerInput, at: str) -> None:
        """Personal fields sealed (bound to the customer id), ID and phone hashed."""
        v = self._pii.for_write()
        self.db.execute(
            "INSERT INTO customers(id, id_number, name, phone, monthly_income_fen, home_city, "
            "home_address, id_hash, phone_hash, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                customer_id,
                seal(v, "customers", "id_number", customer_id, c.id_number),
                seal(v, "customers", "name", customer_id, c.name),
                seal(v, "customers", "phone", customer_id, c.phone),
                c.monthly_income_fen,
                c.home_city,
                seal(v, "customers", "home_address", customer_id, c.home_address),
                lookup(v, "id_number", c.id_number),
                lookup(v, "phone", c.phone),
                at,
                at,
            ],
        )

    # --- applications -----------------------------------------------------------------
    def insert_application(self, values: dict[str, Any]) -> None:
        """``values`` hold plain ``customer_name``, ``delivery_address`` and the plain
        ``delivery_key`` (core.prescreen.normalize.address_key); they are stored sealed
        and keyed-hashed (``name_hash`` added)."""
        v = self._pii.for_write()
        row = dict(values)
        app_id = str(row["id"])
        name = str(row.get("customer_name", ""))
        row["customer_name"] = seal(v, "applications", "customer_name", app_id, name)
        row["name_hash"] = lookup(v, "name", name_key(name))
        row["delivery_address"] = seal(
            v, "applications", "delivery_address", app_id, str(row.get("delivery_address", ""))
        )
        row["delivery_key"] = lookup(v, "address", str(row.get("delivery_key", "")))
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.db.execute(f"INSERT INTO applications({cols}) VALUES ({marks})", list(row.values()))

    def next_reference(self, store_code: str, day: date) -> str:
        """The next short reference of this store and day (core.store.references)."""
        return next_reference(self.db, store_code, day)

    def insert_lines(self, application_id: str, lines: Sequence[OrderLineInput]) -> None:
        self.db.conn.executemany(
            "INSERT INTO order_lines(application_id, line_no, sku, name, unit_price_fen, quantity) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (application_id, i + 1, ln.sku, ln.name, ln.unit_price_fen, ln.quantity)
                for i, ln in enumerate(lines)
            ],
        )

    def application_status(self, app_id: str) -> tuple[str, int] | None:
        row = self.db.execute(
            "SELECT status, revision FROM applications WHERE id = ?", [app_id]
        ).fetchone()
        return None if row is None else (str(row[0]), int(row[1]))

    def application_store_id(self, app_id: str) -> str | None:
        """The store an application belongs to (permission checks)."""
        row = self.db.execute("SELECT store_id FROM applications WHERE id = ?", [app_id]).fetchone()
        return None if row is None else str(row[0])

    def set_status(self, app_id: str, status: str, at: str) -> None:
        self.db.execute(
            "UPDATE applications SET status = ?, updated_at = ? WHERE id = ?",
            [status, at, app_id],
        )

    def _where(self, q: ListQuery, store_id: str | None = None) -> tuple[str, list[Any]]:
        """Search without plain text in the file: 4 digits are a phone tail, 11 digits a
        phone (keyed hash), 18 characters an ID number (keyed hash), anything else an
        exact full name (keyed hash); a reference (or its store-and-day part) matches
        that; 4+ hex digits may also start an application id.
        ``store_id`` limits it to one store's applications (None: every store)."""
        clauses: list[str] = []
        params: list[Any] = []
        if store_id is not None:
            # unary +: a store PC holds (almost) only its own store's applications, so
            # the store filter must not steer SQLite away from the sort or search index
            clauses.append("+store_id = ?")
            params.append(store_id)
        if q.status is not None:
            clauses.append("status = ?")
            params.append(q.status.value)
        list_filters(q, clauses, params)
        text = q.text.strip()
        if text:
            alts: list[str] = []
            compact = _SPACES.sub("", text).upper()
            if text.isdigit() and len(text) == 4:
                alts.append("phone_tail = ?")
                params.append(text)
            elif compact.isdigit() and len(compact) == 11:
                alts.append("customer_id IN (SELECT id FROM customers WHERE phone_hash = ?)")
                params.append(self._pii.vault.lookup("phone", compact))
            elif _ID_NUMBER.fullmatch(compact):
                alts.append("customer_id IN (SELECT id FROM customers WHERE id_hash = ?)")
                params.append(self._pii.vault.lookup("id_number", compact))
            else:
                alts.append("name_hash = ?")
                params.append(self._pii.vault.lookup("name", name_key(text)))
            reference = normalized(text)
            if reference is not None and reference.endswith("-"):  # a store's day
                alts.append("(reference >= ? AND reference < ?)")
                params.extend([reference, reference + "~"])
            elif reference is not None:
                alts.append("reference = ?")
                params.append(reference)
            if len(text) >= 4 and all(ch in "0123456789abcdefABCDEF-" for ch in text):
                # a range on the primary key, not LIKE (which cannot use it): ids are
                # lower-case hex and '-', all below '~'
                alts.append("(id >= ? AND id < ?)")
                params.extend([text.lower(), text.lower() + "~"])
            clauses.append("(" + " OR ".join(alts) + ")")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params

    def count_sql(self, q: ListQuery, store_id: str | None = None) -> tuple[str, list[Any]]:
        """The list's count statement and its parameters (tests read its query plan)."""
        where, params = self._where(q, store_id)
        return f"SELECT count(*) FROM applications{where}", params

    def page_sql(
        self, q: ListQuery, offset: int, limit: int, store_id: str | None = None
    ) -> tuple[str, list[Any]]:
        """The list page's statement and its parameters (tests read its query plan)."""
        if q.sort_column not in LIST_SORT_COLUMNS:
            raise ValueError(f"cannot sort by {q.sort_column!r}")
        where, params = self._where(q, store_id)
        direction = "DESC" if q.descending else "ASC"
        sql = (
            f"SELECT {_ROW_COLUMNS}{reference_column(self.db)} FROM applications{where} "
            f"ORDER BY {q.sort_column} {direction}, id {direction} LIMIT ? OFFSET ?"
        )
        return sql, [*params, limit, offset]

    def count_applications(self, q: ListQuery, store_id: str | None = None) -> int:
        sql, params = self.count_sql(q, store_id)
        return int(self.db.execute(sql, params).fetchone()[0])

    def list_applications(
        self, q: ListQuery, offset: int, limit: int, store_id: str | None = None
    ) -> list[ApplicationRow]:
        cur = self.db.execute(*self.page_sql(q, offset, limit, store_id))
        return [self._row(row) for row in cur.fetchall()]

    def application_row(self, app_id: str) -> ApplicationRow | None:
        row = self.db.execute(
            f"SELECT {_ROW_COLUMNS}{reference_column(self.db)} FROM applications WHERE id = ?",
            [app_id],
        ).fetchone()
        return None if row is None else self._row(row)

    def _row(self, row: Sequence[Any]) -> ApplicationRow:
        """A list row with its customer name opened (``''`` once purged)."""
        values = list(row)
        values[2] = unseal(self._pii.vault, "applications", "customer_name", row[0], row[2])
        return ApplicationRow(*values)

    def application_detail(self, app_id: str) -> ApplicationDetail | None:
        summary = self.application_row(app_id)
        if summary is None:
            return None
        a = next(
            self.db.query(
                "SELECT a.*, s.code AS store_code, o.display_name AS operator_name, "
                "c.id_number, c.name, c.phone, c.monthly_income_fen, c.home_city, c.home_address "
                "FROM applications a JOIN stores s ON s.id = a.store_id "
                "JOIN operators o ON o.id = a.operator_id JOIN customers c ON c.id = a.customer_id "
                "WHERE a.id = ?",
                [app_id],
            )
        )
        lines = tuple(
            OrderLineInput(r[0], r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT sku, name, unit_price_fen, quantity FROM order_lines "
                "WHERE application_id = ? ORDER BY line_no",
                [app_id],
            ).fetchall()
        )
        v, cid = self._pii.vault, str(a["customer_id"])
        return ApplicationDetail(
            row=summary,
            revision=a["revision"],
            customer=CustomerInput(
                unseal(v, "customers", "id_number", cid, a["id_number"]),
                unseal(v, "customers", "name", cid, a["name"]),
                unseal(v, "customers", "phone", cid, a["phone"]),
                a["monthly_income_fen"],
                a["home_city"],
                unseal(v, "customers", "home_address", cid, a["home_address"]),
            ),
            lines=lines,
            terms=TermsInput(
                a["down_payment_fen"],
                a["term_months"],
                RepaymentMethod(a["method"]),
                date.fromisoformat(a["first_due_date"]) if a.get("first_due_date") else None,
            ),
            annual_rate=Decimal(a["annual_rate"]),
            upfront_fee_fen=a["upfront_fee_fen"],
            period_fee_fen=a["period_fee_fen"],
            apr=Decimal(a["apr"]),
            total_repayment_fen=a["total_repayment_fen"],
            delivery_city=a["delivery_city"],
            delivery_address=unseal(
                v, "applications", "delivery_address", app_id, a["delivery_address"]
            ),
            store_code=a["store_code"],
            operator_name=a["operator_name"],
            updated_at=a["updated_at"],
            due_day=a.get("due_day"),
        )

    # --- audit log -----------------------------------------------------------------------
    def audit(
        self,
        at: str,
        operator_id: str | None,
        action: str,
        target_type: str,
        target_id: str,
        from_status: str | None = None,
        to_status: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """One hash-chained audit row (see :class:`core.store.audit_repo.AuditRepo`)."""
        from core.store.audit_repo import AuditRepo

        AuditRepo(self.db).append(
            at, operator_id, action, target_type, target_id, from_status, to_status, detail
        )

    def history(self, target_id: str) -> list[StatusEvent]:
        from core.store.audit_repo import AuditRepo

        return AuditRepo(self.db).history(target_id)

    # --- catalog ---------------------------------------------------------------------
    def catalog_item(self, sku: str) -> CatalogItem | None:
        row = self.db.execute(
            "SELECT sku, name, category, price_fen FROM catalog WHERE sku = ?", [sku]
        ).fetchone()
        return None if row is None else CatalogItem(*row)

    def upsert_catalog(self, items: Iterable[CatalogItem], at: str) -> int:
        rows = [(i.sku, i.name, i.category, i.price_fen, at) for i in items]
        self.db.conn.executemany(
            "INSERT INTO catalog(sku, name, category, price_fen, updated_at) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(sku) DO UPDATE SET name = excluded.name, category = excluded.category, "
            "price_fen = excluded.price_fen, updated_at = excluded.updated_at",
            rows,
        )
        return len(rows)

    def catalog_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM catalog").fetchone()[0])

    # --- form drafts -------------------------------------------------------------------
    def save_form_draft(self, operator_id: str, data: str, at: str) -> None:
        """The draft (JSON holding personal data) sealed, bound to the operator id."""
        token = seal(self._pii.for_write(), "form_drafts", "data", operator_id, data)
        self.db.execute(
            "INSERT INTO form_drafts(operator_id, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(operator_id) DO UPDATE SET data = excluded.data, "
            "updated_at = excluded.updated_at",
            [operator_id, token, at],
        )

    def load_form_draft(self, operator_id: str) -> str | None:
        row = self.db.execute(
            "SELECT data FROM form_drafts WHERE operator_id = ?", [operator_id]
        ).fetchone()
        if row is None:
            return None
        return unseal(self._pii.vault, "form_drafts", "data", operator_id, row[0])

    def delete_form_draft(self, operator_id: str) -> None:
        self.db.execute("DELETE FROM form_drafts WHERE operator_id = ?", [operator_id])
