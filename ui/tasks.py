"""The one background runner: blocking core calls off the GUI thread, results back on it.

Like Anki's task manager and Picard's ``run_task``: a job is a plain blocking callable
``fn(progress, cancel) -> result`` (``progress(phase, done, total)``, ``cancel() ->
bool``, checked by the job between batches). It never touches widgets, and it opens
its own database connection when it needs one (a ``sqlite_utils.Database`` must stay
on the thread that made it). The runner delivers progress and the outcome on the GUI
thread through ``sig_*`` signals, and screens read them as operations::

    run(self, job).on_success(self._show).on_failure(self._explain)

``ThreadRunner`` runs jobs one at a time, in order, on one worker ``QThread``;
``SynchronousRunner`` runs each to its end before returning (on a helper thread), for
unit tests.
An operation behaves like a settled promise: a callback attached after the outcome is
known is called at once, so the same chain works with both runners.

``ProgressDelay`` shows a progress display only when the work lasts (~0.5 s), so quick
jobs never flash a bar.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

log = logging.getLogger("loandesk.ui.tasks")

T = TypeVar("T")
ProgressFn = Callable[[str, int, int], None]
CancelFn = Callable[[], bool]
Job = Callable[[ProgressFn, CancelFn], T]

PROGRESS_DELAY_MS = 500
# Longer than core's whole-call HTTP deadline (60 s): a job always ends within it, since
# cancel is checked between requests.
SHUTDOWN_WAIT_MS = 65_000
_LINGERING: list[QThread] = []  # threads that outlived shutdown: never destroy them running


class TaskCancelled(Exception):
    """The operation was cancelled before it started, or the runner was shut down."""


class _Task:
    """One submitted job: what the runner knows about it (plain data, any thread)."""

    def __init__(self, task_id: int, name: str, fn: Job[Any], always: bool = False) -> None:
        self.id = task_id
        self.name = name
        self.fn = fn
        self.always = always  # runs even if cancelled before it started (a close)
        self.cancel_event = threading.Event()


def _execute(task: _Task, progress: ProgressFn) -> tuple[bool, Any]:
    """Run the job; (True, result) or (False, exception). Never raises."""
    if task.cancel_event.is_set() and not task.always:
        return False, TaskCancelled(task.name)
    try:
        return True, task.fn(progress, task.cancel_event.is_set)
    except Exception as exc:  # delivered to on_failure; the runner logs it
        return False, exc


class TaskRunner(QObject):
    """Base of both runners: bookkeeping and delivery on the GUI thread."""

    sig_task_started = Signal(int)
    """A job was submitted (carries its id)."""
    sig_task_progress = Signal(int, str, int, int)
    """A job reported progress: id, phase, done, total (total 0: unknown)."""
    sig_task_succeeded = Signal(int, object)
    """A job returned: id and its result."""
    sig_task_failed = Signal(int, object)
    """A job raised (or was cancelled before it ran): id and the exception."""
    sig_busy_changed = Signal(bool)
    """True when the first job starts, False when the last one finishes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._ops: dict[int, Operation[Any]] = {}
        self._stopped = False
        self._busy = False

    # --- what operations use -----------------------------------------------------------
    def submit(self, op: Operation[Any], fn: Job[Any], name: str, always: bool = False) -> None:
        """``always``: run ``fn`` even if cancelled before it starts (closing a lane's
        connection after the jobs queued before it)."""
        task = _Task(next(self._ids), name, fn, always)
        op._attach(self, task)
        if self._stopped:
            self._deliver(task.id, False, TaskCancelled(name), op=op)
            return
        self._ops[task.id] = op
        self.sig_task_started.emit(task.id)
        if not self._busy:
            self._busy = True
            self.sig_busy_changed.emit(True)
        self._start(task)

    def busy(self) -> bool:
        return bool(self._ops)

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> None:
        """Cancel everything; later submissions fail with TaskCancelled."""
        self._stopped = True
        self.cancel_all()

    def cancel_all(self) -> None:
        """Ask every submitted job to stop (those not started yet do not run)."""
        for op in list(self._ops.values()):
            op.cancel()

    # --- for subclasses ----------------------------------------------------------------------
    def _start(self, task: _Task) -> None:
        raise NotImplementedError

    def _progress(self, task_id: int, phase: str, done: int, total: int) -> None:
        op = self._ops.get(task_id)
        if op is None:
            return
        self.sig_task_progress.emit(task_id, phase, done, total)
        op._progress(phase, done, total)

    def _deliver(
        self, task_id: int, ok: bool, value: Any, op: Operation[Any] | None = None
    ) -> None:
        op = self._ops.pop(task_id, None) or op
        if op is None:
            return
        if ok:
            self.sig_task_succeeded.emit(task_id, value)
        else:
            _log_failure(op.name, value)
            self.sig_task_failed.emit(task_id, value)
        try:
            op._settle(ok, value)  # a callback that raises is a bug: the excepthook shows it
        finally:
            if self._busy and not self._ops:
                self._busy = False
                self.sig_busy_changed.emit(False)


