"""The shipped pack (v2) requires no photos: which evidence a store must collect is head
office's choice, set in the pack it publishes (the example below: both sides of the ID
card from 3,000 yuan financed, the customer with the goods for furniture from 5,000).
A store still on the shipped v1 takes v2 as newer at its next start (the earlier content
change that stayed at v1 is part of v2)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from core.config import resources_dir
from core.rules import RulePackStore, bundled_pack_path, load_trusted_keys, sign_pack
from core.rules.evidence import evidence_rules, required_evidence
from core.rules.trusted_keys import load_private_key_file
from tests.core.rules.conftest import SRC
from tests.helpers.evidence import pack_requiring_photos

DEMO_KEY = resources_dir() / "keys" / "demo_issuer_private.pem"


def _shipped_v1() -> bytes:
    """The shipped pack as a store got it before evidence existed: version 1, no
    evidence section, signed with the same issuer key."""
    doc: dict[str, Any] = copy.deepcopy(json.loads(SRC.read_text(encoding="utf-8")))
    doc["manifest"]["version"] = 1
    doc["manifest"]["issued_at"] = "2025-12-15T00:00:00Z"
    return sign_pack(doc, load_private_key_file(DEMO_KEY))


def test_the_shipped_pack_requires_nothing_and_head_office_turns_it_on(
    db: Any, clock: Any, tmp_path: Path
) -> None:
    store = RulePackStore(db, load_trusted_keys(), clock)
    shipped = store.ensure_bundled()
    assert shipped is not None and shipped.version == 2
    assert evidence_rules(shipped.parameters) == ()
    assert required_evidence(evidence_rules(shipped.parameters), "furniture", 5_000_000) == ()
    pack = store.install(pack_requiring_photos(), "file")
    rules = evidence_rules(pack.parameters)
    assert required_evidence(rules, "appliance", 299_999) == ()
    assert required_evidence(rules, "appliance", 300_000) == ("id_front", "id_back")
    assert required_evidence(rules, "furniture", 499_999) == ("id_front", "id_back")
    assert required_evidence(rules, "furniture", 500_000) == (
        "id_front",
        "id_back",
        "customer_with_goods",
    )


def test_a_store_on_the_shipped_v1_takes_v2_as_newer(db: Any, clock: Any, tmp_path: Path) -> None:
    store = RulePackStore(db, load_trusted_keys(), clock)
    old = tmp_path / "default-v1.json"
    old.write_bytes(_shipped_v1())
    first = store.ensure_bundled(old)
    assert first is not None and first.version == 1
    upgraded = store.ensure_bundled(bundled_pack_path())  # the program was upgraded
    assert upgraded is not None and upgraded.version == 2
    assert upgraded.sha256 != first.sha256
    status = store.status()
    assert status is not None and status.source == "bundled" and status.usable
