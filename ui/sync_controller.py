"""Sync from the GUI: runs core's blocking sync on the background runner and tells the
status bar, the sync panel and the list what happened.

Sync, enrolling and the quarantine export run on the sync lane: a connection of their
own on the background runner's thread, opened once and kept (ui.db_lane). The sync
state the screens show (the state, the returned and the kept-aside items) is read on the
window's database lane after every change and kept here: ``status()`` and friends answer
from that copy, and ``sig_state_changed`` says a fresh copy arrived.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from core.admin import AdminService
from core.context import AppContext, Basis, connect_context
from core.operators.actor import Actor
from core.sync.enroll import Enrollment
from core.sync.report import SyncReport
from core.sync.service import ProblemItem, SyncService, SyncStatus
from ui.db_lane import CoreLane
from ui.tasks import CancelFn, Operation, ProgressDelay, ProgressFn, TaskRunner

log = logging.getLogger("loandesk.ui.sync")

T = TypeVar("T")
STARTUP_DELAY_S = 2.0  # first automatic sync after the window opens
AFTER_SAVE_DELAY_S = 3.0  # a saved application goes out soon (saves in a row: once)
INTERVAL_S = 60.0  # between automatic syncs when all is well
# Failures of a run that mean "nothing will work until IT acts" (not network trouble).
BLOCKING_CODES = ("SYNC_NOT_ENROLLED", "SYNC_REENROLL_NEEDED", "SYNC_KEYRING_UNAVAILABLE")


class SyncStateNotRead(RuntimeError):
    """The sync state has not been read yet (the window just opened)."""

    code = "SYNC_STATE_NOT_READ"


@dataclasses.dataclass(frozen=True)
class SyncView:
    """What the screens show of sync, read in one go on the window's lane."""

    state: SyncStatus
    rejected: list[ProblemItem]
    quarantined: list[ProblemItem]


def _sync_of(ctx: AppContext) -> SyncService:
    if ctx.sync is None:  # open_context and connect_context always build one
        raise RuntimeError("this context has no sync service")
    return ctx.sync


def _read_view(core: AppContext) -> SyncView:
    sync = _sync_of(core)
    return SyncView(sync.sync_state(), sync.rejected_items(), sync.quarantined_items())


