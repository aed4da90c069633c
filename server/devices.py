"""Stores, one-time enrollment codes, devices and their bearer tokens.

Enrollment codes and tokens are stored only as sha256 digests. A code is good for one
enrollment within its validity (:data:`CODE_VALID_DAYS` days unless ``add-store``
says otherwise); a token is 32 random bytes (URL-safe base64). Store codes compare in
their normalised form (:func:`server.enroll_throttle.normalize_store_code`).

A device id is bound to the store it first enrolled at. Enrolling it again at the
same store (a lost token, a reinstalled PC) replaces its token; at another store it is
refused (``DEVICE_OTHER_STORE``), and a revoked device stays revoked
(``DEVICE_REVOKED``): device ids are printed by ``enroll``, so they are not secret.
Only head office lifts either, with ``release`` (the device is forgotten: its token
stops working, and it may enroll again, anywhere, with a new code).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.sync.wire import EnrollRequest, HeartbeatRequest
from server.db import Database, utc_now
from server.enroll_throttle import EnrollThrottle, normalize_store_code

__all__ = ["EnrollThrottle", "normalize_store_code"]  # the throttle lives next door

CODE_VALID_DAYS = 7

# Crockford base32 without I, L, O, U: nothing a clerk can misread when typing it.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_GROUPS = 3
_CODE_GROUP_LEN = 4


class EnrollRefused(Exception):
    """Wrong, used, expired or unknown code or store: one answer for all, so nothing
    leaks (and the throttle counts it)."""


class DeviceBound(Exception):
    """A right code, but the device id may not enroll with it: ``code`` says why
    (``DEVICE_OTHER_STORE`` or ``DEVICE_REVOKED``). The code is not spent."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


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


def add_store(
    db: Database,
    code: str,
    name: str | None = None,
    city: str | None = None,
    valid_days: int = CODE_VALID_DAYS,
) -> str:
    """Register ``code`` (or update its name/city) and return a new one-time code,
    good for ``valid_days`` days."""
    code = normalize_store_code(code)
    if not code or len(code) > 20:
        raise ValueError("a store code has 1-20 letters or digits")
    if not 1 <= valid_days <= 365:
        raise ValueError("an enrollment code is valid for 1-365 days")
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
            "INSERT INTO enrollment_codes (code_hash, store_code, created_at, valid_days) "
            "VALUES (?, ?, ?, ?)",
            (sha256_hex(normalize_code(enrollment)), code, now, valid_days),
        )
    return enrollment


def enroll(db: Database, req: EnrollRequest) -> Enrolled:
    code_hash = sha256_hex(normalize_code(req.enrollment_code))
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with db.write() as conn:
        row = conn.execute(
            "SELECT e.store_code, e.created_at, e.valid_days, s.name, s.city "
            "FROM enrollment_codes e JOIN stores s ON s.code = e.store_code "
            "WHERE e.code_hash = ? AND e.used_at IS NULL",
            (code_hash,),
        ).fetchone()
        if (
            row is None
            or normalize_store_code(str(row[0])) != normalize_store_code(req.store_code)
            or _expired(str(row[1]), int(row[2]), now)
        ):
            raise EnrollRefused
        bound = conn.execute(
            "SELECT store_code, revoked_at FROM devices WHERE device_id = ?", (req.device_id,)
        ).fetchone()
        if bound is not None and str(bound[0]) != str(row[0]):
            raise DeviceBound("DEVICE_OTHER_STORE")
        if bound is not None and bound[1] is not None:
            raise DeviceBound("DEVICE_REVOKED")
        conn.execute(
            "UPDATE enrollment_codes SET used_at = ?, used_by = ? WHERE code_hash = ?",
            (now, req.device_id, code_hash),
        )
        conn.execute(
            "INSERT INTO devices (device_id, store_code, token_hash, name, app_version, "
            "enrolled_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(device_id) DO UPDATE SET token_hash = excluded.token_hash, "
            "name = excluded.name, app_version = excluded.app_version, "
            "enrolled_at = excluded.enrolled_at",
            (req.device_id, row[0], sha256_hex(token), req.device_name, req.app_version, now),
        )
    return Enrolled(token, req.device_id, str(row[0]), str(row[3]), str(row[4]))


def _expired(created_at: str, valid_days: int, now: str) -> bool:
    try:
        made = datetime.fromisoformat(created_at)
    except ValueError:
        return True
    return datetime.fromisoformat(now) >= made + timedelta(days=valid_days)


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


def release(db: Database, device_id: str) -> bool:
    """Forget ``device_id`` (head office moves a PC to another store, or lets a revoked
    one back): its token stops working at once and it may enroll again with a new code.
    False if no such device is enrolled."""
    with db.write() as conn:
        return conn.execute("DELETE FROM devices WHERE device_id = ?", (device_id,)).rowcount > 0


def revoke(db: Database, device_id: str) -> bool:
    """Revoke ``device_id``; False if no such device was ever enrolled."""
    with db.write() as conn:
        cur = conn.execute(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE device_id = ?",
            (utc_now(), device_id),
        )
        return cur.rowcount > 0
