"""The applications list's filter bar on seeded data (240 applications over 60 days by 5
salespeople, a fixed clock): the salesperson column, days (by hand and quick picks),
salesperson and pre-screen outcome combined with the search text, each equal to a
direct count; "Clear filters"; and the window at 1366×768 in Chinese and English with a
dashboard figure shown in the bar and nothing clipped (PNGs kept as artifacts)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication

from core.context import AppContext
from core.field.dashboard import Period
from core.models import ListQuery
from tests.ui.dashboard_support import (
    SEEDED,
    clipped,
    direct,
    save_artifact,
    seeded_context,
    window_as,
)
from ui.applications_model import COL_NAME, COL_SALESPERSON
from ui.list_filters import ANY_DAY

MARCH = (date(2026, 3, 1), date(2026, 3, 18))  # this month on the fixed clock


@pytest.fixture
def seeded(data_dir: Path) -> Iterator[AppContext]:
    c = seeded_context(data_dir)
    yield c
    c.close()


def _names(c: AppContext) -> dict[str, str]:
    return dict(c.db.execute("SELECT id, display_name FROM operators").fetchall())


def test_the_salesperson_column_names_who_saved_it(qtbot: Any, seeded: AppContext) -> None:
    window = window_as(qtbot, seeded, None, "zh_CN")
    model = window.model
    names = _names(seeded)
    for row in range(5):
        app_id = model.application_id(row)
        saved_by = seeded.db.execute(
            "SELECT operator_id FROM applications WHERE id = ?", [app_id]
        ).fetchone()[0]
        assert model.data(model.index(row, COL_SALESPERSON)) == names[saved_by]
    assert model.headerData(COL_SALESPERSON, Qt.Orientation.Horizontal) == "销售员"
    # not sortable (no index gives that order), and the header says why
    assert not model.is_sortable(COL_SALESPERSON)
    tip = model.headerData(COL_SALESPERSON, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "销售员" in tip
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    window.close()


def test_days_salesperson_outcome_and_search_combine(qtbot: Any, seeded: AppContext) -> None:
    window = window_as(qtbot, seeded, None, "en")
    bar, model = window.filters, window.model
    assert not bar.clear_button.isEnabled() and model.total() == SEEDED
    march = direct(seeded, *MARCH)
    bar.quick["month"].click()
    assert (bar.date_from.day(), bar.date_to.day()) == MARCH
    assert model.total() == len(march) > 20

    # the salespeople offered: everyone who saved one, by name
    offered = [bar.salesperson.itemData(i) for i in range(1, bar.salesperson.count())]
    assert sorted(offered) == sorted({r["operator"] for r in direct(seeded, *_all())})
    who = march[0]["operator"]
    bar.salesperson.setCurrentIndex(bar.salesperson.findData(who))
    mine = [r for r in march if r["operator"] == who]
    assert model.total() == len(mine) > 0
    assert {model.row_data(i).operator_name for i in range(model.rowCount())} == {
        _names(seeded)[who]
    }

    outcome = mine[0]["outcome"]
    bar.outcome.setCurrentIndex(bar.outcome.findData(outcome))
    narrowed = [r for r in mine if r["outcome"] == outcome]
    assert model.total() == len(narrowed) > 0

    # the search text narrows further; another salesperson's id finds nothing here
    window.search.setText(narrowed[0]["id"])
    window.apply_filter()
    assert model.total() == 1 and model.application_id(0) == narrowed[0]["id"]
    other = next(r for r in march if r["operator"] != who)
    window.search.setText(other["id"])
    window.apply_filter()
    assert model.total() == 0

    bar.clear_button.click()
    assert model.total() == SEEDED and window.search.text() == ""
    assert bar.date_from.date() == ANY_DAY and bar.salesperson.currentIndex() == 0
    assert bar.outcome.currentIndex() == 0 and not bar.clear_button.isEnabled()
    window.close()


def _all() -> tuple[date, date]:
    return date(2020, 1, 1), date(2030, 1, 1)


def test_days_by_hand_each_may_stay_empty(qtbot: Any, seeded: AppContext) -> None:
    window = window_as(qtbot, seeded, None, "en")
    bar, model = window.filters, window.model
    assert bar.date_from.text() == "Any" and bar.date_to.text() == "Any"
    arrow = QPoint(bar.date_to.width() - 8, bar.date_to.height() // 2)
    qtbot.mouseClick(bar.date_to, Qt.MouseButton.LeftButton, pos=arrow)  # the calendar
    calendar = bar.date_to.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 3)  # this month, not 2000
    calendar.window().hide()
    assert bar.date_to.day() is None and model.total() == SEEDED
    bar.date_from.setDate(QDate(2026, 3, 10))  # from only: up to today
    assert model.total() == len(direct(seeded, date(2026, 3, 10), _all()[1])) > 0
    bar.date_to.setDate(QDate(2026, 3, 12))
    expected = len(direct(seeded, date(2026, 3, 10), date(2026, 3, 12)))
    assert model.total() == expected > 0
    bar.date_from.setDate(QDate(2026, 3, 14))  # after "to": "to" follows it
    assert bar.date_to.day() == date(2026, 3, 14)
    assert model.total() == len(direct(seeded, date(2026, 3, 14), date(2026, 3, 14)))
    bar.date_from.setFocus()
    qtbot.keyClick(bar.date_from, Qt.Key.Key_Delete)  # empties it: to only
    assert bar.date_from.day() is None and bar.date_from.text() == "Any"
    assert model.total() == len(direct(seeded, _all()[0], date(2026, 3, 14)))
    bar.quick["today"].click()
    assert model.query.created_from == Period(date(2026, 3, 18), date(2026, 3, 18)).utc_bounds()[0]
    assert model.total() == len(direct(seeded, date(2026, 3, 18), date(2026, 3, 18)))
    bar.quick["week"].click()
    assert model.total() == len(direct(seeded, date(2026, 3, 16), date(2026, 3, 18)))
    window.close()


def test_a_saved_application_hidden_by_the_filters_is_shown(qtbot: Any, seeded: AppContext) -> None:
    window = window_as(qtbot, seeded, None, "en")
    bar = window.filters
    bar.outcome.setCurrentIndex(bar.outcome.findData("DECLINE"))
    declined = window.model.total()
    newest = seeded.db.execute(
        "SELECT id FROM applications WHERE prescreen_outcome != 'DECLINE' "
        "ORDER BY created_at DESC LIMIT 1"
    ).fetchone()[0]
    window.show_saved(newest)  # as if the form had just saved it
    assert not bar.is_filtered() and window.model.total() == SEEDED > declined
    assert window.selected_id() == newest
    window.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_renders_at_1366x768_with_a_figure_in_the_bar(
    qtbot: Any, qapp: QApplication, seeded: AppContext, tmp_path: Path, lang: str
) -> None:
    window = window_as(qtbot, seeded, None, lang)
    window.resize(1366, 768)
    qtbot.waitExposed(window)
    who = seeded.db.execute("SELECT operator_id FROM applications LIMIT 1").fetchone()[0]
    start, end = Period.this_month(seeded.clock).utc_bounds()
    query = ListQuery(
        operator_id=who, created_from=start, created_to=end, scenario=None, store_id=None
    )
    window.show_filtered(query, "")
    qapp.processEvents()
    assert clipped(window) == []
    save_artifact(window, tmp_path / f"list-filters-{lang}.png")
    words = "总部退回" if lang == "zh_CN" else "Returned by head office"
    window.show_filtered(ListQuery(outbox_state="rejected", prescreen_outcome="PASS"), words)
    qapp.processEvents()
    assert window.filters.note.isVisible() and clipped(window) == []
    assert window.filters.outcome.currentData() == "PASS"
    png = save_artifact(window, tmp_path / f"list-filters-note-{lang}.png")
    assert png.stat().st_size > 20_000
    window.close()
