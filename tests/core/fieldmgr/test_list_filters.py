"""The applications list's filters: salesperson, date range, pre-screen outcome and the
search text narrow together and equal a direct count; the salespeople offered are those
the actor may list; and no filter makes SQLite read every application when an index
can answer (read from the statements' query plans)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from core.context import AppContext
from core.field.dashboard import Period
from core.models import PRESCREEN_FILTER_OUTCOMES, ListQuery, Status
from core.security.permissions import Role
from core.store.repositories import Repositories
from tests.helpers.roles import operator


def _plan(ctx: AppContext, sql: str, params: list[object]) -> list[str]:
    rows = ctx.db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return [str(r[-1]) for r in rows]


def _march(**filters: object) -> ListQuery:
    start, end = Period.between(date(2026, 3, 1), date(2026, 3, 18)).utc_bounds()
    return ListQuery(created_from=start, created_to=end, **filters)  # type: ignore[arg-type]


def test_salesperson_date_and_outcome_combine(ctx: AppContext) -> None:
    q = _march()
    rows = ctx.db.execute(
        "SELECT id, operator_id, prescreen_outcome, status FROM applications "
        "WHERE created_at >= ? AND created_at < ?",
        [q.created_from, q.created_to],
    ).fetchall()
    assert len(rows) > 20
    operator_id = Counter(r[1] for r in rows).most_common(1)[0][0]
    mine = [r for r in rows if r[1] == operator_id]
    assert ctx.applications.count(_march(operator_id=operator_id)) == len(mine)
    outcomes = Counter(r[2] for r in rows)
    assert outcomes["PASS"] and outcomes["REFER"]  # the seeded data has several outcomes
    for outcome in PRESCREEN_FILTER_OUTCOMES:
        query = _march(operator_id=operator_id, prescreen_outcome=outcome)
        expected = [r[0] for r in mine if r[2] == outcome]
        assert ctx.applications.count(query) == len(expected)
        page = ctx.applications.page(query, 0, 1000)
        assert sorted(r.id for r in page) == sorted(expected)
        assert all(r.operator_name for r in page)  # the salesperson's name rides along
    # with a status and the search text (an application id's start) too
    first = mine[0]
    query = _march(operator_id=operator_id, prescreen_outcome=first[2], status=Status(first[3]))
    assert ctx.applications.count(ListQuery(text=first[0][:13])) >= 1
    narrowed = ListQuery(**{**query.__dict__, "text": first[0]})
    assert [r.id for r in ctx.applications.page(narrowed, 0, 10)] == [first[0]]
    other = next(r[1] for r in rows if r[1] != operator_id)
    elsewhere = ListQuery(**{**narrowed.__dict__, "operator_id": other})
    assert ctx.applications.count(elsewhere) == 0


def test_salespeople_are_those_the_actor_may_list(ctx: AppContext) -> None:
    everyone = ctx.applications.salespeople()
    names = [name for _id, name in everyone]
    assert len(everyone) == 5 and names == sorted(names)
    saved = {r[0] for r in ctx.db.execute("SELECT DISTINCT operator_id FROM applications")}
    assert {i for i, _n in everyone} == saved
    clerk = ctx.as_operator(operator(ctx, Role.CLERK))
    assert clerk.applications.salespeople() == everyone  # the same (only) store


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"operator_id": "x"}, "applications_operator_created (operator_id=? AND created_at>?"),
        ({"prescreen_outcome": "PASS"}, "applications_outcome_created (prescreen_outcome=? AND"),
        ({}, "applications_"),  # a date range alone: an index on created_at
    ],
)
def test_filters_read_an_index_not_every_application(
    ctx: AppContext, filters: dict[str, object], index: str
) -> None:
    repo = Repositories(ctx.db)
    query = _march(**filters)
    for store_id in (None, "store-id"):  # a field manager's, and a store PC's
        for sql, params in (
            repo.count_sql(query, store_id),
            repo.page_sql(query, 0, 200, store_id),
        ):
            plan = _plan(ctx, sql, params)
            reads = [step for step in plan if " applications" in step]
            assert reads, plan
            assert all(step.startswith("SEARCH") for step in reads), plan
            assert any(index in step for step in reads), plan


def test_one_outcome_alone_is_counted_from_its_index(ctx: AppContext) -> None:
    repo = Repositories(ctx.db)
    plan = _plan(ctx, *repo.count_sql(ListQuery(prescreen_outcome="REFER")))
    assert plan == [
        "SEARCH applications USING COVERING INDEX applications_outcome_created "
        "(prescreen_outcome=?)"
    ]
    direct = ctx.db.execute(
        "SELECT count(*) FROM applications WHERE prescreen_outcome = 'REFER'"
    ).fetchone()[0]
    assert ctx.applications.count(ListQuery(prescreen_outcome="REFER")) == direct > 0
