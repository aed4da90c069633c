"""Widgets and dialogs every screen uses: red inline error labels, confirmations,
readable error boxes, field containers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import i18n
from core.api import StorageEnvironmentError
from core.errors import CoreError
from core.security.messages import SecurityError

if TYPE_CHECKING:
    from PySide6.QtGui import QFont

ERROR_STYLE = "color: #c62828;"


def plain_text(label: QLabel) -> None:
    """Show ``label``'s text as typed, never as rich text. Set when text arrives rather
    than when the label is built: the first use of Qt's enum namespace costs the
    sign-in screen about 12 ms of its start."""
    from PySide6.QtCore import Qt

    if label.textFormat() != Qt.TextFormat.PlainText:
        label.setTextFormat(Qt.TextFormat.PlainText)


class ErrorLabel(QLabel):
    """A red message right under the field it is about; hidden while empty."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        plain_text(self)
        self.setText(text)
        self.setVisible(bool(text))

    def add_message(self, text: str) -> None:
        current = self.text()
        self.show_message(f"{current}\n{text}" if current else text)

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


def field_with_error(field: QWidget, error: ErrorLabel) -> QWidget:
    """The field with its error label underneath, as one cell of a form layout."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    return box


def monospace_font() -> QFont:
    from PySide6.QtGui import QFontDatabase  # not needed by the sign-in screen

    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    return font


def no_auto_default(*buttons: QPushButton) -> None:
    """Enter moves between fields in our dialogs; it must never press a button by itself."""
    for button in buttons:
        button.setAutoDefault(False)
        button.setDefault(False)


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """Ask a yes/no question with explicit verbs; the safe answer is the default.

    The buttons are named "confirm" and "keep" so tests can press them.
    """
    from PySide6.QtWidgets import QMessageBox  # not needed by the sign-in screen

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    yes_button.setObjectName("confirm")
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    no_button.setObjectName("keep")
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def show_problem(parent: QWidget | None, text: str) -> None:
    """A readable warning the clerk must acknowledge (storage problems, refused actions)."""
    from PySide6.QtWidgets import QMessageBox  # not needed by the sign-in screen

    title = QCoreApplication.translate("Dialogs", "LoanDesk")
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("problem_box")
    box.exec()


def error_text(exc: Exception, lang: str) -> str:
    """The clerk-facing text of a storage or service error (codes from core)."""
    if isinstance(exc, SecurityError):  # builds its own text (e.g. the keyring's "why")
        return exc.message(lang)
    if isinstance(exc, CoreError) and i18n.has(exc.code):
        return exc.text(lang)
    if isinstance(exc, StorageEnvironmentError):
        return i18n.translate("STORAGE_ERROR", lang, detail=str(exc))
    return str(exc)  # not a refusal core explains: the log has the details
