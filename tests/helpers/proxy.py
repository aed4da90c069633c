"""A TCP proxy on 127.0.0.1 that the test controls: the network between the store and
the central server, with its faults.

    proxy = Proxy(srv.port)              # listens on 127.0.0.1:<free port>
    ctx.sync.enroll(proxy.url, ...)      # the client talks to the proxy
    proxy.down(); proxy.up()             # connection refused / back
    proxy.cut_after_request()            # the server answers, the client never reads it
    proxy.drop_rate(0.3, random.Random(1))
    proxy.delay(0.5)
    proxy.close()                        # joins every thread, closes every socket

It forwards bytes, but knows where HTTP/1.1 requests start: the client (``requests``)
never pipelines, so client bytes that follow reply bytes on a connection begin a new
request. That is enough to read each request line (for ``path`` filters and the log)
and to decide each exchange's fate:

* ``before``: the request is swallowed and the connection reset; nothing reaches the
  server;
* ``mid_request``: a random prefix of the request (headers and body, by its
  Content-Length) reaches the server, then both sides are reset; the server never
  sees a whole request;
* ``after_reply``: the whole request goes through, the server runs it (and commits),
  and the connection is reset when its reply starts to arrive, before the client has
  read a byte of it (optionally after ``forward_bytes`` of the reply: a truncated body).

Each connection has one thread that moves at most ``CHUNK`` bytes at a time in either
direction (bounded buffers). Every socket has a timeout, every loop checks the stop
flag at least every ``TICK`` seconds, and :meth:`close` joins all threads.
"""

from __future__ import annotations

import contextlib
import random
import re
import select
import socket
import struct
import threading
from collections import Counter, deque
from dataclasses import dataclass
from types import TracebackType

CHUNK = 64 * 1024
TICK = 0.05
IO_TIMEOUT = 10.0
CONNECT_TIMEOUT = 3.0
JOIN_TIMEOUT = 15.0
LOG_SIZE = 10_000

FATES = ("before", "mid_request", "after_reply")
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


class ProxyError(RuntimeError):
    pass


@dataclass
class _Cut:
    path: str | None  # only requests whose path starts with this (None: any)
    times: int  # -1: until disarmed
    forward_bytes: int  # reply bytes let through before the cut (0: none)


class _Conn:
    """One client connection and its upstream; owned by its handler thread."""

    def __init__(self, client: socket.socket) -> None:
        self.client = client
        self.upstream: socket.socket | None = None
        self.kill = threading.Event()  # down()/close(): reset as soon as possible


class Proxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        if upstream_host != "127.0.0.1":
            raise ProxyError("the test proxy only forwards to 127.0.0.1")
        self.upstream_host = upstream_host
        self.upstream_port = upstream_port
        self.port = 0
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._log: deque[str] = deque(maxlen=LOG_SIZE)  # request lines, oldest first
        self._replies: deque[tuple[str, int]] = deque(maxlen=LOG_SIZE)  # (request, status)
        self._conns: set[_Conn] = set()
        self._handlers: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._stop_accept = threading.Event()
        self._closed = threading.Event()
        self._cut: _Cut | None = None
        self._drop_p = 0.0
        self._rng = random.Random(0)
        self._drop_paths: str | None = None
        self._delay_s = 0.0
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- control ------------------------------------------------------------------------
    def up(self) -> None:
        """Listen (again, on the same port once it has one)."""
        with self._lock:
            if self._closed.is_set():
                raise ProxyError("the proxy is closed")
            if self._listener is not None:
                return
            listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR
            self._listener = listener
            self.port = listener.getsockname()[1]
            self._stop_accept = threading.Event()
            self._acceptor = threading.Thread(
                target=self._accept_loop,
                args=(listener, self._stop_accept),
                name=f"proxy-accept-{self.port}",
                daemon=True,
            )
            self._acceptor.start()

    def down(self) -> None:
        """Close the listening socket (new connections are refused) and reset every
        open connection: the server is unreachable."""
        with self._lock:
            acceptor, stop = self._acceptor, self._stop_accept
            self._acceptor = None
        stop.set()
        if acceptor is not None:
            acceptor.join(JOIN_TIMEOUT)
            if acceptor.is_alive():
                raise ProxyError("accept thread did not stop")
        with self._lock:  # only now: no connection can be accepted any more
            conns = list(self._conns)
        for conn in conns:
            conn.kill.set()
        self._wait_conns_gone()

    def set_upstream(self, port: int) -> None:
        """Forward new connections to another port (a restarted server)."""
        with self._lock:
            self.upstream_port = port

    def cut_after_request(
        self, path: str | None = None, *, times: int = 1, forward_bytes: int = 0
    ) -> None:
        """The next ``times`` requests (to ``path``...): forward the request, let the
        server run it, reset the connection before the client reads the reply
        (``forward_bytes`` > 0: after that much of the reply, so the body is cut)."""
        with self._lock:
            self._cut = _Cut(path, times, forward_bytes)

    def drop_rate(
        self, p: float, rng: random.Random | None = None, *, path: str | None = None
    ) -> None:
        """Each request (to ``path``...) kills its connection with probability ``p``, at
        a random one of the three points (see the module docstring); 0 stops it."""
        if not 0.0 <= p <= 1.0:
            raise ValueError("p must be within [0, 1]")
        with self._lock:
            self._drop_p = p
            self._drop_paths = path
            if rng is not None:
                self._rng = rng

    def delay(self, seconds: float) -> None:
        """Hold every reply this long before forwarding its first byte."""
        with self._lock:
            self._delay_s = max(0.0, seconds)

    def heal(self) -> None:
        """No cut, no drops, no delay; listening."""
        with self._lock:
            self._cut, self._drop_p, self._delay_s = None, 0.0, 0.0
        self.up()

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def requests(self, path: str | None = None) -> list[str]:
        """Request lines seen (``POST /v1/applications/batch``), oldest first."""
        with self._lock:
            lines = list(self._log)
        return [ln for ln in lines if path is None or _path_of(ln).startswith(path)]

    def replies(self, path: str | None = None) -> list[tuple[str, int]]:
        """(request line, reply status) of every reply that started to come back from
        the server (forwarded or not), oldest first."""
        with self._lock:
            replies = list(self._replies)
        return [r for r in replies if path is None or _path_of(r[0]).startswith(path)]

    def close(self) -> None:
        """Stop listening, reset all connections, join every thread."""
        self.down()
        with self._lock:
            self._closed.set()
            listener, self._listener = self._listener, None
            handlers, self._handlers = list(self._handlers), []
        if listener is not None:
            listener.close()
        for t in handlers:
            t.join(JOIN_TIMEOUT)
            if t.is_alive():
                raise ProxyError(f"proxy thread {t.name} did not stop")

    def __enter__(self) -> Proxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- internals ------------------------------------------------------------------------
    def _count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._counts[name] += n

    def _wait_conns_gone(self) -> None:
        with self._lock:
            handlers = list(self._handlers)
        for t in handlers:
            t.join(JOIN_TIMEOUT)
            if t.is_alive():
                raise ProxyError(f"proxy thread {t.name} did not stop")
        with self._lock:
            self._handlers = [t for t in self._handlers if t.is_alive()]

    def _accept_loop(self, listener: socket.socket, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    readable, _, _ = select.select([listener], [], [], TICK)
                except (OSError, ValueError):
                    return
                if not readable:
                    continue
                try:
                    client, _ = listener.accept()
                except OSError:
                    continue
                client.settimeout(IO_TIMEOUT)
                conn = _Conn(client)
                handler = threading.Thread(
                    target=self._handle,
                    args=(conn,),
                    name=f"proxy-conn-{self.port}",
                    daemon=True,
                )
                with self._lock:
                    self._counts["connections"] += 1
                    self._conns.add(conn)
                    self._handlers = [t for t in self._handlers if t.is_alive()]
                    self._handlers.append(handler)
                handler.start()
        finally:
            with self._lock:
                if self._listener is listener:
                    self._listener = None
            listener.close()

    def _fate(self, request_line: str) -> tuple[str | None, str, int]:
        """What happens to this exchange: (fate, counter name, reply bytes let through)."""
        path = _path_of(request_line)
        with self._lock:
            cut = self._cut
            if cut is not None and (cut.path is None or path.startswith(cut.path)):
                if cut.times > 0:
                    cut.times -= 1
                    if cut.times == 0:
                        self._cut = None
                return "after_reply", "cut", cut.forward_bytes
            wanted = self._drop_paths is None or path.startswith(self._drop_paths)
            if self._drop_p > 0 and wanted and self._rng.random() < self._drop_p:
                fate = self._rng.choice(FATES)
                return fate, f"dropped_{fate}", 0
            return None, "", 0

    def _handle(self, conn: _Conn) -> None:
        graceful = False
        try:
            graceful = self._relay(conn)
        except (OSError, ValueError):  # a reset peer, a socket closed under select
            self._count("io_errors")
        finally:
            for sock in (conn.client, conn.upstream):
                if sock is None:
                    continue
                if graceful:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_WR)
                    sock.close()
                else:
                    _reset(sock)
            with self._lock:
                self._conns.discard(conn)

    def _relay(self, conn: _Conn) -> bool:
        """Move bytes until one side ends (True: an orderly end to pass on) or a fault
        or a kill ends the connection (False: reset both sides)."""
        client = conn.client
        upstream: socket.socket | None = None
        new_request = True  # the next client bytes start a request
        fate: str | None = None
        label, keep_reply = "", 0
        request_left = 0  # mid_request: bytes of this request still to forward
        reply_started = False
        line = ""
        while not conn.kill.is_set() and not self._closed.is_set():
            socks = [client] if upstream is None else [client, upstream]
            readable, _, _ = select.select(socks, [], [], TICK)
            if client in readable:
                data = client.recv(CHUNK)
                if not data:
                    self._count("client_closed")
                    return True
                if new_request:
                    new_request, reply_started = False, False
                    line = data.split(b"\r\n", 1)[0].decode("latin-1")[:300]
                    with self._lock:
                        self._log.append(line)
                        self._counts["requests"] += 1
                    fate, label, keep_reply = self._fate(line)
                    if fate == "before":
                        self._count(label)
                        return False
                    if fate == "mid_request":
                        total = _request_size(data)
                        with self._lock:
                            request_left = self._rng.randint(1, max(1, total - 1))
                if upstream is None:
                    upstream = conn.upstream = self._connect()
                    if upstream is None:
                        return False
                if fate == "mid_request":
                    part = data[:request_left]
                    upstream.sendall(part)
                    self._count("bytes_to_server", len(part))
                    request_left -= len(part)
                    if request_left <= 0:
                        self._count(label)
                        return False
                    continue
                upstream.sendall(data)
                self._count("bytes_to_server", len(data))
            if upstream is not None and upstream in readable:
                data = upstream.recv(CHUNK)
                if not data:
                    self._count("server_closed")
                    return True
                new_request = True
                first_chunk, wait = not reply_started, 0.0
                if first_chunk:
                    reply_started = True
                    with self._lock:
                        self._replies.append((line, _status_of(data)))
                        wait = self._delay_s
                if fate == "after_reply":
                    if keep_reply > 0:
                        part = data[:keep_reply]
                        client.sendall(part)
                        keep_reply -= len(part)
                        if keep_reply > 0:
                            continue
                    self._count(label)
                    return False
                if wait > 0 and (conn.kill.wait(wait) or self._closed.is_set()):
                    break
                client.sendall(data)
                self._count("bytes_to_client", len(data))
        self._count("killed")
        return False

    def _connect(self) -> socket.socket | None:
        with self._lock:
            target = (self.upstream_host, self.upstream_port)
        try:
            upstream = socket.create_connection(target, timeout=CONNECT_TIMEOUT)
        except OSError:
            self._count("upstream_refused")  # as a gateway would: the client sees a reset
            return None
        upstream.settimeout(IO_TIMEOUT)
        return upstream


def _path_of(request_line: str) -> str:
    parts = request_line.split(" ")
    return parts[1] if len(parts) >= 2 else ""


def _status_of(first: bytes) -> int:
    """The status code of a reply's first chunk (``HTTP/1.1 200 OK``; 0 if unreadable)."""
    parts = first.split(b"\r\n", 1)[0].split(b" ")
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0


def _request_size(first: bytes) -> int:
    """Headers plus Content-Length, from the request's first chunk (a lower bound)."""
    end = first.find(b"\r\n\r\n")
    if end < 0:
        return len(first)
    match = _CONTENT_LENGTH.search(first[: end + 2])
    body = int(match.group(1)) if match else 0
    return end + 4 + body


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the peer sees a reset, not an orderly end."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
