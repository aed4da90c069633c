"""The rule pack's parameters as typed values.

Each section is optional: a pack without, say, ``merchant`` simply runs no merchant
checks. A section that is present but malformed is a problem of the pack: its checks
are skipped and the outcome carries ``RULES_ERROR`` naming the section, so a bad
parameter never crashes the counter and never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from core.models import Scenario, ScenarioTerms, TermsPolicy
from core.money import MoneyParseError, parse_yuan

SEVERITIES = ("DECLINE", "REFER")


class ParamError(ValueError):
    pass


@dataclass(frozen=True)
class ScenarioParams:
    allowed_terms: tuple[int, ...]
    min_down_ratio: Decimal
    max_down_ratio: Decimal
    min_principal_fen: int
    max_principal_fen: int
    annual_rate: Decimal
    upfront_fee_fen: int


@dataclass(frozen=True)
class StoreParams:
    max_principal_fen: int
    max_daily_total_fen: int


@dataclass(frozen=True)
class VelocityParams:
    window_days: int
    max_same_id: int
    max_same_phone: int
    max_same_device: int


@dataclass(frozen=True)
class MerchantParams:
    spike_ratio: Decimal
    spike_min_today: int
    baseline_days: int
    price_deviation: Decimal
    shared_phone_max: int
    shared_address_max: int
    shared_window_days: int | None  # None: the velocity window
    unverifiable_price_min_fen: int | None = None  # None: unknown SKUs are not referred
    new_salesperson_daily_cap: int | None = None  # None: no cap for a new salesperson


@dataclass(frozen=True)
class BorrowerParams:
    """Age and affordability: the pack's ``age`` and ``affordability`` sections, or a
    scenario's own ``borrower`` overrides of them."""

    min_age: int
    max_age: int
    refer_age_above: int
    refer_pti: Decimal
    decline_pti: Decimal


@dataclass(frozen=True)
class StoreSideParams:
    """Store-side thresholds a scenario may set for itself (``store_side``): the price
    deviation allowed, the line amount from which a price that cannot be checked
    (an SKU the local catalog lacks, or no catalog at all) is referred, and a new
    salesperson's daily cap. ``None``: that check is off (a pack that does not set it)."""

    price_deviation: Decimal | None
    unverifiable_price_min_fen: int | None
    new_salesperson_daily_cap: int | None


@dataclass(frozen=True)
class ConsistencyParams:
    city_mismatch: str | None  # "DECLINE", "REFER", or None ("IGNORE": not checked)


@dataclass(frozen=True)
class Params:
    scenarios: Mapping[str, ScenarioParams]
    store: StoreParams | None
    velocity: VelocityParams | None
    merchant: MerchantParams | None
    consistency: ConsistencyParams | None
    problems: tuple[str, ...]  # malformed sections, e.g. ("velocity",)
    borrower: BorrowerParams | None = None  # the pack-wide age and affordability
    scenario_borrower: Mapping[str, BorrowerParams] = field(default_factory=dict)
    scenario_store_side: Mapping[str, StoreSideParams] = field(default_factory=dict)

    def borrower_for(self, scenario: str) -> BorrowerParams | None:
        return self.scenario_borrower.get(scenario, self.borrower)

    def store_side_for(self, scenario: str) -> StoreSideParams:
        found = self.scenario_store_side.get(scenario)
        if found is not None:
            return found
        m = self.merchant
        return StoreSideParams(
            m.price_deviation if m is not None else None,
            m.unverifiable_price_min_fen if m is not None else None,
            m.new_salesperson_daily_cap if m is not None else None,
        )

    @property
    def shared_window_days(self) -> int | None:
        if self.merchant is not None and self.merchant.shared_window_days is not None:
            return self.merchant.shared_window_days
        return self.velocity.window_days if self.velocity is not None else None


# --- field readers: each raises ParamError with the key that is wrong ----------------------


