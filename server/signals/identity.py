"""Identity signals across stores, on keyed hashes only.

- ``HO_PHONE_SHARED``: one phone given by more ID numbers than a family shares;
- ``HO_ID_OTHER_NAME``: one ID number under another name;
- ``HO_ID_MANY_STORES``: one ID number at more stores than a customer visits in a month;
- ``HO_ADDRESS_SHARED``: one delivery address for more ID numbers than a household
  (a store's own pick-up address never counts);
- ``HO_RING``: a connected group (phone, ID, address, device) of many ID numbers.

Each counts within its window, as of the arriving application; when it fires, the
earlier members in the window are named for the retroactive flags.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from server.signals.graph import IdentifierGraph
from server.signals.hits import Hit
from server.signals.params import SignalParams
from server.signals.rows import SignalRow

# (time, application id, value that must differ: an ID key, a name key or a store)
Entry = tuple[datetime, str, str]


class IdentitySignals:
    def __init__(self, params: SignalParams, pickup_keys: set[str]) -> None:
        self.p = params
        self.pickup = pickup_keys
        self.by_phone: dict[str, list[Entry]] = {}
        self.by_id_name: dict[str, list[Entry]] = {}
        self.by_id_store: dict[str, list[Entry]] = {}
        self.by_address: dict[str, list[Entry]] = {}
        self.graph = IdentifierGraph(ignored={f"a:{k}" for k in pickup_keys})
        self.times: dict[str, datetime] = {}
        self.ids: dict[str, str] = {}

    @staticmethod
    def _window(entries: list[Entry], since: datetime) -> list[Entry]:
        return [e for e in entries if e[0] >= since]

    def _distinct(
        self, index: dict[str, list[Entry]], key: str, row: SignalRow, value: str, days: int
    ) -> tuple[int, tuple[str, ...]]:
        """Add the row; the distinct values in the window and the earlier ids there."""
        entries = index.setdefault(key, [])
        entries.append((row.created_at, row.application_id, value))
        recent = self._window(entries, row.created_at - timedelta(days=days))
        if len(recent) < len(entries) // 2:  # keep the index from growing without end
            index[key] = recent
        earlier = tuple(e[1] for e in recent if e[1] != row.application_id)
        return len({e[2] for e in recent}), earlier

    def check(self, row: SignalRow) -> list[Hit]:
        p, out = self.p, []
        n, earlier = self._distinct(
            self.by_phone, row.phone_key, row, row.id_key, p.phone_window_days
        )
        if n > p.phone_max_ids:
            out.append(
                Hit("HO_PHONE_SHARED", {"ids": n, "window_days": p.phone_window_days}, earlier)
            )
        n, earlier = self._distinct(
            self.by_id_name, row.id_key, row, row.name_key, p.id_window_days
        )
        if n > p.id_max_names:
            out.append(
                Hit("HO_ID_OTHER_NAME", {"names": n, "window_days": p.id_window_days}, earlier)
            )
        n, earlier = self._distinct(
            self.by_id_store, row.id_key, row, row.store_code, p.id_store_window_days
        )
        if n > p.id_max_stores:
            out.append(
                Hit(
                    "HO_ID_MANY_STORES",
                    {"stores": n, "window_days": p.id_store_window_days},
                    earlier,
                )
            )
        if row.address_key not in self.pickup:
            n, earlier = self._distinct(
                self.by_address, row.address_key, row, row.id_key, p.address_window_days
            )
            if n > p.address_max_ids:
                out.append(
                    Hit(
                        "HO_ADDRESS_SHARED",
                        {"ids": n, "window_days": p.address_window_days},
                        earlier,
                    )
                )
        ring = self._ring(row)
        if ring is not None:
            out.append(ring)
        return out

    def _ring(self, row: SignalRow) -> Hit | None:
        idents = [f"p:{row.phone_key}", f"i:{row.id_key}", f"a:{row.address_key}"]
        if row.device_key:
            idents.append(f"d:{row.device_key}")
        self.times[row.application_id] = row.created_at
        self.ids[row.application_id] = row.id_key
        group = self.graph.add(row.application_id, idents)
        since = row.created_at - timedelta(days=self.p.ring_window_days)
        recent = [a for a in group if self.times[a] >= since]
        n = len({self.ids[a] for a in recent})
        if n < self.p.ring_min_ids:
            return None
        earlier = tuple(a for a in recent if a != row.application_id)
        return Hit("HO_RING", {"ids": n, "window_days": self.p.ring_window_days}, earlier)
