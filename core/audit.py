"""The audit checkpoint: the newest (seq, hash) of the audit chain, kept outside the database.

A keyed hash chain (:mod:`core.store.audit_repo`) shows any changed, deleted or reordered
row, but a log cut short at its end is still a valid, shorter chain. So the last verified
``(seq, hash)`` is also written to ``<database stem>-audit-checkpoint.json`` next to the
database, with an HMAC under the chain key (a file edited or made up without the OS
keyring fails), and ``main.py check`` requires the chain to reach it.

When it is written (:func:`advance_checkpoint`, only for committed rows, and only after
the rows since the previous checkpoint verified, so a damaged log never moves it): when
the app opens and closes its context, and after each sync round. Not after every save:
the file is fsynced before it replaces the old one (a torn file after a power cut would
look like tampering), and an fsync costs far more than the ~1 ms a save may spend (see
``tests/core/test_audit_log.py::test_checkpoint_cost``).

Limits, honestly: rows appended after the last checkpoint and then deleted are not
detected; nor is a checkpoint file replaced by an older copy of itself (the older state
verifies). A deleted checkpoint makes ``check`` fail until LoanDesk next starts, which
writes a new one from the (then verified) chain and logs a warning. Restoring the
database from a backup makes ``check`` report the rows since the backup as cut off:
IT removes the checkpoint file after deciding that is what happened.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from core import i18n
from core.security.audit_chain import GENESIS, ChainReport, chain_key
from core.security.keys import load_or_create_keys
from core.security.messages import SecurityError
from core.store.audit_repo import AuditRepo
from core.store.vault import META_INSTALL_ID, has_vault, vault_of

log = logging.getLogger("loandesk.audit")

CHECKPOINT_SUFFIX = "-audit-checkpoint.json"
FORMAT = "loandesk-audit-checkpoint"
VERSION = 1
_MAC_LABEL = b"loandesk/audit-checkpoint/v1\n"
_LOCK = threading.Lock()  # one writer at a time in this process (GUI and sync threads)

i18n.register(
    {
        "ACTION_decision": {"zh_CN": "总部决定更新", "en": "Head-office decision updated"},
        "AUDIT_NOT_CHAINED": {
            "zh_CN": "审计日志尚未加上哈希链（有待执行的数据库迁移）",
            "en": "The audit log is not hash-chained yet (a database migration is pending)",
        },
        "AUDIT_NOT_VERIFIED": {
            "zh_CN": "无法核对审计日志：{why}",
            "en": "The audit log could not be verified: {why}",
        },
        "AUDIT_NO_INSTALL_ID": {
            "zh_CN": "数据文件中没有安装编号，找不到对应的密钥",
            "en": "the data file has no install id, so its keys cannot be found",
        },
        "AUDIT_CHECKPOINT_AT": {
            "zh_CN": "{report}；检查点：第 {seq} 条",
            "en": "{report}; checkpoint at row {seq}",
        },
        "AUDIT_CHECKPOINT_MISSING": {
            "zh_CN": "审计日志链本身完整（已核对 {checked} 条），但检查点文件 {file} 不见了，"
            "无法排除最新的记录被删除。若是 IT 有意删除，启动一次 LoanDesk 即会重新生成。",
            "en": "The audit chain itself is intact ({checked} rows checked) but the "
            "checkpoint file {file} is missing, so removal of the newest rows cannot be "
            "ruled out. If IT removed it on purpose, starting LoanDesk once writes a new one.",
        },
        "AUDIT_CHECKPOINT_INVALID": {
            "zh_CN": "审计检查点文件 {file} 已损坏或被改动（{detail}）",
            "en": "The audit checkpoint file {file} is damaged or was altered ({detail})",
        },
    }
)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str

    def as_tuple(self) -> tuple[int, str]:
        return self.seq, self.hash


class CheckpointInvalid(Exception):
    """The checkpoint file exists but is not one this install wrote. ``detail`` is safe
    to log (no key material, no personal data)."""

    code = "AUDIT_CHECKPOINT_INVALID"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


def checkpoint_path(database: Path) -> Path:
    return database.with_name(database.stem + CHECKPOINT_SUFFIX)


def checkpoint_path_of(db: sqlite_utils.Database) -> Path | None:
    """The checkpoint next to this connection's database file; None for a memory db."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return checkpoint_path(Path(file)) if file else None
    return None


def _mac(key: bytes, body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, _MAC_LABEL + text, hashlib.sha256).hexdigest()


