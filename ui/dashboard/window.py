"""The field managers' dashboard (field managers and admins): the period's figures, what
is stuck, and by outcome, scenario, salesperson and store a chart with its table beside
it. Every figure opens the applications list filtered to what it counts.

All figures are read on the window's database lane (core.field.api.dashboard: one
grouped read); nothing here touches the database."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import i18n
from core.applications import labels
from core.clock import Clock
from core.field import api as field_api
from core.field.dashboard import DECISIONS, PRESCREEN_OUTCOMES, Dashboard, Figures, stuck_query
from core.models import ListQuery, Status
from core.operators.actor import Actor
from ui.dashboard.charts import BarChart
from ui.dashboard.figures_model import FiguresModel
from ui.dashboard.period import PeriodBar
from ui.db_lane import CoreLane
from ui.formatting import percent, yuan
from ui.permissions import refusal_text
from ui.tasks import Operation
from ui.widgets import show_problem

log = logging.getLogger("loandesk.ui.dashboard")

OpenList = Callable[[ListQuery, str], None]  # the query and what it shows, in words
VIEWS = ("outcomes", "scenario", "salesperson", "store")


class FigureButton(QPushButton):
    """A figure and its caption; clicking it opens the list of what it counts."""

    def __init__(self, name: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.caption = caption
        self.value = ""
        self.setAutoDefault(False)
        self.setMinimumHeight(54)
        self.setStyleSheet("QPushButton { text-align: center; padding: 4px 10px; }")
        self.set_value("–")

    def set_value(self, value: str) -> None:
        self.value = value
        self.setText(f"{value}\n{self.caption}")
        self.setToolTip(self.tr("Open the list of these applications"))


class DashboardWindow(QDialog):
    """``open_list(query, words)`` shows the applications list filtered to a figure."""

    def __init__(
        self,
        lane: CoreLane,
        actor: Actor,
        clock: Clock,
        lang: str,
        open_list: OpenList,
        parent: QWidget | None = None,
        *,
        kind: str = "month",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(self.tr("Dashboard"))
        self.resize(1280, 720)
        self._lane, self._actor, self._clock, self._lang = lane, actor, clock, lang
        self._open_list = open_list
        self.figures: Dashboard | None = None
        self.last_error: Exception | None = None
        self.op: Operation[Dashboard] | None = None

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.period_bar = PeriodBar(clock, kind, self)
        self.period_bar.sig_changed.connect(self.reload)
        self.act_refresh = QPushButton(self.tr("Re&fresh"))
        self.act_refresh.setObjectName("dashboard_refresh")
        self.act_refresh.setAutoDefault(False)
        self.act_refresh.clicked.connect(self.reload)
        self.period_label = QLabel()
        self.period_label.setObjectName("period_label")
        top.addWidget(self.period_bar, 1)
        top.addWidget(self.period_label)
        top.addWidget(self.act_refresh)
        layout.addLayout(top)

        self.tiles: dict[str, FigureButton] = {}
        figures = QGroupBox(self.tr("The period's figures"))
        grid = QGridLayout(figures)
        captions = {
            "applications": self.tr("Applications"),
            "principal": self.tr("Financed (yuan)"),
            "approved": self.tr("Approved"),
            "declined": self.tr("Declined"),
            "review": self.tr("In review"),
            "rate": self.tr("Approval rate"),
            "PASS": self.tr("Pre-screen passed"),
            "REFER": self.tr("Pre-screen referred"),
            "DECLINE": self.tr("Pre-screen declined"),
        }
        for n, (key, caption) in enumerate(captions.items()):
            tile = FigureButton(f"tile_{key}", caption)
            tile.clicked.connect(lambda _c=False, k=key: self.open_figure(k))
            grid.addWidget(tile, 0, n)
            self.tiles[key] = tile
        stuck = QGroupBox(self.tr("Stuck, whatever their date"))
        stuck_row = QHBoxLayout(stuck)
        stuck_captions = {
            "waiting": self.tr("Waiting over %n day(s)", "", 3),
            "returned": self.tr("Returned by head office"),
            "in_review": self.tr("In review at head office"),
            "kept_aside": self.tr("Kept aside by sync"),
        }
        for key, caption in stuck_captions.items():
            tile = FigureButton(f"stuck_{key}", caption)
            tile.clicked.connect(lambda _c=False, k=key: self.open_stuck(k))
            stuck_row.addWidget(tile)
            self.tiles[f"stuck_{key}"] = tile
        layout.addWidget(figures)
        layout.addWidget(stuck)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboard_tabs")
        self.charts: dict[str, BarChart] = {}
        self.models: dict[str, FiguresModel] = {}
        self.tables: dict[str, QTableView] = {}
        titles = {
            "outcomes": (self.tr("Outcomes"), self.tr("Outcome")),
            "scenario": (self.tr("By scenario"), self.tr("Scenario")),
            "salesperson": (self.tr("By salesperson"), self.tr("Salesperson")),
            "store": (self.tr("By store"), self.tr("Store")),
        }
        for view in VIEWS:
            tab_title, first_header = titles[view]
            self.tabs.addTab(self._view(view, first_header), tab_title)
        layout.addWidget(self.tabs, 1)
        self.note = QLabel(
            self.tr(
                "Days are China time; the approval rate is approved among approved and "
                "declined. Click a figure, a bar or a row to open the list of those "
                "applications."
            )
        )
        self.note.setObjectName("dashboard_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        layout.addWidget(self.note)

    def _view(self, view: str, first_header: str) -> QWidget:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName(f"split_{view}")
        chart = BarChart(f"chart_{view}")
        chart.sig_clicked.connect(lambda key, status, v=view: self.open_row(v, key, status))
        model = FiguresModel(first_header, self)
        table = QTableView()
        table.setObjectName(f"table_{view}")
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.activated.connect(lambda index, v=view: self._row_activated(v, index))
        table.clicked.connect(lambda index, v=view: self._row_activated(v, index))
        split.addWidget(chart)
        split.addWidget(table)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([640, 640])
        if view == "outcomes":  # one count per outcome: the other columns say nothing
            for column in range(2, model.columnCount()):
                table.setColumnHidden(column, True)
        self.charts[view], self.models[view], self.tables[view] = chart, model, table
        return split

    # --- reading ------------------------------------------------------------------------
    def reload(self) -> Operation[Dashboard]:
        """Read every figure of the chosen period on the lane, then show them."""
        period, actor = self.period_bar.period(), self._actor
        self.act_refresh.setEnabled(False)
        op = self._lane.call(
            lambda core: field_api.dashboard(core, actor, period), "dashboard", self
        )
        self.op = op
        op.on_success(self.show_figures).on_failure(self._failed)
        op.on_finished(lambda: self.act_refresh.setEnabled(True))
        return op

    def _failed(self, exc: Exception) -> None:
        self.last_error = exc
        log.warning("dashboard read failed: %s", getattr(exc, "code", type(exc).__name__))
        show_problem(self, refusal_text(exc, self._lang))

    def show_figures(self, d: Dashboard) -> None:
        self.figures, self.last_error = d, None
        p = d.period
        self.period_label.setText(str(p.first) if p.first == p.last else f"{p.first} – {p.last}")
        t = d.totals
        values = {
            "applications": str(t.applications),
            "principal": yuan(t.principal_fen),
            "rate": "–" if t.approval_rate is None else percent(t.approval_rate),
            **{k: str(t.decisions.get(k, 0)) for k in DECISIONS},
            **{k: str(t.prescreen.get(k, 0)) for k in ("PASS", "REFER", "DECLINE")},
        }
        for key, value in values.items():
            self.tiles[key].set_value(value)
        for key in ("waiting", "returned", "in_review", "kept_aside"):
            self.tiles[f"stuck_{key}"].set_value(str(getattr(d.stuck, key)))
        self._fill("outcomes", self._outcome_rows(t))
        self._fill("scenario", [self._scenario_label(f) for f in d.by_scenario])
        self._fill("salesperson", d.by_salesperson)
        self._fill("store", d.by_store)

    def _fill(self, view: str, rows: list[Figures]) -> None:
        self.models[view].set_rows(rows)
        bars = [(f.key, f.label) for f in rows]
        if view == "outcomes":
            self.charts[view].show_bars(
                bars, [("", self.tr("Applications"), [f.applications for f in rows])]
            )
            return
        decided = {s: [f.decisions.get(s, 0) for f in rows] for s in DECISIONS}
        other = [f.applications - sum(f.decisions.values()) for f in rows]
        self.charts[view].show_bars(
            bars,
            [
                ("approved", self.tr("Approved"), decided["approved"]),
                ("declined", self.tr("Declined"), decided["declined"]),
                ("review", self.tr("In review"), decided["review"]),
                ("", self.tr("Not decided yet"), other),
            ],
        )

    def _outcome_texts(self) -> dict[str, str]:
        return {
            "PASS": self.tr("Pre-screen passed"),
            "REFER": self.tr("Pre-screen referred"),
            "DECLINE": self.tr("Pre-screen declined"),
            "none": self.tr("Not pre-screened"),
            "approved": self.tr("Approved by head office"),
            "declined": self.tr("Declined by head office"),
            "review": self.tr("In review at head office"),
        }

    def _outcome_rows(self, t: Figures) -> list[Figures]:
        texts = self._outcome_texts()
        rows = []
        for key in ("PASS", "REFER", "DECLINE", "none"):
            if key != "none" or t.prescreen.get(key):
                rows.append(Figures(key, texts[key], applications=t.prescreen.get(key, 0)))
        for key in DECISIONS:
            count = t.decisions.get(key, 0)
            rows.append(Figures(key, texts[key], applications=count, decisions={key: count}))
        return rows

    def _scenario_label(self, f: Figures) -> Figures:
        code = f"SCENARIO_{f.key}"
        label = labels.scenario_text(f.key, self._lang) if i18n.has(code) else f.label
        return dataclasses.replace(f, label=label)

    # --- opening the list ---------------------------------------------------------------
    def open_figure(self, key: str) -> None:
        """A figure of the period: its applications (a decision: those decided so)."""
        d = self.figures
        if d is None:
            return
        words = self.tiles[key].caption
        if key in DECISIONS:
            self._open(d.list_query(status=Status(key)), words)
        elif key == "rate":
            query = dataclasses.replace(d.list_query(), statuses=(Status.APPROVED, Status.DECLINED))
            self._open(query, words)
        elif key in PRESCREEN_OUTCOMES:  # "none": saved without a pre-screen
            outcome = "" if key == "none" else key
            words = self._outcome_texts().get(key, key)
            self._open(dataclasses.replace(d.list_query(), prescreen_outcome=outcome), words)
        else:
            self._open(d.list_query(), self.tr("Applications"))

    def open_stuck(self, kind: str) -> None:
        d = self.figures
        days = d.stuck.waiting_days if d is not None else 3
        self._open(stuck_query(kind, self._clock, days), self.tiles[f"stuck_{kind}"].caption)

    def open_row(self, view: str, key: str, status: str = "") -> None:
        """A row (or a bar's segment) of a view: its applications in the period."""
        d = self.figures
        if d is None:
            return
        state = Status(status) if status else None
        label = next((f.label for f in self.models[view].rows() if f.key == key), key)
        if view == "outcomes":
            self.open_figure(key if key in (*DECISIONS, *PRESCREEN_OUTCOMES) else "applications")
            return
        if view == "scenario":
            query = d.list_query(status=state, scenario=key)
        elif view == "salesperson":
            query = d.list_query(status=state, operator_id=key)
        else:
            query = d.list_query(status=state, store_id=key)
        words = label if state is None else f"{label} · {labels.status_text(status, self._lang)}"
        self._open(query, words)

    def _row_activated(self, view: str, index: QModelIndex) -> None:
        key = self.models[view].key(index.row())
        if key is not None:
            self.open_row(view, key)

    def _open(self, query: ListQuery, words: str) -> None:
        self._open_list(query, words)
