"""The idle lock under pytest-qt: after a (short) idle time the window hides every
customer's data; only the same operator's password unlocks it; input keeps it open;
Ctrl+L locks at once; "Sign out" goes back to the login and keeps the form's draft."""
# ruff: noqa: F811  (make_session is a fixture imported from session_support)

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

import ui.session
from core.context import AppContext
from core.operators.service import authenticate
from core.security.permissions import mask_id_number, mask_name, mask_phone
from core.validation.application import parse_application
from tests.ui.conftest import NAME, PHONE, VALID_ID, type_text, valid_state
from tests.ui.manual_timer import ManualTimer
from tests.ui.session_support import (  # noqa: F401
    ADMIN,
    CLERK,
    add_accounts,
    log_in,
    make_session,
    visible_texts,
)
from ui.idle_lock import LockPanel
from ui.idle_watch import IdleWatcher
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.session import Session

CUSTOMER_TEXTS = (
    NAME,
    mask_name(NAME),
    PHONE,
    mask_phone(PHONE),
    VALID_ID,
    mask_id_number(VALID_ID),
    PHONE[-4:],
)


def _save_one(ctx: AppContext) -> str:
    result = parse_application(valid_state()["form"], today=datetime.now(UTC).date())
    assert result.value is not None
    return ctx.applications.save(result.value)


def _logged_in(qtbot: Any, session: Session, account: tuple[str, str, str]) -> MainWindow:
    session.start()
    login = session.login_dialog
    assert isinstance(login, LoginDialog)
    log_in(qtbot, login, account[0], account[2])
    window = session.window
    assert window is not None
    qtbot.waitExposed(window)
    return window


def _unlock_with(qtbot: Any, panel: LockPanel, password: str) -> None:
    panel.password_edit.clear()
    qtbot.keyClicks(panel.password_edit, password)
    qtbot.keyClick(panel.password_edit, Qt.Key.Key_Return)


def test_idle_window_locks_hides_customer_data_and_only_its_operator_unlocks(
    qtbot: Any, ctx: AppContext, make_session: Any
) -> None:
    add_accounts(ctx)
    app_id = _save_one(ctx)
    session = make_session(idle_ms=300)
    window = _logged_in(qtbot, session, ADMIN)
    window.refresh()
    assert window.select_application(app_id)
    detail = window.open_selected()
    assert detail is not None
    qtbot.waitExposed(detail)
    on_screen = visible_texts()
    shown = [t for t in CUSTOMER_TEXTS if t in on_screen]
    assert shown, "the test needs some customer data on screen before the lock"

    lock = window.session_ui.lock
    qtbot.waitUntil(lock.is_locked, timeout=5000)  # nobody touched anything for 300 ms
    panel = lock.panel
    assert isinstance(panel, LockPanel) and window.centralWidget() is panel
    assert not window.table.isVisible() and not detail.isVisible()
    assert not window.menuBar().isVisible()
    assert not window.act_new.isEnabled()
    on_screen = visible_texts()
    assert [t for t in CUSTOMER_TEXTS if t in on_screen] == []
    assert "王店长 · administrator" in on_screen  # whose password unlocks it

    _unlock_with(qtbot, panel, "Wrong-2026")
    assert lock.is_locked() and panel.message.text() == "Wrong password"  # no user name here
    _unlock_with(qtbot, panel, CLERK[2])  # another operator's password does not unlock
    assert lock.is_locked() and not window.table.isVisible()
    _unlock_with(qtbot, panel, ADMIN[2])
    assert not lock.is_locked()
    assert window.centralWidget() is not panel and window.table.isVisible()
    assert detail.isVisible() and window.menuBar().isVisible() and window.act_new.isEnabled()
    assert all(t in visible_texts() for t in shown)
    session.idle.stop()
    actions = [
        r[0]
        for r in ctx.db.execute(
            "SELECT action FROM audit_log WHERE target_type = 'operator' ORDER BY seq"
        )
    ]
    assert actions[-3:] == ["login_failed", "login_failed", "unlocked"]


