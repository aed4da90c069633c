"""Operator accounts: first-run setup, login with a growing delay, and what an
administrator does with accounts (add, disable/enable, reset a password).

Passwords are scrypt hashes (:mod:`core.security.passwords`); nothing here ever logs,
audits or raises with a password, and audit details carry no personal data. The
built-in ``system`` account (role admin, no password) is who the CLI and background
work act as; it can never log in.

A failed login is counted per login name in the database (so restarting the app does
not reset the wait) and an unknown login fails exactly like a wrong password, after the
same amount of hashing: the screen cannot tell whether a name exists.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from core import i18n
from core.applications import labels  # noqa: F401  (registers OPERATOR_NOT_FOUND)
from core.applications.service import Actor
from core.clock import Clock, iso_now
from core.ids import uuid7
from core.operators import access
from core.operators.messages import LoginFailed, OperatorError, PasswordRejected
from core.security.passwords import (
    LoginThrottle,
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from core.security.permissions import Permission, Role
from core.store.operators_repo import SYSTEM_LOGIN, OperatorRecord, OperatorsRepo, normalize_login
from core.store.repositories import Repositories

__all__ = [
    "SYSTEM_LOGIN",
    "LoginFailed",
    "OperatorError",
    "OperatorRecord",
    "OperatorService",
    "PasswordRejected",
    "authenticate",
    "create_first_admin",
    "ensure_system_operator",
    "needs_setup",
    "normalize_login",
    "unlock",
]

LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
NAME_MAX_LENGTH = 40
#: LoginThrottle's settings for the app (its defaults: 3 free, then 2 s doubling to 5 min)
THROTTLE: Mapping[str, float] = {}


# --- names -----------------------------------------------------------------------------


def _valid_login(login: str) -> str:
    normalized = normalize_login(login)
    if not LOGIN_PATTERN.fullmatch(normalized):
        raise OperatorError("OPERATOR_LOGIN_INVALID")
    if normalized == SYSTEM_LOGIN:
        raise OperatorError("OPERATOR_LOGIN_RESERVED")
    return normalized


def _valid_name(display_name: str) -> str:
    name = unicodedata.normalize("NFKC", display_name).strip()
    if not name or len(name) > NAME_MAX_LENGTH or not name.isprintable():
        raise OperatorError("OPERATOR_NAME_INVALID", max_length=NAME_MAX_LENGTH)
    return name


def _valid_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise OperatorError("OPERATOR_ROLE_INVALID") from None


def _hash_acceptable(password: str, role: Role) -> str:
    codes = check_password_policy(password, role)
    if codes:
        raise PasswordRejected(codes)
    return hash_password(password)


@contextmanager
def _writing(db: sqlite_utils.Database) -> Iterator[None]:
    """One transaction; a login taken meanwhile is the user's error. (Storage errors of
    the environment are already StorageEnvironmentError: the connection sorts them.)"""
    try:
        with db.atomic():
            yield
    except sqlite3.IntegrityError as exc:
        if "operators.login" in str(exc):
            raise OperatorError("OPERATOR_LOGIN_TAKEN") from None
        raise


def _audit(
    db: sqlite_utils.Database,
    at: str,
    actor_id: str | None,
    action: str,
    operator_id: str,
    detail: dict[str, Any] | None = None,
) -> None:
    Repositories(db).audit(at, actor_id, action, "operator", operator_id, detail=detail)


# --- the system account and first-run setup ---------------------------------------------


def ensure_system_operator(db: sqlite_utils.Database, store_id: str, at: str) -> OperatorRecord:
    """The built-in account the CLI and background work act as (call inside a
    transaction); created on first use, role admin, no password."""
    repo = OperatorsRepo(db)
    found = repo.system()
    if found is not None:
        return found
    repo.insert(uuid7(), store_id, SYSTEM_LOGIN, "系统", Role.ADMIN.value, at, is_system=True)
    made = repo.system()
    assert made is not None
    return made


def needs_setup(db: sqlite_utils.Database) -> bool:
    """True until an active administrator with a password exists."""
    return OperatorsRepo(db).active_admins_with_password() == 0


def create_first_admin(
    db: sqlite_utils.Database, clock: Clock, login: str, display_name: str, password: str
) -> str:
    """The first administrator, made at the setup step; refused once one exists.
    Returns the new operator's id."""
    if not needs_setup(db):
        raise OperatorError("OPERATOR_SETUP_DONE")
    login_n, name = _valid_login(login), _valid_name(display_name)
    stored = _hash_acceptable(password, Role.ADMIN)
    at = iso_now(clock)
    op_id = uuid7()
    repo = OperatorsRepo(db)
    with _writing(db):
        if not needs_setup(db):  # another window finished setup meanwhile
            raise OperatorError("OPERATOR_SETUP_DONE")
        system = repo.system()
        if system is None:
            raise OperatorError("OPERATOR_NO_SYSTEM_ACCOUNT")
        repo.insert(
            op_id, system.store_id, login_n, name, Role.ADMIN.value, at, password_hash=stored
        )
        _audit(db, at, op_id, "first_admin_created", op_id, {"role": Role.ADMIN.value})
    return op_id


