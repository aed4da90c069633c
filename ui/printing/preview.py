"""The print preview of one application's papers: tick which documents (repayment
plan, application summary, consent form), look at the pages, print them, and keep a
PDF copy with the application (an encrypted attachment of kind ``printed_pdf``; core
stores the same content once)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QPagedPaintDevice
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.applications.printouts import CONSENT, PLAN, SUMMARY, PrintFacts, printout_html
from core.attachments import AttachmentKind
from ui.db_lane import CoreLane
from ui.permissions import refusal_text
from ui.printing.document import a4_layout, pdf_bytes, print_html
from ui.tasks import Operation
from ui.widgets import ErrorLabel, no_auto_default

log = logging.getLogger("loandesk.ui")


class PrintoutDialog(QDialog):
    sig_saved = Signal(str)
    """A PDF copy was attached to the application; carries its sha256."""

    def __init__(
        self,
        lane: CoreLane,
        facts: PrintFacts,
        lang: str,
        parent: QWidget | None = None,
        kinds: tuple[str, ...] = (PLAN, SUMMARY, CONSENT),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printout_dialog")
        self.setWindowTitle(
            self.tr("Print – application %1").replace(
                "%1", facts.detail.row.reference or facts.detail.row.id
            )
        )
        self._lane = lane
        self._facts = facts
        self._lang = lang
        self.saved_sha256: str | None = None
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setPageLayout(a4_layout())
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.setObjectName("printout_preview")
        self.preview.paintRequested.connect(self._paint)

        names = {
            PLAN: self.tr("Repayment plan"),
            SUMMARY: self.tr("Application summary"),
            CONSENT: self.tr("Consent form"),
        }
        self.choices: dict[str, QCheckBox] = {}
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("Print:")))
        for kind, text in names.items():
            box = QCheckBox(text)
            box.setObjectName(f"print_{kind}")
            box.setChecked(kind in kinds)
            box.toggled.connect(lambda _on: self._changed())
            self.choices[kind] = box
            pick.addWidget(box)
        pick.addStretch(1)

        self.error = ErrorLabel("printout_error")
        self.status = QLabel()
        self.status.setObjectName("printout_status")
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("print_now")
        self.print_button.clicked.connect(self.print_now)
        self.save_button = QPushButton(self.tr("&Keep a PDF copy with the application"))
        self.save_button.setObjectName("save_pdf_copy")
        self.save_button.setToolTip(
            self.tr("The PDF is stored encrypted with the application, like its photos")
        )
        self.save_button.clicked.connect(self.save_copy)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        for button in (self.print_button, self.save_button):
            no_auto_default(button)
        close.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self._changed()

    def kinds(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.choices.items() if box.isChecked())

    def html(self) -> str:
        return printout_html(self._facts, self.kinds(), self._lang)

    def _changed(self) -> None:
        some = bool(self.kinds())
        self.print_button.setEnabled(some)
        self.save_button.setEnabled(some)
        self.preview.updatePreview()

    def _paint(self, device: QPagedPaintDevice) -> None:
        print_html(self.html(), device)

    def pdf(self) -> bytes:
        return pdf_bytes(self.html(), self.windowTitle())

    def print_now(self) -> bool:
        """The system's print dialog; once printed, a PDF copy is kept as well."""
        dialog = QPrintDialog(self.printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.preview.print_()
        self.save_copy()
        return True

    def save_copy(self) -> Operation[Any]:
        """Attach the PDF of the ticked documents to the application (on the lane)."""
        data, app_id = self.pdf(), self._facts.detail.row.id
        op = self._lane.call(
            lambda core: core.applications.attach_to(
                app_id, AttachmentKind.PRINTED_PDF.value, data
            ),
            "save_printout",
            self,
        )
        op.on_success(self._saved)
        op.on_failure(lambda exc: self.error.show_message(refusal_text(exc, self._lang)))
        return op

    def _saved(self, stored: Any) -> None:
        self.saved_sha256 = str(stored.sha256)
        self.error.clear_message()
        self.status.setText(self.tr("PDF copy kept with the application"))
        log.info("printout of %s kept (%s)", self._facts.detail.row.id, self.saved_sha256[:12])
        self.sig_saved.emit(self.saved_sha256)
