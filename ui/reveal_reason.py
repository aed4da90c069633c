"""Before a full ID number or phone is shown: why? The operator picks one reason from
a short list (core.operators.reveal_reasons); the reveal's audit row records it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.operators.reveal_reasons import RevealReason, reason_text


class RevealReasonDialog(QDialog):
    """One radio button per reason; "Show" is enabled once one is picked."""

    def __init__(self, field_text: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reveal_reason_dialog")
        self.setWindowTitle(self.tr("Why show the full value?"))
        note = QLabel(
            self.tr(
                "You are about to see the customer's full %1. Pick the reason; it is "
                "recorded in the audit log under your name."
            ).replace("%1", field_text)
        )
        note.setWordWrap(True)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        self.choices: dict[str, QRadioButton] = {}
        for reason in RevealReason:
            button = QRadioButton(reason_text(reason.value, lang))
            button.setObjectName(f"reason_{reason.value}")
            self.group.addButton(button)
            self.choices[reason.value] = button
            layout.addWidget(button)
        buttons = QDialogButtonBox()
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.setObjectName("reveal_confirm")
        self.show_button.setEnabled(False)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("reveal_cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.group.buttonToggled.connect(lambda *_: self.show_button.setEnabled(True))
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def reason(self) -> str | None:
        for code, button in self.choices.items():
            if button.isChecked():
                return code
        return None


def ask_reason(field_text: str, lang: str, parent: QWidget | None) -> str | None:
    """The reason picked, or None when the operator cancelled."""
    dialog = RevealReasonDialog(field_text, lang, parent)
    try:
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
