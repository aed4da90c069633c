"""The real reference server in a subprocess, for every test that needs one.

    srv = RealServer(tmp_path)                 # python -m server --port 0 --test-hooks
    srv = RealServer(tmp_path, database=url)   # ... on PostgreSQL (tests/helpers/pg_cluster)
    code = srv.add_store("S001")               # one-time enrollment code
    token = srv.enroll("S001", "dev-1")        # a device token (helper)
    srv.faults(batch_status=503, retry_after=2, times=3)
    srv.kill(); srv.restart(); srv.stop()
    srv.sql("SELECT ... WHERE x = ?", (1,))    # straight into its database, either backend

Output goes to files next to the data dir (``server.out`` / ``server.err``), never to
pipes, so nothing can fill up and nothing is left open. ``stop`` is idempotent and
always reaps the process.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from server.db import DB_FILENAME

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
CLI_TIMEOUT = 60.0


class ServerError(RuntimeError):
    pass


class RealServer:
    """``python -m server --port 0 --data-dir D --test-hooks *extra_args``."""

    def __init__(
        self,
        tmp_path: Path,
        *extra_args: str,
        data_dir: Path | None = None,
        test_hooks: bool = True,
        database: str | None = None,
    ) -> None:
        self.tmp_path = Path(tmp_path)
        self.data_dir = data_dir or _fresh_dir(self.tmp_path / "server")
        self.database = database  # a postgresql:// URL, or None: SQLite in data_dir
        self.db_args = ("--database", database) if database else ()
        self.extra_args = tuple(extra_args)
        self.test_hooks = test_hooks
        self.url = ""
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._runs = 0
        self._start(0)

    # --- lifecycle ----------------------------------------------------------------------
    def _start(self, port: int) -> None:
        self._runs += 1
        out = self.data_dir.parent / f"{self.data_dir.name}.run{self._runs}.out"
        err = self.data_dir.parent / f"{self.data_dir.name}.run{self._runs}.err"
        args = [
            sys.executable,
            "-m",
            "server",
            "--port",
            str(port),
            "--data-dir",
            str(self.data_dir),
            *(["--test-hooks"] if self.test_hooks else []),
            *self.db_args,
            *self.extra_args,
        ]
        with open(out, "wb") as out_f, open(err, "wb") as err_f:
            self._proc = subprocess.Popen(
                args, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out_f, stderr=err_f
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            text = out.read_text(encoding="utf-8", errors="replace")
            line = next((ln for ln in text.splitlines() if ln.startswith("LISTENING ")), None)
            if line is not None:
                self.url = line.split(" ", 1)[1].strip()
                self.port = int(self.url.rsplit(":", 1)[1])
                return
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self._reap(signal.SIGKILL)
                problem = err.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise ServerError(f"server did not start on port {port}:\n{problem}")
            time.sleep(0.02)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _reap(self, sig: int, timeout: float = 10.0) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                return proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
        return proc.wait()

    def kill(self) -> None:
        """SIGKILL: no shutdown of any kind (committed data must survive)."""
        self._reap(signal.SIGKILL)

    def stop(self) -> None:
        """SIGTERM (graceful), SIGKILL if it lingers; safe to call twice."""
        self._reap(signal.SIGTERM)

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for a process that ends by itself (e.g. the die_after_items fault)."""
        assert self._proc is not None
        code = self._proc.wait(timeout)
        self._proc = None
        return code

    def restart(self) -> None:
        """Same data dir; the same port if it is free again, else a new one (``.url``)."""
        self.stop()
        try:
            self._start(self.port)
        except ServerError:
            self._start(0)

    def __enter__(self) -> RealServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- admin CLI (works whether or not the server runs) ----------------------------------
    def run_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``python -m server --data-dir D *args``; the caller judges the outcome."""
        return subprocess.run(
            [sys.executable, "-m", "server", "--data-dir", str(self.data_dir), *self.db_args]
            + list(args),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
            check=False,
        )

    def cli(self, *args: str) -> str:
        """Stdout of an admin command that must succeed."""
        done = self.run_cli(*args)
        if done.returncode != 0:
            raise ServerError(f"server CLI {args} failed ({done.returncode}): {done.stderr}")
        return done.stdout

    def add_store(self, code: str, name: str | None = None, city: str | None = None) -> str:
        extra = [*(["--name", name] if name else []), *(["--city", city] if city else [])]
        return self.cli("add-store", code, *extra).strip()

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.cli("stats"))
        return result

    def revoke(self, device_id: str) -> None:
        self.cli("revoke", device_id)

    def new_epoch(self) -> str:
        return self.cli("new-epoch").strip()

    def blacklist(self, action: str, name: str, value: str) -> str:
        return self.cli("blacklist", action, name, value).strip()

    def publish_pack(self, path: Path, sign_key: Path | None = None) -> str:
        extra = ["--sign-key", str(sign_key)] if sign_key else []
        return self.cli("publish-pack", str(path), *extra).strip()

    # --- its database, directly -------------------------------------------------------------
    def sql(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (SQLite's dialect, ``?`` placeholders) in its own committed
        transaction, on whichever backend the server uses; the rows, if any."""
        if self.database is None:
            with closing(sqlite3.connect(self.data_dir / DB_FILENAME)) as conn, conn:
                return [tuple(r) for r in conn.execute(query, tuple(params)).fetchall()]
        import psycopg

        from server.pg import translate

        *before, last = translate(query)
        with psycopg.connect(self.database, connect_timeout=10) as pg:
            for statement in before:
                pg.execute(statement)
            cur = pg.execute(last, tuple(params))
            return [tuple(r) for r in cur.fetchall()] if cur.description else []

    def tables(self) -> dict[str, list[str]]:
        """Every table of its database and its columns."""
        if self.database is None:
            names = [r[0] for r in self.sql("SELECT name FROM sqlite_master WHERE type='table'")]
            return {t: [r[1] for r in self.sql(f"PRAGMA table_info({t})")] for t in names}
        rows = self.sql(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        found: dict[str, list[str]] = {}
        for table, column in rows:
            found.setdefault(table, []).append(column)
        return found

    # --- HTTP helpers ------------------------------------------------------------------------
    def enroll(self, store_code: str = "S001", device_id: str = "device-1") -> str:
        """Register ``store_code`` if needed, enroll ``device_id``; returns its token."""
        code = self.add_store(store_code)
        body = {"store_code": store_code, "enrollment_code": code, "device_id": device_id}
        reply = requests.post(f"{self.url}/v1/devices/enroll", json=body, timeout=10)
        reply.raise_for_status()
        token: str = reply.json()["device_token"]
        return token

    def faults(self, **spec: Any) -> dict[str, Any]:
        """Arm a fault (see server/README.md); ``faults()`` disarms."""
        reply = requests.post(f"{self.url}/v1/_test/faults", json=spec, timeout=10)
        reply.raise_for_status()
        result: dict[str, Any] = reply.json()
        return result


def _fresh_dir(base: Path) -> Path:
    candidate, n = base, 1
    while candidate.exists() or candidate.with_name(candidate.name + ".run1.out").exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate
