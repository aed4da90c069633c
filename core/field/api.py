"""What the field managers' screens call on their lanes (ui.dashboard, ui.field_tools,
ui.catalog_page), given the lane's :class:`~core.context.AppContext`: the dashboard's
figures, the Excel export, offline bundles and the catalog. Like ``core.api``, each
is a thin call into the service that owns the work (checks and audit rows stay there),
so ``ui/`` never reaches a connection."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.catalog import CatalogChange
    from core.context import AppContext
    from core.exports.csv_list import CancelFn, ExportResult, ProgressFn
    from core.field.dashboard import Dashboard, Period
    from core.models import CatalogItem
    from core.operators.actor import Actor

__all__ = [
    "BundleDone",
    "bundle_export",
    "bundle_import",
    "catalog_categories",
    "catalog_history",
    "catalog_search",
    "dashboard",
    "export_xlsx",
]


def dashboard(core: AppContext, actor: Actor, period: Period) -> Dashboard:
    """Every figure of ``period`` and what is stuck (VIEW_ALL_STORES checked in core)."""
    from core.field.dashboard import dashboard as _dashboard

    return _dashboard(core.db, actor, core.clock, period)


def export_xlsx(
    core: AppContext,
    actor: Actor,
    period: Period,
    target: Path,
    *,
    lang: str | None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ExportResult:
    """The period's applications (masked) and figures as Excel (EXPORT, audited)."""
    from core.exports.xlsx import export_xlsx as _export_xlsx

    return _export_xlsx(
        core.db, actor, core.clock, period, target, lang=lang, progress=progress, cancel=cancel
    )


@dataclass(frozen=True)
class BundleDone:
    """What a bundle action did: ``action`` is exported | relayed | imported |
    already_imported; ``path`` the file written (the bundle or the return bundle);
    ``items`` applications carried; ``counts`` what head office answered (relayed) or
    what the store applied (imported)."""

    action: str
    path: Path | None
    seq: int
    items: int = 0
    store_code: str = ""
    counts: tuple[tuple[str, int], ...] = ()


def return_path(source: Path) -> Path:
    from core.bundle.cli import return_path as _return_path

    return _return_path(source)


def bundle_export(
    core: AppContext, actor: Actor, target: Path, progress: ProgressFn | None = None
) -> BundleDone:
    """Everything head office has not acknowledged, into one bundle (SYNC, audited)."""
    from core.bundle.export import export_bundle

    done = export_bundle(core.db, actor, core.clock, target, progress=progress)
    return BundleDone("exported", done.path, done.seq, done.items)


def bundle_import(
    core: AppContext, actor: Actor, source: Path, out: Path | None = None
) -> BundleDone:
    """A store's bundle: relayed to head office, its return bundle written to ``out``
    (default beside it). A return bundle: head office's answers applied here."""
    from core.bundle.apply import import_return
    from core.bundle.files import read_bundle
    from core.bundle.format import StoreBundle

    bundle = read_bundle(source)
    if isinstance(bundle, StoreBundle):
        from core.bundle.relay import relay_bundle, relay_http

        target = out or return_path(source)
        sync = core.sync
        http = relay_http(core.db, core.clock, ca_bundle=sync.ca_bundle() if sync else None)
        try:
            done = relay_bundle(core.db, actor, core.clock, http, bundle, source, target)
        finally:
            http.close()
        counts = tuple(sorted(done.results.items()))
        return BundleDone("relayed", done.path, done.seq, done.items, done.store_code, counts)
    imported = import_return(core.db, actor, core.clock, core.rules, bundle, source)
    if imported.already:
        return BundleDone("already_imported", None, imported.return_seq)
    r = imported.report
    counts = (
        ("acked", r.acked),
        ("rejected", r.rejected),
        ("decisions", r.decisions),
        ("catalog", r.catalog_changes),
    )
    return BundleDone("imported", None, imported.return_seq, counts=counts)


def catalog_search(
    core: AppContext,
    text: str,
    *,
    category: str | None = None,
    min_price_fen: int | None = None,
    max_price_fen: int | None = None,
) -> list[CatalogItem]:
    from core.catalog import CatalogService

    return CatalogService(core.db).search(
        text, category=category, min_price_fen=min_price_fen, max_price_fen=max_price_fen
    )


def catalog_categories(core: AppContext) -> list[str]:
    from core.catalog import CatalogService

    return CatalogService(core.db).categories()


def catalog_history(core: AppContext, sku: str | None = None) -> list[CatalogChange]:
    from core.catalog import CatalogService

    return CatalogService(core.db).history(sku)
