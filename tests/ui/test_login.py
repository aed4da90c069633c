"""First-run setup, the login dialog (wrong passwords and the countdown), the main window
as each role, and the operators dialog — real widgets on a real database."""
# ruff: noqa: F811  (make_session is a fixture imported from session_support)

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from core.context import AppContext
from core.operators.service import authenticate, needs_setup
from core.security.permissions import Role
from tests.ui.session_support import (  # noqa: F401
    ADMIN,
    CLERK,
    MANAGER,
    add_accounts,
    log_in,
    make_session,
)
from ui.db_lane import CoreLane
from ui.login import LoginDialog, SetupDialog
from ui.operators_dialog import OperatorsDialog


def test_first_run_setup_creates_the_admin_then_login_opens_the_window(
    qtbot: Any, ctx: AppContext, make_session: Any
) -> None:
    session = make_session()
    session.start()
    setup = session.setup_dialog
    assert isinstance(setup, SetupDialog) and session.login_dialog is None
    qtbot.waitExposed(setup)
    qtbot.keyClicks(setup.login_edit, "boss")
    qtbot.keyClick(setup.login_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(setup.name_edit, "Wang")
    qtbot.keyClick(setup.name_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(setup.password_edit, "12345678")  # digits only: not for an admin
    qtbot.keyClick(setup.password_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(setup.repeat_edit, "12345678")
    qtbot.keyClick(setup.repeat_edit, Qt.Key.Key_Return)
    assert setup.isVisible() and needs_setup(ctx.db)
    assert "letters and digits" in setup.password_error.text()
    assert setup.password_error.isVisible()

    setup.password_edit.setText("Counter2026")
    setup.repeat_edit.setText("Counter2027")
    setup.submit()
    assert setup.repeat_error.text() == "The two passwords are not the same."
    assert needs_setup(ctx.db)

    setup.repeat_edit.setText("Counter2026")
    setup.submit()
    assert not setup.isVisible() and not needs_setup(ctx.db)
    login = session.login_dialog
    assert isinstance(login, LoginDialog) and login.isVisible()
    assert not login.hint_label.isVisible()  # no hint outside the demo
    log_in(qtbot, login, "boss", "Counter2026")
    window = session.window
    assert window is not None and window.isVisible() and not login.isVisible()
    assert window.actor.role is Role.ADMIN
    assert window.session_ui.operator_label.text() == "Wang · administrator"
    assert window.session_ui.act_operators.isEnabled()


def test_wrong_password_shows_a_plain_message_and_a_countdown(
    qtbot: Any, ctx: AppContext, make_session: Any
) -> None:
    add_accounts(ctx)
    session = make_session()
    session.start()
    login = session.login_dialog
    assert isinstance(login, LoginDialog)
    qtbot.waitExposed(login)
    messages = []
    for name in ("xiaoli", "nobody", "xiaoli", "nobody", "xiaoli"):  # three free each
        log_in(qtbot, login, name, "000000")
        messages.append(login.message.text())
        assert login.login_button.isEnabled() and not login.countdown.isVisible()
    assert messages == ["Wrong user name or password"] * 5  # no hint whether a login exists
    assert login.password_edit.text() == ""
    log_in(qtbot, login, "xiaoli", "000000")  # the fourth costs a 2 s wait
    assert not login.login_button.isEnabled()
    assert login.countdown.isVisible() and login.countdown.text() == "Try again in 2 s"
    log_in(qtbot, login, "xiaoli", CLERK[2])  # Enter does nothing while counting down
    assert session.window is None
    qtbot.waitUntil(login.login_button.isEnabled, timeout=5000)
    assert not login.countdown.isVisible()
    log_in(qtbot, login, "xiaoli", CLERK[2])
    assert session.window is not None and session.window.actor.role is Role.CLERK


def test_login_as_each_role_gives_that_role(qtbot: Any, ctx: AppContext, make_session: Any) -> None:
    ids = add_accounts(ctx)
    expected = {ADMIN: Role.ADMIN, CLERK: Role.CLERK, MANAGER: Role.FIELD_MANAGER}
    session = make_session(hint="demo accounts: …")
    session.start()
    for (login_name, display, password), role in expected.items():
        login = session.login_dialog
        assert isinstance(login, LoginDialog) and login.isVisible()
        assert login.hint_label.isVisible() and login.hint_label.text() == "demo accounts: …"
        log_in(qtbot, login, login_name, password)
        window = session.window
        assert window is not None
        actor = window.actor
        assert (actor.operator_id, actor.role) == (ids[login_name], role)
        assert window.lane.actor == actor  # its data lane acts as them
        ui = window.session_ui
        assert ui.operator_label.text().startswith(display)
        assert ui.act_operators.isEnabled() is (role is Role.ADMIN)
        ui.act_sign_out.trigger()  # back to the login dialog
        assert session.window is None and not window.isVisible()
    actions = [
        r[0]
        for r in ctx.db.execute(
            "SELECT action FROM audit_log WHERE target_type = 'operator' AND action IN "
            "('login', 'signed_out') ORDER BY seq"
        )
    ]
    assert actions == ["login"] + ["login", "signed_out"] * 3  # the first: add_accounts


def test_admin_manages_operators_in_the_dialog(
    qtbot: Any, ctx: AppContext, qtmodeltester: Any, lane: CoreLane
) -> None:
    add_accounts(ctx)
    admin = authenticate(ctx.db, ctx.clock, ADMIN[0], ADMIN[2])
    dialog = OperatorsDialog(lane, admin, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtmodeltester.check(dialog.model)
    model = dialog.model
    rows = {
        model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in range(4)]
        for r in range(model.rowCount())
    }
    assert rows == {
        "boss": ["boss", "王店长", "administrator", "Active"],
        "xiaoli": ["xiaoli", "李小丽", "store clerk", "Active"],
        "zhao": ["zhao", "赵经理", "field manager", "Active"],
    }
    assert not dialog.toggle_button.isEnabled()

    add = dialog.open_add()
    qtbot.keyClicks(add.login_edit, "xiaowang")
    qtbot.keyClicks(add.name_edit, "Wang")
    add.password_edit.setText("123456")
    add.repeat_edit.setText("123456")
    add.submit()  # a run of digits is refused, inline
    assert add.isVisible() and "consecutive digits" in add.password_error.text()
    add.password_edit.setText("369258")
    add.repeat_edit.setText("369258")
    add.submit()
    assert not add.isVisible()
    assert authenticate(ctx.db, ctx.clock, "xiaowang", "369258").role is Role.CLERK
    assert dialog.selected() is not None and dialog.selected().login == "xiaowang"

    dialog.toggle_selected()  # disable
    assert dialog.selected() is not None and not dialog.selected().active
    assert dialog.toggle_button.text() == "&Enable"
    dialog.toggle_selected()  # enable again
    reset = dialog.open_reset()
    assert reset is not None
    reset.password_edit.setText("741963")
    reset.repeat_edit.setText("741963")
    reset.submit()
    assert not reset.isVisible()
    assert authenticate(ctx.db, ctx.clock, "xiaowang", "741963").role is Role.CLERK

    dialog.reload(select=admin.operator_id)
    dialog.toggle_selected()  # one's own account cannot be disabled
    assert dialog.message.text() == "You cannot disable the account you are signed in with"


def test_a_clerk_cannot_open_the_operators_list(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    add_accounts(ctx)
    clerk = authenticate(ctx.db, ctx.clock, CLERK[0], CLERK[2])
    dialog = OperatorsDialog(lane, clerk, "en")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and not dialog.add_button.isEnabled()
    assert "may not manage operators" in dialog.message.text()
