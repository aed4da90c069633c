"""Gather what the checks look at into one plain dict: the receipt's ``inputs``.

Gathering reads (the local database, the blacklist); deciding
(:mod:`core.prescreen.checks`) is a pure function of this dict and the pack, so the
central side can replay a receipt exactly. Personal data stays out: blacklist hits
are booleans, the phone ring and shared address are counts, the ID number only
contributes the age.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from core.clock import CHINA_TZ
from core.models import ApplicationInput
from core.prescreen.normalize import address_key, city_key
from core.prescreen.params import Params
from core.validation.application import age_on

PTI_CAP = 99.0  # stands for "no income to speak of": keeps the JSON finite

Blacklisted = Callable[[str, str], bool]  # (kind, value) -> hit


@dataclass(frozen=True)
class Subject:
    """Where and by whom the application is taken."""

    store_id: str
    operator_id: str
    device_id: str
    store_city: str


@dataclass(frozen=True)
class Today:
    """The store's applications so far today (store time), before this one."""

    store: int
    operator: int  # of those, the salesperson's
    store_principal_fen: int


@dataclass(frozen=True)
class Baseline:
    """A salesperson's or store's applications on the days before today."""

    total: int  # in [baseline_start, day_start)
    first_at: str | None  # first application before today (any status), ISO UTC


class LocalHistory(Protocol):
    """The local reads pre-screening needs; times are ISO UTC strings, ``until``
    inclusive. Cancelled applications never count."""

    def same_id(self, id_number: str, since: str, until: str) -> int: ...

    def same_phone(self, phone: str, since: str, until: str) -> int: ...

    def same_device(self, device_id: str, since: str, until: str, cap: int) -> int: ...

    def other_ids_on_phone(self, phone: str, id_number: str, since: str, until: str) -> int: ...

    def other_customers_at_address(
        self, key: str, id_number: str, since: str, until: str
    ) -> int: ...

    def today(self, store_id: str, operator_id: str, day_start: str, until: str) -> Today: ...

    def baseline(self, scope: str, key: str, day_start: str, baseline_start: str) -> Baseline: ...

    def catalog_prices(self, skus: Iterable[str]) -> Mapping[str, int]: ...


def iso(at: datetime) -> str:
    """The format ``created_at`` is stored in, so strings compare as times."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def graph_inputs(
    app: ApplicationInput, birth: date | None, today: date, max_installment_fen: int
) -> dict[str, Any]:
    """What the decision graph sees: every key present, none None."""
    age = age_on(birth, today) if birth is not None else 0
    total = app.order_total_fen
    income = app.customer.monthly_income_fen
    ratio = app.terms.down_payment_fen / total if total > 0 else 0.0
    pti = max_installment_fen / income if income > 0 else PTI_CAP
    return {
        "age": age,
        "monthly_income": _yuan(income),
        "principal": _yuan(app.principal_fen),
        "order_total": _yuan(total),
        "down_payment_ratio": round(min(max(ratio, 0.0), 1.0), 4),
        "term_months": app.terms.term_months,
        "pti": round(min(pti, PTI_CAP), 4) if math.isfinite(pti) else PTI_CAP,
        "method": app.terms.method.value,
        "scenario": app.scenario.value,
    }


def order_facts(app: ApplicationInput, id_valid: bool, max_installment_fen: int) -> dict[str, Any]:
    return {
        "scenario": app.scenario.value,
        "order_total_fen": app.order_total_fen,
        "lines_total_fen": sum(ln.unit_price_fen * ln.quantity for ln in app.lines),
        "down_payment_fen": app.terms.down_payment_fen,
        "principal_fen": app.principal_fen,
        "term_months": app.terms.term_months,
        "max_installment_fen": max_installment_fen,
        "monthly_income_fen": app.customer.monthly_income_fen,
        "id_valid": id_valid,
        "lines": [
            {"sku": ln.sku, "unit_price_fen": ln.unit_price_fen, "quantity": ln.quantity}
            for ln in app.lines
        ],
    }


def blacklist_facts(app: ApplicationInput, subject: Subject, hit: Blacklisted) -> dict[str, bool]:
    return {
        "id": hit("id", app.customer.id_number),
        "phone": hit("phone", app.customer.phone),
        "device": bool(subject.device_id) and hit("device", subject.device_id),
    }


def _history_days(first_at: str | None, day_start: datetime, baseline_days: int) -> int:
    """Days of history the baseline may average over: a new store has no norm yet."""
    if first_at is None:
        return 0
    first = datetime.fromisoformat(first_at)
    if first >= day_start:
        return 0
    return min(baseline_days, math.ceil((day_start - first) / timedelta(days=1)))


def local_facts(
    app: ApplicationInput,
    subject: Subject,
    at: datetime,
    params: Params,
    history: LocalHistory,
    order: dict[str, Any],
) -> dict[str, Any]:
    """Velocity, merchant and city facts, each gathered only if the pack sets its section."""
    until = iso(at)
    out: dict[str, Any] = {}
    c = app.customer
    if params.velocity is not None:
        v = params.velocity
        since = iso(at - timedelta(days=v.window_days))
        out["velocity"] = {
            "window_days": v.window_days,
            "same_id": history.same_id(c.id_number, since, until) + 1,
            "same_phone": history.same_phone(c.phone, since, until) + 1,
            "same_device": (
                history.same_device(subject.device_id, since, until, v.max_same_device + 1) + 1
                if subject.device_id
                else 1
            ),
        }
    day = at.astimezone(CHINA_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    today = None
    if params.merchant is not None or params.store is not None:
        today = history.today(subject.store_id, subject.operator_id, iso(day), until)
    if params.merchant is not None and today is not None:
        m = params.merchant
        day_start, baseline_start = iso(day), iso(day - timedelta(days=m.baseline_days))
        merchant: dict[str, Any] = {"baseline_days": m.baseline_days}
        for scope, key, count in (
            ("operator", subject.operator_id, today.operator),
            ("store", subject.store_id, today.store),
        ):
            base = history.baseline(scope, key, day_start, baseline_start)
            merchant[scope] = {
                "today": count + 1,
                "baseline_total": base.total,
                "history_days": _history_days(base.first_at, day, m.baseline_days),
            }
        window = params.shared_window_days
        if window is not None:
            since = iso(at - timedelta(days=window))
            merchant["shared_window_days"] = window
            merchant["phone_ids"] = (
                history.other_ids_on_phone(c.phone, c.id_number, since, until) + 1
            )
            merchant["address_customers"] = (
                history.other_customers_at_address(
                    address_key(app.delivery_city, app.delivery_address),
                    c.id_number,
                    since,
                    until,
                )
                + 1
            )
        prices = history.catalog_prices({ln.sku for ln in app.lines})
        for line in order["lines"]:
            line["catalog_price_fen"] = prices.get(line["sku"])
        out["merchant"] = merchant
    if params.store is not None and today is not None:
        out["store"] = {"principal_today_fen": today.store_principal_fen}
    out["cities"] = {
        "delivery": city_key(app.delivery_city),
        "home": city_key(c.home_city),
        "store": city_key(subject.store_city),
    }
    return out
