"""Build wire payloads and batch items the way a store would: the figures priced with
the bundled rule pack, the pre-screen gathered as a store with no history yet gathers
it (core.prescreen.facts), decided by core.prescreen.outcome, summarised by the client's own
core.sync.payload.prescreen_summary."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from core.clock import CHINA_TZ
from core.config import resources_dir
from core.demo_data import load_demo_catalog
from core.ids import uuid7
from core.models import ApplicationInput, TermsPolicy
from core.money import Schedule, build_schedule
from core.prescreen.facts import (
    Baseline,
    Subject,
    Today,
    blacklist_facts,
    graph_inputs,
    iso,
    local_facts,
    order_facts,
)
from core.prescreen.outcome import replay
from core.prescreen.params import parse_params, terms_policy
from core.rules import bundled_pack_path, load_trusted_keys, parse_pack
from core.sync.payload import prescreen_summary, raw_form
from core.sync.wire import payload_sha256
from core.validation.application import id_birth_date, id_check_char, parse_application

EXAMPLE = json.loads((resources_dir() / "examples" / "appliance.json").read_text("utf-8"))
PACK = parse_pack(bundled_pack_path().read_bytes(), load_trusted_keys())
PARAMS = parse_params(PACK.parameters)
POLICY = terms_policy(PARAMS, TermsPolicy())
CREATED_AT = "2026-03-01T10:00:00.000+00:00"
CATALOG = {c.sku: c.price_fen for c in load_demo_catalog()}


_people = itertools.count(1)


def fresh_customer(raw: dict[str, Any]) -> None:
    """Another customer (ID number, phone, flat) in ``raw``: tests that share one server
    do not meet in head office's cross-store signals unless they mean to."""
    n = next(_people)
    c, o = raw["customer"], raw["order"]
    first17 = f"110105{date(1980, 1, 1) + timedelta(days=n // 900):%Y%m%d}{n % 900:03d}"
    c["id_number"] = first17 + id_check_char(first17)
    c["phone"] = f"137{n:08d}"
    c["home_address"] = o["delivery_address"] = f"朝阳区测试路{n}号1栋101室"


def raw_application(**changes: Any) -> dict[str, Any]:
    """The example application with a fresh customer (:func:`fresh_customer`);
    ``changes`` keyed by dotted path, e.g. ``{"customer.monthly_income": "3000"}`` via
    ``**{...}``."""
    raw: dict[str, Any] = copy.deepcopy(EXAMPLE)
    fresh_customer(raw)
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        node = raw
        for part in parents:
            node = node[part]
        node[leaf] = value
    return raw


def raw_from_input(app: ApplicationInput) -> dict[str, Any]:
    """The raw form format of a validated application (amounts as yuan text): the very
    function the client uses to build its payloads."""
    return raw_form(app)


class NoHistory:
    """A store's first day: nothing saved before this application."""

    def same_id(self, id_number: str, since: str, until: str) -> int:
        return 0

    def same_phone(self, phone: str, since: str, until: str) -> int:
        return 0

    def same_device(self, device_id: str, since: str, until: str, cap: int) -> int:
        return 0

    def other_ids_on_phone(self, phone: str, id_number: str, since: str, until: str) -> int:
        return 0

    def other_customers_at_address(self, key: str, id_number: str, since: str, until: str) -> int:
        return 0

    def today(self, store_id: str, operator_id: str, day_start: str, until: str) -> Today:
        return Today(0, 0, 0)

    def baseline(self, scope: str, key: str, day_start: str, baseline_start: str) -> Baseline:
        return Baseline(0, None)

    def catalog_prices(self, skus: Iterable[str]) -> Mapping[str, int]:
        return {s: CATALOG[s] for s in skus if s in CATALOG}  # the demo catalog, as shipped


def quote(app: ApplicationInput) -> Schedule:
    terms = PARAMS.scenarios[app.scenario.value]
    return build_schedule(
        app.terms.method,
        app.principal_fen,
        terms.annual_rate,
        app.terms.term_months,
        upfront_fee_fen=terms.upfront_fee_fen,
    )


def receipt_inputs(
    app: ApplicationInput,
    schedule: Schedule,
    store_code: str,
    created_at: str = CREATED_AT,
    blacklisted: Iterable[str] = (),
) -> dict[str, Any]:
    """The receipt's inputs as ``core.prescreen.gather`` builds them for a new store."""
    at = datetime.fromisoformat(created_at)
    hits = set(blacklisted)
    subject = Subject(store_code, "clerk", f"pc-{store_code}", "北京")
    birth = id_birth_date(app.customer.id_number)
    order = order_facts(app, birth is not None, schedule.max_payment_fen)
    local_day = at.astimezone(CHINA_TZ).date()
    inputs: dict[str, Any] = {
        "as_of": iso(at),
        "local_day": local_day.isoformat(),
        "rules": {
            "state": "active",
            "effective_now": iso(at),
            "pack_id": PACK.pack_id,
            "pack_version": PACK.version,
            "valid_from": iso(PACK.valid_from),
            "valid_until": iso(PACK.valid_until),
        },
        "graph": graph_inputs(app, birth, local_day, schedule.max_payment_fen),
        "order": order,
        "blacklist": blacklist_facts(app, subject, lambda kind, _v: kind in hits),
    }
    inputs.update(local_facts(app, subject, at, PARAMS, NoHistory(), order))
    return inputs


def payload(
    store_code: str,
    application_id: str | None = None,
    raw: dict[str, Any] | None = None,
    *,
    blacklisted: Iterable[str] = (),
    annual_rate: str | None = None,
    with_prescreen: bool = True,
) -> dict[str, Any]:
    """A plain dict (tests also build what no store could send). A ``raw`` the form
    would refuse gets placeholder figures and no pre-screen."""
    raw = raw if raw is not None else raw_application()
    try:
        checked = parse_application(raw, today=datetime.now(CHINA_TZ).date(), policy=POLICY)
    except Exception:  # raw data no form could produce
        checked = None
    app = checked.value if checked is not None else None
    if app is None:
        figures = {"annual_rate": "0.0888", "first_payment_fen": 66_000}
        figures.update(total_repayment_fen=790_000, apr="0.0888")
        prescreen = None
    else:
        schedule = quote(app)
        figures = {
            "annual_rate": str(schedule.annual_rate),
            "first_payment_fen": schedule.first_payment_fen,
            "total_repayment_fen": schedule.total_repayment_fen,
            "apr": str(schedule.apr),
        }
        inputs = receipt_inputs(app, schedule, store_code, blacklisted=blacklisted)
        prescreen = prescreen_summary(replay(inputs, PACK))
    if annual_rate is not None:
        figures["annual_rate"] = annual_rate
    return {
        "application_id": application_id or uuid7(),
        "store_code": store_code,
        "operator": "clerk",
        "created_at": CREATED_AT,
        "application": raw,
        **figures,
        "prescreen": prescreen if with_prescreen else None,
    }


def item(
    body: dict[str, Any],
    op: str = "create",
    base_rev: int = 0,
    op_id: str | None = None,
    sha: str | None = None,
) -> dict[str, Any]:
    return {
        "op_id": op_id or uuid7(),
        "application_id": body["application_id"],
        "op": op,
        "base_rev": base_rev,
        "payload": body,
        "payload_sha256": sha or payload_sha256(body),
    }


def creates(store_code: str, count: int) -> list[dict[str, Any]]:
    return [item(payload(store_code)) for _ in range(count)]
