"""The new-application form driven like a clerk: keyboard, scanner, inline errors, save."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from core.context import AppContext
from core.models import ListQuery
from tests.ui.conftest import BAD_CHECKSUM_ID, NAME, PHONE, VALID_ID, form_for, type_text
from tests.ui.gui_gc import widgets_collected_here  # noqa: F401  (autouse)
from ui.applications_model import COL_NAME
from ui.db_lane import CoreLane
from ui.main_window import MainWindow
from ui.new_application import NewApplicationDialog
from ui.new_application.common import STEP_CUSTOMER, STEP_ORDER, STEP_REVIEW, STEP_TERMS
from ui.new_application.lines_model import COL_NAME as LINE_NAME
from ui.new_application.lines_model import COL_PRICE


def _type(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.clear()
    type_text(qtbot, edit, text)


def _fill_customer(qtbot: Any, dlg: NewApplicationDialog, id_number: str) -> None:
    c = dlg.customer
    for edit, text in (
        (c.id_number, id_number),
        (c.name, NAME),
        (c.phone, PHONE),
        (c.monthly_income, "8000"),
        (c.home_city, "北京"),
        (c.home_address, "朝阳区建国路88号3栋1201室"),
    ):
        _type(qtbot, edit, text)


def test_invalid_id_is_shown_inline_then_the_application_is_saved_and_listed(
    qtbot: Any, ctx: AppContext, main_window: MainWindow
) -> None:
    main_window.act_new.trigger()
    dlg = main_window.new_dialog
    assert dlg is not None
    qtbot.waitUntil(dlg.isActiveWindow)

    # Step 1 with a wrong check digit: Next is refused and the message sits under the field.
    _fill_customer(qtbot, dlg, BAD_CHECKSUM_ID)
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    id_error = dlg.customer.errors["id_number"]
    assert id_error.isVisible()
    assert "check digit" in id_error.text()
    assert dlg.current_step() == STEP_CUSTOMER
    assert dlg.focusWidget() is dlg.customer.id_number
    assert not dlg.customer.errors["name"].isVisible()

    # Fixing the ID clears its message; Enter in the last field goes to the next step.
    _type(qtbot, dlg.customer.id_number, VALID_ID)
    assert not id_error.isVisible()
    qtbot.keyClick(dlg.customer.home_address, Qt.Key.Key_Return)
    assert dlg.current_step() == STEP_ORDER

    # Step 2: scan a catalog item (scenario follows it), then a SKU the catalog lacks.
    order = dlg.order
    qtbot.keyClicks(order.sku, "6909876543210")
    qtbot.keyClick(order.sku, Qt.Key.Key_Return)
    assert order.lines.rowCount() == 1
    assert order.scenario_value() == "furniture"
    qtbot.keyClicks(order.sku, "LOCAL-001")
    qtbot.keyClick(order.sku, Qt.Key.Key_Return)
    assert order.lines.rowCount() == 2
    # The name cell of the new line is open for typing; Tab moves on to the price.
    editor = QApplication.focusWidget()
    assert order.table.currentIndex().column() == LINE_NAME
    assert isinstance(editor, QLineEdit)
    type_text(qtbot, editor, "床头柜")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert order.table.currentIndex().column() == COL_PRICE
    price_editor = QApplication.focusWidget()
    assert isinstance(price_editor, QLineEdit)
    qtbot.keyClicks(price_editor, "499")
    qtbot.keyClick(price_editor, Qt.Key.Key_Return)  # commits (queued) and closes the editor
    qtbot.waitUntil(lambda: order.lines.raw()[1]["unit_price"] == "499")
    assert order.lines.raw()[1] == {
        "sku": "LOCAL-001",
        "name": "床头柜",
        "unit_price": "499",
        "quantity": 1,
    }
    qtbot.keyClick(order.same_as_home, Qt.Key.Key_Space)
    assert order.delivery_city.text() == "北京"
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.current_step() == STEP_TERMS

    # Step 3: terms with the live schedule; then review and save.
    _type(qtbot, dlg.terms.down_payment, "600")
    assert dlg.terms.schedule_model.rowCount() == 12
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.current_step() == STEP_REVIEW
    assert NAME in dlg.review.summary.text()
    with qtbot.waitSignal(dlg.sig_saved, timeout=3000) as saved:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    app_id = saved.args[0]
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert main_window.selected_id() == app_id

    # In the database, through the service ...
    detail = ctx.applications.detail(app_id)
    assert detail.customer.id_number == "110105********002X"  # masked for every role
    assert ctx.applications.reveal(app_id, "id_number") == VALID_ID
    assert detail.row.order_total_fen == 2599_00 + 499_00
    assert detail.terms.down_payment_fen == 600_00
    assert ctx.applications.load_form_draft() is None
    # ... and in the list, by searching the customer's name.
    type_text(qtbot, main_window.search, NAME)
    qtbot.waitUntil(lambda: main_window.model.query.text == NAME)
    model = main_window.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, COL_NAME)) == NAME
    assert model.application_id(0) == app_id
    assert ctx.applications.count(ListQuery(text=NAME)) == 1


def test_enter_in_the_sku_box_adds_a_line_and_enter_moves_between_fields(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    qtbot.keyClick(dlg.customer.id_number, Qt.Key.Key_Return)
    assert dlg.focusWidget() is dlg.customer.name
    assert dlg.current_step() == STEP_CUSTOMER

    dlg.show_step(STEP_ORDER)
    qtbot.keyClick(dlg.order.scenario, Qt.Key.Key_Return)  # category -> SKU box
    assert dlg.focusWidget() is dlg.order.sku
    qtbot.keyClicks(dlg.order.sku, "6901234567892")
    qtbot.keyClick(dlg.order.sku, Qt.Key.Key_Return)
    assert dlg.order.lines.raw() == [
        {"sku": "6901234567892", "name": "海尔冰箱 BCD-470", "unit_price": "3999.00", "quantity": 1}
    ]
    assert dlg.order.sku.text() == ""
    qtbot.keyClicks(dlg.order.sku, "6901234567892")  # scanned again: one more of the same
    qtbot.keyClick(dlg.order.sku, Qt.Key.Key_Return)
    assert dlg.order.lines.rowCount() == 1
    assert dlg.order.lines.raw()[0]["quantity"] == 2
    dlg.order.table.selectRow(0)
    qtbot.mouseClick(dlg.order.remove_button, Qt.MouseButton.LeftButton)
    assert dlg.order.lines.rowCount() == 0
    qtbot.keyClick(dlg.order.sku, Qt.Key.Key_Return)  # Enter in an empty SKU box moves on
    assert dlg.focusWidget() is dlg.order.same_as_home

    # Next with no items: the message goes under the lines table.
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.current_step() == STEP_ORDER
    assert dlg.order.lines_error.isVisible()
    assert "no items" in dlg.order.lines_error.text()
    dlg.done(0)


def test_the_live_schedule_follows_term_and_down_payment(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.show_step(STEP_ORDER)
    qtbot.keyClicks(dlg.order.sku, "6901234567892")
    qtbot.keyClick(dlg.order.sku, Qt.Key.Key_Return)
    dlg.show_step(STEP_TERMS)
    terms = dlg.terms
    monthly = terms.monthly_value.text()
    assert re.fullmatch(r"[\d,]+\.\d\d", monthly)
    assert re.fullmatch(r"\d+\.\d\d%", terms.apr_value.text())
    assert terms.order_total_value.text() == "3,999.00"

    terms.term.setCurrentIndex(terms.term.findData(6))
    assert terms.schedule_model.rowCount() == 6
    after_term = terms.monthly_value.text()
    assert after_term != monthly

    _type(qtbot, terms.down_payment, "1000")
    assert terms.loan_value.text() == "2,999.00"
    assert terms.monthly_value.text() != after_term

    terms.method.setCurrentIndex(terms.method.findData("equal_principal"))
    assert terms.monthly_caption.text() == "First month payment:"
    assert "→" in terms.monthly_value.text()

    # A down payment larger than the order: no schedule, and Next says why.
    _type(qtbot, terms.down_payment, "5000")
    assert terms.schedule_model.rowCount() == 0
    assert terms.apr_value.text() == "—"
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.current_step() == STEP_TERMS
    assert terms.errors["down_payment"].isVisible()
    dlg.done(0)


def test_save_with_errors_jumps_to_the_first_step_with_errors(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    from tests.ui.conftest import valid_state

    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    state = valid_state(phone="12345")
    state["form"]["order"]["lines"][0]["unit_price"] = "abc"
    state["step"] = STEP_REVIEW
    dlg.restore(state)
    assert dlg.current_step() == STEP_REVIEW
    assert dlg.save() is None
    assert dlg.current_step() == STEP_CUSTOMER
    assert dlg.customer.errors["phone"].isVisible()
    assert dlg.order.lines_error.text().startswith("Line 1: ")
    assert ctx.applications.count(ListQuery()) == 0
    dlg.done(0)


def test_terms_offered_follow_the_scenario_in_the_rule_pack(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    terms = dlg.terms

    def offered() -> list[int]:
        return [terms.term.itemData(i) for i in range(terms.term.count())]

    pack = ctx.rules.active() if ctx.rules else None
    assert pack is not None
    scenarios = pack.parameters["scenarios"]
    terms.set_order(500_000, "furniture")
    assert offered() == list(scenarios["furniture"]["allowed_terms"])
    terms.term.setCurrentIndex(terms.term.findData(12))
    terms.set_order(500_000, "appliance")
    assert offered() == list(scenarios["appliance"]["allowed_terms"])
    assert terms.term_months() == 12  # the clerk's choice survives when still offered
