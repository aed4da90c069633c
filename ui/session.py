"""Who is at the counter: first-run setup, login, the main window as that operator,
the idle lock, and signing out.

:class:`Session` is the flow around the windows that ``run_gui`` starts: setup if
needed, the login dialog, then a main window acting as the operator who signed in,
locked after ``idle_lock_minutes``. The first screen is shown before the app's data is
opened (core.startup): the modules are imported on a background thread while the
operator types, and the context is then opened on the session's database lane
(ui.db_lane), whose thread owns the connection; signing in, setup and the main window
all go through that lane, so the GUI thread never waits on the disk or on scrypt.
:class:`~ui.session_ui.SessionUi` is the account part inside a main window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from core import api
from core.api import StorageEnvironmentError
from core.clock import Clock, SystemClock
from core.config import Settings
from core.operators.actor import Actor
from core.security.messages import SecurityError
from core.startup import StartupContext
from ui.db_lane import CoreLane
from ui.idle_watch import IdleWatcher
from ui.login import LoginDialog, SetupDialog
from ui.tasks import Operation

if TYPE_CHECKING:
    from core.context import AppContext, Basis
    from core.rollout import RolloutConfig, RolloutOutcome
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui.session")

T = TypeVar("T")
#: imported with the core while the first screen is up: the main window's modules
WARM_UI_MODULES = ("ui.main_window",)


class StartupStopped(StorageEnvironmentError):
    """The app's data could not be opened; the start is being stopped and explained."""


