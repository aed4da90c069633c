"""The sync panel's lists of rejected and kept-aside items as a Qt model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from core.sync.service import ProblemItem
from ui.problem_model import APPLICATION_ID_ROLE, COL_REASON, OP_ID_ROLE, ProblemItemsModel


def _item(n: int, code: str = "SYNC_ITEM_INVALID") -> ProblemItem:
    return ProblemItem(
        op_id=f"op-{n}",
        application_id=f"app-{n}",
        customer_name="张三",
        created_at="2026-03-01T02:00:00+00:00",
        state="rejected",
        code=code,
        error={"text": "期数不可选"},
        attempts=1,
        last_http_status=200,
    )


def test_the_model_passes_the_qt_model_tester(qtmodeltester: Any) -> None:
    model = ProblemItemsModel("en")
    model.set_items([_item(1), _item(2, "SYNC_ITEM_CONFLICT")])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, COL_REASON)) == (
        "Head office returned this application: 期数不可选"
    )
    assert model.data(model.index(1, COL_REASON)).startswith("Head office holds a newer")
    assert model.data(model.index(1, 0), OP_ID_ROLE) == "op-2"
    assert model.data(model.index(1, 0), APPLICATION_ID_ROLE) == "app-2"
    assert model.headerData(COL_REASON, Qt.Orientation.Horizontal) == "Reason"
    model.set_items([])
    qtmodeltester.check(model)


def test_reasons_in_chinese() -> None:
    model = ProblemItemsModel("zh_CN")
    model.set_items([_item(1)])
    assert model.reason(0) == "总部退回了这份申请：期数不可选"
