"""The app context for the GUI's start, opened once, late: the first screen (sign-in or
first-run setup) appears before the database, its keys, the rules and the services are
opened, and the modules they need are imported on a background thread meanwhile.

Pure Python (no Qt): the GUI decides when to :meth:`StartupContext.warm` and
:meth:`StartupContext.get`. The database connection is made by the thread that calls
:meth:`get` (a sqlite connection stays on the thread that opened it); only imports run
in the background.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from core.config import Paths, Settings
from core.store import peek
from core.store.errors import DatabaseTooNew

if TYPE_CHECKING:
    from core.context import AppContext

log = logging.getLogger("loandesk.startup")

#: what opening the context imports (the rest of the app comes with them)
CORE_MODULES = ("core.context", "core.operators.service")


def _open(paths: Paths) -> AppContext:
    from core.context import SCREEN_BUSY_TIMEOUT_S, open_context

    # the session's lane: a save waits for another writer instead of failing at 5 s
    return open_context(paths, busy_timeout=SCREEN_BUSY_TIMEOUT_S)


class StartupContext:
    """``settings`` and :meth:`needs_setup` are cheap; :meth:`get` opens the context
    (once) and raises what opening raises, every time it is asked again."""

    def __init__(self, paths: Paths, opener: Callable[[Paths], AppContext] = _open) -> None:
        self.paths = paths
        self.settings = Settings(paths.settings_file)
        self._opener = opener
        self._ctx: AppContext | None = None
        self._error: BaseException | None = None
        self._warming: threading.Thread | None = None
        self._import_error: BaseException | None = None

    @classmethod
    def ready(cls, ctx: AppContext) -> StartupContext:
        """A holder around a context opened already (tests, the demo)."""
        holder = cls(ctx.paths, opener=lambda _paths: ctx)
        holder.settings = ctx.settings
        holder._ctx = ctx
        return holder

    @property
    def opened(self) -> bool:
        return self._ctx is not None

    @property
    def failed(self) -> BaseException | None:
        return self._error

    def needs_setup(self) -> bool | None:
        """From a read-only look at the file (None: open it to know). Raises
        DatabaseTooNew, before anything is shown or changed, for a file a newer LoanDesk
        made."""
        if self._ctx is not None:
            from core.operators.service import needs_setup

            return needs_setup(self._ctx.db)
        look = peek.peek(self.paths.database)
        if look.unknown_migrations:
            log.error(
                "database made by a newer LoanDesk (unknown migrations %s): refused",
                list(look.unknown_migrations),
            )
            raise DatabaseTooNew(look.unknown_migrations)
        return look.needs_setup

    def warm(
        self, extra_modules: Iterable[str] = (), done: Callable[[], None] | None = None
    ) -> None:
        """Import what opening needs (and ``extra_modules``) on a daemon thread, then
        call ``done`` on that thread. Safe to call once; later calls do nothing."""
        if self._warming is not None or self._ctx is not None:
            if done is not None and self._ctx is not None:
                done()
            return
        modules = (*CORE_MODULES, *extra_modules)

        def work() -> None:
            try:
                for name in modules:
                    importlib.import_module(name)
            except BaseException as exc:  # reported when the context is opened
                self._import_error = exc
            finally:
                if done is not None:
                    done()

        self._warming = threading.Thread(target=work, name="loandesk-warm", daemon=True)
        self._warming.start()

    def get(self) -> AppContext:
        if self._ctx is not None:
            return self._ctx
        if self._error is not None:
            raise self._error
        if self._warming is not None:
            self._warming.join()
        try:
            self._ctx = self._opener(self.paths)
        except BaseException as exc:
            self._error = exc
            raise
        log.info("app context opened")
        return self._ctx

    def reload(self) -> AppContext:
        """Close the context and open it again: enrolling rewrote the settings (the
        store code) that the services were built from."""
        self.close()
        self._ctx = None
        self.settings = Settings(self.paths.settings_file)
        return self.get()

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.close()
