"""Pre-screening: one application -> PASS / REFER / DECLINE, with reasons and a receipt.

Two steps, so the central side can replay exactly what the store decided:

1. *gather* (:mod:`core.prescreen.facts`) reads the local database, the blacklist and
   the clock into one plain dict, ``inputs``; its canonical JSON's sha256 goes on the
   receipt;
2. *decide* (:func:`decide`) turns ``inputs`` and the rule pack into reasons: the
   pack's decision graph for the borrower, then the code-side checks
   (:mod:`core.prescreen.checks`), each driven by the pack's parameters.

Pre-screens of one customer on the review step are remembered
(:mod:`core.prescreen.attempts`): the next one's ``inputs`` carry ``attempts`` (how
many before, their outcomes, which fields changed), so the receipt shows re-pricing
until PASS to head office.

The outcome is the worst severity among the reasons. A missing or expired pack gives
REFER with ``RULES_STALE`` (blacklist hits and broken data still count); a pack that
fails (its graph, its parameters, the pack store, the blacklist lookup) gives REFER
with ``RULES_ERROR``. Rule problems never raise.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from core.clock import CHINA_TZ
from core.models import ApplicationInput
from core.prescreen import checks
from core.prescreen.context import PrescreenContext, installment_from_pack
from core.prescreen.facts import (
    Subject,
    blacklist_facts,
    graph_inputs,
    iso,
    local_facts,
    order_facts,
)
from core.prescreen.params import Params, parse_params
from core.prescreen.reason import Outcome, Reason, worst
from core.rules import RulePack
from core.validation.application import id_birth_date

log = logging.getLogger("loandesk.prescreen")

# Graph reasons carry the graph inputs that usually decide them (by code prefix).
# A code of another family carries all the graph inputs.
_GRAPH_FACTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AGE", ("age",)),
    ("PTI", ("pti", "monthly_income")),
    ("AFFORD", ("pti", "monthly_income")),
    ("INCOME", ("monthly_income",)),
    ("TERM", ("term_months",)),
    ("LONG_TERM", ("term_months", "principal")),
    ("DOWN", ("down_payment_ratio",)),
    ("AMOUNT", ("principal",)),
    ("PRINCIPAL", ("principal",)),
)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON data")


def canonical_json(value: Any) -> str:
    """sort_keys, no ASCII escapes, no spaces: the bytes the receipt's sha256 is of."""
    return json.dumps(
        value,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
        default=_plain,
    )


def inputs_sha256(inputs: Mapping[str, Any]) -> str:
    return _sha256(canonical_json(inputs))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PrescreenOutcome:
    outcome: Outcome
    reasons: tuple[Reason, ...]
    pack_id: str | None
    pack_version: int | None
    inputs: Mapping[str, Any] = field(hash=False)
    inputs_sha256: str
    inputs_json: str = field(default="", repr=False, compare=False)  # canonical, as hashed

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", MappingProxyType(dict(self.inputs)))
        if not self.inputs_json:
            object.__setattr__(self, "inputs_json", canonical_json(self.inputs))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "reasons": [r.to_json(lang) for r in self.reasons],
            "pack": {"id": self.pack_id, "version": self.pack_version},
            "inputs_sha256": self.inputs_sha256,
        }


def gather(
    app: ApplicationInput,
    ctx: PrescreenContext,
    *,
    at: datetime | None = None,
    max_installment_fen: int | None = None,
) -> tuple[dict[str, Any], RulePack | None]:
    """The receipt's ``inputs`` for ``app`` as of ``at`` (default: now), and the pack."""
    at = at if at is not None else ctx.clock.now()
    pack, rules = ctx.rules_state()
    params = ctx.params(pack) if pack is not None else None
    if max_installment_fen is None:
        max_installment_fen = installment_from_pack(app, params)
    hit = (
        ctx.blacklisted
        if ctx.rules is not None and rules["state"] != "error"
        else (lambda _k, _v: False)
    )
    try:
        blacklist = blacklist_facts(app, ctx.subject, hit)
    except Exception as exc:
        log.error("blacklist lookup failed: %s", type(exc).__name__)
        blacklist = {"id": False, "phone": False, "device": False}
        rules["blacklist_error"] = type(exc).__name__
    birth = id_birth_date(app.customer.id_number)
    order = order_facts(app, birth is not None, max_installment_fen)
    local_day = at.astimezone(CHINA_TZ).date()
    inputs: dict[str, Any] = {
        "as_of": iso(at),
        "local_day": local_day.isoformat(),
        "rules": rules,
        "graph": graph_inputs(app, birth, local_day, max_installment_fen),
        "order": order,
        "blacklist": blacklist,
    }
    if params is not None:
        inputs.update(local_facts(app, ctx.subject, at, params, ctx.history, order))
    return inputs, pack


def _graph_reasons(
    pack: RulePack, inputs: Mapping[str, Any], ctx: PrescreenContext | None
) -> list[Reason]:
    graph = inputs["graph"]
    scenario = graph["scenario"]
    if scenario not in pack.scenarios:
        return [
            Reason(
                "RULES_NO_SCENARIO",
                "REFER",
                "system",
                {"scenario": scenario, "pack_version": pack.version},
            )
        ]
    try:
        if ctx is not None:
            rows = ctx.evaluate(pack, scenario, graph)
        else:
            rows = pack.evaluate(scenario, dict(graph))
        reasons = []
        for row in rows:
            code, severity = row["code"], row["severity"]
            if not isinstance(code, str) or not code or severity not in ("DECLINE", "REFER"):
                raise ValueError("a decision row without a code or a known severity")
            keys = next((k for prefix, k in _GRAPH_FACTS if code.startswith(prefix)), tuple(graph))
            facts = {k: graph[k] for k in keys}
            reasons.append(
                Reason(code, "DECLINE" if severity == "DECLINE" else "REFER", "borrower", facts)
            )
        return reasons
    except Exception as exc:  # the pack failed, not the application: refer, never crash
        # No personal data: the pack, the scenario and the kind of failure only.
        log.error(
            "rule pack %s v%s failed on scenario %s: %s",
            pack.pack_id,
            pack.version,
            scenario,
            type(exc).__name__,
        )
        return [
            Reason(
                "RULES_ERROR",
                "REFER",
                "system",
                {
                    "source": "graph",
                    "pack_version": pack.version,
                    "scenario": scenario,
                    "error": type(exc).__name__,
                },
            )
        ]


