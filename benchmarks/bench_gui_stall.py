"""How long the GUI thread stalls while sync applies a 1,000,000-entry blacklist delta.

The real main window (offscreen), its real lanes on their own threads: the sync lane
adds a million digests in one write transaction (what a big delta does), and meanwhile
the clerk's lane saves an application (it waits for the write lock off the GUI thread)
and the GUI thread runs a 5 ms timer. The figure is the longest gap between ticks and
the p99 gap, beside the same timer on the idle window in the same run (ratio).
Goal: no stall over 50 ms.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import emit, percentile

ROOT = Path(__file__).resolve().parent.parent
TICK_MS = 5


def _digests(count: int, salt: str) -> Iterator[str]:
    for i in range(count):
        yield hashlib.sha256(f"{salt}:{i}".encode()).hexdigest()


def _gaps(busy: Callable[[], bool], max_s: float) -> list[float]:
    """Tick gaps (ms) on the GUI thread until ``busy()`` is False (or ``max_s``)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    stamps: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    timer.start()
    end = time.perf_counter() + max_s
    while time.perf_counter() < end and (busy() or len(stamps) < 40):
        QApplication.processEvents()
        time.sleep(0.0005)
    timer.stop()
    return [(b - a) * 1000 for a, b in zip(stamps, stamps[1:], strict=False)]


def run(count: int = 1_000_000) -> None:
    """In a fresh process: a QApplication left behind by an earlier benchmark of the same
    run (its windows, timers and lanes) must not share the GUI thread being measured."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_gui_stall", str(count)],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"bench_gui_stall failed: {done.stderr[-2000:]}")
    print(lines[-1], flush=True)


def measure(count: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from core.config import resolve_paths
    from core.context import open_context
    from core.demo_data import DemoGenerator, load_demo_catalog
    from ui.app import make_main_window

    _app = QApplication.instance() or QApplication([])
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        ctx = open_context(resolve_paths(Path(tmp) / "app"))
        window = make_main_window(ctx, "en", auto_sync=False)
        window.show()
        idle = _gaps(lambda: False, 1.0)
        if len(idle) < 2:
            raise RuntimeError("the idle window's timer did not tick: nothing to compare")

        def add_million(core: Any, _progress: Any, _cancel: Any) -> int:
            return int(core.rules.add_blacklist_digests("id", _digests(count, tmp), "server"))

        started = time.perf_counter()
        delta = window.sync.lane.job(add_million, "bench_blacklist_delta")
        gen = DemoGenerator(7, ctx.clock.now().date(), load_demo_catalog())
        save = window.lane.call(lambda core: core.applications.save(gen.application()), "save")
        busy = _gaps(lambda: not (delta.done and save.done), 600.0)
        took = time.perf_counter() - started
        assert delta.succeeded and save.succeeded, "the delta and the save both complete"
        window.close()
        ctx.close()
    emit(
        {
            "bench": "gui_stall_during_1m_blacklist_delta",
            "entries": count,
            "delta_s": took,
            "max_gap_ms": max(busy),
            "p99_gap_ms": percentile(busy, 0.99),
            "idle_max_gap_ms": max(idle),
            "idle_p99_gap_ms": percentile(idle, 0.99),
            "ratio_p99": percentile(busy, 0.99) / percentile(idle, 0.99),
            "goal": "max gap under 50 ms",
            "timer_ms": TICK_MS,
        }
    )


if __name__ == "__main__":
    import keyring

    from core.security.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # throwaway data: its keys live in memory
    measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
