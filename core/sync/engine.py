"""The sync engine: push the outbox, pull decisions, rule pack, catalog and blacklists,
then a heartbeat. A plain blocking call with a progress callback and a cancel flag
(the GUI runs it on a worker thread with its own database connection).

Everything time-dependent is injected (clock, monotonic, rng) so fault tests can drive
it. ``sync_once`` never sleeps: when the server says "later" (Retry-After, backoff) the
report carries ``next_attempt_in`` and ``sync --loop`` (or the GUI's timer) waits.

Each run builds a :class:`core.sync.run.SyncRun` (the connection and repositories, the
clock, the status transition, the HTTP client, the options, the backoff, a fresh
report) and hands that, not the engine, to push and pull.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

import sqlite_utils

import core
from core.applications.status import transition
from core.clock import Clock, iso_now
from core.rules import RulePackStore
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.sync import state_keys
from core.sync.attachments import upload_attachments
from core.sync.backoff import Backoff
from core.sync.errors import SyncIssue
from core.sync.http import Answer, SyncHttp
from core.sync.pull import Puller
from core.sync.push import Pusher
from core.sync.report import SyncReport
from core.sync.run import CancelFn as CancelFn  # X as X: re-exported
from core.sync.run import ProgressFn as ProgressFn
from core.sync.run import SyncOptions as SyncOptions
from core.sync.run import SyncRun, issue_for

log = logging.getLogger("loandesk.sync")


class SyncEngine:
    def __init__(
        self,
        db: sqlite_utils.Database,
        rules: RulePackStore | None,
        clock: Clock,
        http: SyncHttp,
        *,
        options: SyncOptions | None = None,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        app_version: str = core.__version__,
    ) -> None:
        self.db = db
        self.rules = rules
        self.clock = clock
        self.http = http
        self.options = options or SyncOptions()
        self.backoff = Backoff(rng=rng or random.Random())
        self.monotonic = monotonic
        self.app_version = app_version
        self.repo = SyncRepo(db)
        self.apps = Repositories(db)
        self._not_before_mono: float | None = None
        self._run = self._new_run(None, None, None)

    # --- one run ------------------------------------------------------------------------
    def _new_run(
        self, progress: ProgressFn | None, cancel: CancelFn | None, started_by: str | None
    ) -> SyncRun:
        """The run state push and pull work with (a fresh report, nothing learned)."""
        return SyncRun(
            db=self.db, repo=self.repo, apps=self.apps, clock=self.clock, http=self.http,
            options=self.options, backoff=self.backoff, rules=self.rules,
            app_version=self.app_version, transition=transition,
            on_progress=progress, should_cancel=cancel, started_by=started_by,
        )  # fmt: skip

    @property
    def report(self) -> SyncReport:
        """The report of the run under way, or of the last one."""
        return self._run.report

    def sync_once(
        self,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        *,
        started_by: str | None = None,
    ) -> SyncReport:
        """One run: push, decisions, rule pack, catalog, blacklists, heartbeat.

        ``progress(phase, done, total)`` is called at each phase ("push", "decisions",
        "rulepack", "catalog", "blacklists", "heartbeat") and after each push batch
        (items settled so far, pending at the start) and decisions page (total 0:
        unknown). ``cancel()`` is checked between batches and pages; what was done
        stays done. Never sleeps; never raises for network or server trouble (it is
        in the report), only for local storage failures.

        ``started_by``: the operator who asked for this run by hand ("Sync now"); the
        status changes and decisions the run records on applications name them. None
        (an automatic run) leaves those audit rows without an operator."""
        run = self._run = self._new_run(progress, cancel, started_by)
        r = run.report
        r.started_at = iso_now(self.clock)
        paused = self.repo.state_get(state_keys.PAUSED)
        wait = self.wait_remaining()
        if paused:
            r.paused = paused
        elif wait > 0:
            r.waiting, r.next_attempt_in = True, wait
            r.notices.append(SyncIssue("SYNC_WAITING", {"seconds": round(wait)}))
        else:
            pusher = Pusher(run)
            stop = self._phases(run, pusher, Puller(run))
            if stop is not None:
                self._stopped(stop)
            pusher.settle_suspects(run.server_ok)
            self._finish(run, stop)
            from core.audit.checkpoint import advance_checkpoint

            advance_checkpoint(self.db)  # this round's audit rows, checkpointed outside the db
        r.pending = self.repo.count_state("pending")
        r.finished_at = iso_now(self.clock)
        return r

    def _phases(self, run: SyncRun, pusher: Pusher, puller: Puller) -> Answer[Any] | None:
        steps: list[tuple[str, Callable[[], Answer[Any] | None]]] = [
            ("push", pusher.run),
            ("attachments", lambda: upload_attachments(run)),  # after their acks
            ("decisions", puller.decisions),
            ("rulepack", puller.rulepack),
            ("catalog", puller.catalog),
            ("blacklists", puller.blacklists),
        ]
        if self.options.heartbeat:
            steps.append(("heartbeat", puller.heartbeat))
        for _ in range(2):  # once more if the epoch changed after the push: re-push now
            for phase, step in steps:
                if run.cancelled():
                    return None
                run.progress(phase, 0, 0)
                stop = step()
                if stop is not None:
                    return stop
            if not run.epoch_restart:
                break
        return None

    def _stopped(self, answer: Answer[Any]) -> None:
        """The run ends early: pause on 401/403, otherwise back off."""
        r = self.report
        if answer.kind in ("unauthorized", "forbidden"):
            reason = "REENROLL_NEEDED" if answer.kind == "unauthorized" else "DEVICE_REVOKED"
            self.repo.state_set(state_keys.PAUSED, reason)  # cleared by enrolling again
            r.paused = reason
            log.warning("sync paused: %s (%s)", reason, answer.detail)
            return
        failures = int(self.repo.state_get(state_keys.FAILURES) or 0)
        self.repo.state_set(state_keys.FAILURES, str(failures + 1))
        wait = self.backoff.delay(failures)
        if answer.kind == "retry_after":
            wait = max(wait, answer.retry_after or 0.0)
            self._set_not_before(wait)
        r.next_attempt_in = wait
        r.errors.append(self.issue_for(answer))
        log.warning("sync stopped: %s %s; next attempt in %.0f s", answer.kind, answer.detail, wait)

    def _finish(self, run: SyncRun, stop: Answer[Any] | None) -> None:
        r = run.report
        now = iso_now(self.clock)
        if run.offset is not None:
            r.clock_offset_s = round(run.offset, 1)
            if abs(run.offset) > self.options.clock_skew_warn_s:
                minutes = round(abs(run.offset) / 60)
                r.notices.append(SyncIssue("SYNC_CLOCK_SKEW", {"minutes": minutes}))
                log.warning("clock offset to the server: %.0f s", run.offset)
        with self.db.atomic():
            if run.server_date is not None and self.rules is not None:
                self.rules.note_server_time(run.server_date)
            if r.clock_offset_s is not None:
                self.repo.state_set(state_keys.CLOCK_OFFSET, str(r.clock_offset_s))
            self.repo.state_set(state_keys.LAST_ATTEMPT_AT, now)
            self.repo.state_set(state_keys.ONLINE, "1" if r.online else "0")
            first = r.errors[0] if r.errors else None
            self.repo.state_set(
                state_keys.LAST_ERROR, json.dumps(first.to_json("en")) if first else None
            )
            if stop is None and not r.cancelled:
                self.repo.state_set(state_keys.LAST_SYNC_AT, now)
                self.repo.state_set(state_keys.FAILURES, None)
        if stop is None and r.next_attempt_in is None:
            r.next_attempt_in = self._next_due_in()

    def _next_due_in(self) -> float:
        interval = self.options.interval_s
        due = self.repo.next_due_at()
        if due is None:
            return interval
        ahead = due - self.clock.now().timestamp()
        if ahead > self.options.horizon_s:  # scheduled by a clock since wound back
            return 0.0
        return max(0.0, min(interval, ahead))

    # --- Retry-After, on the monotonic clock within a process --------------------------
    def _set_not_before(self, seconds: float) -> None:
        self._not_before_mono = self.monotonic() + seconds
        # "<wall time> <seconds asked>": a clock set back since cannot stretch the wait
        until = self.clock.now().timestamp() + seconds
        self.repo.state_set(state_keys.NOT_BEFORE, f"{until} {seconds}")

    def wait_remaining(self) -> float:
        """Seconds the server asked us to stay away still to run (0: go ahead)."""
        if self._not_before_mono is not None:
            return max(0.0, self._not_before_mono - self.monotonic())
        stored = self.repo.state_get(state_keys.NOT_BEFORE)  # set by an earlier process
        if stored is None:
            return 0.0
        try:
            parts = stored.split()
            left = float(parts[0]) - self.clock.now().timestamp()
            asked = float(parts[1]) if len(parts) > 1 else self.options.horizon_s + 24 * 3600
        except (ValueError, IndexError):
            return 0.0
        # more left than the server ever asked for: set by a clock since wound back
        return left if 0 < left <= asked + 1.0 else 0.0

    @staticmethod
    def issue_for(answer: Answer[Any], path: str = "") -> SyncIssue:
        return issue_for(answer, path)
