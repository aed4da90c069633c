"""core.validation.application: every code with a realistic input, normalization, and
never raising."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import i18n
from core.models import (
    RepaymentMethod,
    Scenario,
    TermsInput,
    TermsPolicy,
)
from core.validation.application import (
    FieldError,
    ValidationResult,
    age_on,
    id_birth_date,
    id_check_char,
    id_gender,
    normalize_id_number,
    parse_application,
    validate_customer,
    validate_id_number,
)
from core.validation.messages import MESSAGES
from tests.core.validation_support import (
    ALL_CODES,
    DELETE,
    EXPECTED,
    TODAY,
    VALID,
    check_ok,
    check_registered,
    errors_of,
    make_id,
    raw,
)

# --- the valid example -------------------------------------------------------------------


def test_valid_example_gives_normalized_application() -> None:
    assert check_ok(parse_application(raw(), today=TODAY)) == EXPECTED


def test_messy_but_valid_input_normalizes_to_the_same_application() -> None:
    messy = raw(
        **{
            "scenario": " Appliance ",
            "customer.id_number": "110105 19491231 002x",
            "customer.name": "  张三 ",
            "customer.phone": "+86 138-0013-8000",
            "customer.monthly_income": "¥8,000.00",
            "customer.home_city": " 北京\n",
            "order.lines.0.unit_price": 3999,
            "order.lines.0.quantity": "1",
            "terms.down_payment": 500.0,
            "terms.term_months": "１２",
        }
    )
    assert check_ok(parse_application(messy, today=TODAY)) == EXPECTED


def test_furniture_with_several_lines_and_equal_principal() -> None:
    data = raw(
        **{
            "scenario": "furniture",
            "order.lines": [
                {
                    "sku": "FUR-SOFA-3",
                    "name": "三人位布艺沙发",
                    "unit_price": "4,599",
                    "quantity": 1,
                },
                {"sku": "FUR-CHAIR", "name": "餐椅", "unit_price": "299.50", "quantity": 2.0},
            ],
            "terms.method": "equal_principal",
            "terms.down_payment": "0",
            "terms.term_months": 24,
        }
    )
    value = check_ok(parse_application(data, today=TODAY))
    assert value.scenario is Scenario.FURNITURE
    assert value.order_total_fen == 459_900 + 2 * 29_950
    assert value.terms == TermsInput(0, 24, RepaymentMethod.EQUAL_PRINCIPAL)
    assert value.principal_fen == value.order_total_fen


# --- customer and income -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("income", "code", "params"),
    [
        ("", "INCOME_EMPTY", {}),
        (None, "INCOME_EMPTY", {}),
        ("八千", "INCOME_INVALID", {"reason": "MONEY_FORMAT"}),
        ("-3000", "INCOME_INVALID", {"reason": "MONEY_NEGATIVE"}),
        ("8000.123", "INCOME_INVALID", {"reason": "MONEY_FORMAT"}),
        ("0", "INCOME_ZERO", {}),
        ("0.00", "INCOME_ZERO", {}),
        ("10000000.01", "INCOME_TOO_LARGE", {"max": "10,000,000.00"}),
        ("1" * 20, "INCOME_TOO_LARGE", {"max": "10,000,000.00"}),
    ],
)
def test_income_errors(income: object, code: str, params: dict[str, Any]) -> None:
    customer = raw()["customer"] | {"monthly_income": income}
    (error,) = validate_customer(customer, today=TODAY, policy=TermsPolicy())
    assert (error.field, error.code, dict(error.params)) == (
        "customer.monthly_income",
        code,
        params,
    )


def test_income_limits_and_formats() -> None:
    for income, fen in [("10000000", 1_000_000_000), ("8,000.50", 800_050), (3500, 350_000)]:
        result = parse_application(raw(**{"customer.monthly_income": income}), today=TODAY)
        assert check_ok(result).customer.monthly_income_fen == fen


def test_validate_customer_reports_every_bad_field() -> None:
    customer = {
        "id_number": "110105194912310021",
        "name": "张",
        "phone": "1380013800",
        "monthly_income": "",
        "home_city": "1",
        "home_address": "",
    }
    assert [
        (e.field, e.code) for e in validate_customer(customer, today=TODAY, policy=TermsPolicy())
    ] == [
        ("customer.id_number", "ID_CHECKSUM"),
        ("customer.name", "NAME_LENGTH"),
        ("customer.phone", "PHONE_INVALID"),
        ("customer.monthly_income", "INCOME_EMPTY"),
        ("customer.home_city", "CITY_INVALID"),
        ("customer.home_address", "ADDRESS_EMPTY"),
    ]
    assert validate_customer(VALID["customer"], today=TODAY, policy=TermsPolicy()) == []
    (missing,) = validate_customer("张三", today=TODAY, policy=TermsPolicy())
    assert (missing.field, missing.code) == ("customer", "SECTION_MISSING")


# --- order lines -------------------------------------------------------------------------


def line(**changes: Any) -> dict[str, Any]:
    return {"sku": "APL-FRG-1", "name": "对开门冰箱", "unit_price": "2999", "quantity": 1} | changes


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], [("order.lines", "LINES_EMPTY")]),
        (None, [("order.lines", "LINES_EMPTY")]),
        ([line()] * 51, [("order.lines", "LINES_TOO_MANY")]),
        ("APL-TV-55", [("order.lines", "SECTION_MISSING")]),
        ([line(), "APL-TV-55"], [("lines[1]", "SECTION_MISSING")]),
        ([line(sku="")], [("lines[0].sku", "SKU_INVALID")]),
        ([line(sku="APL TV 55")], [("lines[0].sku", "SKU_INVALID")]),
        ([line(sku="A" * 41)], [("lines[0].sku", "SKU_INVALID")]),
        ([line(), line(name="")], [("lines[1].name", "ITEM_NAME_INVALID")]),
        ([line(name="冰" * 61)], [("lines[0].name", "ITEM_NAME_INVALID")]),
        ([line(unit_price="二千九")], [("lines[0].unit_price", "PRICE_INVALID")]),
        ([line(unit_price="-2999")], [("lines[0].unit_price", "PRICE_INVALID")]),
        ([line(unit_price="0")], [("lines[0].unit_price", "PRICE_ZERO")]),
        ([line(quantity=2.5)], [("lines[0].quantity", "QUANTITY_INVALID")]),
        ([line(quantity=True)], [("lines[0].quantity", "QUANTITY_INVALID")]),
        ([line(quantity=-1)], [("lines[0].quantity", "QUANTITY_INVALID")]),
        ([line(quantity=0)], [("lines[0].quantity", "QUANTITY_INVALID")]),
        ([line(quantity=100)], [("lines[0].quantity", "QUANTITY_INVALID")]),
        ([line(), line(), line(quantity="两台")], [("lines[2].quantity", "QUANTITY_INVALID")]),
        ([line(quantity=None)], [("lines[0].quantity", "QUANTITY_INVALID")]),
    ],
)
def test_line_errors(lines: object, expected: list[tuple[str, str]]) -> None:
    result = parse_application(raw(**{"order.lines": lines}), today=TODAY)
    assert errors_of(result) == expected
    assert result.value is None


def test_line_limits_and_quantity_forms() -> None:
    lines = [line(unit_price="10", quantity=q) for q in (1, "2", 3.0, "９９", Decimal("4"))]
    value = check_ok(parse_application(raw(**{"order.lines": lines}), today=TODAY))
    assert [x.quantity for x in value.lines] == [1, 2, 3, 99, 4]
    fifty = [line(unit_price="100") for _ in range(50)]
    assert parse_application(raw(**{"order.lines": fifty}), today=TODAY).ok


def test_lines_too_many_params() -> None:
    result = parse_application(raw(**{"order.lines": [line()] * 60}), today=TODAY)
    assert dict(result.errors[0].params) == {"count": 60, "max": 50}


# --- scenario and terms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"scenario": "car"}, [("scenario", "SCENARIO_INVALID")]),
        ({"scenario": DELETE}, [("scenario", "SCENARIO_INVALID")]),
        ({"terms.method": "balloon"}, [("terms.method", "METHOD_INVALID")]),
        ({"terms.method": None}, [("terms.method", "METHOD_INVALID")]),
        ({"terms.term_months": 7}, [("terms.term_months", "TERM_NOT_ALLOWED")]),
        ({"terms.term_months": 12.5}, [("terms.term_months", "TERM_NOT_ALLOWED")]),
        ({"terms.term_months": "十二"}, [("terms.term_months", "TERM_NOT_ALLOWED")]),
        ({"terms.down_payment": "五百"}, [("terms.down_payment", "DOWN_PAYMENT_INVALID")]),
        ({"terms.down_payment": ""}, [("terms.down_payment", "DOWN_PAYMENT_INVALID")]),
        ({"terms.down_payment": "-500"}, [("terms.down_payment", "DOWN_PAYMENT_INVALID")]),
        ({"terms.down_payment": "3500"}, [("terms.down_payment", "DOWN_PAYMENT_RANGE")]),
        ({"terms.down_payment": "9" * 20}, [("terms.down_payment", "DOWN_PAYMENT_RANGE")]),
        (
            {"order.lines.0.unit_price": "399", "terms.down_payment": "0"},
            [("terms.down_payment", "PRINCIPAL_RANGE")],
        ),
        ({"order.lines.0.unit_price": "399"}, [("terms.down_payment", "DOWN_PAYMENT_RANGE")]),
        ({"order.lines.0.quantity": 60}, [("terms.down_payment", "PRINCIPAL_RANGE")]),
    ],
)
def test_terms_errors(changes: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert errors_of(parse_application(raw(**changes), today=TODAY)) == expected


def test_term_and_down_payment_params() -> None:
    result = parse_application(
        raw(**{"terms.term_months": 7, "terms.down_payment": "3500"}), today=TODAY
    )
    term, down = result.errors
    assert dict(term.params) == {"allowed": "3/6/9/12/18/24"}
    assert dict(down.params) == {"min": "0.00", "max": "3,199.20", "min_pct": "0", "max_pct": "80"}
    assert down.text("zh_CN") == "首付应在 0.00–3,199.20 元之间（订单金额的 0%–80%），请调整首付"


def test_down_payment_bounds_follow_the_policy() -> None:
    policy = TermsPolicy(min_down_ratio=Decimal("0.1"), max_down_ratio=Decimal("1.5"))
    # 10% of 3,999.00 is 399.90: 399.89 is too little, 399.90 is enough
    result = parse_application(raw(**{"terms.down_payment": "399.89"}), today=TODAY, policy=policy)
    (error,) = result.errors
    assert error.code == "DOWN_PAYMENT_RANGE"
    # never more than the order total, whatever the ratio says
    assert dict(error.params) == {
        "min": "399.90",
        "max": "3,999.00",
        "min_pct": "10",
        "max_pct": "150",
    }
    ok = parse_application(raw(**{"terms.down_payment": "399.90"}), today=TODAY, policy=policy)
    assert check_ok(ok).terms.down_payment_fen == 39_990
    over = parse_application(raw(**{"terms.down_payment": "4000"}), today=TODAY, policy=policy)
    assert errors_of(over) == [("terms.down_payment", "DOWN_PAYMENT_RANGE")]


def test_principal_range_params() -> None:
    result = parse_application(
        raw(**{"order.lines.0.unit_price": "399", "terms.down_payment": "0"}), today=TODAY
    )
    params = {"principal": "399.00", "min": "500.00", "max": "200,000.00"}
    assert dict(result.errors[0].params) == params
    exact_min = parse_application(
        raw(**{"order.lines.0.unit_price": "1000", "terms.down_payment": "500"}), today=TODAY
    )
    assert check_ok(exact_min).principal_fen == 500_00


def test_term_allowed_by_policy() -> None:
    policy = TermsPolicy(allowed_terms=(6, 36))
    assert parse_application(raw(**{"terms.term_months": 36}), today=TODAY, policy=policy).ok
    (error,) = parse_application(raw(), today=TODAY, policy=policy).errors
    assert (error.code, dict(error.params)) == ("TERM_NOT_ALLOWED", {"allowed": "6/36"})


# --- sections and anything-goes input ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, [("application", "SECTION_MISSING")]),
        ([VALID], [("application", "SECTION_MISSING")]),
        ("{}", [("application", "SECTION_MISSING")]),
        (raw(customer=DELETE), [("customer", "SECTION_MISSING")]),
        (raw(customer=["张三"]), [("customer", "SECTION_MISSING")]),
        (raw(order=None), [("order", "SECTION_MISSING")]),
        (raw(terms=DELETE), [("terms", "SECTION_MISSING")]),
    ],
)
def test_missing_sections(data: object, expected: list[tuple[str, str]]) -> None:
    result = parse_application(data, today=TODAY)
    assert errors_of(result) == expected
    assert result.value is None and not result.ok
    assert result.errors[0].params["section"] == expected[0][0]


def test_empty_application_lists_every_required_field() -> None:
    result = parse_application({"customer": {}, "order": {}, "terms": {}}, today=TODAY)
    assert {code for _, code in errors_of(result)} == {
        "SCENARIO_INVALID",
        "ID_EMPTY",
        "NAME_EMPTY",
        "PHONE_EMPTY",
        "INCOME_EMPTY",
        "CITY_EMPTY",
        "ADDRESS_EMPTY",
        "LINES_EMPTY",
        "METHOD_INVALID",
        "TERM_NOT_ALLOWED",
        "DOWN_PAYMENT_INVALID",
    }


# --- FieldError and the message catalog --------------------------------------------------


def test_field_error_is_frozen_hashable_and_translatable() -> None:
    error = FieldError("customer.id_number", "AGE_UNDER_MIN", {"age": 16, "min_age": 18})
    with pytest.raises(TypeError):
        error.params["age"] = 30  # type: ignore[index]
    assert hash(error) == hash(FieldError("customer.id_number", "AGE_UNDER_MIN", {"age": 16}))
    assert error == FieldError("customer.id_number", "AGE_UNDER_MIN", {"age": 16, "min_age": 18})
    assert error.text() == "客户年龄 16 岁，低于最低 18 岁，无法办理分期"
    assert error.text("en_US").startswith("The customer is 16")
    assert error.to_json("en") == {
        "field": "customer.id_number",
        "code": "AGE_UNDER_MIN",
        "message": error.text("en"),
        "message_zh": error.text("zh_CN"),
        "message_en": error.text("en"),
        "params": {"age": 16, "min_age": 18},
    }


def test_checksum_message_tells_the_clerk_what_to_do() -> None:
    (error,) = validate_id_number("110105194912310021", today=TODAY)
    assert "校验位" in error.text("zh_CN") and "最后一位" in error.text("zh_CN")
    assert "check digit" in error.text("en")


def test_every_code_is_registered_in_both_languages() -> None:
    assert set(MESSAGES) == ALL_CODES
    for code in ALL_CODES:
        assert i18n.has(code)
        zh, en = i18n.translate(code, "zh_CN"), i18n.translate(code, "en")
        assert zh != en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), code
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.replace("北京", "")), code


# The code each entry produces; together they must cover the whole catalog.
REALISTIC_CASES: list[tuple[dict[str, Any], str]] = [
    ({"customer": DELETE}, "SECTION_MISSING"),
    ({"customer.id_number": ""}, "ID_EMPTY"),
    ({"customer.id_number": "110105491231002"}, "ID_LENGTH"),
    ({"customer.id_number": "11010519491231002Y"}, "ID_CHARS"),
    ({"customer.id_number": "110105194902300027"}, "ID_BIRTH_DATE"),
    ({"customer.id_number": "110105194912310021"}, "ID_CHECKSUM"),
    ({"customer.id_number": make_id("310104", date(2010, 3, 15), 21)}, "AGE_UNDER_MIN"),
    ({"customer.phone": " "}, "PHONE_EMPTY"),
    ({"customer.phone": "021-64387000"}, "PHONE_INVALID"),
    ({"customer.name": ""}, "NAME_EMPTY"),
    ({"customer.name": "张"}, "NAME_LENGTH"),
    ({"customer.name": "张三2号"}, "NAME_CHARS"),
    ({"customer.home_city": ""}, "CITY_EMPTY"),
    ({"customer.home_city": "100020"}, "CITY_INVALID"),
    ({"customer.home_address": ""}, "ADDRESS_EMPTY"),
    ({"customer.home_address": "88号"}, "ADDRESS_LENGTH"),
    ({"customer.home_address": "88-3-1201"}, "ADDRESS_INVALID"),
    ({"customer.monthly_income": ""}, "INCOME_EMPTY"),
    ({"customer.monthly_income": "8k"}, "INCOME_INVALID"),
    ({"customer.monthly_income": "0"}, "INCOME_ZERO"),
    ({"customer.monthly_income": "80000000"}, "INCOME_TOO_LARGE"),
    ({"order.lines": []}, "LINES_EMPTY"),
    ({"order.lines": [line()] * 51}, "LINES_TOO_MANY"),
    ({"order.lines.0.sku": "APL TV 55"}, "SKU_INVALID"),
    ({"order.lines.0.name": " "}, "ITEM_NAME_INVALID"),
    ({"order.lines.0.unit_price": "3999.999"}, "PRICE_INVALID"),
    ({"order.lines.0.unit_price": "39990000000"}, "PRICE_TOO_LARGE"),
    ({"order.lines.0.unit_price": "0.00"}, "PRICE_ZERO"),
    ({"order.lines.0.quantity": 1.5}, "QUANTITY_INVALID"),
    ({"scenario": "car"}, "SCENARIO_INVALID"),
    ({"terms.method": "interest_only"}, "METHOD_INVALID"),
    ({"terms.term_months": 36}, "TERM_NOT_ALLOWED"),
    ({"terms.down_payment": "五百"}, "DOWN_PAYMENT_INVALID"),
    ({"terms.down_payment": "3999"}, "DOWN_PAYMENT_RANGE"),
    ({"order.lines.0.unit_price": "300", "terms.down_payment": "0"}, "PRINCIPAL_RANGE"),
    ({"terms.first_due_date": "2025-02-30"}, "FIRST_DUE_DATE_INVALID"),
    ({"terms.first_due_date": "2025-06-01"}, "FIRST_DUE_DATE_RANGE"),  # not after today
    ({"terms.first_due_date": "2025-08-03"}, "FIRST_DUE_DATE_RANGE"),  # 63 days on
]


@pytest.mark.parametrize(("changes", "code"), REALISTIC_CASES)
def test_realistic_case(changes: dict[str, Any], code: str) -> None:
    result = parse_application(raw(**changes), today=TODAY)
    assert [e.code for e in result.errors] == [code]
    assert result.value is None
    check_registered(result.errors[0])


def test_realistic_cases_cover_every_code() -> None:
    assert {code for _, code in REALISTIC_CASES} == ALL_CODES


# --- property-based ----------------------------------------------------------------------

KEYS = [
    *("scenario", "customer", "order", "terms", "lines", "sku", "name", "quantity"),
    *("id_number", "phone", "monthly_income", "home_city", "home_address", "unit_price"),
    *("delivery_city", "delivery_address", "down_payment", "term_months", "method"),
]
INTERESTING = [
    *("11010519491231002X", "13800138000", "3999.00", "500", "appliance", "equal_principal"),
    *("北京", "朝阳区建国路88号", "张三", "0", "-1", "１２", "¥", "1e400", "NaN", "x"),
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(INTERESTING)
)
JSON_LIKE = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=25,
)

LEAF_PATHS = [
    "scenario",
    "customer",
    *(f"customer.{k}" for k in VALID["customer"]),
    "order",
    "order.lines",
    "order.lines.0",
    *(f"order.lines.0.{k}" for k in VALID["order"]["lines"][0]),
    "order.delivery_city",
    "order.delivery_address",
    "terms",
    *(f"terms.{k}" for k in VALID["terms"]),
]

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(result: ValidationResult) -> None:
    assert isinstance(result, ValidationResult)
    assert (result.value is None) == bool(result.errors)
    for error in result.errors:
        check_registered(error)
        assert error.code in ALL_CODES
        error.to_json("en")


@FAST
@given(JSON_LIKE)
def test_anything_gives_a_result(data: object) -> None:
    assert_well_formed(parse_application(data, today=TODAY))


@FAST
@given(JSON_LIKE.map(lambda d: {"customer": d, "order": d, "terms": d, "scenario": d}))
def test_anything_in_every_section_gives_a_result(data: object) -> None:
    assert_well_formed(parse_application(data, today=TODAY))


@FAST
@given(st.sampled_from(LEAF_PATHS), JSON_LIKE | st.just(DELETE))
def test_one_field_replaced_gives_a_result(path: str, value: object) -> None:
    result = parse_application(raw(**{path: value}), today=TODAY)
    assert_well_formed(result)


ADULT_BIRTHS = st.dates(min_value=date(1930, 1, 1), max_value=date(2007, 6, 1))
REGIONS = st.integers(0, 999_999).map(lambda n: f"{n:06d}")


def typed_like_a_clerk(number: str, lower: bool, full_width: bool, spaced: bool) -> str:
    if lower:
        number = number.lower()
    if full_width:
        number = "".join(chr(ord(c) + 0xFEE0) for c in number)
    if spaced:
        number = f"{number[:6]} {number[6:14]} {number[14:]}"
    return number


@FAST
@given(REGIONS, ADULT_BIRTHS, st.integers(0, 999), st.booleans(), st.booleans(), st.booleans())
def test_generated_ids_are_valid(
    region: str, birth: date, seq: int, lower: bool, full_width: bool, spaced: bool
) -> None:
    number = make_id(region, birth, seq)
    assert id_check_char(number[:17]) == number[17]
    typed = typed_like_a_clerk(number, lower, full_width, spaced)
    assert validate_id_number(typed, today=TODAY) == []
    assert normalize_id_number(typed) == number
    assert id_birth_date(typed) == birth
    assert id_gender(number) == ("M" if seq % 2 else "F")
    value = check_ok(parse_application(raw(**{"customer.id_number": typed}), today=TODAY))
    assert value.customer.id_number == number


@FAST
@given(REGIONS, ADULT_BIRTHS, st.integers(0, 999), st.integers(1, 10))
def test_a_wrong_check_character_is_caught(region: str, birth: date, seq: int, shift: int) -> None:
    number = make_id(region, birth, seq)
    chars = "0123456789X"
    wrong = number[:17] + chars[(chars.index(number[17]) + shift) % 11]
    assert [e.code for e in validate_id_number(wrong, today=TODAY)] == ["ID_CHECKSUM"]


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY + timedelta(days=400)))
def test_age_and_future_births(birth: date) -> None:
    number = make_id("110105", birth, 1)
    codes = [e.code for e in validate_id_number(number, today=TODAY)]
    if birth > TODAY:
        assert codes == ["ID_BIRTH_DATE"]
    elif age_on(birth, TODAY) < 18:
        assert codes == ["AGE_UNDER_MIN"]
    else:
        assert codes == []
