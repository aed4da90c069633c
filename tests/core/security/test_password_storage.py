"""Passwords at rest: scrypt at today's guidance (OWASP: N=2^17, r=8, p=1), an older hash
raised to it at the next sign-in, and every hash sealed with the install's data key so a
copy of the database file alone gives nothing to guess a PIN against."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.operators.service import LoginFailed, OperatorService, authenticate, create_first_admin
from core.security import passwords
from core.security.permissions import Role
from core.store.operators_repo import OperatorsRepo

ROOT = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN_PW, PIN = "Boss2026admin", "258014"
OLD_COST = (2**14, 8, 1)  # what LoanDesk used before


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "shop"), FixedClock(T0))
    yield c
    c.close()


def _stored(ctx: AppContext, op_id: str) -> str:
    return str(
        ctx.db.execute("SELECT password_hash FROM operators WHERE id = ?", [op_id]).fetchone()[0]
    )


def _clerk(ctx: AppContext) -> str:
    create_first_admin(ctx.db, ctx.clock, "boss", "店长", ADMIN_PW)
    admin = OperatorService(ctx.db, ctx.clock, authenticate(ctx.db, ctx.clock, "boss", ADMIN_PW))
    return admin.create_operator("li", "李专员", Role.CLERK, PIN)


def test_the_default_scrypt_cost_is_owasps() -> None:
    """In a process of its own, where no test fixture lowers the cost."""
    assert passwords.DEFAULT_PARAMS == (2**17, 8, 1)
    code = (
        "from core.security import passwords as p; h = p.hash_password('258014'); "
        "print(h.split('$')[1:4], p.verify_password('258014', h))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == "['131072', '8', '1'] True", out.stderr


def test_an_old_hash_is_raised_to_todays_cost_at_the_next_sign_in(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = _clerk(ctx)
    repo = OperatorsRepo(ctx.db)
    with ctx.db.atomic():
        repo.set_password_hash(clerk, passwords.hash_password(PIN, params=OLD_COST), "t")
    monkeypatch.setattr(passwords, "COST", (2**15, 8, 1))  # "today's" cost, kept quick
    before = _stored(ctx, clerk)
    assert passwords.needs_rehash(repo.password_hash(clerk) or "")
    authenticate(ctx.db, ctx.clock, "li", PIN)
    after = repo.password_hash(clerk)
    assert after is not None and after.split("$")[1:4] == ["32768", "8", "1"]
    assert _stored(ctx, clerk) != before and not passwords.needs_rehash(after)
    authenticate(ctx.db, ctx.clock, "li", PIN)  # and it still signs in


def test_the_stored_hash_is_sealed_and_a_planted_or_moved_one_never_signs_in(
    ctx: AppContext,
) -> None:
    clerk = _clerk(ctx)
    raw = _stored(ctx, clerk)
    assert not raw.startswith("scrypt$") and "$" not in raw
    opened = OperatorsRepo(ctx.db).password_hash(clerk)
    assert opened is not None and opened.startswith("scrypt$")
    # someone with the file writes a hash of a PIN they know: refused
    planted = passwords.hash_password("369147")
    with ctx.db.atomic():
        ctx.db.execute("UPDATE operators SET password_hash = ? WHERE id = ?", [planted, clerk])
    with pytest.raises(LoginFailed):
        authenticate(ctx.db, ctx.clock, "li", "369147")
    # ... or copies the administrator's sealed hash onto the clerk: refused too
    admin_raw = ctx.db.execute(
        "SELECT password_hash FROM operators WHERE login = 'boss'"
    ).fetchone()[0]
    with ctx.db.atomic():
        ctx.db.execute("UPDATE operators SET password_hash = ? WHERE id = ?", [admin_raw, clerk])
    with pytest.raises(LoginFailed):
        authenticate(ctx.db, ctx.clock, "li", ADMIN_PW)


def test_the_upgrade_seals_hashes_stored_in_the_clear(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "shop")
    ctx = open_context(paths, FixedClock(T0))
    try:
        clerk = _clerk(ctx)
        with ctx.db.atomic():  # as the previous version left it
            ctx.db.execute(
                "UPDATE operators SET password_hash = ? WHERE id = ?",
                [passwords.hash_password(PIN, params=OLD_COST), clerk],
            )
            ctx.db.execute(
                "DELETE FROM _sqlite_migrations WHERE name = '0011_seal_password_hashes'"
            )
    finally:
        ctx.close()
    ctx = open_context(paths, FixedClock(T0))
    try:
        assert not _stored(ctx, clerk).startswith("scrypt$")
        authenticate(ctx.db, ctx.clock, "li", PIN)
    finally:
        ctx.close()
