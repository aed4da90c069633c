"""Refused enrolments, counted per caller and per store, so guessing is slowed down
without anyone else's wrong tries locking out the holder of a valid code.

Three counts over a sliding window (default one minute), each of *refused* attempts:

* per source address: ``per_source`` (20) refusals, whatever the store -> that
  address waits;
* per (source, store): ``per_pair`` (5) refusals for one store -> that address waits
  for that store;
* per store, from everywhere: ``per_store`` (50) refusals -> every address that has
  itself been refused for that store in the window waits. An address with no refusal
  of its own (the clerk with the right code) is always heard.

A code is 60 random bits and expires (``server.devices``), so the throttle is not what
keeps codes secret; it keeps noise and scripted guessing off the database. Store codes
are keyed in their normalised form (:func:`normalize_store_code`), so ``"\\rS002\\r"`` or
full-width ``Ｓ００２`` are the same store as ``S002``. Behind a reverse proxy the source
is the proxy unless uvicorn is told to trust its ``X-Forwarded-For`` (server/README.md).
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Callable


def normalize_store_code(code: str) -> str:
    """NFKC, without spaces or control characters, upper case: how store codes compare."""
    text = unicodedata.normalize("NFKC", code)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ").upper()


class EnrollThrottle:
    MAX_TRACKED = 10_000  # keys per count; the oldest is forgotten first

    def __init__(
        self,
        per_source: int = 20,
        per_pair: int = 5,
        per_store: int = 50,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"source": per_source, "pair": per_pair, "store": per_store}
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, dict[str, list[float]]] = {k: {} for k in self.limits}

    def _recent(self, kind: str, key: str, now: float) -> list[float]:
        table = self._failures[kind]
        kept = [t for t in table.get(key, []) if now - t < self.window]
        if kept:
            table[key] = kept
        else:
            table.pop(key, None)
        return kept

    def _wait(self, kind: str, key: str, now: float) -> float:
        recent = self._recent(kind, key, now)
        limit = self.limits[kind]
        if len(recent) < limit:
            return 0.0
        return max(0.0, self.window - (now - recent[-limit]))

    def blocked_for(self, source: str, store_code: str) -> float:
        """Seconds until ``source`` may try ``store_code`` again; 0 when it may now."""
        store = normalize_store_code(store_code)
        pair = f"{source}\n{store}"
        now = self._clock()
        with self._lock:
            waits = [self._wait("source", source, now), self._wait("pair", pair, now)]
            if self._recent("pair", pair, now):  # only callers refused themselves
                waits.append(self._wait("store", store, now))
            return max(waits)

    def failed(self, source: str, store_code: str) -> None:
        store = normalize_store_code(store_code)
        now = self._clock()
        with self._lock:
            for kind, key in (("source", source), ("pair", f"{source}\n{store}"), ("store", store)):
                table = self._failures[kind]
                recent = self._recent(kind, key, now)
                if not recent and len(table) >= self.MAX_TRACKED:
                    table.pop(next(iter(table)))
                table[key] = [*recent, now]