def read_checkpoint(path: Path, key: bytes) -> Checkpoint | None:
    """The checkpoint at ``path``, None if there is none, :class:`CheckpointInvalid` if
    it cannot be read or its HMAC does not match."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CheckpointInvalid(f"unreadable: {type(exc).__name__}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise CheckpointInvalid("not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointInvalid("not a checkpoint file")
    if data.get("version") != VERSION:
        raise CheckpointInvalid(f"version {data.get('version')!r}")
    seq, digest, mac = data.get("seq"), data.get("hash"), data.get("mac")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CheckpointInvalid("bad seq")
    if not isinstance(digest, str) or not isinstance(mac, str):
        raise CheckpointInvalid("bad hash")
    body = {k: v for k, v in data.items() if k != "mac"}
    if not hmac.compare_digest(_mac(key, body), mac):
        raise CheckpointInvalid("HMAC does not match")
    return Checkpoint(seq, digest)


def write_checkpoint(path: Path, key: bytes, checkpoint: Checkpoint) -> None:
    """Replace the file atomically; the new content is on disk before the rename."""
    body: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "seq": checkpoint.seq, "hash": checkpoint.hash,
    }  # fmt: skip
    text = json.dumps({**body, "mac": _mac(key, body)}, sort_keys=True, indent=1) + "\n"
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def advance_checkpoint(db: sqlite_utils.Database, path: Path | None = None) -> ChainReport | None:
    """Verify the rows committed since the checkpoint and move it to the newest one.

    Returns the verification (None when there is nothing to do: no keys on this
    connection, a transaction open, a memory database, an unchained log, or the checkpoint
    file itself is damaged - then it is left as evidence for ``check``). A broken chain
    leaves the checkpoint where it was. Never raises for storage or file trouble (logged):
    callers run it while closing or after a sync round.
    """
    try:
        if not has_vault(db) or db.conn.in_transaction:
            return None
        path = path or checkpoint_path_of(db)
        repo = AuditRepo(db, vault_of(db).chain_key)
        if path is None or not repo.is_chained():
            return None
        with _LOCK:
            return _advance(repo, path)
    except (OSError, sqlite3.Error) as exc:
        log.warning("audit checkpoint not written: %s", type(exc).__name__)
        return None


def _advance(repo: AuditRepo, path: Path) -> ChainReport | None:
    try:
        current = read_checkpoint(path, repo.key)
    except CheckpointInvalid as exc:
        log.error("audit checkpoint %s is invalid (%s); left for check to report",
                  path.name, exc.detail)  # fmt: skip
        return None
    report = repo.verify_since(current.as_tuple() if current else (0, GENESIS))
    if not report.ok:
        log.error("audit log chain broken: %s at row %s; checkpoint not moved",
                  report.reason, report.first_bad_seq)  # fmt: skip
        return report
    if current is None:
        if report.last_seq > 0:
            log.warning("no audit checkpoint (upgrade, or the file was removed); "
                        "writing one at row %d", report.last_seq)  # fmt: skip
    elif report.last_seq <= current.seq:
        return report
    try:  # another process may have moved it further meanwhile: never move it back
        on_disk = read_checkpoint(path, repo.key)
    except CheckpointInvalid:
        return report  # made invalid meanwhile: leave it for check
    if on_disk is None or on_disk.seq < report.last_seq:
        write_checkpoint(path, repo.key, Checkpoint(report.last_seq, report.last_hash))
    return report


def check_item(db: sqlite_utils.Database, database: Path, lang: str = "en") -> tuple[bool, str]:
    """``main.py check``'s audit item: (ok, text). Changes nothing: the keys are read
    with ``must_exist`` (never created) and the checkpoint is only read."""
    repo = AuditRepo(db)
    if not repo.is_chained():
        return True, i18n.translate("AUDIT_NOT_CHAINED", lang)
    path = checkpoint_path(database)
    row = db.execute("SELECT value FROM meta WHERE key = ?", [META_INSTALL_ID]).fetchone()
    if row is None:
        why = i18n.translate("AUDIT_NO_INSTALL_ID", lang)
        return False, i18n.translate("AUDIT_NOT_VERIFIED", lang, why=why)
    try:
        key = chain_key(load_or_create_keys(str(row[0]), must_exist=True))
    except SecurityError as exc:
        return False, i18n.translate("AUDIT_NOT_VERIFIED", lang, why=exc.message(lang))
    repo = AuditRepo(db, key)
    problem: str | None = None
    try:
        checkpoint = read_checkpoint(path, key)  # before the rows: it never runs ahead
    except CheckpointInvalid as exc:
        checkpoint = None
        problem = i18n.translate(exc.code, lang, file=path.name, detail=exc.detail)
    report = repo.verify(checkpoint.as_tuple() if checkpoint else None)
    if not report.ok:
        return False, i18n.translate(report.code, lang, **report.params())
    if problem is not None:
        return False, problem
    if checkpoint is None:
        if report.checked == 0:
            return True, i18n.translate(report.code, lang, **report.params())
        return False, i18n.translate(
            "AUDIT_CHECKPOINT_MISSING", lang, checked=report.checked, file=path.name
        )
    text = i18n.translate(report.code, lang, **report.params())
    return True, i18n.translate("AUDIT_CHECKPOINT_AT", lang, report=text, seq=checkpoint.seq)
