"""Save a many-store world: one LoanDesk data folder per PC, each application
pre-screened and saved in time order as of its creation time, seeing only that PC's
own history (as a real counter does), with the photos the rule pack requires
(core.demo_data.photos).

Layout under the root folder::

    pcs/<PC>/          a LoanDesk data folder (settings name the store and its city)
    stores.json        the head office's store register (code, name, city, pick-up
                       address, PCs): reference data, no personal data

The truth file (:mod:`core.demo_data.truth`) maps the saved ids to what was planted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from core.demo_data.photos import DemoEvidence
from core.demo_data.world import Event, World
from core.models import CatalogItem

if TYPE_CHECKING:
    from core.applications.service import ApplicationService

REGISTER = "stores.json"
PCS = "pcs"

ProgressFn = Callable[[int, int], None]


def pc_dir(root: Path, pc: str) -> Path:
    return root / PCS / pc


def write_register(world: World, root: Path) -> Path:
    path = root / REGISTER
    stores = [
        {
            "code": s.code,
            "name": s.name,
            "city": s.city,
            "address": s.address,
            "pcs": list(s.pcs),
            "no_catalog_pcs": list(s.no_catalog_pcs),
        }
        for s in world.stores
    ]
    root.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"stores": stores}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return path


def _runs(events: list[Event]) -> list[list[Event]]:
    runs: list[list[Event]] = []
    for e in events:
        if runs and runs[-1][0].salesperson == e.salesperson:
            runs[-1].append(e)
        else:
            runs.append([e])
    return runs


def save_world(
    world: World,
    root: Path,
    catalog: list[CatalogItem],
    progress: ProgressFn | None = None,
    batch: int = 2000,
) -> dict[str, str]:
    """Save every event into its PC's data folder; returns event ref -> application id."""
    from core.config import Settings, resolve_paths
    from core.context import open_context

    write_register(world, root)
    ids: dict[str, str] = {}
    total = len(world.events)
    for store in world.stores:
        for pc in store.pcs:
            paths = resolve_paths(pc_dir(root, pc))
            paths.ensure()
            settings = Settings(paths.settings_file)
            settings.set("store_code", store.code)
            settings.set("store_name", store.name)
            settings.set("store_city", store.city)
            settings.save()
            ctx = open_context(paths)
            try:
                service = ctx.applications
                if pc not in store.no_catalog_pcs:
                    service.load_catalog(catalog)
                staff = {
                    s.login: service.for_operator(service.ensure_operator(s.login, s.name))
                    for s in world.salespeople
                    if s.pc == pc
                }
                mine = [e for e in world.events if e.pc == pc]
                photos = DemoEvidence(service)
                with service.loading_many():
                    _save_mine(service, staff, mine, photos, ids, batch, total, progress)
            finally:
                ctx.close()
    return ids


def _save_mine(
    service: ApplicationService,
    staff: dict[str, ApplicationService],
    mine: list[Event],
    photos: DemoEvidence,
    ids: dict[str, str],
    batch: int,
    total: int,
    progress: ProgressFn | None,
) -> None:
    """One PC's events, in chunks of ``batch``, one commit each."""
    for start in range(0, len(mine), batch):
        chunk = mine[start : start + batch]
        ahead = [(e.app, e.created.astimezone(UTC)) for e in chunk]
        with service.bulk(ahead):  # one commit per chunk, runs as savepoints
            for run in _runs(chunk):
                saved = staff[run[0].salesperson].save_many(
                    [(e.app, e.created.astimezone(UTC)) for e in run],
                    [photos.for_app(e.app) for e in run],
                )
                ids.update((e.ref, i) for e, i in zip(run, saved, strict=True))
        if progress:
            progress(len(ids), total)
