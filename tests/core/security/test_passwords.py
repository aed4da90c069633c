"""Operator passwords: scrypt hashes, the policy, and the growing wait after failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from core import i18n
from core.clock import FixedClock
from core.security import passwords
from core.security.passwords import (
    LoginThrottle,
    check_password_policy,
    hash_password,
    needs_rehash,
    policy_params,
    verify_password,
)
from core.security.permissions import Role

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)


def test_hash_and_verify() -> None:
    stored = hash_password("Counter2026")
    kind, n, r, p, salt, digest = stored.split("$")
    assert (kind, int(n), int(r), int(p)) == ("scrypt", *passwords.COST)
    assert "Counter2026" not in stored
    assert verify_password("Counter2026", stored)
    assert not verify_password("counter2026", stored)
    assert not verify_password("", stored)
    assert hash_password("Counter2026") != stored  # fresh salt
    assert not needs_rehash(stored)


def test_full_width_digits_equal_ascii() -> None:
    assert verify_password("２５８０１４", hash_password("258014"))


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "bcrypt$x",
        "scrypt$16384$8$1$!!$AAAA",
        "scrypt$1000$8$1$AAAA$AAAA",
        "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",
    ],
)
def test_unknown_or_malformed_hash_never_matches(stored: str | None) -> None:
    assert not verify_password("anything1", stored)
    if stored is not None:
        assert needs_rehash(stored)


def test_needs_rehash_when_cheaper_than_default() -> None:
    n, r, p = passwords.COST  # the suite's; the app's own is DEFAULT_PARAMS
    assert needs_rehash(hash_password("Counter2026", params=(n // 4, r, p)))
    assert needs_rehash(hash_password("Counter2026", params=(n, r // 2, p)))
    cheap = hash_password("Counter2026", params=(2**10, 8, 1))
    assert verify_password("Counter2026", cheap)  # still accepted until re-hashed
    assert not needs_rehash(hash_password("Counter2026", params=(n * 2, r, p)))
    with pytest.raises(ValueError):
        hash_password("")


@pytest.mark.parametrize(
    ("password", "role", "codes"),
    [
        ("258014", Role.CLERK, []),
        ("25801", Role.CLERK, ["SECURITY_PIN_TOO_SHORT"]),
        ("888888", Role.CLERK, ["SECURITY_PW_ALL_SAME"]),
        ("123456", Role.CLERK, ["SECURITY_PW_SEQUENTIAL"]),
        ("654321", Role.CLERK, ["SECURITY_PW_SEQUENTIAL"]),
        ("890123", Role.CLERK, ["SECURITY_PW_SEQUENTIAL"]),
        ("520520", Role.CLERK, ["SECURITY_PW_REPEATING"]),
        ("１２３４５６", Role.CLERK, ["SECURITY_PW_SEQUENTIAL"]),
        ("Counter2026", Role.CLERK, []),
        ("Counter2026", Role.ADMIN, []),
        ("门店2026abc", Role.FIELD_MANAGER, []),
        ("258014", Role.FIELD_MANAGER, ["SECURITY_PW_TOO_SHORT", "SECURITY_PW_LETTER_AND_DIGIT"]),
        ("25801479", Role.ADMIN, ["SECURITY_PW_LETTER_AND_DIGIT"]),
        ("12345678", Role.ADMIN, ["SECURITY_PW_LETTER_AND_DIGIT", "SECURITY_PW_SEQUENTIAL"]),
        ("abc123", Role.ADMIN, ["SECURITY_PW_TOO_SHORT"]),
        ("abcdefghij", Role.ADMIN, ["SECURITY_PW_LETTER_AND_DIGIT"]),
        ("ab12ab12", Role.ADMIN, ["SECURITY_PW_REPEATING"]),
        ("", Role.CLERK, ["SECURITY_PW_TOO_SHORT", "SECURITY_PW_LETTER_AND_DIGIT"]),
        ("aaaaaaaa", "admin", ["SECURITY_PW_LETTER_AND_DIGIT", "SECURITY_PW_ALL_SAME"]),
    ],
)
def test_policy(password: str, role: Role | str, codes: list[str]) -> None:
    assert check_password_policy(password, role) == codes


def test_policy_codes_have_text() -> None:
    for code in ["SECURITY_PIN_TOO_SHORT", "SECURITY_PW_TOO_SHORT", "SECURITY_PW_SEQUENTIAL"]:
        zh = i18n.translate(code, "zh_CN", **policy_params(code))
        en = i18n.translate(code, "en", **policy_params(code))
        assert zh != code and en != code and "{" not in zh + en
    pin = "SECURITY_PIN_TOO_SHORT"
    assert "6 digits" in i18n.translate(pin, "en", **policy_params(pin))


# --- throttle ---------------------------------------------------------------------------


def test_throttle_grows_caps_and_resets() -> None:
    clock = FixedClock(NOW)
    t = LoginThrottle()
    waits = [t.record_failure("alice", clock.now()) for _ in range(14)]
    assert waits == [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    assert t.check("alice", clock.now()) == 300
    clock.advance(timedelta(seconds=100))
    assert t.check("alice", clock.now()) == 200
    assert t.check("bob", clock.now()) == 0  # per login
    t.record_success("alice")
    assert t.check("alice", clock.now()) == 0 and t.failures("alice", clock.now()) == 0


def test_wait_counts_down_and_next_failure_doubles() -> None:
    clock = FixedClock(NOW)
    t = LoginThrottle()
    for _ in range(4):
        t.record_failure("alice", clock.now())
    assert t.check("alice", clock.now()) == 2
    clock.advance(timedelta(seconds=1.5))
    assert t.check("alice", clock.now()) == 0.5
    clock.advance(timedelta(seconds=1))
    assert t.check("alice", clock.now()) == 0
    assert t.record_failure("alice", clock.now()) == 4


def test_login_names_are_normalized_and_unknown_names_throttled() -> None:
    t = LoginThrottle()
    for name in ("Alice", " alice", "ALICE ", "alice"):
        t.record_failure(name, NOW)
    assert t.check("alice", NOW) == 2
    for _ in range(4):
        t.record_failure("nobody-such", NOW)
    assert t.check("nobody-such", NOW) == 2


def test_persistence_round_trip() -> None:
    clock = FixedClock(NOW)
    t = LoginThrottle()
    for _ in range(6):
        t.record_failure("alice", clock.now())
    t.record_failure("bob", clock.now())
    clock.advance(timedelta(seconds=3))
    text = json.dumps(t.to_dict())
    restored = LoginThrottle.from_dict(json.loads(text))
    assert restored.to_dict() == t.to_dict()
    assert restored.check("alice", clock.now()) == t.check("alice", clock.now()) == 5
    assert restored.failures("bob", clock.now()) == 1
    assert restored.record_failure("alice", clock.now()) == 16


@pytest.mark.parametrize(
    "state",
    [
        None,
        {"version": 2, "logins": {}},
        {"version": 1, "logins": []},
        {"version": 1, "logins": {"a": {"failures": "3", "last_failure": NOW.isoformat()}}},
        {"version": 1, "logins": {"a": {"failures": 3, "last_failure": "yesterday"}}},
        {"version": 1, "logins": {"a": {"failures": 3, "last_failure": "2026-11-27T10:30:00"}}},
        {"version": 1, "logins": {"a": {"failures": 0, "last_failure": NOW.isoformat()}}},
    ],
)
def test_malformed_state_is_an_error(state: object) -> None:
    with pytest.raises(ValueError):
        LoginThrottle.from_dict(state)


def test_clock_set_back_never_shortens_and_never_locks_forever() -> None:
    clock = FixedClock(NOW)
    t = LoginThrottle()
    for _ in range(6):
        t.record_failure("alice", clock.now())
    assert t.check("alice", clock.now()) == 8
    clock.advance(timedelta(days=-2))
    assert t.check("alice", clock.now()) == 8  # full wait, counted from now
    clock.advance(timedelta(seconds=8))
    assert t.check("alice", clock.now()) == 0


def test_quiet_period_forgives_old_failures() -> None:
    clock = FixedClock(NOW)
    t = LoginThrottle(reset_after_s=3600)
    for _ in range(5):
        t.record_failure("alice", clock.now())
    clock.advance(timedelta(seconds=3600 + 4))
    assert t.failures("alice", clock.now()) == 0
    assert t.to_dict()["logins"] == {}
    assert t.record_failure("alice", clock.now()) == 0


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        LoginThrottle().check("alice", datetime(2026, 1, 1))