class SyncController(QObject):
    """One sync at a time, by hand ("Sync now") or on a timer; the last outcome."""

    sig_started = Signal()
    """A sync run started on the worker."""
    sig_progress = Signal(str, int, int)
    """Progress of the running sync: phase, done, total (total 0: unknown)."""
    sig_finished = Signal(object)
    """A run ended: its SyncReport, or None when it could not run (see last_failure)."""
    sig_state_changed = Signal()
    """Sync state may have changed (a run, a save, a retry, an enrollment): re-read it."""

    def __init__(
        self,
        basis: Basis,
        runner: TaskRunner,
        *,
        reads: CoreLane,
        auto_sync: bool = True,
        engine_options: Mapping[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``runner``: the background runner the sync lane runs on; ``reads``: the
        window's lane, for the sync state and the small writes (retry an item)."""
        super().__init__(parent)
        self._basis = basis
        self._runner = runner
        self._reads = reads
        self.lane = CoreLane(_connector(basis), runner, parent=self)
        self._view: SyncView | None = None
        self._view_error: Exception | None = None
        self._reading = False
        self._pending_ms: int | None = None
        self._engine_options = dict(engine_options or {})
        self._auto = auto_sync
        self._op: Operation[SyncReport] | None = None
        self._starting = False
        self.last_report: SyncReport | None = None
        self.last_failure: Exception | None = None
        self.progress_delay = ProgressDelay(parent=self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._auto_sync)
        self._reread_again = False
        self.reread()

    # --- what the screens read ----------------------------------------------------------
    @property
    def context(self) -> Basis:
        return self._basis

    @property
    def engine_options(self) -> Mapping[str, Any]:
        return self._engine_options

    def set_basis(self, basis: Basis) -> None:
        """After enrolling rewrote the settings: the sync lane reconnects."""
        self._basis = basis
        self.lane.reopen(_connector(basis))
        self.last_failure = None
        self.reread()
        self.start_auto()

    @property
    def state_known(self) -> bool:
        return self._view is not None or self._view_error is not None

    def _current(self) -> SyncView:
        if self._view_error is not None:
            raise self._view_error
        if self._view is None:
            raise SyncStateNotRead("the sync state is being read")
        return self._view

    def status(self) -> SyncStatus:
        """The sync state as last read (raises what reading it raised)."""
        return self._current().state

    def rejected_items(self) -> list[ProblemItem]:
        return self._current().rejected

    def quarantined_items(self) -> list[ProblemItem]:
        return self._current().quarantined

    def reread(self) -> None:
        """Read the sync state again on the window's lane; ``sig_state_changed`` when it
        arrives (reads asked for while one is on its way are one read)."""
        if self._reading:
            self._reread_again = True
            return
        self._reading, self._reread_again = True, False
        op = self._reads.call(_read_view, "sync_state", self)
        op.on_success(self._view_read).on_failure(self._view_unreadable)

    def _view_read(self, view: SyncView) -> None:
        self._view, self._view_error = view, None
        self._state_arrived()

    def _view_unreadable(self, exc: Exception) -> None:
        log.warning("sync state unreadable: %s", getattr(exc, "code", type(exc).__name__))
        self._view_error = exc
        self._state_arrived()

    def _state_arrived(self) -> None:
        self._reading = False
        if self._reread_again:
            self.reread()
            return
        self.sig_state_changed.emit()
        if self._pending_ms is not None:
            ms, self._pending_ms = self._pending_ms, None
            self.schedule(ms / 1000)

    @property
    def running(self) -> bool:
        return self._starting or (self._op is not None and not self._op.done)

    @property
    def cancel_requested(self) -> bool:
        return self._op is not None and self._op.cancel_requested

    def blocking_failure(self) -> Exception | None:
        """The last run could not start for a reason only IT can fix (no token...)."""
        code = getattr(self.last_failure, "code", None)
        return self.last_failure if code in BLOCKING_CODES else None

    # --- actions ---------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        """The operator at the counter: jobs act (and are audited) as them."""
        return self._basis.actor

    def sync_now(self, *, manual: bool = True) -> Operation[SyncReport] | None:
        """Start a run; None if one is already running. A manual run is audited, and
        the status changes it records name the operator (``actor``); an automatic one
        (``manual=False``: the timer, after a save, at start) names no one."""
        if self.running:
            return None
        self._timer.stop()
        options, actor = self._engine_options, self.actor

        def sync(core: AppContext, progress: ProgressFn, cancel: CancelFn) -> SyncReport:
            return AdminService.of(core, actor).sync_once(
                progress, cancel, manual=manual, **options
            )

        log.info("sync started")
        self._starting = True  # "running" from sig_started on, whichever runner
        self.sig_started.emit()
        try:
            op = self.lane.job(sync, "sync", self)
        finally:
            self._starting = False
        self._op = op
        op.with_progress(self.progress_delay)
        op.on_progress(self.sig_progress.emit)
        op.on_success(self._succeeded).on_failure(self._failed)
        return op

    def cancel(self) -> None:
        if self._op is not None and not self._op.done:
            log.info("sync cancel requested")
            self._op.cancel()

    def enroll(self, server_url: str, store_code: str, code: str) -> Operation[Enrollment]:
        timeouts = self._engine_options.get("timeouts")
        return self.admin_job(
            lambda admin: admin.enroll(server_url, store_code, code, timeouts=timeouts),
            "enroll",
            on_sync_lane=True,
        )

    def export_quarantined(self, target: Path) -> Operation[int]:
        return self.admin_job(
            lambda admin: admin.export_quarantined(target), "export_quarantined", on_sync_lane=True
        )

    def admin_job(
        self, fn: Callable[[AdminService], T], name: str, *, on_sync_lane: bool = False
    ) -> Operation[T]:
        """``fn(admin)`` as the operator (checked and audited in core): on the window's
        lane, or with ``on_sync_lane`` beside the sync runs (network work)."""
        actor = self.actor
        lane = self.lane if on_sync_lane else self._reads
        return lane.call(lambda core: fn(AdminService.of(core, actor)), name, self)

    def requeue(self, op_id: str) -> Operation[bool]:
        """Send a quarantined item again (a small write on the window's lane)."""
        op = self.admin_job(lambda admin: admin.requeue(op_id), "requeue")
        op.on_finished(self.reread)
        op.on_success(lambda done: self.schedule(AFTER_SAVE_DELAY_S) if done else None)
        return op

    def state_may_have_changed(self) -> None:
        """Something local changed the queue (an application cancelled): re-read."""
        self.reread()

    def application_saved(self) -> None:
        """A clerk saved an application: it is queued; send it soon."""
        self.reread()
        self.schedule(AFTER_SAVE_DELAY_S)

    def close_lane(self) -> None:
        """Close the sync lane's connection (the window is closing)."""
        self.lane.close()

    # --- automatic runs ---------------------------------------------------------------------
    def start_auto(self) -> None:
        self.schedule(STARTUP_DELAY_S)

    def stop(self) -> None:
        self._auto = False
        self._timer.stop()
        self.cancel()

    def schedule(self, seconds: float) -> None:
        """The next automatic run in ``seconds`` (sooner wins), if there is any point;
        decided once the sync state has been read."""
        ms = max(0, int(seconds * 1000))
        if self._auto and (self._reading or not self.state_known):
            self._pending_ms = ms if self._pending_ms is None else min(ms, self._pending_ms)
            return
        if not self._auto or self.running or not self._can_sync():
            return
        if self._timer.isActive() and self._timer.remainingTime() <= ms:
            return
        self._timer.start(ms)

    @property
    def next_auto_ms(self) -> int:
        """Milliseconds to the next automatic run; -1 when none is planned."""
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def _can_sync(self) -> bool:
        if self.blocking_failure() is not None:
            return False
        try:
            state = self.status()
        except Exception as exc:  # storage trouble: the status bar says so; no timer
            log.warning("sync state unreadable: %s", getattr(exc, "code", type(exc).__name__))
            return False
        return state.enrolled and not state.paused_reason

    def _auto_sync(self) -> None:
        self.sync_now(manual=False)

    def _succeeded(self, report: SyncReport) -> None:
        self.last_report, self.last_failure = report, None
        log.info(
            "sync finished: pushed %d, acked %d, rejected %d, quarantined %d, "
            "decisions %d, pending %d%s",
            report.pushed,
            report.acked,
            report.rejected,
            report.quarantined,
            report.decisions,
            report.pending,
            f", paused {report.paused}" if report.paused else "",
        )
        self._after_run(report)
        if not report.paused:
            wait = report.next_attempt_in
            self.schedule(INTERVAL_S if wait is None else max(1.0, wait))

    def _failed(self, exc: Exception) -> None:
        self.last_failure = exc
        self._after_run(None)
        if self.blocking_failure() is None:
            self.schedule(INTERVAL_S)

    def _after_run(self, report: SyncReport | None) -> None:
        self.sig_finished.emit(report)
        self.reread()


def _connector(basis: Basis) -> Callable[[], AppContext]:
    """Opens the sync lane's connection (on its thread), acting as the operator."""
    return lambda: connect_context(basis.paths, basis.clock, basis.actor)
