"""GoRules JDM decision graphs: checked, compiled with zen-engine, evaluated.

zen quietly treats a cell whose expression does not parse as "no match", so a typo
in a signed pack would switch a rule off without a word. Every cell is therefore
compiled here first (``compile_unary_expression`` for a column bound to a field,
``compile_expression`` otherwise); ``validate_unary_expression`` is not used because
zen 2.1 wrongly rejects plain ``< 18`` with it.

Each graph must produce rows ``{"code": str, "severity": "DECLINE" | "REFER"}``: a
``collect`` table gives a list, a ``first`` table one row or nothing, an
``outputPath`` wraps the list in a one-key object. All of these are normalised to
``list[dict[str, str]]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import zen

from core.rules.errors import PackError
from core.rules.shape import SEVERITIES

# Inputs the graphs may read; core.prescreen.outcome fills them in. Missing or None values
# fall back to these, so zen never compares against null.
DEFAULT_INPUTS: Mapping[str, Any] = MappingProxyType(
    {
        "age": 0,  # whole years, from the ID number
        "monthly_income": 0,  # yuan
        "principal": 0,  # yuan financed
        "order_total": 0,  # yuan
        "down_payment_ratio": 0,  # 0..1
        "term_months": 0,
        "pti": 0,  # largest installment / monthly income
        "method": "",  # repayment method code
        "scenario": "",  # set from the scenario being evaluated
    }
)
ALLOWED_NODE_TYPES = frozenset(
    {"inputNode", "outputNode", "decisionTableNode", "expressionNode", "switchNode"}
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def zen_context(inputs: Mapping[str, Any], scenario: str) -> dict[str, Any]:
    """Defaults + inputs (None skipped, Decimal -> float) + the scenario."""
    ctx = dict(DEFAULT_INPUTS)
    for key, value in inputs.items():
        if value is None:
            continue
        ctx[key] = float(value) if isinstance(value, Decimal) else value
    ctx["scenario"] = scenario
    return ctx


def zen_message(exc: BaseException) -> str:
    """zen's RuntimeError text minus the Rust backtrace, on one line."""
    msg = str(exc).split("Stack backtrace")[0]
    return " ".join(msg.split())[:300] or type(exc).__name__


@dataclass(frozen=True)
class MatchedRule:
    """One row that fired, with what it tested and the input values it saw."""

    code: str
    severity: str
    table: str = ""
    rule_id: str = ""
    conditions: Mapping[str, str] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)


def normalize_result(result: Any) -> list[dict[str, str]]:
    """zen's result -> ``[{"code", "severity"}]``; raises ``ValueError`` if it is not
    rows of that shape. Exact duplicates are dropped, order is kept."""
    if result is None:
        return []
    if isinstance(result, dict):
        if not result:
            return []
        if "code" in result:
            result = [result]
        elif len(result) == 1 and isinstance(next(iter(result.values())), list):
            result = next(iter(result.values()))
        else:
            raise ValueError(f"expected rows with code and severity, got keys {sorted(result)}")
    if not isinstance(result, list):
        raise ValueError(f"expected a list of rows, got {type(result).__name__}")
    rows: list[dict[str, str]] = []
    for i, row in enumerate(result):
        if not isinstance(row, dict):
            raise ValueError(f"row {i}: expected an object, got {type(row).__name__}")
        code, severity = row.get("code"), row.get("severity")
        if not isinstance(code, str) or not code:
            raise ValueError(f"row {i}: code must be a non-empty string, got {code!r}")
        if severity not in SEVERITIES:
            raise ValueError(f"row {i} ({code}): severity must be DECLINE or REFER")
        item = {"code": code, "severity": str(severity)}
        if item not in rows:
            rows.append(item)
    return rows


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (column id, label: the field or the name)
    rules: tuple[Mapping[str, Any], ...]


def _fatal(exc: BaseException) -> bool:
    """zen is Rust through pyo3, whose panics derive from BaseException: those must
    become pack errors too, but never swallow an interrupt or an exit."""
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit)


