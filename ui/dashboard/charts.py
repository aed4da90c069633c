"""The dashboard's bar charts (QtCharts): horizontal bars, one bar per row of the table
beside it, stacked by head office's decision; clicking a segment says which row and
which decision it is."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

MAX_BARS = 12  # the table beside it has every row
LABEL_CHARS = 18  # longer names are shortened on the axis (the table has them whole)

# (status the list is filtered to, "" for none; colour)
SEGMENT_COLOURS = {
    "approved": "#2e7d32",
    "declined": "#c62828",
    "review": "#f9a825",
    "": "#90a4ae",
}


class BarChart(QChartView):
    """``show_bars(rows, segments)``: ``rows`` are (key, label) from the top; each
    segment is (status, name, one value per row). ``sig_clicked(key, status)``."""

    sig_clicked = Signal(str, str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        super().__init__(chart, parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 220)
        self._keys: list[str] = []
        self._sets: list[QBarSet] = []

    def show_bars(
        self, rows: list[tuple[str, str]], segments: list[tuple[str, str, list[int]]]
    ) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        shown = rows[:MAX_BARS]
        self._keys = [key for key, _label in reversed(shown)]  # bottom to top
        series = QHorizontalStackedBarSeries()
        self._sets = []
        for status, name, values in segments:
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(SEGMENT_COLOURS.get(status, "#607d8b")))
            bar_set.append([float(v) for v in reversed(values[: len(shown)])])
            bar_set.clicked.connect(lambda i, s=status: self._clicked(i, s))
            series.append(bar_set)
            self._sets.append(bar_set)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([_short(label) for _key, label in reversed(shown)] or [""])
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        values_axis = QValueAxis()
        values_axis.setLabelFormat("%d")
        top = max(
            (sum(col) for col in zip(*(v for _s, _n, v in segments), strict=False)), default=0
        )
        values_axis.setRange(0, max(top, 1))
        values_axis.applyNiceNumbers()
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values_axis)
        chart.legend().setVisible(len(segments) > 1)

    def bar_count(self) -> int:
        return len(self._keys)

    def bar_sets(self) -> list[QBarSet]:
        return list(self._sets)

    def _clicked(self, index: int, status: str) -> None:
        if 0 <= index < len(self._keys):
            self.sig_clicked.emit(self._keys[index], status)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
