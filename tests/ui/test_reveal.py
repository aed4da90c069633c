"""Masks, the audited reveal and role-gated actions, on real widgets: a clerk sees
110105********002X with no reveal button, a field manager reveals and an audit row
appears; purged customers say so; the list export; settings and rules read-only for
roles without the permission."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from core.clock import FixedClock
from core.config import Settings, resolve_paths
from core.context import AppContext, connect_context, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.security.permissions import PermissionDenied, Role
from tests.helpers.roles import (
    PLANTED_ID,
    PLANTED_NAME,
    PLANTED_PHONE,
    audit_rows,
    operator,
    other_store,
    planted,
    purge,
    service,
)
from tests.ui.conftest import answer_next_box, detail_for, lane_for
from ui.app import make_main_window
from ui.db_lane import CoreLane
from ui.detail import DetailDialog
from ui.main_window import MainWindow
from ui.reveal_reason import RevealReasonDialog
from ui.rules_page import RulesDialog
from ui.tasks import SynchronousRunner, ThreadRunner

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[AppContext, FixedClock, str]]:
    clock = FixedClock(T0)
    ctx = open_context(resolve_paths(tmp_path / "shop"), clock)
    gen = DemoGenerator(3, T0.date(), load_demo_catalog(), ctx.applications.policy)
    app_id = ctx.applications.save(planted(gen.application()))
    yield ctx, clock, app_id
    ctx.close()


def _detail(qtbot: Any, ctx: AppContext, role: Role, app_id: str) -> DetailDialog:
    as_role = ctx.as_operator(operator(ctx, role))
    dialog = detail_for(lane_for(as_role), as_role.actor, app_id, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _text(dialog: DetailDialog, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def test_a_clerk_sees_masks_and_no_reveal_button(qtbot: Any, shop: Any) -> None:
    ctx, _clock, app_id = shop
    dialog = _detail(qtbot, ctx, Role.CLERK, app_id)
    assert _text(dialog, "id_number_value") == "110105********002X"
    assert _text(dialog, "phone_value") == "138****5678"
    assert _text(dialog, "name_value") == PLANTED_NAME
    assert dialog.findChild(QPushButton, "reveal_id_number") is None
    assert dialog.findChild(QPushButton, "reveal_phone") is None
    assert not dialog.reveal("id_number", "audit")  # even if reached, core refuses
    assert dialog.error.text() == (
        "A store clerk may not see full ID numbers. If this is "
        "needed, ask a field manager or an administrator."
    )
    assert _text(dialog, "id_number_value") == "110105********002X"
    assert audit_rows(ctx, "revealed") == []


def answer_reason(reason: str | None, attempts: int = 300) -> list[str]:
    """Pick ``reason`` (None: cancel) in the next "why show it" dialog; returns the
    reasons it offered."""
    offered: list[str] = []

    def poll(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, RevealReasonDialog) and box.isVisible():
            offered.extend(b.text() for b in box.choices.values())
            assert not box.show_button.isEnabled()  # nothing picked yet
            if reason is None:
                box.findChild(QPushButton, "reveal_cancel").click()  # type: ignore[union-attr]
                return
            box.choices[reason].click()
            box.show_button.click()
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(attempts))
    return offered


def test_a_field_manager_reveals_and_an_audit_row_appears(qtbot: Any, shop: Any) -> None:
    ctx, _clock, app_id = shop
    dialog = _detail(qtbot, ctx, Role.FIELD_MANAGER, app_id)
    assert _text(dialog, "id_number_value") == "110105********002X"
    button = dialog.findChild(QPushButton, "reveal_id_number")
    assert button is not None and button.isVisible()
    offered = answer_reason("collection")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert offered == ["Customer callback", "Collection", "Audit", "Complaint or dispute"]
    assert _text(dialog, "id_number_value") == PLANTED_ID
    assert not button.isVisible()
    assert _text(dialog, "phone_value") == "138****5678"  # one field at a time
    (row,) = audit_rows(ctx, "revealed")
    assert row["operator_id"] == dialog._actor.operator_id
    assert (row["target_type"], row["target_id"]) == ("application", app_id)
    assert json.loads(str(row["detail"])) == {"field": "id_number", "reason": "collection"}
    history = dialog.history_model
    last = history.index(history.rowCount() - 1, 2).data()
    assert last == "Full data shown: ID number (reason: Collection)"
    answer_reason("dispute")
    qtbot.mouseClick(dialog.findChild(QPushButton, "reveal_phone"), Qt.MouseButton.LeftButton)
    assert _text(dialog, "phone_value") == PLANTED_PHONE
    assert len(audit_rows(ctx, "revealed")) == 2
    last = history.index(history.rowCount() - 1, 2).data()
    assert last == "Full data shown: mobile phone (reason: Complaint or dispute)"


def test_a_reveal_without_a_reason_shows_nothing(qtbot: Any, shop: Any) -> None:
    ctx, _clock, app_id = shop
    dialog = _detail(qtbot, ctx, Role.FIELD_MANAGER, app_id)
    answer_reason(None)
    qtbot.mouseClick(dialog.findChild(QPushButton, "reveal_id_number"), Qt.MouseButton.LeftButton)
    assert _text(dialog, "id_number_value") == "110105********002X"
    assert audit_rows(ctx, "revealed") == []
    assert not dialog.reveal("id_number", "curiosity")  # not on the list: core refuses
    assert (
        dialog.error.text()
        == "Not a reason for showing full data (curiosity): pick one from the list"
    )
    assert audit_rows(ctx, "revealed") == []


def test_the_reason_dialog_and_history_read_in_chinese(qtbot: Any, shop: Any) -> None:
    ctx, _clock, app_id = shop
    as_role = ctx.as_operator(operator(ctx, Role.FIELD_MANAGER))
    dialog = detail_for(lane_for(as_role), as_role.actor, app_id, "zh_CN")
    qtbot.addWidget(dialog)
    offered = answer_reason("audit")
    assert dialog.reveal("id_number")
    assert offered == ["客户回访", "催收", "审计稽核", "投诉或争议处理"]
    history = dialog.history_model
    assert (
        history.index(history.rowCount() - 1, 2).data()
        == "查看完整信息：身份证号（原因：审计稽核）"
    )


def test_a_purged_customer_reads_removed_not_blank(qtbot: Any, shop: Any) -> None:
    ctx, clock, app_id = shop
    purge(ctx, app_id, clock)
    dialog = _detail(qtbot, ctx, Role.FIELD_MANAGER, app_id)
    for name in ("id_number_value", "name_value", "phone_value"):
        assert _text(dialog, name) == "removed (retention)"
    assert _text(dialog, "home_address_value").endswith("removed (retention)")
    assert dialog.findChild(QPushButton, "reveal_id_number") is None


def test_a_clerk_cannot_open_another_stores_application(qtbot: Any, shop: Any) -> None:
    ctx, _clock, _app_id = shop
    elsewhere = operator(ctx, Role.ADMIN, store_id=other_store(ctx))
    gen = DemoGenerator(5, T0.date(), load_demo_catalog(), ctx.applications.policy)
    theirs = service(ctx, elsewhere).save(gen.application())
    with pytest.raises(PermissionDenied):  # nor list it: reads are limited to the store
        _detail(qtbot, ctx, Role.CLERK, theirs)
    manager = _detail(qtbot, ctx, Role.FIELD_MANAGER, theirs)
    assert manager.cancel_button.isEnabled()


def _window(qtbot: Any, ctx: AppContext, role: Role) -> MainWindow:
    window = make_main_window(
        ctx.as_operator(operator(ctx, role)), "en", runner=SynchronousRunner(), auto_sync=False
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_export_is_offered_by_role_and_writes_a_masked_audited_csv(
    qtbot: Any, shop: Any, tmp_path: Path
) -> None:
    ctx, _clock, app_id = shop
    clerk = _window(qtbot, ctx, Role.CLERK)
    assert not clerk.list_export.action.isVisible()
    clerk.close()

    window = _window(qtbot, ctx, Role.FIELD_MANAGER)
    action = window.list_export.action
    assert action.isVisible() and action.isEnabled()
    target = tmp_path / "list.csv"
    op = window.list_export.export_to(target)
    assert op.succeeded and window.list_export.last_result is not None
    message = window.statusBar().currentMessage()  # "(s)" until the .qm files are rebuilt
    assert message.startswith("1 application") and message.endswith(f"exported to {target}")
    rows = list(csv.reader(target.read_text("utf-8-sig").splitlines()))
    assert rows[1][0] == app_id and "110105********002X" in rows[1]
    assert PLANTED_ID.encode() not in target.read_bytes()
    assert len(audit_rows(ctx, "exported")) == 1

    seen = answer_next_box("Ok")  # a folder that does not exist: said plainly, no file
    op = window.list_export.export_to(tmp_path / "missing" / "list.csv")
    assert not op.succeeded and seen and seen[0].startswith("The export file could not be written")
    assert len(audit_rows(ctx, "exported")) == 1
    window.close()


def test_settings_and_rules_are_read_only_without_the_permission(qtbot: Any, shop: Any) -> None:
    ctx, _clock, _app_id = shop
    window = _window(qtbot, ctx, Role.CLERK)
    dialog = window.open_settings()
    assert dialog.read_only_note.isVisible()
    assert not dialog.enroll_button.isEnabled() and not dialog.language_combo.isEnabled()
    rules = window.open_rules()
    assert isinstance(rules, RulesDialog) and not rules.load_button.isEnabled()
    dialog.close()
    rules.close()
    window.close()

    admin = _window(qtbot, ctx, Role.ADMIN)
    dialog = admin.open_settings()
    assert not dialog.read_only_note.isVisible() and dialog.enroll_button.isEnabled()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    assert Settings(ctx.paths.settings_file).get("language") == "en"  # saved
    assert len(audit_rows(ctx, "setting_changed")) == 1
    dialog.close()
    admin.close()


def test_a_large_export_runs_in_the_background_with_progress(
    qtbot: Any, shop: Any, tmp_path: Path
) -> None:
    from datetime import timedelta

    from ui.list_export import ListExport

    ctx, _clock, _app_id = shop
    gen = DemoGenerator(9, T0.date(), load_demo_catalog(), ctx.applications.policy)
    ctx.applications.save_many(
        [(gen.application(), T0 - timedelta(minutes=i)) for i in range(1, 600)]
    )
    window = _window(qtbot, ctx, Role.FIELD_MANAGER)
    runner = ThreadRunner(window)
    actor = window.actor
    lane = CoreLane(lambda: connect_context(ctx.paths, ctx.clock, actor), runner)
    export = ListExport(window, "en", lambda: window.model.query, lane=lane, progress_delay_ms=0)
    seen: list[tuple[int, int]] = []
    target = tmp_path / "big.csv"
    op = export.export_to(target).on_progress(lambda _p, done, total: seen.append((done, total)))
    assert not export.action.isEnabled()  # one export at a time
    qtbot.waitUntil(lambda: op.done, timeout=60_000)
    assert op.succeeded, export.last_error
    assert seen and seen[-1] == (600, 600)
    assert export.progress.labelText() == "Exporting the list… 600 of 600"
    assert not export.progress.isVisible() and export.action.isEnabled()
    assert len(target.read_text("utf-8-sig").splitlines()) == 601
    lane.close()
    window.close()