def _bad(where: str, msg: str) -> PackError:
    return PackError("PACK_DECISION_INVALID", f"{where}: {msg}")


def _compile_cell(cell: Any, unary: bool, where: str) -> zen.Expression | None:
    if not isinstance(cell, str):
        raise _bad(where, f"expected an expression string, got {type(cell).__name__}")
    if not cell.strip():
        return None
    try:
        if unary:
            return zen.compile_unary_expression(cell)
        return zen.compile_expression(cell)
    except BaseException as exc:  # RuntimeError carrying JSON; or a pyo3 panic
        if _fatal(exc):
            raise
        raise _bad(where, f"{cell!r}: {zen_message(exc)}") from None


def _check_literal(expr: zen.Expression | None, column: str, where: str) -> None:
    """An output cell that is a plain literal must already be a valid code/severity."""
    if expr is None or column not in ("code", "severity"):
        return
    try:
        value = expr.evaluate({})
    except BaseException as exc:  # refers to inputs: judged when evaluated
        if _fatal(exc):
            raise
        return
    if column == "severity" and isinstance(value, str) and value not in SEVERITIES:
        raise _bad(where, f"severity {value!r} is not DECLINE or REFER")
    if column == "code" and isinstance(value, str) and not value:
        raise _bad(where, "code is empty")


def _check_table(content: Mapping[str, Any], name: str, where: str) -> _Table:
    inputs, outputs = content.get("inputs"), content.get("outputs")
    rules = content.get("rules")
    if not isinstance(inputs, list) or not isinstance(outputs, list) or not isinstance(rules, list):
        raise _bad(where, "a decision table needs inputs, outputs and rules lists")
    cols: list[tuple[str, str, bool]] = []  # id, label, unary
    for c in inputs:
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            raise _bad(where, "every input column needs an id")
        fld = c.get("field")
        if isinstance(fld, str) and fld.strip():
            cols.append((c["id"], fld, True))
        else:
            cols.append((c["id"], str(c.get("name") or c["id"]), False))
    outs: list[tuple[str, str]] = []
    for c in outputs:
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            raise _bad(where, "every output column needs an id")
        outs.append((c["id"], str(c.get("field") or "")))
    for r, rule in enumerate(rules):
        if not isinstance(rule, dict):
            raise _bad(where, f"rule {r + 1}: expected an object")
        at = f"{where} rule {r + 1} ({rule.get('_id', '?')})"
        for col_id, label, unary in cols:
            _compile_cell(rule.get(col_id, ""), unary, f"{at} column {label}")
        for col_id, out_field in outs:
            expr = _compile_cell(rule.get(col_id, ""), False, f"{at} output {out_field}")
            _check_literal(expr, out_field, f"{at} output {out_field}")
    return _Table(name, tuple((i, label) for i, label, _ in cols), tuple(rules))


def _check_graph(graph: Mapping[str, Any], where: str) -> dict[str, _Table]:
    """Static checks zen does not do; returns the decision tables by node id."""
    nodes = graph.get("nodes")
    if not isinstance(nodes, list):
        raise _bad(where, "nodes: expected a list")
    tables: dict[str, _Table] = {}
    for i, node in enumerate(nodes):
        if not isinstance(node, dict):
            raise _bad(f"{where}.nodes[{i}]", "expected an object")
        kind, name = node.get("type"), str(node.get("name") or node.get("id") or i)
        at = f"{where}.nodes[{i}] ({name})"
        if not isinstance(kind, str) or kind not in ALLOWED_NODE_TYPES:
            allowed = ", ".join(sorted(ALLOWED_NODE_TYPES))
            raise _bad(at, f"node type {kind!r} is not supported (allowed: {allowed})")
        content = node.get("content")
        if kind in ("inputNode", "outputNode"):
            continue
        if not isinstance(content, dict):
            raise _bad(at, "content: expected an object")
        if kind == "decisionTableNode":
            tables[str(node.get("id"))] = _check_table(content, name, at)
        else:
            key, part = ("expressions", "value")
            if kind == "switchNode":
                key, part = ("statements", "condition")
            items = content.get(key) or []
            if not isinstance(items, list):
                raise _bad(at, f"{key}: expected a list")
            for n, item in enumerate(items):
                if not isinstance(item, dict):
                    raise _bad(at, f"{key}[{n}]: expected an object")
                _compile_cell(item.get(part) or "", False, f"{at} {key}[{n}].{part}")
    return tables


