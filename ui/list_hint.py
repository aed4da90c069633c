"""Under the search box: why a search found nothing and what to type instead; and a
search that finds exactly one application selects it, so Open (Enter) works at once.

Names, phones and ID numbers are stored encrypted and found through keyed hashes, so
only whole values match (core.applications.list_search): part of a name finds nothing, and the
clerk is told so here rather than left with an empty list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from core.applications.list_search import search_kind
from ui.applications_model import ApplicationsTableModel


class ListHint(QObject):
    """Owns ``label`` (hidden unless a search found nothing); reacts to list reloads."""

    def __init__(
        self,
        model: ApplicationsTableModel,
        search: QLineEdit,
        status_filter: QComboBox,
        select_row: Callable[[int], object],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._search = search
        self._status = status_filter
        self._select_row = select_row
        self.label = QLabel(parent)
        self.label.setObjectName("list_hint")
        self.label.setWordWrap(True)
        self.label.setStyleSheet(
            "QLabel { background: #fff8e1; border: 1px solid #ffe082; padding: 6px; }"
        )
        self.label.hide()
        model.modelReset.connect(self._reloaded)

    def _reloaded(self) -> None:
        text = self._model.query.text
        if self._model.total() == 1 and self._model.rowCount() == 1:
            self._select_row(0)
        if self._model.total() or not text:
            self.label.hide()
            return
        self.label.setText(self.explain(text))
        self.label.show()

    def explain(self, text: str) -> str:
        """Why ``text`` found nothing, and what to type."""
        kind = search_kind(text)
        if kind == "name":
            why = self.tr(
                "No application with the customer name “%1”. Names are stored encrypted, "
                "so only the whole name matches, not a part of it: type the full name as on "
                "the ID card (e.g. 王芳, not 王)."
            )
        elif kind == "digits":
            why = self.tr(
                "No application matches “%1”. A phone number is searched by its last 4 "
                "digits or all 11 digits; an ID number by all 18 characters."
            )
        else:
            why = self.tr("No application matches “%1”.")
        parts = [
            why.replace("%1", text),
            self.tr(
                "You can search by the full name, the phone (last 4 digits or all 11), "
                "the ID number, or the reference the customer was given (e.g. "
                "S001-20261204-0007)."
            ),
        ]
        if self._status.currentIndex() > 0:
            parts.append(
                self.tr("Only status “%1” is searched: choose All to search every status.")
                .replace("%1", self._status.currentText())
            )  # fmt: skip
        return " ".join(parts)
