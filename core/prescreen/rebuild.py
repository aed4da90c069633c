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

from collections.abc import Mapping
from datetime import date
from typing import Any

from core.models import ApplicationInput
from core.prescreen.facts import graph_inputs, order_facts
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
