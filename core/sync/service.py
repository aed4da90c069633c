"""What the screens (and the CLI) ask of sync: the status bar's numbers, the sync
panel's problem items, a decision, enrolling, and running the engine.

A ``SyncService`` is bound to one database connection and so to one thread. The GUI
keeps one on the GUI thread for reads and builds another on its worker thread, on the
worker's own connection, for :meth:`sync_once`.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from core import i18n
from core.clock import Clock
from core.rules import RulePackStore
from core.store.sync_repo import DecisionRecord, OutboxItem, SyncRepo
from core.sync import state_keys, tokens
from core.sync.engine import CancelFn, ProgressFn, SyncEngine, SyncOptions
from core.sync.enroll import Enrollment, enroll
from core.sync.errors import SyncError
from core.sync.http import SyncHttp, Timeouts
from core.sync.report import SyncReport


@dataclass(frozen=True)
class SyncStatus:
    """The status bar and the sync panel's header."""

    enrolled: bool
    server_url: str | None
    store_code: str | None
    online: bool | None  # None: never tried; else whether the last run reached the server
    paused_reason: str | None  # REENROLL_NEEDED | DEVICE_REVOKED
    last_sync_at: str | None  # the last run that completed
    last_attempt_at: str | None
    last_error: dict[str, Any] | None  # {"code", "params", "message"}
    pending: int
    rejected: int
    quarantined: int
    clock_offset_s: float | None

    def message(self, lang: str | None = None) -> str:
        """What to tell the user now ("" when all is well)."""
        if not self.enrolled:
            return i18n.translate("SYNC_NOT_ENROLLED", lang)
        if self.paused_reason:
            return i18n.translate(f"SYNC_{self.paused_reason}", lang)
        if self.last_error:
            code = str(self.last_error.get("code", ""))
            params = self.last_error.get("params")
            return i18n.translate(code, lang, **(params if isinstance(params, dict) else {}))
        return ""


@dataclass(frozen=True)
class ProblemItem:
    """A rejected or quarantined outbox row, for the sync panel."""

    op_id: str
    application_id: str
    customer_name: str
    created_at: str
    state: str  # rejected | quarantined
    code: str
    error: dict[str, Any]
    attempts: int
    last_http_status: int | None

    def text(self, lang: str | None = None) -> str:
        params = {
            "reasons": self.error.get("text", ""),
            "server_rev": self.error.get("server_rev", "-"),
            "failures": self.error.get("failures", self.attempts),
            "detail": self.error.get("detail", ""),
            "status": self.last_http_status or "-",
        }
        return i18n.translate(self.code, lang, **params)


