"""The sync engine: push the outbox, pull decisions, rule pack, catalog and blacklists,
then a heartbeat. A plain blocking call with a progress callback and a cancel flag
(the GUI runs it on a worker thread with its own database connection).

Everything time-dependent is injected (clock, monotonic, rng) so fault tests can drive
it. ``sync_once`` never sleeps: when the server says "later" (Retry-After, backoff) the
report carries ``next_attempt_in`` and ``sync --loop`` (or the GUI's timer) waits.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

import core
from core.clock import Clock, iso_now
from core.rules import RulePackStore
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.sync import keys
from core.sync.backoff import CAP_S, Backoff
from core.sync.errors import SyncIssue
from core.sync.http import Answer, SyncHttp
from core.sync.pull import Puller
from core.sync.push import Pusher
from core.sync.report import SyncReport

log = logging.getLogger("loandesk.sync")

ProgressFn = Callable[[str, int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class SyncOptions:
    batch_size: int = 100  # items per push (≤ wire.MAX_BATCH_ITEMS); 413 halves it
    page_size: int = 500  # decisions / catalog per page
    quarantine_after: int = 5  # K failures of an item sent alone...
    quarantine_window_s: float = 3600.0  # ...spanning at least this long
    max_solo_failures: int = 3  # in a row in one run: the server is broken, stop
    clock_skew_warn_s: float = 300.0
    heartbeat: bool = True
    interval_s: float = 60.0  # next_attempt_in after a clean run (sync --loop)
    # a wait stored further ahead than this was set by a clock since wound back
    horizon_s: float = CAP_S + 60.0


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
        self.pusher = Pusher(self)
        self.puller = Puller(self)
        self._not_before_mono: float | None = None
        self._reset_run(None, None)

    # --- one run ------------------------------------------------------------------------
    def _reset_run(self, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        self.report = SyncReport()
        self._progress = progress
        self._cancel = cancel
        self.server_ok = False  # some request succeeded: the server works (poison hunt)
        self.epoch_restart = False
        self._server_date: datetime | None = None
        self._offset: float | None = None

    def sync_once(
        self, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> SyncReport:
        """One run: push, decisions, rule pack, catalog, blacklists, heartbeat.

        ``progress(phase, done, total)`` is called at each phase ("push", "decisions",
        "rulepack", "catalog", "blacklists", "heartbeat") and after each push batch
        (items settled so far, pending at the start) and decisions page (total 0:
        unknown). ``cancel()`` is checked between batches and pages; what was done
        stays done. Never sleeps; never raises for network or server trouble (it is
        in the report), only for local storage failures."""
        self._reset_run(progress, cancel)
        r = self.report
        r.started_at = iso_now(self.clock)
        paused = self.repo.state_get(keys.PAUSED)
        wait = self.wait_remaining()
        if paused:
            r.paused = paused
        elif wait > 0:
            r.waiting, r.next_attempt_in = True, wait
            r.notices.append(SyncIssue("SYNC_WAITING", {"seconds": round(wait)}))
        else:
            stop = self._phases()
            if stop is not None:
                self._stopped(stop)
            self.pusher.settle_suspects(self.server_ok)
            self._finish(stop)
            from core.audit import advance_checkpoint

            advance_checkpoint(self.db)  # this round's audit rows, checkpointed outside the db
        r.pending = self.repo.count_state("pending")
        r.finished_at = iso_now(self.clock)
        return r

    def _phases(self) -> Answer[Any] | None:
        steps: list[tuple[str, Callable[[], Answer[Any] | None]]] = [
            ("push", self.pusher.run),
            ("decisions", self.puller.decisions),
            ("rulepack", self.puller.rulepack),
            ("catalog", self.puller.catalog),
            ("blacklists", self.puller.blacklists),
        ]
        if self.options.heartbeat:
            steps.append(("heartbeat", self.puller.heartbeat))
        for _ in range(2):  # once more if the epoch changed after the push: re-push now
            for phase, step in steps:
                if self.cancelled():
                    return None
                self.progress(phase, 0, 0)
                stop = step()
                if stop is not None:
                    return stop
            if not self.epoch_restart:
                break
        return None

    def _stopped(self, answer: Answer[Any]) -> None:
        """The run ends early: pause on 401/403, otherwise back off."""
        r = self.report
        if answer.kind in ("unauthorized", "forbidden"):
            reason = "REENROLL_NEEDED" if answer.kind == "unauthorized" else "DEVICE_REVOKED"
            self.repo.state_set(keys.PAUSED, reason)  # cleared by enrolling again
            r.paused = reason
            log.warning("sync paused: %s (%s)", reason, answer.detail)
            return
        failures = int(self.repo.state_get(keys.FAILURES) or 0)
        self.repo.state_set(keys.FAILURES, str(failures + 1))
        wait = self.backoff.delay(failures)
        if answer.kind == "retry_after":
            wait = max(wait, answer.retry_after or 0.0)
            self._set_not_before(wait)
        r.next_attempt_in = wait
        r.errors.append(self.issue_for(answer))
        log.warning("sync stopped: %s %s; next attempt in %.0f s", answer.kind, answer.detail,
                    wait)

    def _finish(self, stop: Answer[Any] | None) -> None:
        r = self.report
        now = iso_now(self.clock)
        if self._offset is not None:
            r.clock_offset_s = round(self._offset, 1)
            if abs(self._offset) > self.options.clock_skew_warn_s:
                minutes = round(abs(self._offset) / 60)
                r.notices.append(SyncIssue("SYNC_CLOCK_SKEW", {"minutes": minutes}))
                log.warning("clock offset to the server: %.0f s", self._offset)
        with self.db.atomic():
            if self._server_date is not None and self.rules is not None:
                self.rules.note_server_time(self._server_date)
            if r.clock_offset_s is not None:
                self.repo.state_set(keys.CLOCK_OFFSET, str(r.clock_offset_s))
            self.repo.state_set(keys.LAST_ATTEMPT_AT, now)
            self.repo.state_set(keys.ONLINE, "1" if r.online else "0")
            first = r.errors[0] if r.errors else None
            self.repo.state_set(
                keys.LAST_ERROR, json.dumps(first.to_json("en")) if first else None
            )
            if stop is None and not r.cancelled:
                self.repo.state_set(keys.LAST_SYNC_AT, now)
                self.repo.state_set(keys.FAILURES, None)
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
        self.repo.state_set(keys.NOT_BEFORE, f"{until} {seconds}")

    def wait_remaining(self) -> float:
        """Seconds the server asked us to stay away still to run (0: go ahead)."""
        if self._not_before_mono is not None:
            return max(0.0, self._not_before_mono - self.monotonic())
        stored = self.repo.state_get(keys.NOT_BEFORE)  # set by an earlier process
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

    # --- helpers for the phases ---------------------------------------------------------
    def cancelled(self) -> bool:
        if not self.report.cancelled and self._cancel is not None and self._cancel():
            self.report.cancelled = True
        return self.report.cancelled

    def progress(self, phase: str, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(phase, done, total)

    def wall_now(self) -> float:
        return self.clock.now().timestamp()

    def note(self, answer: Answer[Any]) -> None:
        """Remember what a usable answer tells about the server (reachable, its clock).
        Only answers that are used: a malformed one changes nothing."""
        if answer.status is not None:
            self.report.online = True
        if not answer.ok and answer.kind not in ("not_found", "gone"):
            return
        self.server_ok = True
        if answer.server_date is not None:
            if self._server_date is None or answer.server_date > self._server_date:
                self._server_date = answer.server_date
            self._offset = answer.clock_offset_s()

    def check_epoch(self, epoch: str) -> bool:
        """True when the server's epoch changed (restored from a backup): every acked
        row without a decision is pending again and the cursors start over."""
        if not epoch:
            return False
        stored = self.repo.state_get(keys.SERVER_EPOCH)
        if stored == epoch:
            return False
        with self.db.atomic():
            repushed = self.repo.repend_undecided() if stored is not None else 0
            self.reset_cursors()
            self.repo.state_set(keys.SERVER_EPOCH, epoch)
        if stored is None:
            return False
        self.report.repushed += repushed
        self.report.notices.append(SyncIssue("SYNC_EPOCH_CHANGED", {"count": repushed}))
        log.warning("server epoch changed %s -> %s: %d rows pending again", stored, epoch,
                    repushed)
        self.epoch_restart = True
        return True

    def reset_cursors(self) -> None:
        self.repo.state_set(keys.DECISIONS_CURSOR, None)
        self.repo.state_set(keys.CATALOG_CURSOR, None)
        self.repo.state_delete_prefix(keys.BLACKLIST_STATE)

    @staticmethod
    def issue_for(answer: Answer[Any], path: str = "") -> SyncIssue:
        code = answer.code or "SYNC_OUTCOME_UNKNOWN"
        params = {
            "detail": answer.detail or answer.kind,
            "status": answer.status if answer.status is not None else "-",
            "seconds": round(answer.retry_after or 0),
            "path": path or answer.detail,
            "url": "",
        }
        return SyncIssue(code, params)
