"""The dashboard's figures against a direct count of the same seeded rows, the list's
new filters, and the catalog page (search, history, suggestions)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from core.catalog import CatalogService
from core.clock import CHINA_TZ
from core.context import AppContext
from core.field.dashboard import Period, dashboard, stuck_query, utc_start
from core.models import CatalogItem, ListQuery
from core.operators.actor import Actor
from core.security.permissions import PermissionDenied, Role
from tests.core.fieldmgr.conftest import NOW


def _direct(c: AppContext, period: Period) -> list[dict[str, object]]:
    first = datetime.combine(period.first, datetime.min.time(), CHINA_TZ)
    last = datetime.combine(period.last + timedelta(days=1), datetime.min.time(), CHINA_TZ)
    out = []
    for row in c.db.execute(
        "SELECT a.id, a.created_at, a.scenario, a.status, a.principal_fen, a.order_total_fen, "
        "o.display_name, r.outcome, d.approved_amount_fen FROM applications a "
        "JOIN operators o ON o.id = a.operator_id "
        "LEFT JOIN prescreen_receipts r ON r.application_id = a.id "
        "LEFT JOIN decisions d ON d.application_id = a.id"
    ).fetchall():
        at = datetime.fromisoformat(row[1])
        if first <= at < last:
            keys = ("id", "at", "scenario", "status", "principal", "total", "who", "outcome")
            out.append({**dict(zip(keys, row, strict=False)), "approved_amount": row[8]})
    return out


@pytest.mark.parametrize("which", ["today", "week", "month", "range", "all"])
def test_figures_equal_a_direct_count(ctx: AppContext, which: str) -> None:
    clock = ctx.clock
    period = {
        "today": Period.today(clock),
        "week": Period.this_week(clock),
        "month": Period.this_month(clock),
        "range": Period.between(date(2026, 2, 10), date(2026, 1, 25)),
        "all": Period.between(date(2020, 1, 1), date(2030, 1, 1)),
    }[which]
    rows = _direct(ctx, period)
    d = dashboard(ctx.db, ctx.actor, clock, period)
    assert d.totals.applications == len(rows)
    if which != "today":
        assert len(rows) > 5  # the seeded data reaches into every period tested
    assert d.totals.principal_fen == sum(int(r["principal"]) for r in rows)  # type: ignore[call-overload]
    assert d.totals.order_total_fen == sum(int(r["total"]) for r in rows)  # type: ignore[call-overload]
    approved_amount = sum(int(r["approved_amount"] or 0) for r in rows if r["status"] == "approved")  # type: ignore[call-overload]
    assert d.totals.approved_amount_fen == approved_amount
    assert d.totals.prescreen == dict(Counter(str(r["outcome"] or "none") for r in rows))
    decided = Counter(
        str(r["status"]) for r in rows if r["status"] in ("approved", "declined", "review")
    )
    assert d.totals.decisions == dict(decided)
    final = decided["approved"] + decided["declined"]
    if final:
        assert d.totals.approval_rate is not None
        assert abs(float(d.totals.approval_rate) - decided["approved"] / final) < 0.0001
    assert {f.label: f.applications for f in d.by_salesperson} == dict(
        Counter(str(r["who"]) for r in rows)
    )
    assert {f.key: f.applications for f in d.by_scenario} == dict(
        Counter(str(r["scenario"]) for r in rows)
    )
    assert sum(f.applications for f in d.by_store) == len(rows)
    # each figure opens the list filtered to exactly those applications
    for f in d.by_salesperson:
        assert ctx.applications.count(d.list_query(operator_id=f.key)) == f.applications
    for f in d.by_scenario:
        assert ctx.applications.count(d.list_query(scenario=f.key)) == f.applications
    assert ctx.applications.count(d.list_query()) == len(rows)


def test_stuck_figures_and_their_lists(ctx: AppContext) -> None:
    d = dashboard(ctx.db, ctx.actor, ctx.clock, Period.today(ctx.clock))
    before = (NOW - timedelta(days=3)).isoformat(timespec="milliseconds")
    waiting = ctx.db.execute(
        "SELECT count(*) FROM applications WHERE status IN ('queued', 'submitted') "
        "AND created_at < ?",
        [before],
    ).fetchone()[0]
    assert d.stuck.waiting == waiting > 0
    assert (d.stuck.returned, d.stuck.kept_aside) == (1, 1)
    assert d.stuck.in_review == 50
    for kind, figure in (
        ("waiting", d.stuck.waiting),
        ("returned", 1),
        ("kept_aside", 1),
        ("in_review", 50),
    ):
        assert ctx.applications.count(stuck_query(kind, ctx.clock)) == figure


def test_list_rows_name_the_salesperson_and_filters_keep_old_behaviour(ctx: AppContext) -> None:
    page = ctx.applications.page(ListQuery(), 0, 5)
    assert all(row.operator_name.startswith("销售") for row in page)
    assert ctx.applications.count(ListQuery()) == 400
    day = date(2026, 3, 1)
    start, end = utc_start(day), utc_start(day + timedelta(days=1))
    q = ListQuery(created_from=start, created_to=end, sort_column="principal_fen")
    rows = ctx.applications.page(q, 0, 500)
    assert rows and all(start <= r.created_at < end for r in rows)


def test_clerks_do_not_see_the_dashboard(ctx: AppContext) -> None:
    clerk = Actor(ctx.actor.store_id, ctx.actor.operator_id, Role.CLERK)
    with pytest.raises(PermissionDenied):
        dashboard(ctx.db, clerk, ctx.clock, Period.today(ctx.clock))


def test_catalog_search_history_and_suggestions(ctx: AppContext) -> None:
    catalog = CatalogService(ctx.db)
    some = catalog.search()[0]
    wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in some.sku.lower())
    assert some in catalog.search(wide)  # full-width, lower case: still found
    assert some in catalog.suggest_skus(some.sku[:3].lower())
    assert catalog.suggest_skus("") == []
    assert all(i.category == "furniture" for i in catalog.search(category="furniture"))
    cheap = catalog.search(max_price_fen=100_000)
    assert cheap and all(i.price_fen <= 100_000 for i in cheap)

    history_before = len(catalog.history(limit=10_000))
    ctx.applications.load_catalog([CatalogItem(some.sku, some.name, some.category, 12_345)])
    ctx.applications.load_catalog([CatalogItem(some.sku, some.name, some.category, 12_345)])
    changes = catalog.history(some.sku)
    assert changes[0].change == "changed" and changes[0].old_price_fen == some.price_fen
    assert changes[0].new_price_fen == 12_345
    assert len(catalog.history(limit=10_000)) == history_before + 1  # same values: no row
