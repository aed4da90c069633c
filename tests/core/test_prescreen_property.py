"""Hypothesis: whatever valid-shaped application comes in, pre-screening answers one
of the three outcomes, never raises, and its receipt hash is the hash of its inputs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo_data import CITIES, DemoGenerator, load_demo_catalog, paper_consent
from core.models import (
    ApplicationInput,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
)
from core.operators.actor import ServiceError
from core.prescreen.outcome import inputs_sha256, replay
from core.validation.application import id_check_char
from tests.core.test_prescreen_support import NOW, Shop

CATALOG = load_demo_catalog()
OUTCOMES = {"PASS", "REFER", "DECLINE"}
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    s = Shop(tmp_path_factory.mktemp("prop"), store_city="北京")
    gen = DemoGenerator(1, NOW.date(), CATALOG)
    s.svc.save_many([(gen.application(), NOW - timedelta(hours=h)) for h in range(300)])
    yield s
    s.close()


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from([r for _, r, _ in CITIES] + ["999999", "000000"]))
    birth = draw(st.dates(date(1900, 1, 1), NOW.date()))
    first17 = f"{region}{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + id_check_char(first17)


cities = st.sampled_from([c for c, _, _ in CITIES] + ["北京市", " 上海 ", "乌鲁木齐"])
text = st.text(min_size=1, max_size=40)


@st.composite
def lines(draw: st.DrawFn) -> OrderLineInput:
    if draw(st.booleans()):
        item = draw(st.sampled_from(CATALOG))
        price = draw(st.one_of(st.just(item.price_fen), st.integers(1, item.price_fen * 3)))
        return OrderLineInput(item.sku, item.name, price, draw(st.integers(1, 99)))
    return OrderLineInput(
        draw(st.text(min_size=1, max_size=40)),
        draw(text),
        draw(st.integers(1, 10_000_000_00)),
        draw(st.integers(1, 99)),
    )


@st.composite
def applications(draw: st.DrawFn) -> ApplicationInput:
    order = tuple(draw(st.lists(lines(), min_size=1, max_size=5)))
    total = sum(ln.amount_fen for ln in order)
    down = draw(st.integers(0, max(total - 1, 0)))
    return ApplicationInput(
        scenario=draw(st.sampled_from(list(Scenario))),
        customer=CustomerInput(
            draw(st.one_of(id_numbers(), id_numbers(), id_numbers(), text)),
            draw(text),
            draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)),
            draw(st.integers(1, 10_000_000_00)),
            draw(cities),
            draw(text),
        ),
        lines=order,
        terms=TermsInput(
            down,
            draw(st.sampled_from([1, 3, 6, 9, 12, 18, 24, 36, 60, 120])),
            draw(st.sampled_from(list(RepaymentMethod))),
        ),
        delivery_city=draw(cities),
        delivery_address=draw(text),
        consent=paper_consent(date(2026, 1, 1)),
    )


#: refusals before the rules run: goods the catalog files under another category
BASKET_REFUSALS = {"BASKET_MIXED", "SCENARIO_NOT_CATALOG"}


def _check(shop: Shop, app: ApplicationInput) -> None:
    try:
        out = shop.svc.prescreen(app)
    except ServiceError as exc:  # a coded refusal the clerk reads, never a crash
        assert exc.code in BASKET_REFUSALS and exc.text("en") != exc.code
        return
    assert out.outcome in OUTCOMES
    assert out.inputs_sha256 == inputs_sha256(out.inputs)
    if out.reasons:
        assert out.outcome == max((r.severity for r in out.reasons), key=["REFER", "DECLINE"].index)
    else:
        assert out.outcome == "PASS"
    for r in out.reasons:
        assert r.text("zh_CN") and r.text("en")
    again = replay(out.inputs, shop.rules.active())
    assert (again.outcome, again.reasons) == (out.outcome, out.reasons)


@SETTINGS
@given(app=applications())
def test_random_applications_never_raise(shop: Shop, app: ApplicationInput) -> None:
    _check(shop, app)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_demo_applications_with_random_seeds(shop: Shop, seed: int) -> None:
    gen = DemoGenerator(seed, NOW.date(), CATALOG)
    for _ in range(3):
        _check(shop, gen.application())


@settings(max_examples=40, deadline=None)
@given(app=applications())
def test_without_a_pack_it_is_always_at_least_refer(app: ApplicationInput) -> None:
    from core.prescreen.facts import Subject
    from core.prescreen.outcome import PrescreenContext, prescreen

    class NoHistory:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"no local reads without a pack ({name})")

    ctx = PrescreenContext(None, NoHistory(), Subject("s", "o", "d", ""), _Clock())  # type: ignore[arg-type]
    out = prescreen(app, ctx)
    assert out.outcome in {"REFER", "DECLINE"}
    assert "RULES_STALE" in out.codes


class _Clock:
    def now(self):  # type: ignore[no-untyped-def]
        return NOW
