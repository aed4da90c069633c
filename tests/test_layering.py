"""The house rules that keep the layers apart, checked on the source itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_qt_or_ui() -> None:
    files = list((ROOT / "core").rglob("*.py"))
    assert files
    offenders = {
        str(f.relative_to(ROOT)): sorted(
            _imports(f) & {"PySide6", "shiboken6", "PyQt5", "PyQt6", "ui"}
        )
        for f in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_ui_does_no_sql_or_http() -> None:
    sql = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I)
    bad = {}
    for f in (ROOT / "ui").rglob("*.py"):
        imports = _imports(f) & {"sqlite3", "sqlite_utils", "requests", "urllib3", "http"}
        text = f.read_text(encoding="utf-8")
        if imports or sql.search(text):
            bad[str(f.relative_to(ROOT))] = sorted(imports) or ["SQL text"]
    assert bad == {}


def _full_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_screens_reach_storage_only_through_core_api() -> None:
    """No ``ui/`` module imports ``core.store`` (its errors and records come through
    ``core.api``), and none touches a context's connection (``.db``)."""
    bad = {}
    for f in (ROOT / "ui").rglob("*.py"):
        store = sorted(
            m for m in _full_imports(f) if m == "core.store" or m.startswith("core.store.")
        )
        tree = ast.parse(f.read_text(encoding="utf-8"))
        db = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "db"]
        if store or db:
            bad[str(f.relative_to(ROOT))] = store + [f"line {n}: .db" for n in db]
    assert bad == {}


def test_importing_core_loads_no_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, core.context, core.demo_data, core.diagnostics.check,"
        " core.validation.application, core.money;"
        "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "[]"
