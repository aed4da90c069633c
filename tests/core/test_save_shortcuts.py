"""The shortcuts Save takes so it does not do the same work twice give exactly what
the long way gives: the remembered schedule, the receipt's schedule compared as an
object, the remembered decision-graph rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog, paper_consent
from core.models import RepaymentMethod
from core.money import Schedule, build_schedule
from core.prescreen.context import PrescreenContext
from core.prescreen.facts import Subject, graph_inputs
from core.prescreen.rebuild import (
    SCHEDULE_REBUILT,
    compact_schedule,
    compact_signed_schedule,
    schedule_json,
    schedule_text,
)
from core.store.db import BULK_CACHE_KIB
from core.store.screening_repo import ScreeningRepo
from core.validation.application import id_birth_date

T0 = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)


def _terms(s: Schedule, **changed: Any) -> dict[str, Any]:
    """An application row's terms as they read back (text rate, ISO date)."""
    terms: dict[str, Any] = {
        "method": s.method.value,
        "principal_fen": s.principal_fen,
        "annual_rate": str(s.annual_rate),
        "term_months": s.term_months,
        "upfront_fee_fen": s.upfront_fee_fen,
        "period_fee_fen": s.period_fee_fen,
        "first_due_date": s.first_due_date.isoformat() if s.first_due_date else None,
        "due_day": s.due_day,
    }
    terms.update(changed)
    return terms


schedules = st.builds(
    lambda method, principal, rate, term, fee, first, day: build_schedule(
        method,
        principal,
        rate,
        term,
        upfront_fee_fen=min(fee, principal - 1),
        first_due_date=first,
        due_day=day,
    ),
    st.sampled_from(list(RepaymentMethod)),
    st.integers(100, 50_000_000),
    st.decimals(min_value=0, max_value=Decimal("0.36"), places=4),
    st.integers(1, 36),
    st.integers(0, 50_000),
    st.dates(date(2025, 1, 1), date(2028, 12, 31)) | st.none(),
    st.none(),  # the day of the first date (another day must be that day, clamped)
)


@settings(max_examples=150, deadline=None)
@given(schedules, st.sampled_from(["same", "rate", "principal", "date", "fee", "broken"]))
def test_the_signed_schedule_compacts_as_its_text_does(s: Schedule, change: str) -> None:
    changed: dict[str, Any] = {
        "same": {},
        "rate": {"annual_rate": str(s.annual_rate + Decimal("0.0001"))},
        "principal": {"principal_fen": s.principal_fen + 1},
        "date": {"first_due_date": "2029-02-28"},
        "fee": {"period_fee_fen": s.period_fee_fen + 1},
        "broken": {"method": "no_such_method"},
    }[change]
    terms = _terms(s, **changed)
    text = schedule_text(schedule_json(s))
    assert compact_signed_schedule(s, terms) == compact_schedule(text, terms)
    if change == "same":
        assert compact_signed_schedule(s, terms).startswith(SCHEDULE_REBUILT)


def test_a_schedule_equal_in_rows_but_not_as_an_object_is_still_compared_by_text() -> None:
    s = build_schedule(RepaymentMethod.EQUAL_INSTALLMENT, 600_000, Decimal("0.1"), 6)
    # the same rows under a rate written otherwise: unequal objects, the same JSON
    other = replace(s, annual_rate=Decimal("0.10"))
    terms = _terms(s)
    assert compact_signed_schedule(other, terms) == compact_schedule(
        schedule_text(schedule_json(other)), terms
    )
    assert compact_signed_schedule(other, terms).startswith(SCHEDULE_REBUILT)


def test_a_remembered_schedule_keeps_the_rate_as_written() -> None:
    one = build_schedule(RepaymentMethod.EQUAL_PRINCIPAL, 120_000, Decimal("0.1"), 12)
    two = build_schedule(RepaymentMethod.EQUAL_PRINCIPAL, 120_000, Decimal("0.10"), 12)
    three = build_schedule(RepaymentMethod.EQUAL_PRINCIPAL, 120_000, Decimal("0.1"), 12)
    assert (str(one.annual_rate), str(two.annual_rate)) == ("0.1", "0.10")
    assert three is one  # asked again: the same schedule, not built again
    assert one.rows == two.rows
    whole = build_schedule(RepaymentMethod.EQUAL_PRINCIPAL, 120_000, 0, 12)
    assert isinstance(whole.annual_rate, Decimal) and whole.annual_rate == 0


def test_a_remembered_schedule_still_refuses_what_it_always_refused() -> None:
    build_schedule(RepaymentMethod.EQUAL_INSTALLMENT, 1, Decimal("0.1"), 6)
    with pytest.raises(ValueError, match="principal_fen"):
        build_schedule(RepaymentMethod.EQUAL_INSTALLMENT, True, Decimal("0.1"), 6)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        build_schedule(RepaymentMethod.EQUAL_INSTALLMENT, 600_000, 0.1, 6)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="annual_rate"):
        build_schedule(RepaymentMethod.EQUAL_INSTALLMENT, 600_000, Decimal("NaN"), 6)


