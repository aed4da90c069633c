"""``python -m server --workers N``: N server processes on one port, one database.

The parent creates or upgrades the schema once (an unreachable database fails here,
exit 1, before anything listens), binds the socket, starts N uvicorn workers on it
(each a fresh process with its own connections, caches and throttles) and prints
``LISTENING <url>`` once every worker serves. SIGTERM or SIGINT stops them all.

Meant for PostgreSQL, where the workers store different applications in parallel.
On SQLite they work too, but every write still takes the file's one write lock.
What stays per process: the enrollment throttle, ``--test-hooks`` faults and the
parsed rule packs (each worker reads the current version from the database).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from socket import socket
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors.multiprocess import Multiprocess

from server.app import create_app
from server.db import open_database
from server.runtime import ServerConfig

CONFIG_ENV = "LOANDESK_SERVER_WORKER_CONFIG"  # the parent's ServerConfig, as JSON
READY_TIMEOUT_S = 120.0  # a worker imports, opens the database and compiles the pack


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's factory, run in the child)."""
    raw: dict[str, Any] = json.loads(os.environ[CONFIG_ENV])
    raw["data_dir"] = Path(raw["data_dir"])
    return create_app(ServerConfig(**raw))


class _Supervisor(Multiprocess):
    def __init__(self, config: uvicorn.Config, sockets: list[socket], url: str) -> None:
        super().__init__(config, sockets)
        self.url = url
        self.ready = False

    def init_processes(self) -> None:
        super().init_processes()
        for process in self.processes:
            if not process.wait_until_ready(READY_TIMEOUT_S, self.should_exit):
                self.should_exit.set()  # run() then stops the others
                return
        self.ready = True
        print(f"LISTENING {self.url}", flush=True)


def serve_workers(
    config: ServerConfig,
    host: str,
    port: int,
    tls: tuple[Path, Path] | None,
    workers: int,
) -> int:
    open_database(config.data_dir, config.database).close()  # the schema, once
    os.environ[CONFIG_ENV] = json.dumps({**asdict(config), "data_dir": str(config.data_dir)})
    extra: dict[str, Any] = {}
    if tls is not None:
        extra = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])}
    uv = uvicorn.Config(
        "server.workers:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
        **extra,
    )
    sock = uv.bind_socket()
    bound = int(sock.getsockname()[1])
    supervisor = _Supervisor(uv, [sock], f"{'https' if tls else 'http'}://{host}:{bound}")
    try:
        supervisor.run()
    finally:
        sock.close()
    return 0 if supervisor.ready else 1
