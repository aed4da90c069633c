"""The main window: search and status filter, the detail dialog and cancelling, language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.context import AppContext
from core.models import Status
from core.validation.application import parse_application
from tests.helpers.consent import with_consent
from tests.ui.conftest import VALID_ID, answer_next_box, type_text, valid_state
from ui.app import make_main_window, pick_language
from ui.detail import DetailDialog
from ui.main_window import MainWindow


def _save(ctx: AppContext, name: str, phone: str = "13800138000") -> str:
    result = parse_application(
        valid_state(name=name, phone=phone)["form"], today=datetime.now(UTC).date()
    )
    assert result.value is not None
    return ctx.applications.save(with_consent(result.value))  # signed on paper


def test_search_box_and_status_filter(qtbot: Any, ctx: AppContext, main_window: MainWindow) -> None:
    wang = _save(ctx, "王芳", "13912345678")
    _save(ctx, "李强", "13800001111")
    main_window.refresh()
    model = main_window.model
    assert model.rowCount() == 2
    assert main_window.count_label.text() == "2 applications"

    type_text(qtbot, main_window.search, "王芳")  # whole names: they are stored sealed
    assert model.rowCount() == 2  # debounced: nothing happens while typing
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.application_id(0) == wang
    assert main_window.count_label.text() == "1 application"

    main_window.search.clear()
    qtbot.keyClicks(main_window.search, "1111")
    qtbot.keyClick(main_window.search, Qt.Key.Key_Return)  # Enter applies at once
    assert model.rowCount() == 1 and model.application_id(0) != wang
    main_window.search.clear()
    main_window.apply_filter()

    ctx.applications.cancel(wang)
    main_window.status_filter.setCurrentIndex(
        main_window.status_filter.findData(Status.CANCELLED.value)
    )
    assert model.rowCount() == 1 and model.application_id(0) == wang
    main_window.status_filter.setCurrentIndex(0)
    assert model.rowCount() == 2


def test_detail_shows_history_and_cancelling(
    qtbot: Any, ctx: AppContext, main_window: MainWindow
) -> None:
    app_id = _save(ctx, "王芳")
    main_window.refresh()
    assert main_window.select_application(app_id)
    assert main_window.act_cancel.isEnabled()
    main_window.table.setFocus()
    qtbot.keyClick(main_window.table, Qt.Key.Key_Return)  # Enter opens the selected row
    dlg = main_window.detail_dialog
    assert isinstance(dlg, DetailDialog)
    qtbot.waitExposed(dlg)
    id_label = dlg.findChild(type(dlg.status_label), "id_number_value")
    assert id_label is not None and id_label.text() == "110105********002X"
    assert VALID_ID not in id_label.text()
    assert dlg.findChild(type(dlg.status_label), "phone_value").text() == "138****8000"
    assert dlg.apr_label.text().endswith("%")
    assert dlg.schedule_model.rowCount() == 12
    history = dlg.history_model
    assert history.rowCount() == 2
    assert history.data(history.index(0, 2)) == "Created"
    assert history.data(history.index(0, 3)) == "Pre-screened"
    assert history.data(history.index(1, 3)) == "Pre-screened → Queued"

    answer_next_box("confirm")
    with qtbot.waitSignal(dlg.sig_changed):
        qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    assert dlg.status() == Status.CANCELLED
    assert dlg.status_label.text() == "Cancelled"
    assert history.rowCount() == 3
    assert history.data(history.index(2, 2)) == "Cancelled"
    assert history.data(history.index(2, 3)) == "Queued → Cancelled"
    assert not dlg.cancel_button.isEnabled()
    dlg.accept()
    row = main_window.model.row_of(app_id)
    assert main_window.model.row_data(row).status == Status.CANCELLED  # type: ignore[union-attr]
    assert not main_window.act_cancel.isEnabled()


@pytest.mark.parametrize(
    ("lang", "new_text", "count_text"),
    [("zh_CN", "新建申请(&N)", "共 0 条"), ("en", "&New application", "0 applications")],
)
def test_language_comes_from_the_qm_files(
    qtbot: Any, ctx: AppContext, lang: str, new_text: str, count_text: str
) -> None:
    window = make_main_window(ctx, lang)
    qtbot.addWidget(window)
    assert window.act_new.text() == new_text
    assert window.count_label.text() == count_text
    window.close()


def test_language_choice_order(ctx: AppContext) -> None:
    assert pick_language(ctx, "en") == "en"
    ctx.settings.set("language", "zh_CN")
    assert pick_language(ctx, None) == "zh_CN"
    assert pick_language(ctx, "en") == "en"
