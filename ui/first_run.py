"""The first-run screen's enrollment part: connect this PC to head office.

Pre-filled from the rollout settings (core.rollout: ``loandesk-rollout.ini`` next to the
program and LOANDESK_* variables). When they name a server, a store and a code and this
PC is not enrolled yet, :meth:`EnrolmentPanel.start` enrolls it by itself and says the
outcome here; IT can also type the values and press "Enroll". Enrolling is optional: the
app works offline and can be enrolled later (Settings, or ``main.py enroll``).

The network work runs on a worker thread of the panel's own (ui.tasks.ThreadRunner);
each job opens its own context there (core.rollout.run_*): no SQL, no HTTP here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.clock import Clock
from core.config import Paths
from core.rollout import (
    RolloutConfig,
    RolloutOutcome,
    check_enrol_values,
    run_auto_enrolment,
    run_enroll_by_hand,
)
from ui.tasks import CancelFn, ProgressFn, TaskRunner, ThreadRunner, run
from ui.widgets import ERROR_STYLE, ErrorLabel, error_text, field_with_error, no_auto_default

if TYPE_CHECKING:
    from core.sync.http import Timeouts

log = logging.getLogger("loandesk.ui.first_run")

OK_STYLE = "color: #2e7d32;"
NOTE_STYLE = "color: #555;"


class EnrolmentPanel(QGroupBox):
    """Server address, store code, enrollment code, "Enroll", and what happened."""

    sig_outcome = Signal(object)
    """An enrollment from this panel ended, or the automatic one decided not to try
    (carries core.rollout.RolloutOutcome)."""

    def __init__(
        self,
        paths: Paths,
        config: RolloutConfig,
        lang: str,
        *,
        runner: TaskRunner | None = None,
        clock: Clock | None = None,
        timeouts: Timeouts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enrolment_panel")
        self.setTitle(self.tr("Connect to head office (optional)"))
        self._paths = paths
        self._config = config
        self._lang = lang
        self._clock = clock
        self._timeouts = timeouts
        self._own_runner = runner is None
        self.task_runner: TaskRunner = runner or ThreadRunner(self)
        self.outcome: RolloutOutcome | None = None
        self.started = False

        self.server_edit = QLineEdit(config.server_url or "")
        self.server_edit.setObjectName("first_run_server")
        self.server_edit.setPlaceholderText("https://central.example.cn")
        self.server_edit.setMaxLength(300)
        self.store_edit = QLineEdit(config.store_code or "")
        self.store_edit.setObjectName("first_run_store")
        self.store_edit.setPlaceholderText(self.tr("e.g. S001"))
        self.store_edit.setMaxLength(20)
        self.code_edit = QLineEdit(config.enrollment_code or "")
        self.code_edit.setObjectName("first_run_code")
        self.code_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)  # a secret
        self.code_edit.setPlaceholderText(self.tr("one-time code from head office"))
        self.code_edit.setMaxLength(64)
        self.server_error = ErrorLabel("first_run_server_error", self)
        self.store_error = ErrorLabel("first_run_store_error", self)
        self.code_error = ErrorLabel("first_run_code_error", self)
        self.enroll_button = QPushButton(self.tr("&Enroll"))
        self.enroll_button.setObjectName("first_run_enroll")
        no_auto_default(self.enroll_button)

        self.source_label = self._label("first_run_source", NOTE_STYLE)
        self.source_label.setText(self._source_text())
        self.problems_label = self._label("first_run_problems", ERROR_STYLE)
        self.problems_label.setText("\n".join(p.text(lang) for p in config.problems))
        self.problems_label.setVisible(bool(config.problems))
        self.status_label = self._label("first_run_status", NOTE_STYLE)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setText(self.tr("Opening this PC's data…"))
        later = self._label("first_run_later", NOTE_STYLE)
        later.setText(
            self.tr(
                "Enrolling is optional: LoanDesk works offline and keeps "
                "applications here until this PC is enrolled (later in "
                "Settings)."
            )
        )

        form = QFormLayout()
        fields = (
            (self.tr("Ser&ver address:"), self.server_edit, self.server_error),
            (self.tr("S&tore code:"), self.store_edit, self.store_error),
            (self.tr("Enrollment c&ode:"), self.code_edit, self.code_error),
        )
        for text, edit, error in fields:
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, field_with_error(edit, error))
            edit.textEdited.connect(lambda _t, e=error: e.clear_message())
        self.server_edit.returnPressed.connect(self.store_edit.setFocus)
        self.store_edit.returnPressed.connect(self.code_edit.setFocus)
        self.code_edit.returnPressed.connect(self.enroll)
        self.enroll_button.clicked.connect(self.enroll)
        row = QHBoxLayout()
        row.addWidget(self.status_label, 1)
        row.addWidget(self.enroll_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.problems_label)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(later)
        self._set_busy(True)  # until start(): the data may not be open yet

    def _label(self, name: str, style: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(style)
        return label

    def _source_text(self) -> str:
        c = self._config
        if c.file is not None:
            text = self.tr("Settings read from %1.").replace("%1", str(c.file))
        else:
            text = self.tr("No rollout file (%1).").replace("%1", c.looked_for.name)
        if c.env_overrides:
            text += " " + self.tr("Environment variables in effect: %1.").replace(
                "%1", ", ".join(c.env_overrides)
            )
        return text

    # --- what the session calls ---------------------------------------------------------
    def start(self) -> None:
        """The data is open: enroll by itself if the rollout settings say so and this PC
        is not enrolled yet (once), or just say where things stand."""
        if self.started:
            return
        self.started = True
        config = self._config
        if config.can_enroll:
            self.status_label.setText(
                self.tr("Enrolling automatically with %1 as store %2…")
                .replace("%1", config.server_url or "")
                .replace("%2", config.store_code or "")
            )
        paths, clock, timeouts = self._paths, self._clock, self._timeouts

        def auto(_progress: ProgressFn, _cancel: CancelFn) -> RolloutOutcome:
            return run_auto_enrolment(paths, config, clock=clock, timeouts=timeouts)

        self._run(auto, "auto_enrolment")

    def shutdown(self) -> None:
        """The screen goes away: stop the panel's worker (a running enrollment finishes
        on its own and records its outcome; its answer is not shown any more)."""
        if self._own_runner:
            self.task_runner.shutdown(wait_ms=0 if self.task_runner.busy() else 5_000)

    # --- enrolling by hand --------------------------------------------------------------------
    def enroll(self) -> None:
        if not self.enroll_button.isEnabled():
            return
        server, store, code = (
            e.text().strip() for e in (self.server_edit, self.store_edit, self.code_edit)
        )
        problems = check_enrol_values(server, store, code)
        targets = {
            "server_url": self.server_error,
            "store_code": self.store_error,
            "enrollment_code": self.code_error,
        }
        for error in targets.values():
            error.clear_message()
        for problem in problems:
            target = targets.get(problem.key, self.code_error)
            target.add_message(self._field_problem(problem.code) or problem.short_text(self._lang))
        if problems:
            return
        self.status_label.setText(
            self.tr("Enrolling with %1 as store %2…").replace("%1", server).replace("%2", store)
        )
        self.status_label.setStyleSheet(NOTE_STYLE)
        paths, clock, timeouts = self._paths, self._clock, self._timeouts

        def by_hand(_progress: ProgressFn, _cancel: CancelFn) -> RolloutOutcome:
            return run_enroll_by_hand(paths, server, store, code, clock=clock, timeouts=timeouts)

        self._run(by_hand, "enroll_by_hand")

    def _field_problem(self, code: str) -> str:
        if code == "ROLLOUT_VALUE_EMPTY":
            return self.tr("Fill this in.")
        return ""

    # --- plumbing --------------------------------------------------------------------------
    def _run(self, job: Callable[[ProgressFn, CancelFn], RolloutOutcome], name: str) -> None:
        self._set_busy(True)
        (
            run(self, job, runner=self.task_runner, name=name)
            .on_success(self.show_outcome)
            .on_failure(self._failed)
            .on_finished(lambda: self._set_busy(False))
        )

    def show_outcome(self, outcome: RolloutOutcome) -> None:
        self.outcome = outcome
        if outcome.status == "not_configured":
            text, style = self.tr("This PC is not enrolled yet."), NOTE_STYLE
        else:
            text = outcome.text(self._lang)
            style = OK_STYLE if outcome.ok else ERROR_STYLE
        if outcome.status == "enrolled":
            self.code_edit.clear()  # used up
        if outcome.ok:
            self.server_edit.setText(outcome.server_url or self.server_edit.text())
            self.store_edit.setText(outcome.store_code or self.store_edit.text())
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)
        self._fit()
        self.sig_outcome.emit(outcome)

    def _failed(self, exc: Exception) -> None:
        if getattr(exc, "code", None):
            text = error_text(exc, self._lang)
        else:
            text = self.tr(
                "Enrolling failed because of a program error (%1); the details are in the log file."
            ).replace("%1", type(exc).__name__)
        self.status_label.setText(text)
        self.status_label.setStyleSheet(ERROR_STYLE)
        self._fit()

    def _fit(self) -> None:
        """A longer message must not squeeze the fields: grow the window to fit."""
        window = self.window()
        layout = window.layout()
        if window is self or layout is None:
            return
        layout.activate()
        need = window.sizeHint().height()
        if layout.hasHeightForWidth():
            need = max(need, layout.totalHeightForWidth(window.width()))
        if need > window.height():
            window.resize(window.width(), need)

    def _set_busy(self, busy: bool) -> None:
        enrolled = self.outcome is not None and self.outcome.ok
        for widget in (self.server_edit, self.store_edit, self.code_edit):
            widget.setReadOnly(busy or enrolled)
        self.enroll_button.setEnabled(not busy and not enrolled and self.started)
