"""The sync panel (a dock): progress with its phase, "Sync now" and Cancel, what the last
run did, the applications head office returned (with its reasons, one by one) and
those kept aside after repeated failures (retry, or export for IT).

Syncing and retrying need SYNC (every role); the export for IT carries the customers'
data, so it needs EXPORT (field managers, administrators). Core checks and audits."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QDir, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import i18n
from core.api import StorageEnvironmentError
from core.security.permissions import Permission
from core.sync.report import SyncReport
from ui.formatting import local_time
from ui.permissions import can, refusal_text
from ui.problem_model import COL_APPLICATION, COL_CUSTOMER, COL_REASON, ProblemItemsModel
from ui.sync_controller import SyncController
from ui.tasks import TaskCancelled
from ui.widgets import error_text, no_auto_default

log = logging.getLogger("loandesk.ui.sync")

_BANNER = "padding: 6px; border-radius: 4px; border: 1px solid {b}; background: {bg}; color: {fg};"
BANNER_PROBLEM = _BANNER.format(b="#e57373", bg="#ffebee", fg="#b71c1c")
BANNER_INFO = _BANNER.format(b="#90caf9", bg="#e3f2fd", fg="#0d47a1")


def _problem_table(model: ProblemItemsModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
    view.setColumnHidden(COL_APPLICATION, True)  # long; shown under the table instead
    view.setMinimumHeight(90)
    return view


class SyncPanel(QDockWidget):
    def __init__(
        self, controller: SyncController, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Sync with head office"), parent)
        self._requeued_ids: set[str] = set()
        self.setObjectName("sync_panel")
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self._controller = controller
        self._lang = lang
        self._last_dir = QDir.homePath()

        self.state_label = QLabel()
        self.state_label.setObjectName("sync_panel_state")
        self.state_label.setWordWrap(True)
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("sync_progress")
        self.progress_bar.setTextVisible(True)
        self.phase_label = QLabel()
        self.phase_label.setObjectName("sync_phase_label")
        self.progress_box = QWidget()
        progress_layout = QVBoxLayout(self.progress_box)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.phase_label)
        progress_layout.addWidget(self.progress_bar)
        self.progress_box.hide()

        self.sync_button = QPushButton(self.tr("&Sync now"))
        self.sync_button.setObjectName("sync_now_button")
        self.sync_button.setToolTip(self.tr("Send queued applications and fetch decisions now"))
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("sync_cancel_button")
        self.cancel_button.setToolTip(
            self.tr("Stop after the current batch; what was sent stays sent")
        )
        self.cancel_button.clicked.connect(controller.cancel)
        self.cancel_button.clicked.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)

        self.summary_label = QLabel(self.tr("No sync since LoanDesk started."))
        self.summary_label.setObjectName("sync_summary_label")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        last = QGroupBox(self.tr("Last sync"))
        QVBoxLayout(last).addWidget(self.summary_label)

        self.rejected_model = ProblemItemsModel(lang, self)
        self.rejected_table = _problem_table(self.rejected_model, "rejected_table")
        self.rejected_detail = self._detail_label("rejected_detail")
        self.rejected_box = QGroupBox()
        rejected_layout = QVBoxLayout(self.rejected_box)
        note = QLabel(
            self.tr(
                "Head office refused these applications; they are not sent "
                "again. Tell your field manager the reason shown."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        rejected_layout.addWidget(note)
        rejected_layout.addWidget(self.rejected_table, 1)
        rejected_layout.addWidget(self.rejected_detail)

        self.quarantined_model = ProblemItemsModel(lang, self)
        self.quarantined_table = _problem_table(self.quarantined_model, "quarantined_table")
        self.quarantined_detail = self._detail_label("quarantined_detail")
        self.retry_button = QPushButton(self.tr("&Retry"))
        self.retry_button.setObjectName("retry_button")
        self.retry_button.setToolTip(
            self.tr("Send the selected application again (after IT fixed the cause)")
        )
        self.retry_button.clicked.connect(self.retry_selected)
        self.export_button = QPushButton(self.tr("&Export for IT…"))
        self.export_button.setObjectName("export_button")
        self.export_button.setToolTip(self.tr("Save every kept-aside application to a file for IT"))
        self.export_button.clicked.connect(self.choose_export_file)
        self.quarantine_message = self._detail_label("quarantine_message")
        no_auto_default(self.sync_button, self.cancel_button, self.retry_button, self.export_button)
        self.quarantined_box = QGroupBox()
        q_layout = QVBoxLayout(self.quarantined_box)
        q_layout.addWidget(self.quarantined_table, 1)
        q_layout.addWidget(self.quarantined_detail)
        q_buttons = QHBoxLayout()
        q_buttons.addWidget(self.retry_button)
        q_buttons.addWidget(self.export_button)
        q_buttons.addStretch(1)
        q_layout.addLayout(q_buttons)
        q_layout.addWidget(self.quarantine_message)

        body = QWidget()
        body.setMinimumWidth(380)
        layout = QVBoxLayout(body)
        layout.addWidget(self.state_label)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_box)
        layout.addWidget(last)
        layout.addWidget(self.rejected_box, 1)
        layout.addWidget(self.quarantined_box, 1)
        self.setWidget(body)

        self.rejected_table.selectionModel().selectionChanged.connect(
            lambda *_: self._show_detail(
                self.rejected_table, self.rejected_model, self.rejected_detail
            )
        )
        self.quarantined_table.selectionModel().selectionChanged.connect(
            lambda *_: self._on_quarantine_selection()
        )
        controller.sig_started.connect(self._on_started)
        controller.sig_progress.connect(self._on_progress)
        controller.sig_finished.connect(self._on_finished)
        controller.sig_state_changed.connect(self.refresh)
        controller.progress_delay.sig_visible_changed.connect(self.progress_box.setVisible)
        self.refresh()

    @staticmethod
    def _detail_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    # --- reading the state ---------------------------------------------------------------
    def refresh(self) -> None:
        """Header and both lists from core (after a sync, a retry, an enrollment)."""
        if not self._controller.state_known:
            return  # read on the lane; sig_state_changed brings it
        try:
            state = self._controller.status()
            rejected = self._controller.rejected_items()
            quarantined = self._controller.quarantined_items()
        except StorageEnvironmentError as exc:
            log.warning("sync panel cannot read the sync state: %s", exc.code)
            self._banner(error_text(exc, self._lang), problem=True)
            return
        blocked = self._controller.blocking_failure()
        message = error_text(blocked, self._lang) if blocked else state.message(self._lang)
        if message:
            self._banner(message, problem=True)
        elif state.enrolled:
            self._banner(
                self.tr("Connected to %1 as store %2. Waiting to upload: %3.")
                .replace("%1", state.server_url or "")
                .replace("%2", state.store_code or "")
                .replace("%3", str(state.pending)),
                problem=False,
            )
        self.rejected_model.set_items(rejected)
        self.quarantined_model.set_items(quarantined)
        self.rejected_box.setTitle(
            self.tr("Returned by head office (%1)").replace("%1", str(len(rejected)))
        )
        self.quarantined_box.setTitle(
            self.tr("Kept aside after repeated failures (%1)").replace("%1", str(len(quarantined)))
        )
        self.rejected_detail.hide()
        self.quarantined_detail.hide()
        self._update_buttons()

    def _banner(self, text: str, *, problem: bool) -> None:
        self.state_label.setText(text)
        self.state_label.setStyleSheet(BANNER_PROBLEM if problem else BANNER_INFO)

    def _update_buttons(self) -> None:
        running = self._controller.running
        self.sync_button.setEnabled(not running)
        self.cancel_button.setEnabled(running and not self._controller.cancel_requested)
        self.retry_button.setEnabled(bool(self.quarantined_table.selectionModel().selectedRows()))
        may_export = can(self._controller.actor, Permission.EXPORT)
        self.export_button.setVisible(may_export)
        self.export_button.setEnabled(may_export and self.quarantined_model.rowCount() > 0)

    # --- a run -----------------------------------------------------------------------------
    def start_sync(self) -> None:
        self._controller.sync_now()
        self._update_buttons()

    def _on_started(self) -> None:
        self.phase_label.setText(self.tr("Starting…"))
        self.progress_bar.setRange(0, 0)
        self._update_buttons()

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        self.phase_label.setText(self.phase_text(phase))
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        else:
            self.progress_bar.setRange(0, 0)  # unknown: a busy bar

    def phase_text(self, phase: str) -> str:
        texts = {
            "push": self.tr("Sending applications…"),
            "decisions": self.tr("Fetching decisions…"),
            "rulepack": self.tr("Checking the rule pack…"),
            "catalog": self.tr("Updating the product catalog…"),
            "blacklists": self.tr("Updating the blacklists…"),
            "heartbeat": self.tr("Reporting to head office…"),
        }
        return texts.get(phase, phase)

    def _on_finished(self, report: SyncReport | None) -> None:
        if report is not None:
            text = report.summary(self._lang) or self.tr("Nothing to do.")
            at = local_time(report.finished_at, seconds=True)
            self.summary_label.setText(f"{at}\n{text}" if at else text)
        else:
            failure = self._controller.last_failure
            if isinstance(failure, TaskCancelled):
                text = i18n.translate("SYNC_CANCELLED", self._lang)
            elif failure is not None:
                text = error_text(failure, self._lang)
            else:
                text = ""
            self.summary_label.setText(text)
        self._update_buttons()

    # --- problem items -----------------------------------------------------------------------
    def _show_detail(self, view: QTableView, model: ProblemItemsModel, label: QLabel) -> None:
        rows = view.selectionModel().selectedRows()
        item = model.item(rows[0].row()) if rows else None
        if item is None:
            label.hide()
            return
        label.setText(
            f"{model.data(model.index(rows[0].row(), COL_CUSTOMER))} · "
            f"{item.application_id}\n{model.reason(rows[0].row())}"
        )
        label.show()

    def _on_quarantine_selection(self) -> None:
        self._show_detail(self.quarantined_table, self.quarantined_model, self.quarantined_detail)
        self._update_buttons()

    def retry_selected(self) -> bool:
        rows = self.quarantined_table.selectionModel().selectedRows()
        item = self.quarantined_model.item(rows[0].row()) if rows else None
        if item is None:
            return False
        op_id = item.op_id
        op = self._controller.requeue(op_id)
        op.on_success(lambda done: self._requeued(op_id, done))
        op.on_failure(lambda exc: self._say(refusal_text(exc, self._lang), problem=True))
        return bool(op.succeeded and op_id in self._requeued_ids)

    def _requeued(self, op_id: str, done: bool) -> None:
        log.info("quarantined item %s queued again", op_id)
        if done:
            self._requeued_ids.add(op_id)
        self._say(
            self.tr("Queued again; it goes out with the next sync.")
            if done
            else self.tr("This item was no longer kept aside."),
            problem=not done,
        )

    def choose_export_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export kept-aside applications"),
            str(Path(self._last_dir) / "loandesk-kept-aside.jsonl"),
            self.tr("JSON lines (*.jsonl);;All files (*)"),
        )
        if path:
            self._last_dir = str(Path(path).parent)
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the kept-aside applications to ``path`` on the worker."""
        self.export_button.setEnabled(False)
        self._say(self.tr("Exporting…"), problem=False)
        (
            self._controller.export_quarantined(path)
            .on_success(
                lambda n: self._say(
                    self.tr("%1 application(s) written to %2")
                    .replace("%1", str(n))
                    .replace("%2", str(path)),
                    problem=False,
                )
            )
            .on_failure(
                lambda exc: self._say(
                    self.tr("The file could not be written: %1").replace(
                        "%1", _plain(exc, self._lang)
                    ),
                    problem=True,
                )
            )
            .on_finished(self._update_buttons)
        )

    def _say(self, text: str, *, problem: bool) -> None:
        self.quarantine_message.setText(text)
        self.quarantine_message.setStyleSheet("color: #c62828;" if problem else "color: #2e7d32;")
        self.quarantine_message.show()


def _plain(exc: Exception, lang: str) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return refusal_text(exc, lang)
