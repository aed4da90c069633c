"""LoanDesk (门店分期助手) — entry point.

No command opens the GUI; the commands are for IT, field managers and scripts.
Qt is imported only when the GUI starts, so the commands work on a PC with no display.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import core
from core import i18n
from core.cli.args import (
    EXIT_KEYRING,
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_STORAGE,
    EXIT_USAGE,
    build_parser,
)
from core.cli.common import open_ctx as _open
from core.cli.common import print_json as _print_json
from core.cli.recovery import cmd_reset_audit_checkpoint, cmd_reset_password, cmd_start_new_database
from core.cli.sync_commands import cmd_bundle, cmd_enroll, cmd_export_xlsx, cmd_sync
from core.clock import SystemClock
from core.config import Paths, is_frozen, resolve_paths
from core.logs import setup_logging

log = logging.getLogger("loandesk.main")


def _demo_paths(args: argparse.Namespace) -> Paths:
    if args.data_dir:
        return resolve_paths(args.data_dir)
    return resolve_paths(resolve_paths().data_dir / "demo")


def cmd_seed(args: argparse.Namespace, paths: Paths) -> int:
    from core.demo_data import seed_demo

    ctx = _open(paths)
    try:
        started = time.monotonic()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] > 1 or done == total:
                last[0] = now
                print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

        if args.plant_fraud and not args.truth:
            print(
                "loandesk: error: --plant-fraud needs --truth FILE to record what was planted",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if args.stores:  # many stores, one data folder per PC under the data folder
            from core.demo_data.build import seed_world
            from core.demo_data.truth import write_truth

            truth = seed_world(
                paths.data_dir,
                args.count,
                args.seed,
                SystemClock().now(),
                stores=args.stores,
                days=args.days,
                plant_rate=args.plant_fraud,
                progress=progress,
            )
            if args.truth:
                write_truth(truth, Path(args.truth))
            print(
                f"\nadded {truth['count']} demo applications over {args.stores} stores "
                f"under {paths.data_dir / 'pcs'}; {len(truth['planted'])} planted"
            )
            return EXIT_OK
        result = seed_demo(
            ctx.applications,
            args.count,
            args.seed,
            SystemClock().now(),
            progress,
            salespeople=args.salespeople,
            days=args.days,
            plant_rate=args.plant_fraud,
        )
        print(file=sys.stderr)
        if args.truth:
            patterns: dict[str, int] = {}
            for pattern in result.planted.values():
                patterns[pattern] = patterns.get(pattern, 0) + 1
            Path(args.truth).write_text(
                json.dumps(
                    {
                        "count": result.saved,
                        "seed": args.seed,
                        "plant_rate": args.plant_fraud,
                        "patterns": patterns,
                        "planted": result.planted,
                    },
                    ensure_ascii=False,
                    indent=1,
                ),
                encoding="utf-8",
            )
        print(
            f"added {result.saved} demo applications to {paths.database} "
            f"in {time.monotonic() - started:.1f} s"
            + (f"; {len(result.planted)} planted, listed in {args.truth}" if args.truth else "")
        )
    finally:
        ctx.close()
    return EXIT_OK


def cmd_prescreen(args: argparse.Namespace, paths: Paths) -> int:
    """Read one application, validate it exactly as the form does, pre-screen it against
    the active rule pack and this PC's own records. Nothing is saved."""
    from core.cli.messages import InputRefused, read_json_file

    source = Path(args.file)
    try:
        raw = read_json_file(source)  # a regular file, size-capped; deep or huge JSON refused
    except InputRefused as exc:
        _print_json({"ok": False, "error": exc.to_json(i18n.normalize_language(args.lang))})
        return EXIT_USAGE
    except OSError as exc:
        _print_json(
            {
                "ok": False,
                "error": {
                    "code": "FILE_UNREADABLE",
                    "file": str(source),
                    "message": exc.strerror or str(exc),
                },
            }
        )
        return EXIT_USAGE
    except UnicodeDecodeError as exc:
        _print_json(
            {
                "ok": False,
                "error": {
                    "code": "FILE_NOT_UTF8",
                    "file": str(source),
                    "message": f"not UTF-8 text at byte {exc.start}",
                },
            }
        )
        return EXIT_USAGE
    except json.JSONDecodeError as exc:
        _print_json(
            {
                "ok": False,
                "error": {
                    "code": "JSON_INVALID",
                    "file": str(source),
                    "message": f"{exc.msg} at line {exc.lineno} column {exc.colno}",
                },
            }
        )
        return EXIT_USAGE
    lang = i18n.normalize_language(args.lang)
    ctx = _open(paths)
    try:
        result = ctx.applications.validate(raw)
        if not result.ok or result.value is None:
            _print_json(
                {"ok": False, "validation_errors": [e.to_json(lang) for e in result.errors]}
            )
            return EXIT_USAGE
        from core.operators.actor import ServiceError

        try:
            outcome = ctx.applications.prescreen(result.value)
        except ServiceError as exc:  # e.g. CONSENT_MISSING: the file holds no consent
            message = i18n.translate(exc.code, lang, **exc.params)
            _print_json({"ok": False, "error": {"code": exc.code, "message": message}})
            return EXIT_USAGE
        _print_json({"ok": True, **outcome.to_json(lang), "validation_errors": []})
        return EXIT_OK
    finally:
        ctx.close()


