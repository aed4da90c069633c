"""The first-run setup step (creates the administrator; never a default password) and
the login dialog (a wrong password shows a plain message and the growing wait as a
countdown, with no hint whether the login exists).

Both dialogs call core through plain callables, so they hold no database and tests can
hand in the real core functions bound to a test database.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.operators.actor import Actor
from core.operators.messages import LoginFailed, OperatorError, PasswordRejected
from ui.widgets import ErrorLabel, error_text, field_with_error, no_auto_default, plain_text

if TYPE_CHECKING:
    from ui.first_run import EnrolmentPanel
    from ui.tasks import Operation

log = logging.getLogger("loandesk.ui.login")

#: authenticate(login, password) -> Actor; raises LoginFailed
Authenticate = Callable[[str, str], "Operation[Actor]"]
#: create_admin(login, display_name, password) -> operator id; raises OperatorError
CreateAdmin = Callable[[str, str, str], "Operation[str]"]


def password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(128)
    return edit


def try_password(
    attempt: Callable[[str], Operation[Actor]],
    edit: QLineEdit,
    message: ErrorLabel,
    countdown: RetryCountdown,
    lang: str,
    button: QPushButton,
    done: Callable[[Actor], None],
    wrong: str | None = None,
) -> None:
    """One password attempt (login or unlock), checked on the database lane: the field is
    cleared and ``button`` disabled until the answer; a refusal shows why and starts the
    wait; a storage problem is said plainly; ``done(actor)`` on success. ``wrong``: what
    a wrong password is called where there is no user name to get wrong (the lock)."""
    password = edit.text()
    edit.clear()
    button.setEnabled(False)
    message.show_message(QCoreApplication.translate("LoginDialog", "Checking…"))

    def refused(exc: Exception) -> None:
        button.setEnabled(True)
        if isinstance(exc, LoginFailed):
            message.show_message(wrong if wrong and not exc.throttled else exc.message(lang))
            countdown.start(exc.delay_s)  # disables the button again while it counts
            edit.setFocus()
        else:
            message.show_message(error_text(exc, lang))

    def accepted(actor: Actor) -> None:
        button.setEnabled(True)
        message.clear_message()
        done(actor)

    attempt(password).on_success(accepted).on_failure(refused)


class RetryCountdown(QLabel):
    """ "Try again in 4 s" under a login or unlock form; disables ``button`` meanwhile.

    Counts real time (a monotonic clock), ticking a few times a second."""

    sig_finished = Signal()
    """The wait is over: the button is enabled again."""

    def __init__(self, button: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retry_countdown")
        self._button = button
        self._until = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)
        self.hide()

    def start(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self._until = time.monotonic() + seconds
        self._button.setEnabled(False)
        self._timer.start()
        self._tick()

    def running(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        left = self._until - time.monotonic()
        if left <= 0:
            self._timer.stop()
            self.hide()
            self._button.setEnabled(True)
            self.sig_finished.emit()
            return
        plain_text(self)
        self.setText(self.tr("Try again in %1 s").replace("%1", str(math.ceil(left))))
        self.show()


class LoginDialog(QDialog):
    """Login name and password. Emits ``sig_logged_in`` with core's Actor and closes."""

    sig_logged_in = Signal(object)
    """The operator logged in (carries core.applications.Actor)."""

    def __init__(
        self,
        authenticate: Authenticate,
        lang: str,
        *,
        hint: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.setWindowTitle(self.tr("Log in"))
        self.setMinimumWidth(380)
        self._authenticate = authenticate
        self._lang = lang
        self.actor: Actor | None = None

        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("login")
        self.login_edit.setMaxLength(64)
        self.password_edit = password_edit("password")
        self.login_button = QPushButton(self.tr("&Log in"))
        self.login_button.setObjectName("login_button")
        no_auto_default(self.login_button)
        self.message = ErrorLabel("login_message", self)
        self.countdown = RetryCountdown(self.login_button, self)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("demo_hint")
        self.hint_label.setWordWrap(True)
        if hint:
            plain_text(self.hint_label)
            self.hint_label.setText(hint)
        self.hint_label.setVisible(bool(hint))

        form = QFormLayout()
        login_label = QLabel(self.tr("&User name:"))
        login_label.setBuddy(self.login_edit)
        password_label = QLabel(self.tr("&Password:"))
        password_label.setBuddy(self.password_edit)
        form.addRow(login_label, self.login_edit)
        form.addRow(password_label, self.password_edit)
        forgot = QLabel(
            self.tr(
                "Forgot your password? Your administrator sets a new one; an administrator asks IT."
            )
        )
        forgot.setObjectName("forgot_hint")
        forgot.setWordWrap(True)
        forgot.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(forgot, 1)
        buttons.addWidget(self.login_button)
        layout = QVBoxLayout(self)
        title = QLabel(
            self.tr(
                "Log in with your own account. The PC locks itself when nobody uses it for a while."
            )
        )
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.hint_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.countdown)
        layout.addLayout(buttons)

        self.login_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.submit)
        self.login_button.clicked.connect(self.submit)
        self.login_edit.setFocus()

    def submit(self) -> None:
        if not self.login_button.isEnabled():
            return  # still counting down
        login = self.login_edit.text().strip()
        if not login:
            self.message.show_message(self.tr("Enter your user name."))
            self.login_edit.setFocus()
            return
        try_password(
            lambda password: self._authenticate(login, password),
            self.password_edit,
            self.message,
            self.countdown,
            self._lang,
            self.login_button,
            self._logged_in,
        )

    def _logged_in(self, actor: Actor) -> None:
        self.actor = actor
        log.info("operator logged in (role %s)", actor.role.value)
        self.sig_logged_in.emit(actor)
        self.accept()