def _log_failure(name: str, exc: BaseException) -> None:
    code = getattr(exc, "code", None)
    if isinstance(exc, TaskCancelled):
        log.info("task %s cancelled before it ran", name)
    elif code:  # an expected refusal with a stable code: the screen explains it
        log.warning("task %s failed: %s", name, code)
    else:  # a bug: the traceback goes to the log
        log.error("task %s failed", name, exc_info=(type(exc), exc, exc.__traceback__))


class _Worker(QObject):
    """Lives on the worker thread; runs one job per ``execute`` call."""

    sig_progress = Signal(int, str, int, int)
    """Progress of the running job (queued to the runner on the GUI thread)."""
    sig_done = Signal(int, bool, object)
    """A job ended: id, ok, result or exception."""

    @Slot(object)
    def execute(self, task: _Task) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            self.sig_progress.emit(task.id, str(phase), int(done), int(total))

        ok, value = _execute(task, progress)
        self.sig_done.emit(task.id, ok, value)


class ThreadRunner(TaskRunner):
    """One worker thread; jobs run one after another in submission order."""

    _sig_submit = Signal(object)
    """Internal: hands a job to the worker (a queued connection)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("loandesk-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._sig_submit.connect(self._worker.execute)
        self._worker.sig_progress.connect(self._progress)
        self._worker.sig_done.connect(self._on_done)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def _start(self, task: _Task) -> None:
        self._sig_submit.emit(task)

    @Slot(int, bool, object)
    def _on_done(self, task_id: int, ok: bool, value: object) -> None:
        self._deliver(task_id, ok, value)

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> None:
        """Cancel every job, let the running one reach its next cancel check, stop the
        thread. Safe to call twice (closeEvent and aboutToQuit both call it)."""
        already = self._stopped
        super().shutdown(wait_ms)
        if already or not self._thread.isRunning():
            return
        self._thread.quit()
        if not self._thread.wait(wait_ms):
            log.warning("the worker thread did not stop within %d ms; left to finish", wait_ms)
            _LINGERING.append(self._thread)
        for task_id in list(self._ops):  # their results will never be delivered now
            self._deliver(task_id, False, TaskCancelled("shutdown"))


def settle_lingering(wait_ms: int) -> bool:
    """Wait (at most ``wait_ms`` in all) for worker threads that outlived their runner's
    shutdown (a network job was running). True when none is left running: only then may
    the process end normally, since Qt aborts when a running thread is destroyed."""
    deadline = time.monotonic() + wait_ms / 1000
    for thread in list(_LINGERING):
        left = max(0, int((deadline - time.monotonic()) * 1000))
        if thread.isRunning() and not thread.wait(left):
            return False
        _LINGERING.remove(thread)
    return True


class SynchronousRunner(TaskRunner):
    """Runs each job to its end before ``submit`` returns (unit tests: no waiting on
    signals), but on the runner's own helper thread, one thread for all its jobs, as
    the app's runners do: a job never runs on the thread that asked, so a database
    connection a job opens lives on the helper thread like in the app.

    Progress and the outcome go through the same signals, in the same order, on the
    thread that submitted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="loandesk-test-runner")

    def _start(self, task: _Task) -> None:
        events: queue.SimpleQueue[tuple[str, int, int] | None] = queue.SimpleQueue()

        def progress(phase: str, done: int, total: int) -> None:
            events.put((phase, done, total))

        future = self._pool.submit(_execute, task, progress)
        future.add_done_callback(lambda _f: events.put(None))
        while (event := events.get()) is not None:  # ends when the job does
            self._progress(task.id, *event)
        ok, value = future.result()
        self._deliver(task.id, ok, value)

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> None:
        super().shutdown(wait_ms)
        self._pool.shutdown(wait=False)


