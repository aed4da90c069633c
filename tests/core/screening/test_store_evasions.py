"""The store's own pre-screen against the cheap evasions that used to pass it: an
unknown SKU at any price, a PC with no catalog, a price 29 % over catalog, a new
salesperson filing 20 on day one; and the pack's per-scenario borrower and
store-side thresholds (its ``age`` and ``affordability`` sections are used)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.models import OrderLineInput, Scenario, TermsInput
from core.prescreen.params import parse_params
from tests.core.test_prescreen_support import (
    Shop,
    age_id,
    clean_app,
    codes,
    person,
    reason,
    unsigned_pack,
    with_lines,
)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    s = Shop(tmp_path)
    yield s
    s.close()


def test_an_unknown_sku_is_unverifiable_above_the_packs_amount(shop: Shop) -> None:
    dear = OrderLineInput("NO-SUCH-SKU", "样品电视", 4999_00, 1)
    r = reason(shop.screen(with_lines(clean_app(), dear)), "PRICE_UNVERIFIABLE")
    assert (r.severity, r.side, r.facts["sku"]) == ("REFER", "merchant", "NO-SUCH-SKU")
    assert "1000" not in r.text("zh_CN")  # the clerk is told what to check, not the floor
    cheap = OrderLineInput("NO-SUCH-SKU", "配件", 99_00, 1)
    assert "PRICE_UNVERIFIABLE" not in codes(shop.screen(with_lines(clean_app(), cheap)))


def test_a_pc_without_a_catalog_does_not_skip_the_price_check_silently(shop: Shop) -> None:
    shop.db.execute("DELETE FROM catalog")
    out = shop.screen(clean_app())  # a catalog SKU at the catalog price, on a bare PC
    assert out.outcome == "REFER" and "PRICE_UNVERIFIABLE" in codes(out)


def test_a_price_29_percent_over_catalog_is_referred(shop: Shop) -> None:
    inflated = OrderLineInput("APL-TV-55", "55英寸4K智能电视", 3869_00, 1)  # 2999 + 29 %
    r = reason(shop.screen(with_lines(clean_app(), inflated)), "PRICE_DEVIATION")
    assert r.facts["deviation_pct"] == "29"


def test_a_new_salesperson_filing_20_on_day_one_is_capped(shop: Shop) -> None:
    newcomer = shop.second_operator()
    for i in range(7):
        newcomer.save(person(i))
    assert "NEW_SALESPERSON_CAP" not in codes(newcomer.prescreen(person(40)))  # the 8th: the cap
    for i in range(7, 19):
        newcomer.save(person(i))
    out = newcomer.prescreen(person(41))  # the 20th today, no earlier day to compare with
    r = reason(out, "NEW_SALESPERSON_CAP")
    assert (r.facts["today"], r.facts["cap"]) == (20, 8)
    assert "SALESPERSON_SPIKE" not in codes(out)  # no history: a spike cannot see it


def test_the_scenarios_own_affordability_threshold(shop: Shop) -> None:
    # PTI about 0.37: under the pack-wide refer line (0.4), over furniture's own (0.35)
    sofa = OrderLineInput("FUR-SOFA-3", "三人沙发", 8999_00, 1)
    base = replace(
        clean_app(income_fen=710_00, lines=(sofa,), scenario=Scenario.FURNITURE),
        terms=TermsInput(900_00, 36, clean_app().terms.method),
    )
    pti = shop.screen(base).inputs["graph"]["pti"]
    assert 0.35 < pti <= 0.4, pti
    assert "PTI_REFER" in codes(shop.screen(base))
    params = parse_params(unsigned_pack()["manifest"]["parameters"])
    appliance, furniture = params.borrower_for("appliance"), params.borrower_for("furniture")
    assert appliance is not None and furniture is not None
    assert (str(appliance.refer_pti), str(furniture.refer_pti)) == ("0.4", "0.35")
    assert furniture.max_age == appliance.max_age == 65  # the rest from the pack-wide sections


def test_the_packs_age_section_is_used(tmp_path: Path) -> None:
    shop = Shop(tmp_path / "strict", params={"age": {"refer_above": 50}})
    try:
        # the graph refers only above 58; the pack's age section says above 50
        assert "AGE_REFER" in codes(shop.screen(clean_app(id_no=age_id(55))))
        assert "AGE_REFER" not in codes(shop.screen(clean_app(id_no=age_id(45))))
    finally:
        shop.close()


def test_a_bad_scenario_override_is_a_pack_problem_not_a_crash() -> None:
    raw = unsigned_pack()["manifest"]["parameters"]
    raw["scenarios"]["furniture"]["borrower"] = {"refer_pti": "0.9", "decline_pti": "0.5"}
    params = parse_params(raw)
    assert "scenarios.furniture.borrower.refer_pti" in params.problems
