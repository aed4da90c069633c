"""Every error answer is an ``ErrorResponse``: ``{"error": {"code", "message"}}``.

=====  ==================================================================
 400   MALFORMED_JSON, BAD_CURSOR, BAD_REQUEST
 401   UNAUTHORIZED (no or unknown bearer token; ``WWW-Authenticate: Bearer``)
 403   DEVICE_REVOKED, ENROLL_REFUSED, DEVICE_OTHER_STORE
 404   NOT_FOUND (unknown route or blacklist name)
 405   METHOD_NOT_ALLOWED
 410   CURSOR_EXPIRED (resync from cursor "")
 413   BODY_TOO_LARGE, BATCH_TOO_MANY_ITEMS (halve the batch)
 422   VALIDATION_ERROR (the body is JSON but not the model)
 429   RATE_LIMITED (with ``Retry-After``)
 500   INTERNAL
 503   UNAVAILABLE (with ``Retry-After``)
=====  ==================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.sync.wire import MAX_BATCH_ITEMS, ErrorBody, ErrorResponse

_STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    410: "GONE",
    413: "BODY_TOO_LARGE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message))
    return JSONResponse(body.model_dump(), status_code=status, headers=dict(headers or {}))


def code_for_status(status: int) -> str:
    return _STATUS_CODES.get(status, "ERROR")


def _validation(exc: RequestValidationError) -> JSONResponse:
    errors: list[Any] = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "MALFORMED_JSON", "the request body is not valid JSON")
    if any(
        e.get("type") == "too_long" and tuple(e.get("loc", ()))[-2:] == ("body", "items")
        for e in errors
    ):
        return error_response(
            413,
            "BATCH_TOO_MANY_ITEMS",
            f"a batch holds at most {MAX_BATCH_ITEMS} items; send fewer",
        )
    parts = []
    for e in errors[:10]:
        where = ".".join(str(p) for p in e.get("loc", ()))
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return error_response(422, "VALIDATION_ERROR", "; ".join(parts) or "invalid request")


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    async def on_http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        return error_response(
            exc.status_code, code_for_status(exc.status_code), message, exc.headers
        )

    async def on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _validation(exc)

    async def on_crash(_request: Request, _exc: Exception) -> JSONResponse:
        return error_response(500, "INTERNAL", "internal server error")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_crash)
