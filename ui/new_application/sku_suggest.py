"""The order step's SKU box suggests catalog entries as the clerk types (SKUs, then
names, starting with the text; core.catalog.suggest_skus on the database lane). A
scanner's code arrives whole with Enter, so suggestions only help typing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from core.models import CatalogItem
from core.money import format_fen
from ui.new_application.form_core import FormCore

SUGGEST_DELAY_MS = 150
SKU_ROLE = Qt.ItemDataRole.UserRole + 1


class SkuSuggestions(QObject):
    """``on_pick()`` runs when the clerk picks a suggestion (the SKU is in the box)."""

    def __init__(
        self, edit: QLineEdit, form: FormCore, on_pick: Callable[[], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._edit = edit
        self._form = form
        self._on_pick = on_pick
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setObjectName("sku_completer")
        self.completer.setCompletionRole(SKU_ROLE)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(10)
        edit.setCompleter(self.completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUGGEST_DELAY_MS)
        self._timer.timeout.connect(self.request)
        edit.textEdited.connect(lambda _text: self._timer.start())
        self.completer.activated.connect(self._picked)

    def request(self) -> None:
        """Ask core for the entries starting with what is typed now."""
        self._timer.stop()
        prefix = self._edit.text().strip()
        if len(prefix) < 2:
            self._show(prefix, [])
            return
        op = self._form.suggest_skus(prefix, self)
        op.on_success(lambda items: self._show(prefix, items))

    def stop(self) -> None:
        self._timer.stop()
        self._hide()

    def _hide(self) -> None:
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

    def _show(self, prefix: str, items: list[CatalogItem]) -> None:
        if prefix != self._edit.text().strip():
            return  # typed on since: a newer request follows
        self.model.clear()
        for item in items:
            row = QStandardItem(f"{item.sku}   {item.name}   ¥{format_fen(item.price_fen)}")
            row.setData(item.sku, SKU_ROLE)
            row.setEditable(False)
            self.model.appendRow(row)
        if items and self._edit.hasFocus():
            self.completer.complete()
        elif not items:
            self._hide()

    def skus(self) -> list[str]:
        """The SKUs offered now."""
        return [str(self.model.item(r).data(SKU_ROLE)) for r in range(self.model.rowCount())]

    def _picked(self, sku: str) -> None:
        """The completion role is the SKU: that is what the clerk picked."""
        if sku:
            self._edit.setText(sku)
            QTimer.singleShot(0, self._on_pick)