def cmd_check(args: argparse.Namespace, paths: Paths) -> int:
    from core.diagnostics.check import run_checks

    report = run_checks(paths)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for item in report["checks"]:
            mark = "OK  " if item["ok"] else "FAIL"
            print(f"[{mark}] {item['name']}: {item['detail']}")
        print("all checks passed" if report["ok"] else "some checks failed")
    if any(c.get("code") in ("STORAGE_TOO_NEW", "STORAGE_DATABASE_LOST") for c in report["checks"]):
        return EXIT_STORAGE  # like every other command on a newer LoanDesk's database
    return EXIT_OK if report["ok"] else EXIT_PROBLEM


def cmd_export_diagnostics(args: argparse.Namespace, paths: Paths) -> int:
    """The diagnostics zip for IT (core.diagnostics.export), also when the window does
    not start. Recorded in the audit log as the system account when the database opens;
    the export goes ahead anyway when it does not (the zip holds no personal data)."""
    from core.diagnostics.export import (
        DiagnosticsExportError,
        ExportSummary,
        export_diagnostics,
        record_export,
    )

    lang = i18n.normalize_language(args.lang)
    recorded: list[str] = []

    def record(summary: ExportSummary) -> None:
        if not paths.database.exists():  # never create a database while diagnosing
            recorded.append("no database here, so not in an audit log")
            return
        try:
            ctx = _open(paths)
        except Exception as exc:  # noqa: BLE001 - the keyring or database is the problem
            log.warning("diagnostics export not audited: %s", type(exc).__name__)
            recorded.append(f"not recorded in the audit log ({type(exc).__name__})")
            return
        try:
            record_export(ctx.db, ctx.actor, ctx.clock, summary)
            recorded.append("recorded in the audit log")
        finally:
            ctx.close()

    try:
        out = export_diagnostics(paths, Path(args.out), record=record)
    except DiagnosticsExportError as exc:
        print(f"loandesk: error: {i18n.translate(exc.code, lang, **exc.params)}", file=sys.stderr)
        return EXIT_PROBLEM
    print(f"diagnostics written to {out} ({'; '.join(recorded)})")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace, paths: Paths) -> int:
    """The window. The first screen (sign-in or first-run setup) is shown before the
    database, its keys and the rules are opened; they open while it is up."""
    if not args.demo:
        from core.rollout import effective_language, load_rollout
        from core.startup import StartupContext
        from ui.app import run_gui

        rollout = load_rollout()
        source = StartupContext(paths)
        try:
            return run_gui(source, effective_language(args.lang, rollout), rollout=rollout)
        finally:
            source.close()
    from server.demo import use_demo_keyring

    use_demo_keyring(paths)
    ctx = _open(paths)
    server = None
    try:
        from server.demo import DEMO_HINT, prepare_demo

        ctx, server = prepare_demo(paths, ctx, _open)
        from ui.app import run_gui

        return run_gui(ctx, args.lang, hint=DEMO_HINT)
    finally:
        ctx.close()
        if server is not None:
            server.stop()


