"""The indexes dropped because a longer one leads with the same columns: the lookups and
orders they served still read an index, never the whole table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "d"), FixedClock(datetime(2026, 3, 18, tzinfo=UTC)))
    yield c
    c.close()


def _plan(ctx: AppContext, sql: str, params: list[object]) -> str:
    rows = ctx.db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def test_the_prefix_indexes_are_gone(ctx: AppContext) -> None:
    names = {r[0] for r in ctx.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "outbox_queue" not in names
    assert "applications_created" not in names
    assert {"outbox_state", "applications_dashboard"} <= names


def test_an_outbox_state_lookup_still_reads_an_index(ctx: AppContext) -> None:
    plan = _plan(ctx, "SELECT count(*) FROM outbox WHERE state = ?", ["pending"])
    assert plan.startswith("SEARCH outbox USING"), plan  # an index search, not a table scan


def test_a_date_range_reads_an_index_in_created_order(ctx: AppContext) -> None:
    plan = _plan(
        ctx,
        "SELECT id FROM applications WHERE created_at >= ? AND created_at < ? "
        "ORDER BY created_at DESC LIMIT 50",
        ["2026-03-01", "2026-03-18"],
    )
    assert "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # the index gives the order: no sort step
