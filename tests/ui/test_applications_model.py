"""The lazy applications list: Qt model rules, sorting, filtering, page-by-page loading."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt

from core.context import AppContext
from core.demo_data import seed_demo
from core.models import ListQuery, Status
from core.validation.application import parse_application
from tests.helpers.consent import with_consent
from tests.ui.conftest import valid_state
from ui.applications_model import (
    COL_NAME,
    COL_PHONE,
    COL_STATUS,
    COL_TOTAL,
    ApplicationsTableModel,
)
from ui.db_lane import CoreLane


def _save(ctx: AppContext, name: str, phone: str, price: str) -> str:
    state = valid_state(name=name, phone=phone)
    state["form"]["order"]["lines"][0]["unit_price"] = price
    result = parse_application(state["form"], today=datetime.now(UTC).date())
    assert result.value is not None, result.errors
    return ctx.applications.save(with_consent(result.value))  # signed on paper


def _names(model: ApplicationsTableModel) -> list[str]:
    return [model.data(model.index(row, COL_NAME)) for row in range(model.rowCount())]


def test_model_passes_the_qt_model_tester(
    qtmodeltester: Any, ctx: AppContext, lane: CoreLane
) -> None:
    _save(ctx, "王芳", "13912345678", "3999")
    _save(ctx, "李强", "13800001111", "5200.50")
    model = ApplicationsTableModel(lane, "en", page_size=1)
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # the tester fetched the second page


def test_columns_mask_the_phone_and_right_align_money(ctx: AppContext, lane: CoreLane) -> None:
    _save(ctx, "王芳", "13912345678", "3999")
    model = ApplicationsTableModel(lane, "zh_CN")
    assert model.data(model.index(0, COL_PHONE)) == "****5678"
    assert model.data(model.index(0, COL_TOTAL)) == "3,999.00"
    assert model.data(model.index(0, COL_STATUS)) == "待上传"  # saved = queued for sync
    alignment = model.data(model.index(0, COL_TOTAL), Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_sorting_reorders_and_filters_narrow(ctx: AppContext, lane: CoreLane) -> None:
    first = _save(ctx, "王芳", "13912345678", "3999")
    _save(ctx, "李强", "13800001111", "5200")
    _save(ctx, "张伟", "13700002222", "1800")
    model = ApplicationsTableModel(lane, "en")
    assert _names(model) == ["张伟", "李强", "王芳"]  # newest first

    model.sort(COL_TOTAL, Qt.SortOrder.AscendingOrder)
    assert _names(model) == ["张伟", "王芳", "李强"]
    model.sort(COL_TOTAL, Qt.SortOrder.DescendingOrder)
    assert _names(model) == ["李强", "王芳", "张伟"]
    model.sort(COL_PHONE, Qt.SortOrder.AscendingOrder)  # masked: not sortable, no change
    assert _names(model) == ["李强", "王芳", "张伟"]
    assert not model.is_sortable(COL_NAME)  # names are stored sealed: SQL cannot order them
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert _names(model) == ["李强", "王芳", "张伟"]

    model.set_query("王芳", None)  # the whole name (names are stored sealed)
    assert _names(model) == ["王芳"]
    model.set_query("2222", None)  # last four digits of the phone
    assert _names(model) == ["张伟"]
    model.set_query(first, None)  # the application id
    assert _names(model) == ["王芳"]

    ctx.applications.cancel(first)
    model.set_query("", Status.CANCELLED)
    assert _names(model) == ["王芳"]
    assert model.total() == 1
    model.set_query("", Status.QUEUED)
    assert sorted(_names(model)) == sorted(["李强", "张伟"])

    # every filter at once (the filter bar's, a dashboard figure's), keeping the sort
    model.sort(COL_TOTAL, Qt.SortOrder.AscendingOrder)
    model.set_full_query(ListQuery(statuses=(Status.QUEUED, Status.CANCELLED), descending=True))
    assert _names(model) == ["张伟", "王芳", "李强"]  # still by order total, ascending
    assert model.query.sort_column == "order_total_fen" and not model.query.descending
    model.set_full_query(ListQuery(prescreen_outcome="no such outcome"))
    assert model.total() == 0
    model.set_full_query(ListQuery())
    assert model.total() == 3


def test_thousands_of_rows_load_page_by_page(ctx: AppContext, lane: CoreLane) -> None:
    seed_demo(ctx.applications, 2500, seed=3, now=datetime.now(UTC))
    model = ApplicationsTableModel(lane, "en", page_size=200)
    assert model.total() == 2500
    assert model.rowCount() == 200
    assert model.pages_fetched == 1
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == model.loaded_count() == 400
    assert model.pages_fetched == 2
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 2500
    assert model.pages_fetched == 13
    ids = [model.application_id(row) for row in range(model.rowCount())]
    assert len(set(ids)) == 2500
    assert ctx.applications.count(ListQuery()) == 2500
