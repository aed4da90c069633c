"""What the field managers' dashboard reads: one grouped pass over a date range, and the
counts of what is stuck.

The grouped pass reads only the ``applications_dashboard`` index (migration 0013: the
pre-screen outcome and the approved amount are copied onto the application by
triggers); it returns one row per (scenario, salesperson, store, status, pre-screen
outcome), a few hundred at most, which ``core.field.dashboard`` adds up into every view.
Bounds are UTC ISO strings in the format ``created_at`` is stored in
(``core.clock.iso_now``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class GroupRow:
    scenario: str
    operator_id: str
    store_id: str
    status: str  # approved, declined and review: head office's (latest) decision
    prescreen: str  # PASS | REFER | DECLINE | '' (saved before pre-screening existed)
    count: int
    principal_fen: int
    order_total_fen: int
    approved_amount_fen: int


class DashboardRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def groups(self, start: str, end: str, store_id: str | None) -> list[GroupRow]:
        where, params = _range(start, end, store_id)
        rows = self.db.execute(
            "SELECT a.scenario, a.operator_id, a.store_id, a.status, a.prescreen_outcome, "
            "count(*), sum(a.principal_fen), sum(a.order_total_fen), "
            "sum(CASE WHEN a.status = 'approved' THEN a.decided_amount_fen END) "
            "FROM applications a INDEXED BY applications_dashboard "
            f"{where} GROUP BY 1, 2, 3, 4, 5",
            params,
        ).fetchall()
        return [GroupRow(*(r[:5]), *(int(v or 0) for v in r[5:])) for r in rows]

    def names(self, table: str) -> dict[str, str]:
        """Operator display names or store codes and names, by id."""
        if table == "operators":
            rows = self.db.execute("SELECT id, display_name FROM operators").fetchall()
        elif table == "stores":
            rows = self.db.execute("SELECT id, code || ' ' || name FROM stores").fetchall()
        else:
            raise ValueError(table)
        return {str(i): str(n).strip() for i, n in rows}

    def salespeople(self, store_id: str | None) -> list[tuple[str, str]]:
        """(operator id, display name) of everyone who saved an application, by name."""
        where = "" if store_id is None else " WHERE o.store_id = ?"
        rows = self.db.execute(
            "SELECT o.id, o.display_name FROM operators o"
            f"{where}{' AND' if where else ' WHERE'} o.is_system = 0 AND EXISTS "
            "(SELECT 1 FROM applications a WHERE a.operator_id = o.id) "
            "ORDER BY o.display_name, o.id",
            [] if store_id is None else [store_id],
        ).fetchall()
        return [(str(i), str(n)) for i, n in rows]

    def count_status(
        self, statuses: Sequence[str], store_id: str | None, before: str | None = None
    ) -> int:
        """Applications in any of ``statuses`` (created before ``before``, if given)."""
        marks = ", ".join("?" for _ in statuses)
        sql = f"SELECT count(*) FROM applications WHERE status IN ({marks})"
        params: list[Any] = list(statuses)
        if before is not None:
            sql += " AND created_at < ?"
            params.append(before)
        if store_id is not None:
            sql += " AND +store_id = ?"
            params.append(store_id)
        return int(self.db.execute(sql, params).fetchone()[0])

    def count_outbox(self, state: str, store_id: str | None) -> int:
        """Applications with an upload in ``state`` (rejected: returned by head office;
        quarantined: kept aside by sync)."""
        sql = (
            "SELECT count(DISTINCT o.application_id) FROM outbox o "
            "JOIN applications a ON a.id = o.application_id WHERE o.state = ?"
        )
        params: list[Any] = [state]
        if store_id is not None:
            sql += " AND a.store_id = ?"
            params.append(store_id)
        return int(self.db.execute(sql, params).fetchone()[0])


def _range(start: str, end: str, store_id: str | None) -> tuple[str, list[Any]]:
    where = "WHERE a.created_at >= ? AND a.created_at < ?"
    params: list[Any] = [start, end]
    if store_id is not None:
        where += " AND a.store_id = ?"
        params.append(store_id)
    return where, params