def _section(raw: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ParamError(key)
    return value


def _int(raw: Mapping[str, Any], key: str, low: int = 0, high: int = 10**9) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParamError(key)
    return value


def _decimal(raw: Mapping[str, Any], key: str, low: str = "0", high: str = "1000") -> Decimal:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParamError(key)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ParamError(key) from None
    if not number.is_finite() or not Decimal(low) <= number <= Decimal(high):
        raise ParamError(key)
    return number


def _yuan(raw: Mapping[str, Any], key: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParamError(key)
    try:
        return parse_yuan(value)
    except MoneyParseError:
        raise ParamError(key) from None


def _scenario(raw: Mapping[str, Any]) -> ScenarioParams:
    terms = raw.get("allowed_terms")
    if (
        not isinstance(terms, list | tuple)
        or not terms
        or not all(isinstance(t, int) and not isinstance(t, bool) and 1 <= t <= 360 for t in terms)
    ):
        raise ParamError("allowed_terms")
    params = ScenarioParams(
        allowed_terms=tuple(sorted(set(terms))),
        min_down_ratio=_decimal(raw, "min_down_ratio", "0", "1"),
        max_down_ratio=_decimal(raw, "max_down_ratio", "0", "1"),
        min_principal_fen=_yuan(raw, "min_principal"),
        max_principal_fen=_yuan(raw, "max_principal"),
        annual_rate=_decimal(raw, "annual_rate", "0", "9.99"),
        upfront_fee_fen=_yuan(raw, "upfront_fee") if "upfront_fee" in raw else 0,
    )
    if params.min_down_ratio > params.max_down_ratio:
        raise ParamError("min_down_ratio")
    if params.min_principal_fen > params.max_principal_fen:
        raise ParamError("min_principal")
    return params


def _severity_or_off(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key, "REFER")
    if value in SEVERITIES:
        return str(value)
    if value in ("IGNORE", "OFF", None):
        return None
    raise ParamError(key)


def _borrower(raw: Mapping[str, Any], base: BorrowerParams | None) -> BorrowerParams:
    """``raw`` keys over ``base`` (min_age, max_age, refer_age_above, refer_pti, decline_pti)."""

    def pick_int(key: str, fallback: int | None) -> int:
        if key in raw or fallback is None:
            return _int(raw, key, 0, 150)
        return fallback

    def pick_dec(key: str, fallback: Decimal | None) -> Decimal:
        if key in raw or fallback is None:
            return _decimal(raw, key, "0", "100")
        return fallback

    b = BorrowerParams(
        min_age=pick_int("min_age", base.min_age if base else None),
        max_age=pick_int("max_age", base.max_age if base else None),
        refer_age_above=pick_int("refer_age_above", base.refer_age_above if base else None),
        refer_pti=pick_dec("refer_pti", base.refer_pti if base else None),
        decline_pti=pick_dec("decline_pti", base.decline_pti if base else None),
    )
    if not b.min_age <= b.refer_age_above <= b.max_age:
        raise ParamError("refer_age_above")
    if b.refer_pti > b.decline_pti:
        raise ParamError("refer_pti")
    return b


def _store_side(raw: Mapping[str, Any], base: StoreSideParams) -> StoreSideParams:
    return StoreSideParams(
        price_deviation=(
            _decimal(raw, "price_deviation") if "price_deviation" in raw else base.price_deviation
        ),
        unverifiable_price_min_fen=(
            _yuan(raw, "unverifiable_price_min")
            if "unverifiable_price_min" in raw
            else base.unverifiable_price_min_fen
        ),
        new_salesperson_daily_cap=(
            _int(raw, "new_salesperson_daily_cap", 0, 100_000)
            if "new_salesperson_daily_cap" in raw
            else base.new_salesperson_daily_cap
        ),
    )


def parse_params(raw: Mapping[str, Any]) -> Params:
    """Never raises: malformed sections are listed in ``problems`` and left out."""
    problems: list[str] = []
    scenarios: dict[str, ScenarioParams] = {}

    def guarded(name: str, read: Any) -> Any:
        try:
            section = _section(raw, name)
            return None if section is None else read(section)
        except ParamError as exc:
            problems.append(f"{name}.{exc}" if str(exc) != name else name)
            return None

    def read_scenarios(section: Mapping[str, Any]) -> None:
        for key, value in section.items():
            if not isinstance(value, Mapping):
                problems.append(f"scenarios.{key}")
                continue
            try:
                scenarios[str(key)] = _scenario(value)
            except ParamError as exc:
                problems.append(f"scenarios.{key}.{exc}")

    guarded("scenarios", read_scenarios)
    store = guarded(
        "store", lambda s: StoreParams(_yuan(s, "max_principal"), _yuan(s, "max_daily_total"))
    )
    velocity = guarded(
        "velocity",
        lambda s: VelocityParams(
            _int(s, "window_days", 1, 3660),
            _int(s, "max_same_id"),
            _int(s, "max_same_phone"),
            _int(s, "max_same_device"),
        ),
    )
    merchant = guarded(
        "merchant",
        lambda s: MerchantParams(
            spike_ratio=_decimal(s, "spike_ratio", "0"),
            spike_min_today=_int(s, "spike_min_today"),
            baseline_days=_int(s, "baseline_days", 1, 3660),
            price_deviation=_decimal(s, "price_deviation", "0"),
            shared_phone_max=_int(s, "shared_phone_max"),
            shared_address_max=_int(s, "shared_address_max"),
            shared_window_days=(
                _int(s, "shared_window_days", 1, 3660) if "shared_window_days" in s else None
            ),
            unverifiable_price_min_fen=(
                _yuan(s, "unverifiable_price_min") if "unverifiable_price_min" in s else None
            ),
            new_salesperson_daily_cap=(
                _int(s, "new_salesperson_daily_cap", 0, 100_000)
                if "new_salesperson_daily_cap" in s
                else None
            ),
        ),
    )
    consistency = guarded(
        "consistency", lambda s: ConsistencyParams(_severity_or_off(s, "city_mismatch"))
    )
    borrower = guarded("age", lambda s: _borrower_sections(s, raw.get("affordability")))
    base = Params(scenarios, store, velocity, merchant, consistency, (), borrower)
    per_borrower: dict[str, BorrowerParams] = {}
    per_store: dict[str, StoreSideParams] = {}
    sections = raw.get("scenarios")
    for key, value in sections.items() if isinstance(sections, Mapping) else ():
        if not isinstance(value, Mapping):
            continue
        try:
            where = "borrower"
            if (section := _section(value, where)) is not None:
                per_borrower[str(key)] = _borrower(section, borrower)
            where = "store_side"
            if (section := _section(value, where)) is not None:
                per_store[str(key)] = _store_side(section, base.store_side_for(str(key)))
        except ParamError as exc:
            detail = "" if str(exc) == where else f".{exc}"
            problems.append(f"scenarios.{key}.{where}{detail}")
    return Params(
        scenarios,
        store,
        velocity,
        merchant,
        consistency,
        tuple(problems),
        borrower,
        MappingProxyType(per_borrower),
        MappingProxyType(per_store),
    )


def _borrower_sections(age: Mapping[str, Any], affordability: object) -> BorrowerParams:
    """The pack-wide ``age`` (min, max, refer_above) and ``affordability`` sections."""
    if not isinstance(affordability, Mapping):
        raise ParamError("affordability")
    return _borrower(
        {
            "min_age": age.get("min"),
            "max_age": age.get("max"),
            "refer_age_above": age.get("refer_above"),
            "refer_pti": affordability.get("refer_pti"),
            "decline_pti": affordability.get("decline_pti"),
        },
        None,
    )


def terms_policy(params: Params, base: TermsPolicy) -> TermsPolicy:
    """The form's policy from a pack's scenario parameters: the union over scenarios for
    validation, each scenario's own terms, rates and fees for quotes and the form."""
    known = {s.value: s for s in Scenario}
    scenarios = {known[k]: v for k, v in params.scenarios.items() if k in known}
    if not scenarios:
        return base
    values = list(scenarios.values())
    return replace(
        base,
        allowed_terms=tuple(sorted({t for v in values for t in v.allowed_terms})),
        min_down_ratio=min(v.min_down_ratio for v in values),
        max_down_ratio=max(v.max_down_ratio for v in values),
        min_principal_fen=min(v.min_principal_fen for v in values),
        max_principal_fen=max(v.max_principal_fen for v in values),
        annual_rate={**base.annual_rate, **{s: v.annual_rate for s, v in scenarios.items()}},
        by_scenario={
            s: ScenarioTerms(v.allowed_terms, v.min_down_ratio, v.max_down_ratio, v.upfront_fee_fen)
            for s, v in scenarios.items()
        },
    )