def test_the_lock_waits_while_someone_is_typing(
    qtbot: Any, ctx: AppContext, make_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_accounts(ctx)
    timer = ManualTimer()  # the idle time passes only when this test says so
    monkeypatch.setattr(ui.session, "IdleWatcher", functools.partial(IdleWatcher, timer=timer))
    session = make_session(idle_ms=400)
    window = _logged_in(qtbot, session, CLERK)
    lock = window.session_ui.lock
    assert timer.interval() == 400 and timer.isActive() and not lock.is_locked()
    for _ in range(8):  # 800 ms of typing, twice the idle time: a key every 100 ms
        timer.advance(100)
        restarts = len(timer.starts)
        qtbot.keyClick(window.search, Qt.Key.Key_A)
        assert len(timer.starts) > restarts  # each key starts the idle time over
        assert not lock.is_locked()
    timer.advance(399)
    assert not lock.is_locked()  # counted from the last key...
    timer.advance(1)
    assert lock.is_locked()  # ...and locked once nobody typed for the whole idle time
    assert not timer.isActive()  # paused while locked


def test_wrong_passwords_on_the_lock_panel_grow_a_delay(
    qtbot: Any, ctx: AppContext, make_session: Any
) -> None:
    add_accounts(ctx)
    session = make_session(idle_ms=60_000)
    window = _logged_in(qtbot, session, CLERK)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    panel = window.session_ui.lock.panel
    assert panel is not None
    for _ in range(3):
        _unlock_with(qtbot, panel, "000000")
        assert panel.unlock_button.isEnabled()
    _unlock_with(qtbot, panel, "000000")
    assert not panel.unlock_button.isEnabled()
    assert panel.countdown.text() == "Try again in 2 s"
    _unlock_with(qtbot, panel, CLERK[2])  # refused unchecked while counting down
    assert window.session_ui.lock.is_locked()
    qtbot.waitUntil(panel.unlock_button.isEnabled, timeout=5000)
    _unlock_with(qtbot, panel, CLERK[2])
    assert not window.session_ui.lock.is_locked()


def test_ctrl_l_locks_and_sign_out_returns_to_the_login_keeping_the_draft(
    qtbot: Any, ctx: AppContext, make_session: Any
) -> None:
    ids = add_accounts(ctx)
    session = make_session(idle_ms=60_000)
    window = _logged_in(qtbot, session, CLERK)
    form = window.open_new_application()
    assert form is not None
    qtbot.waitExposed(form)
    type_text(qtbot, form.customer.name, NAME)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow, timeout=3000)
    qtbot.keyClick(form.customer.name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    lock = window.session_ui.lock
    assert lock.is_locked() and not form.isVisible()
    clerk_ctx = ctx.as_operator(authenticate(ctx.db, ctx.clock, CLERK[0], CLERK[2]))
    draft = clerk_ctx.applications.load_form_draft()
    assert draft is not None and clerk_ctx.actor.operator_id == ids[CLERK[0]]

    panel = lock.panel
    assert panel is not None
    qtbot.mouseClick(panel.sign_out_button, Qt.MouseButton.LeftButton)
    assert session.window is None and not window.isVisible()
    login = session.login_dialog
    assert isinstance(login, LoginDialog) and login.isVisible()
    assert clerk_ctx.applications.load_form_draft() == draft  # kept for that operator
    admin_ctx = ctx.as_operator(authenticate(ctx.db, ctx.clock, ADMIN[0], ADMIN[2]))
    assert admin_ctx.applications.load_form_draft() is None

    log_in(qtbot, login, ADMIN[0], ADMIN[2])  # another operator at the same PC
    assert session.window is not None and session.window is not window
    assert session.window.session_ui.actor.operator_id == ids[ADMIN[0]]
