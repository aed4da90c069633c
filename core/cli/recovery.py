"""IT's recovery commands, run on the PC in an elevated prompt: a forgotten password
(``reset-password``), a database restored from a backup on purpose
(``reset-audit-checkpoint``), a deliberate new start where the database is gone
(``start-new-database``)."""

from __future__ import annotations

import argparse
import logging
import sys

from core import i18n
from core.cli.args import EXIT_OK, EXIT_PROBLEM
from core.cli.common import open_ctx as _open
from core.config import Paths

log = logging.getLogger("loandesk.main")


def _read_new_password() -> str | None:
    """Twice, without echo on a terminal; two lines from stdin for scripts."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("new password: ")
        second = getpass.getpass("again: ")
    else:
        first, second = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    return first if first == second else None


def cmd_reset_password(args: argparse.Namespace, paths: Paths) -> int:
    """IT's way back in when an operator (even the last administrator) forgot the
    password. It needs an elevated prompt as the Windows user that runs LoanDesk (its
    keyring holds the keys): store staff share that session but not administrator
    rights. The audit log records it as the system account."""
    from core.operators.messages import OperatorError
    from core.operators.service import OperatorService
    from core.store.operators_repo import OperatorsRepo

    lang = i18n.normalize_language(getattr(args, "lang", None))
    if not _need_os_admin("reset-password"):
        return EXIT_PROBLEM
    ctx = _open(paths)
    try:
        record = OperatorsRepo(ctx.db).by_login(args.login)
        if record is None or record.is_system:
            print(f"loandesk: error: no operator with the login {args.login!r}", file=sys.stderr)
            return EXIT_PROBLEM
        password = _read_new_password()
        if password is None:
            print("loandesk: error: the two passwords differ; nothing changed", file=sys.stderr)
            return EXIT_PROBLEM
        service = OperatorService(ctx.db, ctx.clock, ctx.actor)
        try:
            service.reset_password(record.id, password)
            service.set_active(record.id, True)
        except OperatorError as exc:
            print(f"loandesk: error: {exc.message(lang)}", file=sys.stderr)
            return EXIT_PROBLEM
    finally:
        ctx.close()
    log.info("password reset from the command line for operator %s", record.id)
    print(f"new password set for {args.login}; it can sign in now")
    return EXIT_OK


def _need_os_admin(command: str) -> bool:
    from core import os_admin

    if os_admin.is_os_admin():
        return True
    print(
        f"loandesk: error: {command} needs administrator rights: open the command prompt "
        'with "Run as administrator" (as the same Windows user that runs LoanDesk, so '
        "that its keys are found)",
        file=sys.stderr,
    )
    return False


def cmd_reset_audit_checkpoint(args: argparse.Namespace, paths: Paths) -> int:
    """After IT restored the database from a backup on purpose, ``check`` reports the
    audit rows the backup lacks; this accepts the log as it is now, and says so in it."""
    from core.audit.checkpoint import reset_checkpoint
    from core.clock import iso_now

    if not _need_os_admin("reset-audit-checkpoint"):
        return EXIT_PROBLEM
    ctx = _open(paths)
    try:
        report = reset_checkpoint(ctx.db, iso_now(ctx.clock), ctx.actor.operator_id)
    finally:
        ctx.close()
    if report is None or not report.ok:
        print(
            "loandesk: error: the audit log itself is broken (a row was changed or "
            "deleted), so no new checkpoint was written; see `main.py check`",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    print(f"audit checkpoint reset at row {report.last_seq}; the reset is in the log")
    return EXIT_OK


def cmd_start_new_database(args: argparse.Namespace, paths: Paths) -> int:
    """IT's deliberate new start in a data folder whose database is gone for good: the
    refusal of a missing or emptied database (core.store.lost_database) is lifted."""
    from core.store.lost_database import forget

    if not _need_os_admin("start-new-database"):
        return EXIT_PROBLEM
    try:
        done = forget(paths.database, paths.backups)
    except ValueError:
        print(
            f"loandesk: error: {paths.database} holds an installation; nothing changed",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    print("; ".join(done) or "nothing recorded a previous database here")
    print("the next start makes a new installation here (it asks for a new administrator)")
    return EXIT_OK
