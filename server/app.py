"""The reference central scoring API: the FastAPI app and how it is run.

``create_app(config)`` builds the ASGI app (the database opens with its lifespan);
``serve`` runs it with uvicorn and prints ``LISTENING <url>`` once the socket
accepts; ``start_in_thread`` runs it inside another process (``main.py --demo``).
The routes are in :mod:`server.routes`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from server import SERVER_VERSION, devices
from server.attachments import attachments_router
from server.bundles import bundle_router
from server.errors import install_error_handlers
from server.faults import FaultMiddleware, fault_router
from server.limits import DEFAULT_MAX_BODY_BYTES, BodyLimitMiddleware
from server.routes import api_router
from server.runtime import Runtime, ServerConfig

__all__ = ["RunningServer", "ServerConfig", "create_app", "serve", "start_in_thread"]


def create_app(config: ServerConfig) -> FastAPI:
    runtime = Runtime(config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runtime.open()
        try:
            yield
        finally:
            runtime.close()

    app = FastAPI(
        title="LoanDesk central scoring API (reference)",
        version=SERVER_VERSION,
        description=(
            "Device enrollment, batch push of applications with per-item results, "
            "decisions by cursor, the signed rule pack by ETag, catalog and blacklist "
            "deltas. The protocol is docs/sync-protocol.md; the models are core/sync/wire.py."
        ),
        lifespan=lifespan,
        separate_input_output_schemas=False,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(api_router())
    app.include_router(attachments_router())  # resumable attachment uploads
    app.include_router(bundle_router())
    if config.test_hooks:
        app.include_router(fault_router(runtime.faults))
        app.add_middleware(FaultMiddleware, state=runtime.faults)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=config.max_body_bytes)
    return app


class _Server(uvicorn.Server):
    """uvicorn that reports the bound port once it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[int], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._on_started(self.port)

    @property
    def port(self) -> int:
        for server in self.servers:
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        return int(self.config.port)


def _uvicorn_config(
    app: FastAPI, host: str, port: int, tls: tuple[Path, Path] | None = None
) -> uvicorn.Config:
    """``tls`` = (certificate chain file, private key file) serves HTTPS."""
    extra: dict[str, Any] = {}
    if tls is not None:
        extra = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])}
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
        date_header=True,
        **extra,
    )


def serve(
    config: ServerConfig,
    host: str = "127.0.0.1",
    port: int = 8765,
    tls: tuple[Path, Path] | None = None,
) -> int:
    """Run until SIGINT/SIGTERM; prints ``LISTENING http(s)://HOST:PORT`` when accepting."""
    scheme = "https" if tls else "http"

    def announce(bound: int) -> None:
        print(f"LISTENING {scheme}://{host}:{bound}", flush=True)

    server = _Server(_uvicorn_config(create_app(config), host, port, tls), announce)
    server.run()
    return 0 if server.started else 1


@dataclass
class RunningServer:
    url: str
    data_dir: Path
    _server: _Server
    _thread: threading.Thread
    _runtime: Runtime

    def add_store(self, code: str, name: str | None = None, city: str | None = None) -> str:
        """Register ``code`` (or update it) and return a one-time enrollment code."""
        return devices.add_store(self._runtime.db, code, name, city)

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


def start_in_thread(
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    decision_retention: int | None = None,
    timeout: float = 30.0,
    tls: tuple[Path, Path] | None = None,
) -> RunningServer:
    """Serve from a daemon thread of this process; returns once it accepts requests."""
    config = ServerConfig(Path(data_dir), max_body_bytes, decision_retention)
    bound: list[int] = []
    app = create_app(config)
    server = _Server(_uvicorn_config(app, host, port, tls), bound.append)
    thread = threading.Thread(target=server.run, name="loandesk-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not bound:
        if not thread.is_alive():
            raise RuntimeError(f"the reference server did not start on {host}:{port}")
        if time.monotonic() > deadline:
            server.should_exit = True
            thread.join(5)
            raise RuntimeError(f"the reference server did not start within {timeout:g} s")
        time.sleep(0.02)
    url = f"{'https' if tls else 'http'}://{host}:{bound[0]}"
    return RunningServer(url, config.data_dir, server, thread, app.state.runtime)