# --- login ---------------------------------------------------------------------------------


def _throttle(
    repo: OperatorsRepo, key: str, settings: Mapping[str, Any], now: datetime
) -> LoginThrottle:
    """The throttle holding only ``key``'s persisted failures."""
    state: dict[str, Any] = {"version": 1, "logins": {}}
    found = repo.failures(key)
    if found is not None:
        state["logins"][key] = {"failures": found[0], "last_failure": found[1]}
    try:
        return LoginThrottle.from_dict(state, **settings)
    except ValueError:  # a damaged row never forgives: wait as after many failures
        state["logins"][key] = {"failures": 64, "last_failure": now.isoformat()}
        return LoginThrottle.from_dict(state, **settings)


def _verify(
    db: sqlite_utils.Database,
    clock: Clock,
    login: str,
    password: str,
    throttle_settings: Mapping[str, Any] | None,
) -> OperatorRecord:
    """The active, password-holding operator ``login`` if ``password`` is right; else
    :class:`LoginFailed` after counting the failure (also for unknown logins)."""
    settings = dict(THROTTLE if throttle_settings is None else throttle_settings)
    now = clock.now().astimezone(UTC)
    repo = OperatorsRepo(db)
    normalized = normalize_login(login)
    key = repo.login_key(normalized)
    throttle = _throttle(repo, key, settings, now)
    wait = throttle.check(key, now)
    if wait > 0:
        raise LoginFailed(wait, throttled=True)
    record = repo.by_login(normalized) if LOGIN_PATTERN.fullmatch(normalized) else None
    usable = record is not None and record.active and not record.is_system
    stored = repo.password_hash(record.id) if record is not None and usable else None
    if verify_password(password, stored) and record is not None:
        with _writing(db):
            repo.clear_failures(key)
            if stored is not None and needs_rehash(stored):
                repo.set_password_hash(record.id, hash_password(password), iso_now(clock))
        return record
    delay = throttle.record_failure(key, now)
    entry = throttle.to_dict()["logins"][key]
    forget = timedelta(seconds=throttle.reset_after_s + throttle.max_delay_s)
    with _writing(db):
        repo.set_failures(key, int(entry["failures"]), str(entry["last_failure"]))
        repo.forget_failures_before((now - forget).isoformat())
        if record is not None and not record.is_system:
            _audit(
                db,
                iso_now(clock),
                None,
                "login_failed",
                record.id,
                {"failures": int(entry["failures"])},
            )
    raise LoginFailed(delay)


def _actor(record: OperatorRecord) -> Actor:
    return Actor(store_id=record.store_id, operator_id=record.id, role=Role(record.role))


def authenticate(
    db: sqlite_utils.Database,
    clock: Clock,
    login: str,
    password: str,
    *,
    throttle: Mapping[str, Any] | None = None,
) -> Actor:
    """The operator ``login`` as an :class:`Actor`, or :class:`LoginFailed` with the
    delay the screen must wait. ``throttle``: LoginThrottle settings (tests)."""
    record = _verify(db, clock, login, password, throttle)
    with _writing(db):
        _audit(db, iso_now(clock), record.id, "login", record.id)
    return _actor(record)


def unlock(
    db: sqlite_utils.Database,
    clock: Clock,
    operator_id: str,
    password: str,
    *,
    throttle: Mapping[str, Any] | None = None,
) -> Actor:
    """Unlock a locked screen: only ``operator_id``'s own password will do (with the
    same growing delay as the login)."""
    record = OperatorsRepo(db).by_id(operator_id)
    login = record.login if record is not None else ""
    found = _verify(db, clock, login, password, throttle)
    with _writing(db):
        _audit(db, iso_now(clock), found.id, "unlocked", found.id)
    return _actor(found)


# --- the service ---------------------------------------------------------------------------


