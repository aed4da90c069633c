"""Operator accounts on a real database: first-run setup, login as each role, the growing
delay after wrong passwords (kept across restarts), administration and its audit rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.applications.service import Actor
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.operators.service import (
    SYSTEM_LOGIN,
    LoginFailed,
    OperatorError,
    OperatorService,
    PasswordRejected,
    authenticate,
    create_first_admin,
    needs_setup,
    unlock,
)
from core.security.permissions import PermissionDenied, Role
from core.store.migrations import MIGRATIONS

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
ADMIN_PW = "Counter2026"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(tmp_path: Path, clock: FixedClock) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "d"), clock)
    yield c
    c.close()


def _admin(ctx: AppContext) -> Actor:
    create_first_admin(ctx.db, ctx.clock, "boss", "王店长", ADMIN_PW)
    return authenticate(ctx.db, ctx.clock, "boss", ADMIN_PW)


def _audit(ctx: AppContext) -> list[dict[str, object]]:
    return list(ctx.db.query("SELECT * FROM audit_log WHERE target_type = 'operator' ORDER BY seq"))


def test_a_new_database_acts_as_the_system_account_which_cannot_log_in(
    ctx: AppContext,
) -> None:
    assert "0007_operators" in [m.name for m in MIGRATIONS._migrations]
    system = ctx.db.execute(
        "SELECT login, role, password_hash, is_system FROM operators WHERE id = ?",
        [ctx.actor.operator_id],
    ).fetchone()
    assert system == (SYSTEM_LOGIN, "admin", None, 1)
    assert ctx.actor.role is Role.ADMIN
    assert ctx.db.execute("SELECT count(*) FROM operators WHERE login = 'clerk'").fetchone()[0] == 0
    assert needs_setup(ctx.db)
    for password in ("", "system", ADMIN_PW):
        with pytest.raises(LoginFailed):
            authenticate(ctx.db, ctx.clock, SYSTEM_LOGIN, password)
    with pytest.raises(OperatorError) as refused:
        OperatorService(ctx.db, ctx.clock, ctx.actor).create_operator(
            "system", "x", Role.CLERK, "258014"
        )
    assert refused.value.code == "OPERATOR_LOGIN_RESERVED"


def test_first_run_setup_creates_the_admin_once(ctx: AppContext) -> None:
    with pytest.raises(PasswordRejected) as weak:
        create_first_admin(ctx.db, ctx.clock, "boss", "王店长", "12345678")
    assert "SECURITY_PW_LETTER_AND_DIGIT" in weak.value.codes
    assert "至少" not in weak.value.message("en") and "letters" in weak.value.message("en")
    assert needs_setup(ctx.db)

    admin_id = create_first_admin(ctx.db, ctx.clock, "Boss", "王店长", ADMIN_PW)
    assert not needs_setup(ctx.db)
    stored = ctx.db.execute(
        "SELECT login, role, password_hash FROM operators WHERE id = ?", [admin_id]
    ).fetchone()
    assert stored[0] == "boss" and stored[1] == "admin"
    assert stored[2] and ADMIN_PW not in stored[2]
    assert not stored[2].startswith("scrypt$")  # sealed with the data key
    with pytest.raises(OperatorError) as again:
        create_first_admin(ctx.db, ctx.clock, "boss2", "李四", "Another2026")
    assert again.value.code == "OPERATOR_SETUP_DONE"
    [row] = _audit(ctx)
    assert (row["action"], row["target_id"]) == ("first_admin_created", admin_id)
    assert ADMIN_PW not in json.dumps(row, ensure_ascii=False) and "王店长" not in str(row)


def test_login_as_each_role_gives_that_roles_actor(ctx: AppContext) -> None:
    admin = _admin(ctx)
    assert admin.role is Role.ADMIN and admin.store_id == ctx.actor.store_id
    svc = OperatorService(ctx.db, ctx.clock, admin)
    ids = {
        Role.CLERK: svc.create_operator("xiaoli", "李小丽", Role.CLERK, "258014"),
        Role.FIELD_MANAGER: svc.create_operator("zhao", "赵经理", "field_manager", "Region77x"),
        Role.ADMIN: svc.create_operator("it-admin", "IT", Role.ADMIN, "Admin2026x"),
    }
    passwords = {Role.CLERK: "258014", Role.FIELD_MANAGER: "Region77x", Role.ADMIN: "Admin2026x"}
    logins = {Role.CLERK: "xiaoli", Role.FIELD_MANAGER: "ZHAO", Role.ADMIN: "ｉｔ-admin"}
    for role, login in logins.items():
        actor = authenticate(ctx.db, ctx.clock, login, passwords[role])
        assert actor == Actor(ctx.actor.store_id, ids[role], role)
    listed = {(o.login, o.role, o.active) for o in svc.list_operators()}
    assert listed == {
        ("boss", "admin", True),
        ("xiaoli", "clerk", True),
        ("zhao", "field_manager", True),
        ("it-admin", "admin", True),
    }


def test_wrong_password_delays_grow_and_survive_a_restart(
    tmp_path: Path, clock: FixedClock
) -> None:
    paths = resolve_paths(tmp_path / "d")
    ctx = open_context(paths, clock)
    _admin(ctx)
    delays: list[float] = []
    for _ in range(5):
        clock.advance(timedelta(seconds=delays[-1] if delays else 0))
        with pytest.raises(LoginFailed) as failed:
            authenticate(ctx.db, clock, "boss", "wrong-one1")
        assert not failed.value.throttled
        delays.append(failed.value.delay_s)
    assert delays == [0.0, 0.0, 0.0, 2.0, 4.0]
    # trying again before the wait is over is refused unchecked, even with the right one
    with pytest.raises(LoginFailed) as early:
        authenticate(ctx.db, clock, "boss", ADMIN_PW)
    assert early.value.throttled and early.value.delay_s == 4.0
    assert "4" in early.value.message("en") and "4" in early.value.message("zh_CN")
    ctx.close()

    ctx = open_context(paths, clock)  # the app restarts: the wait is still there
    try:
        with pytest.raises(LoginFailed) as after_restart:
            authenticate(ctx.db, clock, "boss", ADMIN_PW)
        assert after_restart.value.throttled and after_restart.value.delay_s == 4.0
        clock.advance(timedelta(seconds=4))
        with pytest.raises(LoginFailed) as sixth:
            authenticate(ctx.db, clock, "boss", "wrong-one1")
        assert sixth.value.delay_s == 8.0
        clock.advance(timedelta(seconds=8))
        assert authenticate(ctx.db, clock, "boss", ADMIN_PW).role is Role.ADMIN
        # a success clears the count
        with pytest.raises(LoginFailed) as fresh:
            authenticate(ctx.db, clock, "boss", "wrong-one1")
        assert fresh.value.delay_s == 0.0
        # the login is stored as a keyed hash only
        keys = [r[0] for r in ctx.db.execute("SELECT login_key FROM login_failures")]
        assert keys and all("boss" not in k for k in keys)
        failed_rows = [r for r in _audit(ctx) if r["action"] == "login_failed"]
        assert len(failed_rows) == 7 and all(r["operator_id"] is None for r in failed_rows)
    finally:
        ctx.close()


def test_unknown_login_and_wrong_password_look_the_same(ctx: AppContext) -> None:
    _admin(ctx)
    outcomes = []
    for login in ("boss", "nobody", "boss", "nobody", "boss", "nobody", "boss", "nobody"):
        with pytest.raises(LoginFailed) as failed:
            authenticate(ctx.db, ctx.clock, login, "wrong-one1")
        outcomes.append((failed.value.code, failed.value.delay_s, failed.value.message("en")))
    assert outcomes[0::2] == outcomes[1::2]
    assert outcomes[-1][1] == 2.0


def test_disabled_accounts_cannot_log_in_and_admins_manage_accounts(ctx: AppContext) -> None:
    admin = _admin(ctx)
    svc = OperatorService(ctx.db, ctx.clock, admin)
    clerk_id = svc.create_operator("xiaoli", "李小丽", Role.CLERK, "258014")
    with pytest.raises(OperatorError) as taken:
        svc.create_operator("XiaoLi", "另一个", Role.CLERK, "369025")
    assert taken.value.code == "OPERATOR_LOGIN_TAKEN"
    with pytest.raises(PasswordRejected):
        svc.create_operator("wang", "王", Role.CLERK, "123456")
    with pytest.raises(OperatorError) as bad_login:
        svc.create_operator("王", "王", Role.CLERK, "258014")
    assert bad_login.value.code == "OPERATOR_LOGIN_INVALID"

    svc.set_active(clerk_id, False)
    with pytest.raises(LoginFailed):
        authenticate(ctx.db, ctx.clock, "xiaoli", "258014")
    svc.set_active(clerk_id, True)
    svc.reset_password(clerk_id, "741852")
    with pytest.raises(LoginFailed):
        authenticate(ctx.db, ctx.clock, "xiaoli", "258014")
    clerk = authenticate(ctx.db, ctx.clock, "xiaoli", "741852")

    with pytest.raises(OperatorError) as yourself:
        svc.set_active(admin.operator_id, False)
    assert yourself.value.code == "OPERATOR_NOT_YOURSELF"
    with pytest.raises(OperatorError) as system:
        svc.reset_password(ctx.actor.operator_id, "Whatever2026")
    assert system.value.code == "OPERATOR_SYSTEM_ACCOUNT"
    second = svc.create_operator("it-admin", "IT", Role.ADMIN, "Admin2026x")
    it_svc = OperatorService(
        ctx.db, ctx.clock, authenticate(ctx.db, ctx.clock, "it-admin", "Admin2026x")
    )
    svc.set_active(second, False)
    with pytest.raises(OperatorError) as last:  # the only admin left cannot be disabled
        OperatorService(ctx.db, ctx.clock, ctx.actor).set_active(admin.operator_id, False)
    assert last.value.code == "OPERATOR_LAST_ADMIN"
    assert it_svc.actor.role is Role.ADMIN

    # a clerk is refused by the service itself, not only by a hidden button
    clerk_svc = OperatorService(ctx.db, ctx.clock, clerk)
    for attempt in (
        lambda: clerk_svc.create_operator("x1", "x", Role.ADMIN, "Admin2026y"),
        lambda: clerk_svc.set_active(admin.operator_id, False),
        lambda: clerk_svc.reset_password(admin.operator_id, "Admin2026y"),
        clerk_svc.list_operators,
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    clerk_svc.change_own_password("741852", "963741")
    assert authenticate(ctx.db, ctx.clock, "xiaoli", "963741") == clerk

    actions = [
        (r["action"], r["operator_id"])
        for r in _audit(ctx)
        if r["action"] not in ("login", "login_failed")
    ]
    assert actions == [
        ("first_admin_created", admin.operator_id),
        ("operator_created", admin.operator_id),
        ("operator_disabled", admin.operator_id),
        ("operator_enabled", admin.operator_id),
        ("password_reset", admin.operator_id),
        ("operator_created", admin.operator_id),
        ("operator_disabled", admin.operator_id),
        ("password_changed", clerk.operator_id),
    ]
    text = json.dumps(_audit(ctx), ensure_ascii=False)
    for secret in ("258014", "741852", "963741", "Admin2026x", ADMIN_PW, "李小丽"):
        assert secret not in text


def test_unlock_takes_only_the_same_operators_password(ctx: AppContext) -> None:
    admin = _admin(ctx)
    clerk_id = OperatorService(ctx.db, ctx.clock, admin).create_operator(
        "xiaoli", "李小丽", Role.CLERK, "258014"
    )
    with pytest.raises(LoginFailed):
        unlock(ctx.db, ctx.clock, clerk_id, ADMIN_PW)  # another operator's password
    assert unlock(ctx.db, ctx.clock, clerk_id, "258014").operator_id == clerk_id
    with pytest.raises(LoginFailed):
        unlock(ctx.db, ctx.clock, ctx.actor.operator_id, "")


def test_as_operator_acts_as_the_logged_in_operator(ctx: AppContext) -> None:
    admin = _admin(ctx)
    op_ctx = ctx.as_operator(admin)
    assert op_ctx.actor == admin and op_ctx.db is ctx.db and op_ctx.sync is ctx.sync
    assert op_ctx.applications is not ctx.applications
    assert ctx.actor.operator_id != admin.operator_id


def test_an_existing_clerk_row_stays_without_a_password(tmp_path: Path, clock: FixedClock) -> None:
    """A database from before operators: its default 'clerk' account stays and cannot
    log in until an admin sets a password."""
    paths = resolve_paths(tmp_path / "d")
    ctx = open_context(paths, clock)
    ctx.db.execute(
        "INSERT INTO operators(id, store_id, login, display_name, role, created_at) "
        "VALUES ('old', ?, 'clerk', '门店专员', 'clerk', ?)",
        [ctx.actor.store_id, NOW.isoformat()],
    )
    ctx.db.conn.commit()
    ctx.close()
    ctx = open_context(paths, clock)
    try:
        with pytest.raises(LoginFailed):
            authenticate(ctx.db, clock, "clerk", "")
        admin = _admin(ctx)
        OperatorService(ctx.db, clock, admin).reset_password("old", "258014")
        assert authenticate(ctx.db, clock, "clerk", "258014").operator_id == "old"
    finally:
        ctx.close()


def test_idle_lock_minutes_is_a_declared_setting(ctx: AppContext) -> None:
    from core.config import SettingsError

    assert ctx.settings.get("idle_lock_minutes") == 5
    ctx.settings.set("idle_lock_minutes", 240)
    assert ctx.settings.get("idle_lock_minutes") == 240
    for bad in (0, 241, "5"):
        with pytest.raises(SettingsError):
            ctx.settings.set("idle_lock_minutes", bad)
