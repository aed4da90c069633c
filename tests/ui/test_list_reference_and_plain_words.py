"""The list shows the short reference and finds it; a search that finds nothing says
why and what to type; one match is selected so Open works; the lock screen, the
window titles and the sync summary speak plainly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core import i18n
from core.context import AppContext
from core.models import Status
from core.sync.report import SyncReport
from core.validation.application import parse_application
from tests.helpers.consent import with_consent
from tests.ui.conftest import type_text, valid_state
from ui.applications_model import COL_REFERENCE
from ui.detail import DetailDialog
from ui.main_window import MainWindow


def _save(ctx: AppContext, name: str, phone: str = "13800138000") -> str:
    result = parse_application(
        valid_state(name=name, phone=phone)["form"], today=datetime.now(UTC).date()
    )
    assert result.value is not None
    return ctx.applications.save(with_consent(result.value))


def _reference(ctx: AppContext, app_id: str) -> str:
    return ctx.applications.detail(app_id).row.reference


def _search(window: MainWindow, text: str) -> None:
    window.search.setText(text)
    window.apply_filter()


def test_the_reference_is_a_list_column_searchable_and_the_detail_title(
    qtbot: Any, ctx: AppContext, main_window: MainWindow
) -> None:
    wang = _save(ctx, "王芳", "13912345678")
    _save(ctx, "李强", "13800001111")
    ref = _reference(ctx, wang)
    assert ref.endswith("-0001") and len(ref) < 20  # short enough to read out
    main_window.refresh()
    model = main_window.model
    assert model.headerData(COL_REFERENCE, Qt.Orientation.Horizontal) == "Reference"
    assert model.data(model.index(model.row_of(wang), COL_REFERENCE)) == ref
    _search(main_window, ref.lower())  # as typed from the phone
    assert model.rowCount() == 1 and model.application_id(0) == wang
    main_window.open_selected()
    dlg = main_window.detail_dialog
    assert isinstance(dlg, DetailDialog)
    assert ref in dlg.windowTitle() and wang not in dlg.windowTitle()
    dlg.close()


def test_a_part_of_a_name_finds_nothing_and_the_list_says_why(
    qtbot: Any, ctx: AppContext, main_window: MainWindow
) -> None:
    _save(ctx, "王芳")
    main_window.refresh()
    hint = main_window.list_hint.label
    assert not hint.isVisible()
    type_text(qtbot, main_window.search, "王")
    main_window.apply_filter()
    assert main_window.model.rowCount() == 0
    assert hint.isVisible()
    assert "encrypted" in hint.text() and "full name" in hint.text()
    _search(main_window, "138")  # part of a phone number
    assert hint.isVisible() and "last 4 digits" in hint.text()
    main_window.status_filter.setCurrentIndex(
        main_window.status_filter.findData(Status.CANCELLED.value)
    )
    _search(main_window, "王芳")  # right name, wrong status
    assert hint.isVisible() and "choose All" in hint.text()
    main_window.status_filter.setCurrentIndex(0)
    assert main_window.model.rowCount() == 1 and not hint.isVisible()


def test_one_match_is_selected_so_open_works(
    qtbot: Any, ctx: AppContext, main_window: MainWindow
) -> None:
    wang = _save(ctx, "王芳", "13912345678")
    _save(ctx, "李强", "13800001111")
    main_window.refresh()
    assert not main_window.act_open.isEnabled()
    _search(main_window, "王芳")
    assert main_window.model.rowCount() == 1
    assert main_window.selected_id() == wang
    assert main_window.act_open.isEnabled()


def test_window_titles_do_not_repeat_the_app_name(main_window: MainWindow) -> None:
    """Qt adds " — LoanDesk" to every title (the application display name)."""
    from ui.login import LoginDialog

    assert main_window.windowTitle() == "Store Installments"
    login = LoginDialog(lambda login, password: None, "en")  # type: ignore[arg-type,return-value]
    try:
        assert "LoanDesk" not in login.windowTitle()
    finally:
        login.deleteLater()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_sync_summary_says_kept_aside_not_quarantined(lang: str) -> None:
    text = SyncReport(pushed=2, acked=1, quarantined=1).summary(lang)
    item = i18n.translate("SYNC_ITEM_QUARANTINED", lang, failures=3)
    for said in (text, item):
        assert "quarantin" not in said.lower() and "隔离" not in said
    assert ("1 kept aside" if lang == "en" else "暂放一边 1") in text
