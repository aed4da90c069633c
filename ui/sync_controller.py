"""Sync from the GUI: runs core's blocking sync on the background runner and tells the
status bar, the sync panel and the list what happened.

The jobs below are plain functions that open their own context (their own SQLite
connection) on the worker thread and close it when done: a ``SyncService`` is bound to
one connection, and the GUI thread's ``ctx.sync`` is only for reads.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.admin import AdminService
from core.application_reads import Actor
from core.clock import Clock
from core.config import Paths
from core.context import AppContext, open_context
from core.sync.enroll import Enrollment
from core.sync.report import SyncReport
from core.sync.service import ProblemItem, SyncService, SyncStatus
from ui.tasks import CancelFn, Job, Operation, ProgressDelay, ProgressFn, TaskRunner, run

log = logging.getLogger("loandesk.ui.sync")

STARTUP_DELAY_S = 2.0  # first automatic sync after the window opens
AFTER_SAVE_DELAY_S = 3.0  # a saved application goes out soon (saves in a row: once)
INTERVAL_S = 60.0  # between automatic syncs when all is well
# Failures of a run that mean "nothing will work until IT acts" (not network trouble).
BLOCKING_CODES = ("SYNC_NOT_ENROLLED", "SYNC_REENROLL_NEEDED", "SYNC_KEYRING_UNAVAILABLE")


# --- jobs: run on the worker, never touch widgets ---------------------------------------
def _sync_of(ctx: AppContext) -> SyncService:
    if ctx.sync is None:  # open_context always builds one
        raise RuntimeError("this context has no sync service")
    return ctx.sync


def sync_job(
    paths: Paths,
    clock: Clock,
    engine_options: Mapping[str, Any],
    actor: Actor | None = None,
    manual: bool = False,
) -> Job[SyncReport]:
    """As ``actor`` (None: the built-in account); SYNC is checked, a manual run audited."""

    def sync(progress: ProgressFn, cancel: CancelFn) -> SyncReport:
        ctx = open_context(paths, clock)
        try:
            return AdminService.of(ctx, actor).sync_once(
                progress, cancel, manual=manual, **engine_options
            )
        finally:
            ctx.close()

    return sync


def enroll_job(
    paths: Paths,
    clock: Clock,
    server_url: str,
    store_code: str,
    code: str,
    engine_options: Mapping[str, Any],
    actor: Actor | None = None,
) -> Job[Enrollment]:
    timeouts = engine_options.get("timeouts")

    def enroll(_progress: ProgressFn, _cancel: CancelFn) -> Enrollment:
        ctx = open_context(paths, clock)
        try:
            return AdminService.of(ctx, actor).enroll(
                server_url, store_code, code, timeouts=timeouts
            )
        finally:
            ctx.close()

    return enroll


def export_job(paths: Paths, clock: Clock, target: Path, actor: Actor | None = None) -> Job[int]:
    def export_quarantined(_progress: ProgressFn, _cancel: CancelFn) -> int:
        ctx = open_context(paths, clock)
        try:
            return AdminService.of(ctx, actor).export_quarantined(target)
        finally:
            ctx.close()

    return export_quarantined


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
        ctx: AppContext,
        runner: TaskRunner,
        *,
        auto_sync: bool = True,
        engine_options: Mapping[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
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

    # --- what the screens read ----------------------------------------------------------
    @property
    def context(self) -> AppContext:
        return self._ctx

    @property
    def engine_options(self) -> Mapping[str, Any]:
        return self._engine_options

    def set_context(self, ctx: AppContext) -> None:
        """After MainWindow reopened its context (enrollment)."""
        self._ctx = ctx
        self.last_failure = None
        self.sig_state_changed.emit()
        self.start_auto()

    def status(self) -> SyncStatus:
        return _sync_of(self._ctx).sync_state()

    def rejected_items(self) -> list[ProblemItem]:
        return _sync_of(self._ctx).rejected_items()

    def quarantined_items(self) -> list[ProblemItem]:
        return _sync_of(self._ctx).quarantined_items()

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
        return self._ctx.applications.actor

    def sync_now(self, *, manual: bool = True) -> Operation[SyncReport] | None:
        """Start a run; None if one is already running. A manual run is audited."""
        if self.running:
            return None
        self._timer.stop()
        job = sync_job(self._ctx.paths, self._ctx.clock, self._engine_options, self.actor, manual)
        log.info("sync started")
        self._starting = True  # "running" from sig_started on, whichever runner
        self.sig_started.emit()
        try:
            op = run(self, job, runner=self._runner, name="sync")
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
        job = enroll_job(
            self._ctx.paths,
            self._ctx.clock,
            server_url,
            store_code,
            code,
            self._engine_options,
            self.actor,
        )
        return run(self, job, runner=self._runner, name="enroll")

    def export_quarantined(self, target: Path) -> Operation[int]:
        return run(
            self,
            export_job(self._ctx.paths, self._ctx.clock, target, self.actor),
            runner=self._runner,
            name="export_quarantined",
        )

    def requeue(self, op_id: str) -> bool:
        """Send a quarantined item again (a small write on the GUI connection)."""
        done = AdminService.of(self._ctx).requeue(op_id)
        self.sig_state_changed.emit()
        if done:
            self.schedule(AFTER_SAVE_DELAY_S)
        return done

    def state_may_have_changed(self) -> None:
        """Something local changed the queue (an application cancelled): re-read."""
        self.sig_state_changed.emit()

    def application_saved(self) -> None:
        """A clerk saved an application: it is queued; send it soon."""
        self.sig_state_changed.emit()
        self.schedule(AFTER_SAVE_DELAY_S)

    # --- automatic runs ---------------------------------------------------------------------
    def start_auto(self) -> None:
        self.schedule(STARTUP_DELAY_S)

    def stop(self) -> None:
        self._auto = False
        self._timer.stop()
        self.cancel()

    def schedule(self, seconds: float) -> None:
        """The next automatic run in ``seconds`` (sooner wins), if there is any point."""
        if not self._auto or self.running or not self._can_sync():
            return
        ms = max(0, int(seconds * 1000))
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
        self.sig_state_changed.emit()
