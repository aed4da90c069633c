"""Run every head-office signal over applications in the order they arrive.

Each application is judged as of its arrival, on what head office had by then; when
it makes a cluster cross its threshold, earlier members get the flag too
(retroactive, :mod:`server.signals.retro`), with the arriving application as trigger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from server.signals.identity import IdentitySignals
from server.signals.keys import KeyedHasher
from server.signals.params import SignalParams
from server.signals.price import PriceSignals
from server.signals.retro import MemberState, Revision, revise
from server.signals.rows import CatalogEntry, Flag, SignalRow, StoreEntry
from server.signals.store_side import review_store_reasons
from server.signals.volume import VolumeSignals

StatusOf = Callable[[str], str]  # application id -> its central status


@dataclass
class Outcome:
    """Per application: head office's flags, and the store-side reasons that stand
    (``store_kept``) or were explained away (``store_dismissed``)."""

    flags: dict[str, list[Flag]] = field(default_factory=dict)
    store_kept: dict[str, tuple[str, ...]] = field(default_factory=dict)
    store_dismissed: dict[str, dict[str, str]] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)

    def codes(self, application_id: str) -> list[str]:
        return sorted({f.code for f in self.flags.get(application_id, [])})


class SignalEngine:
    def __init__(
        self,
        hasher: KeyedHasher,
        catalog: Iterable[CatalogEntry],
        stores: Iterable[StoreEntry],
        params: SignalParams | None = None,
        status_of: StatusOf | None = None,
    ) -> None:
        self.p = params or SignalParams()
        self.catalog: Mapping[str, CatalogEntry] = {c.sku: c for c in catalog}
        self.pickup = {hasher.address(s.city, s.address) for s in stores}
        self.identity = IdentitySignals(self.p, self.pickup)
        self.volume = VolumeSignals(self.p)
        self.price = PriceSignals(self.p, self.catalog)
        self.status_of = status_of or (lambda _app_id: "submitted")
        self.out = Outcome()

    def add_pickup(self, address_key: str) -> None:
        """A store's own address (learnt later): it links nobody from now on."""
        self.pickup.add(address_key)
        self.identity.graph.ignored.add(f"a:{address_key}")

    def set_catalog(self, entry: CatalogEntry, deleted: bool = False) -> None:
        """A catalog change head office made after the engine started."""
        catalog = self.catalog
        assert isinstance(catalog, dict)
        if deleted:
            catalog.pop(entry.sku, None)
        else:
            catalog[entry.sku] = entry

    def add(self, row: SignalRow) -> list[Flag]:
        """Judge one arriving application; returns its own flags."""
        app_id = row.application_id
        mine = self.out.flags.setdefault(app_id, [])
        kept, dismissed = review_store_reasons(row, self.catalog, self.pickup, self.p)
        self.out.store_kept[app_id] = kept
        if dismissed:
            self.out.store_dismissed[app_id] = dismissed
        hits = [*self.identity.check(row), *self.volume.check(row), *self.price.check(row)]
        for hit in hits:
            if all(f.code != hit.code for f in mine):
                mine.append(Flag(hit.code, hit.detail))
            fresh = [
                a for a in hit.earlier if all(f.code != hit.code for f in self.out.flags.get(a, []))
            ]
            for a in fresh:
                self.out.flags.setdefault(a, []).append(
                    Flag(hit.code, hit.detail, retro=True, trigger=app_id)
                )
            if fresh:
                states = [MemberState(a, self.status_of(a)) for a in fresh]
                self.out.revisions.append(revise(hit.code, app_id, states))
        return mine


def run_signals(
    rows: Iterable[SignalRow],
    hasher: KeyedHasher,
    catalog: Iterable[CatalogEntry],
    stores: Iterable[StoreEntry],
    params: SignalParams | None = None,
    status_of: StatusOf | None = None,
) -> Outcome:
    """Every row in arrival order (``created_at``, then id)."""
    engine = SignalEngine(hasher, catalog, stores, params, status_of)
    for row in sorted(rows, key=lambda r: (r.created_at, r.application_id)):
        engine.add(row)
    return engine.out
