"""A request body limit for the whole app (an ASGI middleware).

The body is read up to the limit before the route sees it. Above the limit the rest
is read and thrown away (up to :data:`DRAIN_LIMIT`), so a client still sending
its body receives the 413 instead of a reset connection, then the 413 is sent.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import error_response

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DRAIN_LIMIT = 64 * 1024 * 1024


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        too_large = declared is not None and declared > self.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        more = True
        disconnected = False
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = True
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > self.max_body_bytes:
                too_large = True
            if too_large:
                if size > DRAIN_LIMIT:
                    break
                continue
            chunks.append(chunk)
        if disconnected:
            return
        if too_large:
            response = error_response(
                413,
                "BODY_TOO_LARGE",
                f"the request body is over {self.max_body_bytes} bytes; send a smaller batch",
                {"Connection": "close"},
            )
            await response(scope, receive, send)
            return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        scope["loandesk.body"] = body
        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
