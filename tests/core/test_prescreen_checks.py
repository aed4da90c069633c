"""Each pre-screen check: one case that triggers it and one that does not, on a real
SQLite file with a pack signed for the test (the shipped default's rules, with some
parameters changed per test)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from core.models import OrderLineInput, Scenario
from tests.core.test_prescreen_support import (
    NOW,
    Shop,
    age_id,
    clean_app,
    codes,
    person,
    reason,
    with_lines,
)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    s = Shop(tmp_path)
    yield s
    s.close()


def make_shop(tmp_path: Path, **kw: object) -> Shop:
    return Shop(tmp_path / "custom", **kw)  # type: ignore[arg-type]


def test_a_clean_application_passes(shop: Shop) -> None:
    out = shop.screen(clean_app())
    assert (out.outcome, out.reasons) == ("PASS", ())
    assert out.pack_version == 1000


# --- the decision graph (borrower) ---------------------------------------------------------


def test_age_from_the_id_drives_the_graph(shop: Shop) -> None:
    under = shop.screen(clean_app(id_no=age_id(17)))
    assert under.outcome == "DECLINE"
    r = reason(under, "AGE_UNDER")
    assert (r.severity, r.side, dict(r.facts)) == ("DECLINE", "borrower", {"age": 17})
    assert "17" in r.text("zh_CN") and "17" in r.text("en")
    older = shop.screen(clean_app(id_no=age_id(60)))
    assert older.outcome == "REFER" and codes(older) == ["AGE_REFER"]
    assert shop.screen(clean_app(id_no=age_id(58))).outcome == "PASS"


def test_affordability_installment_against_income(shop: Shop) -> None:
    big = (OrderLineInput("APL-TV-75", "75英寸MiniLED电视", 7999_00, 1),)
    poor = shop.screen(clean_app(lines=big, income_fen=1_000_00, term=12))
    r = reason(poor, "PTI_DECLINE")
    assert r.severity == "DECLINE" and r.facts["pti"] > 0.6
    assert "%" in r.text("zh_CN")
    assert poor.inputs["graph"]["pti"] == pytest.approx(
        poor.inputs["order"]["max_installment_fen"] / 1_000_00, abs=1e-4
    )
    assert "PTI_DECLINE" not in codes(shop.screen(clean_app(lines=big, income_fen=30_000_00)))


# --- eligibility from the pack parameters ---------------------------------------------------


def test_term_must_be_offered_for_the_scenario(shop: Shop) -> None:
    sofa = (OrderLineInput("FUR-SOFA-3", "三人位真皮沙发", 8999_00, 1),)
    app = clean_app(scenario=Scenario.FURNITURE, lines=sofa, down_fen=1000_00, term=9)
    out = shop.screen(app)
    r = reason(out, "TERM_NOT_OFFERED")  # the graph row and the check merge into one
    assert r.severity == "DECLINE"
    assert dict(r.facts) == {"term_months": 9, "allowed_terms": "6/12/18/24/36"}
    assert "6/12/18/24/36" in r.text("zh_CN")
    twelve = replace(app, terms=replace(app.terms, term_months=12))
    assert "TERM_NOT_OFFERED" not in codes(shop.screen(twelve))


def test_down_payment_ratio_for_the_scenario(shop: Shop) -> None:
    sofa = (OrderLineInput("FUR-SOFA-3", "三人位真皮沙发", 8999_00, 1),)
    low = shop.screen(clean_app(scenario=Scenario.FURNITURE, lines=sofa, down_fen=0))
    r = reason(low, "DOWN_PAYMENT_LOW")
    assert (r.severity, r.facts["min_pct"], r.facts["down_payment_ratio"]) == ("REFER", "10", "0")
    ok = shop.screen(clean_app(scenario=Scenario.FURNITURE, lines=sofa, down_fen=900_00))
    assert ok.outcome == "PASS", ok.to_json("en")
    high = shop.screen(clean_app(down_fen=2500_00))  # 83% of 2,999
    assert reason(high, "DOWN_PAYMENT_HIGH").facts["max_pct"] == "80"


def test_amount_within_the_scenario_limits(shop: Shop) -> None:
    central = (OrderLineInput("APL-AC-CEN", "一拖四家用中央空调", 26800_00, 2),)
    over = shop.screen(clean_app(lines=central, income_fen=100_000_00))
    r = reason(over, "AMOUNT_OVER")
    assert (r.severity, r.facts["principal"], r.facts["max_principal"]) == (
        "DECLINE",
        "53600.00",
        "50000.00",
    )
    under = shop.screen(clean_app(down_fen=2600_00, income_fen=100_000_00))
    assert "AMOUNT_UNDER" in codes(under)
    assert not {"AMOUNT_OVER", "AMOUNT_UNDER"} & set(codes(shop.screen(clean_app())))


def test_store_limit_per_application(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, params={"store": {"max_principal": "2500"}})
    try:
        out = shop.screen(clean_app())  # 2,999 financed
        assert codes(out) == ["STORE_PRINCIPAL_LIMIT"]
        r = out.reasons[0]
        assert (r.severity, r.side, r.facts["max_principal"]) == ("REFER", "merchant", "2500.00")
        assert "2500.00" in r.text("zh_CN")
        assert shop.screen(clean_app(down_fen=600_00)).outcome == "PASS"
    finally:
        shop.close()


def test_a_graph_row_alone_still_reads_well(tmp_path: Path) -> None:
    """The default graph has its own literal limit (50,000): with the parameter raised,
    the graph's row fires alone, without the limits the code-side check would name."""
    shop = make_shop(tmp_path, params={"scenarios": {"appliance": {"max_principal": "200000"}}})
    try:
        central = (OrderLineInput("APL-AC-CEN", "一拖四家用中央空调", 26800_00, 2),)
        out = shop.screen(clean_app(lines=central, income_fen=300_000_00))
        r = reason(out, "AMOUNT_OVER")
        assert dict(r.facts) == {"principal": 53600.0}
        for lang in ("zh_CN", "en"):
            assert "53600.00" in r.text(lang) and "?" not in r.text(lang)
    finally:
        shop.close()


