"""A throwaway PostgreSQL cluster from Debian's packages, for the tests and ``make bench``.

    with PgCluster() as cluster:          # initdb + pg_ctl start, on 127.0.0.1
        url = cluster.new_database()      # postgresql://loandesk@127.0.0.1:PORT/db_1
    # stopped (immediate shutdown) and its folder deleted

The cluster lives in a fresh folder under the system temp dir, listens on a free port
of 127.0.0.1 only (and a Unix socket inside that folder), trusts local connections
(nothing else can reach it) and is stopped at the end. PostgreSQL refuses to run as
root: as root the cluster runs as the system user ``loandesk-pg`` (created with
``useradd`` when missing) through ``runuser``. ``scripts/ensure-system-deps.sh``
installs the ``postgresql`` package; without it this fails (the tests must not skip).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

PG_USER = "loandesk-pg"  # the system user a root test run starts PostgreSQL as
DB_ROLE = "loandesk"  # the cluster's superuser role (trust auth on 127.0.0.1 only)
START_TIMEOUT_S = 60
COMMAND_TIMEOUT_S = 120.0


class PgClusterError(RuntimeError):
    pass


def pg_bindir() -> Path:
    """The newest ``/usr/lib/postgresql/<major>/bin`` holding ``initdb``."""
    found = []
    for candidate in Path("/usr/lib/postgresql").glob("*/bin"):
        if (candidate / "initdb").exists() and candidate.parent.name.isdigit():
            found.append((int(candidate.parent.name), candidate))
    if not found:
        raise PgClusterError(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run "
            "`bash scripts/ensure-system-deps.sh .venv/bin/python` (installs Debian's "
            "postgresql package) or `make test`"
        )
    return max(found)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_system_user() -> None:
    if subprocess.run(["id", "-u", PG_USER], capture_output=True, check=False).returncode == 0:
        return
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
        capture_output=True,
        check=True,
        timeout=COMMAND_TIMEOUT_S,
    )


class PgCluster:
    """``durable=False`` (tests) turns fsync off; the benchmark keeps PostgreSQL's
    defaults (fsync on, like the SQLite it is compared with)."""

    def __init__(self, *, durable: bool = False, max_connections: int = 300) -> None:
        self.durable = durable
        self.max_connections = max_connections
        self.bindir = pg_bindir()
        self.as_root = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="loandesk-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        self.port = 0
        self._names = itertools.count(1)
        self._running = False
        try:
            self._init()
            self._start()
        except BaseException:
            self.stop()
            raise

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", PG_USER, "--", *cmd]
        done = subprocess.run(
            cmd,
            cwd=self.base,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
        if done.returncode != 0:
            log = self.log.read_text("utf-8", "replace")[-2000:] if self.log.exists() else ""
            raise PgClusterError(
                f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}\n{log}"
            )

    def _init(self) -> None:
        if self.as_root:
            _ensure_system_user()
            shutil.chown(self.base, PG_USER, PG_USER)
        self._run(
            "initdb", "-D", str(self.data), "-U", DB_ROLE, "--auth=trust",
            "--encoding=UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip

    def _start(self) -> None:
        last: PgClusterError | None = None
        for _ in range(3):  # a port taken between the probe and the start: try another
            self.port = _free_port()
            options = [
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.port}",
                f"-c unix_socket_directories={self.base}",
                f"-c max_connections={self.max_connections}",
                *([] if self.durable else ["-c fsync=off", "-c synchronous_commit=off"]),
            ]
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w",
                    "-t", str(START_TIMEOUT_S), "-o", " ".join(options), "start",
                )  # fmt: skip
            except PgClusterError as exc:
                last = exc
                continue
            self._running = True
            return
        assert last is not None
        raise last

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{DB_ROLE}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "loandesk") -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Immediate shutdown (the data is thrown away), then the folder; idempotent."""
        if self._running:
            self._running = False
            with contextlib.suppress(PgClusterError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
