"""A missing or emptied ``loandesk.db`` on a PC that had data is refused, never taken for a
new install (which would drop the unsent applications without a word and let anyone
create the first administrator).

What shows that this data folder had a database, kept where deleting or emptying the
database does not reach:

- the audit checkpoint file next to it (``loandesk-audit-checkpoint.json``, written when
  the first context closes: :mod:`core.audit.checkpoint`);
- an entry in the OS keyring, ``LoanDesk / data-folder:<hash of the database path>``,
  holding the install id, written once the database has one (:func:`remember`): it
  survives the whole data folder being wiped.

"Emptied" means the file has no install id: 0 bytes, not a database, or no ``meta`` row.
IT who wants a new installation in that folder on purpose runs
``main.py start-new-database`` (:func:`forget`), which moves the checkpoint into the
backups folder and removes the keyring entry.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from core import i18n
from core.store.errors import DatabaseLost

log = logging.getLogger("loandesk.store")

CHECKPOINT_SUFFIX = "-audit-checkpoint.json"  # as core.audit.checkpoint_copies names it

i18n.register(
    {
        "STORAGE_DATABASE_LOST": {
            "zh_CN": "数据库缺失或已被清空：{detail}。本机曾有数据（{evidence}），LoanDesk "
            "不会把它当作新安装启动，以免未上传的申请无声丢失。请 IT 从备份文件夹 {backups} "
            "恢复 loandesk.db；确需在此重新安装时，以管理员身份运行 "
            "python main.py start-new-database。",
            "en": "The database is missing or emptied: {detail}. This PC had data here "
            "({evidence}), so LoanDesk does not start it as a new installation, which would "
            "lose unsent applications without a word. IT: restore loandesk.db from the "
            "backups folder {backups}; to start a new installation here on purpose, run "
            "python main.py start-new-database as administrator.",
        },
        "STORAGE_LOST_EVIDENCE_CHECKPOINT": {
            "zh_CN": "审计检查点文件 {file} 仍在",
            "en": "its audit checkpoint {file} is still there",
        },
        "STORAGE_LOST_EVIDENCE_KEYRING": {
            "zh_CN": "系统密钥库记录了此文件夹的安装 {install_id}",
            "en": "the OS keyring records installation {install_id} for this folder",
        },
    }
)


def marker_name(database: Path) -> str:
    """The keyring entry (service ``LoanDesk``) naming this database path's install."""
    digest = hashlib.sha256(str(database.resolve()).encode("utf-8")).hexdigest()[:32]
    return f"data-folder:{digest}"


def is_empty(database: Path) -> str | None:
    """Why ``database`` holds no installation (missing, 0 bytes, no install id), or None
    when it has one or cannot be read (a damaged file is another error's business).
    Read-only; leaves no -wal/-shm behind when there is none."""
    if not database.exists():
        return "the file is not there"
    if database.stat().st_size == 0:
        return "the file is empty (0 bytes)"
    wal = database.with_name(database.name + "-wal").exists()
    uri = database.resolve().as_uri() + ("?mode=ro" if wal else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=1.0)
    except (sqlite3.Error, ValueError):
        return None
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if found is None:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            return "the file holds no tables" if int(tables) == 0 else None
        row = conn.execute("SELECT value FROM meta WHERE key = 'install_id'").fetchone()
        return "the file has no installation id" if row is None or not row[0] else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def evidence(database: Path, *, keyring: bool = True) -> tuple[str, dict[str, str]] | None:
    """(i18n code, params) of what shows this folder had a database, or None."""
    checkpoint = database.with_name(database.stem + CHECKPOINT_SUFFIX)
    if checkpoint.exists():
        return "STORAGE_LOST_EVIDENCE_CHECKPOINT", {"file": checkpoint.name}
    if not keyring:
        return None
    from core.security.keyring_store import read_secret
    from core.security.messages import SecurityError

    try:
        install_id = read_secret(marker_name(database))
    except SecurityError:  # no usable keyring: the start says so on its own
        return None
    if install_id:
        return "STORAGE_LOST_EVIDENCE_KEYRING", {"install_id": install_id}
    return None


def refuse_lost(database: Path, backups: Path, *, keyring: bool = True) -> None:
    """Raise :class:`DatabaseLost` if ``database`` holds no installation although this
    folder had one. Changes nothing."""
    empty = is_empty(database)
    if empty is None:
        return
    found = evidence(database, keyring=keyring)
    if found is None:
        return
    code, params = found
    log.error("database missing or emptied (%s) although this folder had data (%s): "
              "refused, nothing created", empty, code)  # fmt: skip
    raise DatabaseLost(empty, code, params, backups)


def remember(database: Path, install_id: str) -> None:
    """Record in the keyring that this path holds ``install_id`` (one read; a write only
    the first time). A keyring that refuses is logged, never fatal."""
    from core.security.keyring_store import read_secret, write_secret
    from core.security.messages import SecurityError

    name = marker_name(database)
    try:
        if read_secret(name) != install_id:
            write_secret(name, install_id)
    except SecurityError as exc:
        log.warning("data folder not recorded in the OS keyring: %s", type(exc).__name__)


def forget(database: Path, backups: Path) -> list[str]:
    """IT's deliberate new start in this folder: the checkpoint moves into ``backups``
    and the keyring entry goes. Refused (ValueError) while the database holds an
    installation. Returns what was done, for the message."""
    if is_empty(database) is None:
        raise ValueError("the database holds an installation; nothing changed")
    from core.security.keyring_store import delete_secret, read_secret

    done: list[str] = []
    checkpoint = database.with_name(database.stem + CHECKPOINT_SUFFIX)
    if checkpoint.exists():
        backups.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = backups / f"{checkpoint.stem}-{stamp}-orphaned.json"
        checkpoint.replace(target)
        done.append(f"moved {checkpoint.name} to {target}")
    name = marker_name(database)
    if read_secret(name) is not None:
        delete_secret(name)
        done.append(f"removed the keyring entry LoanDesk / {name}")
    log.warning("start-new-database: %s", "; ".join(done) or "nothing to do")
    return done
