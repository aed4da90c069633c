"""Helpers for the pre-screen tests: a store on a real SQLite file with a rule pack
signed by a key made for the test, and a clean application to vary.

Holds no tests itself; the test_prescreen_*.py modules import from it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.applications.service import Actor, ApplicationService
from core.clock import FixedClock
from core.config import resolve_paths, resources_dir
from core.context import AppContext, open_context
from core.demo_data import load_demo_catalog, paper_consent
from core.ids import uuid7
from core.models import (
    ApplicationInput,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
)
from core.prescreen.outcome import PrescreenOutcome
from core.rules import RulePackStore, TrustedKey, blacklist_digest, sign_pack
from core.store.repositories import Repositories
from core.validation.application import id_check_char

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)  # 10:30 in the store (China time)
KEY_ID = "test-issuer"
TEST_VERSION = 1000  # above the bundled pack's, so installing it is not a rollback


def id_number(birth: date, region: str = "110105", seq: int = 123) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def age_id(age: int, seq: int = 123) -> str:
    """An ID number of someone ``age`` years old on NOW's date (birthday in January)."""
    return id_number(date(NOW.year - age, 1, 15), seq=seq)


def clean_app(
    *,
    id_no: str | None = None,
    phone: str = "13800138000",
    income_fen: int = 15_000_00,
    home_city: str = "北京",
    lines: tuple[OrderLineInput, ...] | None = None,
    down_fen: int = 0,
    term: int = 12,
    scenario: Scenario = Scenario.APPLIANCE,
    delivery_city: str = "北京",
    delivery_address: str = "朝阳区建国路1号3栋1201室",
    method: RepaymentMethod = RepaymentMethod.EQUAL_INSTALLMENT,
) -> ApplicationInput:
    """An application every check of the default parameters lets through."""
    if lines is None:
        lines = (OrderLineInput("APL-TV-55", "55英寸4K智能电视", 2999_00, 1),)
    return ApplicationInput(
        scenario=scenario,
        customer=CustomerInput(
            id_no or age_id(35), "张伟", phone, income_fen, home_city, delivery_address
        ),
        lines=lines,
        terms=TermsInput(down_fen, term, method),
        delivery_city=delivery_city,
        delivery_address=delivery_address,
        consent=paper_consent(NOW.date()),  # the customer signed the consent forms
    )


def unsigned_pack(
    *,
    version: int = TEST_VERSION,
    valid_from: datetime = NOW - timedelta(days=30),
    valid_until: datetime = NOW + timedelta(days=60),
    params: dict[str, dict[str, Any]] | None = None,
    blacklist: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The shipped default pack's source, re-dated and with ``params`` merged in per
    section (``{"velocity": {"max_same_id": 5}}``) and raw blacklist values."""
    doc = json.loads(
        (resources_dir() / "rulepacks" / "src" / "default.unsigned.json").read_text("utf-8")
    )
    doc = copy.deepcopy(doc)
    m = doc["manifest"]
    m.update(
        key_id=KEY_ID,
        version=version,
        issued_at=(valid_from - timedelta(days=1)).isoformat(),
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat(),
    )
    for section, values in (params or {}).items():
        if section == "scenarios":
            for scenario, sv in values.items():
                m["parameters"]["scenarios"][scenario].update(sv)
        else:
            m["parameters"][section].update(values)
    pepper = doc["blacklist"]["key"]
    for kind, values in (blacklist or {}).items():
        doc["blacklist"][kind] = sorted(blacklist_digest(kind, v, pepper) for v in values)
    return doc


class Shop:
    """One store PC: data dir, clock, a trusted test key, the service under test."""

    def __init__(self, root: Path, *, store_city: str = "", install: bool = True, **pack: Any):
        data = root / "shop"
        data.mkdir(parents=True, exist_ok=True)
        if store_city:
            (data / "settings.json").write_text(
                json.dumps({"store_city": store_city}, ensure_ascii=False), "utf-8"
            )
        self.clock = FixedClock(NOW)
        self.ctx: AppContext = open_context(resolve_paths(data), self.clock)
        self.issuer = Ed25519PrivateKey.generate()
        self.keys = {KEY_ID: TrustedKey(KEY_ID, self.issuer.public_key())}
        self.rules = RulePackStore(self.ctx.db, self.keys, self.clock)
        if install:
            self.install(**pack)
        self.svc = self.service(self.ctx.actor)
        self.svc.load_catalog(load_demo_catalog())

    @property
    def db(self) -> Any:
        return self.ctx.db

    def sign(self, **pack: Any) -> bytes:
        return sign_pack(unsigned_pack(**pack), self.issuer)

    def install(self, **pack: Any) -> None:
        self.rules.install(self.sign(**pack), "file")

    def service(self, actor: Actor) -> ApplicationService:
        return ApplicationService(self.ctx.db, actor, self.clock, rules=self.rules)

    def device_id(self) -> str:
        value = Repositories(self.ctx.db).meta_get("device_id")
        assert value is not None
        return value

    def second_operator(self, login: str = "clerk2") -> ApplicationService:
        repo = Repositories(self.ctx.db)
        op_id = uuid7()
        with self.ctx.db.atomic():
            repo.insert_operator(
                op_id, self.ctx.actor.store_id, login, "第二专员", "clerk", NOW.isoformat()
            )
        return self.service(Actor(self.ctx.actor.store_id, op_id, self.ctx.actor.role))

    def screen(self, app: ApplicationInput) -> PrescreenOutcome:
        return self.svc.prescreen(app)

    def close(self) -> None:
        self.ctx.close()


def codes(outcome: PrescreenOutcome) -> list[str]:
    return [r.code for r in outcome.reasons]


def reason(outcome: PrescreenOutcome, code: str) -> Any:
    found = [r for r in outcome.reasons if r.code == code]
    assert len(found) == 1, (code, codes(outcome))
    return found[0]


def person(i: int, **changes: Any) -> ApplicationInput:
    """The i-th different customer (own ID number, phone and address), otherwise clean."""
    birth = date(1980, 1, 1) + timedelta(days=i)  # 19 to 46 years old for i < 10,000
    base: dict[str, Any] = {
        "id_no": id_number(birth, seq=i % 1000),
        "phone": f"139{i:08d}",
        "delivery_address": f"朝阳区建国路{i + 1}号",
    }
    base.update(changes)
    return clean_app(**base)


def with_lines(app: ApplicationInput, *lines: OrderLineInput) -> ApplicationInput:
    return replace(app, lines=tuple(lines))
