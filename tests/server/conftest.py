"""The real reference server for tests/server (a subprocess on 127.0.0.1), on each
backend: every test that uses ``server``, ``device``, ``make_device`` or ``own_server``
runs twice, ``[sqlite]`` (the embedded default) and ``[postgresql]`` (a throwaway
cluster from Debian's packages, one per test session, a fresh database per server)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.helpers.pg_cluster import PgCluster
from tests.helpers.server import RealServer

BACKENDS = ("sqlite", "postgresql")

_stores = itertools.count(1)


class Device:
    """An enrolled device of a fresh store, talking to ``server`` over one session."""

    def __init__(self, server: RealServer, store_code: str, device_id: str) -> None:
        self.server = server
        self.store_code = store_code
        self.device_id = device_id
        self.token = server.enroll(store_code, device_id)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def url(self, path: str) -> str:
        return f"{self.server.url}/v1{path}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.url(path), timeout=30, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url(path), timeout=30, **kwargs)

    def push(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        reply = self.post("/applications/batch", json={"items": items})
        assert reply.status_code == 200, reply.text
        results: list[dict[str, Any]] = reply.json()["results"]
        return results

    def close(self) -> None:
        self.session.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """Started by the first PostgreSQL test, stopped (and deleted) after the session."""
    with PgCluster() as cluster:
        yield cluster


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Callable[[], str | None]:
    """A fresh database for a server: a PostgreSQL URL, or None for SQLite."""
    if request.param == "sqlite":
        return lambda: None
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, backend: Callable[[], str | None]
) -> Iterator[RealServer]:
    """One server per test module (tests use their own stores, so they do not meet)."""
    with RealServer(tmp_path_factory.mktemp("server"), database=backend()) as srv:
        yield srv


@pytest.fixture
def device(server: RealServer) -> Iterator[Device]:
    n = next(_stores)
    dev = Device(server, f"T{n:04d}", f"device-{n}")
    yield dev
    dev.close()


@pytest.fixture
def make_device(server: RealServer) -> Iterator[Any]:
    made: list[Device] = []

    def make(store_code: str | None = None) -> Device:
        n = next(_stores)
        dev = Device(server, store_code or f"T{n:04d}", f"device-{n}")
        made.append(dev)
        return dev

    yield make
    for dev in made:
        dev.close()


@pytest.fixture
def own_server(tmp_path: Path, backend: Callable[[], str | None]) -> Iterator[Any]:
    """A factory for servers with extra arguments, stopped after the test."""
    started: list[RealServer] = []

    def start(*args: str) -> RealServer:
        srv = RealServer(tmp_path, *args, database=backend())
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()
