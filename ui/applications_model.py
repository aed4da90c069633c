"""The applications list as a Qt table model that loads pages lazily.

Like Anki's browser table and Spyder's collections editor, the model never holds the
whole table: it asks for a page when the view scrolls near the end
(``canFetchMore``/``fetchMore``), so 100,000 applications cost no more than 200.
Display strings are built once per loaded row, so painting stays cheap.

Pages are read on the window's database lane (ui.db_lane), never on the GUI thread: a
reload or a page arrives when it is read; an answer for a query that has since changed
is dropped (each reload starts a new generation). A failed read is reported through
``sig_failed`` for the window to explain.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from core.applications import labels
from core.models import ApplicationRow, ListQuery, Status
from ui.db_lane import CoreLane
from ui.formatting import local_time, phone_tail_masked, yuan

log = logging.getLogger("loandesk.ui")

DEFAULT_PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1

(
    COL_CREATED,
    COL_REFERENCE,
    COL_NAME,
    COL_SALESPERSON,
    COL_PHONE,
    COL_SCENARIO,
    COL_TOTAL,
    COL_PRINCIPAL,
    COL_TERM,
    COL_MONTHLY,
    COL_STATUS,
) = range(11)
COLUMN_COUNT = 11
# The ListQuery sort key of each column (None: the column cannot be sorted).
# Names are stored encrypted, so neither the name nor the masked phone can be sorted.
# The salesperson's name lives in another table: ordering by it would read and sort
# every application (no index can give that order), so the list filters by it instead.
SORT_KEYS: tuple[str | None, ...] = (
    "created_at",
    None,  # the reference follows the creation time anyway
    None,
    None,
    None,
    "scenario",
    "order_total_fen",
    "principal_fen",
    "term_months",
    "first_payment_fen",
    "status",
)
_RIGHT = {COL_TOTAL, COL_PRINCIPAL, COL_TERM, COL_MONTHLY}
# Statuses a sync can move on (sent, decided); the others are final or local-only.
SYNC_OPEN_STATUSES = frozenset({Status.QUEUED, Status.SUBMITTED, Status.REVIEW})
_Index = QModelIndex | QPersistentModelIndex


class ApplicationsTableModel(QAbstractTableModel):
    """Applications matching a ListQuery, loaded ``page_size`` rows at a time."""

    sig_failed = Signal(object)
    """Reading the list failed (carries the exception: a storage error to explain)."""

    def __init__(
        self,
        lane: CoreLane,
        lang: str,
        page_size: int = DEFAULT_PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._lane = lane
        self._generation = 0
        self._fetching = False
        self.loading = False
        self._lang = lang
        self._page_size = max(1, int(page_size))
        self._query = ListQuery()
        self._rows: list[ApplicationRow] = []
        self._display: list[tuple[str, ...]] = []
        self._total = 0
        self.pages_fetched = 0
        self._headers = (
            self.tr("Created"),
            self.tr("Reference"),
            self.tr("Customer"),
            self.tr("Salesperson"),
            self.tr("Phone"),
            self.tr("Category"),
            self.tr("Order total"),
            self.tr("Loan amount"),
            self.tr("Term"),
            self.tr("Monthly payment"),
            self.tr("Status"),
        )
        self._unsorted_tip = {
            COL_NAME: self.tr("Not sortable: names are stored encrypted"),
            COL_SALESPERSON: self.tr(
                "Not sortable: sorting by salesperson would read every application; "
                "choose a salesperson in the filter instead"
            ),
            COL_PHONE: self.tr("Not sortable: the phone is masked"),
        }
        self._term_format = self.tr("%1 mo.")
        self._returned: frozenset[str] = frozenset()
        self._returned_format = self.tr("%1 – returned by head office")
        self.reload()

    # --- what the window uses ----------------------------------------------------------
    @property
    def query(self) -> ListQuery:
        return self._query

    @property
    def page_size(self) -> int:
        return self._page_size

    def total(self) -> int:
        """How many applications match the query (not only the loaded ones)."""
        return self._total

    def loaded_count(self) -> int:
        return len(self._rows)

    def application_id(self, row: int) -> str | None:
        if 0 <= row < len(self._rows):
            return self._rows[row].id
        return None

    def row_data(self, row: int) -> ApplicationRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, app_id: str) -> int:
        """The row of a loaded application, or -1."""
        for i, r in enumerate(self._rows):
            if r.id == app_id:
                return i
        return -1

    def set_query(
        self, text: str, status: Status | None, then: Callable[[], object] | None = None
    ) -> None:
        """Filter by full name / phone (tail) / ID number / id and status; keeps the
        sort order. ``then()`` once the rows are in (at once if nothing changed)."""
        query = replace(self._query, text=text.strip(), status=status)
        if query != self._query:
            self._query = query
            self.reload(then=then)
        elif then is not None:
            then()

    def set_full_query(self, query: ListQuery, then: Callable[[], object] | None = None) -> None:
        """Every filter of ``query`` (the filter bar's, a dashboard figure's); keeps the
        sort order. ``then()`` once the rows are in (at once if nothing changed)."""
        full = replace(
            query, sort_column=self._query.sort_column, descending=self._query.descending
        )
        if full != self._query:
            self._query = full
            self.reload(then=then)
        elif then is not None:
            then()

    def reload(self, then: Callable[[], object] | None = None) -> None:
        """Start over from page 0 (after a filter, a sort, or a change in the data): the
        count and the first page are read on the lane; the model resets when they come,
        then ``then()`` runs (not if a newer reload replaced this one)."""
        self._generation += 1
        generation, query, size = self._generation, self._query, self._page_size
        self.loading = True

        def first_page(core: Any) -> tuple[int, list[ApplicationRow]]:
            total = core.applications.count(query)
            return total, core.applications.page(query, 0, size) if total else []

        def loaded(result: tuple[int, list[ApplicationRow]]) -> None:
            if generation != self._generation:
                return  # the query changed meanwhile: a newer reload is on its way
            self.loading = False
            self._fetching = False
            self.beginResetModel()
            self._rows = []
            self._display = []
            self.pages_fetched = 0
            self._total = result[0]
            if result[1]:
                self._append(result[1])
            self.endResetModel()
            if then is not None:
                then()

        self._lane.call(first_page, "list_first_page", self).on_success(loaded).on_failure(
            self._failed(generation)
        )

    def _failed(self, generation: int) -> Any:
        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self.loading = False
                self._fetching = False
                self.sig_failed.emit(exc)

        return failed

    def refresh_row(self, app_id: str) -> None:
        """Re-read one application (e.g. after its status changed)."""
        self._refresh([app_id])

    def refresh_open_rows(self) -> None:
        """After a sync: re-read the loaded rows a sync can change (queued, submitted,
        under review) in place, so scrolling and the selection stay. (With a status
        filter the window reloads instead: rows may leave it.)"""
        self._refresh([r.id for r in self._rows if r.status in SYNC_OPEN_STATUSES])

    def _refresh(self, app_ids: list[str]) -> None:
        if not app_ids:
            return
        generation = self._generation

        def read(core: Any) -> list[ApplicationRow | None]:
            return [core.applications.row(app_id) for app_id in app_ids]

        def fresh_rows(rows: list[ApplicationRow | None]) -> None:
            if generation != self._generation:
                return
            for fresh in rows:
                row = -1 if fresh is None else self.row_of(fresh.id)
                if fresh is None or row < 0 or self._rows[row] == fresh:
                    continue
                self._rows[row] = fresh
                self._display[row] = self._format(fresh)
                self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

        self._lane.call(read, "list_rows", self).on_success(fresh_rows).on_failure(
            self._failed(generation)
        )

    def set_returned(self, app_ids: frozenset[str]) -> None:
        """Applications head office returned (rejected at sync): they stay queued here,
        so their status cell says so, in red."""
        if app_ids == self._returned:
            return
        changed = app_ids ^ self._returned
        self._returned = app_ids
        for row, r in enumerate(self._rows):
            if r.id in changed:
                index = self.index(row, COL_STATUS)
                self.dataChanged.emit(index, index)

    def is_returned(self, app_id: str) -> bool:
        return app_id in self._returned

    # --- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or len(self._rows) >= self._total or self._fetching:
            return
        self._fetching = True
        generation, query = self._generation, self._query
        offset, size = len(self._rows), self._page_size

        def page(core: Any) -> list[ApplicationRow]:
            return list(core.applications.page(query, offset, size))

        def arrived(rows: list[ApplicationRow]) -> None:
            if generation != self._generation:
                return  # the reload that replaced this query cleared the flag
            self._fetching = False
            if offset != len(self._rows):
                return
            if not rows:
                self._total = len(self._rows)  # rows went away since the count
                return
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._append(rows)
            self.endInsertRows()

        self._lane.call(page, "list_page", self).on_success(arrived).on_failure(
            self._failed(generation)
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._display[index.row()][index.column()]
            if index.column() == COL_STATUS and self._rows[index.row()].id in self._returned:
                return self._returned_format.replace("%1", text)
            return text
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == COL_STATUS
            and self._rows[index.row()].id in self._returned
        ):
            return QColor("#c62828")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() in _RIGHT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return self._rows[index.row()].id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._unsorted_tip.get(section)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    @staticmethod
    def is_sortable(column: int) -> bool:
        return 0 <= column < COLUMN_COUNT and SORT_KEYS[column] is not None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.is_sortable(column):
            return
        key = SORT_KEYS[column]
        assert key is not None
        query = replace(
            self._query, sort_column=key, descending=order == Qt.SortOrder.DescendingOrder
        )
        if query != self._query:
            self._query = query
            self.reload()

    # --- loading -----------------------------------------------------------------------
    def _append(self, rows: list[ApplicationRow]) -> None:
        self._rows.extend(rows)
        self._display.extend(self._format(r) for r in rows)
        self.pages_fetched += 1
        log.debug("applications page %d loaded (%d rows)", self.pages_fetched, len(rows))

    def _format(self, r: ApplicationRow) -> tuple[str, ...]:
        return (
            local_time(r.created_at),
            r.reference,
            r.customer_name,
            r.operator_name,
            phone_tail_masked(r.phone_tail),
            labels.scenario_text(r.scenario, self._lang),
            yuan(r.order_total_fen),
            yuan(r.principal_fen),
            self._term_format.replace("%1", str(r.term_months)),
            yuan(r.first_payment_fen),
            labels.status_text(r.status, self._lang),
        )
