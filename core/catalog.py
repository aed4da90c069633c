"""The catalog page and the order step's SKU suggestions.

Search matches the SKU or the name, ignoring case and character width (a clerk's IME
may type ＡＢＣ１２３ for ABC123): both sides are NFKC-normalized and case-folded. The
catalog is small (a few thousand entries at most), so it is filtered here after one
indexed read; categories and price bounds are filtered in SQL. The change history
comes from the triggers of migration 0013 (every change, whoever applied it).
"""

from __future__ import annotations

import unicodedata

import sqlite_utils

from core.models import CatalogItem
from core.store.catalog_repo import CatalogChange, CatalogRepo

__all__ = ["CatalogChange", "CatalogService", "fold"]


def fold(text: str) -> str:
    """Case- and width-insensitive form: NFKC, case-folded, spaces trimmed."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class CatalogService:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._repo = CatalogRepo(db)

    def search(
        self,
        text: str = "",
        *,
        category: str | None = None,
        min_price_fen: int | None = None,
        max_price_fen: int | None = None,
        limit: int = 500,
    ) -> list[CatalogItem]:
        """Entries whose SKU or name contains ``text`` (SKU prefix matches first)."""
        items = self._repo.items(category, min_price_fen, max_price_fen)
        needle = fold(text)
        if not needle:
            return items[:limit]
        starts, contains = [], []
        for item in items:
            sku = fold(item.sku)
            if sku.startswith(needle):
                starts.append(item)
            elif needle in sku or needle in fold(item.name):
                contains.append(item)
        return (starts + contains)[:limit]

    def suggest_skus(self, prefix: str, limit: int = 10) -> list[CatalogItem]:
        """What the order step offers as the clerk types: SKUs starting with ``prefix``,
        then names starting with it; nothing for an empty prefix."""
        needle = fold(prefix)
        if not needle:
            return []
        items = self._repo.items(None, None, None)
        by_sku = [i for i in items if fold(i.sku).startswith(needle)]
        by_name = [i for i in items if i not in by_sku and fold(i.name).startswith(needle)]
        return (by_sku + by_name)[:limit]

    def categories(self) -> list[str]:
        return self._repo.categories()

    def history(self, sku: str | None = None, limit: int = 200) -> list[CatalogChange]:
        """The newest changes first (one SKU's, or all)."""
        return self._repo.history(sku.strip() if sku else None, limit)
