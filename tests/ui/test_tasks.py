"""The background runner: operations, progress, cancel; synchronous and on a real thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, QThread

from tests.ui.manual_timer import ManualTimer
from ui.tasks import (
    PROGRESS_DELAY_MS,
    CancelFn,
    ProgressDelay,
    ProgressFn,
    SynchronousRunner,
    TaskCancelled,
    ThreadRunner,
    run,
    runner_for,
)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []
        self.threads: list[QThread] = []

    def __call__(self, *event: Any) -> None:
        self.events.append(event)
        self.threads.append(QThread.currentThread())


def counting_job(n: int, seen: list[int] | None = None) -> Any:
    def count(progress: ProgressFn, cancel: CancelFn) -> int:
        if seen is not None:
            seen.append(threading.get_ident())
        for i in range(n):
            if cancel():
                return i
            progress("count", i + 1, n)
        return n

    return count


def failing_job(progress: ProgressFn, cancel: CancelFn) -> None:
    raise ValueError("boom")


@pytest.fixture
def thread_runner(qapp: Any) -> Iterator[ThreadRunner]:
    runner = ThreadRunner()
    yield runner
    runner.shutdown()


# --- synchronous runner: what unit tests of screens use ------------------------------------
def test_synchronous_runner_delivers_in_order_even_to_callbacks_attached_late() -> None:
    runner = SynchronousRunner()
    signals = Recorder()
    runner.sig_task_progress.connect(lambda *a: signals("progress", *a))
    runner.sig_task_succeeded.connect(lambda *a: signals("ok", *a))
    runner.sig_busy_changed.connect(lambda busy: signals("busy", busy))
    got = Recorder()
    op = run(None, counting_job(3), runner=runner)
    op.on_success(lambda r: got("success", r)).on_failure(lambda e: got("failure", e))
    op.on_finished(lambda: got("finished"))
    assert op.done and op.succeeded
    assert got.events == [("success", 3), ("finished",)]
    assert signals.events == [
        ("busy", True),
        ("progress", 1, "count", 1, 3),
        ("progress", 1, "count", 2, 3),
        ("progress", 1, "count", 3, 3),
        ("ok", 1, 3),
        ("busy", False),
    ]


def test_a_failure_goes_to_on_failure_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    got = Recorder()
    op = run(None, failing_job, runner=SynchronousRunner())
    op.on_success(lambda r: got("success", r)).on_failure(lambda e: got("failure", str(e)))
    assert got.events == [("failure", "boom")]
    assert "task failing_job failed" in caplog.text and "ValueError" in caplog.text


def test_run_finds_the_runner_of_the_window_it_belongs_to() -> None:
    class Window(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.task_runner = SynchronousRunner(self)

    window = Window()
    child = QObject(window)
    assert runner_for(child) is window.task_runner
    assert run(child, counting_job(1)).succeeded
    with pytest.raises(LookupError):
        runner_for(QObject())


def test_callbacks_are_skipped_once_the_parent_is_gone(qtbot: Any) -> None:
    runner = ThreadRunner()
    try:
        parent = QObject()
        got = Recorder()
        release = threading.Event()

        def wait(progress: ProgressFn, cancel: CancelFn) -> str:
            release.wait(5)
            return "late"

        op = run(parent, wait, runner=runner).on_success(lambda r: got("success", r))
        parent.deleteLater()
        qtbot.waitUntil(lambda: not _alive(parent))
        with qtbot.waitSignal(runner.sig_task_succeeded, timeout=5000):
            release.set()
        assert op.done and got.events == []
    finally:
        runner.shutdown()


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


# --- the real worker thread -----------------------------------------------------------------
def test_jobs_run_on_the_worker_and_results_arrive_on_the_gui_thread(
    qtbot: Any, thread_runner: ThreadRunner
) -> None:
    seen: list[int] = []
    got = Recorder()
    progress = Recorder()
    with qtbot.waitSignal(thread_runner.sig_task_succeeded, timeout=5000) as done:
        op = run(None, counting_job(5, seen), runner=thread_runner)
        op.on_progress(progress).on_success(lambda r: got("success", r))
    assert done.args[1] == 5
    assert seen and seen[0] != threading.get_ident()  # ran elsewhere
    assert got.events == [("success", 5)]
    assert [e[1] for e in progress.events] == [1, 2, 3, 4, 5]
    gui = QThread.currentThread()
    assert all(t is gui for t in got.threads + progress.threads)


def test_cancel_is_a_flag_the_job_checks(qtbot: Any, thread_runner: ThreadRunner) -> None:
    started, cancelled = threading.Event(), threading.Event()

    def until_cancelled(progress: ProgressFn, cancel: CancelFn) -> tuple[bool, bool, bool]:
        before = cancel()
        started.set()
        told = cancelled.wait(5)  # the test says when op.cancel() has been called
        return before, told, cancel()

    op = run(None, until_cancelled, runner=thread_runner)
    assert started.wait(5)
    with qtbot.waitSignal(thread_runner.sig_task_succeeded, timeout=5000) as done:
        op.cancel()
        cancelled.set()
    # the flag was down while the job ran, and up at its next check after op.cancel()
    assert op.cancel_requested and done.args[1] == (False, True, True)


def test_failures_and_queued_jobs_in_order(qtbot: Any, thread_runner: ThreadRunner) -> None:
    order: list[str] = []
    with qtbot.waitSignal(
        thread_runner.sig_busy_changed, timeout=5000, check_params_cb=lambda busy: not busy
    ):
        run(None, failing_job, runner=thread_runner).on_failure(
            lambda e: order.append(f"failed {e}")
        )
        run(None, counting_job(2), runner=thread_runner).on_success(
            lambda r: order.append(f"ok {r}")
        )
    assert order == ["failed boom", "ok 2"]
    assert not thread_runner.busy()


def test_after_shutdown_work_is_refused(qtbot: Any) -> None:
    runner = ThreadRunner()
    runner.shutdown()
    failures: list[Exception] = []
    run(None, counting_job(1), runner=runner).on_failure(failures.append)
    assert len(failures) == 1 and isinstance(failures[0], TaskCancelled)


# --- progress only when the work lasts ---------------------------------------------------
def test_progress_shows_only_once_the_delay_has_fired(
    qtbot: Any, thread_runner: ThreadRunner
) -> None:
    timer = ManualTimer()
    delay = ProgressDelay(timer=timer)
    shown: list[bool] = []
    delay.sig_visible_changed.connect(shown.append)
    assert PROGRESS_DELAY_MS == 500 and timer.interval() == 500 and timer.isSingleShot()

    # a quick job ends before the delay fires: it never flashes a bar
    with qtbot.waitSignal(thread_runner.sig_task_succeeded, timeout=5000):
        run(None, counting_job(1), runner=thread_runner).with_progress(delay)
    assert timer.starts == [500]  # armed when the work began...
    assert not timer.isActive()  # ...disarmed when it ended
    timer.advance(PROGRESS_DELAY_MS)  # the moment it would have fired passes
    assert shown == [] and not delay.visible

    # a job still running when the delay fires: shown then, hidden when it ends
    started, release = threading.Event(), threading.Event()

    def slow(progress: ProgressFn, cancel: CancelFn) -> bool:
        started.set()
        return release.wait(5)

    op = run(None, slow, runner=thread_runner).with_progress(delay)
    assert started.wait(5)
    assert timer.starts == [500, 500] and timer.isActive()
    timer.advance(PROGRESS_DELAY_MS - 1)
    assert shown == []  # not before the delay
    timer.advance(1)
    assert shown == [True] and delay.visible and not op.done
    with qtbot.waitSignal(thread_runner.sig_task_succeeded, timeout=5000) as done:
        release.set()
    assert done.args[1] is True  # the job ended because it was released
    assert shown == [True, False] and not delay.visible and not timer.isActive()
