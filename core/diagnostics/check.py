"""``main.py check``: what IT needs to know about this PC's LoanDesk, as data.

Never changes anything: the database is opened without migrating.
"""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import core
from core.config import Paths, Settings, is_frozen, resources_dir
from core.logs import LOG_FILENAME
from core.store.db import (
    DatabaseTooNew,
    StorageEnvironmentError,
    check_database,
    open_database,
)
from core.store.diagnostics_repo import DiagnosticsRepo

MIN_FREE_BYTES = 200 * 1024 * 1024


def _item(name: str, ok: bool, detail: str) -> dict[str, Any]:
    return {"name": name, "ok": ok, "detail": detail}


def _keyring_check() -> dict[str, Any]:
    """The device token and data keys live only in the OS keyring: is it a safe one?"""
    try:
        import keyring

        from core.security.keyring_store import describe_backend, insecure_reason

        backend = keyring.get_keyring()
        reason = insecure_reason(backend)
    except Exception as exc:  # noqa: BLE001 - diagnostics report, never raise
        return _item("keyring", False, f"unavailable ({type(exc).__name__}: {exc})")
    if reason is None:
        return _item("keyring", True, describe_backend(backend))
    advice = (
        (
            "no usable keyring: on Windows the user's Credential Manager must be "
            "available; on Linux a Secret Service (gnome-keyring), or choose one with "
            "PYTHON_KEYRING_BACKEND"
        )
        if reason == "no_backend"
        else (
            "this backend keeps secrets unsafely (plain files); remove keyrings.alt or "
            "choose a secure one with PYTHON_KEYRING_BACKEND"
        )
    )
    return _item("keyring", False, f"{describe_backend(backend)}: {advice}")


def _sync_check(db: Any) -> dict[str, Any] | None:
    from core.clock import SystemClock
    from core.sync.service import SyncService

    if "sync_state" not in db.table_names():
        return None
    st = SyncService(db, SystemClock()).sync_state()
    if not st.enrolled:
        return _item("sync", True, "not enrolled with a central server (capture works offline)")
    detail = (
        f"{st.server_url} store {st.store_code}; last sync {st.last_sync_at or 'never'}; "
        f"{st.pending} waiting, {st.rejected} rejected, {st.quarantined} quarantined"
    )
    if st.paused_reason:
        detail += f"; PAUSED: {st.paused_reason}"
    from core.sync.plain_http import plain_http_refused

    insecure = bool(st.server_url) and plain_http_refused(str(st.server_url))
    if insecure:
        detail += (
            "; PROBLEM the server address uses plain http:// (token and personal data "
            "would travel unencrypted), so nothing is sent: enroll again with https://"
        )
    return _item("sync", not st.paused_reason and not st.quarantined and not insecure, detail)


def _rollout_check(paths: Paths) -> dict[str, Any]:
    """The rollout file and environment, the enrollment they lead to (core.rollout)."""
    from core.rollout import check_item

    try:
        return check_item(paths)
    except Exception as exc:  # noqa: BLE001 - diagnostics report, never raise
        return _item("rollout", False, f"cannot be checked ({type(exc).__name__}: {exc})")


