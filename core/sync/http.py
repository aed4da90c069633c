"""The HTTP client: every call bounded in time, every outcome sorted into what it means
to the client (docs/sync-protocol.md, "Time limits, answers and retries").

``requests`` has no total deadline: ``timeout=(connect, read)`` bounds each socket
wait, so a server sending one byte every few seconds could hold a call forever. Each
call therefore also arms a watchdog that shuts the connection's socket down when the
call's deadline passes; the body is streamed in chunks and capped in size. The client
never retries by itself (urllib3's ``Retry`` leaves POST out and would hide what
happened): the engine owns retries. A body that is not the expected JSON is an
``unknown`` outcome and the caller changes nothing.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, Literal, TypeVar

import requests
import urllib3.exceptions
from pydantic import BaseModel, ValidationError

import core
from core.clock import Clock, SystemClock
from core.sync.deadline import DeadlineAdapter, Watch, watching
from core.sync.plain_http import PLAIN_HTTP_REFUSED as PLAIN_HTTP_REFUSED  # X as X: re-exported
from core.sync.plain_http import is_loopback_host as is_loopback_host
from core.sync.plain_http import plain_http_refused as plain_http_refused

M = TypeVar("M", bound=BaseModel)

log = logging.getLogger("loandesk.sync")


Kind = Literal[
    "ok",  # 2xx, body valid
    "not_modified",  # 304
    "not_sent",  # connection refused, DNS, connect timeout, TLS handshake: nothing sent
    "unknown",  # read timeout, reset, deadline, truncated/malformed body, 408, 502, 504
    "retry_after",  # 429, or 503 with Retry-After: wait at least ``retry_after`` s
    "server_error",  # 500, 503 without Retry-After, other 5xx
    "too_large",  # 413
    "bad_request",  # 400, 422 and other 4xx for the whole request
    "unauthorized",  # 401
    "forbidden",  # 403
    "not_found",  # 404
    "gone",  # 410
]

MAX_RETRY_AFTER_S = 24 * 3600.0
_ERROR_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 20.0
    deadline: float = 60.0  # the whole call: connect, send, headers and body


@dataclass(frozen=True)
class Answer(Generic[M]):
    kind: Kind
    status: int | None = None
    value: M | None = None  # the validated body, for "ok" with a model
    body: bytes = b""
    etag: str | None = None
    retry_after: float | None = None
    server_date: datetime | None = None
    client_mid: datetime | None = None  # this PC's clock halfway through the call
    detail: str = ""
    code: str = ""  # the SYNC_* code that explains a failure

    @property
    def ok(self) -> bool:
        return self.kind in ("ok", "not_modified")

    def clock_offset_s(self) -> float | None:
        """Server clock minus this PC's clock, from the ``Date`` header (±1 s)."""
        if self.server_date is None or self.client_mid is None:
            return None
        return (self.server_date - self.client_mid).total_seconds()

    def error(self) -> dict[str, Any]:
        """What an outbox row's last_error records."""
        return {"code": self.code or "SYNC_ERROR", "kind": self.kind, "detail": self.detail}


# --- the client ----------------------------------------------------------------------------


