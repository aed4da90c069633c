"""A store's pre-screen, replayed elsewhere from what only the store could see.

A receipt's ``inputs`` (:func:`core.prescreen.gather`) hold two kinds of facts:

* those the application itself determines: ``graph`` (age, income, principal, PTI...)
  and ``order`` (totals, lines, the largest installment). Anyone holding the
  application and its schedule computes them again;
* those only the store could see: its clock (``as_of``, ``local_day``), its rule-pack
  state (``rules``), blacklist hits, velocity counts, merchant baselines, the day's
  totals, cities, and the local catalog's price of each order line.

A payload carries only the second kind, the *local inputs* (:func:`local_inputs`), so
the application is not sent twice and no computed fact is taken on trust: the central
side rebuilds the rest from the application and its own schedule
(:func:`rebuild_inputs`), and the result must hash to the receipt's ``inputs_sha256``
before :func:`core.prescreen.replay` decides it again with the published pack.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from core.models import ApplicationInput, RepaymentMethod
from core.money import Schedule, build_schedule
from core.prescreen.facts import graph_inputs, order_facts
from core.prescreen.outcome import canonical_json
from core.validation.application import id_birth_date

# What the application determines, rebuilt rather than sent.
APPLICATION_KEYS = ("graph", "order")
# The local catalog's price of each order line (merchant checks), in line order.
CATALOG_PRICES = "catalog_prices"


def local_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a receipt's ``inputs`` that only the store could gather."""
    out = {k: v for k, v in inputs.items() if k not in APPLICATION_KEYS}
    lines = inputs.get("order", {}).get("lines", [])
    if any("catalog_price_fen" in line for line in lines):
        out[CATALOG_PRICES] = [line.get("catalog_price_fen") for line in lines]
    return out


def rebuild_inputs(
    app: ApplicationInput, local: Mapping[str, Any], max_installment_fen: int
) -> dict[str, Any]:
    """The receipt's whole ``inputs``: ``local`` plus the facts of ``app`` with the
    schedule's largest installment. Raises ValueError when ``local`` cannot be the
    local part of a receipt for ``app`` (no day, or prices for other lines)."""
    day = local.get("local_day")
    if not isinstance(day, str):
        raise ValueError("the local inputs name no local_day")
    local_day = date.fromisoformat(day)
    birth = id_birth_date(app.customer.id_number)
    inputs = {k: v for k, v in local.items() if k not in (*APPLICATION_KEYS, CATALOG_PRICES)}
    inputs["graph"] = graph_inputs(app, birth, local_day, max_installment_fen)
    order = order_facts(app, birth is not None, max_installment_fen)
    prices = local.get(CATALOG_PRICES)
    if prices is not None:
        if not isinstance(prices, list) or len(prices) != len(order["lines"]):
            raise ValueError("catalog prices do not match the order lines")
        for line, price in zip(order["lines"], prices, strict=True):
            line["catalog_price_fen"] = price
    inputs["order"] = order
    return inputs


# --- the receipt as stored: its inputs kept once -----------------------------------------
#
# A saved receipt whose ``inputs`` the application's own stored rows rebuild exactly (the
# same canonical bytes, so the same sha256) stores only its local part, behind this
# marker; the rest is rebuilt on read and checked against the receipt's ``inputs_sha256``.
# Canonical JSON of a dict starts with "{", so the two forms cannot be confused.
COMPACT = "local:"


def _sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_compact(stored: str) -> bool:
    return stored.startswith(COMPACT)


def compact_inputs(
    inputs_json: str, inputs_sha256: str, app: ApplicationInput, max_installment_fen: int
) -> str:
    """What the receipt stores for ``inputs_json`` (canonical, hashing to
    ``inputs_sha256``): the marker and the local part when ``app`` (as its rows will read
    back) and the schedule's largest installment rebuild exactly those bytes; otherwise
    ``inputs_json`` itself (the review's inputs of another application, an older form)."""
    if _sha256_of(inputs_json) != inputs_sha256:
        return inputs_json
    try:
        inputs = json.loads(inputs_json)
        if not isinstance(inputs, dict):
            return inputs_json
        local = local_inputs(inputs)
        rebuilt = canonical_json(rebuild_inputs(app, local, max_installment_fen))
    except (ValueError, TypeError, KeyError, AttributeError):
        return inputs_json
    if rebuilt != inputs_json:
        return inputs_json
    return COMPACT + canonical_json(local)


def expand_inputs(
    stored: str, inputs_sha256: str, app: ApplicationInput, max_installment_fen: int
) -> str:
    """The receipt's whole canonical ``inputs`` from a compact ``stored`` value and the
    application's stored rows. Raises ValueError when they do not hash to
    ``inputs_sha256`` (the application was changed after the fact) or cannot be rebuilt."""
    try:
        local = json.loads(stored[len(COMPACT) :])
        if not isinstance(local, dict):
            raise ValueError("the stored local inputs are not an object")
        text = canonical_json(rebuild_inputs(app, local, max_installment_fen))
    except (TypeError, KeyError, AttributeError) as exc:
        raise ValueError(type(exc).__name__) from None
    if _sha256_of(text) != inputs_sha256:
        raise ValueError("the rebuilt inputs do not hash to the receipt's sha256")
    return text


