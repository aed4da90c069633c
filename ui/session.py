"""Who is at the counter: first-run setup, login, the main window as that operator,
the idle lock, and signing out.

:class:`Session` is the flow around the windows that ``run_gui`` starts: setup if
needed, the login dialog, then a main window on ``ctx.as_operator(actor)``, locked
after ``idle_lock_minutes``. The first screen is shown before the app's data is opened
(core.startup): the modules are imported on a background thread while the operator
types, and the context is opened on this thread as soon as they are in.
:class:`~ui.session_ui.SessionUi` is the account part inside a main window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from core.actor import Actor
from core.security.messages import SecurityError
from core.startup import StartupContext
from core.store.errors import StorageEnvironmentError
from ui.idle_watch import IdleWatcher
from ui.login import LoginDialog, SetupDialog

if TYPE_CHECKING:
    from core.context import AppContext
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
        make_window: Callable[[AppContext], MainWindow],
        *,
        idle_ms: int | None = None,
        hint: str | None = None,
        rollout: RolloutConfig | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``ctx``: an open context, or a StartupContext that opens it once the first
        screen is up; ``make_window(operator_ctx)`` builds the main window; ``idle_ms``
        overrides the ``idle_lock_minutes`` setting (tests); ``hint`` is shown on the
        login screen (demo accounts only); ``rollout``: IT's rollout settings (read at
        start): the first-run screen enrolls from them, and so does the first main window
        of a PC that has an administrator but is not enrolled yet."""
        super().__init__(parent)
        self._source = ctx if isinstance(ctx, StartupContext) else StartupContext.ready(ctx)
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
    def context(self) -> AppContext:
        """The open context; opens it now if the background start has not yet."""
        return self._source.get()

    def _open_soon(self) -> None:
        if self._source.opened:
            self.sig_ready.emit()
        else:
            self._source.warm(WARM_UI_MODULES, done=self._sig_warmed.emit)

    def _open_context(self) -> None:
        try:
            self._source.get()
        except (SecurityError, StorageEnvironmentError) as exc:
            self._stop(exc)
            return
        self.sig_ready.emit()

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

    def _with_context(self, call: Callable[[AppContext], T]) -> T:
        """``call(ctx)`` for a dialog; if the data cannot be opened, the start is stopped
        (and explained by the caller of run_gui) and the dialog sees a storage error."""
        try:
            ctx = self.context()
        except (SecurityError, StorageEnvironmentError) as exc:
            failure = exc  # `exc` is gone once the except block ends
            QTimer.singleShot(0, lambda: self._stop(failure))
            raise StartupStopped(str(getattr(exc, "code", exc))) from exc
        return call(ctx)

    # --- the screens ------------------------------------------------------------------------
    def start(self) -> None:
        setup = self._source.needs_setup()
        if setup is None:  # the quick look could not tell: open the data now
            from core.operators import needs_setup

            setup = needs_setup(self.context().db)
        if setup:
            self.show_setup()
        else:
            self.show_login()
        self._open_soon()

    def show_setup(self) -> SetupDialog:
        def create(login: str, name: str, pw: str) -> str:
            from core.operators import create_first_admin

            return self._with_context(
                lambda ctx: create_first_admin(ctx.db, ctx.clock, login, name, pw)
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
        if self._source.opened:
            panel.start()
        self.sig_shown.emit("setup")
        return dialog

    def show_login(self) -> LoginDialog:
        def authenticate(login: str, pw: str) -> Actor:
            from core.operators import authenticate as core_authenticate

            return self._with_context(lambda ctx: core_authenticate(ctx.db, ctx.clock, login, pw))

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
        if self._reload_before_window:
            self._reload_before_window = False
            try:
                self._source.reload()
            except (SecurityError, StorageEnvironmentError) as exc:
                self._stop(exc)
                raise
        window = self._make_window(self.context().as_operator(actor))
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

        if is_enrolled(self.context()):
            return
        paths = self._source.paths

        def done(outcome: RolloutOutcome) -> None:
            if outcome.status == "enrolled":
                self._reload_before_window = True
                window.reopen_context()
            if outcome.attempted:
                window.statusBar().showMessage(outcome.text(self._lang))

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

    def lock(self) -> None:
        if self.window is not None:
            self.window.session_ui.lock.lock()

    def sign_out(self) -> None:
        """Back to the login dialog; the window (and its worker) goes away."""
        from core.operators import OperatorService

        window, self.window = self.window, None
        self.idle.stop()
        if window is None:
            return
        try:
            actor = window.session_ui.actor
            ctx = self.context()
            OperatorService(ctx.db, ctx.clock, actor).record_sign_out()
        except StorageEnvironmentError as exc:
            log.warning("sign-out not audited: %s", exc.code)
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
