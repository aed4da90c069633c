"""Rule packs and blacklist digests in SQLite (tables from migration 0002_rules).

The stored ``raw`` bytes are the signed file itself, so the active pack is verified
again whenever it is loaded: a row edited in the database is treated like a tampered
file (no usable pack -> pre-screens REFER with RULES_STALE). Its version must also
match the row's and be no lower than the highest version this install ever had
(:mod:`core.rules.high_water`): an older, genuinely signed pack made active again by
editing the database is refused the same way, logged, and audited once per process.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from core.clock import Clock
from core.config import resources_dir
from core.rules.errors import PackError
from core.rules.high_water import HighWater, HighWaterMark, below
from core.rules.pack import (
    RulePack,
    blacklist_digest,
    decode_pack_json,
    effective_now,
    parse_pack,
)
from core.rules.shape import BLACKLIST_KINDS
from core.rules.trusted_keys import TrustedKey
from core.store.audit_repo import AuditRepo
from core.store.blacklist_repo import BlacklistRepo, check_kind
from core.store.meta_repo import MetaRepo
from core.store.rule_packs_repo import RulePacksRepo

log = logging.getLogger("loandesk.rules")

PACK_SOURCES = ("bundled", "file", "server")
META_LAST_SERVER_TIME = "last_server_time"
#: rollbacks already written to the audit log by this process: (install, version, mark)
_AUDITED: set[tuple[str, int, int]] = set()
_AUDITED_LOCK = threading.Lock()


def bundled_pack_path() -> Path:
    return resources_dir() / "rulepacks" / "default.json"


def iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class PackStatus:
    """What the rules page shows about the active pack."""

    pack_id: str
    version: int
    valid_from: datetime
    valid_until: datetime
    key_id: str
    signature_ok: bool  # the stored bytes verify against today's trusted keys
    expired: bool  # judged by effective_now (PC clock or last server time, the later)
    scenarios: tuple[str, ...]
    source: str  # bundled | file | server
    installed_at: datetime
    not_yet_valid: bool = False
    sha256: str = ""
    problem: str = ""  # why the signature or shape check failed, if it did

    @property
    def usable(self) -> bool:
        return self.signature_ok and not self.expired and not self.not_yet_valid


class RulePackStore:
    """Install, activate and read rule packs; look up blacklist digests.

    One store per ``Database`` (and so per thread). The parsed active pack is cached;
    each call checks the active row (one indexed read), so an install made through
    another connection is picked up.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        keys: Mapping[str, TrustedKey],
        clock: Clock,
        high_water: HighWaterMark | None = None,
        audit: bool = True,
    ) -> None:
        self._db = db
        self._mark = high_water or HighWaterMark(db)
        self._audit = audit
        self._packs = RulePacksRepo(db)
        self._blacklist = BlacklistRepo(db)
        self._meta = MetaRepo(db)
        self._keys = dict(keys)
        self._clock = clock
        self._cache_key: tuple[str, int, str] | None = None
        self._cache: RulePack | None = None
        self._cache_problem = ""
        self._once: dict[str, Any] | None = None  # reading_once()'s reads

    # --- the active pack -----------------------------------------------------------
    @contextmanager
    def reading_once(self) -> Iterator[None]:
        """Within: the active row and the last server time are read once, the first
        time they are needed (a save checks the evidence, quotes, pre-screens and looks
        up the blacklist against one pack state). Nested uses share the outer one; an
        install or a new server time here is seen at once."""
        if self._once is not None:
            yield
            return
        self._once = {}
        try:
            yield
        finally:
            self._once = None

    def _forget_once(self) -> None:
        if self._once is not None:
            self._once.clear()

    def _active_key(self) -> tuple[str, int, str] | None:
        once = self._once
        if once is None:
            return self._packs.active_key()
        if "key" not in once:
            once["key"] = self._packs.active_key()
        key: tuple[str, int, str] | None = once["key"]
        return key

    def active(self) -> RulePack | None:
        """The active pack, re-verified from its stored bytes; None if there is none
        or it no longer verifies (logged)."""
        key = self._active_key()
        if key is None:
            self._cache_key, self._cache, self._cache_problem = None, None, ""
            return None
        if key != self._cache_key:
            raw = self._packs.raw(key[0], key[1])
            try:
                if raw is None:  # replaced through another connection meanwhile
                    raise PackError("PACK_ROLLBACK", "the active pack changed meanwhile")
                pack: RulePack | None = parse_pack(raw, self._keys)
                self._check_loaded(key, pack)
                problem = ""
            except PackError as exc:
                log.error("stored rule pack %s v%s no longer verifies: %s", key[0], key[1], exc)
                pack, problem = None, str(exc)
            self._cache_key, self._cache, self._cache_problem = key, pack, problem
        return self._cache

    def _check_loaded(self, key: tuple[str, int, str], pack: RulePack | None) -> None:
        """The verified bytes must be the row's pack and not below the high-water mark."""
        assert pack is not None
        if (pack.pack_id, pack.version, pack.sha256) != key:
            raise PackError(
                "PACK_ROLLBACK",
                f"the active row says {key[0]} v{key[1]} but holds {pack.pack_id} v{pack.version}",
            )
        mark = self.high_water()
        if below(pack.version, pack.sha256, mark, set(self._keys)):
            assert mark is not None
            self._audit_rollback(pack, mark)
            raise PackError(
                "PACK_ROLLBACK",
                f"the active pack v{pack.version} is below v{mark.version}, the highest "
                "this PC ever installed (the database was edited)",
            )

    def high_water(self) -> HighWater | None:
        """The highest pack version this install ever had (None: no mark is kept)."""
        reading = self._mark.read()
        for problem in reading.problems:
            log.error("rule-pack high-water mark: %s", problem)
        return reading.best

    def _audit_rollback(self, pack: RulePack, mark: HighWater) -> None:
        """One audit row per process and rollback (a loaded pack is checked often)."""
        if not self._audit:
            return
        seen = (self._mark.install_ref(), pack.version, mark.version)
        with _AUDITED_LOCK:
            if seen in _AUDITED:
                return
            _AUDITED.add(seen)
        log.error("rule pack %s v%s refused: below the highest installed v%s",
                  pack.pack_id, pack.version, mark.version)  # fmt: skip
        try:
            AuditRepo(self._db).append(
                iso_utc(self._clock.now()), None, "rules_rollback_refused", "rule_pack",
                f"{pack.pack_id}:{pack.version}",
                detail={"version": pack.version, "high_water": mark.version},
            )  # fmt: skip
        except (sqlite3.Error, PackError, ValueError) as exc:
            log.error("rule-pack rollback not audited: %s", type(exc).__name__)

    def effective_now(self) -> datetime:
        return effective_now(self._clock.now(), self.last_server_time())

    def usable(self) -> RulePack | None:
        """The active pack if it verifies and is valid now (by effective_now); None
        means pre-screens answer REFER with RULES_STALE."""
        pack = self.active()
        return pack if pack is not None and pack.is_valid_at(self.effective_now()) else None

    # --- installing ------------------------------------------------------------------
    def install(self, data: bytes, source: str) -> RulePack:
        """Verify ``data`` and make it the active pack in one transaction.

        Refused (PackError, the old pack stays active): anything parse_pack refuses;
        a version lower than the active one, or the same version with other content
        (PACK_ROLLBACK); a pack already past valid_until (PACK_EXPIRED_ON_LOAD).
        The same version with the same content is a no-op.
        """
        if source not in PACK_SOURCES:
            raise ValueError(f"source must be one of {PACK_SOURCES}, got {source!r}")
        pack = parse_pack(data, self._keys)
        mark = self.high_water()
        if below(pack.version, pack.sha256, mark, set(self._keys)):
            assert mark is not None
            raise PackError(
                "PACK_ROLLBACK",
                f"pack {pack.pack_id} v{pack.version} is below v{mark.version}, the highest "
                "this PC ever installed",
            )
        self._forget_once()  # an install reads the row as it is now
        current = seen = self._packs.active_key()
        if current is not None and self.active() is None:
            # The active row no longer verifies (key rotated out, row damaged): it has
            # nothing left to protect, so a correctly signed pack may replace it.
            log.warning("replacing unverifiable active pack %s v%s", *current[:2])
            current = None
        if current is not None:
            cur_id, cur_version, cur_sha = current
            if pack.version == cur_version and pack.sha256 == cur_sha:
                return self.active() or pack
            if pack.version <= cur_version:
                raise PackError(
                    "PACK_ROLLBACK",
                    f"pack {pack.pack_id} v{pack.version} is not newer than the active "
                    f"{cur_id} v{cur_version}",
                )
        now = self.effective_now()
        if now > pack.valid_until:
            raise PackError(
                "PACK_EXPIRED_ON_LOAD",
                f"pack {pack.pack_id} v{pack.version} expired at {iso_utc(pack.valid_until)} "
                f"(now {iso_utc(now)})",
            )
        old = self.active() if current is not None else None
        same_pepper = old is not None and old.blacklist_pepper == pack.blacklist_pepper
        with self._db.atomic():
            if self._packs.active_key() != seen:  # another connection installed meanwhile
                raise PackError("PACK_ROLLBACK", "the active pack changed meanwhile; try again")
            self._packs.activate(
                pack.pack_id, pack.version, pack.raw, pack.sha256, pack.key_id,
                iso_utc(pack.issued_at), iso_utc(pack.valid_from),
                iso_utc(pack.valid_until), iso_utc(self._clock.now()), source,
            )  # fmt: skip
            if same_pepper:
                self._blacklist.clear_from_packs()
            else:  # digests keyed with another pepper can never match again
                self._blacklist.clear_all()
            tag = f"pack:{pack.pack_id}:{pack.version}"
            for kind in BLACKLIST_KINDS:
                self._insert_digests(kind, pack.blacklist.digests[kind], tag)
            raised = self._raised_mark(pack, mark)
            if raised is not None:
                self._mark.write_meta(raised)
        if raised is not None:
            self._mark.write_keyring(raised)
        self._forget_once()
        self._cache_key = (pack.pack_id, pack.version, pack.sha256)
        self._cache, self._cache_problem = pack, ""
        log.info(
            "installed rule pack %s v%s from %s (sha256 %s)",
            pack.pack_id, pack.version, source, pack.sha256[:12],
        )  # fmt: skip
        return pack

    def _raised_mark(self, pack: RulePack, mark: HighWater | None) -> HighWater | None:
        """The new mark after installing ``pack`` (None: it stays). A mark whose key is
        no longer trusted gives way to the first pack of the new key."""
        if mark is not None and mark.key_id in self._keys and mark.version >= pack.version:
            return None
        return HighWater(pack.version, pack.key_id, pack.sha256)

    def ensure_high_water(self) -> None:
        """An install made before the mark existed: start it at the verified active pack."""
        pack = self.active()
        if pack is None or not self._mark.enabled:
            return
        reading = self._mark.read()
        best = reading.best
        raised = self._raised_mark(pack, best)
        if raised is None and reading.meta == best and reading.keyring == best:
            return
        mark = raised or best
        assert mark is not None
        with self._db.atomic():
            self._mark.write_meta(mark)
        self._mark.write_keyring(mark)

    def ensure_bundled(self, path: Path | None = None) -> RulePack | None:
        """On first start, install the pack shipped in resources; later, also when the
        shipped pack is newer than the active one (an app upgrade) or the active one no
        longer verifies (trusted keys changed). A broken or refused bundled pack is
        logged, never fatal. Returns the active pack."""
        path = path or bundled_pack_path()
        current = self._active_key()
        try:
            data = path.read_bytes()
            if current is not None and self.active() is not None:
                self.ensure_high_water()
                manifest = decode_pack_json(data).get("manifest")
                version = manifest.get("version") if isinstance(manifest, dict) else None
                if not isinstance(version, int) or version <= current[1]:
                    return self.active()
            return self.install(data, "bundled")
        except OSError as exc:
            log.error("bundled rule pack %s cannot be read: %s", path, exc)
        except PackError as exc:
            log.error("bundled rule pack %s refused: %s", path, exc)
        return self.active()

    def status(self, now: datetime | None = None) -> PackStatus | None:
        """The active pack's row for display, None if no pack was ever installed.
        ``now`` defaults to the store's clock; expiry uses effective_now."""
        row = self._packs.active_row()
        if row is None:
            return None
        pack = self.active()
        at = effective_now(now or self._clock.now(), self.last_server_time())
        valid_from, valid_until = _dt(row.valid_from), _dt(row.valid_until)
        return PackStatus(
            pack_id=row.pack_id,
            version=row.version,
            valid_from=valid_from,
            valid_until=valid_until,
            key_id=row.key_id,
            signature_ok=pack is not None,
            expired=at > valid_until,
            scenarios=pack.scenarios if pack is not None else _unverified_scenarios(row.raw),
            source=row.source,
            installed_at=_dt(row.installed_at),
            not_yet_valid=at < valid_from,
            sha256=row.sha256,
            problem=self._cache_problem,
        )

    # --- server time ---------------------------------------------------------------
    def last_server_time(self) -> datetime | None:
        once = self._once
        if once is None:
            value = self._meta.get(META_LAST_SERVER_TIME)
        else:
            if "server_time" not in once:
                once["server_time"] = self._meta.get(META_LAST_SERVER_TIME)
            value = once["server_time"]
        if value is None:
            return None
        try:
            return _dt(value)
        except ValueError:
            log.warning("ignoring unreadable %s %r", META_LAST_SERVER_TIME, value)
            return None

    def note_server_time(self, dt: datetime) -> None:
        """Remember a server ``Date``; the stored value only ever moves forward."""
        if dt.tzinfo is None:
            raise ValueError("server time must be timezone-aware")
        last = self.last_server_time()
        if last is not None and last >= dt:
            return
        self._meta.set(META_LAST_SERVER_TIME, iso_utc(dt))
        self._forget_once()

    # --- blacklist -----------------------------------------------------------------
    def blacklisted(self, kind: str, value: str) -> bool:
        """Is ``value`` (raw ID number, phone or device id) on the list? Digested with
        the active pack's pepper; False when there is no verified pack."""
        pack = self.active()
        if pack is None or not value:
            return False
        return self._blacklist.contains(kind, blacklist_digest(kind, value, pack.blacklist_pepper))

    def add_blacklist_digests(self, kind: str, digests: Iterable[str], source: str) -> int:
        """Bulk-add hex digests (from a delta, or a benchmark); returns how many were new.
        Streams ``digests`` (an iterator of a million is fine); one transaction."""
        check_kind(kind)
        with self._db.atomic():
            return self._insert_digests(kind, digests, source)

    def remove_blacklist_digests(self, kind: str, digests: Iterable[str]) -> int:
        check_kind(kind)
        with self._db.atomic():
            return self._blacklist.remove(kind, digests)

    def blacklist_counts(self) -> dict[str, int]:
        return self._blacklist.counts()

    def _insert_digests(self, kind: str, digests: Iterable[str], source: str) -> int:
        # a bad digest raises ValueError mid-way: the caller's atomic() undoes
        return self._blacklist.add(kind, digests, source, iso_utc(self._clock.now()))


def _dt(value: str) -> datetime:
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _unverified_scenarios(raw: bytes) -> tuple[str, ...]:
    """Scenario names for display only, from bytes that failed verification."""
    try:
        scenarios = json.loads(bytes(raw))["manifest"]["scenarios"]
        return tuple(str(s) for s in scenarios) if isinstance(scenarios, dict) else ()
    except (ValueError, KeyError, TypeError):
        return ()