# --- the receipt's schedule as stored: kept once -----------------------------------------
#
# The receipt's ``schedule`` (every period as signed: due date, payment, principal,
# interest, fee, balance) is what :func:`core.money.build_schedule` gives the terms the
# application row stores. When those terms rebuild exactly the column's bytes, the column
# holds this marker and a short sha256 of the schedule's canonical JSON instead; the
# schedule is rebuilt on read and checked against it. JSON of a list starts with "[", so
# the two forms cannot be confused.
SCHEDULE_REBUILT = "terms:"
SCHEDULE_SHA_CHARS = 32  # 128 bits of the sha256, in hex
# The application columns the rebuild reads: whatever blanks or changes one of them must
# first store the receipt's schedule whole (ReceiptsRepo.expand_receipts).
SCHEDULE_TERMS = (
    "method",
    "principal_fen",
    "annual_rate",
    "term_months",
    "upfront_fee_fen",
    "period_fee_fen",
    "first_due_date",
    "due_day",
)


def schedule_json(schedule: Schedule) -> list[dict[str, Any]]:
    """The schedule as the receipt keeps it: each period, its due date and amounts."""
    return [
        {
            "period": r.period,
            "due_date": r.due_date.isoformat() if r.due_date is not None else None,
            "payment_fen": r.payment_fen,
            "principal_fen": r.principal_fen,
            "interest_fen": r.interest_fen,
            "fee_fen": r.fee_fen,
            "balance_fen": r.balance_fen,
        }
        for r in schedule.rows
    ]


def schedule_text(rows: list[dict[str, Any]]) -> str:
    """The receipt's ``schedule`` column for ``rows`` in its whole form."""
    return json.dumps(rows, sort_keys=True)


def is_rebuilt_schedule(stored: str) -> bool:
    return stored.startswith(SCHEDULE_REBUILT)


def rebuild_schedule(terms: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The schedule of an application row's stored terms (the :data:`SCHEDULE_TERMS`
    columns, as they read back). Raises ValueError when they do not make one."""
    return schedule_json(schedule_of_terms(terms))


def schedule_of_terms(terms: Mapping[str, Any]) -> Schedule:
    """:func:`rebuild_schedule` before it is written out as JSON."""
    try:
        first = terms["first_due_date"]
        due_day = terms["due_day"]
        schedule = build_schedule(
            RepaymentMethod(terms["method"]),
            int(terms["principal_fen"]),
            Decimal(str(terms["annual_rate"])),
            int(terms["term_months"]),
            upfront_fee_fen=int(terms["upfront_fee_fen"]),
            period_fee_fen=int(terms["period_fee_fen"]),
            first_due_date=date.fromisoformat(str(first)) if first else None,
            due_day=int(due_day) if due_day is not None else None,
        )
    except (TypeError, KeyError, ArithmeticError) as exc:
        raise ValueError(type(exc).__name__) from None
    return schedule


def _schedule_sha(rows: list[dict[str, Any]]) -> str:
    return _sha256_of(canonical_json(rows))[:SCHEDULE_SHA_CHARS]


def compact_schedule(text: str, terms: Mapping[str, Any]) -> str:
    """What the receipt stores for the schedule column ``text``: the marker and the
    short sha256 when ``terms`` (the application row as it reads back) rebuild exactly
    those bytes; otherwise ``text`` itself (a schedule priced otherwise, an older form)."""
    try:
        rows = rebuild_schedule(terms)
    except ValueError:
        return text
    if schedule_text(rows) != text:
        return text
    return SCHEDULE_REBUILT + _schedule_sha(rows)


def compact_signed_schedule(signed: Schedule, terms: Mapping[str, Any]) -> str:
    """:func:`compact_schedule` of the schedule the customer signs, given as the
    :class:`Schedule` itself: when ``terms`` rebuild an equal schedule, its JSON is the
    same (it is a function of the schedule), so the texts need not be written out and
    compared; otherwise the texts decide, as in :func:`compact_schedule`."""
    rows = schedule_json(signed)
    try:
        if schedule_of_terms(terms) == signed:
            return SCHEDULE_REBUILT + _schedule_sha(rows)
    except ValueError:
        pass
    return compact_schedule(schedule_text(rows), terms)


def expand_schedule(stored: str, terms: Mapping[str, Any]) -> str:
    """The receipt's whole schedule column from a compact ``stored`` value and the
    application row's ``terms``. Raises ValueError when the rebuild does not carry the
    stored sha256 (the application was changed after the fact) or cannot be made."""
    rows = rebuild_schedule(terms)
    if _schedule_sha(rows) != stored[len(SCHEDULE_REBUILT) :]:
        raise ValueError("the rebuilt schedule does not carry the receipt's sha256")
    return schedule_text(rows)
