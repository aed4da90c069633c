"""The catalog decides an item: its SKU is matched ignoring case and width, and a basket
takes the scenario of its items' catalog category; a mixed basket is refused with a
message saying to split it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import i18n
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.models import (
    ApplicationInput,
    CatalogItem,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
)
from core.operators.actor import ServiceError
from core.validation.application import parse_application
from tests.helpers.consent import with_consent

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
FRIDGE = CatalogItem("APL-FRG-500", "冰箱 500L", "appliance", 4999_00)
SOFA = CatalogItem("FUR-SOFA-3", "三人沙发", "furniture", 5999_00)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "shop"), FixedClock(NOW))
    c.applications.load_catalog([FRIDGE, SOFA])
    yield c
    c.close()


def _app(scenario: Scenario, *items: CatalogItem) -> ApplicationInput:
    lines = tuple(OrderLineInput(i.sku, i.name, i.price_fen, 1) for i in items)
    return with_consent(
        ApplicationInput(
            scenario=scenario,
            customer=CustomerInput(
                "110105199003071538", "张小明", "13800138000", 8000_00, "北京", "朝阳区建国路88号"
            ),
            lines=lines,
            terms=TermsInput(2000_00, 12, RepaymentMethod.EQUAL_INSTALLMENT),
            delivery_city="北京",
            delivery_address="朝阳区建国路88号",
        )
    )


@pytest.mark.parametrize("typed", ["apl-frg-500", "ＡＰＬ－ＦＲＧ－５００", " Apl-Frg-500 "])
def test_sku_lookup_ignores_case_and_width(ctx: AppContext, typed: str) -> None:
    assert ctx.applications.lookup_sku(typed) == FRIDGE


def test_an_unknown_sku_is_still_unknown(ctx: AppContext) -> None:
    assert ctx.applications.lookup_sku("apl-frg-50") is None


def test_a_mixed_basket_is_refused_with_a_message_to_split_it(ctx: AppContext) -> None:
    app = _app(Scenario.FURNITURE, FRIDGE, SOFA)
    for call in (ctx.applications.prescreen, ctx.applications.save):
        with pytest.raises(ServiceError) as caught:
            call(app)
        assert caught.value.code == "BASKET_MIXED"
    assert "拆分" in i18n.translate("BASKET_MIXED", "zh_CN")
    assert "split" in i18n.translate("BASKET_MIXED", "en")


def test_the_scenario_follows_the_catalog_category(ctx: AppContext) -> None:
    lower = dataclasses.replace(FRIDGE, sku="apl-frg-500")
    with pytest.raises(ServiceError) as caught:
        ctx.applications.save(_app(Scenario.FURNITURE, lower))  # furniture terms: refused
    assert caught.value.code == "SCENARIO_NOT_CATALOG"
    text = i18n.translate(caught.value.code, "en", **caught.value.params)
    assert "Appliance" in text
    app_id = ctx.applications.save(_app(Scenario.APPLIANCE, lower))
    assert ctx.applications.detail(app_id).row.scenario == "appliance"


def test_a_huge_price_names_the_limit(ctx: AppContext) -> None:
    raw = {"order": {"lines": [{"sku": "X", "name": "x", "unit_price": "9" * 20, "quantity": 1}]}}
    result = parse_application(raw, today=NOW.date(), policy=ctx.applications.policy)
    [error] = [e for e in result.errors if e.field == "lines[0].unit_price"]
    assert error.code == "PRICE_TOO_LARGE"
    assert "60,000.00" in error.text("en") and "not a valid amount" not in error.text("en")
