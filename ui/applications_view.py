"""The table view of the applications list: fixed row heights (so 100,000 rows cost
nothing to lay out), whole-row selection, server-side sorting by the model."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.applications_model import COL_CREATED, COLUMN_COUNT, ApplicationsTableModel

ROW_HEIGHT = 26
_COLUMN_WIDTHS = (130, 150, 90, 90, 80, 80, 110, 110, 60, 125, 100)


class ApplicationsView(QTableView):
    def __init__(self, model: ApplicationsTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applications_table")
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        vheader = self.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(ROW_HEIGHT)
        vheader.hide()
        hheader = self.horizontalHeader()
        hheader.setHighlightSections(False)
        for column, width in enumerate(_COLUMN_WIDTHS[:COLUMN_COUNT]):
            hheader.resizeSection(column, width)
        hheader.setStretchLastSection(True)
        self._sort = (COL_CREATED, Qt.SortOrder.DescendingOrder)
        hheader.setSortIndicator(*self._sort)
        self.setSortingEnabled(True)
        hheader.sortIndicatorChanged.connect(self._on_sort_indicator)

    def _on_sort_indicator(self, section: int, order: Qt.SortOrder) -> None:
        if self._model.is_sortable(section):
            self._sort = (section, order)
            return
        header = self.horizontalHeader()  # e.g. the masked phone: keep the previous order
        header.blockSignals(True)
        header.setSortIndicator(*self._sort)
        header.blockSignals(False)
