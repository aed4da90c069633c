"""The screens reach the data only through their database lane (ui.db_lane): the GUI
thread never runs a statement, and a save that waits on another program's lock leaves
the window answering and says that it is waiting."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from core.context import AppContext, connect_context
from core.store.connection import ScreenTouchedDatabase
from tests.ui.conftest import CLEAN_ID, valid_state
from ui.db_lane import CoreLane
from ui.new_application import NewApplicationDialog
from ui.new_application.common import STEP_REVIEW
from ui.new_application.form_core import FormCore
from ui.tasks import TaskCancelled, ThreadRunner

ROOT = Path(__file__).resolve().parents[2]


def _as_screen_code(source: str, names: dict[str, Any]) -> None:
    """Run ``source`` as if it were a module of ``ui/`` (its frames carry that file)."""
    exec(compile(source, str(ROOT / "ui" / "probe_screen.py"), "exec"), names)


def test_screen_code_on_the_gui_thread_is_refused_and_the_lane_is_not(ctx: AppContext) -> None:
    """The guard the whole suite runs under: a statement from ``ui/`` code on the GUI
    thread fails the test; the same code on the lane's thread is fine."""
    assert threading.current_thread() is threading.main_thread()
    with pytest.raises(ScreenTouchedDatabase, match="probe_screen.py"):
        _as_screen_code("core.applications.count_all()", {"core": ctx})
    ctx.applications.count_all()  # the test's own read, not a screen's: allowed

    lane = CoreLane(lambda: connect_context(ctx.paths, ctx.clock, ctx.actor))
    try:
        found: dict[str, Any] = {}

        def on_lane(core: AppContext) -> int:
            names: dict[str, Any] = {"core": core, "found": found}
            _as_screen_code("found['n'] = core.applications.count_all()", names)
            return threading.get_ident()

        ident = lane.call(on_lane, "probe").result()
        assert found["n"] == ctx.applications.count_all()
        assert ident != threading.main_thread().ident
    finally:
        lane.close()
    with pytest.raises(TaskCancelled):  # the lane and its thread are gone
        lane.call(lambda core: None, "after_close").result()


def test_a_lane_runs_jobs_in_order_on_one_thread_and_reopens(ctx: AppContext, qtbot: Any) -> None:
    runner = ThreadRunner()
    opened: list[int] = []

    def opener() -> AppContext:
        opened.append(threading.get_ident())
        return connect_context(ctx.paths, ctx.clock, ctx.actor)

    lane = CoreLane(opener, runner)
    try:
        seen: list[tuple[str, int]] = []
        ops = [
            lane.call(lambda core, n=n: seen.append((str(n), threading.get_ident())), f"job{n}")
            for n in range(5)
        ]
        qtbot.waitUntil(lambda: all(op.done for op in ops), timeout=10_000)
        assert [name for name, _ in seen] == ["0", "1", "2", "3", "4"]
        assert len({ident for _, ident in seen}) == 1 and opened == [seen[0][1]]
        reopened = lane.reopen()
        after = lane.call(lambda core: core.applications.count_all(), "count")
        qtbot.waitUntil(lambda: reopened.done and after.done, timeout=10_000)
        assert after.succeeded and len(opened) == 2  # a fresh connection, same thread
        assert opened[1] == opened[0]
    finally:
        lane.close()


def test_save_waits_for_another_programs_lock_and_the_window_keeps_answering(
    qtbot: Any, ctx: AppContext
) -> None:
    """Another connection holds a write transaction: Save is queued on the lane, the
    form says it is waiting, the GUI keeps processing events, and the save completes as
    soon as the lock goes."""
    runner = ThreadRunner()
    lane = CoreLane(lambda: connect_context(ctx.paths, ctx.clock, ctx.actor), runner)
    blocker = sqlite3.connect(str(ctx.paths.database), timeout=1)
    try:
        dialog = NewApplicationDialog(FormCore(lane, ctx.applications.form_rules()), "en")
        qtbot.addWidget(dialog, before_close_func=lambda w: w.done(0))
        dialog.show()
        state = valid_state(id_number=CLEAN_ID)
        state["step"] = STEP_REVIEW
        dialog.restore(state)
        qtbot.waitUntil(lambda: dialog.review.outcome is not None, timeout=10_000)
        before = ctx.applications.count_all()

        blocker.execute("BEGIN IMMEDIATE")  # another program is writing
        ticks: list[int] = []
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start()
        saved: list[str] = []
        dialog.sig_saved.connect(saved.append)

        assert dialog.save() is None  # queued: nothing stored yet, nothing waited for
        assert not dialog.save_button.isEnabled()
        qtbot.waitUntil(lambda: "busy" in dialog.banner.text(), timeout=10_000)
        assert dialog.banner.text().startswith("Saving… the database is busy")
        answered = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= answered + 3, timeout=5_000)  # still answering
        assert not saved and dialog.isVisible()

        blocker.execute("COMMIT")  # the other program is done
        qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
        timer.stop()
        assert ctx.applications.count_all() == before + 1
        assert ctx.applications.row(saved[0]) is not None
        assert not dialog.isVisible()
    finally:
        if blocker.in_transaction:
            blocker.rollback()
        blocker.close()
        lane.close()
