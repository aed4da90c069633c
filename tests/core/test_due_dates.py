"""Due dates: one calendar month apart on the due day, clamped to shorter months and
never drifting; the saved application, its schedule and its receipt carry them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.applications.due_dates import add_months, default_first_due, due_dates
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import RepaymentMethod
from core.money import build_schedule
from core.store.receipts_repo import ReceiptsRepo
from core.sync.payload import raw_form

D = date


@pytest.mark.parametrize(
    ("first", "n", "day", "expected"),
    [
        # 31 Jan -> 28 Feb -> 31 Mar: the anchor day comes back after a short month
        (D(2025, 1, 31), 4, None, [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30)]),
        # leap year: 29 Feb
        (D(2024, 1, 31), 3, None, [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)]),
        # 30th: February only clamps, March is the 30th again
        (D(2028, 1, 30), 3, None, [D(2028, 1, 30), D(2028, 2, 29), D(2028, 3, 30)]),
        # over a year end, and 2100 is not a leap year
        (D(2099, 12, 29), 3, None, [D(2099, 12, 29), D(2100, 1, 29), D(2100, 2, 28)]),
        # a first date already clamped, aiming at the 31st
        (D(2025, 2, 28), 3, 31, [D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30)]),
        (D(2025, 6, 15), 1, None, [D(2025, 6, 15)]),
    ],
)
def test_due_dates_across_month_ends(
    first: date, n: int, day: int | None, expected: list[date]
) -> None:
    assert list(due_dates(first, n, day)) == expected


def test_a_long_plan_never_drifts_from_the_due_day() -> None:
    dates = due_dates(D(2024, 1, 31), 36)
    assert len(set(dates)) == 36
    for k, d in enumerate(dates):
        month = (1 + k - 1) % 12 + 1
        assert d.month == month  # one calendar month apart, never skipping one
        assert d.day == 31 or add_months(d, 0, 31) == d  # the 31st, or the month's last day


def test_a_first_date_off_its_due_day_is_refused() -> None:
    with pytest.raises(ValueError, match="not on day 31"):
        due_dates(D(2025, 3, 30), 2, 31)


def test_default_first_payment_is_one_month_after_the_application_day() -> None:
    assert default_first_due(D(2025, 1, 31)) == (D(2025, 2, 28), 31)
    assert default_first_due(D(2024, 1, 30)) == (D(2024, 2, 29), 30)
    assert default_first_due(D(2025, 12, 5)) == (D(2026, 1, 5), 5)


def test_schedule_rows_carry_their_due_dates() -> None:
    s = build_schedule(
        RepaymentMethod.EQUAL_INSTALLMENT,
        600_000,
        Decimal("0.0888"),
        6,
        first_due_date=D(2025, 2, 28),
        due_day=31,
    )
    assert [r.due_date for r in s.rows] == [
        D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30),
        D(2025, 5, 31), D(2025, 6, 30), D(2025, 7, 31),
    ]  # fmt: skip
    plain = build_schedule(RepaymentMethod.EQUAL_INSTALLMENT, 600_000, Decimal("0.0888"), 6)
    assert plain.due_dates == () and [r.payment_fen for r in plain.rows] == [
        r.payment_fen for r in s.rows
    ]  # dates change nothing in the amounts or the APR
    assert plain.apr == s.apr


# --- saved applications ------------------------------------------------------------------

CLOCK_AT = datetime(2025, 1, 30, 20, 0, tzinfo=UTC)  # 31 Jan in China (UTC+8)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "shop"), FixedClock(CLOCK_AT))
    yield c
    c.close()


def test_a_saved_application_gets_dates_from_its_day_in_china(ctx: AppContext) -> None:
    gen = DemoGenerator(3, D(2025, 1, 31), load_demo_catalog(), ctx.applications.policy)
    app_id = ctx.applications.save(gen.application())
    detail = ctx.applications.detail(app_id)
    assert detail.terms.first_due_date == D(2025, 2, 28) and detail.due_day == 31
    schedule = ctx.applications.stored_schedule(detail)
    assert schedule.due_dates[:3] == (D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30))
    papers = ctx.applications.receipt_paperwork(app_id)
    assert papers is not None
    assert [r["due_date"] for r in papers["schedule"]] == [
        d.isoformat() for d in schedule.due_dates
    ]
    assert [r["payment_fen"] for r in papers["schedule"]] == [r.payment_fen for r in schedule.rows]


def test_the_store_sets_the_first_payment_date(ctx: AppContext) -> None:
    gen = DemoGenerator(4, D(2025, 1, 31), load_demo_catalog(), ctx.applications.policy)
    app = gen.application()
    raw = raw_form(app)
    raw["terms"]["first_due_date"] = "2025-02-15"
    raw["consent"] = app.consent.to_json() if app.consent else None
    result = ctx.applications.validate(raw)
    assert result.value is not None, [e.code for e in result.errors]
    app_id = ctx.applications.save(result.value)
    schedule = ctx.applications.stored_schedule(ctx.applications.detail(app_id))
    assert schedule.due_dates[:3] == (D(2025, 2, 15), D(2025, 3, 15), D(2025, 4, 15))
    # the receipt's schedule as every reader gets it (stored short, rebuilt from the terms)
    stored = ReceiptsRepo(ctx.db).receipt_schedule(app_id)
    assert stored is not None
    assert json.loads(stored)[0]["due_date"] == "2025-02-15"
