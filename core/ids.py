"""Client-chosen ids. UUIDv7 (RFC 9562): time-ordered, so ids sort by creation and
index well, and random enough to be a permanent idempotency key on the server."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7(now_ms: int | None = None) -> str:
    """A UUIDv7 string; ids made in this process are strictly increasing.

    Within one millisecond a 12-bit counter in ``rand_a`` keeps the order
    (RFC 9562, method 1); if it overflows the timestamp is nudged forward.
    """
    global _last_ms, _counter
    if now_ms is not None:  # an explicit time (back-dated demo data): no ordering promise
        return _build(now_ms, int.from_bytes(os.urandom(2), "big") & 0xFFF)
    with _lock:
        ms = int(time.time() * 1000)
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF  # leave room to count
        _last_ms = ms
        counter = _counter
    return _build(ms, counter)


def _build(ms: int, counter: int) -> str:
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return str(uuid.UUID(int=value))


def is_uuid7(text: str) -> bool:
    try:
        u = uuid.UUID(text)
    except (ValueError, AttributeError, TypeError):
        return False
    return u.version == 7 and str(u) == text
