"""The command line's grammar: commands, options, their checks and the exit codes.

What each command does is in ``main.py``; this module only parses (no Qt, no I/O).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import NoReturn

import core

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, EXIT_STORAGE, EXIT_PAUSED, EXIT_KEYRING = 0, 1, 2, 3, 4, 5


class Parser(argparse.ArgumentParser):
    """argparse, but a bad argument gives one clear line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (try --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _batch_size(text: str) -> int:
    value = _positive_int(text)
    if value > 500:
        raise argparse.ArgumentTypeError(f"must be at most 500, got {value}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"must be between 0 and 0.5, got {value}")
    return value


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="folder for the database, logs and backups "
        "(default: the user data dir, or $LOANDESK_DATA_DIR)",
    )
    parser.add_argument(
        "--lang",
        choices=["zh_CN", "en"],
        default=default,
        help="interface language (default: from the system)",
    )


def build_parser() -> Parser:
    p = Parser(
        prog="loandesk",
        description="LoanDesk 门店分期助手 — installment applications "
        "at the store counter. With no command, opens the window.",
    )
    _common(p, suppress=False)
    p.add_argument(
        "--demo",
        action="store_true",
        help="open the GUI on a demo data folder: a reference head-office server runs "
        "in-process on a free loopback port, this PC is enrolled with it, and sample "
        "applications are queued and synced (capture, pre-screen, sync, decision)",
    )
    p.add_argument("--version", action="version", version=f"LoanDesk {core.__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    s = sub.add_parser("seed-demo", help="add realistic sample applications")
    _common(s, suppress=True)
    s.add_argument("--count", type=_positive_int, default=200, help="how many (default 200)")
    s.add_argument("--seed", type=int, default=1, help="random seed; same seed, same data")
    s.add_argument(
        "--salespeople",
        type=_positive_int,
        default=12,
        help="salespersons the applications are spread over (default 12)",
    )
    s.add_argument(
        "--days",
        type=_positive_int,
        default=None,
        help="spread over this many past days (default: about 30 a day)",
    )
    s.add_argument(
        "--plant-fraud",
        type=_fraction,
        default=0.0,
        metavar="RATE",
        help="share of applications carrying store-side fraud patterns, "
        "e.g. 0.05 (phone rings, inflated prices, salesperson spikes, "
        "shared delivery addresses)",
    )
    s.add_argument(
        "--stores",
        type=_positive_int,
        default=None,
        help="many stores in time order: one data folder per PC under DATA_DIR/pcs, "
        "the store register in DATA_DIR/stores.json (default: this PC only)",
    )
    s.add_argument(
        "--truth",
        metavar="FILE",
        default=None,
        help="write which applications were planted, and how, as JSON",
    )
    pre = sub.add_parser(
        "prescreen",
        help="pre-screen one application from a JSON file; "
        "prints the outcome as JSON (exit 0), or the errors (exit 2)",
    )
    _common(pre, suppress=True)
    pre.add_argument("file", metavar="FILE.json", help="the application (see resources/examples)")
    en = sub.add_parser(
        "enroll",
        help="enroll this PC with the central server (IT, once per PC)",
        description="Trade a one-time enrollment code for a device token, kept in the "
        "system keyring. Enrolling again clears a paused sync (after a 401).",
        epilog="exit status: 0 enrolled; 1 refused, unreachable or no keyring",
    )
    _common(en, suppress=True)
    en.add_argument("--server", required=True, metavar="URL", help="e.g. https://api.example.cn")
    en.add_argument("--store", required=True, metavar="CODE", help="the store's code")
    en.add_argument("--code", required=True, metavar="CODE", help="the one-time enrollment code")
    en.add_argument("--json", action="store_true", help="print one JSON object")
    sy = sub.add_parser(
        "sync",
        help="send queued applications; fetch decisions, rule pack, catalog, "
        "blacklists (for scheduled tasks)",
        description="Push the outbox and pull from the central server, headless.",
        epilog="exit status: 0 all done; 1 partial problems (rejected or quarantined "
        "items, server unreachable or failing); 4 paused: not enrolled, re-enrollment "
        "needed (401) or device revoked (403). Applications are captured and kept "
        "locally whatever the exit status.",
    )
    _common(sy, suppress=True)
    mode = sy.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one run, then exit (the default)")
    mode.add_argument(
        "--loop",
        action="store_true",
        help="run again and again (backing off when the server is away) until interrupted",
    )
    sy.add_argument(
        "--max-rounds",
        type=_positive_int,
        metavar="N",
        help="with --loop: stop after N runs (for scripts)",
    )
    sy.add_argument(
        "--interval",
        type=_positive_int,
        default=60,
        metavar="S",
        help="with --loop: seconds between runs when all is well (default 60)",
    )
    sy.add_argument(
        "--batch-size",
        type=_batch_size,
        default=100,
        metavar="N",
        help="applications per request (default 100, at most 500)",
    )
    sy.add_argument("--json", action="store_true", help="one JSON object per run")
    rp = sub.add_parser(
        "reset-password",
        help="IT: set a new password for an operator who forgot it (e.g. the only "
        "administrator); asks for it twice, re-enables the account, and is audited",
    )
    _common(rp, suppress=True)
    rp.add_argument("--login", required=True, help="the operator's login name")
    ra = sub.add_parser(
        "reset-audit-checkpoint",
        help="IT, after a deliberate restore of the database from a backup: accept the "
        "audit log as it now is (recorded in the log itself); needs administrator rights",
    )
    _common(ra, suppress=True)
    nd = sub.add_parser(
        "start-new-database",
        help="IT, after deciding the lost or emptied database will not be restored: let "
        "the next start make a new installation in this data folder (the old audit "
        "checkpoint goes to the backups folder); needs administrator rights",
    )
    _common(nd, suppress=True)
    c = sub.add_parser("check", help="diagnostics for IT: database, migrations, paths")
    _common(c, suppress=True)
    c.add_argument("--json", action="store_true", help="print one JSON object")
    dx = sub.add_parser(
        "export-diagnostics",
        help="IT: write a zip with the logs, the check report, build and settings "
        "(no personal data, never the database) for a clerk to email",
        description="Works when the window does not start: reads the logs and files, "
        "runs the checks, and writes FILE.zip (a .part file until complete).",
        epilog="exit status: 0 written; 1 the file could not be written",
    )
    _common(dx, suppress=True)
    dx.add_argument("--out", required=True, metavar="FILE.zip", help="where to write the zip")
    _bundle_parser(sub)
    xl = sub.add_parser(
        "export-xlsx",
        help="field managers: the applications of a date range and the dashboard's figures "
        "as an Excel file (personal data masked; audited like the CSV export)",
        epilog="exit status: 0 written; 1 the file could not be written",
    )
    _common(xl, suppress=True)
    xl.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write it")
    xl.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        metavar="YYYY-MM-DD",
        help="first day (China time; default: the 1st of this month)",
    )
    xl.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="YYYY-MM-DD",
        help="last day, included (default: today)",
    )
    return p


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _bundle_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    """``bundle export FILE`` / ``bundle import FILE [--out FILE]`` (docs/field-managers.md)."""
    bu = sub.add_parser(
        "bundle",
        help="offline sync for a store with no network: export a bundle on the store PC, "
        "import it on a connected PC (relayed to head office; writes the return bundle), "
        "import the return bundle on the store PC",
        epilog="exit status: 0 done (also: already imported, nothing changed); 1 refused "
        "or failed (the reason on stderr; nothing saved is lost)",
    )
    _common(bu, suppress=True)
    actions = bu.add_subparsers(
        dest="bundle_command", metavar="ACTION", parser_class=Parser, required=True
    )
    ex = actions.add_parser(
        "export", help="write everything head office has not acknowledged into FILE"
    )
    _common(ex, suppress=True)
    ex.add_argument("file", metavar="FILE", help="the bundle to write (e.g. on a USB stick)")
    ex.add_argument("--json", action="store_true", help="print one JSON object")
    im = actions.add_parser(
        "import",
        help="a store bundle: relay it to head office and write the return bundle; "
        "a return bundle: apply head office's answers on this store PC",
    )
    _common(im, suppress=True)
    im.add_argument("file", metavar="FILE", help="the bundle to import")
    im.add_argument(
        "--out",
        metavar="FILE",
        default=None,
        help="where a relayed store bundle's return bundle goes (default: beside FILE, "
        "named <FILE>-return.ldbundle)",
    )
    im.add_argument("--json", action="store_true", help="print one JSON object")
