"""The two small forms of the operators dialog: a new account, and a new password for
an account. Policy errors appear under the field they are about."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.operators.service import OperatorError, PasswordRejected, role_text
from core.security.permissions import PermissionDenied, Role
from ui.login import password_edit
from ui.tasks import Operation
from ui.widgets import ErrorLabel, error_text, field_with_error, no_auto_default

#: create(login, display_name, role, password) -> operator id
CreateOperator = Callable[[str, str, Role, str], Operation[str]]
#: set_password(new_password)
SetPassword = Callable[[str], Operation[None]]

_LOGIN_CODES = ("OPERATOR_LOGIN_INVALID", "OPERATOR_LOGIN_RESERVED", "OPERATOR_LOGIN_TAKEN")


class _PasswordForm(QDialog):
    """Shared: a form layout, password typed twice, an OK button, error labels."""

    def __init__(self, lang: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._lang = lang
        self.form = QFormLayout()
        self.password_edit = password_edit("new_password")
        self.repeat_edit = password_edit("repeat_password")
        self.password_error = ErrorLabel("password_error", self)
        self.repeat_error = ErrorLabel("repeat_error", self)
        self.general_error = ErrorLabel("form_error", self)
        self.ok_button = QPushButton()
        self.ok_button.setObjectName("ok_button")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancel_button")
        no_auto_default(self.ok_button, self.cancel_button)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.repeat_edit.returnPressed.connect(self.submit)
        self.password_edit.returnPressed.connect(self.repeat_edit.setFocus)
        self.password_edit.textEdited.connect(lambda _t: self.password_error.clear_message())
        self.repeat_edit.textEdited.connect(lambda _t: self.repeat_error.clear_message())

    def _finish_layout(self) -> None:
        self._add_row(self.tr("&Password:"), self.password_edit, self.password_error)
        self._add_row(self.tr("&Repeat password:"), self.repeat_edit, self.repeat_error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)

    def _add_row(self, text: str, field: QWidget, error: ErrorLabel | None = None) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        self.form.addRow(label, field_with_error(field, error) if error else field)

    def _clear_errors(self) -> None:
        for label in self.findChildren(ErrorLabel):
            label.clear_message()

    def _passwords_match(self) -> bool:
        if self.password_edit.text() == self.repeat_edit.text():
            return True
        self.repeat_error.show_message(self.tr("The two passwords are not the same."))
        self.repeat_edit.clear()
        self.repeat_edit.setFocus()
        return False

    def _show(self, exc: Exception, field_errors: dict[str, ErrorLabel] | None = None) -> None:
        if isinstance(exc, PasswordRejected):
            for reason in exc.reasons(self._lang):
                self.password_error.add_message(reason)
            self.password_edit.setFocus()
        elif isinstance(exc, OperatorError):
            target = (field_errors or {}).get(exc.code, self.general_error)
            target.show_message(exc.message(self._lang))
        elif isinstance(exc, PermissionDenied):
            self.general_error.show_message(exc.message(self._lang))
        else:
            self.general_error.show_message(error_text(exc, self._lang))

    def submit(self) -> None:
        raise NotImplementedError


class AddOperatorDialog(_PasswordForm):
    """A new account: user name, name, role, first password."""

    def __init__(self, create: CreateOperator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(lang, parent)
        self.ok_button.setText(self.tr("&Add"))
        self.setObjectName("add_operator_dialog")
        self.setWindowTitle(self.tr("New operator"))
        self.setMinimumWidth(440)
        self._create = create
        self.created_id: str | None = None
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("new_login")
        self.login_edit.setMaxLength(32)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("new_name")
        self.name_edit.setMaxLength(40)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("new_role")
        for role in (Role.CLERK, Role.FIELD_MANAGER, Role.ADMIN):
            self.role_combo.addItem(role_text(role, lang), role.value)
        self.login_error = ErrorLabel("login_error", self)
        self.name_error = ErrorLabel("name_error", self)
        self._add_row(self.tr("&User name:"), self.login_edit, self.login_error)
        self._add_row(self.tr("&Name:"), self.name_edit, self.name_error)
        self._add_row(self.tr("R&ole:"), self.role_combo)
        hint = QLabel(
            self.tr(
                "Store clerks may use a PIN of at least 6 digits; field managers "
                "and administrators need at least 8 characters with letters "
                "and digits."
            )
        )
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self._finish_layout()
        self.login_edit.returnPressed.connect(self.name_edit.setFocus)
        self.name_edit.returnPressed.connect(self.role_combo.setFocus)
        self.login_edit.setFocus()

    def submit(self) -> None:
        self._clear_errors()
        if not self._passwords_match():
            return
        role = Role(self.role_combo.currentData())
        self.ok_button.setEnabled(False)
        op = self._create(
            self.login_edit.text(), self.name_edit.text(), role, self.password_edit.text()
        )
        op.on_finished(lambda: self.ok_button.setEnabled(True))
        op.on_success(self._created).on_failure(self._refused)

    def _created(self, operator_id: str) -> None:
        self.created_id = operator_id
        self.accept()

    def _refused(self, exc: Exception) -> None:
        errors = dict.fromkeys(_LOGIN_CODES, self.login_error)
        errors["OPERATOR_NAME_INVALID"] = self.name_error
        self._show(exc, errors)


class ResetPasswordDialog(_PasswordForm):
    """A new password for ``who`` (shown in the title), typed twice."""

    def __init__(
        self, set_password: SetPassword, who: str, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(lang, parent)
        self.ok_button.setText(self.tr("&Set password"))
        self.setObjectName("reset_password_dialog")
        self.setWindowTitle(self.tr("New password for %1").replace("%1", who))
        self.setMinimumWidth(400)
        self._set_password = set_password
        self._finish_layout()
        self.password_edit.setFocus()

    def submit(self) -> None:
        self._clear_errors()
        if not self._passwords_match():
            return
        self.ok_button.setEnabled(False)
        op = self._set_password(self.password_edit.text())
        op.on_finished(lambda: self.ok_button.setEnabled(True))
        op.on_success(lambda _none: self.accept()).on_failure(self._show)
