"""Pre-screens on the review step, remembered until the application is saved.

A clerk may pre-screen, change the price or the down payment, and pre-screen again
until it passes. Each pre-screen of one customer on this PC (within
:data:`WINDOW`) is remembered in memory; the next one carries a summary in its
inputs (``attempts``: how many before, their outcomes, which fields changed between
them), so the receipt that goes to head office shows re-pricing until PASS. Only
field *names* are kept in the summary, never values; the customer is recognised by
a keyed digest held in memory only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.models import ApplicationInput

WINDOW = timedelta(hours=4)
MAX_REMEMBERED = 200  # customers; the oldest are forgotten first
MAX_OUTCOMES = 20

# the fields whose change between two pre-screens is reported, by name
FIELDS = (
    "scenario", "skus", "unit_prices", "quantities", "down_payment", "term_months",
    "method", "monthly_income", "delivery_address",
)  # fmt: skip


def fingerprint(app: ApplicationInput) -> dict[str, Any]:
    return {
        "scenario": app.scenario.value,
        "skus": tuple(ln.sku for ln in app.lines),
        "unit_prices": tuple(ln.unit_price_fen for ln in app.lines),
        "quantities": tuple(ln.quantity for ln in app.lines),
        "down_payment": app.terms.down_payment_fen,
        "term_months": app.terms.term_months,
        "method": app.terms.method.value,
        "monthly_income": app.customer.monthly_income_fen,
        "delivery_address": app.delivery_address,
    }


@dataclass
class _Customer:
    last_at: datetime
    last: dict[str, Any]
    outcomes: list[str] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)


class AttemptLog:
    def __init__(self) -> None:
        self._key = secrets.token_bytes(16)
        self._by: dict[str, _Customer] = {}

    def _who(self, app: ApplicationInput) -> str:
        return hmac.new(self._key, app.customer.id_number.encode(), hashlib.sha256).hexdigest()

    def summary(self, app: ApplicationInput, at: datetime) -> dict[str, Any] | None:
        """What the receipt of a pre-screen of ``app`` at ``at`` carries, or None."""
        seen = self._by.get(self._who(app))
        if seen is None or not seen.outcomes or at - seen.last_at > WINDOW or at < seen.last_at:
            return None
        now = fingerprint(app)
        changed = seen.changed | {f for f in FIELDS if now[f] != seen.last[f]}
        return {
            "count": len(seen.outcomes),
            "outcomes": list(seen.outcomes[-MAX_OUTCOMES:]),
            "changed": sorted(changed),
        }

    def add(self, app: ApplicationInput, at: datetime, outcome: str) -> None:
        who = self._who(app)
        now = fingerprint(app)
        seen = self._by.get(who)
        if seen is None or at - seen.last_at > WINDOW or at < seen.last_at:
            seen = self._by[who] = _Customer(at, now)
        else:
            seen.changed |= {f for f in FIELDS if now[f] != seen.last[f]}
            seen.last_at, seen.last = at, now
        seen.outcomes.append(outcome)
        if len(self._by) > MAX_REMEMBERED:
            oldest = min(self._by, key=lambda k: self._by[k].last_at)
            del self._by[oldest]

    def forget(self, app: ApplicationInput) -> None:
        self._by.pop(self._who(app), None)