def test_store_daily_total(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, params={"store": {"max_daily_total": "7000"}})
    try:
        fridge = (OrderLineInput("APL-FRG-500", "500升十字对开门冰箱", 4299_00, 1),)
        first = person(1, lines=fridge)
        assert shop.screen(first).outcome == "PASS"
        shop.svc.save(first)
        second = shop.screen(person(2, lines=fridge))
        r = reason(second, "STORE_DAILY_LIMIT")
        assert (r.facts["today_total"], r.facts["max_daily_total"]) == ("4299.00", "7000.00")
        # yesterday's loans do not count against today
        shop.clock.advance(timedelta(days=1))
        assert shop.screen(person(2, lines=fridge)).outcome == "PASS"
    finally:
        shop.close()


# --- blacklist ----------------------------------------------------------------------------


def test_blacklisted_id_phone_and_device(tmp_path: Path) -> None:
    bad_id, bad_phone = age_id(40, seq=666), "13912345678"
    probe = Shop(tmp_path / "probe", install=False)
    device = probe.device_id()
    probe.close()
    shop = Shop(
        tmp_path / "probe",
        blacklist={"id": [bad_id], "phone": [bad_phone], "device": [device]},
    )
    try:
        out = shop.screen(clean_app(id_no=bad_id, phone=bad_phone))
        assert out.outcome == "DECLINE"
        assert {c: reason(out, c).severity for c in codes(out)} == {
            "BLACKLIST_ID": "DECLINE",
            "BLACKLIST_PHONE": "DECLINE",
            "BLACKLIST_DEVICE": "REFER",
        }
        # no personal data in the facts or the inputs: only that there was a hit
        assert bad_id not in out.inputs_json and bad_phone not in out.inputs_json
        assert out.inputs["blacklist"] == {"id": True, "phone": True, "device": True}
        clean = shop.screen(clean_app())
        assert codes(clean) == ["BLACKLIST_DEVICE"]  # this PC is still listed
    finally:
        shop.close()


def test_not_blacklisted_is_no_reason(shop: Shop) -> None:
    out = shop.screen(clean_app(id_no=age_id(40, seq=666), phone="13912345678"))
    assert out.inputs["blacklist"] == {"id": False, "phone": False, "device": False}
    assert not [c for c in codes(out) if c.startswith("BLACKLIST")]


# --- velocity ------------------------------------------------------------------------------


def test_velocity_same_id_counts_live_applications_in_the_window(shop: Shop) -> None:
    same = age_id(33, seq=42)
    ids = [shop.svc.save(person(i, id_no=same)) for i in range(2)]
    out = shop.screen(person(9, id_no=same))
    r = reason(out, "VELOCITY_ID")
    assert dict(r.facts) == {"count": 3, "max": 2, "window_days": 30}
    assert "3" in r.text("zh_CN") and "30" in r.text("zh_CN")
    shop.svc.cancel(ids[0])  # cancelled ones do not count
    assert "VELOCITY_ID" not in codes(shop.screen(person(9, id_no=same)))


