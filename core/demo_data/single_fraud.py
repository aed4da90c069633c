"""Planted B-side fraud patterns for demo data, so the merchant-side checks can be
measured rather than assumed (``seed-demo --plant-fraud RATE --truth FILE``, one PC;
the many-store patterns are in :mod:`core.demo_data.planted`).

Patterns, each a quarter of the planted applications:
- ``phone_ring``: groups of 5 different customers giving one phone number within days;
- ``inflated_price``: an order line priced 60-160 % above the catalog price;
- ``salesperson_spike``: one salesperson suddenly filing 14 applications in a day;
- ``shared_address``: groups of 6 different customers with one delivery address.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from core.demo_data.generator import DemoGenerator, Planned, Timeline
from core.demo_data.vocab import CITIES
from core.money import round_fen

PATTERNS = ("phone_ring", "inflated_price", "salesperson_spike", "shared_address")
RING_SIZE, SPIKE_SIZE, ADDRESS_GROUP = 5, 14, 6


def _groups(total: int, size: int) -> list[int]:
    full, rest = divmod(total, size)
    return [size] * full + ([rest] if rest else [])


def plant(gen: DemoGenerator, timeline: Timeline, count: int, salespeople: int) -> list[Planned]:
    r = gen.rng
    share = [count // 4 + (1 if i < count % 4 else 0) for i in range(4)]
    out: list[Planned] = []

    for size in _groups(share[0], RING_SIZE):  # phone rings
        phone, start = gen.phone(), timeline.day()
        for _ in range(size):
            app = gen.application()
            app = replace(app, customer=replace(app.customer, phone=phone))
            at = timeline.during(start + timedelta(days=r.randint(0, 3)))
            out.append(Planned(app, at, r.randrange(salespeople), "phone_ring"))

    for _ in range(share[1]):  # inflated prices
        app = gen.application()
        line = app.lines[0]
        factor = Decimal(r.randint(160, 260)) / 100
        price = round_fen(line.unit_price_fen * factor / 100) * 100
        app = replace(app, lines=(replace(line, unit_price_fen=price), *app.lines[1:]))
        out.append(Planned(app, timeline.any(), r.randrange(salespeople), "inflated_price"))

    for size in _groups(share[2], SPIKE_SIZE):  # salesperson spikes
        who, day = r.randrange(salespeople), timeline.day()
        for _ in range(size):
            out.append(Planned(gen.application(), timeline.during(day), who, "salesperson_spike"))

    for size in _groups(share[3], ADDRESS_GROUP):  # shared delivery addresses
        city, _region, streets = r.choice(CITIES)
        address = (
            f"{r.choice(streets)}{r.randint(1, 999)}号{r.randint(1, 30)}栋{r.randint(101, 2806)}室"
        )
        start = timeline.day()
        for _ in range(size):
            app = replace(gen.application(), delivery_city=city, delivery_address=address)
            at = timeline.during(start + timedelta(days=r.randint(0, 6)))
            out.append(Planned(app, at, r.randrange(salespeople), "shared_address"))
    return out
