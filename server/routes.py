"""The /v1 routes (docs/sync-protocol.md), their bearer-token check and their error answers."""

from __future__ import annotations

import math
import os
import sys
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.clock import CHINA_TZ
from core.sync.wire import (
    API_PREFIX,
    BatchRequest,
    BatchResponse,
    BlacklistDelta,
    CatalogPage,
    DecisionsPage,
    EnrollRequest,
    EnrollResponse,
    ErrorResponse,
    Health,
    HeartbeatRequest,
    HeartbeatResponse,
)
from server import SERVER_VERSION, devices, feeds
from server.devices import Device
from server.errors import ApiError
from server.faults import DIE_AFTER_KEY
from server.ingest import IngestContext, process_batch
from server.runtime import Runtime


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


_bearer = HTTPBearer(auto_error=False, description="the device token from /v1/devices/enroll")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorResponse} for code in codes}


_COMMON = _errors(400, 422, 429, 500, 503)  # any route (429/503 carry Retry-After)
_AUTHED = _errors(401, 403)  # routes that need the device token


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]


_BOUND_MESSAGES = {
    "DEVICE_OTHER_STORE": (
        "this PC is enrolled at another store; head office must release it "
        "(python -m server release DEVICE_ID) before it can enroll here"
    ),
    "DEVICE_REVOKED": (
        "this PC has been revoked by the central team; enrolling again does not lift "
        "that: head office must release it first"
    ),
}


def _device(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Device:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "UNAUTHORIZED", "missing bearer token: enroll the device", challenge)
    device = devices.device_for_token(runtime.db, credentials.credentials)
    if device is None:
        raise ApiError(401, "UNAUTHORIZED", "unknown device token: enroll again", challenge)
    if device.revoked:
        raise ApiError(403, "DEVICE_REVOKED", "this device has been revoked by the central team")
    return device


DeviceDep = Annotated[Device, Depends(_device)]


def _die() -> None:
    sys.stdout.flush()
    os._exit(1)  # the die_after_items test fault: a crash, not a shutdown


