"""Packs that must be refused, each with a code and a detail naming the place."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.rules import PackError, TrustedKey, parse_pack
from tests.core.rules.conftest import KEY_ID, MakePack, edit_del, edit_set, table_of


def refused(data: bytes, keys: dict[str, TrustedKey]) -> PackError:
    with pytest.raises(PackError) as info:
        parse_pack(data, keys)
    return info.value


def _flip(data: bytes, index: int, new: bytes) -> bytes:
    return data[:index] + new + data[index + 1 :]


def test_one_byte_changed_inside_a_string_breaks_the_signature(make_pack: MakePack, keys) -> None:
    data = make_pack()
    at = data.index(b'"AGE_UNDER') + 5  # 'AGE_UNDER' -> 'AGE_VNDER'
    err = refused(_flip(data, at, b"V"), keys)
    assert err.code == "PACK_SIGNATURE"
    at = data.index(b'"max_principal":"50000"') + len('"max_principal":"5')
    err = refused(_flip(data, at, b"9"), keys)  # 50000 -> 59000: a plausible attack
    assert err.code == "PACK_SIGNATURE"
    assert KEY_ID in err.detail


def test_one_byte_changed_in_the_structure_is_malformed(make_pack: MakePack, keys) -> None:
    data = make_pack()
    err = refused(_flip(data, data.index(b":"), b","), keys)
    assert err.code == "PACK_MALFORMED"
    assert "line 1" in err.detail


def test_no_single_byte_flip_anywhere_is_accepted(make_pack: MakePack, keys) -> None:
    data = make_pack()
    seen = set()
    for i in range(len(data)):
        err = refused(_flip(data, i, bytes([data[i] ^ 0x01])), keys)
        seen.add(err.code)
    assert seen <= {"PACK_SIGNATURE", "PACK_MALFORMED", "PACK_UNKNOWN_KEY"}


def test_unknown_key_and_wrong_key(make_pack: MakePack, keys) -> None:
    other = Ed25519PrivateKey.generate()
    err = refused(make_pack(edit=lambda d: d["manifest"].update(key_id="rogue")), keys)
    assert err.code == "PACK_UNKNOWN_KEY"
    assert "rogue" in err.detail
    err = refused(make_pack(key=other), keys)  # right key id, wrong key
    assert err.code == "PACK_SIGNATURE"
    both = {**keys, "next": TrustedKey("next", other.public_key())}  # rotation: two pinned
    pack = parse_pack(
        make_pack(key=other, edit=lambda d: d["manifest"].update(key_id="next")), both
    )
    assert pack.key_id == "next"


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"a": NaN}', "NaN"),
        (b'{"manifest": {"key_id": "demo-2026"}}', "signature"),
        (b'{"signature": "@@", "manifest": {}}', "base64"),
        (b'{"signature": "AAAA", "manifest": {}}', "64 bytes"),
        (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
    ],
)
def test_malformed_files(keys, data: bytes, fragment: str) -> None:
    err = refused(data, keys)
    assert err.code == "PACK_MALFORMED"
    assert fragment in err.detail


@pytest.mark.parametrize(
    "edit, detail",
    [
        (edit_del("manifest.valid_until"), "manifest.valid_until: missing"),
        (edit_del("manifest.pack_id"), "manifest.pack_id: missing"),
        (edit_set("format", "loandesk-rulepack/9"), "format: expected"),
        (edit_set("manifest.version", "3"), "manifest.version: expected an integer"),
        (edit_set("manifest.version", True), "manifest.version: expected an integer"),
        (edit_set("manifest.valid_from", "2026-01-01"), "manifest.valid_from: '2026-01-01' has no"),
        (edit_set("manifest.valid_until", "2025-01-01T00:00:00Z"), "manifest.valid_until: must be"),
        (
            edit_set("manifest.parameters.age.min", "18"),
            "manifest.parameters.age.min: expected an int",
        ),
        (
            edit_set("manifest.parameters.affordability.decline_pti", 0.6),
            "decline_pti: expected a dec",
        ),
        (
            edit_set("manifest.parameters.affordability.refer_pti", "0.7"),
            "manifest.parameters.affordability.refer_pti: must be <= 0.6",
        ),
        (edit_del("manifest.parameters.velocity"), "manifest.parameters.velocity: missing"),
        (
            edit_set("manifest.parameters.scenarios.appliance.allowed_terms", []),
            "manifest.parameters.scenarios.appliance.allowed_terms: expected a non-empty list",
        ),
        (
            edit_set("manifest.parameters.consistency.city_mismatch", "MAYBE"),
            "manifest.parameters.consistency.city_mismatch",
        ),
        (edit_del("manifest.parameters.scenarios.furniture"), "scenarios.furniture: missing"),
        (
            edit_del("decisions.furniture"),
            "manifest.scenarios.furniture: names decision 'furniture'",
        ),
        (edit_set("decisions.sofa", {"nodes": []}), "decisions.sofa: not used by any scenario"),
        (
            edit_set("manifest.scenarios.Bad Name", "appliance"),
            "manifest.scenarios (key 'Bad Name')",
        ),
        (edit_set("blacklist.hash", "md5"), "blacklist.hash"),
        (edit_set("blacklist.key", "abc"), "blacklist.key"),
        (edit_set("blacklist.phone", ["xyz"]), "blacklist.phone[0]: expected 64"),
    ],
)
def test_wrong_shape_names_the_field(make_pack: MakePack, keys, edit, detail: str) -> None:
    err = refused(make_pack(edit=edit), keys)
    assert err.code == "PACK_SHAPE"
    assert detail in err.detail


def _broken_cell(doc: dict[str, Any]) -> None:
    table_of(doc)["rules"][0]["age"] = "< < 18"


def _broken_output(doc: dict[str, Any]) -> None:
    table_of(doc)["rules"][2]["severity"] = '"DECLNE"'


def _bogus_policy(doc: dict[str, Any]) -> None:
    table_of(doc)["hitPolicy"] = "bogus"


def _dangling_edge(doc: dict[str, Any]) -> None:
    doc["decisions"]["appliance"]["edges"][0]["targetId"] = "nowhere"


def _function_node(doc: dict[str, Any]) -> None:
    doc["decisions"]["appliance"]["nodes"][1]["type"] = "functionNode"


def _no_code_column(doc: dict[str, Any]) -> None:
    table_of(doc)["outputs"][0]["field"] = "reason"


def _broken_expression_column(doc: dict[str, Any]) -> None:
    table = table_of(doc, "furniture")
    table["inputs"].append({"id": "cond", "name": "Condition"})
    table["rules"][0]["cond"] = "term_months ==== 36"


@pytest.mark.parametrize(
    "edit, detail",
    [
        (_broken_cell, "rule 1 (age-under) column age: '< < 18'"),
        (_broken_output, "rule 3 (age-refer) output severity: severity 'DECLNE'"),
        (_bogus_policy, "unknown variant `bogus`"),
        (_dangling_edge, "missingNode"),
        (_function_node, "node type 'functionNode' is not supported"),
        (_no_code_column, "dry run with default inputs failed"),
        (_broken_expression_column, "column Condition: 'term_months ==== 36'"),
        (edit_set("decisions.appliance", {"edges": []}), "decisions.appliance: nodes"),
    ],
)
def test_decisions_zen_refuses(make_pack: MakePack, keys, edit, detail: str) -> None:
    err = refused(make_pack(edit=edit), keys)
    assert err.code == "PACK_DECISION_INVALID"
    assert detail in err.detail
