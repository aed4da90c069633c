"""SQL lives in core/store only: every other module of core/ and ui/ asks a repository.

Read with ``ast``, so comments and docstrings do not count: a string literal (an f-string
by its text parts) that starts, after whitespace, with an SQL statement's first words,
and a call of ``.execute(`` / ``.executemany(`` / ``.query(`` / ``.executescript(``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "core" / "store"

#: a statement's first words, so that English such as "Select a file" or "with --loop"
#: is not taken for SQL
SQL_START = re.compile(
    r"""\s*(
        SELECT\s+(\S.*\bFROM\b|[\d*(']|\w+\()
      | INSERT\s+(OR\s+\w+\s+)?INTO\b
      | REPLACE\s+INTO\b
      | UPDATE\s+\S+\s+SET\b
      | DELETE\s+FROM\b
      | CREATE\s+(UNIQUE\s+|TEMP\s+|TEMPORARY\s+|VIRTUAL\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b
      | PRAGMA\s+\w
      | ALTER\s+TABLE\b
      | DROP\s+(TABLE|INDEX|TRIGGER|VIEW)\b
      | WITH\s+(RECURSIVE\s+)?\w+(\s*\([^)]*\))?\s+AS\s*\(
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
SQL_CALLS = {"execute", "executemany", "query", "executescript"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # f"SELECT {cols} FROM ...": its text parts
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "x"
            for v in node.values
        )
    return None


def sql_outside_store(source: str) -> list[str]:
    """What in ``source`` is SQL: ``"<line>: <what>"`` for each."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    inside_fstring = {
        id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in inside_fstring:
            continue
        text = _text(node)
        if text is not None and SQL_START.match(text):
            found.append(f"{getattr(node, 'lineno', 0)}: SQL text {text.strip()[:50]!r}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            found.append(f"{node.lineno}: .{node.func.attr}(...)")
    return found


def _sources() -> list[Path]:
    files = [*(ROOT / "core").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    return sorted(f for f in files if STORE not in f.parents)


def test_no_sql_outside_core_store() -> None:
    files = _sources()
    assert len(files) > 50
    offenders = {}
    for f in files:
        found = sql_outside_store(f.read_text(encoding="utf-8"))
        if found:
            offenders[str(f.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_check_finds_sql_and_leaves_prose_alone() -> None:
    """The detector itself: what it must catch and what it must not."""
    caught = """
import sqlite3
def f(db, cols):
    db.execute("x")
    db.conn.executemany("y", [])
    list(db.query("z"))
    a = "  select id from t"
    b = f"SELECT {cols} FROM applications WHERE id = ?"
    c = "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)"
    d = "\\n update outbox set state = 'acked'"
    e = "DELETE FROM blacklist"
    g = "CREATE UNIQUE INDEX i ON t(c)"
    h = "PRAGMA integrity_check"
    i = "ALTER TABLE t ADD COLUMN c"
    j = "DROP INDEX IF EXISTS i"
    k = "WITH recent AS (SELECT 1) SELECT * FROM recent"
"""
    found = sql_outside_store(caught)
    assert len(found) == 13, found  # three calls, ten statements
    prose = '''
"""SELECT rows FROM the table: a docstring does not count."""
# db.execute("SELECT 1")  a comment does not count
def f():
    """DELETE FROM blacklist: nor does a function's docstring."""
    a = "Select a file"
    b = "with --loop: stop after N runs"
    c = "create applications"
    d = "Delete the unsent uploads"
    e = "update the list"
    g = "create"
'''
    assert sql_outside_store(prose) == []
