"""The commands that talk to head office or carry its data: ``enroll``, ``sync``,
``bundle`` (offline sync bundles) and ``export-xlsx``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from core import i18n
from core.cli.args import EXIT_OK, EXIT_PAUSED, EXIT_PROBLEM
from core.cli.common import open_ctx as _open
from core.cli.common import print_json as _print_json
from core.config import Paths


def _sync_error(args: argparse.Namespace, exc: Any, lang: str) -> None:
    if args.json:
        _print_json({"ok": False, "error": {"code": exc.code, "message": exc.text(lang)}})
    else:
        print(f"loandesk: error: {exc.text(lang)}", file=sys.stderr)


def cmd_enroll(args: argparse.Namespace, paths: Paths) -> int:
    from core.sync.errors import SyncError

    lang = i18n.normalize_language(args.lang)
    ctx = _open(paths)
    try:
        from core.admin import AdminService

        done = AdminService.of(ctx).enroll(args.server, args.store, args.code)  # audited
    except SyncError as exc:
        _sync_error(args, exc, lang)
        return EXIT_PROBLEM
    finally:
        ctx.close()
    if args.json:
        _print_json(
            {
                "ok": True,
                "server_url": done.server_url,
                "store_code": done.store_code,
                "store_name": done.store_name,
                "device_id": done.device_id,
                "server_epoch": done.server_epoch,
                "repushed": done.repushed,
                "resealed": done.resealed,
            }
        )
    else:
        print(
            f"enrolled device {done.device_id} with {done.server_url} as store "
            f"{done.store_code} {done.store_name}".rstrip()
        )
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, paths: Paths) -> int:
    from core.rollout import effective_language, enroll_from_rollout, load_rollout
    from core.sync.engine import SyncOptions
    from core.sync.errors import SyncError

    rollout = load_rollout()
    lang = i18n.normalize_language(effective_language(args.lang, rollout))
    ctx = _open(paths)
    try:
        # A PC set up by a rollout file and synced by a scheduled task enrolls on its
        # first run (once per run; a refused code is never sent again by itself).
        outcome = enroll_from_rollout(ctx, rollout)
        if outcome.attempted or outcome.status in ("refused_before", "not_attempted"):
            print(f"loandesk: {outcome.text(lang)}", file=sys.stderr)
        try:
            engine = ctx.sync.engine(
                options=SyncOptions(batch_size=args.batch_size, interval_s=args.interval)
            )
        except SyncError as exc:
            _sync_error(args, exc, lang)
            paused = exc.code in ("SYNC_NOT_ENROLLED", "SYNC_REENROLL_NEEDED")
            return EXIT_PAUSED if paused else EXIT_PROBLEM
        code, rounds = EXIT_PROBLEM, 0
        try:
            while True:
                report = engine.sync_once()
                code, rounds = int(report.exit_code), rounds + 1
                if args.json:
                    print(json.dumps(report.to_json(lang), ensure_ascii=False), flush=True)
                else:
                    print(report.summary(lang), flush=True)
                done = (
                    not args.loop
                    or bool(report.paused)
                    or (args.max_rounds is not None and rounds >= args.max_rounds)
                )
                if done:
                    return code
                wait = report.next_attempt_in
                time.sleep(max(1.0, wait if wait is not None else float(args.interval)))
        except KeyboardInterrupt:
            return code
        finally:
            engine.http.close()
    finally:
        ctx.close()


def cmd_bundle(args: argparse.Namespace, paths: Paths) -> int:
    """Offline sync bundles (core.bundle.cli): export, relay, import."""
    from core.bundle.cli import run_bundle

    ctx = _open(paths)
    try:
        return run_bundle(args, ctx)
    finally:
        ctx.close()


def cmd_export_xlsx(args: argparse.Namespace, paths: Paths) -> int:
    """The applications of a date range and the dashboard's figures as Excel (masked)."""
    from core.exports.csv_list import ExportError
    from core.exports.xlsx import export_xlsx
    from core.field.dashboard import Period

    lang = i18n.normalize_language(args.lang)
    ctx = _open(paths)
    try:
        month = Period.this_month(ctx.clock)
        period = Period.between(args.date_from or month.first, args.date_to or month.last)
        done = export_xlsx(ctx.db, ctx.actor, ctx.clock, period, Path(args.out), lang=lang)
    except ExportError as exc:
        print(f"loandesk: error: {i18n.translate(exc.code, lang, **exc.params)}", file=sys.stderr)
        return EXIT_PROBLEM
    finally:
        ctx.close()
    print(f"{done.count} applications ({period.first} to {period.last}) written to {done.path}")
    return EXIT_OK
