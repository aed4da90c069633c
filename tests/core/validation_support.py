"""Shared data and helpers for the validation tests."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from stdnum.cn import ric

from core import i18n
from core.models import (
    ApplicationInput,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
)
from core.validation.application import (
    FieldError,
    ValidationResult,
)

TODAY = date(2025, 6, 1)

VALID: dict[str, Any] = {
    "scenario": "appliance",
    "customer": {
        "id_number": "11010519491231002X",
        "name": "张三",
        "phone": "13800138000",
        "monthly_income": "8000",
        "home_city": "北京",
        "home_address": "朝阳区建国路88号",
    },
    "order": {
        "lines": [{"sku": "APL-TV-55", "name": "55寸电视", "unit_price": "3999.00", "quantity": 1}],
        "delivery_city": "北京",
        "delivery_address": "朝阳区建国路88号",
    },
    "terms": {"down_payment": "500", "term_months": 12, "method": "equal_installment"},
}

EXPECTED = ApplicationInput(
    scenario=Scenario.APPLIANCE,
    customer=CustomerInput(
        id_number="11010519491231002X",
        name="张三",
        phone="13800138000",
        monthly_income_fen=800_000,
        home_city="北京",
        home_address="朝阳区建国路88号",
    ),
    lines=(OrderLineInput("APL-TV-55", "55寸电视", 399_900, 1),),
    terms=TermsInput(50_000, 12, RepaymentMethod.EQUAL_INSTALLMENT),
    delivery_city="北京",
    delivery_address="朝阳区建国路88号",
)

ALL_CODES = {
    "SECTION_MISSING",
    *("ID_EMPTY", "ID_LENGTH", "ID_CHARS", "ID_BIRTH_DATE", "ID_CHECKSUM", "AGE_UNDER_MIN"),
    *("PHONE_EMPTY", "PHONE_INVALID", "NAME_EMPTY", "NAME_LENGTH", "NAME_CHARS"),
    *("CITY_EMPTY", "CITY_INVALID", "ADDRESS_EMPTY", "ADDRESS_LENGTH", "ADDRESS_INVALID"),
    *("INCOME_EMPTY", "INCOME_INVALID", "INCOME_ZERO", "INCOME_TOO_LARGE"),
    *("LINES_EMPTY", "LINES_TOO_MANY", "SKU_INVALID", "ITEM_NAME_INVALID"),
    *("PRICE_INVALID", "PRICE_TOO_LARGE", "PRICE_ZERO", "QUANTITY_INVALID"),
    *("SCENARIO_INVALID", "METHOD_INVALID", "TERM_NOT_ALLOWED"),
    *("DOWN_PAYMENT_INVALID", "DOWN_PAYMENT_RANGE", "PRINCIPAL_RANGE"),
    *("FIRST_DUE_DATE_INVALID", "FIRST_DUE_DATE_RANGE"),
}


def raw(**changes: Any) -> dict[str, Any]:
    """The valid example with ``changes`` applied: {"customer.phone": "x", "terms": DELETE}."""
    data = copy.deepcopy(VALID)
    for path, value in changes.items():
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key: Any = int(last) if last.isdigit() else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return data


DELETE = object()


def errors_of(result: ValidationResult) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in result.errors]


def check_ok(result: ValidationResult) -> ApplicationInput:
    assert result.errors == ()
    assert result.ok
    assert result.value is not None
    return result.value


def make_id(region: str, birth: date, seq: int) -> str:
    """An 18-character ID with its check character from python-stdnum (a second opinion)."""
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def check_registered(error: FieldError) -> None:
    assert i18n.has(error.code), error.code
    for lang in ("zh_CN", "en"):
        text = error.text(lang)
        assert text and text != error.code
        assert "{" not in text, (error.code, text)  # every placeholder got a parameter
