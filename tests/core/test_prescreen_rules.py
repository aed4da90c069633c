"""The rule pack's state (missing, expired, clock wound back, failing), the decision
receipt saved with each application, replay, and the reason texts."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils

from core import i18n
from core.applications.service import ApplicationService
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import Status
from core.prescreen import messages as prescreen_messages
from core.prescreen.normalize import address_key
from core.prescreen.outcome import canonical_json, inputs_sha256, replay
from core.prescreen.reason import Reason
from core.prescreen.rebuild import COMPACT
from core.rules import PackError, RulePack, RulePackStore
from core.store.db import open_database
from core.store.migrations import MIGRATIONS
from core.store.receipts_repo import ReceiptsRepo
from core.store.vault import keyring_unlock, vault_of
from tests.core.test_prescreen_support import (
    NOW,
    Shop,
    age_id,
    clean_app,
    codes,
    person,
    reason,
)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    s = Shop(tmp_path)
    yield s
    s.close()


# --- missing and expired packs: REFER, never an exception ---------------------------------


def test_no_rule_store_at_all_refers_as_stale(tmp_path: Path) -> None:
    ctx = open_context(resolve_paths(tmp_path / "d"), FixedClock(NOW))
    try:
        svc = ApplicationService(ctx.db, ctx.actor, ctx.clock, rules=None)
        out = svc.prescreen(clean_app())
        assert (out.outcome, codes(out)) == ("REFER", ["RULES_STALE"])
        assert (out.pack_id, out.pack_version) == (None, None)
        r = out.reasons[0]
        assert (r.side, r.facts["state"]) == ("system", "missing")
        assert "规则包" in r.text("zh_CN") and "rule pack" in r.text("en")
        app_id = svc.save(clean_app())  # a stale outcome never blocks saving
        receipt = svc.receipt(app_id)
        assert receipt is not None and receipt.codes == ("RULES_STALE",)
    finally:
        ctx.close()


def test_no_installed_pack_refers_as_stale(tmp_path: Path) -> None:
    shop = Shop(tmp_path, install=False)
    try:
        shop.db.execute("DELETE FROM rule_packs")  # not even the bundled one
        out = shop.screen(clean_app(id_no=age_id(16)))  # the graph would decline this
        assert (out.outcome, codes(out)) == ("REFER", ["RULES_STALE"])
        assert "velocity" not in out.inputs and "merchant" not in out.inputs
    finally:
        shop.close()


def test_expired_pack_refers_as_stale_but_blacklist_still_counts(tmp_path: Path) -> None:
    bad_id = age_id(44, seq=777)
    shop = Shop(tmp_path, valid_until=NOW + timedelta(days=1), blacklist={"id": [bad_id]})
    try:
        assert shop.screen(clean_app()).outcome == "PASS"
        shop.clock.advance(timedelta(days=2))
        out = shop.screen(clean_app())
        r = reason(out, "RULES_STALE")
        assert (out.outcome, r.facts["state"], r.facts["pack_version"]) == ("REFER", "stale", 1000)
        assert out.pack_version is None  # the expired pack's rules were not used
        assert "过期" in r.text("zh_CN") and "expired" in r.text("en")
        assert "2026-11-28" in r.text("en")  # valid_until, as a store date
        hit = shop.screen(clean_app(id_no=bad_id))
        assert (hit.outcome, set(codes(hit))) == ("DECLINE", {"RULES_STALE", "BLACKLIST_ID"})
    finally:
        shop.close()


def test_clock_wound_back_does_not_revive_an_expired_pack(tmp_path: Path) -> None:
    shop = Shop(tmp_path, valid_until=NOW + timedelta(days=1))
    try:
        shop.rules.note_server_time(NOW + timedelta(days=3))  # the server said so once
        assert shop.clock.now() < NOW + timedelta(days=1)  # the PC's clock says still valid
        out = shop.screen(clean_app())
        assert (out.outcome, codes(out)) == ("REFER", ["RULES_STALE"])
        assert out.inputs["rules"]["effective_now"].startswith("2026-11-30")
    finally:
        shop.close()


def test_a_pack_not_yet_valid_is_stale_too(tmp_path: Path) -> None:
    shop = Shop(tmp_path, valid_from=NOW + timedelta(days=5), valid_until=NOW + timedelta(days=50))
    try:
        r = reason(shop.screen(clean_app()), "RULES_STALE")
        assert "IT" in r.text("zh_CN") and "date" in r.text("en")
    finally:
        shop.close()


def test_a_failing_pack_refers_with_rules_error_and_logs_no_personal_data(
    shop: Shop, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: RulePack, scenario: str, inputs: object) -> list[dict[str, str]]:
        raise PackError("PACK_DECISION_INVALID", "decisions.appliance: boom")

    monkeypatch.setattr(RulePack, "evaluate", broken)
    app = clean_app(id_no=age_id(30, seq=321), phone="13512345678")
    with caplog.at_level(logging.ERROR, logger="loandesk.prescreen"):
        out = shop.screen(app)
    r = reason(out, "RULES_ERROR")
    assert (out.outcome, r.side, r.facts["error"]) == ("REFER", "system", "PackError")
    assert caplog.records, "the failure is logged"
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert app.customer.id_number not in logged and app.customer.phone not in logged
    assert "张伟" not in logged


def test_a_failing_pack_store_or_blacklist_refers_with_rules_error(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(self: object, *args: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(RulePackStore, "blacklisted", locked)
    out = shop.screen(clean_app())
    r = reason(out, "RULES_ERROR")
    assert (out.outcome, r.facts["source"]) == ("REFER", "blacklist")
    assert "黑名单" in r.text("zh_CN")
    monkeypatch.setattr(RulePackStore, "active", locked)
    out = shop.screen(clean_app())
    assert (codes(out), out.reasons[0].facts["source"]) == (["RULES_ERROR"], "store")
    assert "could not be read" in out.reasons[0].text("en")


def test_graph_rows_that_are_not_reasons_are_an_error(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RulePack, "evaluate", lambda self, s, i: [{"code": "", "severity": "X"}])
    assert codes(shop.screen(clean_app())) == ["RULES_ERROR"]


def test_malformed_parameters_refer_and_skip_that_section(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = shop.rules.active()
    assert pack is not None
    bad = json.loads(json.dumps(dict(pack.parameters)))
    bad["velocity"]["window_days"] = "thirty"
    monkeypatch.setattr(RulePack, "parameters", property(lambda self: bad), raising=False)
    svc = shop.service(shop.ctx.actor)  # a fresh context: parameters are parsed per pack
    out = svc.prescreen(clean_app())
    r = reason(out, "RULES_ERROR")
    assert r.facts["problems"] == ["velocity.window_days"]
    assert "velocity" not in out.inputs and "merchant" in out.inputs


def test_scenario_missing_from_the_pack(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RulePack, "scenarios", property(lambda self: ("appliance",)), raising=False)
    from core.models import OrderLineInput, Scenario

    sofa = (OrderLineInput("FUR-SOFA-3", "三人位真皮沙发", 8999_00, 1),)
    out = shop.screen(clean_app(scenario=Scenario.FURNITURE, lines=sofa, down_fen=1000_00))
    r = reason(out, "RULES_NO_SCENARIO")
    assert "家具" in r.text("zh_CN") and "Furniture" in r.text("en")


# --- the receipt -----------------------------------------------------------------------------


def test_saving_stores_the_receipt_in_the_same_transaction(shop: Shop) -> None:
    app = clean_app(home_city="上海")
    shown = shop.svc.prescreen(app)  # what the review step showed
    app_id = shop.svc.save(app)
    row = shop.svc.row(app_id)
    assert row is not None and row.status == Status.QUEUED
    receipt = shop.svc.receipt(app_id)
    assert receipt is not None
    # same clock, same data: the same decision; the receipt also says the review step
    # pre-screened this customer once before, with nothing changed since
    assert (receipt.outcome, receipt.reasons) == (shown.outcome, shown.reasons)
    assert {k: v for k, v in receipt.inputs.items() if k != "attempts"} == dict(shown.inputs)
    assert receipt.inputs["attempts"] == {"count": 1, "outcomes": ["REFER"], "changed": []}
    assert (receipt.outcome, receipt.codes) == ("REFER", ("DELIVERY_CITY_MISMATCH",))
    assert (receipt.pack_id, receipt.pack_version) == ("cn-retail", 1000)
    raw = shop.db.execute(
        "SELECT inputs, inputs_sha256, outcome, evaluated_at FROM prescreen_receipts "
        "WHERE application_id = ?",
        [app_id],
    ).fetchone()
    # the rows just saved rebuild the inputs: the column keeps only the local part
    assert raw[0].startswith(COMPACT) and '"graph"' not in raw[0]
    whole = ReceiptsRepo(shop.db).receipt(app_id)  # the inputs as stored, rebuilt whole
    assert whole is not None
    stored = (whole["inputs"], raw[1], raw[2], raw[3])
    assert hashlib.sha256(stored[0].encode("utf-8")).hexdigest() == stored[1]
    assert stored[1] == receipt.inputs_sha256 == inputs_sha256(receipt.inputs)
    assert stored[0] == canonical_json(json.loads(stored[0]))  # canonical form
    assert stored[2] == "REFER" and stored[3].startswith("2026-11-27T02:30")
    events = shop.svc.history(app_id)
    assert [(e.action, e.to_status) for e in events] == [
        ("created", "prescreened"),
        ("queued", "queued"),
    ]
    assert json.loads(events[0].detail or "{}") == {
        "outcome": "REFER",
        "pack_version": 1000,
        "evidence": [],  # the evidence list (kind, sha256) and the consent, audited
        "consent_version": "2025.1",
        "consent_method": "paper",
    }
    assert shop.svc.receipt("0190aaaa-0000-7000-8000-000000000000") is None


def test_a_receipt_replays_to_the_same_decision(shop: Shop) -> None:
    same = age_id(29, seq=9)
    for i in range(2):
        shop.svc.save(person(i, id_no=same))
    app_id = shop.svc.save(person(7, id_no=same, home_city="广州"))
    receipt = shop.svc.receipt(app_id)
    assert receipt is not None and set(receipt.codes) == {"VELOCITY_ID", "DELIVERY_CITY_MISMATCH"}
    again = replay(receipt.inputs, shop.rules.active())
    assert (again.outcome, again.reasons, again.inputs_sha256) == (
        receipt.outcome,
        receipt.reasons,
        receipt.inputs_sha256,
    )
    assert replay(receipt.inputs, None).codes == ("RULES_STALE",)


def test_inputs_hold_what_the_rules_saw_and_no_raw_identity(shop: Shop) -> None:
    app = clean_app()
    out = shop.screen(app)
    graph = out.inputs["graph"]
    assert set(graph) == {
        "age",
        "monthly_income",
        "principal",
        "order_total",
        "down_payment_ratio",
        "term_months",
        "pti",
        "method",
        "scenario",
    }
    assert all(v is not None for v in graph.values())
    assert (graph["age"], graph["principal"], graph["scenario"]) == (35, 2999.0, "appliance")
    assert {"velocity", "merchant", "store", "cities", "blacklist", "order", "rules"} <= set(
        out.inputs
    )
    assert app.customer.id_number not in out.inputs_json
    assert app.customer.phone not in out.inputs_json
    assert app.customer.name not in out.inputs_json


def test_to_json_has_codes_texts_facts_and_the_pack(shop: Shop) -> None:
    out = shop.screen(clean_app(id_no=age_id(61)))
    data = out.to_json("en")
    assert data["outcome"] == "REFER"
    assert data["pack"] == {"id": "cn-retail", "version": 1000}
    assert data["inputs_sha256"] == out.inputs_sha256
    [r] = data["reasons"]
    assert r["code"] == "AGE_REFER" and r["severity"] == "REFER" and r["side"] == "borrower"
    assert "61" in r["message_zh"] and "61" in r["message_en"] and r["message"] == r["message_en"]
    assert r["facts"] == {"age": 61}
    json.dumps(data, ensure_ascii=False)  # plain data


def test_save_many_screens_each_as_of_its_own_time(shop: Shop) -> None:
    gen = DemoGenerator(3, NOW.date(), load_demo_catalog())
    items = [(gen.application(), NOW - timedelta(days=40 - d)) for d in range(40)]
    ids = shop.svc.save_many(items)
    receipts = [shop.svc.receipt(i) for i in ids]
    assert all(r is not None for r in receipts)
    for (_app, created), receipt in zip(items, receipts, strict=True):
        assert receipt is not None
        assert receipt.inputs["as_of"].startswith(created.date().isoformat())
    # the batch's pre-computed graph rows give what screening one by one gives
    svc = shop.service(shop.ctx.actor)
    for (app, created), receipt in zip(items, receipts, strict=True):
        assert receipt is not None
        schedule = svc.quote(
            app.scenario, app.principal_fen, app.terms.term_months, app.terms.method
        )
        one = svc._screen(app, created, schedule)
        graph_codes = [r.code for r in one.reasons if r.side == "borrower"]
        assert graph_codes == [r.code for r in receipt.reasons if r.side == "borrower"]
    statuses = {r[0] for r in shop.db.execute("SELECT status FROM applications").fetchall()}
    assert statuses == {"queued"}


# --- texts ---------------------------------------------------------------------------------


ALL_CODES = [
    "RULES_STALE", "RULES_ERROR", "RULES_NO_SCENARIO", "TERM_NOT_OFFERED", "DOWN_PAYMENT_LOW",
    "DOWN_PAYMENT_HIGH", "AMOUNT_OVER", "AMOUNT_UNDER", "LONG_TERM_LARGE", "AGE_UNDER",
    "AGE_OVER", "AGE_REFER", "INCOME_MISSING", "INCOME_LOW", "PTI_DECLINE", "PTI_REFER",
    "STORE_PRINCIPAL_LIMIT", "STORE_DAILY_LIMIT", "BLACKLIST_ID", "BLACKLIST_PHONE",
    "BLACKLIST_DEVICE", "VELOCITY_ID", "VELOCITY_PHONE", "VELOCITY_DEVICE", "SALESPERSON_SPIKE",
    "STORE_SPIKE", "PRICE_DEVIATION", "SHARED_PHONE", "SHARED_DELIVERY_ADDRESS",
    "DELIVERY_CITY_MISMATCH", "DATA_INCONSISTENT", "NEW_SALESPERSON_CAP", "PRICE_UNVERIFIABLE",
]  # fmt: skip


def test_every_reason_code_has_chinese_and_english_text() -> None:
    assert sorted(ALL_CODES) == prescreen_messages.reason_codes()
    for key in prescreen_messages.MESSAGES:
        assert i18n.has(key)
        assert i18n.translate(key, "zh_CN") != i18n.translate(key, "en")


def test_the_default_packs_graph_codes_all_have_text(shop: Shop) -> None:
    pack = shop.rules.active()
    assert pack is not None
    src = json.dumps(json.loads(pack.raw)["decisions"])
    graph_codes = sorted({c for c in ALL_CODES if f'\\"{c}\\"' in src})
    assert len(graph_codes) >= 10
    assert prescreen_messages.graph_codes_without_text(graph_codes) == []


def test_an_unknown_code_from_a_newer_pack_gets_a_generic_text() -> None:
    r = Reason("NEW_RULE_X", "REFER", "borrower", {})
    assert "NEW_RULE_X" in r.text("zh_CN") and "manual review" in r.text("en")


def test_clerk_texts_say_what_and_what_to_do(shop: Shop) -> None:
    same = age_id(33, seq=1)
    for i in range(3):
        shop.svc.save(person(i, id_no=same))
    r = reason(shop.screen(person(9, id_no=same)), "VELOCITY_ID")
    # what to check, never the limit to stay under (field managers read it in the facts)
    assert r.text("zh_CN") == (
        "同一身份证号近30天已有4笔申请（含本笔），请核对是否为客户本人、是否重复录入，再转人工审核"
    )
    assert r.text("en") == (
        "4 applications with this ID number in the last 30 days (this one included): check it "
        "is the customer in person and not a duplicate, then refer to manual review."
    )
    assert r.facts["max"] == 2


def test_store_side_texts_never_show_the_limit() -> None:
    for code in ("VELOCITY_ID", "VELOCITY_PHONE", "VELOCITY_DEVICE", "SALESPERSON_SPIKE",
                 "STORE_SPIKE", "NEW_SALESPERSON_CAP", "PRICE_DEVIATION", "PRICE_UNVERIFIABLE",
                 "SHARED_PHONE", "SHARED_DELIVERY_ADDRESS"):  # fmt: skip
        for lang in ("zh_CN", "en"):
            template = prescreen_messages.MESSAGES[f"REASON_{code}"][lang]
            for limit in ("{max}", "{max_pct}", "{spike_ratio}", "{cap}", "{min_amount}"):
                assert limit not in template, (code, lang)


# --- migration 0003 --------------------------------------------------------------------------


def test_migration_0003_backfills_device_and_address_keys(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="0003_prescreen_indexes")
    at = NOW.isoformat()
    db.execute("INSERT INTO meta(key, value) VALUES ('device_id', 'dev-1')")
    db.execute(
        "INSERT INTO stores(id, code, name, city, created_at) VALUES ('s', 'S', 'n', '', ?)", [at]
    )
    db.execute(
        "INSERT INTO operators(id, store_id, login, display_name, role, created_at) "
        "VALUES ('o', 's', 'clerk', 'c', 'clerk', ?)",
        [at],
    )
    db.execute(
        "INSERT INTO customers(id, id_number, name, phone, monthly_income_fen, home_city, "
        "home_address, created_at, updated_at) VALUES ('c', 'x', 'n', 'p', 1, 'h', 'a', ?, ?)",
        [at, at],
    )
    db.execute(
        "INSERT INTO applications(id, store_id, operator_id, customer_id, scenario, status, "
        "order_total_fen, down_payment_fen, principal_fen, term_months, method, annual_rate, "
        "first_payment_fen, total_repayment_fen, apr, delivery_city, delivery_address, "
        "customer_name, phone_tail, created_at, updated_at) VALUES ('a', 's', 'o', 'c', "
        "'appliance', 'draft', 100, 0, 100, 3, 'equal_installment', '0', 34, 100, '0', "
        "'北京市', '北京市朝阳区建国路 1 号', 'n', '0000', ?, ?)",
        [at, at],
    )
    conn.commit()
    conn.close()
    db = open_database(path, backups_dir=tmp_path / "backups", unlock=keyring_unlock)
    row = db.execute("SELECT device_id, delivery_key FROM applications").fetchone()
    # 0003 filled the plain key; 0005 (personal data encryption) keeps only its keyed hash
    key = vault_of(db).lookup("address", address_key("北京", "朝阳区建国路1号"))
    assert row == ("dev-1", key)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"applications_store_created", "applications_delivery_key"} <= indexes
    # backed up before migrating, but that copy held plain personal data: 0005 shredded it
    assert (tmp_path / "backups").is_dir()
    assert not list((tmp_path / "backups").glob("*.db"))
    db.close()
