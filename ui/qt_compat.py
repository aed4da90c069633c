"""Work-arounds for defects of the Qt binding in use, each detected before it is applied.

PySide6 6.12.0 on CPython 3.11 loses references to two objects it returns:

- every ``SignalInstance.emit()`` returns ``True`` without taking a reference to it;
- every wrapped C++ method that returns nothing (``setText``, ``setInterval``,
  ``processEvents`` …) returns ``None`` the same way.

After a few thousand such calls (a progress bar, a day at the counter, a timer loop)
CPython frees ``True`` or ``None`` and aborts ("bool_dealloc" / "none_dealloc:
deallocating None"). CPython 3.12 made both immortal, which hides the defect there.
Until the binding is fixed (or pinned away from), :func:`apply` gives them the same
immortality: a very large reference count, set once, only when a probe shows calls are
losing references to it.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("loandesk.ui")

_PROBE_EMITS = 16
_PIN = 1 << 40  # far beyond any count of emits; far below the Py_ssize_t limit
_applied = False


class _Probe(QObject):
    sig_probe = Signal(int)
    """Emitted only to measure the binding's reference handling."""


def emit_loses_true_references() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.sig_probe.emit(0)
    return sys.getrefcount(True) <= before - _PROBE_EMITS // 2


def void_calls_lose_none_references() -> bool:
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_EMITS):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - _PROBE_EMITS // 2


def apply() -> None:
    """Idempotent; called when ``ui`` is imported."""
    global _applied
    if _applied:
        return
    _applied = True
    if emit_loses_true_references():
        ctypes.c_ssize_t.from_address(id(True)).value += _PIN
        log.info("Qt binding work-around: emit() drops references to True; True pinned")
    if void_calls_lose_none_references():
        ctypes.c_ssize_t.from_address(id(None)).value += _PIN
        log.info("Qt binding work-around: calls returning nothing drop references to None; pinned")
