"""What a running server holds: its configuration, database, packs and faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from server.db import Database, open_database
from server.enroll_throttle import EnrollThrottle
from server.faults import FaultState
from server.limits import DEFAULT_MAX_BODY_BYTES
from server.packs import PackCache
from server.signals_store import live_for


@dataclass(frozen=True)
class ServerConfig:
    data_dir: Path
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    decision_retention: int | None = None  # serve only the newest N decisions
    test_hooks: bool = False  # /v1/_test/faults: never in production
    database: str | None = None  # a postgresql://… URL; None: server.db in data_dir


@dataclass
class Runtime:
    config: ServerConfig
    faults: FaultState = field(default_factory=FaultState)
    enroll_throttle: EnrollThrottle = field(default_factory=EnrollThrottle)
    _db: Database | None = None
    _packs: PackCache | None = None

    def open(self) -> None:
        self._db = open_database(self.config.data_dir, self.config.database)
        self._packs = PackCache(self._db)
        self._packs.active()  # parse (compile) the current pack before the first request
        live_for(self._db)  # the fraud-signal tables, key and engine (server/signals_store.py)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    @property
    def db(self) -> Database:
        assert self._db is not None, "the database opens with the app's lifespan"
        return self._db

    @property
    def packs(self) -> PackCache:
        assert self._packs is not None, "the database opens with the app's lifespan"
        return self._packs
