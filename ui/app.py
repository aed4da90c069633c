"""Start the GUI: QApplication, language and translators, Qt messages into logging,
an exception hook that logs and explains, and the main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from core.config import Settings, resources_dir
from core.i18n import LANGUAGES
from core.startup import StartupContext
from ui.session import Session
from ui.tasks import settle_lingering

if TYPE_CHECKING:
    from core.context import AppContext, Basis
    from core.rollout import RolloutConfig
    from ui.main_window import MainWindow

log = logging.getLogger("loandesk.ui")
qt_log = logging.getLogger("loandesk.qt")

APP_NAME = "LoanDesk"
ENV_EXIT_AFTER_SHOWN = "LOANDESK_EXIT_AFTER_SHOWN"
_TRANSLATOR_NAME = "loandesk_translator"
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def pick_language(ctx: AppContext | Basis | StartupContext | Settings, lang: str | None) -> str:
    """--lang beats the settings file beats the system locale."""
    settings = ctx if isinstance(ctx, Settings) else ctx.settings
    for candidate in (lang, settings.get("language")):
        if candidate:
            return candidate if candidate in LANGUAGES else _from_locale(candidate)
    return _from_locale(QLocale.system().name())


def _from_locale(name: str) -> str:
    return "zh_CN" if name.lower().startswith("zh") else "en"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def install_translations(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load our .qm and Qt's own qtbase_<lang>.qm; replaces any loaded before."""
    for old in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.deleteLater()
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, directory in (
        (f"loandesk_{lang}", str(translations_dir())),
        (f"qtbase_{lang}", qt_dir),
    ):
        translator = QTranslator(app)
        translator.setObjectName(_TRANSLATOR_NAME)
        if translator.load(name, directory):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            translator.deleteLater()
            if lang != "en":
                log.warning("translation %s not found in %s", name, directory)
    return installed


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(mode, logging.WARNING), "%s (%s)", message, context.category or "qt")


def _install_excepthook(logs_dir: Path) -> None:
    """Log any uncaught exception (any thread) and explain it; record hard crashes."""
    from ui import crash

    crash.install(logs_dir)


def make_main_window(ctx: AppContext | Basis, lang: str | None, **options: Any) -> MainWindow:
    """The main window in ``lang`` (translators installed on the running QApplication);
    ``options`` go to MainWindow (lane, runner, auto_sync, sync_options)."""
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    from ui.main_window import MainWindow

    language = pick_language(ctx, lang)
    install_translations(app, language)
    return MainWindow(ctx, language, **options)


def run_gui(
    ctx: AppContext | StartupContext,
    lang: str | None,
    *,
    hint: str | None = None,
    rollout: RolloutConfig | None = None,
) -> int:
    """Setup (first run) or login, then the main window as that operator (ui.session).

    ``ctx``: a StartupContext shows the first screen at once and opens the app's data
    while it is up (a failure to open it stops the app: the exception is raised from
    here once the event loop has ended, for main.py to explain and exit with its code);
    an open AppContext is used as it is.
    ``hint``: a line for the login screen (the demo's made-up accounts; never for a real
    install). ``rollout``: IT's rollout settings (ui.session).
    With LOANDESK_EXIT_AFTER_SHOWN=1 it prints ``SHOWN <screen>`` once the first screen
    ("setup" or "login") is shown, ``READY`` once the data is open, and quits (tests,
    the startup benchmark).
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    previous_handler = qInstallMessageHandler(_qt_message)
    _install_excepthook(ctx.paths.logs)
    source = ctx if isinstance(ctx, StartupContext) else StartupContext.ready(ctx)
    language = pick_language(source, lang)
    install_translations(app, language)
    session = Session(
        source,
        language,
        lambda basis, lane: make_main_window(basis, language, lane=lane),
        hint=hint,
        rollout=rollout,
    )
    app.aboutToQuit.connect(session.shutdown)  # quit without closing: stop the worker anyway
    failures: list[BaseException] = []

    def failed(exc: BaseException) -> None:
        failures.append(exc)
        app.quit()

    session.sig_failed.connect(failed)
    if os.environ.get(ENV_EXIT_AFTER_SHOWN) == "1":

        def shown(screen: str) -> None:
            session.sig_shown.disconnect(shown)
            print(f"SHOWN {screen}", flush=True)

        def ready() -> None:
            print("READY", flush=True)
            QTimer.singleShot(0, app.quit)

        session.sig_shown.connect(shown)
        session.sig_ready.connect(ready)
    from ui.gc_on_gui import GuiGarbageCollector

    collector = GuiGarbageCollector(app)  # never on a lane's worker thread
    collector.start()
    try:
        session.start()
        log.info("session started")
        code = app.exec()
    finally:  # also when the start is refused (a newer database): stop the lane's thread
        collector.stop()
        session.shutdown()
        settle_lingering(15_000)  # a network job on a worker gets a moment to finish
        qInstallMessageHandler(previous_handler)
    if failures:
        raise failures[0]
    return code


def show_startup_error(text: str, lang: str) -> None:
    """A plain message box for a problem that stops LoanDesk before its window opens
    (no secure keyring, data keys missing): the clerk sees it, IT reads what to do.
    With LOANDESK_EXIT_AFTER_SHOWN=1 it closes itself once shown (tests)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    install_translations(app, lang if lang in LANGUAGES else "en")
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, text)
    box.setObjectName("startupError")
    if os.environ.get(ENV_EXIT_AFTER_SHOWN) == "1":

        def shown() -> None:
            print("SHOWN startupError", flush=True)
            box.done(0)

        QTimer.singleShot(0, shown)
    box.exec()
