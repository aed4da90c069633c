"""Which evidence an application needs before it can be submitted, from the rule pack.

An optional section of ``manifest.parameters``::

    evidence:
        rules: [ {"scenario": "<scenario>" | "*",
                  "min_principal": dec yuan (optional, default "0"),
                  "require": [kind, ...]}, ... ]

kinds: id_front, id_back, customer_with_goods, signature, printed_pdf. An application
needs the union of ``require`` over every rule whose scenario matches (``*``: any) and
whose ``min_principal`` its financed amount reaches. A pack without the section (every
pack written before evidence existed) requires nothing: :data:`DEFAULT_RULES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.rules.shape import decimal, fail, obj, text

KINDS = ("id_front", "id_back", "customer_with_goods", "signature", "printed_pdf")


@dataclass(frozen=True)
class EvidenceRule:
    scenario: str  # a scenario, or "*"
    min_principal_fen: int
    require: tuple[str, ...]


DEFAULT_RULES: tuple[EvidenceRule, ...] = ()


def check_evidence(section: Any, scenarios: tuple[str, ...], path: str) -> tuple[EvidenceRule, ...]:
    """The section's rules, or PackError(PACK_SHAPE) naming the field."""
    ev = obj(section, path)
    raw_rules = ev.get("rules", [])
    if not isinstance(raw_rules, list):
        raise fail(f"{path}.rules", "expected a list of rules")
    rules: list[EvidenceRule] = []
    for i, raw in enumerate(raw_rules):
        q = f"{path}.rules[{i}]"
        rule = obj(raw, q)
        scenario = text(rule.get("scenario", "*"), f"{q}.scenario")
        if scenario != "*" and scenario not in scenarios:
            raise fail(f"{q}.scenario", f"{scenario!r} is not a scenario of this pack (or '*')")
        floor = decimal(rule.get("min_principal", "0"), f"{q}.min_principal", "0")
        require = rule.get("require")
        if not isinstance(require, list) or not require:
            raise fail(f"{q}.require", "expected a non-empty list of evidence kinds")
        for j, kind in enumerate(require):
            if kind not in KINDS:
                raise fail(f"{q}.require[{j}]", f"{kind!r} is not one of {', '.join(KINDS)}")
        fen = int((floor * 100).to_integral_value())
        rules.append(EvidenceRule(scenario, fen, tuple(dict.fromkeys(require))))
    return tuple(rules)


def evidence_rules(parameters: Mapping[str, Any] | None) -> tuple[EvidenceRule, ...]:
    """The pack's rules (already checked when the pack was parsed), or the default."""
    if not parameters or "evidence" not in parameters:
        return DEFAULT_RULES
    scenarios = tuple(obj(parameters.get("scenarios", {}), "scenarios"))
    return check_evidence(parameters["evidence"], scenarios, "manifest.parameters.evidence")


def required_evidence(
    rules: tuple[EvidenceRule, ...], scenario: str, principal_fen: int
) -> tuple[str, ...]:
    """The kinds an application of ``scenario`` financing ``principal_fen`` needs, in
    the order of :data:`KINDS`."""
    wanted: set[str] = set()
    for rule in rules:
        if rule.scenario in ("*", scenario) and principal_fen >= rule.min_principal_fen:
            wanted.update(rule.require)
    return tuple(k for k in KINDS if k in wanted)


def missing_evidence(required: tuple[str, ...], present: set[str]) -> list[str]:
    return [k for k in required if k not in present]


__all__ = [
    "DEFAULT_RULES",
    "KINDS",
    "EvidenceRule",
    "check_evidence",
    "evidence_rules",
    "missing_evidence",
    "required_evidence",
]
