"""One PC's demo data (``seed-demo`` without ``--stores``): ``count`` applications
of one store, some carrying the single-PC planted patterns
(:mod:`core.demo_data.single_fraud`), saved in time order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.demo_data.generator import DemoGenerator, Planned, Timeline, auto_days
from core.demo_data.photos import DemoEvidence
from core.demo_data.single_fraud import plant
from core.demo_data.vocab import load_demo_catalog
from core.models import CatalogItem, TermsPolicy

if TYPE_CHECKING:
    from core.applications.service import ApplicationService


def generate(
    count: int,
    seed: int,
    now: datetime,
    catalog: list[CatalogItem],
    policy: TermsPolicy | None = None,
    days: int | None = None,
    salespeople: int = 1,
    plant_rate: float = 0.0,
) -> list[Planned]:
    """``count`` applications, oldest first; ``plant_rate`` of them carry B-side fraud
    patterns (see :mod:`core.demo_data.single_fraud`)."""
    gen = DemoGenerator(seed, now.date(), catalog, policy)
    timeline = Timeline(gen.rng, now, days or auto_days(count))
    planted = plant(gen, timeline, round(count * plant_rate), salespeople)
    clean = [
        Planned(gen.application(), timeline.any(), gen.rng.randrange(salespeople))
        for _ in range(count - len(planted))
    ]
    return sorted(clean + planted, key=lambda p: p.created)


ProgressFn = Callable[[int, int], None]


@dataclass
class SeedResult:
    saved: int = 0
    planted: dict[str, str] = field(default_factory=dict)  # application id -> pattern


def seed_demo(
    service: object,
    count: int,
    seed: int,
    now: datetime,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    batch: int = 2000,
    *,
    salespeople: int = 12,
    days: int | None = None,
    plant_rate: float = 0.0,
) -> SeedResult:
    """Load the demo catalog, ``salespeople`` salespersons and ``count`` applications,
    each pre-screened and saved like a clerk's (in batches, one transaction each), with
    the photos the rule pack requires (core.demo_data.photos)."""
    from core.applications.service import ApplicationService

    assert isinstance(service, ApplicationService)
    catalog = load_demo_catalog()
    service.load_catalog(catalog)
    staff = [
        service.for_operator(service.ensure_operator(f"sales{i + 1:02d}", f"销售{i + 1:02d}"))
        for i in range(salespeople)
    ]
    plan = generate(count, seed, now, catalog, service.policy, days, salespeople, plant_rate)
    photos = DemoEvidence(service)  # what the rule pack requires, as a clerk attaches it
    result = SeedResult()
    with service.loading_many():
        _save_plan(service, staff, plan, photos, result, count, batch, progress, cancel)
    return result


def _save_plan(
    service: ApplicationService,
    staff: list[ApplicationService],
    plan: list[Planned],
    photos: DemoEvidence,
    result: SeedResult,
    count: int,
    batch: int,
    progress: ProgressFn | None,
    cancel: Callable[[], bool] | None,
) -> None:
    for start in range(0, len(plan), batch):
        chunk = plan[start : start + batch]
        # in time order: each is pre-screened seeing every earlier one, whoever filed it;
        # one transaction per chunk, one save_many per run of one salesperson
        with service.bulk(ahead=[(p.app, p.created.astimezone(UTC)) for p in chunk]):
            for who, run in salesperson_runs(chunk):
                ids = staff[who].save_many(
                    [(p.app, p.created.astimezone(UTC)) for p in run],
                    [photos.for_app(p.app) for p in run],
                )
                result.planted.update(
                    (app_id, p.pattern) for app_id, p in zip(ids, run, strict=True) if p.pattern
                )
        result.saved += len(chunk)
        if progress:
            progress(result.saved, count)
        if cancel and cancel():
            break


def salesperson_runs(plan: list[Planned]) -> list[tuple[int, list[Planned]]]:
    """``plan`` (in time order) cut into runs of consecutive applications by one
    salesperson."""
    runs: list[tuple[int, list[Planned]]] = []
    for p in plan:
        if runs and runs[-1][0] == p.salesperson:
            runs[-1][1].append(p)
        else:
            runs.append((p.salesperson, [p]))
    return runs
