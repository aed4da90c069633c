"""The ``rollout`` item of ``check``: which file was read, its problems, the overrides in
effect, whether the PC is enrolled and whether the file's server answers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from core import i18n
from core.config import Paths
from core.rollout.enrol import LAST_ENROLMENT_KEY, RolloutOutcome, _parse_outcome, _timeouts
from core.rollout.model import RolloutConfig
from core.rollout.settings import load_rollout

if TYPE_CHECKING:
    from core.sync.service import SyncStatus

log = logging.getLogger("loandesk.rollout")

CHECK_TIMEOUTS = (3.0, 5.0, 8.0)


# --- check --------------------------------------------------------------------------------


def check_item(paths: Paths, config: RolloutConfig | None = None) -> dict[str, Any]:
    """``main.py check``'s "rollout" item. Changes nothing (the database is read without
    migrating; the server, if named, is asked for /v1/health only)."""
    config = config if config is not None else load_rollout()
    parts: list[str] = []
    ok = not config.problems
    if config.file is not None:
        parts.append(f"read {config.file}")
    else:
        parts.append(f"no rollout file (looked for {config.looked_for})")
    if config.env_overrides:
        parts.append("environment overrides: " + ", ".join(config.env_overrides))
    named = [
        f"{k}={getattr(config, k)}"
        for k in ("server_url", "store_code", "language")
        if getattr(config, k)
    ]
    if config.enrollment_code is not None:
        named.append("enrollment code set (hidden)")
    if config.data_dir is not None:
        used = config.data_dir == paths.data_dir
        named.append(
            f"data_dir={config.data_dir}"
            + ("" if used else f" (not in use: {paths.data_dir} is, from --data-dir)")
        )
    if named:
        parts.append(", ".join(named))
    parts.extend(f"PROBLEM {p.text('en')}" for p in config.problems)
    state, last = _read_enrolment(paths)
    if state is None:
        parts.append("not enrolled (no database yet)")
    elif state.enrolled:
        parts.append(f"enrolled with {state.server_url} as store {state.store_code}")
        if (
            config.server_url
            and config.store_code
            and (
                config.server_url != state.server_url
                or config.store_code.upper() != (state.store_code or "").upper()
            )
        ):
            ok = False
            parts.append(
                "PROBLEM the rollout settings name another server or store: "
                "enroll again by hand if this PC should move"
            )
    else:
        parts.append("not enrolled")
    if last is not None and last.status == "failed":
        when = f"last {'automatic' if last.how == 'auto' else 'manual'} enrollment at {last.at}"
        parts.append(f"{when} failed: {last.reason('en')}")
        if state is None or not state.enrolled:
            ok = False
    if config.server_url and not any(p.key == "server_url" for p in config.problems):
        reachable, detail = _probe(config.server_url, paths)
        parts.append(detail)
        ok = ok and reachable
    item: dict[str, Any] = {
        "name": "rollout",
        "ok": ok,
        "detail": "; ".join(parts),
        "rollout": config.summary(),
    }
    if last is not None:
        item["rollout"]["last_enrollment"] = {
            k: v for k, v in last.to_json().items() if k != "fingerprint"
        }
    return item


def _read_enrolment(paths: Paths) -> tuple[SyncStatus | None, RolloutOutcome | None]:
    import sqlite3

    from core.clock import SystemClock
    from core.store.db import StorageEnvironmentError, open_database
    from core.store.sync_repo import SyncRepo
    from core.sync.service import SyncService

    if not paths.database.exists():
        return None, None
    try:
        db = open_database(paths.database, migrate=False)
    except (StorageEnvironmentError, sqlite3.Error):
        return None, None
    try:
        if "sync_state" not in db.table_names():
            return None, None
        state = SyncService(db, SystemClock()).sync_state()
        return state, _parse_outcome(SyncRepo(db).state_get(LAST_ENROLMENT_KEY))
    except sqlite3.Error:
        return None, None
    finally:
        db.close()


def _probe(url: str, paths: Paths) -> tuple[bool, str]:
    """Can the rollout's server be reached? (GET /v1/health, short timeouts.)"""
    from core.config import Settings
    from core.sync import wire
    from core.sync.http import SyncHttp

    ca = Settings(paths.settings_file).get("ca_bundle") or None
    try:
        with SyncHttp(url, timeouts=_timeouts(CHECK_TIMEOUTS), ca_bundle=ca) as http:
            answer = http.get(f"{wire.API_PREFIX}/health", wire.Health)
    except Exception as exc:  # noqa: BLE001 - diagnostics report, never raise
        return False, f"PROBLEM server {url} cannot be asked ({type(exc).__name__})"
    if answer.value is not None:
        return True, f"server {url} answers (version {answer.value.version})"
    reason = i18n.translate(
        answer.code or "SYNC_UNREACHABLE",
        "en",
        detail=answer.detail,
        status=answer.status,
        path="/v1/health",
        seconds=answer.retry_after,
    )
    return False, f"PROBLEM server {url} does not answer: {reason}"
