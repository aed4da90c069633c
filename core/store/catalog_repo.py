"""The catalog page's reads: entries by category and price, the categories, and the
change history (``catalog_history``, written by migration 0013's triggers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from core.models import CatalogItem


@dataclass(frozen=True)
class CatalogChange:
    seq: int
    sku: str
    change: str  # added | changed | removed
    old_name: str | None
    new_name: str | None
    old_category: str | None
    new_category: str | None
    old_price_fen: int | None
    new_price_fen: int | None
    at: str


class CatalogRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def items(
        self, category: str | None, min_price_fen: int | None, max_price_fen: int | None
    ) -> list[CatalogItem]:
        clauses: list[str] = []
        params: list[Any] = []
        for sql, value in (
            ("category = ?", category),
            ("price_fen >= ?", min_price_fen),
            ("price_fen <= ?", max_price_fen),
        ):
            if value is not None:
                clauses.append(sql)
                params.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.db.execute(
            f"SELECT sku, name, category, price_fen FROM catalog{where} ORDER BY sku", params
        ).fetchall()
        return [CatalogItem(*r) for r in rows]

    def categories(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT category FROM catalog ORDER BY category")
        return [str(r[0]) for r in rows.fetchall()]

    def history(self, sku: str | None, limit: int) -> list[CatalogChange]:
        where, params = ("", []) if sku is None else (" WHERE sku = ?", [sku])
        rows = self.db.execute(
            "SELECT seq, sku, change, old_name, new_name, old_category, new_category, "
            f"old_price_fen, new_price_fen, at FROM catalog_history{where} "
            "ORDER BY seq DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [CatalogChange(*r) for r in rows]
