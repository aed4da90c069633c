"""The reads pre-screening makes (velocity, the merchant side); the decision receipts
are in core/store/receipts_repo.py.

Every count skips cancelled applications. Times are the stored ISO UTC strings, so
ranges are index range scans: the indexes come from migration 0003_prescreen_indexes.
A salesperson's or store's baseline (the days before today) does not change during
the day, so it is computed once per day and kept.

ID numbers, phones and delivery addresses arrive plain (from core/prescreen/facts.py)
and are compared through the keyed hashes the repositories store (``id_hash``,
``phone_hash``, ``delivery_key``): the file holds no comparable plain value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from core.models import (
    CatalogItem,
)
from core.prescreen.facts import Baseline, Today
from core.store.pii import lookup
from core.store.vault import vault_of

_LIVE = "status != 'cancelled'"


_SCOPES = {"operator": "operator_id", "store": "store_id"}


_BaselineKey = tuple[str, str, str, str]  # scope, key, day_start, baseline_start


class _Baselines:
    """The baselines computed on one connection, shared by every repository on it (a
    salesperson's service and the store's alike), with what makes one stale: a row
    written with a time before its day (a back-dated import) changes it."""

    def __init__(self) -> None:
        self.found: dict[_BaselineKey, Baseline] = {}
        self.latest_day = ""  # the latest day_start among them

    def put(self, key: _BaselineKey, value: Baseline) -> None:
        self.found[key] = value
        self.latest_day = max(self.latest_day, key[2])

    def written_at(self, created_at: str) -> None:
        if created_at >= self.latest_day:  # saved in time order: nothing counted it
            return
        self.found = {k: v for k, v in self.found.items() if k[2] <= created_at}
        self.latest_day = max((k[2] for k in self.found), default="")

    def clear(self) -> None:
        self.found.clear()
        self.latest_day = ""


_SHARED = "_loandesk_baselines"  # on the connection


def _baselines_of(db: sqlite_utils.Database) -> _Baselines:
    found = getattr(db.conn, _SHARED, None)
    if not isinstance(found, _Baselines):
        found = _Baselines()
        setattr(db.conn, _SHARED, found)
    return found


class ScreeningRepo:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._baselines = _baselines_of(db)
        self._prices: dict[str, int] | None = None  # catalog_known()'s

    def clear_cache(self) -> None:
        """Forget every baseline: after a transaction that wrote rows rolled back (the
        baselines computed inside it may have counted them)."""
        self._baselines.clear()

    def written_at(self, created_at: str) -> None:
        """An application was just written with this creation time: the baselines of the
        days after it no longer hold (a back-dated row); those of its own day and the
        days before it still do, as a baseline counts only the days before its day."""
        self._baselines.written_at(created_at)

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
        found = self._baselines.found.get(cache_key)
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
            found = Baseline(total, first)
            self._baselines.put(cache_key, found)
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
