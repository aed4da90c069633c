"""The filter bar above the applications list: the search text and status, the days the
applications were saved (from / to, each may be empty; quick picks today, this week,
this month), the salesperson and the pre-screen outcome, and "Clear filters".

All of them combine (core.models.ListQuery). A dashboard figure's filter is shown here
too (``show_query``): its days, salesperson, status and outcome in the controls, and
what has no control (a scenario, a store, an upload returned or kept aside) in a note,
so the clerk sees why the list is short and can clear it.

Days are China-local (core.field.dashboard.utc_start); a figure's exact bounds (e.g. "saved
more than 3 days ago") are kept until the clerk changes that day. The salespeople are
read on the window's database lane."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.applications import labels
from core.clock import CHINA_TZ, Clock, local_today
from core.field.dashboard import Period, utc_start
from core.models import ListQuery, Status
from ui.dashboard.period import pydate, qdate
from ui.db_lane import CoreLane

SEARCH_DEBOUNCE_MS = 250
ANY_DAY = QDate(2000, 1, 1)  # the date edits' "empty": shown as "Any"
QUICK_PICKS = ("today", "week", "month")


class DayBound(QDateEdit):
    """A day with a calendar popup, or none (``ANY_DAY``, shown as "Any"; Delete
    empties it). The calendar opens on this month while empty."""

    def __init__(self, name: str, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._clock = clock
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(ANY_DAY)
        self.setSpecialValueText(self.tr("Any"))
        self.setDate(ANY_DAY)
        self.setToolTip(self.tr("“Any”: no limit. Press Delete to empty it."))
        self.calendarWidget().installEventFilter(self)

    def day(self) -> date | None:
        return None if self.date() == ANY_DAY else pydate(self.date())

    def set_day(self, day: date | None) -> None:
        self.setDate(ANY_DAY if day is None else qdate(day))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QCalendarWidget)
            and self.date() == ANY_DAY
        ):
            today = local_today(self._clock)
            watched.setCurrentPage(today.year, today.month)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.setDate(ANY_DAY)
            return
        super().keyPressEvent(event)


class FilterBar(QWidget):
    """``list_query()`` is what the controls ask for (the caller keeps its sort order);
    ``sig_changed`` when it changes (the search text once typing pauses)."""

    sig_changed = Signal()

    def __init__(
        self, lane: CoreLane, clock: Clock, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("filter_bar")
        self._lane, self._clock, self._lang = lane, clock, lang
        # what the controls cannot show: exact bounds and a figure's other filters
        self._from_iso: str | None = None
        self._to_iso: str | None = None
        self._extra = ListQuery()  # scenario, store, upload state
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.search_timer.timeout.connect(self._changed)
        self._build()
        self.load_salespeople()
        self._update_clear()

    # --- construction ------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        search_label = QLabel(self.tr("&Search:"))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            self.tr("Full customer name, phone (last 4 digits or all 11), ID number, or reference")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        search_label.setBuddy(self.search)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.textChanged.connect(self._update_clear)
        self.search.returnPressed.connect(self._changed)
        status_label = QLabel(self.tr("S&tatus:"))
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem(self.tr("All"), None)
        for status in Status:
            self.status.addItem(labels.status_text(status, self._lang), status.value)
        status_label.setBuddy(self.status)
        self.status.currentIndexChanged.connect(self._changed)
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addSpacing(12)
        top.addWidget(status_label)
        top.addWidget(self.status)
        layout.addLayout(top)

        row = QHBoxLayout()
        from_label = QLabel(self.tr("Saved &from:"))
        self.date_from = DayBound("date_from", self._clock)
        from_label.setBuddy(self.date_from)
        to_label = QLabel(self.tr("to"))
        self.date_to = DayBound("date_to", self._clock)
        self.date_from.dateChanged.connect(lambda _d: self._day_edited(self.date_from))
        self.date_to.dateChanged.connect(lambda _d: self._day_edited(self.date_to))
        row.addWidget(from_label)
        row.addWidget(self.date_from)
        row.addWidget(to_label)
        row.addWidget(self.date_to)
        self.quick: dict[str, QToolButton] = {}
        texts = {
            "today": self.tr("Today"),
            "week": self.tr("This week"),
            "month": self.tr("This month"),
        }
        for kind in QUICK_PICKS:
            button = QToolButton()
            button.setObjectName(f"quick_{kind}")
            button.setText(texts[kind])
            button.clicked.connect(lambda _c=False, k=kind: self.pick(k))
            self.quick[kind] = button
            row.addWidget(button)
        row.addSpacing(12)
        sales_label = QLabel(self.tr("Salesperso&n:"))
        self.salesperson = QComboBox()
        self.salesperson.setObjectName("salesperson_filter")
        self.salesperson.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.salesperson.setMinimumWidth(110)
        self.salesperson.addItem(self.tr("All"), None)
        sales_label.setBuddy(self.salesperson)
        self.salesperson.currentIndexChanged.connect(self._changed)
        outcome_label = QLabel(self.tr("&Pre-screen:"))
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome_filter")
        for text, value in (
            (self.tr("All"), None),
            (self.tr("Passed"), "PASS"),
            (self.tr("Referred"), "REFER"),
            (self.tr("Declined"), "DECLINE"),
            (self.tr("Not pre-screened"), ""),
        ):
            self.outcome.addItem(text, value)
        outcome_label.setBuddy(self.outcome)
        self.outcome.currentIndexChanged.connect(self._changed)
        self.clear_button = QPushButton(self.tr("C&lear filters"))
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.setAutoDefault(False)
        self.clear_button.setToolTip(self.tr("Show every application again"))
        self.clear_button.clicked.connect(self.clear)
        for widget in (sales_label, self.salesperson):
            row.addWidget(widget)
        row.addSpacing(12)
        for widget in (outcome_label, self.outcome):
            row.addWidget(widget)
        row.addSpacing(12)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.note = QLabel()
        self.note.setObjectName("filter_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #0d47a1;")
        self.note.hide()
        layout.addWidget(self.note)

    # --- what the window uses ----------------------------------------------------------
    def list_query(self) -> ListQuery:
        status: Status | None = None
        statuses: tuple[Status, ...] = ()
        value = self.status.currentData()
        if isinstance(value, str) and "," in value:  # several, from a figure
            statuses = tuple(Status(v) for v in value.split(","))
        elif value:
            status = Status(value)
        return replace(
            self._extra,
            text=self.search.text().strip(),
            status=status,
            statuses=statuses,
            created_from=self._from_iso,
            created_to=self._to_iso,
            operator_id=self.salesperson.currentData(),
            prescreen_outcome=self.outcome.currentData(),
        )

    def is_filtered(self) -> bool:
        return self.list_query() != ListQuery()

    def show_query(self, query: ListQuery, words: str = "") -> None:
        """Show a dashboard figure's filter in the controls (no ``sig_changed``): the
        search text goes; what has no control is said in the note (``words``: what the
        figure counts)."""
        self.search_timer.stop()
        controls: tuple[QWidget, ...] = (self.search, self.status, self.salesperson)
        controls += (self.outcome, self.date_from, self.date_to)
        for widget in controls:
            widget.blockSignals(True)
        self.search.setText(query.text)
        self._drop_several()
        if query.statuses:
            texts = " / ".join(labels.status_text(s, self._lang) for s in query.statuses)
            self.status.addItem(texts, ",".join(s.value for s in query.statuses))
            self.status.setCurrentIndex(self.status.count() - 1)
        else:
            value = query.status.value if query.status is not None else None
            self.status.setCurrentIndex(max(0, self.status.findData(value)))
        self._from_iso, self._to_iso = query.created_from, query.created_to
        self.date_from.set_day(_local_day(query.created_from, end=False))
        self.date_to.set_day(_local_day(query.created_to, end=True))
        self._choose_salesperson(query.operator_id)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(query.prescreen_outcome)))
        for widget in controls:
            widget.blockSignals(False)
        self._extra = ListQuery(
            scenario=query.scenario, store_id=query.store_id, outbox_state=query.outbox_state
        )
        if self._extra != ListQuery() and words:
            self.note.setText(self.tr("Also from the dashboard: %1").replace("%1", words))
            self.note.show()
        else:
            self.note.hide()
        self._update_clear()

    def clear(self, *, emit: bool = True) -> None:
        """Every filter back to "All" and the search box empty."""
        self.show_query(ListQuery())
        if emit:
            self.sig_changed.emit()

    def pick(self, kind: str) -> None:
        """A quick pick: today, this week or this month (China days)."""
        period = {
            "today": Period.today,
            "week": Period.this_week,
            "month": Period.this_month,
        }[kind](self._clock)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
        self.date_from.set_day(period.first)
        self.date_to.set_day(period.last)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(False)
        self._from_iso, self._to_iso = period.utc_bounds()
        self._changed()

    def load_salespeople(self) -> None:
        """Read the salespeople offered on the lane (keeps the one chosen)."""
        self._lane.call(
            lambda core: list(core.applications.salespeople()), "salespeople", self
        ).on_success(self._salespeople_read)

    # --- reacting ------------------------------------------------------------------------
    def _changed(self) -> None:
        self.search_timer.stop()
        self._update_clear()
        self.sig_changed.emit()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.is_filtered())

    def _day_edited(self, edit: DayBound) -> None:
        first, last = self.date_from.day(), self.date_to.day()
        if first is not None and last is not None and first > last:  # keep from <= to
            other = self.date_to if edit is self.date_from else self.date_from
            other.blockSignals(True)
            other.set_day(edit.day())
            other.blockSignals(False)
            first, last = self.date_from.day(), self.date_to.day()
        self._from_iso = None if first is None else utc_start(first)
        self._to_iso = None if last is None else utc_start(last + timedelta(days=1))
        self._changed()

    def _salespeople_read(self, people: list[tuple[str, str]]) -> None:
        chosen = self.salesperson.currentData()
        self.salesperson.blockSignals(True)
        while self.salesperson.count() > 1:
            self.salesperson.removeItem(1)
        for operator_id, name in people:
            self.salesperson.addItem(name, operator_id)
        self._choose_salesperson(chosen, read=False)
        self.salesperson.blockSignals(False)

    def _choose_salesperson(self, operator_id: str | None, *, read: bool = True) -> None:
        found = self.salesperson.findData(operator_id) if operator_id else 0
        if found < 0:  # someone not read yet (their first application is new): read again
            self.salesperson.addItem("…", operator_id)
            found = self.salesperson.count() - 1
            if read:
                self.load_salespeople()
        self.salesperson.setCurrentIndex(found)

    def _drop_several(self) -> None:
        """The status item a figure added for several statuses goes."""
        while self.status.count() > len(Status) + 1:
            self.status.removeItem(self.status.count() - 1)


def _local_day(iso: str | None, *, end: bool) -> date | None:
    """The China day of a stored UTC bound (an exclusive end: the day before it)."""
    if iso is None:
        return None
    at = datetime.fromisoformat(iso).astimezone(CHINA_TZ)
    return (at - timedelta(milliseconds=1)).date() if end else at.date()
