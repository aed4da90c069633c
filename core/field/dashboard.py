"""The field managers' dashboard: figures for today, this week, this month or a date
range, and what is stuck. For roles with VIEW_ALL_STORES (field managers, admins).

Days are China-local calendar days (a week starts on Monday); ``created_at`` is stored in
UTC, so a period becomes a half-open UTC range. One grouped read (core.store.dashboard_repo)
gives every view:

- applications, order totals and amounts financed (principal), in fen;
- pre-screen outcomes (PASS / REFER / DECLINE; ``none`` for applications saved before
  pre-screening existed) and head office's decisions (approved / declined / review);
- the approval rate: approved among applications head office has finally decided
  (approved + declined), None when it has decided none;
- the same by scenario, by salesperson (the operator who saved it) and by store.

Stuck, whatever their date: waiting too long (queued or submitted, saved more than
``waiting_days`` ago), returned by head office (an upload refused as invalid or in
conflict), in review, and kept aside by sync (quarantined).

:meth:`Dashboard.list_query` turns a figure into the applications list's filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlite_utils

from core.clock import CHINA_TZ, Clock, local_today
from core.models import ListQuery, Scenario, Status
from core.operators.actor import Actor
from core.security.permissions import Permission, require
from core.store.dashboard_repo import DashboardRepo, GroupRow

WAITING_DAYS = 3
PRESCREEN_OUTCOMES = ("PASS", "REFER", "DECLINE", "none")
DECISIONS = ("approved", "declined", "review")


@dataclass(frozen=True)
class Period:
    """``first`` to ``last`` inclusive, China-local days."""

    first: date
    last: date
    kind: str = "range"  # today | week | month | range

    @staticmethod
    def today(clock: Clock) -> Period:
        day = local_today(clock)
        return Period(day, day, "today")

    @staticmethod
    def this_week(clock: Clock) -> Period:
        day = local_today(clock)
        return Period(day - timedelta(days=day.weekday()), day, "week")

    @staticmethod
    def this_month(clock: Clock) -> Period:
        day = local_today(clock)
        return Period(day.replace(day=1), day, "month")

    @staticmethod
    def between(first: date, last: date) -> Period:
        if last < first:
            first, last = last, first
        return Period(first, last, "range")

    def utc_bounds(self) -> tuple[str, str]:
        """[start, end) as stored ``created_at`` text."""
        return utc_start(self.first), utc_start(self.last + timedelta(days=1))


def utc_start(day: date) -> str:
    """The UTC instant a China-local day begins, as ``iso_now`` writes it."""
    start = datetime.combine(day, time(), CHINA_TZ).astimezone(UTC)
    return start.isoformat(timespec="milliseconds")


def waiting_before(clock: Clock, waiting_days: int) -> str:
    """Saved before this (UTC ISO) and still not decided: waiting too long."""
    return (
        (clock.now() - timedelta(days=waiting_days))
        .astimezone(UTC)
        .isoformat(timespec="milliseconds")
    )


@dataclass
class Figures:
    """One row of a view (or the totals)."""

    key: str
    label: str
    applications: int = 0
    order_total_fen: int = 0
    principal_fen: int = 0
    approved_amount_fen: int = 0
    prescreen: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)

    @property
    def approval_rate(self) -> Decimal | None:
        approved = self.decisions.get("approved", 0)
        final = approved + self.decisions.get("declined", 0)
        return (
            None if final == 0 else (Decimal(approved) / Decimal(final)).quantize(Decimal("0.0001"))
        )

    def add(self, g: GroupRow) -> None:
        self.applications += g.count
        self.order_total_fen += g.order_total_fen
        self.principal_fen += g.principal_fen
        self.approved_amount_fen += g.approved_amount_fen
        outcome = g.prescreen or "none"
        self.prescreen[outcome] = self.prescreen.get(outcome, 0) + g.count
        if g.status in DECISIONS:
            self.decisions[g.status] = self.decisions.get(g.status, 0) + g.count


@dataclass(frozen=True)
class Stuck:
    waiting: int  # queued or submitted for more than waiting_days
    returned: int  # refused by head office (invalid or conflict)
    in_review: int
    kept_aside: int  # quarantined by sync
    waiting_days: int


@dataclass(frozen=True)
class Dashboard:
    period: Period
    totals: Figures
    by_scenario: list[Figures]
    by_salesperson: list[Figures]
    by_store: list[Figures]
    stuck: Stuck

    def list_query(
        self,
        *,
        status: Status | None = None,
        scenario: str | None = None,
        operator_id: str | None = None,
        store_id: str | None = None,
    ) -> ListQuery:
        """The applications list filtered to a figure of this period."""
        start, end = self.period.utc_bounds()
        return ListQuery(
            status=status,
            scenario=Scenario(scenario) if scenario else None,
            operator_id=operator_id,
            store_id=store_id,
            created_from=start,
            created_to=end,
        )


def stuck_query(kind: str, clock: Clock, waiting_days: int = WAITING_DAYS) -> ListQuery:
    """The applications list filtered to one of the stuck figures."""
    if kind == "waiting":
        before = waiting_before(clock, waiting_days)
        return ListQuery(statuses=(Status.QUEUED, Status.SUBMITTED), created_to=before)
    if kind == "in_review":
        return ListQuery(status=Status.REVIEW)
    if kind in ("returned", "kept_aside"):
        return ListQuery(outbox_state="rejected" if kind == "returned" else "quarantined")
    raise ValueError(f"unknown stuck figure {kind!r}")


def dashboard(
    db: sqlite_utils.Database,
    actor: Actor,
    clock: Clock,
    period: Period,
    *,
    store_id: str | None = None,
    waiting_days: int = WAITING_DAYS,
) -> Dashboard:
    """The figures of ``period`` (every store, or ``store_id``'s)."""
    require(actor.role, Permission.VIEW_ALL_STORES)
    repo = DashboardRepo(db)
    start, end = period.utc_bounds()
    groups = repo.groups(start, end, store_id)
    operators, stores = repo.names("operators"), repo.names("stores")
    totals = Figures("all", "")
    views: dict[str, dict[str, Figures]] = {"scenario": {}, "operator": {}, "store": {}}
    for g in groups:
        totals.add(g)
        for view, key, label in (
            ("scenario", g.scenario, g.scenario),
            ("operator", g.operator_id, operators.get(g.operator_id, g.operator_id)),
            ("store", g.store_id, stores.get(g.store_id, g.store_id)),
        ):
            views[view].setdefault(key, Figures(key, label)).add(g)
    before = waiting_before(clock, waiting_days)
    stuck = Stuck(
        waiting=repo.count_status((Status.QUEUED.value, Status.SUBMITTED.value), store_id, before),
        returned=repo.count_outbox("rejected", store_id),
        in_review=repo.count_status((Status.REVIEW.value,), store_id),
        kept_aside=repo.count_outbox("quarantined", store_id),
        waiting_days=waiting_days,
    )

    def ordered(view: str) -> list[Figures]:
        return sorted(views[view].values(), key=lambda f: (-f.applications, f.label))

    return Dashboard(
        period, totals, ordered("scenario"), ordered("operator"), ordered("store"), stuck
    )
