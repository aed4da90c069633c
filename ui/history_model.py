"""An application's status history (the audit log) as a read-only table model.

Steps of the sync (sending to head office, its decisions) say so, with the operator who
pressed "Sync now" or "automatic"; other steps without an operator are the system's; a
reveal says which field was shown and why."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from core import i18n
from core.applications import labels
from core.models import StatusEvent
from core.operators.reveal_reasons import revealed_text
from ui.formatting import local_time

_Index = QModelIndex | QPersistentModelIndex
SYNC_ACTIONS = frozenset({"submitted", "decided", "decision", "upload_withdrawn"})


def _detail(event: StatusEvent) -> dict[str, Any]:
    try:
        found = json.loads(event.detail or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


class HistoryModel(QAbstractTableModel):
    """Time, operator, action and status change of each event, oldest first."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._rows: list[tuple[str, str, str, str]] = []
        self._headers = (self.tr("Time"), self.tr("Operator"), self.tr("Action"), self.tr("Status"))

    def set_events(self, events: list[StatusEvent]) -> None:
        self.beginResetModel()
        self._rows = [self._format(e) for e in events]
        self.endResetModel()

    def _format(self, event: StatusEvent) -> tuple[str, str, str, str]:
        before = labels.status_text(event.from_status, self._lang) if event.from_status else ""
        after = labels.status_text(event.to_status, self._lang) if event.to_status else ""
        change = f"{before} → {after}" if before else after
        return (local_time(event.at, seconds=True), self._who(event), self._what(event), change)

    def _who(self, event: StatusEvent) -> str:
        if event.action in SYNC_ACTIONS:
            if event.operator_name:  # a run started by hand ("Sync now")
                return self.tr("Sync (%1)").replace("%1", event.operator_name)
            return self.tr("Sync (automatic)")
        if event.operator_name:
            return event.operator_name
        return self.tr("System")

    def _what(self, event: StatusEvent) -> str:
        if event.action == "revealed":
            detail = _detail(event)
            field = detail.get("field")
            if isinstance(field, str):
                reason = detail.get("reason")
                return revealed_text(field, reason if isinstance(reason, str) else None, self._lang)
        return i18n.translate(f"ACTION_{event.action}", self._lang)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role != Qt.ItemDataRole.DisplayRole
            or not index.isValid()
            or index.row() >= len(self._rows)
        ):
            return None
        return self._rows[index.row()][index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
