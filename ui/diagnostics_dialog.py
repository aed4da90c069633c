"""Help → About and Help → Diagnostics: what IT asks for on the phone.

About reads core.diagnostics.about (the build, data folder, rule pack, last sync, store, last hard
crash) through the window's context. Diagnostics runs ``main.py check``'s checks
(core.diagnostics.export.full_report, which opens its own database connection) on the
background runner and lists them OK/FAIL with their detail; the text can be copied
and the diagnostics zip exported from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.config import Paths
from core.diagnostics.about import AboutInfo
from core.diagnostics.export import full_report, report_text
from ui.formatting import local_datetime, local_time
from ui.tasks import CancelFn, Operation, ProgressFn, TaskRunner, run
from ui.widgets import error_text

log = logging.getLogger("loandesk.ui.diagnostics")

GREEN, RED = "#2e7d32", "#c62828"


def _value(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class AboutDialog(QDialog):
    """Version and build, data folder, rule pack, last sync, store: read-only, copyable."""

    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setObjectName("about_dialog")
        self.setWindowTitle(self.tr("About LoanDesk"))
        self.setMinimumWidth(700)
        title = QLabel(self.tr("LoanDesk - Store Installments"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)

        self.rows: list[tuple[str, str]] = self._rows(info)
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.setColumnStretch(1, 1)
        for row, (key, (label, value)) in enumerate(zip(self._keys(), self.rows, strict=True)):
            name = QLabel(label)
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            field = _value(value)
            field.setObjectName(f"about_{key}")
            field.setMinimumWidth(520)
            form.addWidget(name, row, 0)
            form.addWidget(field, row, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("&Copy to clipboard"))
        self.copy_button.setObjectName("about_copy")
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.status = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addSpacing(6)
        layout.addLayout(bottom)

    @staticmethod
    def _keys() -> tuple[str, ...]:
        return (
            "version",
            "data_dir",
            "log_file",
            "rule_pack",
            "last_sync",
            "sync_result",
            "store",
            "last_crash",
            "system",
        )

    def _rows(self, info: AboutInfo) -> list[tuple[str, str]]:
        pack = info.rule_pack
        if pack is None:
            pack_text = self.tr("none installed – applications are referred")
        else:
            pack_text = (
                self.tr("%1, version %2, valid until %3")
                .replace("%1", pack.pack_id)
                .replace("%2", str(pack.version))
                .replace("%3", local_datetime(pack.valid_until))
            )
            if not pack.usable:
                pack_text += self.tr(" – out of date, applications are referred")
        if info.last_sync_at:
            last_sync = local_time(info.last_sync_at, seconds=True)
        elif info.last_attempt_at:
            last_sync = self.tr("never completed (last try %1)").replace(
                "%1", local_time(info.last_attempt_at, seconds=True)
            )
        else:
            last_sync = self.tr("never")
        if info.enrolled:
            store = (
                self.tr("%1 – enrolled with %2")
                .replace("%1", info.store_code)
                .replace("%2", info.server_url or "?")
            )
        else:
            store = self.tr("%1 – not enrolled").replace("%1", info.store_code)
        crash = info.last_crash
        crash_text = (
            self.tr("none")
            if crash is None
            else (
                self.tr("%1 (see %2)")
                .replace("%1", local_datetime(crash.at))
                .replace("%2", str(crash.path))
            )
        )
        system = f"Python {info.python}, Qt {qVersion()} (PySide6 {info.qt}), {info.os}"
        return [
            (self.tr("Version:"), info.version),
            (self.tr("Data folder:"), str(info.data_dir)),
            (self.tr("Log file:"), str(info.log_file)),
            (self.tr("Rule pack:"), pack_text),
            (self.tr("Last sync:"), last_sync),
            (self.tr("Sync result:"), info.sync_result),
            (self.tr("Store:"), store),
            (self.tr("Last hard crash:"), crash_text),
            (self.tr("System:"), system),
        ]

    def text(self) -> str:
        return "\n".join(f"{label} {value}" for label, value in self.rows) + "\n"

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.status.setText(self.tr("Copied."))


def check_job(paths: Paths) -> Callable[[ProgressFn, CancelFn], dict[str, Any]]:
    """Runs on the worker thread: run_checks opens (and closes) its own connection."""

    def diagnostics(_progress: ProgressFn, _cancel: CancelFn) -> dict[str, Any]:
        return full_report(paths)

    return diagnostics


class DiagnosticsDialog(QDialog):
    """The checks as a readable list; Copy to clipboard; Export diagnostics…"""

    def __init__(
        self,
        paths: Paths,
        lang: str,
        runner: TaskRunner,
        export: Callable[[dict[str, Any] | None], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._lang = lang
        self._runner = runner
        self._export = export
        self.report: dict[str, Any] | None = None
        self.op: Operation[dict[str, Any]] | None = None
        self.setObjectName("diagnostics_dialog")
        self.setWindowTitle(self.tr("Diagnostics"))
        self.resize(860, 520)

        self.summary = QLabel()
        self.summary.setObjectName("diagnostics_summary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("diagnostics_list")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Result"), self.tr("Check"), self.tr("Detail")]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        # long details wrap (a clerk reads them to IT): rows follow the column's width
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())

        self.again_button = QPushButton(self.tr("Check &again"))
        self.again_button.setObjectName("diagnostics_again")
        self.again_button.clicked.connect(self.start)
        self.copy_button = QPushButton(self.tr("&Copy to clipboard"))
        self.copy_button.setObjectName("diagnostics_copy")
        self.copy_button.clicked.connect(self.copy)
        self.export_button = QPushButton(self.tr("&Export diagnostics…"))
        self.export_button.setObjectName("diagnostics_export")
        self.export_button.setToolTip(
            self.tr("Save a zip file for IT: logs and these checks, no customer data")
        )
        self.export_button.clicked.connect(lambda: self._export and self._export(self.report))
        self.export_button.setVisible(export is not None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for b in (self.again_button, self.copy_button, self.export_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
            b.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("diagnostics_status")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def start(self) -> Operation[dict[str, Any]]:
        """Run the checks in the background; "Checking…" meanwhile."""
        self.summary.setText(self.tr("Checking…"))
        self.summary.setStyleSheet("")
        self.table.setRowCount(0)
        self.again_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        op = run(self, check_job(self._paths), runner=self._runner, name="diagnostics")
        self.op = op
        op.on_success(self.show_report).on_failure(self._failed)
        op.on_finished(lambda: self.again_button.setEnabled(True))
        return op

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        checks = report.get("checks", [])
        self.table.setRowCount(len(checks))
        for row, item in enumerate(checks):
            ok = bool(item.get("ok"))
            mark = QTableWidgetItem(self.tr("OK") if ok else self.tr("FAIL"))
            mark.setForeground(QBrush(QColor(GREEN if ok else RED)))
            font = mark.font()
            font.setBold(True)
            mark.setFont(font)
            detail = QTableWidgetItem(str(item.get("detail", "")))
            detail.setToolTip(detail.text())
            for column, cell in enumerate(
                (mark, QTableWidgetItem(str(item.get("name", ""))), detail)
            ):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        failed = sum(1 for c in report.get("checks", []) if not c.get("ok"))
        if failed:
            self.summary.setText(self.tr("%n check(s) failed – tell IT what they say", "", failed))
            self.summary.setStyleSheet(f"color: {RED};")
        else:
            self.summary.setText(self.tr("All checks passed"))
            self.summary.setStyleSheet(f"color: {GREEN};")
        self.copy_button.setEnabled(True)

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(
            self.tr("The checks could not run: %1").replace("%1", error_text(exc, self._lang))
        )
        self.summary.setStyleSheet(f"color: {RED};")

    def text(self) -> str:
        """The report as ``main.py check`` prints it (what IT knows)."""
        return report_text(self.report) if self.report is not None else ""

    def copy(self) -> None:
        if self.report is None:
            return
        QGuiApplication.clipboard().setText(self.text())
        self.status.setText(self.tr("Copied."))

    def note(self, text: str) -> None:
        self.status.setText(text)
