"""The dashboard window on seeded data: its figures equal a direct count, every figure
opens the list filtered to exactly what it counts, it is shown only to field managers
and admins, and it renders in Chinese at 1366×768 with nothing clipped (the PNG is kept
as an artifact)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from core.context import AppContext
from core.security.permissions import Role
from tests.ui.dashboard_support import (
    NOW,
    SEEDED,
    clipped,
    counts,
    direct,
    save_artifact,
    seeded_context,
    window_as,
)
from ui.dashboard import DashboardWindow
from ui.main_window import MainWindow


@pytest.fixture
def seeded(data_dir: Path) -> Iterator[AppContext]:
    c = seeded_context(data_dir)
    yield c
    c.close()


def _open(qtbot: Any, seeded: AppContext, lang: str = "en") -> tuple[MainWindow, DashboardWindow]:
    window = window_as(qtbot, seeded, None, lang)
    return window, window.field_tools.open_dashboard()


def _tile(d: DashboardWindow, key: str) -> str:
    return d.tiles[key].value


@pytest.mark.parametrize("kind", ["today", "week", "month", "range"])
def test_figures_equal_a_direct_count(qtbot: Any, seeded: AppContext, kind: str) -> None:
    window, d = _open(qtbot, seeded)
    first, last = date(2026, 2, 1), date(2026, 3, 10)
    d.period_bar.choose(kind, first, last)
    assert d.figures is not None and d.last_error is None
    p = d.figures.period
    expected = {
        "today": (date(2026, 3, 18), date(2026, 3, 18)),
        "week": (date(2026, 3, 16), date(2026, 3, 18)),
        "month": (date(2026, 3, 1), date(2026, 3, 18)),
        "range": (first, last),
    }[kind]
    assert (p.first, p.last) == expected
    rows = direct(seeded, *expected)
    if kind in ("month", "range"):
        assert len(rows) > 20  # the seeded data reaches into the period
    assert _tile(d, "applications") == str(len(rows))
    statuses = counts(rows, "status")
    for decision in ("approved", "declined", "review"):
        assert _tile(d, decision) == str(statuses.get(decision, 0))
    outcomes = counts(rows, "outcome")
    for outcome in ("PASS", "REFER", "DECLINE"):
        assert _tile(d, outcome) == str(outcomes.get(outcome, 0))
    by_operator = {f.key: f.applications for f in d.models["salesperson"].rows()}
    assert by_operator == counts(rows, "operator")
    by_scenario = {f.key: f.applications for f in d.models["scenario"].rows()}
    assert by_scenario == counts(rows, "scenario")
    assert sum(f.applications for f in d.models["store"].rows()) == len(rows)
    # the chart beside each table has one bar per row (up to its limit)
    for view in ("scenario", "salesperson", "store"):
        assert d.charts[view].bar_count() == min(12, d.models[view].rowCount())
    window.close()


def test_stuck_figures_equal_a_direct_count(qtbot: Any, seeded: AppContext) -> None:
    window, d = _open(qtbot, seeded)
    before = NOW.replace(day=15).isoformat(timespec="milliseconds")  # three days ago
    waiting = seeded.db.execute(
        "SELECT count(*) FROM applications WHERE status IN ('queued', 'submitted') "
        "AND created_at < ?",
        [before],
    ).fetchone()[0]
    review = seeded.db.execute(
        "SELECT count(*) FROM applications WHERE status = 'review'"
    ).fetchone()[0]
    assert waiting > 0 and review > 0
    assert _tile(d, "stuck_waiting") == str(waiting)
    assert _tile(d, "stuck_in_review") == str(review)
    assert _tile(d, "stuck_returned") == "1"
    assert _tile(d, "stuck_kept_aside") == "1"
    window.close()


def test_each_figure_opens_the_list_of_what_it_counts(qtbot: Any, seeded: AppContext) -> None:
    window, d = _open(qtbot, seeded)
    bar = window.filters
    window.search.setText("张")  # the figure's query replaces the operator's search
    rows = direct(seeded, date(2026, 3, 1), date(2026, 3, 18))
    d.tiles["applications"].click()
    assert window.model.total() == len(rows) and window.search.text() == ""
    # the figure's days are shown in the filter bar, which can clear them
    assert (bar.date_from.day(), bar.date_to.day()) == (date(2026, 3, 1), date(2026, 3, 18))
    assert bar.clear_button.isEnabled() and bar.clear_button.isVisibleTo(window)
    d.tiles["approved"].click()
    assert window.model.total() == counts(rows, "status").get("approved", 0) > 0
    assert bar.status.currentData() == "approved"
    d.tiles["rate"].click()
    statuses = counts(rows, "status")
    assert window.model.total() == statuses.get("approved", 0) + statuses.get("declined", 0)
    assert bar.status.currentText() == "Approved / Declined"
    outcomes = counts(rows, "outcome")
    for outcome in ("PASS", "REFER", "DECLINE"):  # pre-screen tiles filter by the outcome
        d.tiles[outcome].click()
        assert window.model.total() == outcomes.get(outcome, 0)
        assert bar.outcome.currentData() == outcome and bar.status.currentIndex() == 0
    assert outcomes.get("PASS", 0) > 0 and outcomes.get("REFER", 0) > 0
    sales = d.models["salesperson"]
    for row in range(sales.rowCount()):
        d.tables["salesperson"].clicked.emit(sales.index(row, 0))
        assert window.model.total() == sales.rows()[row].applications
        assert bar.salesperson.currentData() == sales.rows()[row].key
        assert bar.salesperson.currentText() == sales.rows()[row].label
        assert bar.outcome.currentData() is None
    first = sales.rows()[0]
    d.charts["salesperson"].bar_sets()[0].clicked.emit(d.charts["salesperson"].bar_count() - 1)
    assert window.model.total() == first.decisions.get("approved", 0)
    for kind, tile in (("waiting", "stuck_waiting"), ("in_review", "stuck_in_review")):
        d.open_stuck(kind)
        assert str(window.model.total()) == _tile(d, tile)
    assert bar.date_from.day() is None and not bar.note.isVisibleTo(window)
    d.open_stuck("returned")  # no control shows an upload's state: the note says it
    assert window.model.total() == 1
    assert bar.note.isVisibleTo(window) and "Returned by head office" in bar.note.text()
    bar.clear_button.click()
    assert window.model.total() == SEEDED and not bar.note.isVisibleTo(window)
    assert not bar.clear_button.isEnabled()
    d.open_stuck("kept_aside")
    assert window.model.total() == 1
    window.field_tools.show_all()
    assert window.model.total() == SEEDED and window.model.query.outbox_state is None
    window.close()


@pytest.mark.parametrize(
    ("role", "visible"),
    [(Role.CLERK, False), (Role.FIELD_MANAGER, True), (Role.ADMIN, True)],
)
def test_shown_to_field_managers_and_admins_only(
    qtbot: Any, seeded: AppContext, role: Role, visible: bool
) -> None:
    window = window_as(qtbot, seeded, role)
    tools = window.field_tools
    assert tools.act_dashboard.isVisible() is visible
    assert tools.act_export_xlsx.isVisible() is visible
    assert tools.act_bundle_export.isVisible() and tools.act_bundle_import.isVisible()
    assert tools.act_catalog.isVisible()
    assert tools.act_dashboard in window.tools_menu.actions()
    window.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_renders_with_nothing_clipped(
    qtbot: Any, qapp: QApplication, seeded: AppContext, tmp_path: Path, lang: str
) -> None:
    window, d = _open(qtbot, seeded, lang)
    d.resize(1366, 768)
    qtbot.waitExposed(d)
    for view in range(d.tabs.count()):
        d.tabs.setCurrentIndex(view)
        qapp.processEvents()
        assert clipped(d) == []
    d.tabs.setCurrentIndex(2)  # by salesperson
    qapp.processEvents()
    if lang == "zh_CN":
        assert d.windowTitle() == "经营看板"
        assert d.tiles["applications"].caption == "申请数"
    png = save_artifact(d, tmp_path / f"dashboard-{lang}.png")
    assert png.stat().st_size > 20_000  # charts and tables, not a blank window
    window.close()
