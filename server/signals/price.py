"""Price signals per order line, against the catalog and across stores.

- ``HO_PRICE_OVER_CATALOG``: more than the allowed margin over the catalog price
  (a PC with no catalog, or a price just under the store's own limit, is caught here);
- ``HO_CATEGORY_MISMATCH``: the SKU's catalog category is not the application's
  scenario (a TV filed as furniture for a longer term);
- ``HO_PRICE_OVER_PEERS``: a SKU the catalog lacks, priced over what other stores
  charge for it;
- ``HO_SKU_UNVERIFIABLE``: a SKU neither the catalog nor enough other stores know,
  above a minimum amount: its price cannot be checked.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from datetime import datetime, timedelta

from server.signals.hits import Hit
from server.signals.params import SignalParams
from server.signals.rows import CatalogEntry, SignalRow


class PriceSignals:
    def __init__(self, params: SignalParams, catalog: Mapping[str, CatalogEntry]) -> None:
        self.p = params
        self.catalog = catalog
        self.seen: dict[str, list[tuple[datetime, str, int]]] = {}  # sku -> (at, store, price)

    def _peers(self, row: SignalRow, sku: str) -> tuple[int, float | None]:
        since = row.created_at - timedelta(days=self.p.peer_price_window_days)
        others = [
            (store, price)
            for at, store, price in self.seen.get(sku, [])
            if at >= since and store != row.store_code
        ]
        if not others:
            return 0, None
        return len({s for s, _ in others}), statistics.median(p for _, p in others)

    def check(self, row: SignalRow) -> list[Hit]:
        p, out = self.p, []
        for line in row.lines:
            entry = self.catalog.get(line.sku)
            price = line.unit_price_fen
            if entry is not None:
                if entry.category != row.scenario:
                    out.append(
                        Hit("HO_CATEGORY_MISMATCH",
                            {"sku": line.sku, "category": entry.category, "scenario": row.scenario})
                    )  # fmt: skip
                if price > entry.price_fen * (1 + p.price_over_max):
                    over = round((price / entry.price_fen - 1) * 100)
                    out.append(Hit("HO_PRICE_OVER_CATALOG", {"sku": line.sku, "over_pct": over}))
            else:
                stores, median = self._peers(row, line.sku)
                if median is not None and stores >= p.peer_min_stores:
                    if price > median * (1 + p.price_over_max):
                        over = round((price / median - 1) * 100)
                        out.append(Hit("HO_PRICE_OVER_PEERS", {"sku": line.sku, "over_pct": over}))
                elif price >= p.unverifiable_min_fen:
                    out.append(Hit("HO_SKU_UNVERIFIABLE", {"sku": line.sku, "stores": stores}))
            self.seen.setdefault(line.sku, []).append((row.created_at, row.store_code, price))
        return out
