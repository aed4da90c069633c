"""The store's own pre-screen reasons, as head office reads them.

A store sees only its own PC; head office knows more and can tell three store-side
reasons apart from fraud: a "shared delivery address" that is the store's own
pick-up address, a "price deviation" that is a discount (under the catalog, not
over), and a price the store could not verify (no catalog on its PC, a SKU it lacks)
that head office's catalog verifies. Every other store-side reason stands.
"""

from __future__ import annotations

from collections.abc import Mapping

from server.signals.params import SignalParams
from server.signals.rows import CatalogEntry, SignalRow

# the pre-screen's store-side (fraud) reasons; borrower and data reasons are not here
STORE_SIDE_CODES = frozenset(
    {
        "SHARED_PHONE",
        "SHARED_DELIVERY_ADDRESS",
        "SALESPERSON_SPIKE",
        "STORE_SPIKE",
        "PRICE_DEVIATION",
        "PRICE_UNVERIFIABLE",
        "VELOCITY_ID",
        "VELOCITY_PHONE",
        "VELOCITY_DEVICE",
        "BLACKLIST_ID",
        "BLACKLIST_PHONE",
        "BLACKLIST_DEVICE",
        "NEW_SALESPERSON_CAP",
    }
)


def store_side(reasons: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(r for r in reasons if r in STORE_SIDE_CODES)


def review_store_reasons(
    row: SignalRow,
    catalog: Mapping[str, CatalogEntry],
    pickup_keys: set[str],
    params: SignalParams,
) -> tuple[tuple[str, ...], dict[str, str]]:
    """The store-side reasons that stand, and those dismissed with why."""
    kept, dismissed = [], {}
    for code in store_side(row.store_reasons):
        if code == "SHARED_DELIVERY_ADDRESS" and row.address_key in pickup_keys:
            dismissed[code] = "STORE_PICKUP"
        elif code == "PRICE_DEVIATION" and _discount_only(row, catalog, params):
            dismissed[code] = "DISCOUNT"
        elif code == "PRICE_UNVERIFIABLE" and _verified(row, catalog, params):
            dismissed[code] = "VERIFIED_CENTRALLY"
        else:
            kept.append(code)
    return tuple(kept), dismissed


def _verified(row: SignalRow, catalog: Mapping[str, CatalogEntry], params: SignalParams) -> bool:
    """The store could not check the price (no catalog on its PC, or not yet this SKU)
    but head office's catalog knows every line and none is over it by more than the
    margin: verified here. An SKU head office lacks too stays unverifiable (and its own
    price signals judge it against other stores)."""
    for line in row.lines:
        entry = catalog.get(line.sku)
        if entry is None or line.unit_price_fen > entry.price_fen * (1 + params.price_over_max):
            return False
    return True


def _discount_only(
    row: SignalRow, catalog: Mapping[str, CatalogEntry], params: SignalParams
) -> bool:
    for line in row.lines:
        entry = catalog.get(line.sku)
        if entry is None:
            continue
        if (
            not entry.price_fen * (1 - params.max_discount)
            <= line.unit_price_fen
            <= entry.price_fen
        ):
            return False
    return True


# what a clerk changes to make a pre-screen pass: the money and the goods
REPRICING_FIELDS = frozenset(
    {"skus", "unit_prices", "quantities", "down_payment", "term_months", "scenario",
     "monthly_income"}
)  # fmt: skip


def repriced_to_pass(attempts: object, outcome: str | None) -> tuple[str, ...]:
    """``HO_REPRICED_TO_PASS`` when the receipt's ``attempts`` (the review step's earlier
    pre-screens, core/prescreen/attempts.py) show a REFER or DECLINE turned into a PASS
    by changing the money or the goods."""
    if outcome != "PASS" or not isinstance(attempts, dict):
        return ()
    outcomes, changed = attempts.get("outcomes"), attempts.get("changed")
    if not isinstance(outcomes, list) or not isinstance(changed, list):
        return ()
    if any(o != "PASS" for o in outcomes) and REPRICING_FIELDS & set(map(str, changed)):
        return ("HO_REPRICED_TO_PASS",)
    return ()
