"""Helpers for the login, lock and operators tests: accounts on the test database, a
Session whose windows are closed at the end, logging in by typing, and what is on screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QWidget

from core.context import AppContext, Basis
from core.operators.service import OperatorService, authenticate, create_first_admin
from core.security.permissions import Role
from ui.app import make_main_window
from ui.db_lane import CoreLane
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.session import Session

ADMIN = ("boss", "王店长", "Counter2026")
CLERK = ("xiaoli", "李小丽", "258014")
MANAGER = ("zhao", "赵经理", "Region77x")


def add_accounts(ctx: AppContext) -> dict[str, str]:
    """The first admin plus a clerk and a field manager; returns login -> operator id."""
    ids = {ADMIN[0]: create_first_admin(ctx.db, ctx.clock, *ADMIN)}
    admin = authenticate(ctx.db, ctx.clock, ADMIN[0], ADMIN[2])
    svc = OperatorService(ctx.db, ctx.clock, admin)
    ids[CLERK[0]] = svc.create_operator(CLERK[0], CLERK[1], Role.CLERK, CLERK[2])
    ids[MANAGER[0]] = svc.create_operator(MANAGER[0], MANAGER[1], Role.FIELD_MANAGER, MANAGER[2])
    return ids


@pytest.fixture
def make_session(qtbot: Any, ctx: AppContext) -> Iterator[Any]:
    """``make_session(idle_ms=None, hint=None)``: a Session over the test context whose
    main windows do not sync by themselves; everything it opened is closed at the end."""
    made: list[Session] = []

    def window(basis: Basis, lane: CoreLane) -> MainWindow:
        made_window = make_main_window(basis, "en", lane=lane, auto_sync=False)
        qtbot.addWidget(made_window)  # deleted by qtbot at the end
        return made_window

    def make(idle_ms: int | None = None, hint: str | None = None) -> Session:
        session = Session(ctx, "en", window, idle_ms=idle_ms, hint=hint)
        made.append(session)
        return session

    yield make
    for session in made:
        session.idle.stop()
        for dialog in (session.login_dialog, session.setup_dialog):
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
        if session.window is not None:
            session.window.close()
        session.lane.close()


def log_in(qtbot: Any, dialog: LoginDialog, login: str, password: str) -> None:
    dialog.login_edit.clear()
    qtbot.keyClicks(dialog.login_edit, login)
    qtbot.keyClick(dialog.login_edit, Qt.Key.Key_Return)  # Enter moves to the password
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def visible_texts(limit_rows: int = 200) -> str:
    """Everything readable on screen now: labels, line edits and the cells of item views
    in visible top-level windows (bounded)."""
    parts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        widgets: list[QWidget] = [top, *top.findChildren(QWidget)]
        for w in widgets:
            if not w.isVisible():
                continue
            if isinstance(w, QLabel | QLineEdit):
                parts.append(w.text())
            elif isinstance(w, QAbstractItemView) and w.model() is not None:
                model = w.model()
                for row in range(min(model.rowCount(), limit_rows)):
                    for col in range(model.columnCount()):
                        parts.append(str(model.data(model.index(row, col)) or ""))
    return "\n".join(parts)
