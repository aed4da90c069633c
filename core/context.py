"""Everything a running LoanDesk needs, opened in one place and passed down
(no global singletons): paths, settings, the database and the services."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from core.applications import Actor, ApplicationService
from core.clock import Clock, SystemClock, iso_now
from core.config import Paths, Settings
from core.ids import uuid7
from core.store.db import open_database
from core.store.repositories import Repositories

DEFAULT_OPERATOR_LOGIN = "clerk"


@dataclass
class AppContext:
    paths: Paths
    settings: Settings
    db: sqlite_utils.Database
    actor: Actor
    applications: ApplicationService
    clock: Clock = field(default_factory=SystemClock)

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
    return Actor(store_id=store["id"], operator_id=operator["id"])


def open_context(paths: Paths, clock: Clock | None = None) -> AppContext:
    clock = clock or SystemClock()
    paths.ensure()
    settings = Settings(paths.settings_file)
    db = open_database(paths.database, backups_dir=paths.backups)
    actor = _ensure_actor(db, settings, clock)
    service = ApplicationService(db, actor, clock)
    return AppContext(paths, settings, db, actor, service, clock)