class Operation(Generic[T]):
    """A long user action: callbacks run on the GUI thread, only while ``parent`` lives."""

    def __init__(self, parent: QObject | None, name: str) -> None:
        self.name = name
        self._parent = parent
        self._task: _Task | None = None
        self._success: list[Callable[[T], None]] = []
        self._failure: list[Callable[[Exception], None]] = []
        self._progress_cbs: list[ProgressFn] = []
        self._finished: list[Callable[[], None]] = []
        self._delays: list[ProgressDelay] = []
        self._last_progress: tuple[str, int, int] | None = None
        self._outcome: tuple[bool, Any] | None = None

    # --- the chain ---------------------------------------------------------------------
    def on_success(self, cb: Callable[[T], None]) -> Operation[T]:
        self._success.append(cb)
        if self._outcome is not None and self._outcome[0]:
            self._call(cb, self._outcome[1])
        return self

    def on_failure(self, cb: Callable[[Exception], None]) -> Operation[T]:
        self._failure.append(cb)
        if self._outcome is not None and not self._outcome[0]:
            self._call(cb, self._outcome[1])
        return self

    def on_progress(self, cb: ProgressFn) -> Operation[T]:
        self._progress_cbs.append(cb)
        if self._last_progress is not None and self._outcome is None:
            self._call(cb, *self._last_progress)
        return self

    def on_finished(self, cb: Callable[[], None]) -> Operation[T]:
        """After success or failure (e.g. enable the buttons again)."""
        self._finished.append(cb)
        if self._outcome is not None:
            self._call(cb)
        return self

    def with_progress(self, delay: ProgressDelay) -> Operation[T]:
        """Show ``delay``'s display if the work lasts; hide it when done."""
        if self._outcome is None:
            self._delays.append(delay)
            delay.begin()
        return self

    # --- state -------------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self._outcome is not None

    @property
    def succeeded(self) -> bool:
        return self._outcome is not None and self._outcome[0]

    def result(self) -> T:
        """The job's result once it succeeded; its exception if it failed."""
        if self._outcome is None:
            raise RuntimeError(f"{self.name} has not finished")
        ok, value = self._outcome
        if not ok:
            raise value
        result: T = value
        return result

    def cancel(self) -> None:
        """Ask the job to stop at its next check; what it did stays done."""
        if self._task is not None:
            self._task.cancel_event.set()

    @property
    def cancel_requested(self) -> bool:
        return self._task is not None and self._task.cancel_event.is_set()

    # --- called by the runner on the GUI thread ---------------------------------------------
    def _attach(self, _runner: TaskRunner, task: _Task) -> None:
        self._task = task

    def _progress(self, phase: str, done: int, total: int) -> None:
        self._last_progress = (phase, done, total)
        for cb in list(self._progress_cbs):
            self._call(cb, phase, done, total)

    def _settle(self, ok: bool, value: Any) -> None:
        self._outcome = (ok, value)
        for delay in self._delays:
            delay.end()
        callbacks: list[Callable[[Any], None]] = list(self._success if ok else self._failure)
        for cb in callbacks:
            self._call(cb, value)
        for done_cb in list(self._finished):
            self._call(done_cb)

    def _call(self, cb: Callable[..., None], *args: Any) -> None:
        if self._parent is not None and not shiboken6.isValid(self._parent):
            return  # the window that asked is gone
        cb(*args)


def runner_for(obj: QObject | None) -> TaskRunner:
    """The runner of the window ``obj`` belongs to (its ``task_runner`` attribute)."""
    node = obj
    while node is not None:
        found = getattr(node, "task_runner", None)
        if isinstance(found, TaskRunner):
            return found
        node = node.parent()
    raise LookupError("no TaskRunner above this object; pass runner= explicitly")


def run(
    parent: QObject | None,
    fn: Job[T],
    *,
    runner: TaskRunner | None = None,
    name: str | None = None,
    always: bool = False,
) -> Operation[T]:
    """Start ``fn`` in the background; chain ``.on_success(...)`` / ``.on_failure(...)``.
    ``always``: see :meth:`TaskRunner.submit`."""
    op: Operation[T] = Operation(parent, name or str(getattr(fn, "__name__", "task")))
    (runner or runner_for(parent)).submit(op, fn, op.name, always)
    return op


class ProgressDelay(QObject):
    """Decides when a progress display is shown: only once work has lasted ``delay_ms``.

    ``timer``: the single-shot timer that measures the delay (default a new QTimer); a
    test hands in one whose firing it drives."""

    sig_visible_changed = Signal(bool)
    """Show (True) or hide (False) the progress display now."""

    def __init__(
        self,
        delay_ms: int = PROGRESS_DELAY_MS,
        parent: QObject | None = None,
        *,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(parent)
        self._timer = timer if timer is not None else QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._show)
        self._active = 0
        self.visible = False

    def begin(self) -> None:
        self._active += 1
        if self._active == 1 and not self.visible:
            self._timer.start()

    def end(self) -> None:
        self._active = max(0, self._active - 1)
        if self._active:
            return
        self._timer.stop()
        if self.visible:
            self.visible = False
            self.sig_visible_changed.emit(False)

    def _show(self) -> None:
        if self._active and not self.visible:
            self.visible = True
            self.sig_visible_changed.emit(True)
