"""The dashboard window opened on 100,000 applications (goal: under 300 ms), as a ratio
to the same window opened on an empty database in the same run, alternating.

Timed from ``Tools → Dashboard…`` (ui.field_tools) to the window painted with every
figure, chart and table filled: the window is built, the figures are read on its
database lane (a worker thread, as in the app) and shown. ``month`` is the period the
window opens on; ``all`` then picks a range holding all 100,000 (the worst case).
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.bench_signin import COUNT, _add_admin, _with_file_keyring, big_data_dir
from benchmarks.common import emit, latency_figures


def _open_ms(data_dir: Path, rounds: int) -> dict[str, list[float]]:
    """Open (and close) the dashboard ``rounds`` times on ``data_dir``'s main window."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from core.config import resolve_paths
    from core.context import open_context
    from ui.app import make_main_window

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as the sign-in bench's driver
    app = QApplication.instance() or QApplication([])
    ctx = open_context(resolve_paths(data_dir))
    window = make_main_window(ctx, "zh_CN", auto_sync=False)
    window.resize(1366, 768)
    window.show()
    out: dict[str, list[float]] = {"month": [], "all": []}

    def settle(op: object) -> None:
        loop = QEventLoop()
        deadline = time.monotonic() + 60  # bounded: the lane answers well before
        while not op.done and time.monotonic() < deadline:  # type: ignore[attr-defined]
            loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        if not op.done:  # type: ignore[attr-defined]
            raise RuntimeError("the dashboard did not open within a minute")
        app.processEvents()

    try:
        settle(window.lane.call(lambda _core: None, "warm"))  # the list's first page is in
        tools = window.field_tools
        for _ in range(rounds):
            t = time.perf_counter()
            d = tools.open_dashboard()
            settle(d.op)
            d.repaint()
            out["month"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            d.period_bar.choose("range", date(2000, 1, 1), date(2100, 1, 1))
            settle(d.op)
            d.repaint()
            out["all"].append((time.perf_counter() - t) * 1000)
            d.close()
            d.deleteLater()
            tools.dashboard = None
            app.processEvents()
    finally:
        window.close()
        ctx.close()
    return out


def bench_dashboard_window(big: Path, keys: Path, rounds: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty, empty_keys = Path(tmp) / "data", Path(tmp) / "keyring.json"
        _add_admin(empty, empty_keys)
        measured: dict[str, list[float]] = {"month": [], "all": []}
        baseline: dict[str, list[float]] = {"month": [], "all": []}

        def one(target: dict[str, list[float]], data: Path) -> None:
            for name, values in _open_ms(data, 1).items():
                target[name] += values

        # the first open of each may migrate or warm caches: not timed
        warm: dict[str, list[float]] = {"month": [], "all": []}
        _with_file_keyring(keys, lambda: one(warm, big))
        _with_file_keyring(empty_keys, lambda: one(warm, empty))
        for _ in range(rounds):
            _with_file_keyring(empty_keys, lambda: one(baseline, empty))
            _with_file_keyring(keys, lambda: one(measured, big))
    for name in ("month", "all"):
        emit(
            {
                "bench": f"dashboard_window_{name}",
                **latency_figures(measured[name], baseline[name]),
                "goal_ms": 300,
                "applications": COUNT,
                "measured": "Tools → Dashboard… to the window painted with every figure, "
                "read on its lane"
                if name == "month"
                else "a range holding all of them chosen in the open window, to repainted",
                "baseline": "the same window opened on an empty database",
            }
        )


def run() -> None:
    big, keys = big_data_dir()
    bench_dashboard_window(big, keys)


if __name__ == "__main__":
    import keyring

    from core.security.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    run()
