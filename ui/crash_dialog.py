"""The readable explanation of an uncaught exception (ui.crash shows it): what
happened, that saved applications are safe, the reference and the log file for IT."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui.crash import Incident


class CrashDialog(QDialog):
    """The readable explanation of an incident, with what to tell IT."""

    def __init__(self, incident: Incident, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.incident = incident
        self.setObjectName("crash_dialog")
        self.setWindowTitle(self.tr("Something went wrong"))  # Qt adds " — LoanDesk"
        self.setMinimumWidth(520)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style()
            .standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
            .pixmap(size, size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        headline = QLabel(self.tr("Something went wrong and the last action was not completed."))
        headline.setObjectName("crash_headline")
        font = headline.font()
        font.setBold(True)
        headline.setFont(font)
        headline.setWordWrap(True)
        safe = QLabel(
            self.tr(
                "Applications that were already saved are safe. You can go on "
                "working; if this happens again, call IT and tell them the "
                "reference below."
            )
        )
        safe.setWordWrap(True)
        self.reference_label = QLabel(self.tr("Reference: %1").replace("%1", incident.reference))
        self.reference_label.setObjectName("crash_reference")
        self.reference_label.setFont(font)
        self.reference_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label = QLabel(
            self.tr("The details are in the log file:\n%1").replace("%1", str(incident.log_file))
        )
        self.log_label.setObjectName("crash_log_file")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel(self.tr("Error: %1").replace("%1", incident.kind))
        self.error_label.setObjectName("crash_error")
        self.error_label.setStyleSheet("color: #555;")

        text = QVBoxLayout()
        text.setSpacing(10)
        for w in (headline, safe, self.reference_label, self.log_label, self.error_label):
            text.addWidget(w)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(8)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("&Copy details"))
        self.copy_button.setObjectName("crash_copy")
        self.copy_button.setToolTip(
            self.tr("Copy the reference and the error for IT (no customer data)")
        )
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("crash_close")
        buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("crash_status")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

    def text(self) -> str:
        """Every text shown, for tests and screen readers."""
        return "\n".join(w.text() for w in self.findChildren(QLabel) if w.text())

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.incident.details())
        self.status.setText(self.tr("Copied."))
