"""Operator passwords and PINs: scrypt hashes, the policy, and the login throttle.

A hash is ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``: the cost travels with the
hash, so :data:`DEFAULT_PARAMS` can be raised later and :func:`needs_rehash` tells the
login service to re-hash on the next successful login. The database never holds this
text as it is: core/store/operators_repo.py seals it with the install's data key (kept
in the OS keyring), so a copy of the file alone gives nothing to guess against.
Passwords are NFKC-normalized first, so full-width digits typed with a Chinese IME
equal ASCII ones.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.security.permissions import Role

#: n, r, p: OWASP's scrypt guidance (N=2^17, r=8, p=1): 128 MiB and a few hundred ms per
#: hash, so guessing a 6-digit PIN offline costs about a CPU-month instead of a day
DEFAULT_PARAMS = (2**17, 8, 1)
#: the cost new hashes get and below which a stored hash is re-hashed at the next sign-in.
#: Always DEFAULT_PARAMS in the app; the test suite lowers it (tests/conftest.py) so that
#: its hundreds of sign-ins stay fast, and proves the default separately.
COST: tuple[int, int, int] = DEFAULT_PARAMS
_MAX_PARAMS = (2**20, 32, 16)  # refuse absurd costs from a tampered database
_SALT_BYTES = 16
_HASH_BYTES = 32

PIN_MIN_DIGITS = 6
PASSWORD_MIN_LENGTH = 8


# --- hashing ---------------------------------------------------------------------------


def hash_password(password: str, *, params: tuple[int, int, int] | None = None) -> str:
    """A new hash at ``params`` (default :data:`COST`)."""
    if not password:
        raise ValueError("empty password")
    n, r, p = params or COST
    salt = os.urandom(_SALT_BYTES)
    digest = _scrypt(_normalize(password), salt, n, r, p)
    return "$".join(["scrypt", str(n), str(r), str(p), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check. ``stored=None`` (unknown login) still spends one hash of
    time, so a wrong name and a wrong password look the same. A malformed stored hash
    is never a match."""
    parsed = _parse(stored) if stored else None
    if parsed is None or not password:
        _scrypt(b"dummy", b"\0" * _SALT_BYTES, *COST)
        return False
    n, r, p, salt, expected = parsed
    return hmac.compare_digest(_scrypt(_normalize(password), salt, n, r, p), expected)


def needs_rehash(stored: str, params: tuple[int, int, int] | None = None) -> bool:
    """True when ``stored`` is malformed or any of its n, r, p is below ``params``
    (default :data:`COST`)."""
    parsed = _parse(stored)
    if parsed is None:
        return True
    n, r, p, salt, digest = parsed
    want_params = params or COST
    low = any(have < want for have, want in zip((n, r, p), want_params, strict=True))
    return low or len(salt) < _SALT_BYTES or len(digest) < _HASH_BYTES


def _normalize(password: str) -> bytes:
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def _scrypt(pw: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    maxmem = 128 * r * (n + p + 2) + (1 << 20)
    return hashlib.scrypt(pw, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=_HASH_BYTES)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or not salt or not digest:
        return None
    if n > _MAX_PARAMS[0] or r > _MAX_PARAMS[1] or p > _MAX_PARAMS[2]:
        return None
    return n, r, p, salt, digest


# --- policy ----------------------------------------------------------------------------


def check_password_policy(password: str, role: Role | str) -> list[str]:
    """Codes of every rule ``password`` breaks for ``role`` (empty list = acceptable).

    Clerks may use a PIN of at least six digits; field managers and admins need at least
    eight characters with letters and digits. Nobody may use one repeated character,
    a run of consecutive digits, or a short block repeated (123123, 520520).
    """
    pw = unicodedata.normalize("NFKC", password)
    codes: list[str] = []
    is_pin = pw.isascii() and pw.isdigit()
    if is_pin and Role(role) is Role.CLERK:
        if len(pw) < PIN_MIN_DIGITS:
            codes.append("SECURITY_PIN_TOO_SHORT")
    else:
        if len(pw) < PASSWORD_MIN_LENGTH:
            codes.append("SECURITY_PW_TOO_SHORT")
        if not (any(c.isalpha() for c in pw) and any(c.isdigit() for c in pw)):
            codes.append("SECURITY_PW_LETTER_AND_DIGIT")
    if len(pw) > 1 and len(set(pw)) == 1:
        codes.append("SECURITY_PW_ALL_SAME")
    elif _is_repeated_block(pw):
        codes.append("SECURITY_PW_REPEATING")
    if is_pin and len(pw) > 2 and _is_sequential(pw):
        codes.append("SECURITY_PW_SEQUENTIAL")
    return codes


def policy_params(code: str) -> dict[str, int]:
    """The parameters the text of a policy code needs (for ``core.i18n.translate``)."""
    return {
        "SECURITY_PIN_TOO_SHORT": {"min_length": PIN_MIN_DIGITS},
        "SECURITY_PW_TOO_SHORT": {"min_length": PASSWORD_MIN_LENGTH},
    }.get(code, {})


def _is_sequential(digits: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})  # 123456, 890123 / 654321, 210987