def test_velocity_window_is_the_packs(shop: Shop) -> None:
    same = age_id(33, seq=43)
    old = NOW - timedelta(days=31)
    shop.svc.save_many([(person(i, id_no=same), old) for i in range(5)])
    assert "VELOCITY_ID" not in codes(shop.screen(person(9, id_no=same)))


def test_velocity_same_phone(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, params={"merchant": {"shared_phone_max": 10}})
    try:
        for i in range(3):
            shop.svc.save(person(i, phone="13600000001"))
        assert shop.screen(person(5)).outcome == "PASS"
        r = reason(shop.screen(person(5, phone="13600000001")), "VELOCITY_PHONE")
        assert (r.facts["count"], r.facts["max"]) == (4, 3)
    finally:
        shop.close()


def test_velocity_same_device(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, params={"velocity": {"max_same_device": 3}})
    try:
        for i in range(2):
            shop.svc.save(person(i))
        assert shop.screen(person(7)).outcome == "PASS"  # 3 with this one
        shop.svc.save(person(2))
        r = reason(shop.screen(person(7)), "VELOCITY_DEVICE")
        assert (r.side, r.facts["max"]) == ("merchant", 3)
    finally:
        shop.close()


# --- merchant side -------------------------------------------------------------------------


def _history(shop: Shop, days: int, per_day: int, svc: object | None = None) -> None:
    """``per_day`` applications a day on each of the ``days`` days before today."""
    service = svc or shop.svc
    items = [
        (person(1000 + d * 50 + k), NOW - timedelta(days=d, hours=1 + k % 5))
        for d in range(1, days + 1)
        for k in range(per_day)
    ]
    service.save_many(sorted(items, key=lambda it: it[1]))  # type: ignore[attr-defined]


def test_salesperson_and_store_spike(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, params={"velocity": {"max_same_device": 1000}})
    try:
        _history(shop, 28, 1)  # a norm of one a day
        for i in range(6):
            shop.svc.save(person(i))
        quiet = shop.screen(person(50))  # 7th today: below spike_min_today (8)
        assert not {"SALESPERSON_SPIKE", "STORE_SPIKE"} & set(codes(quiet))
        shop.svc.save(person(6))
        out = shop.screen(person(51))  # 8th today, 8 > 3.0 x 1
        assert {"SALESPERSON_SPIKE", "STORE_SPIKE"} <= set(codes(out))
        r = reason(out, "SALESPERSON_SPIKE")
        assert dict(r.facts) == {"today": 8, "daily_average": "1.0", "days": 28, "spike_ratio": "3"}
    finally:
        shop.close()


def test_salesperson_spike_apart_from_the_store(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, params={"velocity": {"max_same_device": 10000}})
    try:
        busy = shop.second_operator()
        _history(shop, 28, 1)  # the first salesperson: one a day
        _history(shop, 28, 10, busy)  # the colleague: ten a day; the store: eleven
        for i in range(7):
            shop.svc.save(person(i))
        out = shop.screen(person(60))
        assert "SALESPERSON_SPIKE" in codes(out) and "STORE_SPIKE" not in codes(out)
    finally:
        shop.close()


def test_a_new_salesperson_has_no_norm_yet(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, params={"velocity": {"max_same_device": 1000}})
    try:
        _history(shop, 28, 1)
        newcomer = shop.second_operator()
        for i in range(8):
            newcomer.save(person(i))
        out = newcomer.prescreen(person(70))
        assert "SALESPERSON_SPIKE" not in codes(out)
        assert out.inputs["merchant"]["operator"]["history_days"] == 0
        assert "STORE_SPIKE" in codes(out)  # the store does have a norm (one a day)
    finally:
        shop.close()


