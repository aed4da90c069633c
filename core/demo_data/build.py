"""Build a many-store world: clean applications plus the planted patterns, in time
order, each with a stable reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from core.demo_data.planted import plant_world
from core.demo_data.save_world import ProgressFn, save_world
from core.demo_data.truth import truth_of
from core.demo_data.vocab import load_demo_catalog
from core.demo_data.world import World, WorldBuilder
from core.models import CatalogItem, TermsPolicy


def build_world(
    seed: int,
    now: datetime,
    catalog: list[CatalogItem],
    count: int,
    *,
    stores: int = 6,
    days: int | None = None,
    plant_rate: float = 0.0,
    policy: TermsPolicy | None = None,
) -> World:
    """``count`` applications over ``stores`` stores, ``plant_rate`` of them planted; in
    time order, each with a stable ``ref``."""
    days = days or max(120, -(-count // (12 * max(stores, 1))))
    builder = WorldBuilder(seed, now, catalog, policy, stores, days)
    planted = plant_world(builder, round(count * plant_rate))
    events = builder.clean(count - len(planted)) + planted
    events.sort(key=lambda e: (e.created, e.store, e.pc))
    builder.world.events = [replace(e, ref=f"E{i + 1:06d}") for i, e in enumerate(events)]
    return builder.world


def seed_world(
    root: Path,
    count: int,
    seed: int,
    now: datetime,
    *,
    stores: int = 6,
    days: int | None = None,
    plant_rate: float = 0.0,
    progress: ProgressFn | None = None,
) -> dict[str, Any]:
    """Build a world, save it under ``root`` (one data folder per PC, the store
    register) and return its truth (:mod:`core.demo_data.truth`)."""
    catalog = load_demo_catalog()
    world = build_world(seed, now, catalog, count, stores=stores, days=days, plant_rate=plant_rate)
    ids = save_world(world, root, catalog, progress)
    return truth_of(world, ids, plant_rate)