class SyncHttp:
    """One server, one session. Not thread-safe: one engine, one thread."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeouts: Timeouts | None = None,
        ca_bundle: str | None = None,
        clock: Clock | None = None,
        max_body: int = 64 * 1024 * 1024,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeouts = timeouts or Timeouts()
        self.max_body = max_body
        self._clock = clock or SystemClock()
        self._session = requests.Session()
        adapter = DeadlineAdapter(max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.verify = ca_bundle or True  # verification is never switched off
        self._session.headers["User-Agent"] = f"LoanDesk/{core.__version__}"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SyncHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        path: str,
        model: type[M] | None,
        *,
        params: dict[str, str | int] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer[M]:
        return self.call("GET", path, model, params=params, headers=headers)

    def post(self, path: str, body: BaseModel | bytes, model: type[M] | None) -> Answer[M]:
        data = body if isinstance(body, bytes) else body.model_dump_json().encode("utf-8")
        return self.call("POST", path, model, data=data)

    def call(
        self,
        method: str,
        path: str,
        model: type[M] | None,
        *,
        params: dict[str, str | int] | None = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> Answer[M]:
        if plain_http_refused(self.base_url):  # nothing is sent, not even a connect
            log.error("refused to call %s over plain http:// (not loopback)", self.base_url)
            return Answer("not_sent", detail=self.base_url, code=PLAIN_HTTP_REFUSED)
        hdrs = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            hdrs.setdefault("Content-Type", "application/json")
        if self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        t = self.timeouts
        before = self._clock.now()
        with watching(t.deadline) as watch:
            return self._exchange(method, path, model, params, hdrs, data, watch, before)

    def _exchange(
        self,
        method: str,
        path: str,
        model: type[M] | None,
        params: dict[str, str | int] | None,
        headers: dict[str, str],
        data: bytes | None,
        watch: Watch,
        before: datetime,
    ) -> Answer[M]:
        t = self.timeouts
        started = time.monotonic()
        try:
            resp = self._session.request(
                method,
                self.base_url + path,
                params=params,
                headers=headers,
                data=data,
                timeout=(t.connect, t.read),
                stream=True,
                allow_redirects=False,
                # Per request: requests lets $REQUESTS_CA_BUNDLE override the session's
                # verify, which would silently drop IT's ca_bundle setting.
                verify=self._session.verify,
            )
        except requests.RequestException as exc:
            return _failure(exc, watch)
        try:
            after = self._clock.now()
            meta: dict[str, Any] = {
                "status": resp.status_code,
                "server_date": _http_date(resp.headers.get("Date")),
                "client_mid": before + (after - before) / 2,
                "etag": resp.headers.get("ETag"),
            }
            status = resp.status_code
            limit = self.max_body if 200 <= status < 300 else _ERROR_BODY_BYTES
            try:
                body = _read(resp, limit, started + t.deadline)
            except _BodyError as exc:
                if 200 <= status < 300 or status == 304:
                    return Answer("unknown", detail=str(exc), code=exc.code, **meta)
                body = b""
            except (requests.RequestException, OSError) as exc:
                failed: Answer[M] = _failure(exc, watch)
                return Answer(failed.kind, detail=failed.detail, code=failed.code, **meta)
            if watch.fired:
                return Answer(
                    "unknown", detail="deadline passed", code="SYNC_OUTCOME_UNKNOWN", **meta
                )
            return _classify(status, resp.headers, body, model, meta, self._clock.now())
        finally:
            resp.close()


class _BodyError(Exception):
    def __init__(self, message: str, code: str = "SYNC_OUTCOME_UNKNOWN") -> None:
        super().__init__(message)
        self.code = code


def _read(resp: requests.Response, limit: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_content(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise _BodyError(f"body larger than {limit} bytes", "SYNC_MALFORMED_RESPONSE")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise _BodyError("deadline passed while reading the body")
    expected = resp.headers.get("Content-Length")
    if expected is not None and expected.isdigit() and int(expected) != size:
        raise _BodyError(f"truncated body: {size} of {expected} bytes")
    return b"".join(chunks)


def _classify(
    status: int,
    headers: Any,
    body: bytes,
    model: type[M] | None,
    meta: dict[str, Any],
    now: datetime,
) -> Answer[M]:
    if status == 304:
        return Answer("not_modified", **meta)
    if 200 <= status < 300:
        if model is None:
            return Answer("ok", body=body, **meta)
        try:
            value = model.model_validate(json.loads(body))
        except (ValueError, ValidationError) as exc:  # JSONDecodeError is a ValueError
            detail = f"{model.__name__}: {_short(exc)}"
            return Answer("unknown", detail=detail, code="SYNC_MALFORMED_RESPONSE", **meta)
        return Answer("ok", value=value, body=body, **meta)
    detail = f"HTTP {status} {_error_message(body)}".strip()
    retry_after = parse_retry_after(headers.get("Retry-After"), now)
    if status == 429 or (status == 503 and retry_after is not None):
        return Answer(
            "retry_after", retry_after=retry_after, detail=detail, code="SYNC_RETRY_AFTER", **meta
        )
    simple: dict[int, tuple[Kind, str]] = {
        401: ("unauthorized", "SYNC_REENROLL_NEEDED"),
        403: ("forbidden", "SYNC_DEVICE_REVOKED"),
        404: ("not_found", "SYNC_NOT_FOUND"),
        408: ("unknown", "SYNC_OUTCOME_UNKNOWN"),
        410: ("gone", "SYNC_CURSOR_EXPIRED"),
        413: ("too_large", "SYNC_BAD_REQUEST"),
        502: ("unknown", "SYNC_OUTCOME_UNKNOWN"),
        504: ("unknown", "SYNC_OUTCOME_UNKNOWN"),
    }
    if status in simple:
        kind, code = simple[status]
        return Answer(kind, detail=detail, code=code, body=body, **meta)
    if status >= 500:
        return Answer("server_error", detail=detail, code="SYNC_SERVER_ERROR", body=body, **meta)
    return Answer("bad_request", detail=detail, code="SYNC_BAD_REQUEST", body=body, **meta)


def _failure(exc: BaseException, watch: Watch) -> Answer[Any]:
    if watch.fired:
        return Answer("unknown", detail="deadline passed", code="SYNC_OUTCOME_UNKNOWN")
    if isinstance(exc, requests.exceptions.SSLError):
        return Answer("not_sent", detail=_short(exc), code="SYNC_TLS_ERROR")
    if isinstance(exc, requests.exceptions.ConnectTimeout) or _caused_by(
        exc, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
    ):
        return Answer("not_sent", detail=_network_detail(exc), code="SYNC_UNREACHABLE")
    if isinstance(
        exc,
        (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ),
    ):
        return Answer("not_sent", detail=_short(exc), code="SYNC_SERVER_URL_INVALID")
    return Answer("unknown", detail=_network_detail(exc), code="SYNC_OUTCOME_UNKNOWN")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (args, ``reason``, cause, context)."""
    seen: set[int] = set()
    found: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        found.append(e)
        todo += [a for a in e.args if isinstance(a, BaseException)]
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return found