class Session(QObject):
    """Setup → login → main window → (lock → unlock | sign out → login) …"""

    sig_shown = Signal(str)
    """A screen was shown: "setup", "login" or "main"."""

    sig_ready = Signal()
    """The app's data is open (after the first screen): signing in is immediate now."""

    sig_failed = Signal(object)
    """Opening the app's data failed (carries the exception: a SecurityError or a
    StorageEnvironmentError); the caller stops the app and explains it."""

    _sig_warmed = Signal()
    """The background imports are done (emitted from that thread; queued to this one)."""

    def __init__(
        self,
        ctx: AppContext | StartupContext,
        lang: str,
        make_window: Callable[[Basis, CoreLane], MainWindow],
        *,
        idle_ms: int | None = None,
        hint: str | None = None,
        rollout: RolloutConfig | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``ctx``: an open context (the lane then opens a connection of its own), or a
        StartupContext that the lane opens once the first screen is up;
        ``make_window(basis, lane)`` builds the main window for the signed-in operator on
        the session's lane; ``idle_ms``
        overrides the ``idle_lock_minutes`` setting (tests); ``hint`` is shown on the
        login screen (demo accounts only); ``rollout``: IT's rollout settings (read at
        start): the first-run screen enrolls from them, and so does the first main window
        of a PC that has an administrator but is not enrolled yet."""
        super().__init__(parent)
        self._source = ctx if isinstance(ctx, StartupContext) else StartupContext.ready(ctx)
        if isinstance(ctx, StartupContext) and not ctx.opened:
            opener: Callable[[], AppContext] = ctx.get  # opened on the lane's thread
            self._reopener: Callable[[], AppContext] = ctx.reload
            self._clock: Clock = SystemClock()
        else:  # opened already on this thread (tests, the demo): the lane connects anew
            ready = ctx.get() if isinstance(ctx, StartupContext) else ctx
            opener = self._reopener = lambda: _connect(ready)
            self._clock = ready.clock
        self.lane = CoreLane(opener, parent=self)
        self._opened = False
        self._ready = False
        self._lang = lang
        self._make_window = make_window
        minutes = int(self._source.settings.get("idle_lock_minutes") or 5)
        self.idle = IdleWatcher(idle_ms if idle_ms is not None else minutes * 60_000, self)
        self.idle.sig_idle.connect(self.lock)
        self._hint = hint
        self._rollout = rollout
        self._reload_before_window = False  # an enrolment rewrote the settings
        self._stopping = False
        self.setup_dialog: SetupDialog | None = None
        self.login_dialog: LoginDialog | None = None
        self.window: MainWindow | None = None
        self._sig_warmed.connect(self._open_context)

    # --- the app's data, opened once the first screen is up --------------------------------
    def _open_soon(self) -> None:
        if self._source.opened:
            self._open_context()
        else:
            self._source.warm(WARM_UI_MODULES, done=self._sig_warmed.emit)

    def _open_context(self) -> None:
        """Open the data on the lane (its first job); sig_ready or the start stops."""
        if self._opened:
            return
        self._opened = True
        op = self.lane.call(lambda _core: None, "open_data", self)
        op.on_success(lambda _none: self._now_ready())
        op.on_failure(self._open_failed)

    def _now_ready(self) -> None:
        self._ready = True
        self.sig_ready.emit()

    def _open_failed(self, exc: Exception) -> None:
        if isinstance(exc, SecurityError | StorageEnvironmentError):
            self._stop(exc)
        else:
            raise exc  # a bug: the crash dialog shows it

    def _stop(self, exc: BaseException) -> None:
        if self._stopping:
            return
        self._stopping = True
        log.error("the app's data could not be opened: %s", getattr(exc, "code", type(exc)))
        for dialog in (self.setup_dialog, self.login_dialog):
            if dialog is not None:
                dialog.hide()
        if self.setup_dialog is not None and self.setup_dialog.enrolment is not None:
            self.setup_dialog.enrolment.shutdown()
        self.sig_failed.emit(exc)

    def _call(self, fn: Callable[[AppContext], T], name: str) -> Operation[T]:
        """``fn(ctx)`` on the lane for a dialog; if the data cannot be opened the start is
        stopped (and explained by the caller of run_gui), and the dialog hears of a
        storage error."""
        op = self.lane.call(fn, name, self)
        op.on_failure(self._maybe_stop)
        return op

    def _maybe_stop(self, exc: Exception) -> None:
        if not self._ready and isinstance(exc, SecurityError | StorageEnvironmentError):
            QTimer.singleShot(0, lambda: self._stop(exc))

    # --- the screens ------------------------------------------------------------------------
    def start(self) -> None:
        # a quick read-only look at the file, unless it is open already (then the lane asks)
        setup = None if self._source.opened else self._source.needs_setup()
        if setup is None:  # the quick look could not tell: ask the data (opens it)
            self._call(api.needs_setup, "needs_setup").on_success(self._first_screen)
        else:
            self._first_screen(setup)
        self._open_soon()

    def _first_screen(self, setup: bool) -> None:
        if setup:
            self.show_setup()
        else:
            self.show_login()

    def show_setup(self) -> SetupDialog:
        def create(login: str, name: str, pw: str) -> Operation[str]:
            return self._call(
                lambda ctx: api.create_first_admin(ctx, login, name, pw), "create_admin"
            )

        # The enrollment part (ui.first_run): pre-filled from the rollout settings; it
        # enrolls by itself once the data is open (never before: one opener at a time).
        from core.rollout import load_rollout
        from ui.first_run import EnrolmentPanel

        config = self._rollout if self._rollout is not None else load_rollout()
        panel = EnrolmentPanel(self._source.paths, config, self._lang)
        panel.sig_outcome.connect(self._note_enrolment)
        dialog = SetupDialog(create, self._lang, enrolment=panel)
        dialog.sig_created.connect(lambda _id: self.show_login())
        self.setup_dialog = dialog
        dialog.show()
        dialog.activateWindow()
        self.sig_ready.connect(panel.start)
        if self._ready:
            panel.start()
        self.sig_shown.emit("setup")
        return dialog

    def show_login(self) -> LoginDialog:
        def authenticate(login: str, pw: str) -> Operation[Actor]:
            return self._call(lambda ctx: api.authenticate(ctx, login, pw), "sign_in")

        dialog = LoginDialog(authenticate, self._lang, hint=self._hint)
        dialog.sig_logged_in.connect(self.open_window)
        self.login_dialog = dialog
        dialog.show()
        dialog.activateWindow()
        self.sig_shown.emit("login")
        return dialog

    def _note_enrolment(self, outcome: RolloutOutcome) -> None:
        if outcome.status == "enrolled":
            self._reload_before_window = True

    def open_window(self, actor: Actor) -> MainWindow:
        if self._reload_before_window:  # enrolling rewrote the settings: reconnect
            self._reload_before_window = False
            self.lane.reopen(self._reopener).on_failure(self._open_failed)
            self._source.settings = Settings(self._source.paths.settings_file)
        from core.context import Basis

        basis = Basis(self._source.paths, self._source.settings, self._clock, actor)
        window = self._make_window(basis, self.lane.acting_as(actor))
        window.session_ui.sig_sign_out.connect(self.sign_out)
        window.session_ui.lock.sig_locked.connect(self.idle.pause)
        window.session_ui.lock.sig_unlocked.connect(self.idle.start)
        self.window = window
        window.show()
        window.activateWindow()
        self.idle.start()
        self.sig_shown.emit("main")
        self._enrol_in_background(window)
        return window

    def _enrol_in_background(self, window: MainWindow) -> None:
        """A PC with an administrator but not enrolled, whose rollout settings say where
        to: enroll once on the window's worker; the outcome goes to the status bar (and
        ``check``), and the window's services are rebuilt for the new store."""
        config = self._rollout
        if config is None or not config.can_enroll:
            return
        from core.rollout import is_enrolled, run_auto_enrolment
        from ui.tasks import run

        paths = self._source.paths

        def done(outcome: RolloutOutcome) -> None:
            if outcome.status == "enrolled":
                self._reload_before_window = True
                window.reopen_context()
            if outcome.attempted:
                window.statusBar().showMessage(outcome.text(self._lang))

        def enrol(enrolled: bool) -> None:
            if enrolled:
                return
            (
                run(
                    window,
                    lambda _progress, _cancel: run_auto_enrolment(paths, config),
                    runner=window.task_runner,
                    name="auto_enrolment",
                )
                .on_success(done)
                .on_failure(
                    lambda exc: log.warning("automatic enrolment failed: %s", type(exc).__name__)
                )
            )

        self.lane.call(is_enrolled, "is_enrolled", window).on_success(enrol)

    def lock(self) -> None:
        if self.window is not None:
            self.window.session_ui.lock.lock()

    def sign_out(self) -> None:
        """Back to the login dialog; the window (and its worker) goes away."""
        window, self.window = self.window, None
        self.idle.stop()
        if window is None:
            return
        actor = window.session_ui.actor
        self.lane.call(lambda ctx: api.sign_out(ctx, actor), "sign_out", self).on_failure(
            lambda exc: log.warning("sign-out not audited: %s", getattr(exc, "code", exc))
        )
        self.show_login()  # first, so closing the window does not quit the app
        window.close()
        window.deleteLater()
        log.info("operator signed out")

    def shutdown(self) -> None:
        """The application quits: stop the window's worker, and the first-run screen's
        (its enrolment, if one is running, is left to finish: see ui.tasks)."""
        self.idle.stop()
        if self.window is not None:
            self.window.shutdown()
        if self.setup_dialog is not None and self.setup_dialog.enrolment is not None:
            self.setup_dialog.enrolment.shutdown()
        self.lane.close()


def _connect(ctx: AppContext) -> AppContext:
    """A connection of the lane's own to the install ``ctx`` has open (tests, the demo)."""
    from core.context import SCREEN_BUSY_TIMEOUT_S, connect_context

    return connect_context(ctx.paths, ctx.clock, busy_timeout=SCREEN_BUSY_TIMEOUT_S)
