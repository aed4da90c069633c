"""What the clerk typed is never lost: the draft survives closing the form, and a
storage failure on Save keeps the form as it was."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from core import api
from core.applications.service import ApplicationService
from core.clock import iso_now
from core.context import AppContext
from core.i18n import translate
from core.models import ApplicationInput, ListQuery
from core.store.db import DiskFull
from tests.ui.conftest import (
    NAME,
    PHONE,
    LaneFactory,
    answer_next_box,
    form_for,
    type_text,
    valid_state,
)
from tests.ui.gui_gc import widgets_collected_here  # noqa: F401  (autouse)
from ui.db_lane import CoreLane
from ui.formatting import local_time
from ui.main_window import MainWindow
from ui.new_application import NewApplicationDialog
from ui.new_application.common import STEP_ORDER, STEP_REVIEW


def test_draft_survives_closing_the_form(qtbot: Any, ctx: AppContext, lane: CoreLane) -> None:
    first = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(first)
    first.show()
    type_text(qtbot, first.customer.name, NAME)
    qtbot.keyClicks(first.customer.phone, PHONE)
    first.show_step(STEP_ORDER)
    qtbot.keyClicks(first.order.sku, "6901234567892")
    qtbot.keyClick(first.order.sku, Qt.Key.Key_Return)
    # The draft is written shortly after typing stops, without closing anything.
    qtbot.waitUntil(lambda: ctx.applications.load_form_draft() is not None, timeout=3000)

    # Esc asks first (there is content); the answer "Close" closes and keeps the draft.
    asked = answer_next_box("confirm")
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    assert asked and "draft" in asked[0]
    assert not first.isVisible()

    second = NewApplicationDialog(form_for(lane), "en", resume_draft=True)
    qtbot.addWidget(second)
    assert second.customer.name.text() == NAME
    assert second.customer.phone.text() == PHONE
    assert second.order.lines.raw()[0]["sku"] == "6901234567892"
    assert second.current_step() == STEP_ORDER
    assert second.form_state()["form"] == first.form_state()["form"]
    second.done(0)


def test_escape_keeps_the_form_open_when_the_clerk_says_so(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.customer.phone, PHONE)
    asked = answer_next_box("keep")
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked and "draft" in asked[0]  # the question was asked and answered "keep"...
    assert dlg.isVisible()  # ...and after that answer the form is still open
    dlg.done(0)


def _answer_draft_prompt(button: str, seen: list[tuple[str, str]]) -> None:
    """Press ``button`` on the draft prompt once it opens; record its text and the
    name of its default button."""

    def poll(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            default = box.defaultButton()
            seen.append((box.text(), default.objectName() if default else ""))
            target = box.findChild(QPushButton, button)
            assert target is not None
            target.click()
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(300))


def test_the_draft_prompt_says_whose_and_when_and_defaults_to_continue(
    qtbot: Any, ctx: AppContext, main_window: MainWindow
) -> None:
    state = valid_state(name="李四")
    state.update(saved_by="王小红", saved_at="2026-03-02T02:00:00.000+00:00")
    ctx.applications.save_form_draft(state)
    seen: list[tuple[str, str]] = []
    _answer_draft_prompt("confirm", seen)
    main_window.act_new.trigger()
    [(text, default)] = seen
    assert "王小红" in text and local_time(state["saved_at"]) in text and "李四" in text
    assert default == "confirm"  # Enter continues: nothing typed is thrown away by accident
    dlg = main_window.new_dialog
    assert dlg is not None
    assert dlg.customer.name.text() == "李四"
    dlg.done(0)

    _answer_draft_prompt("discard", seen)  # "Start a new one": the old draft goes away
    main_window.act_new.trigger()
    dlg = main_window.new_dialog
    assert dlg is not None
    assert dlg.customer.name.text() == ""
    assert ctx.applications.load_form_draft() is None
    dlg.done(0)


def test_the_draft_names_its_operator_and_time(qtbot: Any, ctx: AppContext, lane: CoreLane) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.customer.phone, PHONE)
    dlg.flush_draft()
    stored = ctx.applications.load_form_draft()
    me = api.current_operator(ctx, ctx.actor)
    assert stored is not None and me is not None
    assert stored["saved_by"] == me.display_name
    assert stored["saved_at"][:10] == iso_now(ctx.clock)[:10]
    dlg.done(0)


def test_the_clerk_discards_the_draft_from_the_form(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.customer.phone, PHONE)
    dlg.flush_draft()
    assert ctx.applications.load_form_draft() is not None
    asked = answer_next_box("keep")
    qtbot.mouseClick(dlg.discard_button, Qt.MouseButton.LeftButton)
    assert asked and dlg.isVisible()  # asked first; "Keep editing" keeps everything
    assert ctx.applications.load_form_draft() is not None
    asked = answer_next_box("confirm")
    qtbot.mouseClick(dlg.discard_button, Qt.MouseButton.LeftButton)
    assert asked and not dlg.isVisible()
    assert ctx.applications.load_form_draft() is None
    assert ctx.applications.pending_consent() is None  # the customer's consent went too


class _FullDiskService(ApplicationService):
    """The real service whose disk fills up at the moment of saving."""

    def save(self, app: ApplicationInput) -> str:
        raise DiskFull("database or disk is full")


def test_a_storage_error_on_save_keeps_the_form(
    qtbot: Any, ctx: AppContext, make_lane: LaneFactory
) -> None:
    lane = make_lane(
        service=lambda core: _FullDiskService(core.db, core.actor, core.clock, rules=core.rules)
    )
    dlg = NewApplicationDialog(form_for(lane), "zh_CN")
    qtbot.addWidget(dlg)
    dlg.show()
    state = valid_state()
    state["step"] = STEP_REVIEW
    dlg.restore(state)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    assert dlg.isVisible()
    assert dlg.banner.isVisible()
    assert dlg.banner.text() == translate("STORAGE_DISK_FULL", "zh_CN")
    assert dlg.current_step() == STEP_REVIEW
    assert dlg.raw() == state["form"]
    assert ctx.applications.count(ListQuery()) == 0
    dlg.done(0)