def _settle_workers(code: int) -> int:
    """After the window: a network job still running (an enrolment on a slow link) gets
    a little time; if it is still running after that, the process ends with ``code``
    without tearing its thread down (Qt would abort), once the log is flushed."""
    if "ui.tasks" not in sys.modules:
        return code
    from ui.tasks import settle_lingering

    if not settle_lingering(15_000):
        log.warning("a background job was still running at exit; it was abandoned")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths = _demo_paths(args) if args.demo else resolve_paths(args.data_dir)
    try:
        paths.ensure()
    except OSError as exc:
        print(
            f"loandesk: error: cannot create the data folder {paths.data_dir}: {exc}",
            file=sys.stderr,
        )
        return EXIT_STORAGE
    try:
        setup_logging(paths.logs)
    except OSError as exc:  # a read-only data folder: say so plainly, the command goes on
        from core.cli import messages as _cli  # noqa: F401  (registers the text)

        text = i18n.translate(
            "CLI_LOG_UNWRITABLE",
            i18n.normalize_language(args.lang or None),
            file=paths.logs,
            detail=exc.strerror or type(exc).__name__,
        )
        print(f"loandesk: warning: {text}", file=sys.stderr)
    log.info(
        "start %s command=%s frozen=%s python=%s",
        core.__version__,
        args.command,
        is_frozen(),
        ".".join(map(str, sys.version_info[:3])),
    )
    commands = {
        "seed-demo": cmd_seed,
        "prescreen": cmd_prescreen,
        "check": cmd_check,
        "export-diagnostics": cmd_export_diagnostics,
        "reset-password": cmd_reset_password,
        "reset-audit-checkpoint": cmd_reset_audit_checkpoint,
        "start-new-database": cmd_start_new_database,
        "enroll": cmd_enroll,
        "sync": cmd_sync,
        "bundle": cmd_bundle,
        "export-xlsx": cmd_export_xlsx,
    }
    try:
        code = _run(commands.get(args.command, cmd_gui), args, paths)
        sys.stdout.flush()  # inside the try: a closed pipe is found here, not at exit
    except BrokenPipeError:
        return _output_closed(args)
    return _settle_workers(code) if args.command is None else code


def _output_closed(args: argparse.Namespace) -> int:
    """``loandesk prescreen … | head``: the reader went away. Said on stderr, exit 3;
    stdout goes to the null device so that Python's flush at exit says nothing more."""
    from core.cli import messages as _cli  # noqa: F401  (registers the text)

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    log.warning("the output was closed by its reader (broken pipe)")
    try:
        text = i18n.translate("CLI_OUTPUT_CLOSED", i18n.normalize_language(args.lang or None))
        print(f"loandesk: error: {text}", file=sys.stderr)
    except OSError:  # stderr is gone too: the exit code says it
        pass
    return EXIT_STORAGE


def _run(command: Any, args: argparse.Namespace, paths: Paths) -> int:
    """``command`` with the storage and keyring problems turned into exit codes (and,
    for the window, a message box)."""
    from core.security.messages import SecurityError
    from core.store.errors import StorageEnvironmentError

    try:
        return int(command(args, paths))
    except StorageEnvironmentError as exc:
        from core.applications import labels  # noqa: F401  (registers the STORAGE_* texts)

        log.error("storage problem: %s", exc)
        lang = i18n.normalize_language(args.lang or None)
        explain = getattr(exc, "message", None)  # an error with more to say than {detail}
        text = explain(lang) if callable(explain) else None
        text = text or i18n.translate(exc.code, lang, detail=str(exc))
        print(f"loandesk: error: {text}", file=sys.stderr)
        print(f"  ({paths.database})", file=sys.stderr)
        if args.command is None:
            from ui.app import show_startup_error

            show_startup_error(f"{text}\n\n{paths.database}", lang)
        return EXIT_STORAGE
    except SecurityError as exc:  # no secure keyring, keys missing or damaged: never plain text
        log.error("security problem at start: %s", exc.code)
        lang = i18n.normalize_language(args.lang or None)
        print(f"loandesk: error: {exc.message(lang)}", file=sys.stderr)
        if args.command is None:
            from ui.app import show_startup_error

            show_startup_error(exc.message(lang), lang)
        return EXIT_KEYRING


if __name__ == "__main__":
    sys.exit(main())
