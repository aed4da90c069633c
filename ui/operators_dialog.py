"""Operators (administrators only): the store's staff accounts; add one, disable or
enable one, reset a password. The menu entry is enabled only with MANAGE_OPERATORS,
and core's OperatorService refuses anyone else anyway."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import api
from core.operators.actor import Actor
from core.operators.service import OperatorError, OperatorRecord, OperatorService, role_text
from core.security.permissions import PermissionDenied, Role
from ui.db_lane import CoreLane
from ui.operator_forms import AddOperatorDialog, ResetPasswordDialog
from ui.tasks import Operation
from ui.widgets import ErrorLabel, error_text, no_auto_default

T = TypeVar("T")
log = logging.getLogger("loandesk.ui.operators")

_Index = QModelIndex | QPersistentModelIndex


class OperatorsModel(QAbstractTableModel):
    """User name, name, role, status: one row per account (a store has a few)."""

    COLUMNS = 4

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._rows: list[OperatorRecord] = []

    def set_rows(self, rows: list[OperatorRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> OperatorRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, operator_id: str) -> int:
        for i, rec in enumerate(self._rows):
            if rec.id == operator_id:
                return i
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        rec = self.record(index.row())
        if rec is None:
            return None
        column = index.column()
        if column == 0:
            return rec.login
        if column == 1:
            return rec.display_name
        if column == 2:
            return role_text(rec.role, self._lang)
        if column == 3:
            if not rec.active:
                return self.tr("Disabled")
            return self.tr("Active") if rec.has_password else self.tr("No password yet")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("User name"), self.tr("Name"), self.tr("Role"), self.tr("State"))
        return titles[section] if 0 <= section < len(titles) else None


class OperatorsDialog(QDialog):
    def __init__(
        self, lane: CoreLane, actor: Actor, lang: str, parent: QWidget | None = None
    ) -> None:
        """Staff accounts read and changed on ``lane``, as ``actor`` (core checks
        MANAGE_OPERATORS and audits)."""
        super().__init__(parent)
        self.setObjectName("operators_dialog")
        self.setWindowTitle(self.tr("Operators"))
        self.resize(640, 380)
        self._lane = lane
        self._actor = actor
        self._lang = lang
        self.add_dialog: AddOperatorDialog | None = None
        self.reset_dialog: ResetPasswordDialog | None = None

        self.model = OperatorsModel(lang, self)
        self.table = QTableView()
        self.table.setObjectName("operators_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.add_button = QPushButton(self.tr("&Add…"))
        self.add_button.setObjectName("add_operator")
        self.toggle_button = QPushButton(self.tr("&Disable"))
        self.toggle_button.setObjectName("toggle_operator")
        self.reset_button = QPushButton(self.tr("&Reset password…"))
        self.reset_button.setObjectName("reset_password")
        close_button = QPushButton(self.tr("Close"))
        close_button.setObjectName("close_operators")
        no_auto_default(self.add_button, self.toggle_button, self.reset_button, close_button)
        self.message = ErrorLabel("operators_message", self)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.toggle_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Each member of staff logs in with an account of their own. "
                "A disabled account cannot log in; its history is kept."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.open_add)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.reset_button.clicked.connect(self.open_reset)
        close_button.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def _call(self, fn: Callable[[OperatorService], T], name: str) -> Operation[T]:
        actor = self._actor
        return self._lane.call(lambda core: fn(api.operators(core, actor)), name, self)

    def reload(self, select: str | None = None) -> None:
        op = self._call(lambda service: service.list_operators(), "list_operators")
        op.on_success(lambda rows: self._show_rows(rows, select))
        op.on_failure(self._unreadable)

    def _unreadable(self, exc: Exception) -> None:
        self._problem(exc)
        self.model.set_rows([])
        self.add_button.setEnabled(False)
        self._update_buttons()

    def _show_rows(self, rows: list[OperatorRecord], select: str | None) -> None:
        self.model.set_rows(rows)
        if select:
            row = self.model.row_of(select)
            if row >= 0:
                self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> OperatorRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        rec = self.selected()
        self.toggle_button.setEnabled(rec is not None)
        self.reset_button.setEnabled(rec is not None)
        self.toggle_button.setText(
            self.tr("&Enable") if rec is not None and not rec.active else self.tr("&Disable")
        )

    def open_add(self) -> AddOperatorDialog:
        def create(login: str, name: str, role: Role, password: str) -> Operation[str]:
            return self._call(
                lambda service: service.create_operator(login, name, role, password),
                "create_operator",
            )

        dialog = AddOperatorDialog(create, self._lang, self)
        dialog.accepted.connect(lambda: self._added(dialog))
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _added(self, dialog: AddOperatorDialog) -> None:
        self.message.clear_message()
        self.reload(select=dialog.created_id)
        log.info("operator added")

    def toggle_selected(self) -> None:
        rec = self.selected()
        if rec is None:
            return
        op = self._call(lambda service: service.set_active(rec.id, not rec.active), "set_active")
        op.on_success(lambda _none: self._changed(rec.id)).on_failure(self._problem)

    def _changed(self, operator_id: str) -> None:
        self.message.clear_message()
        self.reload(select=operator_id)

    def open_reset(self) -> ResetPasswordDialog | None:
        rec = self.selected()
        if rec is None:
            return None
        operator_id = rec.id
        dialog = ResetPasswordDialog(
            lambda pw: self._call(
                lambda service: service.reset_password(operator_id, pw), "reset_password"
            ),
            f"{rec.display_name} ({rec.login})",
            self._lang,
            self,
        )
        dialog.accepted.connect(lambda: self.reload(select=operator_id))
        self.reset_dialog = dialog
        dialog.open()
        return dialog

    def _problem(self, exc: Exception) -> None:
        if isinstance(exc, OperatorError | PermissionDenied):
            self.message.show_message(exc.message(self._lang))
        else:
            self.message.show_message(error_text(exc, self._lang))
