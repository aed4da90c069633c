"""The code-side checks: pure functions of the gathered inputs and the pack parameters.

Nothing here reads the database or the clock, so replaying a receipt's ``inputs``
with the same pack gives the same reasons. Every threshold comes from the pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.money import format_fen
from core.prescreen.params import Params
from core.prescreen.reason import Reason


def _yuan(fen: int) -> str:
    return format_fen(fen, grouping=False)


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}"


def _ratio(value: Decimal | float) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.0001')).normalize():f}"


def data_consistency(inputs: Mapping[str, Any]) -> list[Reason]:
    """Order total = sum of lines; 0 <= down payment < total; a readable ID; income > 0."""
    o = inputs["order"]
    total, lines_total, down = o["order_total_fen"], o["lines_total_fen"], o["down_payment_fen"]
    problems = []
    if not o["lines"] or any(ln["unit_price_fen"] <= 0 or ln["quantity"] <= 0 for ln in o["lines"]):
        problems.append("lines")
    if total != lines_total:
        problems.append("order_total")
    if down < 0 or down >= total or o["principal_fen"] != total - down:
        problems.append("down_payment")
    if not o["id_valid"]:
        problems.append("id_number")
    if o["monthly_income_fen"] <= 0:
        problems.append("monthly_income")
    if not problems:
        return []
    return [
        Reason(
            "DATA_INCONSISTENT",
            "DECLINE",
            "data",
            {
                "problems": problems,
                "order_total": _yuan(total),
                "lines_total": _yuan(lines_total),
                "down_payment": _yuan(down),
            },
        )
    ]


def blacklist(inputs: Mapping[str, Any]) -> list[Reason]:
    hits = inputs["blacklist"]
    out = []
    if hits["id"]:
        out.append(Reason("BLACKLIST_ID", "DECLINE", "borrower", {"kind": "id"}))
    if hits["phone"]:
        out.append(Reason("BLACKLIST_PHONE", "DECLINE", "borrower", {"kind": "phone"}))
    if hits["device"]:
        out.append(Reason("BLACKLIST_DEVICE", "REFER", "merchant", {"kind": "device"}))
    return out


def eligibility(inputs: Mapping[str, Any], params: Params) -> list[Reason]:
    """What the product allows for the scenario, and the store's own limits.

    Codes and severities match the default pack's graph rows of the same meaning, so
    when both fire they merge into one reason (see :func:`core.prescreen.decide`).
    """
    o = inputs["order"]
    out: list[Reason] = []
    sp = params.scenarios.get(o["scenario"])
    principal = o["principal_fen"]
    if sp is not None:
        if o["term_months"] not in sp.allowed_terms:
            out.append(
                Reason(
                    "TERM_NOT_OFFERED",
                    "DECLINE",
                    "borrower",
                    {
                        "term_months": o["term_months"],
                        "allowed_terms": "/".join(str(t) for t in sp.allowed_terms),
                    },
                )
            )
        total = o["order_total_fen"]
        if total > 0:
            ratio = Decimal(o["down_payment_fen"]) / Decimal(total)
            bound = None
            if ratio < sp.min_down_ratio:
                bound = "DOWN_PAYMENT_LOW"
            elif ratio > sp.max_down_ratio:
                bound = "DOWN_PAYMENT_HIGH"
            if bound is not None:
                out.append(
                    Reason(
                        bound,
                        "REFER",
                        "borrower",
                        {
                            "down_payment_ratio": _ratio(ratio),
                            "min_pct": _pct(sp.min_down_ratio),
                            "max_pct": _pct(sp.max_down_ratio),
                        },
                    )
                )
        limits = {
            "principal": _yuan(principal),
            "min_principal": _yuan(sp.min_principal_fen),
            "max_principal": _yuan(sp.max_principal_fen),
        }
        if principal < sp.min_principal_fen:
            out.append(Reason("AMOUNT_UNDER", "DECLINE", "borrower", limits))
        elif principal > sp.max_principal_fen:
            out.append(Reason("AMOUNT_OVER", "DECLINE", "borrower", limits))
    if params.store is not None:
        st = params.store
        if principal > st.max_principal_fen:
            out.append(
                Reason(
                    "STORE_PRINCIPAL_LIMIT",
                    "REFER",
                    "merchant",
                    {"principal": _yuan(principal), "max_principal": _yuan(st.max_principal_fen)},
                )
            )
        today = inputs.get("store", {}).get("principal_today_fen")
        if today is not None and today + principal > st.max_daily_total_fen:
            out.append(
                Reason(
                    "STORE_DAILY_LIMIT",
                    "REFER",
                    "merchant",
                    {
                        "today_total": _yuan(today),
                        "principal": _yuan(principal),
                        "max_daily_total": _yuan(st.max_daily_total_fen),
                    },
                )
            )
    return out


def velocity(inputs: Mapping[str, Any], params: Params) -> list[Reason]:
    """Counts include this application; more than the pack's maximum is referred."""
    v, facts = params.velocity, inputs.get("velocity")
    if v is None or facts is None:
        return []
    out = []
    for code, key, limit, side in (
        ("VELOCITY_ID", "same_id", v.max_same_id, "borrower"),
        ("VELOCITY_PHONE", "same_phone", v.max_same_phone, "borrower"),
        ("VELOCITY_DEVICE", "same_device", v.max_same_device, "merchant"),
    ):
        if facts[key] > limit:
            out.append(
                Reason(
                    code,
                    "REFER",
                    side,  # type: ignore[arg-type]
                    {"count": facts[key], "max": limit, "window_days": facts["window_days"]},
                )
            )
    return out


