"""A tired clerk's form: a wrong field is said when it is left, Enter never moves on from
a wrong ID, amounts that cannot be financed get no schedule, SKUs match whatever the
keyboard typed, a mixed basket is refused, and the review shows what will be saved."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.context import AppContext
from core.models import CatalogItem
from tests.ui.conftest import BAD_CHECKSUM_ID, VALID_ID, form_for, valid_state
from tests.ui.gui_gc import widgets_collected_here  # noqa: F401  (autouse)
from ui.db_lane import CoreLane
from ui.new_application import NewApplicationDialog
from ui.new_application.common import STEP_CUSTOMER, STEP_ORDER, STEP_REVIEW, STEP_TERMS

FRIDGE = CatalogItem("APL-FRG-500", "冰箱 500L", "appliance", 4999_00)


@pytest.fixture
def dlg(qtbot: Any, ctx: AppContext, lane: CoreLane) -> Any:
    ctx.applications.load_catalog([FRIDGE])
    dialog = NewApplicationDialog(form_for(lane), "en")
    dialog.show()  # not given to qtbot: it would close it (asking) before done(0) below
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    yield dialog
    dialog.done(0)
    dialog.deleteLater()


def test_leaving_a_wrong_id_shows_its_error_under_it_at_once(qtbot: Any, dlg: Any) -> None:
    qtbot.keyClicks(dlg.customer.id_number, BAD_CHECKSUM_ID)
    qtbot.keyClick(dlg.customer.id_number, Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.customer.name  # Tab still moves on ...
    error = dlg.customer.errors["id_number"]
    assert error.isVisible() and "check digit" in error.text()  # ... and says what is wrong
    assert not dlg.customer.errors["name"].isVisible()  # an empty field is not judged yet
    qtbot.keyClick(dlg.customer.name, Qt.Key.Key_Tab)
    assert not dlg.customer.errors["name"].isVisible()


def test_enter_does_not_move_on_silently_from_a_wrong_id(qtbot: Any, dlg: Any) -> None:
    qtbot.keyClicks(dlg.customer.id_number, BAD_CHECKSUM_ID)
    qtbot.keyClick(dlg.customer.id_number, Qt.Key.Key_Return)
    assert dlg.focusWidget() is dlg.customer.id_number
    assert dlg.customer.errors["id_number"].isVisible()
    dlg.customer.id_number.clear()
    qtbot.keyClicks(dlg.customer.id_number, VALID_ID)
    qtbot.keyClick(dlg.customer.id_number, Qt.Key.Key_Return)
    assert dlg.focusWidget() is dlg.customer.name
    assert dlg.current_step() == STEP_CUSTOMER


def test_an_amount_that_cannot_be_offered_gets_the_limits_not_a_schedule(dlg: Any) -> None:
    state = valid_state()
    state["form"]["order"]["lines"][0]["unit_price"] = "70000"
    state["form"]["terms"]["down_payment"] = "0"
    state["step"] = STEP_TERMS
    dlg.restore(state)
    terms = dlg.terms
    assert "500.00" in terms.limits.text() and "60,000.00" in terms.limits.text()
    assert terms.schedule_model.rowCount() == 0
    assert terms.apr_value.text() == "—" and terms.monthly_value.text() == "—"
    assert terms.amount_error.isVisible()
    assert "70,000.00" in terms.amount_error.text() and "60,000.00" in terms.amount_error.text()
    terms.down_payment.setText("15000")  # 55,000 on loan: offered
    assert terms.schedule_model.rowCount() == 12
    assert not terms.amount_error.isVisible()


def test_a_huge_price_says_the_limit(qtbot: Any, dlg: Any) -> None:
    state = valid_state()
    state["form"]["order"]["lines"][0]["unit_price"] = "99999999999999"
    state["step"] = STEP_ORDER
    dlg.restore(state)
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    text = dlg.order.lines_error.text()
    assert dlg.current_step() == STEP_ORDER
    assert "60,000.00" in text and "not a valid amount" not in text


@pytest.mark.parametrize("typed", ["apl-frg-500", "ＡＰＬ－ＦＲＧ－５００"])
def test_a_sku_typed_in_lower_case_or_full_width_is_the_catalog_item(dlg: Any, typed: str) -> None:
    dlg.show_step(STEP_ORDER)
    dlg.order.set_scenario("furniture")
    dlg.order.sku.setText(typed)
    dlg.order.add_from_entry()
    assert dlg.order.lines.raw() == [
        {"sku": "APL-FRG-500", "name": "冰箱 500L", "unit_price": "4999.00", "quantity": 1}
    ]
    assert dlg.order.scenario_value() == "appliance"  # the catalog's category


def test_a_mixed_basket_is_refused_with_a_message_to_split_it(qtbot: Any, dlg: Any) -> None:
    order = dlg.order
    dlg.show_step(STEP_ORDER)
    for sku in ("6909876543210", "6901234567892"):  # furniture, then an appliance
        qtbot.keyClicks(order.sku, sku)
        qtbot.keyClick(order.sku, Qt.Key.Key_Return)
    assert [line["sku"] for line in order.lines.raw()] == ["6909876543210"]
    assert order.scenario_value() == "furniture"
    assert "split" in order.sku_message.text()
    # choosing the other category by hand does not take its terms either
    order.set_scenario("appliance")
    qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton)
    assert dlg.current_step() == STEP_ORDER
    assert order.scenario_error.isVisible() and "Furniture" in order.scenario_error.text()


def test_review_shows_the_normalised_values_that_will_be_saved(dlg: Any) -> None:
    state = valid_state(
        id_number="１１０１０５１９４９１２３１００２ｘ",
        phone="+86 138 0013 8000",
        name="  张小明 ",
        monthly_income="８０００",
    )
    state["step"] = STEP_REVIEW
    dlg.restore(state)
    summary = dlg.review.summary.text()
    assert VALID_ID in summary and "１１０" not in summary
    assert "13800138000" in summary and "+86" not in summary and "138 0013" not in summary
    assert "<td>张小明</td>" in summary
    assert "8,000.00" in summary
