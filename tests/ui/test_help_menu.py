"""Help → About, Diagnostics and Export diagnostics…, for every role, in the main window."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from core.build_info import build_info
from core.context import AppContext
from core.diagnostics.export import report_text
from core.security.permissions import Role
from tests.helpers.roles import operator
from ui.app import install_translations, make_main_window
from ui.main_window import MainWindow


def _window_as(qtbot: Any, ctx: AppContext, role: Role, lang: str = "en") -> MainWindow:
    window = make_main_window(ctx.as_operator(operator(ctx, role)), lang, auto_sync=False)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def windows(qtbot: Any, ctx: AppContext) -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for window in made:
        window.close()


def _audited_exports(ctx: AppContext) -> list[tuple[str, dict[str, Any]]]:
    rows = ctx.db.execute(
        "SELECT operator_id, detail FROM audit_log WHERE action = 'exported'"
    ).fetchall()
    return [(r[0], json.loads(r[1])) for r in rows]


@pytest.mark.parametrize("role", [Role.CLERK, Role.FIELD_MANAGER, Role.ADMIN])
def test_every_role_has_the_help_menu(
    qtbot: Any, ctx: AppContext, windows: list[MainWindow], role: Role
) -> None:
    window = _window_as(qtbot, ctx, role)
    windows.append(window)
    menu = window.help_menu.menu
    assert menu.menuAction() in window.menuBar().actions()
    assert [a.objectName() for a in menu.actions() if not a.isSeparator()] == [
        "act_about",
        "act_diagnostics",
        "act_export_diagnostics",
    ]
    assert all(a.isVisible() and a.isEnabled() for a in menu.actions())


def test_about_shows_what_it_needs(qtbot: Any, main_window: MainWindow, ctx: AppContext) -> None:
    main_window.help_menu.act_about.trigger()
    dialog = main_window.help_menu.about_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    assert f"Version: {build_info().describe()}" in text
    assert f"Data folder: {ctx.paths.data_dir}" in text
    assert f"Log file: {ctx.paths.logs / 'loandesk.log'}" in text
    assert "Rule pack: cn-retail, version 2, valid until " in text
    assert "Last sync: never" in text and "Store: LOCAL – not enrolled" in text
    assert "Last hard crash: none" in text
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == text
    dialog.close()


def test_about_in_chinese(
    qtbot: Any, qapp: QApplication, ctx: AppContext, windows: list[MainWindow]
) -> None:
    install_translations(qapp, "zh_CN")
    try:
        window = _window_as(qtbot, ctx, Role.CLERK, "zh_CN")
        windows.append(window)
        assert window.help_menu.menu.title() == "帮助(&H)"
        dialog = window.help_menu.open_about()
        assert dialog is not None
        assert "数据文件夹：" in dialog.text() and "未注册" in dialog.text()
        dialog.close()
    finally:
        install_translations(qapp, "en")


def test_diagnostics_runs_in_the_background_and_lists_the_checks(
    qtbot: Any, main_window: MainWindow
) -> None:
    main_window.help_menu.act_diagnostics.trigger()
    dialog = main_window.help_menu.diagnostics_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "Checking…" or dialog.report is not None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    report = dialog.report
    assert report is not None
    table = dialog.table
    assert table.rowCount() == len(report["checks"])
    rows = {table.item(i, 1).text(): table.item(i, 0).text() for i in range(table.rowCount())}
    assert rows["database"] == "OK" and rows["hard crashes"] == "OK"
    failed = [c["name"] for c in report["checks"] if not c["ok"]]
    assert dialog.summary.text() == (
        "All checks passed"
        if not failed
        else f"{len(failed)} check{'s' if len(failed) > 1 else ''} failed – tell IT what they say"
    )
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == report_text(report)
    dialog.close()


def test_a_clerk_exports_diagnostics_and_it_is_recorded(
    qtbot: Any, ctx: AppContext, windows: list[MainWindow], tmp_path: Path
) -> None:
    window = _window_as(qtbot, ctx, Role.CLERK)
    windows.append(window)
    clerk = window.actor
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "diag.zip"
    op = window.help_menu.export_to(target)
    assert not window.help_menu.act_export.isEnabled()
    qtbot.waitUntil(lambda: op.done, timeout=30_000)
    assert op.succeeded and window.help_menu.last_export == target
    assert window.help_menu.act_export.isEnabled()
    assert "send this file to IT" in window.statusBar().currentMessage()
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert {"check.txt", "check.json", "settings.json", "files.txt"} <= set(names)
        assert "qt_runtime" in json.loads(zf.read("environment.json"))
    assert [p.name for p in target.parent.iterdir()] == ["diag.zip"]  # no .part left
    assert _audited_exports(ctx) == [
        (clerk.operator_id, {"kind": "diagnostics", "files": len(names)})
    ]


def test_export_from_the_diagnostics_dialog_reuses_its_report(
    qtbot: Any, main_window: MainWindow, tmp_path: Path
) -> None:
    dialog = main_window.help_menu.open_diagnostics()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert dialog.report is not None
    dialog.report["checks"].append({"name": "marker", "ok": True, "detail": "from the dialog"})
    op = main_window.help_menu.export_to(tmp_path / "d.zip", dialog.report)
    qtbot.waitUntil(lambda: op.done, timeout=30_000)
    with zipfile.ZipFile(tmp_path / "d.zip") as zf:
        assert "[OK  ] marker: from the dialog" in zf.read("check.txt").decode()
    assert "send this file to IT" in dialog.status.text()
    dialog.close()


def test_a_failed_export_is_explained(qtbot: Any, main_window: MainWindow, tmp_path: Path) -> None:
    from tests.ui.conftest import answer_next_box

    seen = answer_next_box("Ok")
    op = main_window.help_menu.export_to(tmp_path / "missing" / "d.zip")
    qtbot.waitUntil(lambda: op.done and bool(seen), timeout=30_000)
    assert not op.succeeded and "no file was made" in seen[0]
