"""Everything a running LoanDesk needs, opened in one place and passed down
(no global singletons): paths, settings, the database and the services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlite_utils

from core.applications import Actor, ApplicationService
from core.clock import Clock, SystemClock, iso_now
from core.config import Paths, Settings
from core.ids import uuid7
from core.retention import purge_personal_data
from core.rules import PackError, RulePackStore, load_trusted_keys
from core.security.permissions import Role
from core.store.db import open_database
from core.store.repositories import Repositories
from core.store.vault import keyring_unlock
from core.sync.service import SyncService

DEFAULT_OPERATOR_LOGIN = "clerk"

log = logging.getLogger("loandesk.context")


@dataclass
class AppContext:
    paths: Paths
    settings: Settings
    db: sqlite_utils.Database
    actor: Actor
    applications: ApplicationService
    clock: Clock = field(default_factory=SystemClock)
    rules: RulePackStore | None = None
    sync: SyncService | None = None  # on this context's connection (GUI thread reads)

    def close(self) -> None:
        self.db.close()


def _ensure_actor(db: sqlite_utils.Database, settings: Settings, clock: Clock) -> Actor:
    """The store this PC belongs to and the operator at the counter.

    Until operator accounts exist (the security issue), one clerk account per store.
    """
    repo = Repositories(db)
    code = settings.get("store_code")
    at = iso_now(clock)
    with db.atomic():
        store = repo.store_by_code(code)
        if store is None:
            repo.insert_store(
                uuid7(), code, settings.get("store_name"), settings.get("store_city"), at
            )
            store = repo.store_by_code(code)
        assert store is not None
        operator = repo.operator_by_login(DEFAULT_OPERATOR_LOGIN)
        if operator is None:
            repo.insert_operator(
                uuid7(), store["id"], DEFAULT_OPERATOR_LOGIN, "门店专员", "clerk", at
            )
            operator = repo.operator_by_login(DEFAULT_OPERATOR_LOGIN)
        assert operator is not None
        if repo.meta_get("device_id") is None:
            repo.meta_set("device_id", uuid7())
    return Actor(store_id=store["id"], operator_id=operator["id"], role=Role(operator["role"]))


def open_context(paths: Paths, clock: Clock | None = None) -> AppContext:
    clock = clock or SystemClock()
    paths.ensure()
    settings = Settings(paths.settings_file)
    # keys from the OS keyring or a SecurityError: never plain text (issue 5)
    db = open_database(paths.database, backups_dir=paths.backups, unlock=keyring_unlock)
    actor = _ensure_actor(db, settings, clock)
    try:
        keys = load_trusted_keys()
    except PackError as exc:  # no pinned key: no pack can be trusted, so RULES_STALE
        log.error("trusted rule-pack keys unavailable: %s", exc)
        keys = {}
    rules = RulePackStore(db, keys, clock)
    rules.ensure_bundled()  # a fresh install pre-screens on day one
    service = ApplicationService(db, actor, clock, rules=rules)
    sync = SyncService(db, clock, rules=rules, settings=settings)
    purge_personal_data(db, clock, settings.get("retention_days"))  # cheap when nothing is due
    return AppContext(paths, settings, db, actor, service, clock, rules, sync)
