"""Shape checks for a signed pack: every problem names the field it is about.

Parameters (``manifest.parameters``), read by ``core.prescreen.outcome``. Amounts are yuan and
ratios are decimal *strings* (``"50000"``, ``"0.0888"``: read them with ``Decimal``);
counts and days are JSON integers. Keys not listed are allowed (newer packs may add
parameters an older app ignores)::

    scenarios.<scenario>:            one entry per key of manifest.scenarios
        allowed_terms   [int, ...]   months offered, each 1..120, non-empty
        min_down_ratio  dec 0..1     down payment / order total, lower bound
        max_down_ratio  dec 0..1     upper bound (>= min_down_ratio)
        min_principal   dec yuan     smallest financed amount
        max_principal   dec yuan     largest financed amount for this scenario (> min)
        annual_rate     dec 0..1     nominal yearly rate used for the schedule
        upfront_fee     dec yuan     fee paid at signing
        borrower        optional     the scenario's own age and affordability: any of
                                     min_age, max_age, refer_age_above (int years),
                                     refer_pti, decline_pti (dec); the rest from the
                                     pack-wide sections below
        store_side      optional     the scenario's own store-side thresholds: any of
                                     price_deviation (dec), unverifiable_price_min (dec
                                     yuan), new_salesperson_daily_cap (int)
    age:            min, max, refer_above: int years; min <= refer_above <= max
                    (core.prescreen.checks.borrower: AGE_UNDER / AGE_OVER / AGE_REFER)
    affordability:  refer_pti <= decline_pti: dec (installment / monthly income;
                    PTI_REFER / PTI_DECLINE)
    store:          max_principal, max_daily_total: dec yuan (per application, per day)
    velocity:       window_days >= 1; max_same_id, max_same_phone, max_same_device >= 0
    merchant:       spike_ratio dec > 0 (today vs daily baseline), spike_min_today int,
                    baseline_days int >= 1, price_deviation dec >= 0 (vs catalog price),
                    shared_phone_max, shared_address_max int >= 0; optional:
                    unverifiable_price_min dec yuan (a line the local catalog cannot
                    price, from this amount: PRICE_UNVERIFIABLE), new_salesperson_daily_cap
                    int (a salesperson with no earlier day: NEW_SALESPERSON_CAP)
    consistency:    city_mismatch: "IGNORE" | "REFER" | "DECLINE"
    evidence:       optional; rules: [{scenario | "*", min_principal dec yuan, require:
                    [kind, ...]}] (core.rules.evidence); absent: nothing required
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.rules.errors import PackError

FORMAT = "loandesk-rulepack/1"
BLACKLIST_KINDS = ("id", "phone", "device")
SEVERITIES = ("DECLINE", "REFER")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX = re.compile(r"^(?:[0-9a-f]{2})+$")
_DECIMAL = re.compile(r"^-?\d{1,12}(?:\.\d{1,8})?$")


def fail(path: str, msg: str) -> PackError:
    return PackError("PACK_SHAPE", f"{path}: {msg}")


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(path, "expected an object")
    return value


def field(d: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in d:
        raise fail(f"{path}.{key}" if path else key, "missing")
    return d[key]


def text(value: Any, path: str, pattern: re.Pattern[str] | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(path, "expected a non-empty string")
    if pattern is not None and not pattern.match(value):
        raise fail(path, f"{value!r} does not match {pattern.pattern}")
    return value


def integer(value: Any, path: str, lo: int | None = None, hi: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail(path, "expected an integer")
    if lo is not None and value < lo:
        raise fail(path, f"must be >= {lo}, got {value}")
    if hi is not None and value > hi:
        raise fail(path, f"must be <= {hi}, got {value}")
    return value


def decimal(value: Any, path: str, lo: str | None = None, hi: str | None = None) -> Decimal:
    if not isinstance(value, str) or not _DECIMAL.match(value):
        raise fail(path, 'expected a decimal number as a string, e.g. "0.6" or "50000"')
    try:
        d = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex already guarantees it
        raise fail(path, "not a decimal number") from None
    if lo is not None and d < Decimal(lo):
        raise fail(path, f"must be >= {lo}, got {value}")
    if hi is not None and d > Decimal(hi):
        raise fail(path, f"must be <= {hi}, got {value}")
    return d


def timestamp(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise fail(path, 'expected an ISO 8601 time string such as "2026-01-01T00:00:00Z"')
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise fail(path, f"{value!r} is not an ISO 8601 time") from None
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise fail(path, f"{value!r} has no time zone (add Z for UTC)")
    return dt


@dataclass(frozen=True)
class Manifest:
    pack_id: str
    version: int
    issued_at: datetime
    valid_from: datetime
    valid_until: datetime
    key_id: str
    scenarios: dict[str, str]  # scenario -> name of its graph in "decisions"
    parameters: dict[str, Any]


def check_manifest(doc: Mapping[str, Any]) -> Manifest:
    fmt = field(doc, "format", "")
    if fmt != FORMAT:
        raise fail("format", f"expected {FORMAT!r}, got {fmt!r}")
    m = obj(field(doc, "manifest", ""), "manifest")
    p = "manifest"
    pack_id = text(field(m, "pack_id", p), f"{p}.pack_id", _PACK_ID)
    version = integer(field(m, "version", p), f"{p}.version", 1, 2**53)
    issued_at = timestamp(field(m, "issued_at", p), f"{p}.issued_at")
    key_id = text(field(m, "key_id", p), f"{p}.key_id")
    valid_from = timestamp(field(m, "valid_from", p), f"{p}.valid_from")
    valid_until = timestamp(field(m, "valid_until", p), f"{p}.valid_until")
    if valid_until <= valid_from:
        raise fail(f"{p}.valid_until", "must be later than valid_from")
    raw_scenarios = obj(field(m, "scenarios", p), f"{p}.scenarios")
    if not raw_scenarios:
        raise fail(f"{p}.scenarios", "at least one scenario is required")
    scenarios = {
        text(k, f"{p}.scenarios (key {k!r})", _NAME): text(v, f"{p}.scenarios.{k}")
        for k, v in raw_scenarios.items()
    }
    params = obj(field(m, "parameters", p), f"{p}.parameters")
    check_parameters(params, tuple(scenarios), f"{p}.parameters")
    return Manifest(pack_id, version, issued_at, valid_from, valid_until, key_id, scenarios, params)


def _section(params: Mapping[str, Any], key: str, path: str) -> tuple[dict[str, Any], str]:
    return obj(field(params, key, path), f"{path}.{key}"), f"{path}.{key}"


def check_parameters(params: Mapping[str, Any], scenarios: tuple[str, ...], path: str) -> None:
    per, sp = _section(params, "scenarios", path)
    for name in scenarios:
        s = obj(field(per, name, sp), f"{sp}.{name}")
        q = f"{sp}.{name}"
        terms = field(s, "allowed_terms", q)
        if not isinstance(terms, list) or not terms:
            raise fail(f"{q}.allowed_terms", "expected a non-empty list of integers")
        for i, t in enumerate(terms):
            integer(t, f"{q}.allowed_terms[{i}]", 1, 120)
        lo = decimal(field(s, "min_down_ratio", q), f"{q}.min_down_ratio", "0", "1")
        if decimal(field(s, "max_down_ratio", q), f"{q}.max_down_ratio", "0", "1") < lo:
            raise fail(f"{q}.max_down_ratio", "must be >= min_down_ratio")
        lo = decimal(field(s, "min_principal", q), f"{q}.min_principal", "0")
        if decimal(field(s, "max_principal", q), f"{q}.max_principal", "0") <= lo:
            raise fail(f"{q}.max_principal", "must be greater than min_principal")
        decimal(field(s, "annual_rate", q), f"{q}.annual_rate", "0", "1")
        decimal(field(s, "upfront_fee", q), f"{q}.upfront_fee", "0")
        _scenario_overrides(s, q)

    age, q = _section(params, "age", path)
    a_min = integer(field(age, "min", q), f"{q}.min", 0, 150)
    a_max = integer(field(age, "max", q), f"{q}.max", a_min, 150)
    integer(field(age, "refer_above", q), f"{q}.refer_above", a_min, a_max)

    aff, q = _section(params, "affordability", path)
    decline = decimal(field(aff, "decline_pti", q), f"{q}.decline_pti", "0")
    decimal(field(aff, "refer_pti", q), f"{q}.refer_pti", "0", str(decline))

    store, q = _section(params, "store", path)
    for key in ("max_principal", "max_daily_total"):
        if decimal(field(store, key, q), f"{q}.{key}", "0") == 0:
            raise fail(f"{q}.{key}", "must be > 0")

    vel, q = _section(params, "velocity", path)
    integer(field(vel, "window_days", q), f"{q}.window_days", 1, 3660)
    for key in ("max_same_id", "max_same_phone", "max_same_device"):
        integer(field(vel, key, q), f"{q}.{key}", 0)

    mer, q = _section(params, "merchant", path)
    if decimal(field(mer, "spike_ratio", q), f"{q}.spike_ratio", "0") == 0:
        raise fail(f"{q}.spike_ratio", "must be > 0")
    integer(field(mer, "spike_min_today", q), f"{q}.spike_min_today", 0)
    integer(field(mer, "baseline_days", q), f"{q}.baseline_days", 1, 3660)
    decimal(field(mer, "price_deviation", q), f"{q}.price_deviation", "0")
    for key in ("shared_phone_max", "shared_address_max"):
        integer(field(mer, key, q), f"{q}.{key}", 0)
    if "unverifiable_price_min" in mer:
        decimal(mer["unverifiable_price_min"], f"{q}.unverifiable_price_min", "0")
    if "new_salesperson_daily_cap" in mer:
        integer(mer["new_salesperson_daily_cap"], f"{q}.new_salesperson_daily_cap", 0, 100_000)

    con, q = _section(params, "consistency", path)
    mode = field(con, "city_mismatch", q)
    if mode not in ("IGNORE", "REFER", "DECLINE"):
        raise fail(f"{q}.city_mismatch", f'expected "IGNORE", "REFER" or "DECLINE", got {mode!r}')

    if "evidence" in params:  # optional: what must be attached (core.rules.evidence)
        from core.rules.evidence import check_evidence

        check_evidence(params["evidence"], scenarios, f"{path}.evidence")


def _scenario_overrides(s: Mapping[str, Any], q: str) -> None:
    """A scenario's optional ``borrower`` and ``store_side`` thresholds."""
    if "borrower" in s:
        b, p = obj(s["borrower"], f"{q}.borrower"), f"{q}.borrower"
        for key in ("min_age", "max_age", "refer_age_above"):
            if key in b:
                integer(b[key], f"{p}.{key}", 0, 150)
        for key in ("refer_pti", "decline_pti"):
            if key in b:
                decimal(b[key], f"{p}.{key}", "0", "100")
        if (
            "refer_pti" in b
            and "decline_pti" in b
            and Decimal(b["refer_pti"]) > Decimal(b["decline_pti"])
        ):
            raise fail(f"{p}.refer_pti", "must be <= decline_pti")
    if "store_side" in s:
        t, p = obj(s["store_side"], f"{q}.store_side"), f"{q}.store_side"
        if "price_deviation" in t:
            decimal(t["price_deviation"], f"{p}.price_deviation", "0")
        if "unverifiable_price_min" in t:
            decimal(t["unverifiable_price_min"], f"{p}.unverifiable_price_min", "0")
        if "new_salesperson_daily_cap" in t:
            integer(t["new_salesperson_daily_cap"], f"{p}.new_salesperson_daily_cap", 0, 100_000)