def borrower(inputs: Mapping[str, Any], params: Params) -> list[Reason]:
    """Age and affordability with the pack's thresholds for the scenario (its
    ``borrower`` overrides, else the pack-wide ``age`` and ``affordability``). The codes
    are the decision graph's: where both fire they merge into one reason."""
    g = inputs["graph"]
    b = params.borrower_for(g["scenario"])
    if b is None:
        return []
    out: list[Reason] = []
    age = {"age": g["age"]}
    if g["age"] < b.min_age:
        out.append(Reason("AGE_UNDER", "DECLINE", "borrower", age))
    elif g["age"] > b.max_age:
        out.append(Reason("AGE_OVER", "DECLINE", "borrower", age))
    elif g["age"] > b.refer_age_above:
        out.append(Reason("AGE_REFER", "REFER", "borrower", age))
    pti = Decimal(str(g["pti"]))
    afford = {"pti": g["pti"], "monthly_income": g["monthly_income"]}
    if g["monthly_income"] > 0 and pti > b.decline_pti:
        out.append(Reason("PTI_DECLINE", "DECLINE", "borrower", afford))
    elif g["monthly_income"] > 0 and pti > b.refer_pti:
        out.append(Reason("PTI_REFER", "REFER", "borrower", afford))
    return out


def _unverifiable(inputs: Mapping[str, Any], floor: int | None) -> list[Reason]:
    """Lines the local catalog cannot price (an SKU it lacks, or no catalog on this
    PC) from ``floor`` up: referred, never passed unchecked."""
    if floor is None:
        return []
    out = []
    for line in inputs["order"]["lines"]:
        if line.get("catalog_price_fen"):
            continue
        amount = line["unit_price_fen"] * line["quantity"]
        if amount >= floor:
            out.append(
                Reason(
                    "PRICE_UNVERIFIABLE",
                    "REFER",
                    "merchant",
                    {"sku": line["sku"], "amount": _yuan(amount), "min_amount": _yuan(floor)},
                )
            )
    return out