def api_router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, responses=_COMMON)

    @r.get("/health", response_model=Health, tags=["devices"])
    def health(runtime: RuntimeDep) -> Health:
        """Liveness and the server epoch; no token needed."""
        epoch = feeds.server_epoch(runtime.db)
        return Health(status="ok", server_time=_now(), server_epoch=epoch, version=SERVER_VERSION)

    @r.post(
        "/devices/enroll", response_model=EnrollResponse, tags=["devices"], responses=_errors(403)
    )
    def enroll(body: EnrollRequest, request: Request, runtime: RuntimeDep) -> EnrollResponse:
        """Trade a one-time enrollment code for a device token (403 ENROLL_REFUSED,
        DEVICE_OTHER_STORE or DEVICE_REVOKED; 429 after repeated refusals from one
        caller, see server/enroll_throttle.py)."""
        source = request.client.host if request.client is not None else ""
        wait = runtime.enroll_throttle.blocked_for(source, body.store_code)
        if wait > 0:
            raise ApiError(
                429,
                "RATE_LIMITED",
                "too many wrong enrollment codes for this store; wait and try again",
                {"Retry-After": str(math.ceil(wait))},
            )
        try:
            done = devices.enroll(runtime.db, body)
        except devices.EnrollRefused:
            runtime.enroll_throttle.failed(source, body.store_code)
            raise ApiError(
                403,
                "ENROLL_REFUSED",
                "store code or enrollment code is wrong, expired or already used",
            ) from None
        except devices.DeviceBound as exc:
            raise ApiError(403, exc.code, _BOUND_MESSAGES[exc.code]) from None
        return EnrollResponse(
            device_token=done.device_token,
            device_id=done.device_id,
            store_code=done.store_code,
            store_name=done.store_name,
            store_city=done.store_city,
            server_epoch=feeds.server_epoch(runtime.db),
        )

    @r.post(
        "/devices/heartbeat", response_model=HeartbeatResponse, tags=["devices"], responses=_AUTHED
    )
    def heartbeat(body: HeartbeatRequest, runtime: RuntimeDep, device: DeviceDep) -> Any:
        """Queue size, last sync, pack and app version of the device."""
        devices.heartbeat(runtime.db, device, body)
        return HeartbeatResponse(server_time=_now(), server_epoch=feeds.server_epoch(runtime.db))

    @r.post(
        "/applications/batch",
        response_model=BatchResponse,
        tags=["applications"],
        responses={**_AUTHED, **_errors(413)},
    )
    def batch(
        body: BatchRequest, request: Request, runtime: RuntimeDep, device: DeviceDep
    ) -> BatchResponse:
        """Push applications; one result per item, in request order (see docs/sync-protocol.md)."""
        die_after: int | None = request.scope.get(DIE_AFTER_KEY)
        if die_after == 0:
            _die()
        ctx = IngestContext(
            device, runtime.packs.active(), datetime.now(CHINA_TZ).date(), runtime.packs
        )

        def after_item(done: int) -> None:
            if die_after is not None and done >= die_after:
                _die()

        results = process_batch(runtime.db, body.items, ctx, after_item)
        if die_after is not None:
            _die()
        return BatchResponse(results=results, server_epoch=feeds.server_epoch(runtime.db))

    @r.get(
        "/decisions",
        response_model=DecisionsPage,
        tags=["pull"],
        responses={**_AUTHED, **_errors(410)},
    )
    def decisions(
        runtime: RuntimeDep,
        device: DeviceDep,
        cursor: str = "",
        limit: Annotated[int, Query(ge=1, le=feeds.MAX_PAGE)] = feeds.DEFAULT_PAGE,
    ) -> DecisionsPage:
        """Decisions of this device's store after ``cursor`` ("" = from the start)."""
        limits = feeds.FeedLimits(runtime.config.decision_retention)
        try:
            return feeds.decisions_page(runtime.db, device.store_code, cursor, limit, limits)
        except feeds.CursorError as exc:
            if exc.expired:
                raise ApiError(410, "CURSOR_EXPIRED", str(exc)) from None
            raise ApiError(400, "BAD_CURSOR", str(exc)) from None

    @r.get(
        "/rulepacks/current",
        response_class=Response,
        tags=["pull"],
        responses={
            200: {
                "description": "The signed pack file (core/rules/pack.py), with its ETag",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            304: {"description": "If-None-Match matched the current ETag"},
            **_AUTHED,
            **_errors(404),
        },
    )
    def rulepack(
        runtime: RuntimeDep,
        device: DeviceDep,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        """The current signed rule pack; ETag = quoted sha256 of the file bytes."""
        stored = runtime.packs.stored()
        if stored is None:
            raise ApiError(404, "NOT_FOUND", "no rule pack has been published")
        headers = {
            "ETag": stored.etag,
            "Cache-Control": "no-cache",
            "X-Pack-Version": str(stored.version),
        }
        if if_none_match is not None and _etag_matches(if_none_match, stored.etag):
            return Response(status_code=304, headers=headers)
        return Response(stored.body, media_type="application/json", headers=headers)

    @r.get("/catalog", response_model=CatalogPage, tags=["pull"], responses=_AUTHED)
    def catalog(
        runtime: RuntimeDep,
        device: DeviceDep,
        cursor: str = "",
        limit: Annotated[int, Query(ge=1, le=feeds.MAX_PAGE)] = feeds.DEFAULT_PAGE,
    ) -> CatalogPage:
        """Catalog changes after ``cursor`` (entries carry ``deleted``)."""
        try:
            return feeds.catalog_page(runtime.db, cursor, limit)
        except feeds.CursorError as exc:
            raise ApiError(400, "BAD_CURSOR", str(exc)) from None

    @r.get(
        "/blacklists/{name}/delta",
        response_model=BlacklistDelta,
        tags=["pull"],
        responses={**_AUTHED, **_errors(404)},
    )
    def blacklist(
        name: str, runtime: RuntimeDep, device: DeviceDep, state: str = ""
    ) -> BlacklistDelta:
        """Changes since ``state`` ("" or unknown: the full list, ``full`` true)."""
        try:
            return feeds.blacklist_delta(runtime.db, name, state)
        except KeyError:
            raise ApiError(404, "NOT_FOUND", f"no blacklist named {name!r}") from None

    return r


def _etag_matches(header: str, etag: str) -> bool:
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == "*" or tag == etag:
            return True
    return False
