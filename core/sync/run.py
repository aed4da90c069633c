"""What one sync run's phases work with: :class:`SyncRun`, built by the engine at the
start of each run (``SyncEngine.sync_once``) and handed to push and pull instead of the
engine itself. It holds exactly what they use (the connection and its repositories,
the clock, the status transition, the HTTP client, the options, the backoff, the rule
pack store, who started the run) and what the run learns on the way (its report,
whether the server works, the server's clock and epoch), which the engine reads when
the run ends.

Also the engine's options (:class:`SyncOptions`, re-exported by ``core.sync.engine``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils

from core.applications.status import Transition, transition
from core.clock import Clock
from core.rules import RulePackStore
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.sync import state_keys
from core.sync.backoff import CAP_S, Backoff
from core.sync.errors import SyncIssue
from core.sync.http import Answer, SyncHttp
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


def issue_for(answer: Answer[Any], path: str = "") -> SyncIssue:
    """The report's issue for an answer that stopped a step."""
    code = answer.code or "SYNC_OUTCOME_UNKNOWN"
    params = {
        "detail": answer.detail or answer.kind,
        "status": answer.status if answer.status is not None else "-",
        "seconds": round(answer.retry_after or 0),
        "path": path or answer.detail,
        "url": "",
    }
    return SyncIssue(code, params)


@dataclass
class SyncRun:
    """One run's parts and state; push and pull see nothing else of the engine."""

    db: sqlite_utils.Database  # for db.atomic(): one transaction per batch or page
    repo: SyncRepo  # outbox, cursors, sync_state, decisions
    apps: Repositories  # catalog and audit rows of reference data
    clock: Clock
    http: SyncHttp
    options: SyncOptions
    backoff: Backoff
    rules: RulePackStore | None
    app_version: str
    transition: Transition = transition  # every status change (core.applications.status)
    report: SyncReport = field(default_factory=SyncReport)
    on_progress: ProgressFn | None = None
    should_cancel: CancelFn | None = None
    # the operator who pressed "Sync now"; None: an automatic run (timer, after a save,
    # at start, `main.py sync`). The audit rows the run writes about applications name them.
    started_by: str | None = None
    # learned during the run
    server_ok: bool = False  # some request succeeded: the server works (poison hunt)
    epoch_restart: bool = False  # the epoch changed after the push: push again
    server_date: datetime | None = None
    offset: float | None = None  # server clock minus ours, seconds

    def cancelled(self) -> bool:
        if not self.report.cancelled and self.should_cancel is not None and self.should_cancel():
            self.report.cancelled = True
        return self.report.cancelled

    def progress(self, phase: str, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(phase, done, total)

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
            if self.server_date is None or answer.server_date > self.server_date:
                self.server_date = answer.server_date
            self.offset = answer.clock_offset_s()

    def check_epoch(self, epoch: str) -> bool:
        """True when the server's epoch changed (restored from a backup): every acked
        row without a decision is pending again and the cursors start over."""
        if not epoch:
            return False
        stored = self.repo.state_get(state_keys.SERVER_EPOCH)
        if stored == epoch:
            return False
        with self.db.atomic():
            repushed = self.repo.repend_undecided() if stored is not None else 0
            self.reset_cursors()
            self.repo.state_set(state_keys.SERVER_EPOCH, epoch)
        if stored is None:
            return False
        self.report.repushed += repushed
        self.report.notices.append(SyncIssue("SYNC_EPOCH_CHANGED", {"count": repushed}))
        log.warning("server epoch changed %s -> %s: %d rows pending again", stored, epoch, repushed)
        self.epoch_restart = True
        return True

    def reset_cursors(self) -> None:
        self.repo.state_set(state_keys.DECISIONS_CURSOR, None)
        self.repo.state_set(state_keys.CATALOG_CURSOR, None)
        self.repo.state_delete_prefix(state_keys.BLACKLIST_STATE)

    @staticmethod
    def issue_for(answer: Answer[Any], path: str = "") -> SyncIssue:
        return issue_for(answer, path)


__all__ = ["CancelFn", "ProgressFn", "SyncOptions", "SyncRun", "issue_for"]
