"""A many-store demo world in time order (``seed-demo --stores N``).

Stores come two to a city (so customers and fraud can cross stores), each with one or
two PCs and three to five salespeople, plus a new hire part-way through; one PC has no
catalog. Clean customers come from households in shared buildings (one to four adults,
sometimes one phone between two), some come back (same ID, sometimes a new phone), some
pick the goods up at the store, and prices carry discounts, clearance and installation.
Planted patterns (:mod:`core.demo_data.planted`) are added on top. Everything is drawn
from one seeded RNG: the same seed and ``now`` give the same world.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from core.demo_data.generator import DemoGenerator, Timeline
from core.demo_data.people import ADDRESS_STYLES, City, Person
from core.demo_data.vocab import CITIES
from core.models import (
    ApplicationInput,
    CatalogItem,
    CustomerInput,
    OrderLineInput,
    TermsPolicy,
)


@dataclass(frozen=True)
class StoreSpec:
    code: str
    name: str
    city: str
    address: str  # the pick-up address customers give when they collect at the store
    pcs: tuple[str, ...]
    no_catalog_pcs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Salesperson:
    login: str
    name: str
    store: str
    pc: str
    first_day: int  # days ago of the first working day
    weight: float = 1.0
    planted: bool = False  # exists only for a planted pattern


@dataclass(frozen=True)
class Event:
    """One application as it will be saved: where, when, by whom, and whether planted."""

    ref: str  # E00001... in time order: stable across runs with the same seed
    app: ApplicationInput
    created: datetime  # aware
    store: str
    pc: str
    salesperson: str  # login
    pattern: str | None = None
    variant: str | None = None
    group: str | None = None


@dataclass
class World:
    seed: int
    now: datetime
    days: int
    stores: tuple[StoreSpec, ...]
    salespeople: list[Salesperson]
    events: list[Event] = field(default_factory=list)

    def store(self, code: str) -> StoreSpec:
        return next(s for s in self.stores if s.code == code)


REPEAT_SHARE = 0.08  # returning customers among clean applications
PICKUP_SHARE = 0.05  # delivery to the store's own address (collected at the counter)
OTHER_ADDRESS_SHARE = 0.15  # delivery to another flat (a relative's, a new home)


class WorldBuilder:
    def __init__(
        self,
        seed: int,
        now: datetime,
        catalog: list[CatalogItem],
        policy: TermsPolicy | None,
        stores: int,
        days: int,
    ) -> None:
        self.gen = DemoGenerator(seed, now.date(), catalog, policy)
        self.rng = self.gen.rng
        self.timeline = Timeline(self.rng, now, days)
        self.catalog = {c.sku: c for c in catalog}
        self.world = World(seed, now, days, (), [])
        self.cities: dict[str, City] = {}
        self._stores(stores)

    # --- stores and staff -------------------------------------------------------------
    def city(self, name: str) -> City:
        if name not in self.cities:
            _n, region, streets = next(c for c in CITIES if c[0] == name)
            self.cities[name] = City(name, region, streets, self.gen)
        return self.cities[name]

    def _stores(self, count: int) -> None:
        r, days = self.rng, self.world.days
        specs: list[StoreSpec] = []
        for i in range(count):
            city, _region, streets = CITIES[(i // 2) % len(CITIES)]
            code = f"S{i + 1:02d}"
            pcs = (f"{code}-PC1", f"{code}-PC2") if i % 3 == 0 else (f"{code}-PC1",)
            specs.append(
                StoreSpec(
                    code,
                    f"{city}{i + 1}号店",
                    city,
                    f"{r.choice(streets)}{r.randint(1, 999)}号商场1层",
                    pcs,
                    pcs[-1:] if i == 0 else (),  # one PC never got the catalog
                )
            )
            staff = r.randint(3, 5)
            for k in range(staff + 1):  # the last one is a new hire
                first = days if k < staff else r.randint(10, max(11, days // 2))
                self.world.salespeople.append(
                    Salesperson(
                        f"{code.lower()}-s{k + 1:02d}",
                        f"{city}销售{k + 1:02d}",
                        code,
                        pcs[k % len(pcs)],
                        first,
                        r.uniform(0.6, 1.4),
                    )
                )
        self.world.stores = tuple(specs)

    def active(self, store: str, ago: int) -> list[Salesperson]:
        return [
            s
            for s in self.world.salespeople
            if s.store == store and not s.planted and s.first_day >= ago
        ]

    # --- applications -----------------------------------------------------------------
    def priced(self, app: ApplicationInput, lines: tuple[OrderLineInput, ...]) -> ApplicationInput:
        """``app`` with new lines, its down payment kept at the same share of the order."""
        old, new = app.order_total_fen, sum(ln.amount_fen for ln in lines)
        ratio = Decimal(app.terms.down_payment_fen) / old if old else Decimal(0)
        down = math.ceil(new * ratio / 100) * 100 if ratio else 0
        return replace(app, lines=lines, terms=replace(app.terms, down_payment_fen=min(down, new)))

    def store_prices(self, app: ApplicationInput) -> ApplicationInput:
        """Discounts (a quarter of lines, 3-15 % off), clearance (3 %, 20-35 % off) and
        installation included (3 % of appliances, up to 8 % over): never all at catalog."""
        r = self.rng
        lines = []
        for ln in app.lines:
            x = r.random()
            price = ln.unit_price_fen
            if x < 0.25:
                price = price * (100 - r.randint(3, 15)) // 100
            elif x < 0.28:
                price = price * (100 - r.randint(20, 35)) // 100
            elif x < 0.31 and app.scenario.value == "appliance":
                price = price * (100 + r.randint(2, 8)) // 100
            if price != ln.unit_price_fen:
                price = max(1000, price // 1000 * 1000)  # whole ten yuan
            lines.append(replace(ln, unit_price_fen=price))
        return self.priced(app, tuple(lines))

    def application(
        self, person: Person, store: StoreSpec, delivery: str | None = None
    ) -> ApplicationInput:
        """A clean order of ``person`` at ``store`` (the city is the store's)."""
        app = self.store_prices(self.gen.application())
        style = "plain" if self.rng.random() < 0.7 else self.rng.choice(ADDRESS_STYLES)
        home = person.home.text(style)
        if delivery is None:
            x = self.rng.random()
            if x < PICKUP_SHARE:
                delivery = store.address
            elif x < PICKUP_SHARE + OTHER_ADDRESS_SHARE:
                delivery = self.city(store.city).new_address().text()
            else:
                delivery = home
        customer = CustomerInput(
            person.id_number, person.name, person.phone, person.income_fen, person.city, home
        )
        return replace(
            app,
            customer=customer,
            delivery_city=store.city,
            delivery_address=delivery,
        )

    def clean(self, count: int) -> list[Event]:
        """``count`` clean applications: slots (store, day, salesperson, time) first, then
        customers in time order, so a returning customer has really applied before."""
        r, tl, world = self.rng, self.timeline, self.world
        weights = [r.uniform(0.7, 1.4) for _ in world.stores]
        slots: list[tuple[datetime, StoreSpec, Salesperson]] = []
        for _ in range(count):
            store = r.choices(world.stores, weights=weights)[0]
            while True:
                ago = r.randint(0, world.days)
                weekend = tl.day(ago).weekday() >= 5
                if weekend or r.random() < 0.7:
                    break
            staff = self.active(store.code, ago)
            who = r.choices(staff, weights=[s.weight for s in staff])[0]
            slots.append((tl.during(tl.day(ago)), store, who))
        slots.sort(key=lambda s: s[0])
        seen: dict[str, list[Person]] = {}
        out = []
        for at, store, who in slots:
            past = seen.setdefault(store.city, [])
            if past and r.random() < REPEAT_SHARE:
                person = r.choice(past)
                if r.random() < 0.1:
                    person.phone = self.gen.phone()  # a new number since last time
            else:
                person = self.city(store.city).next_customer()
                past.append(person)
            person.applications += 1
            out.append(
                Event("", self.application(person, store), at, store.code, who.pc, who.login)
            )
        return out
