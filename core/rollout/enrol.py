"""Enrolling from the rollout settings (once, with no typing) or by hand on the first-run
screen, through the audited path; the outcome is recorded for ``check`` and the screen.
The enrollment code is never logged, stored or shown."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core import i18n
from core.config import Paths
from core.rollout.model import ENROL_KEYS, LANGUAGES, RolloutConfig

if TYPE_CHECKING:
    from core.clock import Clock
    from core.context import AppContext
    from core.operators.actor import Actor
    from core.sync.http import Timeouts
    from core.sync.service import SyncStatus

log = logging.getLogger("loandesk.rollout")

#: sync_state key of the last enrollment attempt made from here (JSON, never the code)
LAST_ENROLMENT_KEY = "rollout_last_enrolment"
#: refusals that the same values will always meet again: never retried by themselves
REFUSAL_CODES = frozenset({"SYNC_ENROLL_REFUSED", "SYNC_SERVER_URL_INVALID"})
#: how long a start waits for the server at most (the window shows the wait)
AUTO_TIMEOUTS = (5.0, 15.0, 20.0)  # connect, read, whole call (seconds)

_ENROL_LOCK = threading.Lock()  # one enrollment at a time in this process


# --- enrolling ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloutOutcome:
    """What an enrollment from here did (or why it did not try)."""

    status: str  # enrolled | failed | already_enrolled | not_configured | not_attempted |
    #              refused_before
    how: str  # auto | manual
    at: str
    server_url: str | None = None
    store_code: str | None = None
    store_name: str = ""
    code: str = ""  # SyncError code when failed
    params: Mapping[str, Any] = field(default_factory=dict)
    fingerprint: str = ""  # of server, store and code (not reversible to the code)

    @property
    def ok(self) -> bool:
        return self.status in ("enrolled", "already_enrolled")

    @property
    def attempted(self) -> bool:
        return self.status in ("enrolled", "failed")

    def reason(self, lang: str | None = None) -> str:
        """The SyncError's text (failed, refused_before), else ""."""
        return i18n.translate(self.code, lang, **self.params) if self.code else ""

    def text(self, lang: str | None = None) -> str:
        server, store = self.server_url or "-", self.store_code or "-"
        if self.status == "enrolled":
            return i18n.translate(
                "ROLLOUT_ENROLLED", lang, server=server, store=store, name=self.store_name
            ).strip()
        if self.status == "already_enrolled":
            return i18n.translate("ROLLOUT_ALREADY_ENROLLED", lang, server=server, store=store)
        if self.status == "failed":
            return i18n.translate("ROLLOUT_FAILED", lang, reason=self.reason(lang))
        if self.status == "refused_before":
            return i18n.translate(
                "ROLLOUT_REFUSED_BEFORE",
                lang,
                at=self.params.get("refused_at", "?"),
                reason=self.reason(lang),
            )
        if self.status == "not_attempted":
            problems = self.params.get("problems", {})
            text = (
                problems.get(i18n.normalize_language(lang), "")
                if isinstance(problems, dict)
                else ""
            )
            return i18n.translate("ROLLOUT_NOT_ATTEMPTED", lang, problems=text)
        return i18n.translate("ROLLOUT_NOT_CONFIGURED", lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "how": self.how,
            "at": self.at,
            "server_url": self.server_url,
            "store_code": self.store_code,
            "store_name": self.store_name,
            "code": self.code,
            "params": dict(self.params),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RolloutOutcome:
        params = data.get("params")
        return cls(
            status=str(data.get("status", "")),
            how=str(data.get("how", "")),
            at=str(data.get("at", "")),
            server_url=data.get("server_url"),
            store_code=data.get("store_code"),
            store_name=str(data.get("store_name") or ""),
            code=str(data.get("code") or ""),
            params=params if isinstance(params, dict) else {},
            fingerprint=str(data.get("fingerprint") or ""),
        )


def enrolment_status(ctx: AppContext) -> SyncStatus:
    """Is this PC enrolled, with which server and store (and is sync paused)?"""
    if ctx.sync is None:
        raise RuntimeError("this context has no sync service")
    return ctx.sync.sync_state()


def is_enrolled(ctx: AppContext) -> bool:
    return enrolment_status(ctx).enrolled


def last_outcome(ctx: AppContext) -> RolloutOutcome | None:
    """The last enrollment tried from the rollout settings or the first-run screen."""
    from core.store.sync_repo import SyncRepo

    return _parse_outcome(SyncRepo(ctx.db).state_get(LAST_ENROLMENT_KEY))


def enroll_from_rollout(
    ctx: AppContext, config: RolloutConfig, *, timeouts: Timeouts | None = None
) -> RolloutOutcome:
    """Enroll this PC with the rollout settings if it is not enrolled yet: one try, on
    this context's connection (so on its thread), through AdminService (audited).

    Does not try when the settings are incomplete or have problems, when the PC is
    enrolled already, or when the same server, store and code were refused before (a
    refused code never goes out again by itself). An attempt's outcome is recorded for
    ``check`` and the first-run screen. Network trouble is an outcome, not an exception."""
    at = _now(ctx)
    state = enrolment_status(ctx)
    if state.enrolled:
        return RolloutOutcome("already_enrolled", "auto", at, state.server_url, state.store_code)
    if not config.names_enrolment:
        return RolloutOutcome("not_configured", "auto", at)
    if not config.can_enroll:
        bad = [p for p in config.problems if p.key in (*ENROL_KEYS, "incomplete")]
        return RolloutOutcome(
            "not_attempted",
            "auto",
            at,
            config.server_url,
            config.store_code,
            params={"problems": {lang: "; ".join(p.text(lang) for p in bad) for lang in LANGUAGES}},
        )
    assert config.server_url and config.store_code and config.enrollment_code
    with _ENROL_LOCK:
        state = enrolment_status(ctx)
        if state.enrolled:
            return RolloutOutcome(
                "already_enrolled", "auto", at, state.server_url, state.store_code
            )
        fingerprint = _fingerprint(
            ctx, config.server_url, config.store_code, config.enrollment_code
        )
        last = last_outcome(ctx)
        if (
            last is not None
            and last.status == "failed"
            and last.code in REFUSAL_CODES
            and last.fingerprint == fingerprint
        ):
            log.info("automatic enrollment not tried: the same values were refused at %s", last.at)
            return RolloutOutcome(
                "refused_before",
                "auto",
                at,
                config.server_url,
                config.store_code,
                code=last.code,
                params={**last.params, "refused_at": last.at},
                fingerprint=fingerprint,
            )
        log.info(
            "automatic enrollment with %s as store %s (from %s)",
            config.server_url,
            config.store_code,
            ", ".join(sorted(set(config.sources.values()))),
        )
        return _enroll(
            ctx,
            None,
            "auto",
            config.server_url,
            config.store_code,
            config.enrollment_code,
            fingerprint,
            timeouts or _timeouts(AUTO_TIMEOUTS),
        )


def enroll_by_hand(
    ctx: AppContext,
    server_url: str,
    store_code: str,
    code: str,
    *,
    actor: Actor | None = None,
    timeouts: Timeouts | None = None,
) -> RolloutOutcome:
    """The first-run screen's "Enroll": like ``main.py enroll`` (audited, CHANGE_SETTINGS
    for ``actor``, default the context's), with the outcome recorded. A refusal or network
    trouble is returned as a ``failed`` outcome; PermissionDenied is raised."""
    server, store, secret = server_url.strip(), store_code.strip(), code.strip()
    with _ENROL_LOCK:
        fingerprint = _fingerprint(ctx, server, store, secret)
        return _enroll(
            ctx,
            actor,
            "manual",
            server,
            store,
            secret,
            fingerprint,
            timeouts or _timeouts(AUTO_TIMEOUTS),
        )


def run_auto_enrolment(
    paths: Paths,
    config: RolloutConfig,
    *,
    clock: Clock | None = None,
    timeouts: Timeouts | None = None,
) -> RolloutOutcome:
    """:func:`enroll_from_rollout` on a context of its own (for a worker thread: a
    connection stays on the thread that opened it)."""
    from core.context import open_context

    ctx = open_context(paths, clock)
    try:
        return enroll_from_rollout(ctx, config, timeouts=timeouts)
    finally:
        ctx.close()


def run_enroll_by_hand(
    paths: Paths,
    server_url: str,
    store_code: str,
    code: str,
    *,
    clock: Clock | None = None,
    actor: Actor | None = None,
    timeouts: Timeouts | None = None,
) -> RolloutOutcome:
    """:func:`enroll_by_hand` on a context of its own (for a worker thread)."""
    from core.context import open_context

    ctx = open_context(paths, clock)
    try:
        return enroll_by_hand(ctx, server_url, store_code, code, actor=actor, timeouts=timeouts)
    finally:
        ctx.close()


def _enroll(
    ctx: AppContext,
    actor: Actor | None,
    how: str,
    server: str,
    store: str,
    secret: str,
    fingerprint: str,
    timeouts: Timeouts,
) -> RolloutOutcome:
    from core.admin import AdminService
    from core.sync.errors import SyncError

    try:
        done = AdminService.of(ctx, actor).enroll(server, store, secret, timeouts=timeouts)
    except SyncError as exc:
        params = {k: _scrub(v, secret) for k, v in exc.params.items()}
        outcome = RolloutOutcome(
            "failed",
            how,
            _now(ctx),
            server,
            store,
            code=exc.code,
            params=params,
            fingerprint=fingerprint,
        )
        log.warning("enrollment (%s) with %s as store %s failed: %s", how, server, store, exc.code)
    else:
        outcome = RolloutOutcome(
            "enrolled",
            how,
            _now(ctx),
            done.server_url,
            done.store_code,
            done.store_name,
            fingerprint=fingerprint,
        )
    _record(ctx, outcome)
    return outcome


def _record(ctx: AppContext, outcome: RolloutOutcome) -> None:
    from core.store.sync_repo import SyncRepo

    with ctx.db.atomic():
        SyncRepo(ctx.db).state_set(
            LAST_ENROLMENT_KEY, json.dumps(outcome.to_json(), ensure_ascii=False)
        )


def _parse_outcome(text: str | None) -> RolloutOutcome | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return RolloutOutcome.from_json(data) if isinstance(data, dict) else None


def _scrub(value: Any, secret: str) -> Any:
    if isinstance(value, str) and secret and secret in value:
        return value.replace(secret, "***")
    return value


def _fingerprint(ctx: AppContext, server: str, store: str, secret: str) -> str:
    """32 bits of an HMAC keyed with this PC's device id: enough to tell "the same values
    again", far too short to recover the code from."""
    from core.store.repositories import Repositories

    key = (Repositories(ctx.db).meta_get("device_id") or "loandesk").encode("utf-8")
    normal = "".join(ch for ch in secret.upper() if ch.isalnum())
    message = f"{server.rstrip('/')}\n{store.strip().upper()}\n{normal}".encode()
    import hashlib
    import hmac

    return hmac.new(key, message, hashlib.sha256).hexdigest()[:8]


def _now(ctx: AppContext) -> str:
    from core.clock import iso_now

    return iso_now(ctx.clock)


def _timeouts(values: tuple[float, float, float]) -> Timeouts:
    from core.sync.http import Timeouts

    return Timeouts(connect=values[0], read=values[1], deadline=values[2])