def _is_repeated_block(text: str) -> bool:
    return len(text) >= 4 and text in (text + text)[1:-1]


# --- throttle --------------------------------------------------------------------------


@dataclass
class _Entry:
    failures: int
    last_failure: datetime


class LoginThrottle:
    """Growing wait after failed logins, per login name. Pure: no I/O, and time comes in
    as ``now`` (from the app's :class:`core.clock.Clock`).

    After the first ``free_failures`` failures the next attempt is free; then each failure
    doubles the wait from ``base_delay_s`` up to ``max_delay_s`` (3 free: 0, 0, 0, 2 s, 4 s, 8 s ...
    5 min). A success clears the login; a quiet ``reset_after_s`` forgives old failures.
    Unknown login names are throttled the same way, so names cannot be probed. Times are
    timezone-aware datetimes from the app's clock; a clock set back never shortens a wait.
    The state survives restarts through :meth:`to_dict` / :meth:`from_dict`.
    """

    def __init__(
        self,
        *,
        free_failures: int = 3,
        base_delay_s: float = 2.0,
        max_delay_s: float = 300.0,
        reset_after_s: float = 24 * 3600.0,
    ) -> None:
        self.free_failures = free_failures
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.reset_after_s = reset_after_s
        self._entries: dict[str, _Entry] = {}

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after ``failures`` consecutive failures."""
        if failures <= self.free_failures:
            return 0.0
        exponent = min(failures - self.free_failures - 1, 32)
        return float(min(self.max_delay_s, self.base_delay_s * 2**exponent))

    def check(self, login: str, now: datetime) -> float:
        """Seconds before ``login`` may try again (0.0 = now)."""
        entry = self._current(login, now)
        if entry is None:
            return 0.0
        elapsed = max(0.0, (now - entry.last_failure).total_seconds())
        return max(0.0, self.delay_after(entry.failures) - elapsed)

    def record_failure(self, login: str, now: datetime) -> float:
        """Count a failure; returns the wait before the next attempt."""
        entry = self._current(login, now)
        failures = entry.failures + 1 if entry else 1
        self._entries[_key(login)] = _Entry(failures, now)
        return self.check(login, now)

    def record_success(self, login: str) -> None:
        self._entries.pop(_key(login), None)

    def failures(self, login: str, now: datetime) -> int:
        entry = self._current(login, now)
        return entry.failures if entry else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "logins": {
                k: {"failures": e.failures, "last_failure": e.last_failure.isoformat()}
                for k, e in sorted(self._entries.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Any, **settings: Any) -> LoginThrottle:
        """Rebuild from :meth:`to_dict` (``settings`` as for the constructor); a malformed
        state raises ``ValueError`` rather than silently forgetting failures."""
        throttle = cls(**settings)
        if not isinstance(data, dict) or data.get("version") != 1:
            raise ValueError("login throttle state: unknown format")
        logins = data.get("logins")
        if not isinstance(logins, dict):
            raise ValueError("login throttle state: 'logins' is not an object")
        for login, raw in logins.items():
            try:
                failures = raw["failures"]
                last = datetime.fromisoformat(raw["last_failure"])
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"login throttle state: bad entry ({exc})") from None
            if not isinstance(failures, int) or failures < 1 or last.tzinfo is None:
                raise ValueError("login throttle state: bad entry")
            throttle._entries[str(login)] = _Entry(failures, last)
        return throttle

    def _current(self, login: str, now: datetime) -> _Entry | None:
        if now.tzinfo is None:
            raise ValueError("LoginThrottle needs timezone-aware times")
        entry = self._entries.get(_key(login))
        if entry is None:
            return None
        if now < entry.last_failure:  # the clock was set back: the wait restarts from now
            entry.last_failure = now
        quiet = (now - entry.last_failure).total_seconds()
        if quiet >= self.reset_after_s + self.delay_after(entry.failures):
            del self._entries[_key(login)]
            return None
        return entry


def _key(login: str) -> str:
    return unicodedata.normalize("NFKC", login).strip().casefold()