@dataclass(frozen=True)
class PackBlacklist:
    pepper: str
    digests: dict[str, tuple[str, ...]]  # kind -> hex digests


def check_blacklist(doc: Mapping[str, Any]) -> PackBlacklist:
    bl = obj(field(doc, "blacklist", ""), "blacklist")
    if field(bl, "hash", "blacklist") != "hmac-sha256":
        raise fail("blacklist.hash", 'expected "hmac-sha256"')
    pepper = field(bl, "key", "blacklist")
    if not isinstance(pepper, str) or not _HEX.match(pepper) or len(pepper) < 32:
        raise fail("blacklist.key", "expected at least 16 bytes as lower-case hex")
    digests: dict[str, tuple[str, ...]] = {}
    for kind in BLACKLIST_KINDS:
        values = bl.get(kind, [])
        if not isinstance(values, list):
            raise fail(f"blacklist.{kind}", "expected a list of hex digests")
        for i, v in enumerate(values):
            if not isinstance(v, str) or not _HEX64.match(v):
                raise fail(f"blacklist.{kind}[{i}]", "expected 64 lower-case hex characters")
        digests[kind] = tuple(values)
    return PackBlacklist(pepper, digests)


def check_decisions(doc: Mapping[str, Any], scenarios: Mapping[str, str]) -> dict[str, Any]:
    """Returns ``scenario -> graph``; every scenario needs its graph and vice versa."""
    decisions = obj(field(doc, "decisions", ""), "decisions")
    graphs: dict[str, Any] = {}
    for scenario, name in scenarios.items():
        if name not in decisions:
            raise fail(
                f"manifest.scenarios.{scenario}", f"names decision {name!r}, which is missing"
            )
        graphs[scenario] = obj(decisions[name], f"decisions.{name}")
    unused = sorted(set(decisions) - set(scenarios.values()))
    if unused:
        raise fail(f"decisions.{unused[0]}", "not used by any scenario in manifest.scenarios")
    return graphs
