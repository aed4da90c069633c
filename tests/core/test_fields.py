"""core.validation.fields (through core.validation.application): resident ID, mobile,
names, cities, addresses."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from core.models import (
    TermsPolicy,
)
from core.validation.application import (
    age_on,
    id_birth_date,
    id_check_char,
    id_gender,
    normalize_id_number,
    normalize_phone,
    parse_application,
    validate_address,
    validate_city,
    validate_id_number,
    validate_name,
    validate_phone,
)
from tests.core.validation_support import (
    DELETE,
    TODAY,
    check_ok,
    errors_of,
    make_id,
    raw,
)

# --- resident ID -------------------------------------------------------------------------


def test_known_id_has_a_valid_check_character() -> None:
    assert id_check_char("11010519491231002") == "X"
    assert ric.calc_check_digit("11010519491231002X") == "X"
    assert validate_id_number("11010519491231002X", today=TODAY) == []
    assert id_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert id_gender("11010519491231002X") == "F"  # 17th digit 2 is even
    assert id_gender("342201197003151234") == "M"


def test_abolished_region_codes_are_accepted() -> None:
    # 342201: 宿州市 under the former 宿县地区 prefecture (abolished 1998); people keep it.
    assert validate_id_number("342201197003151234", today=TODAY) == []
    # 342301: 滁州市 code created in 1982, issued to someone born 1960 (stdnum refuses this:
    # it requires the code to have existed in the birth year, which GB 11643 does not).
    assert validate_id_number("342301196001011239", today=TODAY) == []


def test_id_normalization() -> None:
    assert normalize_id_number("１１０１０５ １９４９１２３１ ００２ｘ") == "11010519491231002X"
    assert normalize_id_number(" 11010519491231002x\t") == "11010519491231002X"
    result = parse_application(
        raw(**{"customer.id_number": "１１０１０５１９４９１２３１００２ｘ"}), today=TODAY
    )
    assert check_ok(result).customer.id_number == "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "ID_EMPTY"),
        ("   ", "ID_EMPTY"),
        (None, "ID_EMPTY"),
        ("11010519491231002Y", "ID_CHARS"),
        ("1101051949X231002X", "ID_CHARS"),
        (11010519.5, "ID_CHARS"),
        ("1101051949123100", "ID_LENGTH"),
        ("11010519491231002X1", "ID_LENGTH"),
        ("11010519491231002", "ID_LENGTH"),
        ("110105194913310021", "ID_BIRTH_DATE"),  # month 13
        ("110105200902290024", "ID_BIRTH_DATE"),  # 2009 is not a leap year
        (make_id("110105", date(2025, 6, 2), 2), "ID_BIRTH_DATE"),  # tomorrow
        (make_id("110105", date(1899, 12, 31), 2), "ID_BIRTH_DATE"),
        ("110105194912310021", "ID_CHECKSUM"),
        ("110105194912310020", "ID_CHECKSUM"),
    ],
)
def test_id_errors(text: object, code: str) -> None:
    errors = validate_id_number(text, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("customer.id_number", code)]


def test_first_generation_15_digit_id_is_refused_with_a_hint() -> None:
    (error,) = validate_id_number("110105491231002", today=TODAY)
    assert (error.code, dict(error.params)) == ("ID_LENGTH", {"length": 15})
    assert "第一代" in error.text("zh_CN")
    assert "first-generation" in error.text("en")


def test_age_from_id() -> None:
    eighteen_today = make_id("440305", date(2007, 6, 1), 11)
    assert validate_id_number(eighteen_today, today=TODAY) == []
    seventeen = make_id("440305", date(2007, 6, 2), 11)
    (error,) = validate_id_number(seventeen, today=TODAY)
    assert error.code == "AGE_UNDER_MIN"
    assert dict(error.params) == {"age": 17, "min_age": 18}
    assert error.text("zh_CN") == "客户年龄 17 岁，低于最低 18 岁，无法办理分期"
    assert "17" in error.text("en") and "18" in error.text("en")
    assert validate_id_number(eighteen_today, today=TODAY, min_age=20)[0].code == "AGE_UNDER_MIN"
    # the policy's minimum age reaches the customer check
    result = parse_application(
        raw(**{"customer.id_number": eighteen_today}), today=TODAY, policy=TermsPolicy(min_age=22)
    )
    assert errors_of(result) == [("customer.id_number", "AGE_UNDER_MIN")]


def test_age_on() -> None:
    assert age_on(date(2000, 6, 1), date(2018, 6, 1)) == 18
    assert age_on(date(2000, 6, 2), date(2018, 6, 1)) == 17
    assert age_on(date(2000, 2, 29), date(2018, 2, 28)) == 17
    assert age_on(date(2000, 2, 29), date(2018, 3, 1)) == 18
    assert age_on(date(2000, 2, 29), date(2020, 2, 29)) == 20


def test_malformed_ids_have_no_birth_date_or_gender() -> None:
    assert id_birth_date("110105194913310021") is None
    assert id_birth_date("123") is None
    assert id_gender("abc") is None


# --- phone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 138 0013 8000", "13800138000"),
        ("８６－１３８－００１３－８０００", "13800138000"),
        ("(+86) 13800138000", "13800138000"),
        (13800138000, "13800138000"),
        ("19912345678", "19912345678"),  # China Telecom 199
        ("19212345678", "19212345678"),  # China Broadnet 192
        ("16612345678", "16612345678"),  # China Unicom 166
        ("17712345678", "17712345678"),  # China Telecom 177
        ("17012345678", "17012345678"),  # virtual operators 170
        ("14912345678", "14912345678"),  # China Telecom 149: phonenumbers refuses it
    ],
)
def test_valid_phones(text: object, normalized: str) -> None:
    assert validate_phone(text) == []
    result = parse_application(raw(**{"customer.phone": text}), today=TODAY)
    assert check_ok(result).customer.phone == normalized


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "PHONE_EMPTY"),
        (None, "PHONE_EMPTY"),
        ("12345678901", "PHONE_INVALID"),  # no mobile range starts with 12
        ("1380013800", "PHONE_INVALID"),  # 10 digits
        ("138001380001", "PHONE_INVALID"),  # 12 digits
        ("010-12345678", "PHONE_INVALID"),  # Beijing landline
        ("+852 6123 4567", "PHONE_INVALID"),  # Hong Kong mobile
        ("+1 650 253 0000", "PHONE_INVALID"),
        ("1380013800a", "PHONE_INVALID"),  # a letter is a typo, not a keypad digit
        (["13800138000"], "PHONE_INVALID"),
    ],
)
def test_phone_errors(text: object, code: str) -> None:
    assert [(e.field, e.code) for e in validate_phone(text)] == [("customer.phone", code)]


def test_normalize_phone() -> None:
    assert normalize_phone("+86 138-0013-8000") == "13800138000"
    assert normalize_phone("+8614912345678") == "14912345678"
    assert normalize_phone("010-12345678") == "1012345678"


# --- names, cities, addresses ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("张三", "张三"),
        ("  欧阳 娜娜 ", "欧阳 娜娜"),
        ("阿卜杜热合曼·买买提", "阿卜杜热合曼·买买提"),
        ("阿卜杜热合曼•买买提", "阿卜杜热合曼·买买提"),
        ("古丽米拉 · 吐尔逊", "古丽米拉·吐尔逊"),
        ("王𠮷", "王𠮷"),  # a CJK extension B character
        ("Li Na", "Li Na"),
    ],
)
def test_valid_names(text: str, normalized: str) -> None:
    assert validate_name(text) == []
    assert check_ok(
        parse_application(raw(**{"customer.name": text}), today=TODAY)
    ).customer.name == (normalized)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "NAME_EMPTY"),
        ("   ", "NAME_EMPTY"),
        (None, "NAME_EMPTY"),
        ("张", "NAME_LENGTH"),
        ("阿" * 31, "NAME_LENGTH"),
        ("张三3", "NAME_CHARS"),
        ("张三！", "NAME_CHARS"),
        ("··", "NAME_CHARS"),
        (12345, "NAME_CHARS"),
    ],
)
def test_name_errors(text: object, code: str) -> None:
    assert [(e.field, e.code) for e in validate_name(text)] == [("customer.name", code)]


def test_name_length_params() -> None:
    (error,) = validate_name("张")
    assert dict(error.params) == {"length": 1, "min": 2, "max": 30}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "CITY_EMPTY"),
        (None, "CITY_EMPTY"),
        ("京", "CITY_INVALID"),
        ("北京1", "CITY_INVALID"),
        ("城" * 21, "CITY_INVALID"),
        ("--", "CITY_INVALID"),
        (110000, "CITY_INVALID"),
        ("恩施土家族苗族自治州", None),
        ("Suzhou", None),
    ],
)
def test_city(text: object, code: str | None) -> None:
    expected = [] if code is None else [("customer.home_city", code)]
    assert [(e.field, e.code) for e in validate_city(text)] == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "ADDRESS_EMPTY"),
        (None, "ADDRESS_EMPTY"),
        ("建国路", "ADDRESS_LENGTH"),
        ("路" * 121, "ADDRESS_LENGTH"),
        ("88-12-1201", "ADDRESS_INVALID"),
        ("#### ...", "ADDRESS_INVALID"),
        (880000, "ADDRESS_INVALID"),
        ("朝阳区建国路88号3栋1201室", None),
        ("海淀区中关村大街\n27号", None),
    ],
)
def test_address(text: object, code: str | None) -> None:
    expected = [] if code is None else [("customer.home_address", code)]
    assert [(e.field, e.code) for e in validate_address(text)] == expected


def test_delivery_city_and_address_are_required_and_checked() -> None:
    result = parse_application(
        raw(**{"order.delivery_city": DELETE, "order.delivery_address": "12345"}), today=TODAY
    )
    assert errors_of(result) == [
        ("delivery_city", "CITY_EMPTY"),
        ("delivery_address", "ADDRESS_INVALID"),
    ]
    result = parse_application(raw(**{"order.delivery_address": "   "}), today=TODAY)
    assert errors_of(result) == [("delivery_address", "ADDRESS_EMPTY")]
