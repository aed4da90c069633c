"""Guarded entry points for what the screens used to call directly on ``ctx.rules``,
``ctx.settings`` and ``ctx.sync``: loading a rule pack from a file, changing settings,
enrolling this PC, syncing by hand, re-queueing and exporting kept-aside items.

Each checks the actor's role first (core.security.permissions; PermissionDenied
otherwise) and leaves an audit row naming the operator. Audit details carry codes,
counts and ids only: never the enrollment code, a payload or personal data.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlite_utils

from core.applications.reads import Actor, writing
from core.clock import Clock, iso_now
from core.ids import uuid7
from core.operators import access
from core.rules import PackError, RulePack, RulePackStore
from core.security.permissions import Permission
from core.store.repositories import Repositories

if TYPE_CHECKING:
    from core.config import Settings
    from core.context import AppContext
    from core.sync.engine import CancelFn, ProgressFn
    from core.sync.enroll import Enrollment
    from core.sync.http import Timeouts
    from core.sync.report import SyncReport
    from core.sync.service import SyncService

log = logging.getLogger("loandesk.admin")
T = TypeVar("T")


class AdminService:
    """One actor's guarded access to rules, settings and sync on one connection."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        clock: Clock,
        actor: Actor,
        *,
        rules: RulePackStore | None = None,
        settings: Settings | None = None,
        sync: SyncService | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._actor = actor
        self._rules = rules
        self._settings = settings
        self._sync = sync

    @classmethod
    def of(cls, ctx: AppContext, actor: Actor | None = None) -> AdminService:
        """Over ``ctx``'s connection, acting as ``actor`` (default: the context's)."""
        return cls(
            ctx.db,
            ctx.clock,
            actor or ctx.applications.actor,
            rules=ctx.rules,
            settings=ctx.settings,
            sync=ctx.sync,
        )

    @property
    def actor(self) -> Actor:
        return self._actor

    # --- rule packs -------------------------------------------------------------------------
    def install_rule_pack(self, data: bytes) -> RulePack:
        """Verify and activate a pack from a file (USB stick): LOAD_RULE_PACK. A refusal
        (PackError) is audited too, with its code, and leaves the active pack."""
        access.require_current(self._db, self._actor, Permission.LOAD_RULE_PACK)
        rules = self._need(self._rules, "rules")
        try:
            pack = rules.install(data, "file")
        except PackError as exc:
            self._audit("rule_pack_refused", "rule_pack", "", {"code": exc.code})
            raise
        self._audit(
            "rule_pack_loaded",
            "rule_pack",
            pack.pack_id,
            {"version": pack.version, "sha256": pack.sha256[:16]},
        )
        return pack

    # --- settings and enrollment -------------------------------------------------------------
    def set_setting(self, name: str, value: Any) -> None:
        """Change one setting of this PC: CHANGE_SETTINGS (the name is audited, not the
        value)."""
        access.require_current(self._db, self._actor, Permission.CHANGE_SETTINGS)
        self._need(self._settings, "settings").set(name, value)
        self._audit("setting_changed", "setting", name, None)

    def enroll(
        self, server_url: str, store_code: str, code: str, *, timeouts: Timeouts | None = None
    ) -> Enrollment:
        """Enroll this PC with head office: CHANGE_SETTINGS. The one-time code is never
        recorded."""
        access.require_current(self._db, self._actor, Permission.CHANGE_SETTINGS)
        done = self._need(self._sync, "sync").enroll(
            server_url, store_code, code, timeouts=timeouts
        )
        self._audit(
            "enrolled",
            "device",
            done.device_id,
            {"store_code": done.store_code, "server_url": done.server_url},
        )
        return done

    # --- sync -----------------------------------------------------------------------------
    def sync_once(
        self,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        *,
        manual: bool = True,
        **engine_options: Any,
    ) -> SyncReport:
        """One sync run: SYNC. A run asked for by hand ("Sync now") is audited, and
        the status changes and decisions it records on applications name the operator;
        the automatic ones every minute are not audited (they would drown the log) and
        their rows name no operator."""
        access.require_current(self._db, self._actor, Permission.SYNC)
        sync = self._need(self._sync, "sync")
        started_by = None
        if manual:
            self._audit("sync_requested", "device", self._device_id(), None)
            started_by = self._actor.operator_id
        return sync.sync_once(progress, cancel, started_by=started_by, **engine_options)

    def requeue(self, op_id: str) -> bool:
        """Send a kept-aside (quarantined) item again: SYNC."""
        access.require_current(self._db, self._actor, Permission.SYNC)
        done = self._need(self._sync, "sync").requeue(op_id)
        if done:
            self._audit("requeued", "outbox", op_id, None)
        return done

    def export_quarantined(self, path: Path) -> int:
        """Kept-aside items WITH their payloads (personal data) for IT: EXPORT."""
        access.require_current(self._db, self._actor, Permission.EXPORT)
        return self._need(self._sync, "sync").export_quarantined(
            path,  # audited before the file takes its name; nothing left on failure
            lambda count: self._audit(
                "exported", "export", uuid7(), {"count": count, "kind": "quarantined"}
            ),
        )

    # --- plumbing ---------------------------------------------------------------------------
    def _audit(
        self, action: str, target_type: str, target_id: str, detail: dict[str, Any] | None
    ) -> None:
        with writing(self._db):
            Repositories(self._db).audit(
                iso_now(self._clock),
                self._actor.operator_id,
                action,
                target_type,
                target_id,
                detail=detail,
            )
        log.info("%s by operator %s", action, self._actor.operator_id)

    def _device_id(self) -> str:
        return Repositories(self._db).meta_get("device_id") or ""

    @staticmethod
    def _need(part: T | None, name: str) -> T:
        if part is None:
            raise RuntimeError(f"this context has no {name}")
        return part
