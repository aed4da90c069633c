"""The clerk's main window: the applications list, search, and the actions on it; the
sync status in the status bar and the sync panel; settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.context import SCREEN_BUSY_TIMEOUT_S, AppContext, Basis, connect_context
from core.models import TRANSITIONS, ListQuery, Status
from core.operators.actor import Actor
from core.security.permissions import Permission
from ui.applications_model import ApplicationsTableModel
from ui.applications_view import ApplicationsView
from ui.db_lane import CoreLane
from ui.detail import DetailDialog
from ui.field_tools import FieldTools
from ui.help_menu import HelpMenu
from ui.list_export import ListExport
from ui.list_filters import FilterBar
from ui.list_hint import ListHint
from ui.main_window_dialogs import ApplicationDialogs
from ui.main_window_form import NewApplicationFlow
from ui.main_window_sync import SyncSide
from ui.new_application import NewApplicationDialog
from ui.permissions import can
from ui.rules_page import RulesDialog
from ui.session_ui import SessionUi
from ui.settings_dialog import SettingsDialog
from ui.sync_controller import SyncController
from ui.sync_panel import SyncPanel
from ui.sync_status import SyncStatusWidget
from ui.tasks import TaskRunner, ThreadRunner
from ui.widgets import error_text, show_problem

log = logging.getLogger("loandesk.ui")

AUDIT_CHECKPOINT_MS = 60_000


class MainWindow(QMainWindow):
    """Lists the store's applications; opens the new-application form. Composed of
    controllers: ``dialogs`` (detail, cancel, rules), ``form_flow`` (the new-application
    form), ``sync_side`` (sync status and panel, settings, enrolling), ``session_ui``
    (operator, lock), ``help_menu``, ``list_export``, ``field_tools``."""

    def __init__(
        self,
        ctx: AppContext | Basis,
        lang: str,
        *,
        lane: CoreLane | None = None,
        runner: TaskRunner | None = None,
        auto_sync: bool = True,
        sync_options: Mapping[str, Any] | None = None,
    ) -> None:
        """``ctx``: the install and who is signed in (the window keeps no connection of
        it); ``lane``: the database lane the window reads and writes through (default a
        new one with its own connection, acting as ``ctx.actor``); ``runner``: the
        background runner of sync and exports (a SynchronousRunner in unit tests);
        ``auto_sync``: sync on a timer and soon after each save while enrolled;
        ``sync_options``: passed to core's ``sync_once`` (e.g. timeouts)."""
        super().__init__()
        basis = ctx.basis() if isinstance(ctx, AppContext) else ctx
        self._basis = basis
        self._owns_lane = lane is None  # else the session's: it closes it
        self.lane = lane if lane is not None else CoreLane(_connector(basis), parent=self)
        self._lang = lang
        self._may_cancel_ids: dict[str, bool] = {}
        self.form_flow = NewApplicationFlow(self, lang)
        self.task_runner: TaskRunner = runner or ThreadRunner(self)
        self.sync = SyncController(
            basis,
            self.task_runner,
            reads=self.lane,
            auto_sync=auto_sync,
            engine_options=sync_options,
            parent=self,
        )
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("Store Installments"))  # Qt adds " — LoanDesk"
        self.setMinimumSize(900, 520)
        self.resize(1180, 720)

        page_size = int(basis.settings.get("list_page_size") or 200)
        self.model = ApplicationsTableModel(self.lane, lang, page_size, self)
        self.model.sig_failed.connect(self._list_failed)
        self._build_actions()
        self._build_body()
        self.session_ui = SessionUi(self, lang)  # operator, Account menu, screen lock
        self.help_menu = HelpMenu(self, lang)  # every role
        self.field_tools = FieldTools(self, lang)  # Tools: dashboard, Excel, bundles, catalog
        # the audit log's checkpoint outside the database follows the session closely,
        # so rows cut off its end are noticed by `check` (core.audit.checkpoint; never raises)
        self._checkpoint_timer = QTimer(self)
        self._checkpoint_timer.setInterval(AUDIT_CHECKPOINT_MS)
        self._checkpoint_timer.timeout.connect(self.checkpoint)
        self._checkpoint_timer.start()
        self.filters.sig_changed.connect(self.apply_filter)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self._update_count()
        self.update_actions()
        self.sync_side.mark_returned()
        self.sync.start_auto()

    # --- construction ------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_new = QAction(self.tr("&New application"), self)
        self.act_new.setObjectName("act_new")
        self.act_new.setShortcut(QKeySequence.StandardKey.New)
        self.act_new.setToolTip(self.tr("Start a new installment application (Ctrl+N)"))
        self.act_new.triggered.connect(self.open_new_application)

        self.act_open = QAction(self.tr("&Open"), self)
        self.act_open.setObjectName("act_open")
        self.act_open.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.act_open.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_open.setToolTip(self.tr("Show the selected application (Enter or double-click)"))
        self.act_open.triggered.connect(self.open_selected)

        self.act_refresh = QAction(self.tr("&Refresh"), self)
        self.act_refresh.setObjectName("act_refresh")
        self.act_refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.act_refresh.setToolTip(self.tr("Reload the list (F5)"))
        self.act_refresh.triggered.connect(self.refresh)

        self.act_cancel = QAction(self.tr("&Cancel application"), self)
        self.act_cancel.setObjectName("act_cancel")
        self.act_cancel.setToolTip(self.tr("Cancel the selected application"))
        self.act_cancel.triggered.connect(self.cancel_selected)

        self.act_rules = QAction(self.tr("&Rules…"), self)
        self.act_rules.setObjectName("act_rules")
        self.act_rules.setToolTip(self.tr("Show the active rule pack; load a new one from a file"))
        self.act_rules.triggered.connect(self.open_rules)

        self.act_sync = QAction(self.tr("S&ync now"), self)
        self.act_sync.setObjectName("act_sync")
        self.act_sync.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.act_sync.setToolTip(
            self.tr("Send queued applications to head office and fetch decisions (F9)")
        )
        self.act_sync.triggered.connect(self.sync_now)

        self.act_settings = QAction(self.tr("&Settings…"), self)
        self.act_settings.setObjectName("act_settings")
        self.act_settings.setToolTip(self.tr("Enroll this PC with head office; language"))
        self.act_settings.triggered.connect(self.open_settings)

        act_quit = QAction(self.tr("E&xit"), self)
        act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        act_quit.triggered.connect(self.close)

        toolbar = QToolBar(self.tr("Actions"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.act_new, self.act_open, self.act_refresh, self.act_cancel):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.act_sync)
        self.addToolBar(toolbar)

        menu = self.menuBar().addMenu(self.tr("&Application"))
        menu.addActions([self.act_new, self.act_open, self.act_refresh, self.act_cancel])
        self.list_export = ListExport(self, self._lang, lambda: self.model.query)  # needs EXPORT
        menu.addAction(self.list_export.action)
        menu.addSeparator()
        menu.addAction(act_quit)
        tools = self.menuBar().addMenu(self.tr("&Tools"))
        tools.addAction(self.act_sync)
        self.tools_menu = tools
        tools.addSeparator()
        tools.addAction(self.act_rules)
        tools.addAction(self.act_settings)

    def _build_body(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 4)

        # search, status, days, salesperson, pre-screen outcome; "Clear filters"
        self.filters = FilterBar(self.lane, self._basis.clock, self._lang, body)
        self.search, self.status_filter = self.filters.search, self.filters.status
        layout.addWidget(self.filters)

        self.table = ApplicationsView(self.model)
        self.table.addAction(self.act_open)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.model.modelReset.connect(self.update_actions)
        # why a search found nothing; a search with one match selects it
        self.list_hint = ListHint(
            self.model, self.search, self.status_filter, self._select_row, self
        )
        layout.addWidget(self.list_hint.label)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(body)

        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.rules_label = QLabel()
        self.rules_label.setObjectName("rules_label")
        self.rules_label.setStyleSheet("color: #8a5a00;")
        self.dialogs = ApplicationDialogs(self)
        self.sync_side = SyncSide(self)  # the sync status goes first in the status bar
        self.statusBar().addPermanentWidget(self.rules_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.dialogs.update_rules_label()

    # --- what the controllers and tests use -------------------------------------------------
    @property
    def context(self) -> Basis:
        """The install and who is signed in (no connection: see ``lane``)."""
        return self._basis

    @property
    def actor(self) -> Actor:
        return self._basis.actor

    @property
    def lang(self) -> str:
        return self._lang

    def use_basis(self, fresh: Basis) -> None:
        """Enrolling rewrote the settings the services were built from: both lanes open
        their connections again (after the jobs already queued) and the list reloads."""
        self._basis = fresh
        self.lane.reopen(_connector(fresh))
        self.sync.set_basis(fresh)
        self._may_cancel_ids.clear()
        self.model.reload()
        self.dialogs.update_rules_label()
        self.update_actions()

    def checkpoint(self) -> None:
        """The audit log's checkpoint outside the database follows the session."""
        self.lane.call(lambda core: core.checkpoint(), "audit_checkpoint")

    @property
    def detail_dialog(self) -> DetailDialog | None:
        return self.dialogs.detail_dialog

    @property
    def rules_dialog(self) -> RulesDialog | None:
        return self.dialogs.rules_dialog

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self.sync_side.settings_dialog

    @property
    def sync_status(self) -> SyncStatusWidget:
        return self.sync_side.sync_status

    @property
    def sync_panel(self) -> SyncPanel:
        return self.sync_side.sync_panel

    def open_selected(self) -> DetailDialog | None:
        return self.dialogs.open_selected()

    def open_rules(self) -> RulesDialog:
        return self.dialogs.open_rules()

    def cancel_selected(self) -> None:
        self.dialogs.cancel_selected()

    def sync_now(self) -> None:
        self.sync_side.sync_now()

    def show_sync_panel(self) -> SyncPanel:
        return self.sync_side.show_sync_panel()

    def open_settings(self) -> SettingsDialog:
        return self.sync_side.open_settings()

    def reopen_context(self) -> None:
        self.sync_side.reopen_context()

    def shutdown(self) -> None:
        """Stop syncing and the background work, then close the window's own lane (its
        queued writes, such as the form's last draft, are done first)."""
        self.sync_side.shutdown()
        if self._owns_lane:
            self.lane.close()

    # --- list -----------------------------------------------------------------------------
    def apply_filter(self) -> None:
        """Apply the filter bar now (the search box debounces typing)."""
        self.filters.search_timer.stop()
        self.model.set_full_query(self.filters.list_query())

    def show_filtered(self, query: ListQuery, words: str = "") -> None:
        """The list filtered to ``query`` (a dashboard figure's; ``words``: what it
        counts), shown in the filter bar so the clerk sees it and can clear it."""
        self.filters.show_query(query, words)
        self.model.set_full_query(self.filters.list_query())

    def clear_filters(self) -> None:
        self.filters.clear()

    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Reload the list, keep the selection; ``then()`` once the rows are in."""
        selected = self.selected_id()

        self.filters.load_salespeople()  # someone may have saved their first one

        def loaded() -> None:
            if selected:
                self.select_application(selected)
            if then is not None:
                then()

        self.model.reload(then=loaded)

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.application_id(rows[0].row()) if rows else None

    def _select_row(self, row: int) -> None:
        app_id = self.model.application_id(row)
        if app_id is not None and self.selected_id() is None:
            self.select_application(app_id)

    def select_application(self, app_id: str) -> bool:
        row = self.model.row_of(app_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _update_count(self) -> None:
        total = self.model.total()
        self.count_label.setText(self.tr("%n application(s)", "", total))

    def update_actions(self) -> None:
        app_id = self.selected_id()
        self.act_open.setEnabled(app_id is not None)
        row = self.model.row_data(self.model.row_of(app_id)) if app_id else None
        self.act_cancel.setEnabled(
            row is not None
            and Status.CANCELLED in TRANSITIONS.get(Status(row.status), ())
            and self._may_cancel(row.id)
        )
        self.act_new.setEnabled(can(self.actor, Permission.CREATE_APPLICATION))
        self.list_export.update_enabled()

    def _may_cancel(self, app_id: str) -> bool:
        """Courtesy only (core refuses anyway): a clerk cancels own-store applications.
        Asked on the lane once per application; the action updates when it answers."""
        known = self._may_cancel_ids.get(app_id)
        if known is not None:
            return known
        self._may_cancel_ids[app_id] = False  # until the lane answers

        def answered(may: bool) -> None:
            self._may_cancel_ids[app_id] = may
            if may and self.selected_id() == app_id:
                self.update_actions()

        self.lane.call(
            lambda core: bool(core.applications.may_cancel(app_id)), "may_cancel", self
        ).on_success(answered)
        return self._may_cancel_ids[app_id]

    # --- actions --------------------------------------------------------------------------
    def open_new_application(self) -> NewApplicationDialog | None:
        """Open the new-application form, offering to continue an unsaved one."""
        return self.form_flow.open()

    @property
    def new_dialog(self) -> NewApplicationDialog | None:
        """The open new-application form, if any."""
        return self.form_flow.dialog

    def show_saved(self, app_id: str) -> None:
        """An application was saved: its number in the status bar, the list refreshed
        with it selected (clearing filters that would hide it), a sync soon."""

        def shown() -> None:
            row = self.model.row_data(self.model.row_of(app_id))
            if row is not None and row.reference:  # what the customer is told
                self.statusBar().showMessage(saved.replace("%1", row.reference), 15000)
            if self.select_application(app_id) or not self.filters.is_filtered():
                return
            self.filters.clear(emit=False)  # the filters hid it: show it
            self.model.set_full_query(
                self.filters.list_query(), then=lambda: self.select_application(app_id)
            )

        saved = self.tr("Application saved, number %1")
        self.statusBar().showMessage(saved.replace("%1", app_id), 15000)
        self.refresh(then=shown)
        self.sync.application_saved()

    def application_changed(self, app_id: str) -> None:
        self._may_cancel_ids.pop(app_id, None)
        self.model.refresh_row(app_id)
        self.update_actions()
        self.sync.state_may_have_changed()

    def _list_failed(self, exc: Exception) -> None:
        """A list read failed: a storage problem is shown, never a crash."""
        log.warning("list read failed: %s", getattr(exc, "code", type(exc).__name__))
        show_problem(self, error_text(exc, self._lang))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.form_flow.flush_draft()
        self._checkpoint_timer.stop()
        super().closeEvent(event)
        self.shutdown()


def _connector(basis: Basis) -> Callable[[], AppContext]:
    """Opens a window lane's connection (on the lane's thread), acting as the operator."""
    return lambda: connect_context(
        basis.paths, basis.clock, basis.actor, busy_timeout=SCREEN_BUSY_TIMEOUT_S
    )