class CompiledDecision:
    """One scenario's graph, compiled once. ``zen`` is the raw ``ZenDecision`` (for
    benchmarks against the bare engine)."""

    def __init__(self, scenario: str, name: str, graph: Mapping[str, Any]) -> None:
        where = f"decisions.{name}"
        self.scenario = scenario
        self.name = name
        self._tables = _check_graph(graph, where)
        try:
            self.zen = zen.ZenEngine().create_decision(json.dumps(graph, ensure_ascii=False))
            self.zen.validate()
        except BaseException as exc:
            if _fatal(exc):
                raise
            raise _bad(where, zen_message(exc)) from None
        try:  # a dry run with the defaults: the graph must run and return rows
            self.evaluate({})
        except PackError as exc:
            raise _bad(where, f"dry run with default inputs failed: {exc.detail}") from None

    def _run(self, inputs: Mapping[str, Any], trace: bool) -> tuple[list[dict[str, str]], Any]:
        ctx = zen_context(inputs, self.scenario)
        try:
            response = self.zen.evaluate(ctx, {"trace": trace})
        except BaseException as exc:
            if _fatal(exc):
                raise
            raise _bad(f"decisions.{self.name}", zen_message(exc)) from None
        try:
            rows = normalize_result(response.get("result"))
        except ValueError as exc:
            raise _bad(f"decisions.{self.name} result", str(exc)) from None
        return rows, (ctx, response.get("trace"))

    def evaluate(self, inputs: Mapping[str, Any]) -> list[dict[str, str]]:
        """Rows that fired, ``[{"code", "severity"}]``; raises PackError if zen fails."""
        return self._run(inputs, trace=False)[0]

    def explain(self, inputs: Mapping[str, Any]) -> list[MatchedRule]:
        """Like :meth:`evaluate`, with the conditions and input values behind each row.
        Slower (zen tracing); call it for display or receipts, not in loops."""
        rows, (ctx, trace) = self._run(inputs, trace=True)
        found: list[MatchedRule] = []
        for node_id, entry in (trace or {}).items():
            table = self._tables.get(node_id)
            if table is None or not isinstance(entry, dict):
                continue
            outs, data = entry.get("output"), entry.get("traceData")
            if isinstance(data, dict):
                outs, data = [outs], [data]
            if isinstance(outs, dict) and len(outs) == 1:
                outs = next(iter(outs.values()))
            if not isinstance(outs, list) or not isinstance(data, list):
                continue
            for out, td in zip(outs, data, strict=False):
                if isinstance(out, dict) and isinstance(td, dict):
                    found.append(_matched(table, out, td, ctx))
        result: list[MatchedRule] = []
        for row in rows:
            hit = next((m for m in found if m.code == row["code"]), None)
            result.append(hit or MatchedRule(row["code"], row["severity"]))
        return result


def _matched(table: _Table, out: Mapping[str, Any], td: Mapping[str, Any], ctx: Any) -> MatchedRule:
    index = td.get("index")
    rule = table.rules[index] if isinstance(index, int) and 0 <= index < len(table.rules) else {}
    conditions = {
        label: str(rule[col])
        for col, label in table.columns
        if isinstance(rule.get(col), str) and rule[col].strip()
    }
    facts: dict[str, Any] = {}
    for label, cell in conditions.items():
        for name in {label, *_IDENT.findall(cell)}:
            if name in ctx:
                facts[name] = ctx[name]
    return MatchedRule(
        code=str(out.get("code", "")),
        severity=str(out.get("severity", "")),
        table=table.name,
        rule_id=str(rule.get("_id", "")),
        conditions=conditions,
        facts=facts,
    )
