"""What the screens call, on their database lane (ui.db_lane), given the lane's
:class:`~core.context.AppContext`: the narrow face of core that ``ui/`` uses instead of
reaching into ``core.store`` or a context's connection.

Each function is a thin, typed call into the service that owns the work (checks and
audit rows stay there). The screens' errors come from here too, so a screen catches
one family without importing storage modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.lazy import lazy_exports
from core.store.errors import DatabaseLocked, StorageEnvironmentError

if TYPE_CHECKING:  # imported when first used: the sign-in screen loads this module
    from core.context import AppContext
    from core.diagnostics.export import ExportSummary
    from core.exports.csv_list import CancelFn, ExportResult, ProgressFn
    from core.models import ListQuery
    from core.operators.actor import Actor
    from core.operators.service import OperatorRecord, OperatorService
    from core.store.sync_repo import DecisionRecord

__all__ = [
    "DatabaseLocked",
    "DecisionRecord",
    "OperatorRecord",
    "StorageEnvironmentError",
    "authenticate",
    "create_first_admin",
    "current_operator",
    "export_list",
    "needs_setup",
    "operators",
    "record_diagnostics_export",
    "sign_out",
    "unlock",
]

__getattr__ = lazy_exports(
    "core", {"DecisionRecord": "store.sync_repo", "OperatorRecord": "operators.service"}, globals()
)


def needs_setup(core: AppContext) -> bool:
    """No administrator yet: the first-run screen comes first."""
    from core.operators.service import needs_setup as _needs_setup

    return _needs_setup(core.db)


def create_first_admin(core: AppContext, login: str, name: str, password: str) -> str:
    from core.operators.service import create_first_admin as _create_first_admin

    return _create_first_admin(core.db, core.clock, login, name, password)


def authenticate(core: AppContext, login: str, password: str) -> Actor:
    """Sign in (scrypt, the login throttle, the audit row): the screens call it on
    their lane, never on the GUI thread."""
    from core.operators.service import authenticate as _authenticate

    return _authenticate(core.db, core.clock, login, password)


def unlock(core: AppContext, operator_id: str, password: str) -> Actor:
    from core.operators.service import unlock as _unlock

    return _unlock(core.db, core.clock, operator_id, password)


def operators(core: AppContext, actor: Actor) -> OperatorService:
    """Staff accounts, acting as ``actor`` (MANAGE_OPERATORS is checked in core)."""
    from core.operators.service import OperatorService

    return OperatorService(core.db, core.clock, actor)


def current_operator(core: AppContext, actor: Actor) -> OperatorRecord | None:
    return operators(core, actor).current()


def sign_out(core: AppContext, actor: Actor) -> None:
    operators(core, actor).record_sign_out()


def export_list(
    core: AppContext,
    actor: Actor,
    query: ListQuery,
    target: Path,
    *,
    lang: str | None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ExportResult:
    """The applications ``query`` selects, as CSV (EXPORT checked, audited in core)."""
    from core.exports.csv_list import export_csv

    return export_csv(
        core.db, actor, core.clock, query, target, lang=lang, progress=progress, cancel=cancel
    )


def record_diagnostics_export(core: AppContext, actor: Actor, summary: ExportSummary) -> None:
    from core.diagnostics.export import record_export

    record_export(core.db, actor, core.clock, summary)