class SetupDialog(QDialog):
    """First run: the administrator's login, name and password (typed twice), and
    optionally ``enrolment`` (ui.first_run): connecting this PC to head office."""

    sig_created = Signal(str)
    """The administrator was created (carries the operator id)."""

    def __init__(
        self,
        create_admin: CreateAdmin,
        lang: str,
        parent: QWidget | None = None,
        *,
        enrolment: EnrolmentPanel | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setup_dialog")
        self.setWindowTitle(self.tr("First start"))
        self.setMinimumWidth(460)
        self._create = create_admin
        self._lang = lang

        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("setup_login")
        self.login_edit.setMaxLength(32)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("setup_name")
        self.name_edit.setMaxLength(40)
        self.password_edit = password_edit("setup_password")
        self.repeat_edit = password_edit("setup_repeat")
        self.login_error = ErrorLabel("setup_login_error", self)
        self.name_error = ErrorLabel("setup_name_error", self)
        self.password_error = ErrorLabel("setup_password_error", self)
        self.repeat_error = ErrorLabel("setup_repeat_error", self)
        self.general_error = ErrorLabel("setup_error", self)
        self.create_button = QPushButton(self.tr("&Create administrator"))
        self.create_button.setObjectName("setup_create")
        no_auto_default(self.create_button)

        intro = QLabel(
            self.tr(
                "Nobody can use LoanDesk on this PC yet. Create the administrator account: "
                "the administrator then adds an account for each member of staff. At least 8 "
                "characters with letters and digits."
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        rows = (
            (self.tr("&User name:"), self.login_edit, self.login_error),
            (self.tr("&Name:"), self.name_edit, self.name_error),
            (self.tr("&Password:"), self.password_edit, self.password_error),
            (self.tr("&Repeat password:"), self.repeat_edit, self.repeat_error),
        )
        edits = [edit for _, edit, _ in rows]
        for text, edit, error in rows:
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, field_with_error(edit, error))
            edit.textEdited.connect(lambda _t, e=error: e.clear_message())
        for current, following in zip(edits, edits[1:], strict=False):
            current.returnPressed.connect(following.setFocus)
        self.repeat_edit.returnPressed.connect(self.submit)
        self.create_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.enrolment = enrolment
        if enrolment is not None:
            self.setMinimumWidth(560)
            layout.addSpacing(8)
            layout.addWidget(enrolment)
            layout.addStretch(1)
            self.resize(600, self.sizeHint().height())
        self.login_edit.setFocus()

    def done(self, result: int) -> None:
        if self.enrolment is not None:
            self.enrolment.shutdown()
        super().done(result)

    def submit(self) -> None:
        for label in (
            self.login_error,
            self.name_error,
            self.password_error,
            self.repeat_error,
            self.general_error,
        ):
            label.clear_message()
        password = self.password_edit.text()
        if password != self.repeat_edit.text():
            self.repeat_error.show_message(self.tr("The two passwords are not the same."))
            self.repeat_edit.clear()
            self.repeat_edit.setFocus()
            return
        self.create_button.setEnabled(False)
        op = self._create(self.login_edit.text(), self.name_edit.text(), password)
        op.on_finished(lambda: self.create_button.setEnabled(True))
        op.on_success(self._created).on_failure(self._refused)

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, PasswordRejected):
            for reason in exc.reasons(self._lang):
                self.password_error.add_message(reason)
            self.password_edit.setFocus()
        elif isinstance(exc, OperatorError):
            target = {
                "OPERATOR_LOGIN_INVALID": self.login_error,
                "OPERATOR_LOGIN_RESERVED": self.login_error,
                "OPERATOR_LOGIN_TAKEN": self.login_error,
                "OPERATOR_NAME_INVALID": self.name_error,
            }.get(exc.code, self.general_error)
            target.show_message(exc.message(self._lang))
        else:
            self.general_error.show_message(error_text(exc, self._lang))

    def _created(self, op_id: str) -> None:
        self.password_edit.clear()
        self.repeat_edit.clear()
        log.info("first administrator created")
        self.sig_created.emit(op_id)
        self.accept()
