"""A tiny real HTTP server on 127.0.0.1 for client tests: real sockets, replies chosen by
the test (status, headers, body, or a misbehaviour: close, drip, stall, truncate)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes | dict[str, Any] | list[Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    action: str | None = None  # None | close | drip | drip_head | stall | truncate
    delay: float = 0.0  # "drip": seconds between bytes; "stall": seconds before replying

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


Route = Callable[[Request], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        req = Request(
            self.command,
            parts.path,
            dict(parse_qsl(parts.query)),
            {k: v for k, v in self.headers.items()},
            body,
        )
        self.server.owner.requests.append(req)
        reply = self.server.owner.route(req)
        data = reply.encoded()
        if reply.action == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.action == "stall":
            time.sleep(reply.delay)
        if reply.action == "drip_head":  # even the status line, one byte at a time
            raw = (
                f"HTTP/1.1 {reply.status} OK\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data
            )
            try:
                for i in range(len(raw)):
                    self.wfile.write(raw[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.delay)
            except OSError:
                pass
            self.close_connection = True
            return
        self.send_response_only(reply.status)
        headers = {
            "Content-Type": "application/json",
            "Date": self.date_time_string(),
            **reply.headers,
        }
        for k, v in headers.items():
            self.send_header(k, v)
        declared = len(data) * 2 if reply.action == "truncate" else len(data)
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        try:
            if reply.action == "drip":
                for i in range(len(data)):
                    self.wfile.write(data[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.delay)
            else:
                self.wfile.write(data)
            if reply.action == "truncate":
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            self.close_connection = True

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ScriptedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-reply is what several tests do on purpose


class ScriptedServer:
    """``routes[(method, path)]`` answers; anything else is 404. ``queue(...)`` puts
    one-shot replies in front of a route."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.queued: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[Request] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def route(self, req: Request) -> Reply:
        key = (req.method, req.path)
        if self.queued.get(key):
            return self.queued[key].pop(0)
        handler = self.routes.get(key)
        if handler is None:
            return Reply(404, {"error": {"code": "NOT_FOUND", "message": req.path}})
        return handler(req)

    def queue(self, method: str, path: str, *replies: Reply) -> None:
        self.queued.setdefault((method, path), []).extend(replies)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)
