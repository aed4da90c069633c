"""Fixtures for the sync tests: a data dir, a fixed clock, a fake central on a real
socket, and engines with small timeouts and a seeded RNG."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.sync.engine import SyncEngine, SyncOptions
from core.sync.http import Timeouts
from tests.core.sync.fake_central import FakeCentral
from tests.helpers.evidence import save_with_photos

FAST = Timeouts(connect=2.0, read=3.0, deadline=5.0)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def ctx(tmp_path: Path, clock: FixedClock) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "client"), clock)
    yield c
    c.close()


@pytest.fixture
def gen(clock: FixedClock) -> DemoGenerator:
    return DemoGenerator(5, clock.now().date(), load_demo_catalog())


@pytest.fixture
def central() -> Iterator[FakeCentral]:
    server = FakeCentral()
    yield server
    server.close()


@pytest.fixture
def enrolled(ctx: AppContext, central: FakeCentral) -> AppContext:
    assert ctx.sync is not None
    ctx.sync.enroll(central.url, "S001", "CODE-1234", timeouts=FAST)
    return ctx


MakeEngine = Callable[..., SyncEngine]


@pytest.fixture
def make_engine(enrolled: AppContext) -> Iterator[MakeEngine]:
    made: list[SyncEngine] = []

    def make(**options: Any) -> SyncEngine:
        assert enrolled.sync is not None
        monotonic = options.pop("monotonic", None)
        timeouts = options.pop("timeouts", FAST)
        engine = enrolled.sync.engine(
            timeouts=timeouts,
            options=SyncOptions(**options),
            rng=random.Random(7),
            monotonic=monotonic,
        )
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.http.close()


def save(ctx: AppContext, gen: DemoGenerator, n: int) -> list[str]:
    return [save_with_photos(ctx.applications, gen.application()) for _ in range(n)]


def statuses(ctx: AppContext) -> dict[str, str]:
    return dict(ctx.db.execute("SELECT id, status FROM applications").fetchall())


def outbox_states(ctx: AppContext) -> dict[str, str]:
    return dict(ctx.db.execute("SELECT application_id, state FROM outbox").fetchall())
