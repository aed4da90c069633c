"""Build JDM graphs in code: the default pack's source, tests and benchmarks.

The graphs are exactly what the GoRules JDM editor saves, so a generated graph can be
opened, edited and saved back by risk staff.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any


def decision_graph(
    columns: Sequence[tuple[str, str]],
    rules: Sequence[Mapping[str, str]],
    *,
    hit_policy: str = "collect",
    name: str = "eligibility",
) -> dict[str, Any]:
    """A JDM graph input -> one decision table -> output, as the JDM editor saves it.

    ``columns`` are ``(column id, field)``; an empty field makes an expression column.
    ``rules`` map column ids (plus ``code`` and ``severity``) to cell text.
    """
    inputs = [
        {"id": cid, "name": fld or cid, **({"field": fld} if fld else {})} for cid, fld in columns
    ]
    outputs = [
        {"id": "code", "name": "Code", "field": "code"},
        {"id": "severity", "name": "Severity", "field": "severity"},
    ]
    table_rules = []
    for i, r in enumerate(rules):
        row = {"_id": r.get("_id", f"r{i + 1}")}
        row.update({cid: r.get(cid, "") for cid, _ in columns})
        row["code"] = json.dumps(r["code"])
        row["severity"] = json.dumps(r["severity"])
        table_rules.append(row)
    return {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "request",
             "position": {"x": 80, "y": 200}},
            {"id": "table", "type": "decisionTableNode", "name": name,
             "position": {"x": 360, "y": 200},
             "content": {"hitPolicy": hit_policy, "inputs": inputs, "outputs": outputs,
                         "rules": table_rules, "passThrough": False, "inputField": None,
                         "outputPath": None, "executionMode": "single"}},
            {"id": "response", "type": "outputNode", "name": "response",
             "position": {"x": 640, "y": 200}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "request", "targetId": "table", "type": "edge"},
            {"id": "e2", "sourceId": "table", "targetId": "response", "type": "edge"},
        ],
    }  # fmt: skip


BENCH_COLUMNS = (
    ("age", "age"),
    ("income", "monthly_income"),
    ("pti", "pti"),
    ("term", "term_months"),
    ("principal", "principal"),
    ("down", "down_payment_ratio"),
    ("cond", ""),
)
_CORE_RULES: tuple[dict[str, str], ...] = (
    {"age": "< 18", "code": "AGE_UNDER", "severity": "DECLINE"},
    {"age": "> 65", "code": "AGE_OVER", "severity": "DECLINE"},
    {"age": "(58..65]", "code": "AGE_REFER", "severity": "REFER"},
    {"income": "<= 0", "code": "INCOME_MISSING", "severity": "DECLINE"},
    {"income": "(0..2000)", "code": "INCOME_LOW", "severity": "REFER"},
    {"pti": "> 0.6", "code": "PTI_DECLINE", "severity": "DECLINE"},
    {"pti": "(0.4..0.6]", "code": "PTI_REFER", "severity": "REFER"},
    {"term": "not in [3, 6, 9, 12, 18, 24]", "code": "TERM_NOT_OFFERED", "severity": "DECLINE"},
    {"principal": "> 50000", "code": "AMOUNT_OVER", "severity": "DECLINE"},
    {"principal": "< 500", "code": "AMOUNT_UNDER", "severity": "DECLINE"},
    {"down": "> 0.8", "code": "DOWN_PAYMENT_HIGH", "severity": "REFER"},
)


def make_decision_table(rows: int, *, hit_policy: str = "collect") -> dict[str, Any]:
    """A realistic appliance graph with exactly ``rows`` rows, for tests and benchmarks:
    the real eligibility rows first, then filler rows (mixed unary and full
    expressions over several columns) that ordinary applications never match."""
    if rows < 1:
        raise ValueError("rows must be >= 1")
    rules: list[dict[str, str]] = [dict(r) for r in _CORE_RULES[:rows]]
    for i in range(rows - len(rules)):
        code = f"FILLER_{i + 1:04d}"
        lo = 1_000_000 + i * 100
        kind = i % 4
        if kind == 0:
            rule = {"principal": f"[{lo}..{lo + 99}]"}
        elif kind == 1:
            rule = {"age": f"> {150 + i}", "pti": "> 0.1"}
        elif kind == 2:
            rule = {"cond": f"term_months == {1000 + i} and monthly_income > {lo}"}
        else:
            rule = {"income": f"< {-1 - i}", "term": "12, 24"}
        rules.append({**rule, "code": code, "severity": "REFER"})
    return decision_graph(BENCH_COLUMNS, rules, hit_policy=hit_policy)
