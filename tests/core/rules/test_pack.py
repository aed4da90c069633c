"""Parsing, verifying and evaluating rule packs (no database)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.config import resources_dir
from core.rules import (
    BLACKLIST_KINDS,
    PackError,
    RulePack,
    TrustedKey,
    blacklist_digest,
    canonical_bytes,
    effective_now,
    load_trusted_keys,
    make_decision_table,
    parse_pack,
)
from tests.core.rules.conftest import KEY_ID, NOW, MakePack, edit_set, table_of

OK_INPUTS = {
    "age": 30,
    "monthly_income": 8000,
    "principal": 6000,
    "order_total": 8000,
    "down_payment_ratio": 0.25,
    "term_months": 12,
    "pti": 0.1,
    "method": "equal_installment",
}


def codes(rows: list[dict[str, str]]) -> list[str]:
    return [r["code"] for r in rows]


def refused(data: bytes, keys: dict[str, TrustedKey]) -> PackError:
    with pytest.raises(PackError) as info:
        parse_pack(data, keys)
    return info.value


def test_a_good_pack_parses(make_pack: MakePack, keys) -> None:
    data = make_pack(version=3)
    pack = parse_pack(data, keys)
    assert (pack.pack_id, pack.version, pack.key_id) == ("cn-retail", 3, KEY_ID)
    assert pack.scenarios == ("appliance", "furniture")
    assert pack.raw == data
    body = json.loads(data)
    assert pack.sha256 == hashlib.sha256(canonical_bytes(body)).hexdigest()
    assert pack.valid_from == datetime(2026, 1, 1, tzinfo=UTC)
    assert pack.is_valid_at(NOW)
    assert not pack.is_valid_at(datetime(2028, 1, 1, tzinfo=UTC))
    assert not pack.is_valid_at(datetime(2025, 12, 31, tzinfo=UTC))
    assert pack.parameters["age"]["refer_above"] == 58
    assert pack.scenario_parameters("furniture")["annual_rate"] == "0.1080"
    assert len(pack.blacklist_pepper) == 64
    assert pack.decision("appliance") is pack.decision("appliance")  # compiled once


def test_clean_application_passes_in_both_scenarios(make_pack: MakePack, keys) -> None:
    pack = parse_pack(make_pack(), keys)
    assert pack.evaluate("appliance", OK_INPUTS) == []
    assert pack.evaluate("furniture", OK_INPUTS) == []


def test_scenarios_decide_differently_where_parameters_differ(make_pack: MakePack, keys) -> None:
    pack = parse_pack(make_pack(), keys)
    long_term = {**OK_INPUTS, "term_months": 36}
    assert pack.evaluate("appliance", long_term) == [
        {"code": "TERM_NOT_OFFERED", "severity": "DECLINE"}
    ]
    assert pack.evaluate("furniture", long_term) == []
    big = {**OK_INPUTS, "principal": 55000, "order_total": 70000}
    assert codes(pack.evaluate("appliance", big)) == ["AMOUNT_OVER"]
    assert codes(pack.evaluate("furniture", big)) == []
    no_down = {**OK_INPUTS, "down_payment_ratio": 0}
    assert codes(pack.evaluate("appliance", no_down)) == []
    assert pack.evaluate("furniture", no_down) == [
        {"code": "DOWN_PAYMENT_LOW", "severity": "REFER"}
    ]
    large_long = {**OK_INPUTS, "term_months": 36, "principal": 35000, "monthly_income": 30000}
    assert codes(pack.evaluate("furniture", large_long)) == ["LONG_TERM_LARGE"]


def test_collect_returns_every_row_that_fired(make_pack: MakePack, keys) -> None:
    pack = parse_pack(make_pack(), keys)
    rows = pack.evaluate("appliance", {**OK_INPUTS, "age": 16, "pti": 0.7, "term_months": 7})
    assert rows == [
        {"code": "AGE_UNDER", "severity": "DECLINE"},
        {"code": "PTI_DECLINE", "severity": "DECLINE"},
        {"code": "TERM_NOT_OFFERED", "severity": "DECLINE"},
    ]
    assert codes(pack.evaluate("appliance", {**OK_INPUTS, "age": 60, "pti": 0.5})) == [
        "AGE_REFER",
        "PTI_REFER",
    ]
    assert codes(pack.evaluate("appliance", {**OK_INPUTS, "age": 70})) == ["AGE_OVER"]


@pytest.mark.parametrize("scenario", ["appliance", "furniture"])
def test_tables_agree_with_the_parameters(make_pack: MakePack, keys, scenario: str) -> None:
    """The graph and manifest.parameters are edited by hand in one file: keep them in step."""
    pack = parse_pack(make_pack(), keys)
    p = pack.parameters
    s = p["scenarios"][scenario]

    def fired(**changes: Any) -> list[str]:
        return codes(pack.evaluate(scenario, {**OK_INPUTS, **changes}))

    assert "AGE_UNDER" in fired(age=p["age"]["min"] - 1)
    assert "AGE_UNDER" not in fired(age=p["age"]["min"])
    assert "AGE_OVER" in fired(age=p["age"]["max"] + 1)
    assert fired(age=p["age"]["max"]) == ["AGE_REFER"]
    assert fired(age=p["age"]["refer_above"]) == []
    assert fired(age=p["age"]["refer_above"] + 1) == ["AGE_REFER"]
    decline, refer = (float(p["affordability"][k]) for k in ("decline_pti", "refer_pti"))
    assert fired(pti=decline + 0.001) == ["PTI_DECLINE"]
    assert fired(pti=decline) == ["PTI_REFER"]
    assert fired(pti=refer) == []
    for term in range(1, 61):
        assert ("TERM_NOT_OFFERED" in fired(term_months=term)) == (
            term not in s["allowed_terms"]
        ), term
    assert "AMOUNT_OVER" in fired(principal=float(s["max_principal"]) + 1)
    assert "AMOUNT_OVER" not in fired(principal=float(s["max_principal"]))
    assert "AMOUNT_UNDER" in fired(principal=float(s["min_principal"]) - 1)
    assert "AMOUNT_UNDER" not in fired(principal=float(s["min_principal"]))
    assert "DOWN_PAYMENT_HIGH" in fired(down_payment_ratio=float(s["max_down_ratio"]) + 0.01)
    assert "DOWN_PAYMENT_HIGH" not in fired(down_payment_ratio=float(s["max_down_ratio"]))
    if Decimal(s["min_down_ratio"]) > 0:
        assert "DOWN_PAYMENT_LOW" in fired(down_payment_ratio=float(s["min_down_ratio"]) - 0.01)
    assert "DOWN_PAYMENT_LOW" not in fired(down_payment_ratio=float(s["min_down_ratio"]))


def test_missing_none_and_decimal_inputs(make_pack: MakePack, keys) -> None:
    pack = parse_pack(make_pack(), keys)
    assert codes(pack.evaluate("appliance", {})) == [
        "AGE_UNDER",
        "INCOME_MISSING",
        "TERM_NOT_OFFERED",
        "AMOUNT_UNDER",
    ]
    with_none = {**OK_INPUTS, "pti": None, "method": None}
    assert pack.evaluate("appliance", with_none) == []
    decimals = {**OK_INPUTS, "pti": Decimal("0.61"), "principal": Decimal("6000.50")}
    assert codes(pack.evaluate("appliance", decimals)) == ["PTI_DECLINE"]


def test_unknown_scenario_is_a_pack_error(make_pack: MakePack, keys) -> None:
    pack = parse_pack(make_pack(), keys)
    with pytest.raises(PackError) as info:
        pack.evaluate("motorbike", OK_INPUTS)
    assert info.value.code == "PACK_SCENARIO_UNKNOWN"
    assert "motorbike" in info.value.detail


def test_explain_names_conditions_and_facts(make_pack: MakePack, keys) -> None:
    pack = parse_pack(make_pack(), keys)
    inputs = {**OK_INPUTS, "age": 17, "term_months": 36, "principal": 35000}
    (under,) = [m for m in pack.explain("furniture", inputs) if m.code == "AGE_UNDER"]
    assert under.severity == "DECLINE"
    assert under.rule_id == "age-under"
    assert under.conditions == {"age": "< 18"}
    assert under.facts == {"age": 17}
    (large,) = [m for m in pack.explain("furniture", inputs) if m.code == "LONG_TERM_LARGE"]
    assert large.conditions == {"term_months": "36", "principal": "> 30000"}
    assert large.facts == {"term_months": 36, "principal": 35000}
    assert [m.code for m in pack.explain("furniture", inputs)] == codes(
        pack.evaluate("furniture", inputs)
    )


def test_a_200_row_table_compiles_and_only_real_rows_fire(make_pack: MakePack, keys) -> None:
    graph = make_decision_table(200)
    (table,) = [n for n in graph["nodes"] if n["type"] == "decisionTableNode"]
    assert len(table["content"]["rules"]) == 200
    pack = parse_pack(make_pack(edit=edit_set("decisions.appliance", graph)), keys)
    assert pack.evaluate("appliance", OK_INPUTS) == []
    assert codes(pack.evaluate("appliance", {**OK_INPUTS, "principal": 1_000_050})) == [
        "AMOUNT_OVER",
        "FILLER_0001",
    ]
    assert codes(pack.evaluate("appliance", {**OK_INPUTS, "age": 17})) == ["AGE_UNDER"]
    first = make_decision_table(5, hit_policy="first")
    pack = parse_pack(make_pack(edit=edit_set("decisions.appliance", first)), keys)
    assert pack.evaluate("appliance", {**OK_INPUTS, "age": 70}) == [
        {"code": "AGE_OVER", "severity": "DECLINE"}
    ]
    assert pack.evaluate("appliance", OK_INPUTS) == []


def test_output_path_is_unwrapped(make_pack: MakePack, keys) -> None:
    def edit(doc: dict[str, Any]) -> None:
        table_of(doc)["outputPath"] = "reasons"

    pack = parse_pack(make_pack(edit=edit), keys)
    assert codes(pack.evaluate("appliance", {**OK_INPUTS, "age": 17})) == ["AGE_UNDER"]
    assert pack.evaluate("appliance", OK_INPUTS) == []


# --- the shipped files -----------------------------------------------------------


def test_the_bundled_pack_verifies_with_the_shipped_keys(default_source: dict[str, Any]) -> None:
    data = (resources_dir() / "rulepacks" / "default.json").read_bytes()
    keys = load_trusted_keys()
    assert set(keys) == {"demo-2026"}
    pack: RulePack = parse_pack(data, keys)
    assert pack.version >= 1
    assert pack.valid_from == datetime(2026, 1, 1, tzinfo=UTC)
    assert pack.valid_until.date().isoformat() == "2027-12-31"
    # ... and is the signed form of the editable source (re-sign after editing src/).
    assert canonical_bytes(json.loads(data)) == canonical_bytes(default_source), (
        "resources/rulepacks/default.json is stale: re-sign src/default.unsigned.json "
        "(see resources/rulepacks/README.md)"
    )


def test_the_demo_private_key_matches_the_pinned_key() -> None:
    from core.rules.trusted_keys import load_private_key_file, public_key_b64

    private = load_private_key_file(resources_dir() / "keys" / "demo_issuer_private.pem")
    pinned = load_trusted_keys()["demo-2026"].public_key
    assert public_key_b64(private.public_key()) == public_key_b64(pinned)


def test_trusted_keys_file_errors(tmp_path) -> None:
    path = tmp_path / "trusted.json"
    for content, fragment in [
        (None, "cannot read"),
        ("{", "not valid JSON"),
        ('{"keys": []}', "non-empty list"),
        ('{"keys": [{"key_id": "a", "public_key": "AAAA"}]}', "expected 32 bytes"),
        ('{"keys": [{"key_id": "a", "algorithm": "rsa", "public_key": "AAAA"}]}', "ed25519"),
    ]:
        if content is not None:
            path.write_text(content, encoding="utf-8")
        with pytest.raises(PackError) as info:
            load_trusted_keys(path)
        assert info.value.code == "PACK_TRUSTED_KEYS"
        assert fragment in info.value.detail
    from core.rules import trusted_key_entry

    entries = [
        trusted_key_entry(f"k{i}", Ed25519PrivateKey.generate().public_key()) for i in range(3)
    ]
    path.write_text(json.dumps({"keys": entries[:2]}), encoding="utf-8")
    assert set(load_trusted_keys(path)) == {"k0", "k1"}
    path.write_text(json.dumps({"keys": entries}), encoding="utf-8")
    with pytest.raises(PackError, match="at most 2"):
        load_trusted_keys(path)


# --- time and digests ----------------------------------------------------------------


def test_effective_now_is_the_later_clock() -> None:
    server = NOW
    wound_back = NOW - timedelta(days=365)
    assert effective_now(wound_back, server) == server
    assert effective_now(NOW + timedelta(days=3), server) == NOW + timedelta(days=3)
    assert effective_now(wound_back, None) == wound_back
    with pytest.raises(ValueError):
        effective_now(datetime(2026, 1, 1), None)


def test_blacklist_digest_normalizes_values() -> None:
    pepper = "00" * 32
    assert blacklist_digest("id", "11010519491231002x", pepper) == blacklist_digest(
        "id", " 11010519491231002X ", pepper
    )
    phone = blacklist_digest("phone", "19900000000", pepper)
    assert blacklist_digest("phone", "+86 199-0000-0000", pepper) == phone
    assert blacklist_digest("phone", "0086 19900000000", pepper) == phone
    assert blacklist_digest("phone", "19900000001", pepper) != phone
    assert blacklist_digest("phone", "19900000000", "11" * 32) != phone
    assert blacklist_digest("device", " DEV-1 ", pepper) == blacklist_digest(
        "device", "DEV-1", pepper
    )
    assert len(phone) == 64
    assert set(BLACKLIST_KINDS) == {"id", "phone", "device"}
    with pytest.raises(ValueError):
        blacklist_digest("email", "a@b.c", pepper)
