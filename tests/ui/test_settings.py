"""The settings dialog: enrolling this PC (refused, no keyring, done) and the language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
from PySide6.QtCore import Qt

from core.config import Settings
from tests.helpers.server import RealServer
from tests.ui.conftest import WindowFactory, context_of
from ui.tasks import SynchronousRunner


def test_settings_enroll_this_pc_and_say_what_went_wrong(
    qtbot: Any, tmp_path: Path, data_dir: Path, open_window: WindowFactory, memory_keyring: Any
) -> None:
    window = open_window(runner=SynchronousRunner())
    original = window.context
    window.act_settings.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.enrollment_state.text().startswith("This PC is not enrolled")

    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    assert dialog.enroll_message.text().startswith("Fill in the server address")

    with RealServer(tmp_path) as srv:
        srv.add_store("SET01", "设置门店", "上海")
        dialog.server_edit.setText(srv.url)
        dialog.store_edit.setText("SET01")
        dialog.code_edit.setText("WRONG-CODE-0000")
        qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
        assert dialog.enroll_message.text().startswith(
            "Not enrolled: The server refused the enrollment (403)"
        )

        # No usable keyring: the device token lives only in the keyring, so enrolling
        # stops there, in plain words (the sync lane's connection stays open: it holds
        # the data keys already).
        before = context_of(window).applications.count_all()
        keyring.set_keyring(keyring.backends.fail.Keyring())
        try:
            dialog.code_edit.setText(srv.add_store("SET01"))
            qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
        finally:
            keyring.set_keyring(memory_keyring)
        text = dialog.enroll_message.text()
        assert text.startswith("Not enrolled: The system keyring cannot hold"), text
        assert "no backend: keyring.backends.fail.Keyring" in text and "{" not in text
        assert "PYTHON_KEYRING_BACKEND" in text and "plain text" in text
        assert window.context is original  # nothing reopened, nothing lost
        assert dialog.enrollment_state.text().startswith("This PC is not enrolled")
        assert context_of(window).applications.count_all() == before

        dialog.code_edit.setText(srv.add_store("SET01"))
        with qtbot.waitSignal(dialog.sig_enrolled):
            qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    assert dialog.enroll_message.text() == (
        f"This PC is now enrolled with {srv.url} as store SET01 设置门店. Queued applications "
        "go to head office with the next sync."
    )
    assert dialog.code_edit.text() == ""
    assert dialog.enrollment_state.text() == f"Enrolled with {srv.url} as store SET01."
    fresh = window.context
    assert fresh is not original  # reopened, as core requires after enrolling
    assert fresh.settings.get("store_code") == "SET01"
    assert fresh.settings.get("store_city") == "上海"
    assert window.sync_status.state_button.text() == "Not synced yet"

    # The language goes through the fresh settings, so the enrolled store stays.
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    assert "next time LoanDesk starts" in dialog.language_message.text()
    on_disk = Settings(fresh.paths.settings_file)
    assert on_disk.get("language") == "zh_CN" and on_disk.get("store_code") == "SET01"
    dialog.accept()


def test_an_admin_sets_the_lock_and_retention_periods_and_a_clerk_cannot(
    qtbot: Any, data_dir: Path, open_window: WindowFactory
) -> None:
    from core.security.permissions import Role
    from core.store.audit_repo import AuditRepo
    from tests.helpers.roles import operator
    from ui.app import make_main_window

    window = open_window(runner=SynchronousRunner())
    window.act_settings.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    assert (dialog.idle_spin.value(), dialog.retention_spin.value()) == (5, 180)
    dialog.idle_spin.setFocus()
    dialog.idle_spin.selectAll()
    qtbot.keyClicks(dialog.idle_spin, "12")
    qtbot.keyClick(dialog.idle_spin, Qt.Key.Key_Return)  # editingFinished
    assert "next time someone signs in" in dialog.security_message.text()
    dialog.retention_spin.setValue(400)
    dialog.retention_spin.editingFinished.emit()
    assert "next time LoanDesk starts" in dialog.security_message.text()
    on_disk = Settings(window.context.paths.settings_file)
    assert (on_disk.get("idle_lock_minutes"), on_disk.get("retention_days")) == (12, 400)
    changed = [
        r["target_id"]
        for r in AuditRepo(context_of(window).db).rows()
        if r["action"] == "setting_changed"
    ]
    assert changed[-2:] == ["idle_lock_minutes", "retention_days"]
    dialog.accept()

    ctx = context_of(window)
    clerk_window = make_main_window(
        ctx.as_operator(operator(ctx, Role.CLERK)),
        "en",
        auto_sync=False,
        runner=SynchronousRunner(),
    )
    qtbot.addWidget(clerk_window)
    clerk_window.act_settings.trigger()
    clerk_dialog = clerk_window.settings_dialog
    assert clerk_dialog is not None
    assert not clerk_dialog.idle_spin.isEnabled() and not clerk_dialog.retention_spin.isEnabled()
    assert clerk_dialog.read_only_note.isVisible()
    clerk_dialog.accept()
    clerk_window.close()