def _personal_data_check(db: Any) -> dict[str, Any]:
    """Is personal data encrypted, and do this keyring's keys open it? (a sample field;
    the keys are read, never created)."""
    from core.security import DecryptError, SecurityError
    from core.security.keyring_store import load_or_create_keys
    from core.store.meta_repo import MetaRepo
    from core.store.vault import META_ENCRYPTED, META_INSTALL_ID, Vault

    repo = DiagnosticsRepo(db)
    meta = MetaRepo(db).get_many([META_ENCRYPTED, META_INSTALL_ID])
    customers = repo.customers()
    if meta.get(META_ENCRYPTED) != "1":
        if customers:
            return _item(
                "personal data",
                False,
                f"{customers} customers stored in plain "
                "text: start LoanDesk once so that it encrypts them",
            )
        return _item("personal data", True, "none stored yet (encrypted once stored)")
    where = f"OS keyring, LoanDesk / data-keys:{meta.get(META_INSTALL_ID, '?')}"
    try:
        vault = Vault(load_or_create_keys(str(meta.get(META_INSTALL_ID, "")), must_exist=True))
    except (SecurityError, ValueError) as exc:
        detail = exc.message("en") if isinstance(exc, SecurityError) else str(exc)
        return _item(
            "personal data", False, f"encrypted, but the keys cannot be read ({where}): {detail}"
        )
    sample = repo.newest_sealed_id_number()
    if sample is not None:
        try:
            vault.open("customers", "id_number", sample[0], sample[1])
        except DecryptError:
            return _item(
                "personal data",
                False,
                "encrypted, but this keyring's keys do not "
                f"open it ({where}): was the database copied from another PC or "
                "Windows user? Restore that user's credential, do not delete data",
            )
    state = "none stored yet; it will be " if not customers else ""
    return _item(
        "personal data",
        True,
        f"{state}encrypted (AES-256-GCM, key {vault.key_id}); keys in the {where}",
    )


def _accounts_check(db: Any) -> dict[str, Any]:
    from core.store.operators_repo import OperatorsRepo

    people = [r for r in OperatorsRepo(db).all() if r.active]
    if not any(r.role == "admin" and r.has_password for r in people):
        return _item(
            "accounts",
            True,
            "no administrator yet: the first start of the window "
            "asks for one (there is no default password)",
        )
    counts = {
        role: sum(1 for r in people if r.role == role and r.has_password)
        for role in ("admin", "field_manager", "clerk")
    }
    waiting = sum(1 for r in people if not r.has_password)
    detail = (
        f"{counts['admin']} administrator(s), {counts['field_manager']} field "
        f"manager(s), {counts['clerk']} clerk(s) can sign in"
    )
    if waiting:
        detail += f"; {waiting} account(s) have no password yet"
    return _item("accounts", True, detail)


def _audit_check(db: Any, db_path: Path) -> dict[str, Any]:
    """The hash chain and the checkpoint outside the database (core.audit.checkpoint)."""
    from core.audit.checkpoint import check_item

    ok, detail = check_item(db, db_path)
    return _item("audit log", ok, detail)


def _rules_check(db: Any) -> dict[str, Any]:
    """The active rule pack verifies and is not below the highest ever installed."""
    from core.rules.check import check_item

    ok, detail = check_item(db)
    return _item("rule pack", ok, detail)


def _too_new_item(db_path: Path, exc: DatabaseTooNew) -> dict[str, Any]:
    """A database made by a newer LoanDesk: what to do, and a code main.py can map to
    the storage exit code."""
    from core import i18n

    item = _item(
        "database",
        False,
        f"{db_path}: database made by a newer version "
        f"(this is LoanDesk {core.__version__}). "
        + i18n.translate(exc.code, "en", detail=str(exc)),
    )
    item["code"] = exc.code
    return item


def _lost_item(db_path: Path) -> dict[str, Any] | None:
    """A missing or emptied database in a folder that had one (core.store.lost_database)."""
    from core.store.errors import DatabaseLost
    from core.store.lost_database import refuse_lost

    try:
        refuse_lost(db_path, db_path.parent / "backups")
    except DatabaseLost as exc:
        item = _item("database", False, f"{db_path}: database missing or emptied. "
                     + exc.message("en"))  # fmt: skip
        item["code"] = exc.code
        return item
    except Exception as exc:  # noqa: BLE001 - diagnostics report, never raise
        return _item("database", False, f"{db_path}: cannot be looked at ({exc})")
    return None