def decide(
    inputs: Mapping[str, Any],
    pack: RulePack | None,
    params: Params | None = None,
    ctx: PrescreenContext | None = None,
) -> list[Reason]:
    """Reasons for ``inputs``; pure apart from the pack's graph evaluation."""
    reasons = [*checks.data_consistency(inputs), *checks.blacklist(inputs)]
    rules = inputs["rules"]
    if rules.get("blacklist_error"):
        facts = {"source": "blacklist", "error": rules["blacklist_error"]}
        reasons.append(Reason("RULES_ERROR", "REFER", "system", facts))
    if rules["state"] == "error":
        facts = {"source": "store", "error": rules.get("error", "")}
        reasons.append(Reason("RULES_ERROR", "REFER", "system", facts))
        return reasons
    if pack is None or rules["state"] != "active":
        keys = ("state", "pack_version", "valid_from", "valid_until", "effective_now")
        facts = {k: rules[k] for k in keys if k in rules}
        reasons.append(Reason("RULES_STALE", "REFER", "system", facts))
        return reasons
    params = params if params is not None else parse_params(pack.parameters)
    if params.problems:
        reasons.append(
            Reason(
                "RULES_ERROR",
                "REFER",
                "system",
                {
                    "source": "parameters",
                    "pack_version": pack.version,
                    "problems": list(params.problems),
                },
            )
        )
    graph = _graph_reasons(pack, inputs, ctx)
    return reasons + _merge(graph, checks.code_side(inputs, params))


def _merge(graph: list[Reason], code_side: list[Reason]) -> list[Reason]:
    """A graph row and a code-side check that say the same thing (same code, e.g.
    TERM_NOT_OFFERED) become one reason: the code side's facts (which name the pack's
    limits), the worse of the two severities."""
    by_code = {r.code: r for r in graph}
    merged: list[Reason] = []
    for r in code_side:
        twin = by_code.pop(r.code, None)
        if twin is not None and twin.severity == "DECLINE" and r.severity != "DECLINE":
            r = Reason(r.code, "DECLINE", r.side, r.facts)
        merged.append(r)
    return [r for r in graph if r.code in by_code] + merged


def _outcome(
    inputs: Mapping[str, Any], pack: RulePack | None, reasons: list[Reason]
) -> PrescreenOutcome:
    text = canonical_json(inputs)
    return PrescreenOutcome(
        outcome=worst(reasons),
        reasons=tuple(reasons),
        pack_id=pack.pack_id if pack is not None else None,
        pack_version=pack.version if pack is not None else None,
        inputs=inputs,
        inputs_sha256=_sha256(text),
        inputs_json=text,
    )


def prescreen(
    app: ApplicationInput,
    ctx: PrescreenContext,
    *,
    at: datetime | None = None,
    max_installment_fen: int | None = None,
) -> PrescreenOutcome:
    """Pre-screen ``app`` as of ``at`` (default: the clock's now).

    ``max_installment_fen`` is the largest installment of the schedule the customer
    signs; without it, the schedule is computed with the pack's rate for the scenario.
    """
    at = at if at is not None else ctx.clock.now()
    inputs, pack = gather(app, ctx, at=at, max_installment_fen=max_installment_fen)
    params = ctx.params(pack) if pack is not None else None
    if not ctx.in_batch:  # the review step: earlier pre-screens of this customer go along
        earlier = ctx.attempts.summary(app, at)
        if earlier is not None:
            inputs["attempts"] = earlier
    result = _outcome(inputs, pack, decide(inputs, pack, params, ctx))
    if not ctx.in_batch:
        ctx.attempts.add(app, at, result.outcome)
    return result


def replay(inputs: Mapping[str, Any], pack: RulePack | None) -> PrescreenOutcome:
    """The outcome a receipt's ``inputs`` give with ``pack`` (the central side's check)."""
    plain = json.loads(canonical_json(inputs))  # the same values a stored receipt holds
    return _outcome(plain, pack, decide(plain, pack))


def outcome_from_record(
    outcome: str,
    reasons: list[dict[str, Any]],
    pack_id: str | None,
    pack_version: int | None,
    inputs_json: str,
    inputs_digest: str,
) -> PrescreenOutcome:
    """Rebuild a stored receipt from its columns (``inputs_json`` as stored)."""
    return PrescreenOutcome(
        outcome=outcome if outcome in ("PASS", "REFER", "DECLINE") else "REFER",  # type: ignore[arg-type]
        reasons=tuple(
            Reason(r["code"], r["severity"], r.get("side", "system"), r.get("facts") or {})
            for r in reasons
        ),
        pack_id=pack_id,
        pack_version=pack_version,
        inputs=json.loads(inputs_json),
        inputs_sha256=inputs_digest,
        inputs_json=inputs_json,
    )


__all__ = [
    "PrescreenContext",
    "PrescreenOutcome",
    "Reason",
    "Subject",
    "canonical_json",
    "decide",
    "gather",
    "inputs_sha256",
    "outcome_from_record",
    "prescreen",
    "replay",
]