def _caused_by(exc: BaseException, types: tuple[type[BaseException], ...]) -> bool:
    return any(isinstance(e, types) for e in _chain(exc))


def _network_detail(exc: BaseException) -> str:
    """ "connection refused", "name resolution failed"...: the root cause in a few words."""
    for e in reversed(_chain(exc)):
        if isinstance(e, socket.gaierror):
            return f"name resolution failed ({e.strerror or e})"
        if (
            isinstance(e, OSError)
            and e.strerror
            and not isinstance(e, (urllib3.exceptions.HTTPError, requests.RequestException))
        ):
            return e.strerror.lower()
        if isinstance(e, (TimeoutError, socket.timeout)):
            return "timed out"
    return _short(exc)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_S)
    when = _http_date(text)
    if when is None:
        return None
    return min(max(0.0, (when - now).total_seconds()), MAX_RETRY_AFTER_S)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _error_message(body: bytes) -> str:
    """The server's error code and message, if the body is an ErrorResponse."""
    try:
        data = json.loads(body)
        err = data["error"] if isinstance(data.get("error"), dict) else data
        code, message = err.get("code", ""), err.get("message", err.get("detail", ""))
        return f"{code}: {message}"[:300] if code or message else ""
    except (ValueError, AttributeError, KeyError, TypeError):
        return ""


def _short(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ")
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__
