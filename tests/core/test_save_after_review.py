"""Save right after the review step's pre-screen takes the outcome the clerk saw (no
second run of the rules), unless the database or the inputs changed, or time passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import core.applications
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.seed import DemoGenerator, load_demo_catalog
from tests.helpers.consent import with_consent

T0 = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def shop(tmp_path: Path) -> Any:
    clock = FixedClock(T0)
    ctx = open_context(resolve_paths(tmp_path / "shop"), clock)
    yield ctx, clock
    ctx.close()


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real pre-screen, counted."""
    seen: list[str] = []
    real = core.applications.prescreen

    def counted(*args: Any, **kwargs: Any) -> Any:
        seen.append("ran")
        return real(*args, **kwargs)

    monkeypatch.setattr(core.applications, "prescreen", counted)
    return seen


def _apps(ctx: AppContext, n: int) -> list[Any]:
    gen = DemoGenerator(11, T0.date(), load_demo_catalog(), ctx.applications.policy)
    return [with_consent(gen.application()) for _ in range(n)]


def test_save_after_review_reuses_the_outcome_the_clerk_saw(shop: Any, runs: list[str]) -> None:
    ctx, clock = shop
    app = _apps(ctx, 1)[0]
    seen = ctx.applications.prescreen(app)
    assert runs == ["ran"]
    clock.advance(timedelta(seconds=40))
    app_id = ctx.applications.save(app)
    assert runs == ["ran"]  # not run again
    receipt = ctx.applications.receipt(app_id)
    assert receipt is not None and receipt.inputs_sha256 == seen.inputs_sha256


def test_a_write_in_between_or_other_inputs_run_the_rules_again(shop: Any, runs: list[str]) -> None:
    ctx, clock = shop
    first, second, third = _apps(ctx, 3)
    ctx.applications.prescreen(first)
    ctx.applications.save(second)  # another save changed the store's history
    assert runs == ["ran", "ran"]
    ctx.applications.save(first)
    assert runs == ["ran", "ran", "ran"]

    ctx.applications.prescreen(third)
    changed = ctx.applications.validate(
        {"scenario": third.scenario.value}
    )  # a validation reads, never writes
    assert changed.value is None
    clock.advance(core.applications.REUSE_SCREEN_FOR + timedelta(seconds=1))
    ctx.applications.save(third)  # too long after the review: run again
    assert runs == ["ran", "ran", "ran", "ran", "ran"]
