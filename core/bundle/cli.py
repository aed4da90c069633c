"""``main.py bundle export|import`` (the grammar is in core.cli.args): what each does,
what it prints, and its exit status. No Qt."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from core import i18n
from core.bundle.errors import BundleError
from core.bundle.files import read_bundle
from core.bundle.format import StoreBundle
from core.cli.args import EXIT_OK, EXIT_PROBLEM
from core.sync.errors import SyncError

RETURN_SUFFIX = "-return.ldbundle"


def return_path(source: Path) -> Path:
    return source.with_name(source.stem + RETURN_SUFFIX)


def run_bundle(args: argparse.Namespace, ctx: Any) -> int:
    """``ctx`` is an open core.context.AppContext (acting as the system account)."""
    lang = i18n.normalize_language(args.lang)
    try:
        out = _export(ctx, args) if args.bundle_command == "export" else _import(ctx, args)
    except (BundleError, SyncError) as exc:
        if args.json:
            print(
                json.dumps(
                    {"ok": False, "error": {"code": exc.code, "message": exc.text(lang)}},
                    ensure_ascii=False,
                )
            )
        else:
            print(f"loandesk: error: {exc.text(lang)}", file=sys.stderr)
        return EXIT_PROBLEM
    if args.json:
        print(json.dumps({"ok": True, **out}, ensure_ascii=False))
    else:
        print(out["message"] if lang == "en" else out["message_zh"])
    return EXIT_OK


def _export(ctx: Any, args: argparse.Namespace) -> dict[str, Any]:
    from core.bundle.export import export_bundle

    done = export_bundle(ctx.db, ctx.actor, ctx.clock, Path(args.file))
    return {
        "action": "exported",
        "file": str(done.path),
        "seq": done.seq,
        "items": done.items,
        "message": f"bundle {done.seq} with {done.items} applications written to {done.path}",
        "message_zh": f"离线同步包 {done.seq}（{done.items} 份申请）已写入 {done.path}",
    }


def _import(ctx: Any, args: argparse.Namespace) -> dict[str, Any]:
    source = Path(args.file)
    bundle = read_bundle(source)
    if isinstance(bundle, StoreBundle):
        from core.bundle.relay import relay_bundle, relay_http

        target = Path(args.out) if args.out else return_path(source)
        http = relay_http(ctx.db, ctx.clock, ca_bundle=ctx.sync.ca_bundle() if ctx.sync else None)
        try:
            done = relay_bundle(ctx.db, ctx.actor, ctx.clock, http, bundle, source, target)
        finally:
            http.close()
        return {
            "action": "relayed",
            "store_code": done.store_code,
            "seq": done.seq,
            "items": done.items,
            "results": done.results,
            "return_file": str(done.path),
            "message": f"bundle {done.seq} of store {done.store_code} sent to head office "
            f"({done.items} applications); return bundle written to {done.path}",
            "message_zh": f"门店 {done.store_code} 的同步包 {done.seq}"
            f"（{done.items} 份申请）已送达总部；回执包已写入 {done.path}",
        }
    from core.bundle.apply import import_return

    imported = import_return(ctx.db, ctx.actor, ctx.clock, ctx.rules, bundle, source)
    r = imported.report
    if imported.already:
        text = i18n.translate("BUNDLE_ALREADY_IMPORTED", "en", seq=imported.return_seq)
        text_zh = i18n.translate("BUNDLE_ALREADY_IMPORTED", "zh_CN", seq=imported.return_seq)
    else:
        text = (
            f"return bundle {imported.return_seq} imported: {r.acked} acknowledged, "
            f"{r.rejected} refused, {r.decisions} decisions, {r.catalog_changes} catalog changes"
        )
        text_zh = (
            f"回执包 {imported.return_seq} 已导入：{r.acked} 份已确认，{r.rejected} 份被拒，"
            f"{r.decisions} 个决定，{r.catalog_changes} 项商品目录变更"
        )
    return {
        "action": "already_imported" if imported.already else "imported",
        "return_seq": imported.return_seq,
        "acked": r.acked,
        "rejected": r.rejected,
        "decisions": r.decisions,
        "pack_installed": r.pack_installed,
        "catalog_changes": r.catalog_changes,
        "blacklist_changes": r.blacklist_changes,
        "notices": [n.to_json("en") for n in [*r.errors, *r.notices]],
        "message": text,
        "message_zh": text_zh,
    }
