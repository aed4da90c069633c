"""A rule pack: parse and verify a signed file, then evaluate its decisions.

File format (one UTF-8 JSON object)::

    {"format": "loandesk-rulepack/1",
     "manifest": {"pack_id", "version", "issued_at", "valid_from", "valid_until",
                  "key_id", "scenarios": {scenario: decision name}, "parameters": {...}},
     "decisions": {decision name: <GoRules JDM graph>},
     "blacklist": {"hash": "hmac-sha256", "key": "<hex pepper>",
                   "id": [hex digest, ...], "phone": [...], "device": [...]},
     "signature": "<base64 Ed25519 over the canonical JSON of all the rest>"}

``parse_pack`` checks in this order, so nothing unauthenticated is ever interpreted:
JSON -> signature -> shape -> every decision compiles and runs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.rules.decisions import CompiledDecision, MatchedRule
from core.rules.errors import PackError
from core.rules.shape import (
    BLACKLIST_KINDS,
    PackBlacklist,
    check_blacklist,
    check_decisions,
    check_manifest,
)
from core.rules.signing import content_sha256, verify_signature
from core.rules.trusted_keys import TrustedKey

MAX_PACK_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, eq=False)
class RulePack:
    """A verified pack. ``parameters`` is documented in :mod:`core.rules.shape`;
    treat it as read-only (one pack object is shared)."""

    pack_id: str
    version: int
    issued_at: datetime
    valid_from: datetime
    valid_until: datetime
    key_id: str
    sha256: str  # of the canonical signed content: what receipts refer to
    parameters: Mapping[str, Any]
    scenarios: tuple[str, ...]
    blacklist_pepper: str
    raw: bytes  # the file's exact bytes, as stored
    blacklist: PackBlacklist = field(repr=False)
    _graphs: Mapping[str, tuple[str, Mapping[str, Any]]] = field(repr=False)
    _compiled: dict[str, CompiledDecision] = field(default_factory=dict, repr=False)

    def decision(self, scenario: str) -> CompiledDecision:
        """The scenario's compiled graph (compiled once, then cached)."""
        compiled = self._compiled.get(scenario)
        if compiled is None:
            if scenario not in self._graphs:
                known = ", ".join(self.scenarios)
                raise PackError(
                    "PACK_SCENARIO_UNKNOWN",
                    f"scenario {scenario!r} is not in pack {self.pack_id} v{self.version} "
                    f"(has: {known})",
                )
            name, graph = self._graphs[scenario]
            compiled = self._compiled[scenario] = CompiledDecision(scenario, name, graph)
        return compiled

    def evaluate(self, scenario: str, inputs: Mapping[str, Any]) -> list[dict[str, str]]:
        """Rows that fired for ``scenario``: ``[{"code", "severity"}]``. Missing inputs
        take :data:`core.rules.decisions.DEFAULT_INPUTS`; Decimals become floats."""
        return self.decision(scenario).evaluate(inputs)

    def explain(self, scenario: str, inputs: Mapping[str, Any]) -> list[MatchedRule]:
        """:meth:`evaluate` plus each row's conditions and the input values it saw."""
        return self.decision(scenario).explain(inputs)

    def is_valid_at(self, now: datetime) -> bool:
        """Inside [valid_from, valid_until]. Pass :func:`effective_now`, not the PC clock."""
        return self.valid_from <= now <= self.valid_until

    def scenario_parameters(self, scenario: str) -> Mapping[str, Any]:
        self.decision(scenario)  # raises PACK_SCENARIO_UNKNOWN for a stranger
        result: Mapping[str, Any] = self.parameters["scenarios"][scenario]
        return result


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for key, value in pairs:
        if key in d:
            raise ValueError(f"duplicate key {key!r}")
        d[key] = value
    return d


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a rule pack")


def decode_pack_json(data: bytes) -> dict[str, Any]:
    """Bytes -> JSON object, or PACK_MALFORMED (never anything else)."""
    if not isinstance(data, bytes | bytearray):
        raise PackError("PACK_MALFORMED", f"expected bytes, got {type(data).__name__}")
    if len(data) > MAX_PACK_BYTES:
        raise PackError("PACK_MALFORMED", f"file is larger than {MAX_PACK_BYTES} bytes")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError("PACK_MALFORMED", f"not UTF-8 text (byte {exc.start})") from None
    try:
        doc = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise PackError(
            "PACK_MALFORMED", f"not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise PackError("PACK_MALFORMED", f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise PackError("PACK_MALFORMED", "the file must hold a JSON object")
    return doc


def parse_pack(data: bytes, keys: Mapping[str, TrustedKey]) -> RulePack:
    """Verify and load a pack file; raises :class:`PackError` and nothing else."""
    doc = decode_pack_json(data)
    verify_signature(doc, keys)
    manifest = check_manifest(doc)
    blacklist = check_blacklist(doc)
    graphs = check_decisions(doc, manifest.scenarios)
    pack = RulePack(
        pack_id=manifest.pack_id,
        version=manifest.version,
        issued_at=manifest.issued_at,
        valid_from=manifest.valid_from,
        valid_until=manifest.valid_until,
        key_id=manifest.key_id,
        sha256=content_sha256(doc),
        parameters=manifest.parameters,
        scenarios=tuple(manifest.scenarios),
        blacklist_pepper=blacklist.pepper,
        raw=bytes(data),
        blacklist=blacklist,
        _graphs={s: (manifest.scenarios[s], g) for s, g in graphs.items()},
    )
    for scenario in pack.scenarios:  # compile (and dry-run) every graph now
        pack.decision(scenario)
    return pack


def effective_now(local_now: datetime, last_server_time: datetime | None) -> datetime:
    """The later of the PC clock and the last server ``Date`` seen, so winding the
    PC clock back cannot bring an expired pack back to life."""
    if local_now.tzinfo is None or (last_server_time and last_server_time.tzinfo is None):
        raise ValueError("effective_now needs timezone-aware datetimes")
    if last_server_time is None:
        return local_now
    return max(local_now, last_server_time)


# --- blacklist digests ---------------------------------------------------------------

_NON_DIGITS = re.compile(r"\D")


def normalize_blacklist_value(kind: str, value: str) -> str:
    """ID: 18 characters upper-case; phone: the 11-digit mobile number (spaces,
    dashes and a +86 / 0086 prefix removed); device: the id string, trimmed."""
    if kind == "id":
        return "".join(value.split()).upper()
    if kind == "phone":
        digits = _NON_DIGITS.sub("", value)
        for prefix in ("0086", "86"):
            if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
                digits = digits[len(prefix) :]
        return digits
    if kind == "device":
        return value.strip()
    raise ValueError(f"blacklist kind must be one of {BLACKLIST_KINDS}, got {kind!r}")


def blacklist_digest(kind: str, value: str, pepper_hex: str) -> str:
    """hex HMAC-SHA256(key=pepper, msg=normalized value): what packs and deltas hold."""
    msg = normalize_blacklist_value(kind, value).encode("utf-8")
    return hmac.new(bytes.fromhex(pepper_hex), msg, hashlib.sha256).hexdigest()