def _new_salesperson(facts: Mapping[str, Any], cap: int | None) -> list[Reason]:
    """A salesperson with no application before today has no norm to spike against:
    more than the pack's daily cap is referred instead."""
    op = facts["operator"]
    if cap is None or op["history_days"] > 0 or op["today"] <= cap:
        return []
    return [Reason("NEW_SALESPERSON_CAP", "REFER", "merchant", {"today": op["today"], "cap": cap})]


def merchant(inputs: Mapping[str, Any], params: Params) -> list[Reason]:
    m, facts = params.merchant, inputs.get("merchant")
    if m is None or facts is None:
        return []
    side = params.store_side_for(inputs["order"]["scenario"])
    out = _new_salesperson(facts, side.new_salesperson_daily_cap)
    for code, scope in (("SALESPERSON_SPIKE", "operator"), ("STORE_SPIKE", "store")):
        vol = facts[scope]
        days = vol["history_days"]
        if days <= 0 or vol["today"] < m.spike_min_today:
            continue  # no norm yet, or too few to mean anything
        # today > ratio x (baseline_total / days), without float rounding
        if Decimal(vol["today"]) * days > m.spike_ratio * vol["baseline_total"]:
            average = Decimal(vol["baseline_total"]) / days
            out.append(
                Reason(
                    code,
                    "REFER",
                    "merchant",
                    {
                        "today": vol["today"],
                        "daily_average": f"{average.quantize(Decimal('0.1'))}",
                        "days": days,
                        "spike_ratio": f"{m.spike_ratio.normalize():f}",
                    },
                )
            )
    allowed = side.price_deviation
    for line in inputs["order"]["lines"]:
        catalog = line.get("catalog_price_fen")
        if not catalog or allowed is None:
            continue
        deviation = abs(Decimal(line["unit_price_fen"] - catalog)) / Decimal(catalog)
        if deviation > allowed:
            out.append(
                Reason(
                    "PRICE_DEVIATION",
                    "REFER",
                    "merchant",
                    {
                        "sku": line["sku"],
                        "price": _yuan(line["unit_price_fen"]),
                        "catalog_price": _yuan(catalog),
                        "deviation_pct": f"{(deviation * 100).quantize(Decimal('1'))}",
                        "max_pct": _pct(allowed),
                    },
                )
            )
    out += _unverifiable(inputs, side.unverifiable_price_min_fen)
    window = facts.get("shared_window_days")
    if window is not None:
        if facts["phone_ids"] > m.shared_phone_max:
            out.append(
                Reason(
                    "SHARED_PHONE",
                    "REFER",
                    "merchant",
                    {"count": facts["phone_ids"], "max": m.shared_phone_max, "window_days": window},
                )
            )
        if facts["address_customers"] > m.shared_address_max:
            out.append(
                Reason(
                    "SHARED_DELIVERY_ADDRESS",
                    "REFER",
                    "merchant",
                    {
                        "count": facts["address_customers"],
                        "max": m.shared_address_max,
                        "window_days": window,
                    },
                )
            )
    return out


def cities(inputs: Mapping[str, Any], params: Params) -> list[Reason]:
    """Delivery city against the customer's home city and the store's city."""
    if params.consistency is None or params.consistency.city_mismatch is None:
        return []
    c = inputs.get("cities")
    if c is None:
        return []
    delivery = c["delivery"]
    against = [w for w in ("home", "store") if c[w] and delivery and c[w] != delivery]
    if not against:
        return []
    severity = params.consistency.city_mismatch
    return [
        Reason(
            "DELIVERY_CITY_MISMATCH",
            severity,  # type: ignore[arg-type]
            "data",
            {
                "delivery_city": c["delivery"],
                "home_city": c["home"],
                "store_city": c["store"],
                "against": "+".join(against),
            },
        )
    ]


def code_side(inputs: Mapping[str, Any], params: Params) -> list[Reason]:
    return [
        *borrower(inputs, params),
        *eligibility(inputs, params),
        *velocity(inputs, params),
        *merchant(inputs, params),
        *cities(inputs, params),
    ]
