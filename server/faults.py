"""Fault hooks for tests: OFF unless the server runs with ``--test-hooks``.

``POST /v1/_test/faults`` with a :class:`FaultSpec` arms one fault (replacing any
armed one; ``{}`` disarms). It applies to requests to ``path`` (default: the batch
endpoint), ``times`` times (default 1; -1 = until disarmed; a poison fault defaults
to until disarmed and counts only batches that contain the poison id). See
server/README.md for what each field does.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.sync.wire import API_PREFIX
from server.errors import code_for_status, error_response

BATCH_PATH = f"{API_PREFIX}/applications/batch"
FAULTS_PATH = f"{API_PREFIX}/_test/faults"
DIE_AFTER_KEY = "loandesk.die_after_items"


class FaultSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = BATCH_PATH
    times: int | None = Field(default=None, ge=-1)
    batch_status: int | None = Field(default=None, ge=400, le=599)
    retry_after: int | None = Field(default=None, ge=0)  # whole seconds, as HTTP says
    poison_application_id: str | None = None
    die_after_items: int | None = Field(default=None, ge=0)
    slow_reply_seconds: float | None = Field(default=None, ge=0, le=600)
    drip_bytes_per_second: int | None = Field(default=None, ge=1)
    malformed_reply: bool = False

    @property
    def empty(self) -> bool:
        return self.model_dump(exclude_defaults=True) == {}


class FaultState:
    """The armed fault, shared by the request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spec: FaultSpec | None = None
        self._left = 0  # -1: unlimited

    def arm(self, spec: FaultSpec) -> None:
        with self._lock:
            if spec.empty:
                self._spec, self._left = None, 0
                return
            default = -1 if spec.poison_application_id else 1
            self._spec = spec
            self._left = spec.times if spec.times is not None else default

    def take(self, path: str, body: bytes) -> FaultSpec | None:
        """The fault for this request, if one is armed for it (and count it)."""
        with self._lock:
            spec = self._spec
            if spec is None or spec.path != path:
                return None
            if spec.poison_application_id and not _contains(body, spec.poison_application_id):
                return None
            if self._left > 0:
                self._left -= 1
                if self._left == 0:
                    self._spec = None
            return spec

    def describe(self) -> dict[str, Any]:
        with self._lock:
            spec = self._spec.model_dump(exclude_defaults=True) if self._spec else {}
            return {"armed": spec, "left": self._left}


def _contains(body: bytes, application_id: str) -> bool:
    try:
        doc = json.loads(body)
        items = doc.get("items") if isinstance(doc, dict) else None
    except ValueError:
        return False
    return isinstance(items, list) and any(
        isinstance(i, dict) and i.get("application_id") == application_id for i in items
    )


def fault_router(state: FaultState) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post(FAULTS_PATH)
    def arm(spec: FaultSpec) -> dict[str, Any]:
        state.arm(spec)
        return state.describe()

    @router.get(FAULTS_PATH)
    def show() -> dict[str, Any]:
        return state.describe()

    return router


class FaultMiddleware:
    """Status faults answer before the app runs (nothing committed); reply faults run
    the app (it commits) and then delay, drip or truncate what it answered."""

    def __init__(self, app: ASGIApp, state: FaultState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == FAULTS_PATH:
            await self.app(scope, receive, send)
            return
        spec = self.state.take(scope["path"], scope.get("loandesk.body", b""))
        if spec is None:
            await self.app(scope, receive, send)
            return
        if spec.die_after_items is not None:
            scope[DIE_AFTER_KEY] = spec.die_after_items
        reply_fault = (
            spec.slow_reply_seconds is not None
            or spec.drip_bytes_per_second is not None
            or spec.malformed_reply
        )
        outgoing: list[Message] = []

        async def collect(message: Message) -> None:
            if reply_fault:
                outgoing.append(message)
            else:
                await send(message)

        if spec.batch_status is not None:
            headers = {}
            if spec.retry_after is not None:
                headers["Retry-After"] = str(spec.retry_after)
            status = spec.batch_status
            response = error_response(
                status, code_for_status(status), f"fault injected by a test ({status})", headers
            )
            await response(scope, receive, collect)
        else:
            await self.app(scope, receive, collect)
        if reply_fault:
            await _reply(spec, outgoing, send)


async def _reply(spec: FaultSpec, messages: list[Message], send: Send) -> None:
    start = next((m for m in messages if m["type"] == "http.response.start"), None)
    if start is None:
        return
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    if spec.slow_reply_seconds:
        await asyncio.sleep(spec.slow_reply_seconds)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    status = start["status"]
    if spec.malformed_reply:
        body = body[: max(1, len(body) // 2)]
        status = 200
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    rate = spec.drip_bytes_per_second
    if not rate:
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return
    step = max(1, rate // 10)
    for offset in range(0, len(body), step):
        await send(
            {"type": "http.response.body", "body": body[offset : offset + step], "more_body": True}
        )
        await asyncio.sleep(step / rate)
    await send({"type": "http.response.body", "body": b"", "more_body": False})
