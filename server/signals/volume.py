"""Volume signals: a salesperson's or a store's day against their own history and
against their peers' (every salesperson, every store, across head office).

- ``HO_SALESPERSON_SPIKE``: today's count is high for this salesperson *and* for any
  salesperson (so one quiet person's normal busy day is not a spike);
- ``HO_NEW_SALESPERSON_VOLUME``: a salesperson first seen in the last days files many
  more than peers do: with no history of their own, peers are the only norm;
- ``HO_STORE_SPIKE``: the store's day against its own and its peer stores' history.

Days are China days. A salesperson's flag names their earlier applications of the day
(retroactive); a store's flag does not (a whole store's day is not a cluster).
"""

from __future__ import annotations

import statistics
from datetime import date, timedelta

from core.clock import CHINA_TZ
from server.signals.hits import Hit
from server.signals.params import SignalParams
from server.signals.rows import SignalRow


class _Days:
    """Counts per (who, day), and the median active day of everyone, per day."""

    def __init__(self, history_days: int) -> None:
        self.history = history_days
        self.counts: dict[date, dict[str, int]] = {}
        self.apps: dict[tuple[str, date], list[str]] = {}
        self.first: dict[str, date] = {}
        self._peer: dict[date, float | None] = {}

    def add(self, who: str, day: date, app_id: str) -> int:
        today = self.counts.setdefault(day, {})
        today[who] = today.get(who, 0) + 1
        self.apps.setdefault((who, day), []).append(app_id)
        self.first.setdefault(who, day)
        return today[who]

    def _past(self, day: date) -> list[date]:
        return [day - timedelta(days=k) for k in range(1, self.history + 1)]

    def own(self, who: str, day: date) -> tuple[int, float]:
        """Active days in the history window and the average count on them."""
        counts = [self.counts.get(d, {}).get(who, 0) for d in self._past(day)]
        active = [c for c in counts if c > 0]
        return len(active), (sum(active) / len(active) if active else 0.0)

    def peer_median(self, day: date) -> float | None:
        if day not in self._peer:
            values = [c for d in self._past(day) for c in self.counts.get(d, {}).values()]
            self._peer[day] = statistics.median(values) if values else None
        return self._peer[day]


class VolumeSignals:
    def __init__(self, params: SignalParams) -> None:
        self.p = params
        self.people = _Days(params.history_days)
        self.stores = _Days(params.history_days)

    def check(self, row: SignalRow) -> list[Hit]:
        p, out = self.p, []
        day = row.created_at.astimezone(CHINA_TZ).date()
        who = row.salesperson
        n = self.people.add(who, day, row.application_id)
        peer = self.people.peer_median(day) or p.default_peer_daily
        active, own = self.people.own(who, day)
        new = (day - self.people.first[who]).days < p.new_salesperson_days
        if n >= p.spike_min_today and n >= p.spike_peer_ratio * peer:
            detail: dict[str, str | int] = {"today": n, "peer_median": f"{peer:.1f}"}
            earlier = tuple(a for a in self.people.apps[(who, day)] if a != row.application_id)
            if new:
                out.append(Hit("HO_NEW_SALESPERSON_VOLUME", detail, earlier))
            elif active < p.min_history_days or n >= p.spike_own_ratio * own:
                detail["own_average"] = f"{own:.1f}"
                out.append(Hit("HO_SALESPERSON_SPIKE", detail, earlier))
        s = self.stores.add(row.store_code, day, row.application_id)
        store_peer = self.stores.peer_median(day)
        s_active, s_own = self.stores.own(row.store_code, day)
        if (
            s >= p.store_min_today
            and store_peer is not None
            and s >= p.store_peer_ratio * store_peer
            and s_active >= p.min_history_days
            and s >= p.store_own_ratio * s_own
        ):
            out.append(
                Hit("HO_STORE_SPIKE", {"today": s, "own_average": f"{s_own:.1f}",
                                       "peer_median": f"{store_peer:.1f}"})
            )  # fmt: skip
        return out
