"""Settings: enroll this PC with head office (server address, store code, one-time
enrollment code), the interface language, and the screen lock and retention periods.

Enrolling runs on the background runner (it is a network call); the outcome is said in
plain words, including a keyring that cannot hold the device token. Settings are always
written through the window's current context: enrolling rewrites the settings file, and
the window reopens its context right after (MainWindow.reopen_context).

Both change this PC for everyone: they need CHANGE_SETTINGS (administrators) and go
through core.admin.AdminService, which checks and audits; other roles see the dialog
read-only with a note saying why.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.config import SettingsError
from core.security.permissions import Permission, PermissionDenied
from core.sync.enroll import Enrollment
from core.sync.service import SyncStatus
from ui.permissions import can, refusal_text
from ui.sync_controller import SyncController
from ui.tasks import ProgressDelay
from ui.widgets import error_text, no_auto_default

log = logging.getLogger("loandesk.ui.settings")

OK_STYLE = "color: #2e7d32;"
PROBLEM_STYLE = "color: #c62828;"


class SettingsDialog(QDialog):
    sig_enrolled = Signal(object)
    """This PC was enrolled (carries core's Enrollment): reopen the context."""

    def __init__(
        self, controller: SyncController, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)
        self._controller = controller
        self._lang = lang
        self._busy = ProgressDelay(parent=self)

        self.enrollment_state = QLabel()
        self.enrollment_state.setObjectName("enrollment_state")
        self.enrollment_state.setWordWrap(True)
        self.enrollment_state.setTextFormat(Qt.TextFormat.PlainText)
        self.server_edit = QLineEdit()
        self.server_edit.setObjectName("server_url")
        self.server_edit.setPlaceholderText(self.tr("e.g. https://api.example.cn"))
        self.store_edit = QLineEdit()
        self.store_edit.setObjectName("store_code")
        self.store_edit.setMaxLength(20)
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("enrollment_code")
        self.code_edit.setPlaceholderText(self.tr("One-time code from IT"))
        self.enroll_button = QPushButton(self.tr("&Enroll this PC"))
        self.enroll_button.setObjectName("enroll_button")
        self.enroll_button.clicked.connect(self.enroll)
        self.busy_label = QLabel(self.tr("Enrolling…"))
        self.busy_label.setObjectName("enroll_busy")
        self.busy_label.hide()
        self._busy.sig_visible_changed.connect(self.busy_label.setVisible)
        self.enroll_message = QLabel()
        self.enroll_message.setObjectName("enroll_message")
        self.enroll_message.setWordWrap(True)
        self.enroll_message.setTextFormat(Qt.TextFormat.PlainText)
        self.enroll_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.enroll_message.hide()

        server_box = QGroupBox(self.tr("Head office"))
        form = QFormLayout(server_box)
        form.addRow(self.enrollment_state)
        form.addRow(self.tr("&Server address:"), self.server_edit)
        form.addRow(self.tr("S&tore code:"), self.store_edit)
        form.addRow(self.tr("Enrollment &code:"), self.code_edit)
        enroll_row = QHBoxLayout()
        enroll_row.addWidget(self.enroll_button)
        enroll_row.addWidget(self.busy_label)
        enroll_row.addStretch(1)
        form.addRow(enroll_row)
        form.addRow(self.enroll_message)

        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language_combo")
        self.language_combo.addItem(self.tr("Same as the system"), "")
        self.language_combo.addItem("中文（简体）", "zh_CN")
        self.language_combo.addItem("English", "en")
        self.language_message = QLabel()
        self.language_message.setObjectName("language_message")
        self.language_message.setWordWrap(True)
        self.language_message.hide()
        language_box = QGroupBox(self.tr("Language"))
        lform = QFormLayout(language_box)
        lform.addRow(self.tr("&Interface language:"), self.language_combo)
        lform.addRow(self.language_message)

        self.idle_spin = self._number_setting("idle_lock_spin", 1, 240, self.tr(" min"))
        self.retention_spin = self._number_setting("retention_spin", 30, 3650, self.tr(" days"))
        self.security_message = QLabel()
        self.security_message.setObjectName("security_message")
        self.security_message.setWordWrap(True)
        self.security_message.hide()
        security_box = QGroupBox(self.tr("Privacy"))
        sform = QFormLayout(security_box)
        sform.addRow(self.tr("Lock the screen after &idle:"), self.idle_spin)
        sform.addRow(self.tr("&Keep customers' personal data for:"), self.retention_spin)
        retention_hint = QLabel(
            self.tr(
                "Counted from head office's decision; after that the "
                "ID number, name, phone and addresses of synced, "
                "decided applications are removed from this PC."
            )
        )
        retention_hint.setWordWrap(True)
        retention_hint.setStyleSheet("color: #555;")
        sform.addRow(retention_hint)
        sform.addRow(self.security_message)

        close_button = QPushButton(self.tr("Close"))
        close_button.setObjectName("close_button")
        close_button.clicked.connect(self.accept)
        no_auto_default(self.enroll_button, close_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(server_box)
        layout.addWidget(language_box)
        layout.addWidget(security_box)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.may_change = can(controller.actor, Permission.CHANGE_SETTINGS)
        self.read_only_note = QLabel(self.tr("Only an administrator can change these settings."))
        self.read_only_note.setObjectName("settings_read_only")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet("color: #555;")
        self.read_only_note.setVisible(not self.may_change)
        layout.insertWidget(0, self.read_only_note)
        for widget in (
            self.server_edit,
            self.store_edit,
            self.code_edit,
            self.enroll_button,
            self.language_combo,
            self.idle_spin,
            self.retention_spin,
        ):
            widget.setEnabled(self.may_change)

        self._fill()
        self.language_combo.currentIndexChanged.connect(self._language_chosen)
        self.idle_spin.editingFinished.connect(
            lambda: self._number_chosen(
                "idle_lock_minutes",
                self.idle_spin,
                self.tr("Saved. The new lock time applies the next time someone signs in."),
            )
        )
        self.retention_spin.editingFinished.connect(
            lambda: self._number_chosen(
                "retention_days",
                self.retention_spin,
                self.tr(
                    "Saved. Data past the new period is removed the next time LoanDesk starts."
                ),
            )
        )
        controller.sig_state_changed.connect(self.show_enrollment_state)

    def _fill(self) -> None:
        settings = self._controller.context.settings
        index = self.language_combo.findData(settings.get("language") or "")
        self.language_combo.setCurrentIndex(max(0, index))
        self.idle_spin.setValue(int(settings.get("idle_lock_minutes")))
        self.retention_spin.setValue(int(settings.get("retention_days")))
        self.show_enrollment_state()
        state = self._state()
        if state is not None and state.enrolled:
            self.server_edit.setText(state.server_url or "")
            self.store_edit.setText(state.store_code or "")

    def _state(self) -> SyncStatus | None:
        try:
            return self._controller.status()
        except Exception as exc:  # unreadable (said below) or not read yet
            log.info("sync state not available: %s", getattr(exc, "code", type(exc).__name__))
            return None

    def show_enrollment_state(self) -> None:
        state = self._state()
        if state is None:
            text, style = self.tr("The enrollment state cannot be read."), PROBLEM_STYLE
        elif not state.enrolled:
            text, style = (
                self.tr(
                    "This PC is not enrolled: applications are kept here and "
                    "not sent to head office."
                ),
                PROBLEM_STYLE,
            )
        elif state.paused_reason:
            text, style = state.message(self._lang), PROBLEM_STYLE
        else:
            text = (
                self.tr("Enrolled with %1 as store %2.")
                .replace("%1", state.server_url or "")
                .replace("%2", state.store_code or "")
            )
            style = OK_STYLE
        self.enrollment_state.setText(text)
        self.enrollment_state.setStyleSheet(style)

    # --- enrolling ---------------------------------------------------------------------------
    def enroll(self) -> None:
        url, store, code = (
            e.text().strip() for e in (self.server_edit, self.store_edit, self.code_edit)
        )
        if not (url and store and code):
            self._say(
                self.tr(
                    "Fill in the server address, the store code and the enrollment "
                    "code IT gave you."
                ),
                ok=False,
            )
            return
        self.enroll_button.setEnabled(False)
        self.enroll_message.hide()
        log.info("enrolling this PC with %s as store %s", url, store)
        (
            self._controller.enroll(url, store, code)
            .with_progress(self._busy)
            .on_success(self._enrolled)
            .on_failure(self._enroll_failed)
            .on_finished(lambda: self.enroll_button.setEnabled(True))
        )

    def _enrolled(self, done: Enrollment) -> None:
        self.code_edit.clear()
        self.sig_enrolled.emit(done)
        self.show_enrollment_state()
        self._say(
            self.tr(
                "This PC is now enrolled with %1 as store %2 %3. Queued "
                "applications go to head office with the next sync."
            )
            .replace("%1", done.server_url)
            .replace("%2", done.store_code)
            .replace("%3", done.store_name)
            .strip(),
            ok=True,
        )

    def _enroll_failed(self, exc: Exception) -> None:
        if isinstance(exc, PermissionDenied):
            text = refusal_text(exc, self._lang)
        elif getattr(exc, "code", None):
            text = error_text(exc, self._lang)
        else:
            text = self.tr(
                "Enrolling failed because of a program error (%1); the details are in the log file."
            ).replace("%1", type(exc).__name__)
        self._say(self.tr("Not enrolled: %1").replace("%1", text), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.enroll_message.setText(text)
        self.enroll_message.setStyleSheet(OK_STYLE if ok else PROBLEM_STYLE)
        self.enroll_message.show()

    # --- language ---------------------------------------------------------------------------
    def _language_chosen(self) -> None:
        value = self.language_combo.currentData() or ""
        op = self._controller.admin_job(
            lambda admin: admin.set_setting("language", value), "set_language"
        )
        op.on_success(lambda _none: self._language_saved()).on_failure(self._language_refused)

    def _language_saved(self) -> None:
        self._controller.context.settings.reload()
        self.language_message.setText(
            self.tr("Saved. The new language applies the next time LoanDesk starts.")
        )
        self.language_message.setStyleSheet(OK_STYLE)
        self.language_message.show()

    def _language_refused(self, exc: Exception) -> None:
        if isinstance(exc, PermissionDenied):
            text = refusal_text(exc, self._lang)
        elif isinstance(exc, SettingsError | OSError):
            log.warning("language not saved: %s", type(exc).__name__)
            text = self.tr("The language could not be saved: %1").replace("%1", str(exc))
        else:
            log.warning("language change not recorded: %s", getattr(exc, "code", exc))
            text = error_text(exc, self._lang)
        self.language_message.setText(text)
        self.language_message.setStyleSheet(PROBLEM_STYLE)
        self.language_message.show()

    # --- privacy: the screen lock and retention ----------------------------------------------
    @staticmethod
    def _number_setting(name: str, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setKeyboardTracking(False)
        return spin

    def _number_chosen(self, name: str, spin: QSpinBox, saved_text: str) -> None:
        settings = self._controller.context.settings
        if int(settings.get(name)) == spin.value():
            return
        value = spin.value()
        op = self._controller.admin_job(lambda admin: admin.set_setting(name, value), "set_setting")
        op.on_success(lambda _none: self._number_saved(saved_text))
        op.on_failure(lambda exc: self._number_refused(name, exc))

    def _number_saved(self, saved_text: str) -> None:
        self._controller.context.settings.reload()  # written on the lane's copy
        self._say_security(saved_text, ok=True)

    def _number_refused(self, name: str, exc: Exception) -> None:
        if isinstance(exc, PermissionDenied):
            self._say_security(refusal_text(exc, self._lang), ok=False)
        elif isinstance(exc, SettingsError | OSError):
            log.warning("setting %s not saved: %s", name, type(exc).__name__)
            self._say_security(
                self.tr("The setting could not be saved: %1").replace("%1", str(exc)), ok=False
            )
        else:
            log.warning("setting %s not recorded: %s", name, getattr(exc, "code", exc))
            self._say_security(error_text(exc, self._lang), ok=False)

    def _say_security(self, text: str, *, ok: bool) -> None:
        self.security_message.setText(text)
        self.security_message.setStyleSheet(OK_STYLE if ok else PROBLEM_STYLE)
        self.security_message.show()
