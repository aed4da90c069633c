"""The rule pack's parameters as typed values.

Each section is optional: a pack without, say, ``merchant`` simply runs no merchant
checks. A section that is present but malformed is a problem of the pack: its checks
are skipped and the outcome carries ``RULES_ERROR`` naming the section, so a bad
parameter never crashes the counter and never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
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
        ),
    )
    consistency = guarded(
        "consistency", lambda s: ConsistencyParams(_severity_or_off(s, "city_mismatch"))
    )
    return Params(scenarios, store, velocity, merchant, consistency, tuple(problems))


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
