"""Enrolling this PC with the central server: a one-time code for a device token.

The token goes to the keyring before anything else is recorded, so a PC whose keyring
refuses it stays exactly as it was. Enrolling again (after a 401 or a revocation)
clears the pause. Enrolling with another server or store starts the cursors over and
re-sends every application without a decision, and the store this PC belongs to takes
the enrolled store's code, so what it sends from now on names the right store.
"""

from __future__ import annotations

import logging
import platform
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from pydantic import ValidationError

import core
from core.clock import Clock
from core.ids import uuid7
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.sync import state_keys, tokens, wire
from core.sync.errors import SyncError
from core.sync.http import SyncHttp, Timeouts
from core.sync.outbox import reseal_store_code
from core.sync.plain_http import PLAIN_HTTP_REFUSED, plain_http_refused

log = logging.getLogger("loandesk.sync.enroll")

ENROLL_PATH = f"{wire.API_PREFIX}/devices/enroll"


@dataclass(frozen=True)
class Enrollment:
    server_url: str
    store_code: str
    store_name: str
    store_city: str
    device_id: str
    server_epoch: str
    repushed: int  # acked applications without a decision, pending again
    resealed: int  # pending payloads re-sealed with the enrolled store code


def normalize_server_url(url: str) -> str:
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SyncError("SYNC_SERVER_URL_INVALID", url=url)
    if plain_http_refused(text):
        raise SyncError(PLAIN_HTTP_REFUSED, url=text, detail=text)
    return text


def enroll(
    db: sqlite_utils.Database,
    clock: Clock,
    server_url: str,
    store_code: str,
    enrollment_code: str,
    *,
    settings: Any = None,
    timeouts: Timeouts | None = None,
    ca_bundle: str | None = None,
) -> Enrollment:
    """POST /v1/devices/enroll; raises SyncError with a clear code on any refusal.

    ``settings`` (core.config.Settings), when given, gets the enrolled store's code,
    name and city, so the next start opens as that store."""
    url = normalize_server_url(server_url)
    apps, repo = Repositories(db), SyncRepo(db)
    device_id = apps.meta_get("device_id")
    if device_id is None:
        device_id = uuid7()
        apps.meta_set("device_id", device_id)
    try:
        request = wire.EnrollRequest(
            store_code=store_code.strip(),
            enrollment_code=enrollment_code.strip(),
            device_id=device_id,
            device_name=platform.node()[:100],
            app_version=core.__version__,
        )
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SyncError("SYNC_ENROLL_REFUSED", status="-", detail=detail) from None
    with SyncHttp(url, timeouts=timeouts, ca_bundle=ca_bundle, clock=clock) as http:
        answer = http.post(ENROLL_PATH, request, wire.EnrollResponse)
    if answer.value is None:
        if answer.kind in ("bad_request", "unauthorized", "forbidden", "not_found"):
            raise SyncError("SYNC_ENROLL_REFUSED", status=answer.status, detail=answer.detail)
        raise SyncError(
            answer.code or "SYNC_UNREACHABLE",
            detail=answer.detail,
            status=answer.status,
            path=ENROLL_PATH,
            seconds=answer.retry_after,
        )
    reply = answer.value
    tokens.save_token(device_id, reply.device_token)
    old_code = settings.get("store_code") if settings is not None else _only_store_code(db)
    with db.atomic():
        moved = (
            repo.state_get(state_keys.SERVER_URL) != url
            or repo.state_get(state_keys.STORE_CODE) != reply.store_code
        )
        old_epoch = repo.state_get(state_keys.SERVER_EPOCH)
        repushed = 0
        if moved or old_epoch != reply.server_epoch:
            repushed = repo.repend_undecided()
            repo.state_set(state_keys.DECISIONS_CURSOR, None)
            repo.state_set(state_keys.CATALOG_CURSOR, None)
            repo.state_delete_prefix(state_keys.BLACKLIST_STATE)
        if moved:
            repo.state_set(state_keys.RULEPACK_ETAG, None)
        for key, value in (
            (state_keys.SERVER_URL, url),
            (state_keys.STORE_CODE, reply.store_code),
            (state_keys.DEVICE_ID, device_id),
            (state_keys.SERVER_EPOCH, reply.server_epoch),
        ):
            repo.state_set(key, value)
        for key in (
            state_keys.PAUSED,
            state_keys.LAST_ERROR,
            state_keys.NOT_BEFORE,
            state_keys.FAILURES,
        ):
            repo.state_set(key, None)
        _rename_store(db, old_code, reply)
        resealed = reseal_store_code(db, reply.store_code)
    if settings is not None:
        _update_settings(settings, reply)
    log.info(
        "enrolled device %s with %s as store %s (%d re-sent, %d re-sealed)",
        device_id,
        url,
        reply.store_code,
        repushed,
        resealed,
    )
    return Enrollment(
        url,
        reply.store_code,
        reply.store_name,
        reply.store_city,
        device_id,
        reply.server_epoch,
        repushed,
        resealed,
    )


def _only_store_code(db: sqlite_utils.Database) -> str | None:
    codes = SyncRepo(db).store_codes(2)
    return codes[0] if len(codes) == 1 else None


def _rename_store(
    db: sqlite_utils.Database, old_code: str | None, reply: wire.EnrollResponse
) -> None:
    repo, sync = Repositories(db), SyncRepo(db)
    if repo.store_by_code(reply.store_code) is None and old_code is not None:
        sync.rename_store(old_code, reply.store_code)
    sync.set_store_details(
        reply.store_code, reply.store_name.strip()[:40], reply.store_city.strip()[:20]
    )


def _update_settings(settings: Any, reply: wire.EnrollResponse) -> None:
    for name, value in (
        ("store_code", reply.store_code),
        ("store_name", reply.store_name.strip()[:40]),
        ("store_city", reply.store_city.strip()[:20]),
    ):
        if not value or settings.get(name) == value:
            continue
        try:
            settings.set(name, value)
        except ValueError as exc:  # SettingsError: keep the old value, say so
            log.warning("setting %s not updated from the enrollment: %s", name, exc)
