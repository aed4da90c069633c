"""Layout pieces of the detail view: its read-only tables, the scroll area that keeps a
small window from squeezing labels, and the size it opens at."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHeaderView, QScrollArea, QTableView, QWidget

OPEN_WIDTH, OPEN_HEIGHT = 1220, 680


def table(model: object, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)  # type: ignore[arg-type]
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    return view


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area: a window made smaller than the layout
    needs scrolls instead of squeezing the labels (and cutting what they say)."""
    area = QScrollArea()
    area.setObjectName(f"{content.objectName()}_scroll")
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(content)
    return area


def opening_size(screen: QSize) -> QSize:
    """The size the detail view opens at on a screen of ``screen`` (available area):
    wide enough for its three columns side by side, and leaving room for the taskbar
    and the window frame."""
    return QSize(min(OPEN_WIDTH, screen.width() - 40), min(OPEN_HEIGHT, screen.height() - 80))