def test_dating_a_schedule_gives_the_same_dates_remembered_or_not() -> None:
    s = build_schedule(RepaymentMethod.EQUAL_INSTALLMENT, 1_200_000, Decimal("0.12"), 12)
    for n in range(12):  # more dates than one schedule remembers
        first = date(2026, 1 + n, 31 if n in (0, 2, 4, 6, 7, 9, 11) else 28)
        dated = s.with_due_dates(first)
        again = s.with_due_dates(first, first.day)
        assert again is dated
        assert dated.first_due_date == first and dated.due_day == first.day
        assert dated.rows[0].due_date == first
        assert [replace(r, due_date=None) for r in dated.rows] == list(s.rows)
    assert s.with_due_dates(date(2026, 1, 31)).rows[1].due_date == date(2026, 2, 28)


def test_remembered_graph_rows_are_the_ones_the_pack_gives(tmp_path: Path) -> None:
    """Graph inputs asked for again (the review step, then Save), interleaved with
    others and more than are remembered: always the rows the pack itself gives."""
    context = open_context(resolve_paths(tmp_path / "app"), FixedClock(T0))
    try:
        rules = context.applications.rules
        assert rules is not None
        pack = rules.active()
        assert pack is not None
        screening = PrescreenContext(
            rules, ScreeningRepo(context.db), Subject("s", "o", "d", ""), FixedClock(T0)
        )
        gen = DemoGenerator(11, T0.date(), load_demo_catalog())
        graphs = []
        for _ in range(40):
            app = gen.application()
            birth = id_birth_date(app.customer.id_number)
            graphs.append(graph_inputs(app, birth, T0.date(), app.principal_fen // 6))
        order = [0, 1, 0, 2, 1, *range(3, 40), 0, 39, 5]
        for i in order:
            graph = graphs[i]
            expected = pack.evaluate(graph["scenario"], dict(graph))
            assert screening.evaluate(pack, graph["scenario"], graph) == expected
        assert any(pack.evaluate(g["scenario"], dict(g)) for g in graphs)  # some rows fire
    finally:
        context.close()


def _store_baseline(context: AppContext, gen: DemoGenerator) -> int:
    app = gen.application()
    if app.consent is None:
        app = replace(app, consent=paper_consent(T0.date()))
    merchant = context.applications.prescreen(app).inputs["merchant"]
    return int(merchant["store"]["baseline_total"])


def test_a_back_dated_save_is_counted_in_the_baselines_already_worked_out(
    tmp_path: Path,
) -> None:
    """A day's baseline is worked out once and kept; a row saved later with a time
    before that day (an import) is still counted in it, in every service on the file."""
    context = open_context(resolve_paths(tmp_path / "app"), FixedClock(T0))
    try:
        gen = DemoGenerator(5, T0.date(), load_demo_catalog(), context.applications.policy)
        service = context.applications
        other = service.for_operator(service.ensure_operator("sales01", "销售01"))
        service.save_many([(gen.application(), T0 - timedelta(days=1))])
        assert _store_baseline(context, gen) == 1  # worked out now, and kept
        with service.bulk():  # saved in time order after it: nothing changes
            service.save_many([(gen.application(), T0 + timedelta(minutes=1))])
        assert _store_baseline(context, gen) == 1
        other.save_many([(gen.application(), T0 - timedelta(days=3))])  # back-dated
        assert _store_baseline(context, gen) == 2
        with pytest.raises(RuntimeError), service.bulk():  # rolled back: not counted
            service.save_many([(gen.application(), T0 - timedelta(days=2))])
            assert _store_baseline(context, gen) == 3
            raise RuntimeError("the import failed")
        assert _store_baseline(context, gen) == 2
    finally:
        context.close()
    fresh = open_context(resolve_paths(tmp_path / "app"), FixedClock(T0))
    try:  # what a service that kept nothing works out
        assert _store_baseline(fresh, gen) == 2
    finally:
        fresh.close()


def test_loading_many_widens_the_page_cache_and_gives_it_back(tmp_path: Path) -> None:
    context = open_context(resolve_paths(tmp_path / "app"), FixedClock(T0))
    try:

        def cache() -> int:
            return int(context.db.execute("PRAGMA cache_size").fetchone()[0])

        before = cache()
        with context.applications.loading_many():
            assert cache() == -BULK_CACHE_KIB != before
        assert cache() == before
        with pytest.raises(RuntimeError), context.applications.loading_many():
            raise RuntimeError("the import failed")
        assert cache() == before
    finally:
        context.close()