class OperatorService:
    """Account administration as ``actor``: every change needs MANAGE_OPERATORS (except
    changing one's own password) and is audited without passwords or personal data."""

    needs_setup = staticmethod(needs_setup)
    create_first_admin = staticmethod(create_first_admin)
    authenticate = staticmethod(authenticate)
    unlock = staticmethod(unlock)

    def __init__(self, db: sqlite_utils.Database, clock: Clock, actor: Actor) -> None:
        self._db = db
        self._clock = clock
        self._actor = actor
        self._repo = OperatorsRepo(db)

    @property
    def actor(self) -> Actor:
        return self._actor

    def current(self) -> OperatorRecord | None:
        """The acting operator's own account (name and role for the status bar)."""
        return self._repo.by_id(self._actor.operator_id)

    def list_operators(self) -> list[OperatorRecord]:
        access.require_current(self._db, self._actor, Permission.MANAGE_OPERATORS)
        return self._repo.all()

    def create_operator(
        self, login: str, display_name: str, role: Role | str, password: str
    ) -> str:
        access.require_current(self._db, self._actor, Permission.MANAGE_OPERATORS)
        login_n, name, role_v = _valid_login(login), _valid_name(display_name), _valid_role(role)
        if self._repo.by_login(login_n) is not None:
            raise OperatorError("OPERATOR_LOGIN_TAKEN")
        stored = _hash_acceptable(password, role_v)
        at = iso_now(self._clock)
        op_id = uuid7()
        with _writing(self._db):
            self._repo.insert(
                op_id, self._actor.store_id, login_n, name, role_v.value, at, password_hash=stored
            )
            self._audit("operator_created", op_id, {"role": role_v.value})
        return op_id

    def set_active(self, operator_id: str, active: bool) -> None:
        access.require_current(self._db, self._actor, Permission.MANAGE_OPERATORS)
        with _writing(self._db):
            record = self._changeable(operator_id)
            if record.active == active:
                return
            if not active:
                if record.id == self._actor.operator_id:
                    raise OperatorError("OPERATOR_NOT_YOURSELF")
                if (
                    record.role == Role.ADMIN.value
                    and record.has_password
                    and self._repo.active_admins_with_password(excluding=record.id) == 0
                ):
                    raise OperatorError("OPERATOR_LAST_ADMIN")
            self._repo.set_active(record.id, active)
            self._audit("operator_enabled" if active else "operator_disabled", record.id)

    def reset_password(self, operator_id: str, new_password: str) -> None:
        access.require_current(self._db, self._actor, Permission.MANAGE_OPERATORS)
        record = self._changeable(operator_id)
        stored = _hash_acceptable(new_password, Role(record.role))
        with _writing(self._db):
            self._repo.set_password_hash(record.id, stored, iso_now(self._clock))
            self._repo.clear_failures(self._repo.login_key(record.login))
            self._audit("password_reset", record.id)

    def change_own_password(
        self,
        current_password: str,
        new_password: str,
        *,
        throttle: Mapping[str, Any] | None = None,
    ) -> None:
        """Needs the current password (a wrong one counts as a failed login)."""
        record = self._repo.by_id(self._actor.operator_id)
        if record is None or record.is_system:
            raise OperatorError("OPERATOR_SYSTEM_ACCOUNT")
        codes = check_password_policy(new_password, Role(record.role))
        if codes:
            raise PasswordRejected(codes)
        _verify(self._db, self._clock, record.login, current_password, throttle)
        stored = hash_password(new_password)
        with _writing(self._db):
            self._repo.set_password_hash(record.id, stored, iso_now(self._clock))
            self._audit("password_changed", record.id)

    def record_sign_out(self) -> None:
        with _writing(self._db):
            self._audit("signed_out", self._actor.operator_id)

    def _changeable(self, operator_id: str) -> OperatorRecord:
        record = self._repo.by_id(operator_id)
        if record is None:
            raise OperatorError("OPERATOR_NOT_FOUND", id=operator_id)
        if record.is_system:
            raise OperatorError("OPERATOR_SYSTEM_ACCOUNT")
        return record

    def _audit(self, action: str, operator_id: str, detail: dict[str, Any] | None = None) -> None:
        _audit(self._db, iso_now(self._clock), self._actor.operator_id, action, operator_id, detail)


def role_text(role: Role | str, lang: str | None = None) -> str:
    """门店专员 / 区域经理 / 管理员 (or the English)."""
    try:
        name = Role(role).name
    except ValueError:
        name = "UNKNOWN"
    return i18n.translate(f"SECURITY_ROLE_{name}", lang)
