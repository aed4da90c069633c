"""Rule-pack fixtures: real Ed25519 keys made per test, real SQLite files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.clock import FixedClock
from core.config import resources_dir
from core.rules import RulePackStore, TrustedKey, sign_pack
from core.store.db import open_database

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
KEY_ID = "demo-2026"  # the default source names it; tests pin their own key under it
SRC = resources_dir() / "rulepacks" / "src" / "default.unsigned.json"

MakePack = Callable[..., bytes]


@pytest.fixture(scope="session")
def default_source() -> dict[str, Any]:
    return json.loads(SRC.read_text(encoding="utf-8"))


@pytest.fixture
def issuer() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def keys(issuer: Ed25519PrivateKey) -> dict[str, TrustedKey]:
    return {KEY_ID: TrustedKey(KEY_ID, issuer.public_key())}


@pytest.fixture
def unsigned(default_source: dict[str, Any]) -> dict[str, Any]:
    """A fresh, freely mutable copy of the default pack's source."""
    return copy.deepcopy(default_source)


@pytest.fixture
def make_pack(default_source: dict[str, Any], issuer: Ed25519PrivateKey) -> MakePack:
    """``make_pack(version=2, edit=lambda doc: ...)`` -> signed bytes."""

    def make(
        version: int = 1,
        edit: Callable[[dict[str, Any]], object] | None = None,
        key: Ed25519PrivateKey | None = None,
    ) -> bytes:
        doc = copy.deepcopy(default_source)
        doc["manifest"]["version"] = version
        if edit is not None:
            edit(doc)
        return sign_pack(doc, key or issuer)

    return make


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def db(tmp_path: Path):
    d = open_database(tmp_path / "x.db")
    yield d
    d.close()


@pytest.fixture
def store(db, keys: dict[str, TrustedKey], clock: FixedClock) -> RulePackStore:
    return RulePackStore(db, keys, clock)


def edit_set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """An edit for make_pack: set a dotted path, e.g. ``manifest.parameters.age.min``."""

    def edit(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = doc
        for p in parents:
            node = node[p]
        node[last] = value

    return edit


def edit_del(path: str) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = doc
        for p in parents:
            node = node[p]
        del node[last]

    return edit


def table_of(doc: dict[str, Any], scenario: str = "appliance") -> dict[str, Any]:
    """The content of a scenario's (single) decision table node."""
    (node,) = [n for n in doc["decisions"][scenario]["nodes"] if n["type"] == "decisionTableNode"]
    content: dict[str, Any] = node["content"]
    return content