def test_price_far_from_the_catalog(shop: Shop) -> None:
    cheap = OrderLineInput("APL-TV-55", "55英寸4K智能电视", 2000_00, 1)  # 33% below
    out = shop.screen(with_lines(clean_app(), cheap))
    r = reason(out, "PRICE_DEVIATION")
    assert (r.severity, r.side) == ("REFER", "merchant")
    assert {k: r.facts[k] for k in ("sku", "price", "catalog_price")} == {
        "sku": "APL-TV-55",
        "price": "2000.00",
        "catalog_price": "2999.00",
    }
    inflated = OrderLineInput("APL-TV-55", "55英寸4K智能电视", 4000_00, 1)  # 33% above
    assert "PRICE_DEVIATION" in codes(shop.screen(with_lines(clean_app(), inflated)))
    discount = OrderLineInput("APL-TV-55", "55英寸4K智能电视", 2500_00, 1)  # 17% below
    assert shop.screen(with_lines(clean_app(), discount)).outcome == "PASS"
    unknown = OrderLineInput("NOT-IN-CATALOG", "样品", 1_00, 600)
    assert "PRICE_DEVIATION" not in codes(shop.screen(with_lines(clean_app(), unknown)))


def test_one_phone_many_id_numbers(shop: Shop) -> None:
    ring = "13700000007"
    for i in range(2):
        shop.svc.save(person(i, phone=ring))
    # the same person again on the same phone is no ring
    assert "SHARED_PHONE" not in codes(shop.screen(person(1, phone=ring)))
    out = shop.screen(person(2, phone=ring))  # a third ID number on one phone
    r = reason(out, "SHARED_PHONE")
    assert dict(r.facts) == {"count": 3, "max": 2, "window_days": 30}


def test_many_customers_one_delivery_address(shop: Shop) -> None:
    written = ["朝阳区望京街8号", "北京市朝阳区望京街８号", "朝阳区 望京街 8 号。"]
    for i, addr in enumerate(written):  # one address, typed three ways
        shop.svc.save(person(i, delivery_address=addr))
    again = shop.screen(person(0, delivery_address="朝阳区望京街8号"))  # a customer already there
    assert "SHARED_DELIVERY_ADDRESS" not in codes(again)
    out = shop.screen(person(3, delivery_address="朝阳区望京街8号"))
    assert dict(reason(out, "SHARED_DELIVERY_ADDRESS").facts) == {
        "count": 4,
        "max": 3,
        "window_days": 30,
    }
    other_city = shop.screen(
        person(3, delivery_city="上海", home_city="上海", delivery_address="朝阳区望京街8号")
    )
    assert "SHARED_DELIVERY_ADDRESS" not in codes(other_city)


# --- consistency of the flows -------------------------------------------------------------


def test_delivery_city_against_home_city(shop: Shop) -> None:
    out = shop.screen(clean_app(home_city="上海", delivery_city="北京市"))
    r = reason(out, "DELIVERY_CITY_MISMATCH")
    assert (r.severity, r.side, r.facts["against"]) == ("REFER", "data", "home")
    assert "上海" in r.text("zh_CN") and "北京" in r.text("en")
    assert shop.screen(clean_app(home_city="北京市", delivery_city="北京 ")).outcome == "PASS"


def test_delivery_city_against_store_city(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, store_city="杭州")
    try:
        out = shop.screen(clean_app())
        assert reason(out, "DELIVERY_CITY_MISMATCH").facts["against"] == "store"
        both = shop.screen(clean_app(home_city="上海"))
        assert reason(both, "DELIVERY_CITY_MISMATCH").facts["against"] == "home+store"
        local = shop.screen(clean_app(home_city="杭州", delivery_city="杭州市"))
        assert "DELIVERY_CITY_MISMATCH" not in codes(local)
    finally:
        shop.close()


def test_city_mismatch_severity_is_the_packs(tmp_path: Path) -> None:
    for mode, expected in (("DECLINE", "DECLINE"), ("IGNORE", "PASS")):
        shop = Shop(tmp_path / mode, params={"consistency": {"city_mismatch": mode}})
        try:
            assert shop.screen(clean_app(home_city="上海")).outcome == expected
        finally:
            shop.close()


def test_order_total_lines_and_down_payment_must_agree(shop: Shop) -> None:
    app = clean_app()
    broken = replace(app, terms=replace(app.terms, down_payment_fen=app.order_total_fen + 1))
    out = shop.screen(broken)
    r = reason(out, "DATA_INCONSISTENT")
    assert (out.outcome, r.side) == ("DECLINE", "data")
    assert "down_payment" in r.facts["problems"]
    assert "首付" in r.text("zh_CN")
    no_lines = shop.screen(replace(app, lines=()))
    assert "lines" in reason(no_lines, "DATA_INCONSISTENT").facts["problems"]
    assert "DATA_INCONSISTENT" not in codes(shop.screen(app))
