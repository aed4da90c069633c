"""Many-store demo data (core.demo_data): deterministic per seed, in time order, with
families, shared buildings, repeat customers and store pick-ups, and a truth file that
names exactly what was planted."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from core.demo_data.build import build_world, seed_world
from core.demo_data.people import ADDRESS_STYLES, Address
from core.demo_data.planted import PATTERNS
from core.demo_data.vocab import load_demo_catalog
from server.signals.keys import normalise_address

NOW = datetime(2026, 5, 1, 4, 0, tzinfo=UTC)


def _world(seed: int) -> list[tuple[object, ...]]:
    w = build_world(seed, NOW, load_demo_catalog(), 1500, stores=4, plant_rate=0.1)
    return [(e.ref, e.app, e.created, e.pc, e.salesperson, e.pattern, e.variant, e.group)
            for e in w.events]  # fmt: skip


def test_same_seed_same_world_other_seed_other_world() -> None:
    assert _world(5) == _world(5)
    assert _world(5) != _world(6)


def test_world_is_realistic_and_in_time_order() -> None:
    w = build_world(9, NOW, load_demo_catalog(), 3000, stores=6, plant_rate=0.1)
    events = w.events
    assert [e.created for e in events] == sorted(e.created for e in events)
    assert len({e.store for e in events}) == 6 and len({e.pc for e in events}) > 6
    clean = [e for e in events if e.pattern is None]
    for e in clean:  # every city matches its store
        assert e.app.delivery_city == w.store(e.store).city == e.app.customer.home_city
    by_phone = Counter((e.app.customer.phone, e.app.customer.id_number) for e in clean)
    ids_per_phone = Counter(phone for phone, _id in by_phone)
    assert any(n == 2 for n in ids_per_phone.values())  # a family sharing a phone
    repeat = Counter(e.app.customer.id_number for e in clean)
    assert sum(1 for n in repeat.values() if n > 1) > 50  # returning customers
    pickups = [e for e in clean if e.app.delivery_address == w.store(e.store).address]
    assert len(pickups) > 50
    catalog = {c.sku: c.price_fen for c in load_demo_catalog()}
    prices = [ln.unit_price_fen / catalog[ln.sku] for e in clean for ln in e.app.lines]
    assert sum(p < 1 for p in prices) > 0.2 * len(prices)  # discounts and clearance
    assert sum(p > 1 for p in prices) > 0  # installation included
    homes = {e.app.customer.home_address for e in clean}
    buildings = Counter(h.rsplit("栋", 1)[0] for h in homes if "栋" in h)
    assert max(buildings.values()) > 3  # shared buildings
    rings = Counter(e.group for e in events if e.pattern == "phone_ring")
    for group in rings:
        members = [e for e in events if e.group == group]
        assert len({e.app.customer.id_number for e in members}) == 5
        assert len({e.app.customer.phone for e in members}) == 1
    staff = {e.salesperson for e in events if e.variant == "new_salesperson"}
    assert staff and not staff & {e.salesperson for e in clean}


def test_one_flat_in_every_style_normalises_to_one_key() -> None:
    flat = Address("朝阳区建国路", 88, 3, 1201)
    assert len({normalise_address("北京", flat.text(s)) for s in ADDRESS_STYLES}) == 1


def test_seeded_world_and_truth_file(tmp_path: Path) -> None:
    truth = seed_world(tmp_path, 700, 4, NOW, stores=3, plant_rate=0.1)
    assert truth["count"] == 700 and len(truth["planted"]) == 70
    assert sum(truth["patterns"].values()) == 70 and set(truth["patterns"]) <= set(PATTERNS)
    assert set(truth["variants"]) == set(truth["planted"])
    for g in truth["groups"].values():
        assert all(truth["planted"][m] == g["pattern"] for m in g["members"])
    register = json.loads((tmp_path / "stores.json").read_text(encoding="utf-8"))
    assert [s["code"] for s in register["stores"]] == ["S01", "S02", "S03"]
    saved: dict[str, str] = {}
    for pc in sorted((tmp_path / "pcs").iterdir()):
        conn = sqlite3.connect(pc / "loandesk.db")
        rows = conn.execute("SELECT id, created_at FROM applications ORDER BY rowid").fetchall()
        city = conn.execute("SELECT city FROM stores").fetchone()[0]
        conn.close()
        assert city  # the store city is set
        assert [r[1] for r in rows] == sorted(r[1] for r in rows)  # saved in time order
        saved.update(rows)
    assert len(saved) == 700 and set(truth["planted"]) <= set(saved)
    assert set(truth["refs"]) == set(saved)
