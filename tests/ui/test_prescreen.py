"""The pre-screen on the review step and the decision receipt in the detail dialog,
with the default rule pack that open_context installs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from core.applications.service import ApplicationService
from core.context import AppContext
from tests.ui.conftest import (
    CLEAN_ID,
    LaneFactory,
    detail_for,
    form_for,
    lane_for,
    unaffordable_state,
    valid_state,
)
from ui.app import install_translations
from ui.new_application import NewApplicationDialog
from ui.new_application.common import STEP_REVIEW, STEP_TERMS
from ui.prescreen_view import PrescreenView


def _dialog(
    qtbot: Any, ctx: AppContext, state: dict[str, Any], lang: str = "en"
) -> NewApplicationDialog:
    lane = lane_for(ctx)
    dlg = NewApplicationDialog(form_for(lane), lang)
    dlg.destroyed.connect(lambda *_: lane.close())
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))  # no "close?" question
    dlg.show()
    state["step"] = STEP_REVIEW
    dlg.restore(state)
    assert dlg.current_step() == STEP_REVIEW
    return dlg


def _save(qtbot: Any, dlg: NewApplicationDialog) -> str:
    with qtbot.waitSignal(dlg.sig_saved, timeout=3000) as saved:
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    return str(saved.args[0])


def _side_of(view: PrescreenView, code: str) -> str:
    """The side tag shown on the row of the reason with ``code``."""
    for row, label in enumerate(view.reason_labels):
        if label.toolTip() == code:
            side = view.findChild(QLabel, f"reason_side_{row}")
            assert side is not None
            return side.text()
    raise AssertionError(f"no reason {code} shown")


def test_a_clean_application_passes_and_its_receipt_is_in_the_detail(
    qtbot: Any, ctx: AppContext
) -> None:
    dlg = _dialog(qtbot, ctx, valid_state(id_number=CLEAN_ID))
    view = dlg.review.prescreen
    assert view.isVisible() and view.badge.isVisible()
    assert view.outcome() == "PASS"
    assert view.badge.text() == "Pass"
    assert view.pack_label.text() == "Rule pack cn-retail v2"
    assert view.reason_texts() == []
    assert not view.stale_note.isVisible()
    assert dlg.save_button.text() == "&Save"

    app_id = _save(qtbot, dlg)
    receipt = ctx.applications.receipt(app_id)
    assert receipt is not None and receipt.outcome == "PASS"

    detail = detail_for(lane_for(ctx), ctx.actor, app_id, "en")
    qtbot.addWidget(detail)
    detail.show()
    assert detail.outcome_badge.text() == "Pass"
    shown = detail.prescreen_view
    assert shown.outcome() == "PASS"
    assert shown.pack_label.text() == "Rule pack cn-retail v2"
    assert shown.digest_value is not None
    assert shown.digest_value.text() == receipt.inputs_sha256
    assert len(receipt.inputs_sha256) == 64
    detail.accept()


@pytest.mark.parametrize(
    ("lang", "decline", "save_text", "pti_words", "customer", "store"),
    [
        ("en", "Decline", "&Save (declined)", "of monthly income", "Customer", "Store"),
        ("zh_CN", "拒绝", "保存（拒绝）(&S)", "月供占月收入", "客户", "门店"),
    ],
)
def test_an_unaffordable_application_is_declined_in_the_clerks_language(
    qtbot: Any,
    qapp: QApplication,
    ctx: AppContext,
    lang: str,
    decline: str,
    save_text: str,
    pti_words: str,
    customer: str,
    store: str,
) -> None:
    install_translations(qapp, lang)
    dlg = _dialog(qtbot, ctx, unaffordable_state(), lang)
    view = dlg.review.prescreen
    outcome = dlg.review.outcome
    assert outcome is not None and outcome.outcome == "DECLINE"
    assert view.badge.text() == decline
    assert dlg.save_button.text() == save_text
    pti = next(r for r in outcome.reasons if r.code == "PTI_DECLINE")
    assert pti.text(lang) in view.reason_texts()
    assert any(pti_words in text for text in view.reason_texts())
    assert _side_of(view, "PTI_DECLINE") == customer
    assert _side_of(view, "PRICE_DEVIATION") == store  # 26800 vs the catalog's 3999
    assert view.reason_labels[0].toolTip() == "PTI_DECLINE"  # customer side, declines first

    # Saving works for a declined application too: the record matters.
    app_id = _save(qtbot, dlg)
    receipt = ctx.applications.receipt(app_id)
    assert receipt is not None and receipt.outcome == "DECLINE"
    assert "PTI_DECLINE" in receipt.codes
    detail = detail_for(lane_for(ctx), ctx.actor, app_id, lang)
    qtbot.addWidget(detail)
    assert detail.prescreen_view.outcome() == "DECLINE"
    assert pti.text(lang) in detail.prescreen_view.reason_texts()
    assert detail.prescreen_view.digest_value is not None
    assert detail.prescreen_view.digest_value.text() == receipt.inputs_sha256
    detail.accept()


def test_the_pre_screen_runs_again_after_edits(qtbot: Any, ctx: AppContext) -> None:
    dlg = _dialog(qtbot, ctx, unaffordable_state())
    assert dlg.review.prescreen.outcome() == "DECLINE"
    dlg.go_back()
    assert dlg.current_step() == STEP_TERMS
    dlg.terms.down_payment.setText("20000")
    dlg.terms.term.setCurrentIndex(dlg.terms.term.findData(24))
    assert dlg.go_next()
    assert dlg.current_step() == STEP_REVIEW
    view = dlg.review.prescreen
    assert view.outcome() == "REFER"  # affordable now; the price is still far off
    assert not any("of monthly income" in text for text in view.reason_texts())
    assert dlg.save_button.text() == "&Save"
    dlg.done(0)


def test_out_of_date_rules_read_as_refer_not_as_an_error(qtbot: Any, ctx: AppContext) -> None:
    assert ctx.rules is not None
    ctx.rules.note_server_time(datetime(2028, 3, 1, tzinfo=UTC))  # the pack ended 2027
    dlg = _dialog(qtbot, ctx, valid_state(id_number=CLEAN_ID))
    view = dlg.review.prescreen
    assert view.outcome() == "REFER"
    assert view.badge.text() == "Refer"
    assert view.stale_note.isVisible()
    assert view.stale_note.text() == "Rules out of date – refer"
    assert "not an error" in view.headline.text()
    assert any("expired" in text for text in view.reason_texts())
    assert view.pack_label.text() == "Rule pack: none in use (out of date or missing)"
    assert dlg.save_button.text() == "&Save"
    app_id = _save(qtbot, dlg)
    receipt = ctx.applications.receipt(app_id)
    assert receipt is not None and receipt.codes == ("RULES_STALE",)


class _NoReceipts(ApplicationService):
    """The real service over a record saved before receipts existed."""

    def receipt(self, app_id: str) -> None:
        return None


def test_an_application_without_a_receipt_says_so(
    qtbot: Any, ctx: AppContext, make_lane: LaneFactory
) -> None:
    dlg = _dialog(qtbot, ctx, valid_state(id_number=CLEAN_ID))
    app_id = _save(qtbot, dlg)
    lane = make_lane(
        service=lambda core: _NoReceipts(core.db, core.actor, core.clock, rules=core.rules)
    )
    detail = detail_for(lane, ctx.actor, app_id, "en")
    qtbot.addWidget(detail)
    assert detail.outcome_badge.text() == "No receipt"
    assert detail.prescreen_view.outcome() is None
    assert "No pre-screen receipt" in detail.prescreen_view.message.text()
    assert detail.prescreen_view.reason_texts() == []
    detail.accept()
