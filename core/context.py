"""Everything a running LoanDesk needs, opened in one place and passed down
(no global singletons): paths, settings, the database and the services."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

import sqlite_utils

from core.applications.paperwork import attachment_options, clean_orphans
from core.applications.service import Actor, ApplicationService
from core.clock import Clock, SystemClock, iso_now
from core.config import Paths, Settings
from core.ids import uuid7
from core.operators.service import ensure_system_operator
from core.retention import purge_personal_data
from core.rules import PackError, RulePackStore, TrustedKey, load_trusted_keys
from core.security.permissions import Role
from core.store.db import open_database, prune_backups
from core.store.repositories import Repositories
from core.store.vault import keyring_unlock
from core.sync.service import SyncService

log = logging.getLogger("loandesk.context")


@dataclass(frozen=True)
class Basis:
    """What a window knows of the install without a connection: where it lives, its
    settings, the clock and who is signed in. The screens hold this; the connection
    stays on their database lane."""

    paths: Paths
    settings: Settings
    clock: Clock
    actor: Actor


@dataclass
class AppContext:
    paths: Paths
    settings: Settings
    db: sqlite_utils.Database
    actor: Actor
    applications: ApplicationService
    clock: Clock = field(default_factory=SystemClock)
    rules: RulePackStore | None = None
    sync: SyncService | None = None  # on this context's connection
    closed: bool = field(default=False, compare=False)

    def checkpoint(self) -> None:
        """Copy the audit chain's end outside the database (never raises)."""
        from core.audit.checkpoint import advance_checkpoint

        advance_checkpoint(self.db)

    def close(self) -> None:
        """Checkpoint and close the connection; a second call does nothing."""
        if self.closed:
            return
        self.closed = True
        self.checkpoint()  # the audit chain's end, kept outside the database
        self.db.close()

    def basis(self) -> Basis:
        return Basis(self.paths, self.settings, self.clock, self.actor)

    def as_operator(self, actor: Actor) -> AppContext:
        """The same context (same connection, settings, rules and sync) acting as the
        logged-in operator ``actor``: the GUI uses it after login. It shares the
        connection, so closing either closes both."""
        service = ApplicationService(
            self.db,
            actor,
            self.clock,
            rules=self.rules,
            attachments=attachment_options(self.settings),
        )
        return dataclasses.replace(self, actor=actor, applications=service)


def _ensure_actor(db: sqlite_utils.Database, settings: Settings, clock: Clock) -> Actor:
    """The store this PC belongs to, and the built-in ``system`` account (role admin, no
    password: it never logs in) that the CLI and background work act as. People act as
    themselves after logging in (:meth:`AppContext.as_operator`)."""
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
        system = ensure_system_operator(db, store["id"], at)
        if repo.meta_get("device_id") is None:
            repo.meta_set("device_id", uuid7())
    return Actor(store_id=store["id"], operator_id=system.id, role=Role(system.role))


def _trusted_keys() -> dict[str, TrustedKey]:
    try:
        return load_trusted_keys()
    except PackError as exc:  # no pinned key: no pack can be trusted, so RULES_STALE
        log.error("trusted rule-pack keys unavailable: %s", exc)
        return {}


#: how long a screen's lane waits for another connection's write lock (a big blacklist
#: delta on the sync lane, another program) before the save says the database is busy;
#: the window keeps answering and the form says it is waiting meanwhile
SCREEN_BUSY_TIMEOUT_S = 60.0


def connect_context(
    paths: Paths,
    clock: Clock | None = None,
    actor: Actor | None = None,
    *,
    busy_timeout: float = 5.0,
) -> AppContext:
    """Another connection to an install that :func:`open_context` has opened already this
    run: the database with its keys, the rules and the services, acting as ``actor``
    (default the built-in account), and nothing else (no migration, purge, backup
    pruning or bundled pack). A background lane (sync, an export) uses one for as long
    as it lives, on the thread that called this."""
    clock = clock or SystemClock()
    settings = Settings(paths.settings_file)
    db = open_database(
        paths.database, migrate=False, unlock=keyring_unlock, busy_timeout=busy_timeout
    )
    try:
        system = _ensure_actor(db, settings, clock)
    except BaseException:
        db.close()
        raise
    rules = RulePackStore(db, _trusted_keys(), clock)
    sync = SyncService(db, clock, rules=rules, settings=settings)
    service = ApplicationService(db, system, clock, rules=rules)
    ctx = AppContext(paths, settings, db, system, service, clock, rules, sync)
    return ctx.as_operator(actor) if actor is not None else ctx


def open_context(
    paths: Paths, clock: Clock | None = None, *, busy_timeout: float = 5.0
) -> AppContext:
    clock = clock or SystemClock()
    paths.ensure()
    settings = Settings(paths.settings_file)
    # keys from the OS keyring or a SecurityError: never plain text
    db = open_database(
        paths.database, backups_dir=paths.backups, unlock=keyring_unlock, busy_timeout=busy_timeout
    )
    actor = _ensure_actor(db, settings, clock)
    rules = RulePackStore(db, _trusted_keys(), clock)
    rules.ensure_bundled()  # a fresh install pre-screens on day one
    options = attachment_options(settings)
    clean_orphans(db, options)  # files a crash left without their row, and unlinked blobs
    service = ApplicationService(db, actor, clock, rules=rules, attachments=options)
    sync = SyncService(db, clock, rules=rules, settings=settings)
    purge_personal_data(db, clock, settings.get("retention_days"))  # cheap when nothing is due
    prune_backups(
        paths.backups, paths.database.stem, settings.get("retention_days"), clock.now()
    )  # plain-text and out-of-retention copies
    from core.audit.checkpoint import advance_checkpoint

    advance_checkpoint(db)  # rows of a session that ended without close() get covered now
    return AppContext(paths, settings, db, actor, service, clock, rules, sync)
