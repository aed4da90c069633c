"""Stores, one-time enrollment codes, devices and their bearer tokens.

Enrollment codes and tokens are stored only as sha256 digests. A code is good for one
enrollment; a token is 32 random bytes (URL-safe base64). Re-enrolling a device id
(a lost token, a reinstalled PC) replaces its token and lifts a revocation.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from core.sync.wire import EnrollRequest, HeartbeatRequest
from server.db import Database, utc_now

# Crockford base32 without I, L, O, U: nothing a clerk can misread when typing it.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_GROUPS = 3
_CODE_GROUP_LEN = 4


class EnrollRefused(Exception):
    """Wrong, used or unknown code or store: one answer for all, so nothing leaks."""


@dataclass(frozen=True)
class Device:
    device_id: str
    store_code: str
    revoked: bool


@dataclass(frozen=True)
class Enrolled:
    device_token: str
    device_id: str
    store_code: str
    store_name: str
    store_city: str


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_enrollment_code() -> str:
    groups = (
        "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUP_LEN))
        for _ in range(_CODE_GROUPS)
    )
    return "-".join(groups)


def add_store(db: Database, code: str, name: str | None = None, city: str | None = None) -> str:
    """Register ``code`` (or update its name/city) and return a new one-time code."""
    code = code.strip()
    if not code or len(code) > 20:
        raise ValueError("a store code has 1-20 characters")
    enrollment = new_enrollment_code()
    now = utc_now()
    with db.write() as conn:
        row = conn.execute("SELECT name, city FROM stores WHERE code = ?", (code,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO stores (code, name, city, created_at) VALUES (?, ?, ?, ?)",
                (code, name or code, city or "", now),
            )
        elif name is not None or city is not None:
            conn.execute(
                "UPDATE stores SET name = ?, city = ? WHERE code = ?",
                (name if name is not None else row[0], city if city is not None else row[1], code),
            )
        conn.execute(
            "INSERT INTO enrollment_codes (code_hash, store_code, created_at) VALUES (?, ?, ?)",
            (sha256_hex(normalize_code(enrollment)), code, now),
        )
    return enrollment


def enroll(db: Database, req: EnrollRequest) -> Enrolled:
    code_hash = sha256_hex(normalize_code(req.enrollment_code))
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with db.write() as conn:
        row = conn.execute(
            "SELECT e.store_code, e.code_hash, s.name, s.city FROM enrollment_codes e "
            "JOIN stores s ON s.code = e.store_code "
            "WHERE e.code_hash = ? AND e.used_at IS NULL",
            (code_hash,),
        ).fetchone()
        if row is None or str(row[0]) != req.store_code.strip():
            raise EnrollRefused
        conn.execute(
            "UPDATE enrollment_codes SET used_at = ?, used_by = ? WHERE code_hash = ?",
            (now, req.device_id, code_hash),
        )
        conn.execute(
            "INSERT INTO devices (device_id, store_code, token_hash, name, app_version, "
            "enrolled_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(device_id) DO UPDATE SET store_code = excluded.store_code, "
            "token_hash = excluded.token_hash, name = excluded.name, "
            "app_version = excluded.app_version, enrolled_at = excluded.enrolled_at, "
            "revoked_at = NULL",
            (req.device_id, row[0], sha256_hex(token), req.device_name, req.app_version, now),
        )
    return Enrolled(token, req.device_id, str(row[0]), str(row[2]), str(row[3]))


def device_for_token(db: Database, token: str) -> Device | None:
    with db.read() as conn:
        row = conn.execute(
            "SELECT device_id, store_code, revoked_at FROM devices WHERE token_hash = ?",
            (sha256_hex(token),),
        ).fetchone()
    if row is None:
        return None
    return Device(str(row[0]), str(row[1]), row[2] is not None)


def heartbeat(db: Database, device: Device, req: HeartbeatRequest) -> None:
    with db.write() as conn:
        conn.execute(
            "UPDATE devices SET heartbeat_at = ?, queue_size = ?, last_sync_at = ?, "
            "pack_version = ?, app_version = ?, client_time = ? WHERE device_id = ?",
            (
                utc_now(),
                req.queue_size,
                req.last_sync_at,
                req.pack_version,
                req.app_version,
                req.client_time,
                device.device_id,
            ),
        )


def revoke(db: Database, device_id: str) -> bool:
    """Revoke ``device_id``; False if no such device was ever enrolled."""
    with db.write() as conn:
        cur = conn.execute(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE device_id = ?",
            (utc_now(), device_id),
        )
        return cur.rowcount > 0


class EnrollThrottle:
    """At most ``attempts`` refused enrollments per store code in ``window`` seconds;
    then 429 with Retry-After (a code cannot be guessed by brute force)."""

    MAX_TRACKED = 10_000

    def __init__(self, attempts: int = 5, window: float = 60.0) -> None:
        self.attempts = attempts
        self.window = window
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}

    def _recent(self, store_code: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(store_code, []) if now - t < self.window]
        if kept:
            self._failures[store_code] = kept
        else:
            self._failures.pop(store_code, None)
        return kept

    def blocked_for(self, store_code: str) -> float:
        """Seconds until ``store_code`` may try again; 0 when it may now."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(store_code, now)
            if len(recent) < self.attempts:
                return 0.0
            return max(0.0, self.window - (now - recent[-self.attempts]))

    def failed(self, store_code: str) -> None:
        now = time.monotonic()
        with self._lock:
            recent = self._recent(store_code, now)
            if not recent and len(self._failures) >= self.MAX_TRACKED:
                self._failures.pop(next(iter(self._failures)))  # the oldest tracked code
            self._failures[store_code] = [*recent, now]
