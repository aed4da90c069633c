"""Planted store-side fraud across stores, so checks can be measured, not assumed.

Each pattern gets a share of the planted applications; groups span the stores of one
city, and each event records its pattern, variant and group (the truth file):

- ``phone_ring``: five different people giving one phone; ``burst`` (within three
  days) or ``spaced_16d`` (one every sixteen days, beyond any 30-day window);
- ``shared_address``: six different people with one delivery address, each typed
  another way (室 dropped, 号楼, dashes, full-width digits, spaces): ``spelling``;
- ``salesperson_spike``: ``existing``, a salesperson with history filing 14 in a day,
  or ``new_salesperson``, a new login filing 20 on its first day;
- ``inflated_price``: ``over_60`` (60-160 % over catalog), ``over_29`` (27-29.9 %,
  under the store's 30 % limit), ``unknown_sku`` (a SKU no catalog has) or
  ``no_catalog_pc`` (40-120 % over, filed on the PC that has no catalog);
- ``category_mismatch``: ``tv_as_furniture``, a TV filed as furniture for 36 months;
- ``id_reuse``: ``other_name_phone``, one ID number used at three stores, each time
  under another name and phone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.demo_data.people import ADDRESS_STYLES, Person
from core.demo_data.world import Event, Salesperson, StoreSpec, WorldBuilder
from core.models import OrderLineInput, Scenario

# pattern -> (share of the planted applications, variants in turn)
PATTERNS: dict[str, tuple[float, tuple[str, ...]]] = {
    "phone_ring": (0.2, ("burst", "spaced_16d")),
    "shared_address": (0.2, ("spelling",)),
    "salesperson_spike": (0.2, ("existing", "new_salesperson")),
    "inflated_price": (0.2, ("over_60", "over_29", "unknown_sku", "no_catalog_pc")),
    "category_mismatch": (0.05, ("tv_as_furniture",)),
    "id_reuse": (0.15, ("other_name_phone",)),
}
RING_SIZE, ADDRESS_GROUP, SPIKE_SIZE, NEW_SALESPERSON_SIZE, ID_REUSE_SIZE = 5, 6, 14, 20, 3


GROUP = {
    "phone_ring": RING_SIZE,
    "shared_address": ADDRESS_GROUP,
    "salesperson_spike": SPIKE_SIZE + NEW_SALESPERSON_SIZE,
    "id_reuse": ID_REUSE_SIZE,
}


def shares(total: int) -> dict[str, int]:
    """Planted applications per pattern, adding up to ``total`` exactly: grouped
    patterns get whole groups (a spike pair is 14 + 20), the rest are single
    inflated prices."""
    out = {}
    for name, (share, _variants) in PATTERNS.items():
        size = GROUP.get(name, 1)
        out[name] = int(total * share) // size * size
    out["inflated_price"] += total - sum(out.values())
    return out


class Planter:
    def __init__(self, b: WorldBuilder) -> None:
        self.b = b
        self.r = b.rng
        self.groups = 0

    def group(self, pattern: str) -> str:
        self.groups += 1
        return f"{pattern}-{self.groups:03d}"

    def city_stores(self) -> list[StoreSpec]:
        """The stores of one city (two where the world has them)."""
        stores = self.b.world.stores
        city = self.r.choice(stores).city
        return [s for s in stores if s.city == city]

    def at(self, store: StoreSpec, ago: int) -> tuple[datetime, Salesperson]:
        tl = self.b.timeline
        who = self.r.choice(self.b.active(store.code, ago))
        return tl.during(tl.day(ago)), who

    def event(
        self,
        app_person: Person,
        store: StoreSpec,
        ago: int,
        pattern: str,
        variant: str,
        group: str,
        delivery: str | None = None,
        who: Salesperson | None = None,
    ) -> Event:
        at, chosen = self.at(store, ago)
        who = who or chosen
        if who.first_day < ago:
            at = self.b.timeline.during(self.b.timeline.day(who.first_day))
        app = self.b.application(app_person, store, delivery)
        return Event("", app, at, store.code, who.pc, who.login, pattern, variant, group)

    # --- the patterns -----------------------------------------------------------------
    def phone_ring(self, size: int, variant: str) -> list[Event]:
        stores, group, days = self.city_stores(), self.group("phone_ring"), self.b.world.days
        phone = self.b.gen.phone()
        spaced = variant == "spaced_16d"
        start = self.r.randint(16 * (size - 1) + 1 if spaced else 4, days)
        out = []
        for k in range(size):
            person = self.b.city(stores[0].city).person()
            person.phone = phone
            ago = start - 16 * k if spaced else start - self.r.randint(0, 3)
            out.append(self.event(person, self.r.choice(stores), ago, "phone_ring", variant, group))
        return out

    def shared_address(self, size: int, variant: str) -> list[Event]:
        stores, group = self.city_stores(), self.group("shared_address")
        flat = self.b.city(stores[0].city).new_address()
        start = self.r.randint(7, self.b.world.days)
        out = []
        for k in range(size):
            person = self.b.city(stores[0].city).person()
            text = flat.text(ADDRESS_STYLES[k % len(ADDRESS_STYLES)])
            ago = start - self.r.randint(0, 6)
            out.append(
                self.event(
                    person, self.r.choice(stores), ago, "shared_address", variant, group, text
                )
            )
        return out

    def salesperson_spike(self, size: int, variant: str) -> list[Event]:
        b, group = self.b, self.group("salesperson_spike")
        store = self.r.choice(b.world.stores)
        if variant == "new_salesperson":
            ago = self.r.randint(1, b.world.days - 1)
            n = sum(1 for s in b.world.salespeople if s.store == store.code) + 1
            who = Salesperson(
                f"{store.code.lower()}-s{n:02d}", f"{store.city}销售{n:02d}", store.code,
                store.pcs[0], ago, planted=True,
            )  # fmt: skip
            b.world.salespeople.append(who)
        else:
            ago = self.r.randint(0, b.world.days - 21)  # with three weeks of history
            who = self.r.choice([s for s in b.active(store.code, ago) if s.first_day >= ago + 21])
        city = b.city(store.city)
        return [
            self.event(city.person(), store, ago, "salesperson_spike", variant, group, who=who)
            for _ in range(size)
        ]

    def inflated_price(self, variant: str) -> Event:
        b, r = self.b, self.r
        stores = b.world.stores
        if variant == "no_catalog_pc":
            store = next(s for s in stores if s.no_catalog_pcs)
        else:
            store = r.choice(stores)
        ago = r.randint(0, b.world.days)
        ev = self.event(b.city(store.city).person(), store, ago, "inflated_price", variant, "")
        if variant == "no_catalog_pc":
            pc = store.no_catalog_pcs[0]
            who = r.choice([s for s in b.world.salespeople if s.pc == pc and not s.planted])
            at = b.timeline.during(b.timeline.day(min(ago, who.first_day)))
            ev = replace(ev, pc=pc, salesperson=who.login, created=at)
        app, line = ev.app, ev.app.lines[0]
        catalog = b.catalog[line.sku].price_fen
        if variant == "over_60":
            price = catalog * r.randint(160, 260) // 100
        elif variant == "over_29":
            price = catalog * r.randint(1270, 1299) // 1000
        elif variant == "no_catalog_pc":
            price = catalog * r.randint(140, 220) // 100
        else:  # unknown_sku: a product no catalog lists, priced at will
            n = r.randint(100, 999)
            line = OrderLineInput(f"{line.sku.split('-')[0]}-X{n}", f"特价套装{n}", 0, 1)
            price = r.randint(30, 90) * 100_00
        lines = (replace(line, unit_price_fen=price // 100 * 100), *app.lines[1:])
        return replace(ev, app=b.priced(app, lines))

    def category_mismatch(self, variant: str) -> Event:
        b, r = self.b, self.r
        store = r.choice(b.world.stores)
        ev = self.event(
            b.city(store.city).person(), store, r.randint(0, b.world.days),
            "category_mismatch", variant, "",
        )  # fmt: skip
        tv = b.catalog[r.choice([s for s in b.catalog if s.startswith("APL-TV")])]
        line = OrderLineInput(tv.sku, tv.name, tv.price_fen, 1)
        down = -(-tv.price_fen * r.randint(10, 20) // 100 // 100) * 100
        app = replace(
            ev.app,
            scenario=Scenario.FURNITURE,
            lines=(line,),
            terms=replace(ev.app.terms, down_payment_fen=down, term_months=36),
        )
        return replace(ev, app=app)

    def id_reuse(self, size: int, variant: str) -> list[Event]:
        stores, group = self.b.world.stores, self.group("id_reuse")
        city_stores = self.city_stores()
        owner = self.b.city(city_stores[0].city).person()
        start = self.r.randint(21, self.b.world.days)
        out = []
        used = list(city_stores) + [s for s in stores if s not in city_stores]
        for k in range(size):
            person = owner if k == 0 else self.b.city(city_stores[0].city).person()
            person.id_number = owner.id_number  # the same ID, another name and phone
            store = used[k % len(used)]
            ago = start - self.r.randint(0, 20)
            out.append(self.event(person, store, ago, "id_reuse", variant, group))
        return out


def plant_world(b: WorldBuilder, count: int) -> list[Event]:
    """``count`` planted applications over the patterns (see :data:`PATTERNS`)."""
    p, out = Planter(b), []
    want = shares(count)
    for pattern, (_share, variants) in PATTERNS.items():
        n = want[pattern]
        if pattern == "phone_ring":
            for i in range(n // RING_SIZE):
                out += p.phone_ring(RING_SIZE, variants[i % 2])
        elif pattern == "shared_address":
            for _ in range(n // ADDRESS_GROUP):
                out += p.shared_address(ADDRESS_GROUP, variants[0])
        elif pattern == "salesperson_spike":
            for _ in range(n // GROUP[pattern]):
                out += p.salesperson_spike(SPIKE_SIZE, "existing")
                out += p.salesperson_spike(NEW_SALESPERSON_SIZE, "new_salesperson")
        elif pattern == "inflated_price":
            out += [p.inflated_price(variants[k % len(variants)]) for k in range(n)]
        elif pattern == "category_mismatch":
            out += [p.category_mismatch(variants[0]) for _ in range(n)]
        else:
            for _ in range(n // ID_REUSE_SIZE):
                out += p.id_reuse(ID_REUSE_SIZE, variants[0])
    return out