def _database_checks(db_path: Path) -> list[dict[str, Any]]:
    if (lost := _lost_item(db_path)) is not None:
        return [lost]
    if not db_path.exists():
        return [_item("database", True, f"{db_path} not created yet (made at first start)")]
    out = []
    try:
        db = open_database(db_path, migrate=False)
    except DatabaseTooNew as exc:  # refused before anything was read or written
        return [_too_new_item(db_path, exc)]
    except (StorageEnvironmentError, sqlite3.Error) as exc:
        return [_item("database", False, f"{db_path}: cannot open ({exc})")]
    try:
        r = check_database(db)
        size = db_path.stat().st_size
        out.append(_item("database", True, f"{db_path} ({size / 1e6:.1f} MB)"))
        out.append(
            _item(
                "integrity",
                r.integrity == "ok" and r.foreign_key_violations == 0,
                f"integrity_check={r.integrity}, foreign key violations={r.foreign_key_violations}",
            )
        )
        out.append(
            _item(
                "migrations",
                not r.pending_migrations,
                f"applied {len(r.applied_migrations)} "
                f"(latest {r.applied_migrations[-1] if r.applied_migrations else '-'}), "
                f"pending {r.pending_migrations or 'none'}",
            )
        )
        out.append(
            _item(
                "durability",
                r.journal_mode == "wal" and r.synchronous == 2,
                f"journal_mode={r.journal_mode}, synchronous={r.synchronous} (2=FULL)",
            )
        )
        counts = DiagnosticsRepo(db)
        if counts.has_table("applications"):
            apps, pending = counts.applications(), counts.pending_uploads()
            out.append(_item("records", True, f"{apps} applications, {pending} waiting to upload"))
        if not r.pending_migrations and (sync := _sync_check(db)) is not None:
            out.append(sync)
        if not r.pending_migrations and "customers" in db.table_names():
            out.append(_personal_data_check(db))
            out.append(_accounts_check(db))
        if "audit_log" in db.table_names():
            out.append(_audit_check(db, db_path))
        if not r.pending_migrations and "rule_packs" in db.table_names():
            out.append(_rules_check(db))
    except (StorageEnvironmentError, sqlite3.Error) as exc:
        out.append(_item("integrity", False, f"check failed: {exc}"))
    finally:
        db.close()
    return out


def run_checks(paths: Paths) -> dict[str, Any]:
    checks: list[dict[str, Any]] = [
        _item(
            "version",
            True,
            f"LoanDesk {core.__version__}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, frozen={is_frozen()}",
        ),
    ]
    data_dir = paths.data_dir
    writable = data_dir.is_dir() and os.access(data_dir, os.W_OK)
    checks.append(
        _item(
            "data folder",
            writable,
            f"{data_dir} ({'writable' if writable else 'missing or not writable'})",
        )
    )
    if data_dir.is_dir():
        free = shutil.disk_usage(data_dir).free
        checks.append(_item("disk space", free >= MIN_FREE_BYTES, f"{free / 2**30:.1f} GiB free"))
    checks.extend(_database_checks(paths.database))
    settings = Settings(paths.settings_file)
    checks.append(
        _item(
            "settings",
            not settings.problems,
            "; ".join(settings.problems) or f"{paths.settings_file}",
        )
    )
    res = resources_dir()
    needed = [res / "demo" / "catalog.json", res / "translations" / "loandesk_zh_CN.qm"]
    missing = [str(p.relative_to(res)) for p in needed if not p.exists()]
    checks.append(
        _item("resources", not missing, f"{res}" + (f"; missing {missing}" if missing else ""))
    )
    checks.append(_keyring_check())
    checks.append(_rollout_check(paths))
    checks.append(_item("log file", True, str(paths.logs / LOG_FILENAME)))
    from core.diagnostics.about import crash_check

    checks.append(crash_check(paths))  # informational: a past hard crash never fails
    return {
        "ok": all(c["ok"] for c in checks),
        "checks": checks,
        "data_dir": str(data_dir),
        "executable": sys.executable,
    }
