"""The database lane: one worker thread owns one connection, and the screens reach the
app's data only through it.

A screen never calls a core service on the GUI thread: it hands the lane a function of
the lane's :class:`~core.context.AppContext` and gets an operation back (ui.tasks)::

    lane.call(lambda core: core.applications.save(value), "save", self)
        .on_success(self._saved).on_failure(self._explain)

The function runs on the lane's thread, in submission order, so a save that waits on
another program's lock leaves the window answering; the context is opened by the first
job (on that thread) and closed by :meth:`CoreLane.close`. The window has two lanes: its
own (saves, drafts, pages, reveal) and the background one (sync, exports), each with its
own connection, so a long sync never queues a clerk's save behind it.

``default_runner`` makes the lane's runner: a ``ThreadRunner`` in the app; the GUI unit
tests swap in ``SynchronousRunner`` (its jobs end before ``call`` returns, still off the
GUI thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject

from ui.tasks import (
    SHUTDOWN_WAIT_MS,
    CancelFn,
    Operation,
    ProgressFn,
    TaskRunner,
    ThreadRunner,
    run,
)

if TYPE_CHECKING:
    from core.context import AppContext
    from core.operators.actor import Actor

log = logging.getLogger("loandesk.ui.lane")

T = TypeVar("T")
Opener = Callable[[], "AppContext"]
LaneJob = Callable[["AppContext", ProgressFn, CancelFn], T]


def _thread_runner(parent: QObject | None) -> TaskRunner:
    return ThreadRunner(parent)


#: makes a lane's runner when none is given (tests replace it)
default_runner: Callable[[QObject | None], TaskRunner] = _thread_runner


class LaneClosed(RuntimeError):
    """The lane was closed: its connection is gone."""

    code = "LANE_CLOSED"


class _Holder:
    """The lane's context, touched only on the lane's thread (by its jobs)."""

    def __init__(self, opener: Opener) -> None:
        self.opener = opener
        self.ctx: AppContext | None = None
        self.closed = False
        self.operators: dict[str, AppContext] = {}
        self.closed_event = threading.Event()

    def get(self) -> AppContext:
        if self.closed:
            raise LaneClosed("the database lane is closed")
        if self.ctx is None:
            self.ctx = self.opener()
            log.info("database lane opened")
        return self.ctx

    def as_operator(self, actor: Actor | None) -> AppContext:
        ctx = self.get()
        if actor is None or actor == ctx.actor:
            return ctx
        key = actor.operator_id
        made = self.operators.get(key)
        if made is None or made.actor != actor:
            made = self.operators[key] = ctx.as_operator(actor)
        return made

    def close(self) -> None:
        try:
            if self.ctx is not None and not self.closed:
                self.ctx.close()
                log.info("database lane closed")
        finally:
            self.closed = True
            self.ctx = None
            self.operators.clear()
            self.closed_event.set()

    def reopen(self, opener: Opener | None) -> None:
        if self.ctx is not None:
            self.ctx.close()
        self.ctx = None
        self.operators.clear()
        if opener is not None:
            self.opener = opener


class CoreLane(QObject):
    """A worker thread with the app's data open on it; see the module docstring."""

    def __init__(
        self,
        opener: Opener,
        runner: TaskRunner | None = None,
        *,
        actor: Actor | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``opener`` opens the context (on the lane's thread, at its first job);
        ``runner``: the thread that runs the jobs (default :data:`default_runner`);
        ``actor``: whom calls act as (default the context's own actor)."""
        super().__init__(parent)
        self.runner = runner if runner is not None else default_runner(self)
        self._holder = _Holder(opener)
        self._actor = actor
        self._closed = False

    # --- views -------------------------------------------------------------------------
    def acting_as(self, actor: Actor, parent: QObject | None = None) -> CoreLane:
        """The same thread and connection, acting as ``actor`` (the signed-in operator)."""
        view = CoreLane.__new__(CoreLane)
        QObject.__init__(view, parent or self)
        view.runner = self.runner
        view._holder = self._holder
        view._actor = actor
        view._closed = False
        return view

    @property
    def actor(self) -> Actor | None:
        return self._actor

    # --- work --------------------------------------------------------------------------
    def call(
        self, fn: Callable[[AppContext], T], name: str, parent: QObject | None = None
    ) -> Operation[T]:
        """``fn(core)`` on the lane's thread; its result or exception on the GUI thread."""
        holder, actor = self._holder, self._actor

        def job(_progress: ProgressFn, _cancel: CancelFn) -> T:
            return fn(holder.as_operator(actor))

        return run(parent, job, runner=self.runner, name=name)

    def job(self, fn: LaneJob[T], name: str, parent: QObject | None = None) -> Operation[T]:
        """A long job ``fn(core, progress, cancel)`` (sync, an export) on the lane."""
        holder, actor = self._holder, self._actor

        def job(progress: ProgressFn, cancel: CancelFn) -> T:
            return fn(holder.as_operator(actor), progress, cancel)

        return run(parent, job, runner=self.runner, name=name)

    def reopen(self, opener: Opener | None = None) -> Operation[None]:
        """Close the connection and open it again at the next job (with ``opener`` if
        given): after enrolling rewrote the settings the services were built from."""
        holder = self._holder

        def reopen(_progress: ProgressFn, _cancel: CancelFn) -> None:
            holder.reopen(opener)

        return run(None, reopen, runner=self.runner, name="lane_reopen")

    def close(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> None:
        """Close the connection on the lane's thread after the jobs already queued, then
        stop the thread. Safe to call twice; a view's close closes the lane it shares."""
        if self._closed:
            return
        self._closed = True
        holder = self._holder
        if not holder.closed:
            self.runner.cancel_all()  # a running sync stops at its next check

            def close(_progress: ProgressFn, _cancel: CancelFn) -> None:
                holder.close()

            run(None, close, runner=self.runner, name="lane_close", always=True)
            if not holder.closed_event.wait(wait_ms / 1000):
                log.warning("the database lane did not close within %d ms", wait_ms)
        self.runner.shutdown(wait_ms)