class SyncService:
    def __init__(
        self,
        db: sqlite_utils.Database,
        clock: Clock,
        *,
        rules: RulePackStore | None = None,
        settings: Any = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._rules = rules
        self._settings = settings
        self._repo = SyncRepo(db)

    # --- reads for the status bar and the sync panel ----------------------------------
    def pending_count(self) -> int:
        return self._repo.count_state("pending")

    def last_sync_at(self) -> str | None:
        return self._repo.state_get(state_keys.LAST_SYNC_AT)

    def sync_state(self) -> SyncStatus:
        s = self._repo.state_all()
        online = s.get(state_keys.ONLINE)
        error: dict[str, Any] | None = None
        if s.get(state_keys.LAST_ERROR):
            try:
                loaded = json.loads(s[state_keys.LAST_ERROR])
                error = loaded if isinstance(loaded, dict) else None
            except ValueError:
                error = None
        offset = s.get(state_keys.CLOCK_OFFSET)
        return SyncStatus(
            enrolled=bool(s.get(state_keys.SERVER_URL)),
            server_url=s.get(state_keys.SERVER_URL),
            store_code=s.get(state_keys.STORE_CODE),
            online=None if online is None else online == "1",
            paused_reason=s.get(state_keys.PAUSED),
            last_sync_at=s.get(state_keys.LAST_SYNC_AT),
            last_attempt_at=s.get(state_keys.LAST_ATTEMPT_AT),
            last_error=error,
            pending=self._repo.count_state("pending"),
            rejected=self._repo.count_state("rejected"),
            quarantined=self._repo.count_state("quarantined"),
            clock_offset_s=float(offset) if offset else None,
        )

    def rejected_items(self, offset: int = 0, limit: int = 1000) -> list[ProblemItem]:
        """Items head office refused (invalid, conflict): never resent, shown with the
        reasons. Their applications stay ``queued``."""
        return [self._problem(i) for i in self._repo.items("rejected", offset, limit)]

    def quarantined_items(self, offset: int = 0, limit: int = 1000) -> list[ProblemItem]:
        return [self._problem(i) for i in self._repo.items("quarantined", offset, limit)]

    def decision(self, app_id: str) -> DecisionRecord | None:
        return self._repo.decision(app_id)

    def _problem(self, item: OutboxItem) -> ProblemItem:
        error = item.error()
        code = str(error.get("code", "SYNC_ERROR"))
        if item.state == "quarantined":
            error = {**error, "failures": item.solo_failures, "cause": code}
            code = "SYNC_ITEM_QUARANTINED"
        try:
            name = str(json.loads(item.payload)["application"]["customer"]["name"])
        except (ValueError, KeyError, TypeError):
            name = ""
        return ProblemItem(
            item.op_id,
            item.application_id,
            name,
            item.created_at,
            item.state,
            code,
            error,
            item.attempts,
            item.last_http_status,
        )

    # --- actions ----------------------------------------------------------------------------
    def requeue(self, op_id: str) -> bool:
        """Send a quarantined item again (after IT fixed the cause)."""
        with self._db.atomic():
            return self._repo.requeue(op_id)

    def export_quarantined(
        self, path: Path, before_publish: Callable[[int], None] | None = None
    ) -> int:
        """Quarantined items, payload included, as JSON lines for IT; returns how many.

        Written to ``<path>.part`` first; ``before_publish(count)`` (the caller's audit
        row) runs before the file takes its name, so a file with personal data never
        appears unaudited, and any failure leaves no file behind."""
        part = path.with_name(path.name + ".part")
        count, offset = 0, 0
        try:
            with open(part, "w", encoding="utf-8") as out:
                while True:
                    items = self._repo.items("quarantined", offset, 500)
                    if not items:
                        break
                    offset += len(items)
                    for i in items:
                        record = {
                            "op_id": i.op_id,
                            "application_id": i.application_id,
                            "created_at": i.created_at,
                            "attempts": i.attempts,
                            "solo_failures": i.solo_failures,
                            "error": i.error(),
                            "last_http_status": i.last_http_status,
                            "payload_sha256": i.payload_sha256,
                            "payload": json.loads(i.payload),
                        }
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                        count += 1
                out.flush()
                os.fsync(out.fileno())
            if before_publish is not None:
                before_publish(count)
            os.replace(part, path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return count

    def enroll(
        self, server_url: str, store_code: str, code: str, *, timeouts: Timeouts | None = None
    ) -> Enrollment:
        return enroll(
            self._db,
            self._clock,
            server_url,
            store_code,
            code,
            settings=self._settings,
            timeouts=timeouts,
            ca_bundle=self.ca_bundle(),
        )

    def ca_bundle(self) -> str | None:
        """The ``ca_bundle`` setting (a CA file for a private server certificate), if
        this build's settings know it and it is set."""
        getter: Callable[[str], Any] | None = getattr(self._settings, "get", None)
        if getter is None:
            return None
        try:
            value = getter("ca_bundle")
        except (KeyError, ValueError):
            return None
        return value if isinstance(value, str) and value else None

    def engine(
        self,
        *,
        timeouts: Timeouts | None = None,
        options: SyncOptions | None = None,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> SyncEngine:
        """An engine on this service's connection; SyncError SYNC_NOT_ENROLLED or
        SYNC_REENROLL_NEEDED (no token) or SYNC_KEYRING_UNAVAILABLE. Close its
        ``http`` when done (or use :meth:`sync_once`)."""
        url = self._repo.state_get(state_keys.SERVER_URL)
        device_id = self._repo.state_get(state_keys.DEVICE_ID)
        if not url or not device_id:
            raise SyncError("SYNC_NOT_ENROLLED")
        token = tokens.load_token(device_id)
        if not token:
            # Enrolled, but the keyring lost the token (another Windows user, a wiped
            # Credential Manager): a pause the status bar and `check` must show.
            self._repo.state_set(state_keys.PAUSED, "REENROLL_NEEDED")
            raise SyncError("SYNC_REENROLL_NEEDED")
        http = SyncHttp(
            url, token=token, timeouts=timeouts, ca_bundle=self.ca_bundle(), clock=self._clock
        )
        extra: dict[str, Any] = {"monotonic": monotonic} if monotonic is not None else {}
        return SyncEngine(
            self._db, self._rules, self._clock, http, options=options, rng=rng, **extra
        )

    def sync_once(
        self,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        *,
        started_by: str | None = None,
        **engine_options: Any,
    ) -> SyncReport:
        """One run on a fresh engine (``SyncEngine.sync_once``); ``started_by``: the
        operator who asked for it by hand, None for an automatic run."""
        engine = self.engine(**engine_options)
        try:
            return engine.sync_once(progress, cancel, started_by=started_by)
        finally:
            engine.http.close()
