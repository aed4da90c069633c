"""The audit checkpoint: the newest (seq, hash) of the audit chain, kept outside the database.

A keyed hash chain (:mod:`core.store.audit_repo`) shows any changed, deleted or reordered
row, but a log cut short at its end is still a valid, shorter chain. So the last verified
``(seq, hash)`` is also kept outside the database, twice (:mod:`core.audit.checkpoint_copies`):
in ``<database stem>-audit-checkpoint.json`` next to it and in the OS keyring (Windows
Credential Manager: ``LoanDesk / audit-checkpoint:<install id>``), both signed with an
HMAC under the chain key, and ``main.py check`` requires the chain to reach the furthest
of the two. Someone who has the files but not the Windows user's keyring can delete or
roll back the file, but not the keyring copy.

When it is written (:func:`advance_checkpoint`, only for committed rows, and only after
the rows since the checkpoint verified, so a damaged log never moves it): when the app
opens and closes its context, after each sync round, and every minute while the window
is open - each time only if there are new rows (an idle minute writes nothing). The
keyring copy is written first, then the file: a crash between them leaves the file one
step behind, which costs nothing because readers take the furthest valid copy (and the
next write catches the file up). The file is fsynced before it replaces the old one (a
torn file after a power cut would look like tampering); that fsync, not the keyring
write, is what keeps checkpointing out of every save (measured in
``tests/core/test_audit_checkpoint_copies.py::test_checkpoint_cost``). A keyring that
refuses a write is logged and the file is still written; it never breaks a close or a
sync round.

A checkpoint is created from scratch only for a new or just-upgraded install: once one
was ever written (its keyring copy exists, or the meta key ``audit_checkpoint_written``
says so), LoanDesk never papers over a lost checkpoint or a chain shorter than it - it
logs an error and ``check`` fails saying what happened. Deleting only the file is
repaired from the keyring copy at the next start.

Limits, honestly: rows appended after the last checkpoint and then deleted are not
detected (at most a minute of rows while the window is open, or a session that ended
without closing). Someone who can use the Windows user's session (and so its keyring)
can do anything the app can. If a keyring write had failed and the meta key is deleted
too, a deleted file looks like a new install. Two copies of one database opened on the
same PC under the same Windows user share one keyring copy (``check`` then fails for
the one behind). Restoring the database from a backup makes ``check`` report the rows
since the backup as cut off: after deciding that is what happened, IT runs
:func:`reset_checkpoint` (records the reset in the log, removes both copies and the meta
key, writes a new checkpoint).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import sqlite_utils

from core import i18n
from core.audit import messages as _messages  # noqa: F401 - registers the texts
from core.audit.checkpoint_copies import (
    META_CHECKPOINT_WRITTEN,
    Checkpoint,
    CheckpointInvalid,
    Copies,
    checkpoint_path,
    checkpoint_path_of,
    ever_written,
    install_id_of,
    keyring_name,
    mark_written,
    read_checkpoint,
    read_copies,
    write_checkpoint,
    write_keyring_checkpoint,
)
from core.security.audit_chain import GENESIS, ChainReport, chain_key
from core.security.keyring_store import delete_secret, load_or_create_keys
from core.security.messages import SecurityError
from core.store.audit_repo import AuditRepo
from core.store.meta_repo import MetaRepo
from core.store.vault import has_vault, vault_of

__all__ = [
    "Checkpoint",
    "CheckpointInvalid",
    "advance_checkpoint",
    "check_item",
    "checkpoint_path",
    "checkpoint_path_of",
    "read_checkpoint",
    "reset_checkpoint",
    "write_checkpoint",
]

log = logging.getLogger("loandesk.audit")

_LOCK = threading.Lock()  # one writer at a time in this process (GUI and sync threads)


def advance_checkpoint(db: sqlite_utils.Database, path: Path | None = None) -> ChainReport | None:
    """Verify the rows committed since the checkpoint and move both copies to the newest.

    Returns the verification (None when there is nothing to do: no keys on this
    connection, a transaction open, a memory database, an unchained log; or when it must
    not write: a copy is damaged, or the checkpoint was lost - then it is left as evidence
    for ``check``). A broken or cut-off chain leaves the checkpoint where it was. Never
    raises for storage, file or keyring trouble (logged): callers run it while closing
    or after a sync round.
    """
    try:
        if not has_vault(db) or db.conn.in_transaction:
            return None
        path = path or checkpoint_path_of(db)
        repo = AuditRepo(db, vault_of(db).chain_key)
        if path is None or not repo.is_chained():
            return None
        with _LOCK:
            return _advance(db, repo, path)
    except (OSError, sqlite3.Error) as exc:  # StorageEnvironmentError included
        log.warning("audit checkpoint not written: %s", type(exc).__name__)
        return None


def _log_invalid(copies: Copies, path: Path) -> bool:
    if copies.file_problem is not None:
        log.error("audit checkpoint file %s is invalid (%s); left for check to report",
                  path.name, copies.file_problem.detail)  # fmt: skip
    if copies.keyring_problem is not None:
        log.error("audit checkpoint copy in the OS keyring is invalid (%s); left for check "
                  "to report", copies.keyring_problem.detail)  # fmt: skip
    return copies.invalid


def _advance(db: sqlite_utils.Database, repo: AuditRepo, path: Path) -> ChainReport | None:
    install_id = install_id_of(db)
    copies = read_copies(path, repo.key, install_id)
    if _log_invalid(copies, path):
        return None
    current = copies.best
    if current is None:
        if copies.keyring_error is not None:
            log.warning("OS keyring not readable (%s): no audit checkpoint written",
                        copies.keyring_error)  # fmt: skip
            return None
        if ever_written(db):
            log.error("audit checkpoint lost: one was written before, but neither %s nor "
                      "its OS keyring copy is there; not recreated, left for check to "
                      "report", path.name)  # fmt: skip
            return None
    report = repo.verify_since(current.as_tuple() if current else (0, GENESIS))
    if not report.ok:
        log.error("audit log chain broken: %s at row %s (checkpoint at row %d); checkpoint "
                  "not moved", report.reason, report.first_bad_seq,
                  current.seq if current else 0)  # fmt: skip
        return report
    if current is None and report.last_seq > 0:
        log.warning("first audit checkpoint of this install (new or upgraded), at row %d",
                    report.last_seq)  # fmt: skip
    target = Checkpoint(report.last_seq, report.last_hash)
    latest = read_copies(path, repo.key, install_id)  # another process may be further now
    if latest.invalid or (latest.best is not None and latest.best.seq > target.seq):
        return report
    _store(db, path, repo.key, install_id, latest, target)
    return report


def _store(
    db: sqlite_utils.Database,
    path: Path,
    key: bytes,
    install_id: str | None,
    copies: Copies,
    target: Checkpoint,
) -> None:
    """Bring each copy that is missing or behind up to ``target``: keyring first."""
    if (
        install_id is not None
        and copies.keyring_error is None
        and (copies.keyring is None or copies.keyring.seq < target.seq)
    ):
        try:
            write_keyring_checkpoint(install_id, key, target)
        except (SecurityError, ValueError) as exc:
            log.warning("audit checkpoint not copied to the OS keyring: %s", type(exc).__name__)
    if copies.file is None or copies.file.seq < target.seq:
        if copies.file is None and copies.keyring is not None:
            log.warning("audit checkpoint file %s was missing; rewritten at row %d (its OS "
                        "keyring copy was at row %d)", path.name, target.seq,
                        copies.keyring.seq)  # fmt: skip
        write_checkpoint(path, key, target)
    mark_written(db)


def reset_checkpoint(
    db: sqlite_utils.Database, at: str, operator_id: str | None = None
) -> ChainReport | None:
    """IT's step once it knows why ``check`` fails on the checkpoint (e.g. the database
    was restored from a backup): record the reset in the log (with the seqs of the old
    copies), remove both copies and the meta key, write a new checkpoint. Needs the keys
    on the connection (:class:`core.store.vault.VaultMissing` otherwise); the keyring
    must work (:class:`core.security.SecurityError`). A chain that is itself broken is not
    "reset": the new checkpoint is not written and the result says why."""
    repo = AuditRepo(db)
    key = repo.key
    path, install_id = checkpoint_path_of(db), install_id_of(db)
    if path is None or install_id is None:
        raise ValueError("the database has no file or no install id")
    with _LOCK:
        copies = read_copies(path, key, install_id)
        detail = {
            "file_seq": copies.file.seq if copies.file else None,
            "keyring_seq": copies.keyring.seq if copies.keyring else None,
        }
        with db.atomic():
            MetaRepo(db).delete(META_CHECKPOINT_WRITTEN)
            repo.append(at, operator_id, "checkpoint_reset", "audit", "checkpoint", detail=detail)
        delete_secret(keyring_name(install_id))
        path.unlink(missing_ok=True)
    log.warning("audit checkpoint reset (was: file row %s, keyring row %s)",
                detail["file_seq"], detail["keyring_seq"])  # fmt: skip
    return advance_checkpoint(db, path)


def check_item(db: sqlite_utils.Database, database: Path, lang: str = "en") -> tuple[bool, str]:
    """``main.py check``'s audit item: (ok, text). Changes nothing: the keys are read
    with ``must_exist`` (never created) and both copies of the checkpoint are only read."""
    repo = AuditRepo(db)
    if not repo.is_chained():
        return True, i18n.translate("AUDIT_NOT_CHAINED", lang)
    path = checkpoint_path(database)
    install_id = install_id_of(db)
    try:
        if install_id is None:
            raise ValueError("no install id")
        key = chain_key(load_or_create_keys(install_id, must_exist=True))
    except SecurityError as exc:
        return False, i18n.translate("AUDIT_NOT_VERIFIED", lang, why=exc.message(lang))
    except ValueError:
        why = i18n.translate("AUDIT_NO_INSTALL_ID", lang)
        return False, i18n.translate("AUDIT_NOT_VERIFIED", lang, why=why)
    repo = AuditRepo(db, key)
    copies = read_copies(path, key, install_id)  # before the rows: it never runs ahead
    best = copies.best
    report = repo.verify(best.as_tuple() if best else None)
    text = i18n.translate(report.code, lang, **report.params())
    file_behind = best is not None and (copies.file is None or copies.file.seq < best.seq)
    if not report.ok:
        if file_behind and best is not None:
            return False, i18n.translate("AUDIT_CUT_BELOW_KEYRING_CHECKPOINT", lang,
                                         report=text, seq=best.seq, file=path.name)  # fmt: skip
        return False, text
    name = keyring_name(install_id)
    problems = []
    if copies.file_problem is not None:
        problems.append(i18n.translate(copies.file_problem.code, lang, file=path.name,
                                       detail=copies.file_problem.detail))  # fmt: skip
    if copies.keyring_problem is not None:
        problems.append(i18n.translate("AUDIT_CHECKPOINT_KEYRING_INVALID", lang, name=name,
                                       detail=copies.keyring_problem.detail))  # fmt: skip
    if copies.keyring_error is not None:
        problems.append(i18n.translate("AUDIT_CHECKPOINT_KEYRING_UNREADABLE", lang, name=name,
                                       detail=copies.keyring_error))  # fmt: skip
    if problems:
        return False, "; ".join(problems)
    if best is None:
        if ever_written(db):
            return False, i18n.translate("AUDIT_CHECKPOINT_LOST", lang, file=path.name,
                                         name=name, checked=report.checked)  # fmt: skip
        if report.checked == 0:
            return True, text
        return False, i18n.translate(
            "AUDIT_CHECKPOINT_MISSING", lang, checked=report.checked, file=path.name
        )
    if file_behind:
        code = "AUDIT_CHECKPOINT_FROM_KEYRING"
    elif copies.keyring is None or copies.keyring.seq < best.seq:
        code = "AUDIT_CHECKPOINT_NO_KEYRING_COPY"
    else:
        code = "AUDIT_CHECKPOINT_AT"
    return True, i18n.translate(code, lang, report=text, seq=best.seq, file=path.name)
