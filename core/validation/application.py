"""Validation of an installment application: raw form/JSON data in, errors or a value out.

Every check returns :class:`FieldError` values (a widget path, a stable code and
parameters) instead of raising; :func:`parse_application` accepts any object and returns
a :class:`ValidationResult`. Text for the codes lives in :mod:`core.validation.messages`
and is registered with :mod:`core.i18n` on import.

The national standard decides what is valid, never a library's stricter opinion: a real
customer must not be refused at the counter.

* Resident ID numbers follow GB 11643-1999 (18 characters, ISO 7064 MOD 11-2 check
  character, birth date in characters 7-14). Region codes are *not* checked: numbers
  keep the code of the county that issued them even after the county was merged or
  abolished, and a county created after someone's birth issues codes to older people
  too. ``stdnum.cn.ric`` refuses both cases (it requires the code in its table *and*
  valid in the birth year), so it is not used here.
* Mobile numbers are parsed with libphonenumber (``+86``, ``0086``, the national prefix
  ``0`` and IP-dialling prefixes such as ``17951`` are understood). Whether the result is
  a mainland mobile is decided by the numbering-plan shape ``1[3-9]`` + 9 digits rather
  than libphonenumber's per-range metadata: phonenumbers 9.0.x refuses ranges that are
  allocated and in use, e.g. 149 (China Telecom) and 1749 (Tiantong satellite mobile),
  and new ranges are allocated faster than the metadata is updated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from core.consent.model import parse_consent
from core.models import (
    ApplicationInput,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
    TermsPolicy,
)
from core.money import MAX_FEN, format_fen
from core.validation.fields import (  # re-exported: callers import the field checks from here too
    ADDRESS_LEN,
    CITY_LEN,
    ITEM_NAME_MAX,
    MAX_INCOME_FEN,
    MAX_LINES,
    MAX_QUANTITY,
    NAME_LEN,
    SKU_MAX,
    FieldError,
    ValidationResult,
    _as_int,
    _check_address,
    _check_city,
    _check_id,
    _check_name,
    _check_phone,
    _clean,
    _err,
    _int_text,
    _nfkc,
    _parse_amount,
    age_on,
    id_birth_date,
    id_check_char,
    id_gender,
    normalize_id_number,
    normalize_phone,
    validate_address,
    validate_city,
    validate_id_number,
    validate_name,
    validate_phone,
)

#: the latest first-payment date a store may set, in days after the application day
FIRST_DUE_MAX_DAYS = 62


def _check_first_due(raw: object, today: date) -> tuple[date | None, list[FieldError]]:
    """The optional ``terms.first_due_date`` ("YYYY-MM-DD"): after today, at most
    :data:`FIRST_DUE_MAX_DAYS` days later. Absent or empty: None (the default date)."""
    if raw is None or raw == "":
        return None, []
    field = "terms.first_due_date"
    try:
        value = date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        value = None
    if value is None:
        return None, [_err(field, "FIRST_DUE_DATE_INVALID")]
    low, high = today + timedelta(days=1), today + timedelta(days=FIRST_DUE_MAX_DAYS)
    if not low <= value <= high:
        return None, [
            _err(field, "FIRST_DUE_DATE_RANGE", min=low.isoformat(), max=high.isoformat())
        ]
    return value, []


# --- Customer ----------------------------------------------------------------------------


def _check_income(value: object, field: str) -> tuple[int, list[FieldError]]:
    fen, reason = _parse_amount(value)
    if reason == "MONEY_EMPTY":
        return 0, [_err(field, "INCOME_EMPTY")]
    too_large = [_err(field, "INCOME_TOO_LARGE", max=format_fen(MAX_INCOME_FEN))]
    if reason == "MONEY_TOO_LARGE":
        return 0, too_large
    if fen is None:
        return 0, [_err(field, "INCOME_INVALID", reason=reason)]
    if fen == 0:
        return 0, [_err(field, "INCOME_ZERO")]
    if fen > MAX_INCOME_FEN:
        return 0, too_large
    return fen, []


def _check_customer(
    raw: object, today: date, policy: TermsPolicy
) -> tuple[CustomerInput | None, list[FieldError]]:
    if not isinstance(raw, Mapping):
        return None, [_err("customer", "SECTION_MISSING", section="customer")]
    id_number, errors = _check_id(raw.get("id_number"), today, "customer.id_number", policy.min_age)
    name, errs = _check_name(raw.get("name"), "customer.name")
    errors += errs
    phone, errs = _check_phone(raw.get("phone"), "customer.phone")
    errors += errs
    income, errs = _check_income(raw.get("monthly_income"), "customer.monthly_income")
    errors += errs
    city, errs = _check_city(raw.get("home_city"), "customer.home_city")
    errors += errs
    address, errs = _check_address(raw.get("home_address"), "customer.home_address")
    errors += errs
    if errors:
        return None, errors
    return CustomerInput(id_number, name, phone, income, city, address), []


def validate_customer(raw: object, *, today: date, policy: TermsPolicy) -> list[FieldError]:
    return _check_customer(raw, today, policy)[1]


# --- Order lines -------------------------------------------------------------------------


def max_order_fen(policy: TermsPolicy) -> int:
    """The largest order the terms can finance: the largest loan plus the largest
    down payment allowed on top of it."""
    keep = Decimal(1) - policy.max_down_ratio
    if keep <= 0:
        return MAX_FEN
    return min(MAX_FEN, int((Decimal(policy.max_principal_fen) / keep).to_integral_value()))


def _price_too_large(field: str, policy: TermsPolicy) -> FieldError:
    return _err(
        field,
        "PRICE_TOO_LARGE",
        max=format_fen(max_order_fen(policy)),
        max_principal=format_fen(policy.max_principal_fen),
        max_pct=_percent(policy.max_down_ratio),
    )


def _check_line(
    raw: object, index: int, policy: TermsPolicy
) -> tuple[OrderLineInput | None, list[FieldError]]:
    path = f"lines[{index}]"
    if not isinstance(raw, Mapping):
        return None, [_err(path, "SECTION_MISSING", section=path)]
    errors: list[FieldError] = []
    sku_text = _int_text(raw.get("sku"))
    sku = _nfkc(sku_text).strip() if sku_text is not None else ""
    if not 1 <= len(sku) <= SKU_MAX or not all(ch.isprintable() and not ch.isspace() for ch in sku):
        errors.append(_err(f"{path}.sku", "SKU_INVALID", max=SKU_MAX))
    name_raw = raw.get("name")
    name = _clean(name_raw) if isinstance(name_raw, str) else ""
    if not 1 <= len(name) <= ITEM_NAME_MAX or not name.isprintable():
        errors.append(_err(f"{path}.name", "ITEM_NAME_INVALID", max=ITEM_NAME_MAX))
    price, reason = _parse_amount(raw.get("unit_price"))
    if reason == "MONEY_TOO_LARGE" or (price is not None and price > max_order_fen(policy)):
        errors.append(_price_too_large(f"{path}.unit_price", policy))
    elif price is None:
        errors.append(_err(f"{path}.unit_price", "PRICE_INVALID", reason=reason))
    elif price == 0:
        errors.append(_err(f"{path}.unit_price", "PRICE_ZERO"))
    quantity = _as_int(raw.get("quantity"))
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        errors.append(_err(f"{path}.quantity", "QUANTITY_INVALID", max=MAX_QUANTITY))
    if errors or price is None or quantity is None:
        return None, errors
    return OrderLineInput(sku, name, price, quantity), []


def _check_lines(
    raw: object, policy: TermsPolicy
) -> tuple[tuple[OrderLineInput, ...] | None, list[FieldError]]:
    if raw is None or (isinstance(raw, (list, tuple)) and not raw):
        return None, [_err("order.lines", "LINES_EMPTY")]
    if not isinstance(raw, (list, tuple)):
        return None, [_err("order.lines", "SECTION_MISSING", section="order.lines")]
    if len(raw) > MAX_LINES:
        return None, [_err("order.lines", "LINES_TOO_MANY", count=len(raw), max=MAX_LINES)]
    lines: list[OrderLineInput] = []
    errors: list[FieldError] = []
    for index, item in enumerate(raw):
        line, errs = _check_line(item, index, policy)
        errors += errs
        if line is not None:
            lines.append(line)
    return (None, errors) if errors else (tuple(lines), [])


# --- Scenario and terms ------------------------------------------------------------------


def _enum_value(value: object) -> str:
    return _clean(value).lower() if isinstance(value, str) else ""


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}"


def _check_terms(
    raw: object, total: int | None, policy: TermsPolicy
) -> tuple[TermsInput | None, list[FieldError]]:
    """Terms; the down payment and principal ranges are checked only when ``total`` is known."""
    if not isinstance(raw, Mapping):
        return None, [_err("terms", "SECTION_MISSING", section="terms")]
    errors: list[FieldError] = []
    method_text = _enum_value(raw.get("method"))
    methods = {m.value: m for m in RepaymentMethod}
    if method_text not in methods:
        errors.append(_err("terms.method", "METHOD_INVALID"))
    term = _as_int(raw.get("term_months"))
    if term is None or term not in policy.allowed_terms:
        allowed = "/".join(str(t) for t in policy.allowed_terms)
        errors.append(_err("terms.term_months", "TERM_NOT_ALLOWED", allowed=allowed))
    down, reason = _parse_amount(raw.get("down_payment"))
    if down is None and not (reason == "MONEY_TOO_LARGE" and total is not None):
        errors.append(_err("terms.down_payment", "DOWN_PAYMENT_INVALID", reason=reason))
    elif total is not None:
        exact = Decimal(total)
        low = int((exact * policy.min_down_ratio).to_integral_value(rounding=ROUND_CEILING))
        high = int((exact * policy.max_down_ratio).to_integral_value(rounding=ROUND_FLOOR))
        high = min(high, total)
        if down is None or not low <= down <= high:
            errors.append(
                _err(
                    "terms.down_payment",
                    "DOWN_PAYMENT_RANGE",
                    min=format_fen(low),
                    max=format_fen(high),
                    min_pct=_percent(policy.min_down_ratio),
                    max_pct=_percent(policy.max_down_ratio),
                )
            )
        elif not policy.min_principal_fen <= total - down <= policy.max_principal_fen:
            errors.append(
                _err(
                    "terms.down_payment",
                    "PRINCIPAL_RANGE",
                    principal=format_fen(total - down),
                    min=format_fen(policy.min_principal_fen),
                    max=format_fen(policy.max_principal_fen),
                )
            )
    if errors or down is None or term is None:
        return None, errors
    return TermsInput(down, term, methods[method_text]), []


# --- The whole application ---------------------------------------------------------------


def parse_application(
    raw: object,
    *,
    today: date,
    policy: TermsPolicy | None = None,
    first_due_from: date | None = None,
) -> ValidationResult:
    """Validate the raw form/JSON application; never raises, whatever ``raw`` is.
    ``first_due_from``: the day the first-payment date is checked against (head office:
    the application's own day, not the day it arrived); default ``today``."""
    policy = policy if policy is not None else TermsPolicy()
    if not isinstance(raw, Mapping):
        return ValidationResult(
            None, (_err("application", "SECTION_MISSING", section="application"),)
        )
    errors: list[FieldError] = []
    scenario_text = _enum_value(raw.get("scenario"))
    scenarios = {s.value: s for s in Scenario}
    if scenario_text not in scenarios:
        errors.append(_err("scenario", "SCENARIO_INVALID"))
    customer, errs = _check_customer(raw.get("customer"), today, policy)
    errors += errs
    order = raw.get("order")
    lines: tuple[OrderLineInput, ...] | None = None
    city = address = ""
    if isinstance(order, Mapping):
        lines, errs = _check_lines(order.get("lines"), policy)
        errors += errs
        city, errs = _check_city(order.get("delivery_city"), "delivery_city")
        errors += errs
        address, errs = _check_address(order.get("delivery_address"), "delivery_address")
        errors += errs
    else:
        errors.append(_err("order", "SECTION_MISSING", section="order"))
    total = sum(line.amount_fen for line in lines) if lines is not None else None
    terms, errs = _check_terms(raw.get("terms"), total, policy)
    errors += errs
    raw_terms = raw.get("terms")
    first_due, errs = _check_first_due(
        raw_terms.get("first_due_date") if isinstance(raw_terms, Mapping) else None,
        first_due_from or today,
    )
    errors += errs
    consent = None
    if raw.get("consent") is not None:  # absent: the service refuses (CONSENT_MISSING)
        consent, errs = parse_consent(raw.get("consent"))
        errors += errs
    if errors or customer is None or lines is None or terms is None:
        return ValidationResult(None, tuple(errors))
    if first_due is not None:
        terms = dataclasses.replace(terms, first_due_date=first_due)
    value = ApplicationInput(
        scenarios[scenario_text], customer, lines, terms, city, address, consent
    )
    return ValidationResult(value, ())


__all__ = [
    "MAX_LINES",
    "MAX_QUANTITY",
    "MAX_INCOME_FEN",
    "NAME_LEN",
    "CITY_LEN",
    "ADDRESS_LEN",
    "SKU_MAX",
    "ITEM_NAME_MAX",
    "FieldError",
    "ValidationResult",
    "normalize_id_number",
    "id_check_char",
    "id_birth_date",
    "age_on",
    "id_gender",
    "validate_id_number",
    "normalize_phone",
    "validate_phone",
    "validate_name",
    "validate_city",
    "validate_address",
    "validate_customer",
    "parse_application",
]
