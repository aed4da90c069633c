"""A saved application survives SIGKILL: real child processes, real files."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from core.config import resolve_paths
from core.context import open_context
from core.store.db import check_database

ROOT = Path(__file__).resolve().parents[2]


def _start(data_dir: Path, count: int, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.save_loop", str(data_dir), str(count), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_line(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert time.monotonic() < deadline, "child too slow"
    assert line, f"child died early: {proc.stderr.read() if proc.stderr else ''}"
    return line.strip()


def _kill(proc: subprocess.Popen[str]) -> str:
    """SIGKILL the child; returns what it printed that was not read yet."""
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)  # also closes the pipes
    assert proc.returncode == -signal.SIGKILL
    return rest


def _assert_consistent(data_dir: Path, saved: list[str]) -> None:
    ctx = open_context(resolve_paths(data_dir))
    try:
        assert check_database(ctx.db).ok
        for app_id in saved:
            detail = ctx.applications.detail(app_id)  # raises if missing
            assert detail.lines, "application without its order lines"
            assert [e.action for e in ctx.applications.history(app_id)] == ["created", "queued"]
        # no partial saves from a kill mid-transaction
        orphans = ctx.db.execute(
            "SELECT count(*) FROM applications a WHERE NOT EXISTS "
            "(SELECT 1 FROM order_lines l WHERE l.application_id = a.id) OR NOT EXISTS "
            "(SELECT 1 FROM audit_log g WHERE g.target_id = a.id)"
        ).fetchone()[0]
        assert orphans == 0
        # the decision receipt is written in the application's own transaction
        unscreened = ctx.db.execute(
            "SELECT count(*) FROM applications a WHERE NOT EXISTS "
            "(SELECT 1 FROM prescreen_receipts r WHERE r.application_id = a.id) "
            "OR a.status != 'queued'"
        ).fetchone()[0]
        assert unscreened == 0
        # ... and so is its outbox row: nothing saved is left out of the sync queue
        unqueued = ctx.db.execute(
            "SELECT count(*) FROM applications a WHERE (SELECT count(*) FROM outbox o "
            "WHERE o.application_id = a.id AND o.state = 'pending') != 1"
        ).fetchone()[0]
        assert unqueued == 0
        assert (
            ctx.db.execute("SELECT count(*) FROM customers").fetchone()[0]
            == ctx.applications.count_all()
        )
    finally:
        ctx.close()


def test_saved_application_survives_sigkill_right_after_save(
    tmp_path: Path,
    shared_keyring: object,  # the child's data keys open its file here
) -> None:
    data = tmp_path / "d"
    proc = _start(data, 1, 11)
    deadline = time.monotonic() + 60
    try:
        assert _read_line(proc, deadline) == "READY"
        line = _read_line(proc, deadline)
        assert line.startswith("SAVED ")
        _kill(proc)  # immediately after save() returned
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
    _assert_consistent(data, [line.split()[1]])


def test_random_kills_during_saves_lose_nothing_committed(
    tmp_path: Path, shared_keyring: object
) -> None:
    data = tmp_path / "d"
    rng = random.Random(20261127)
    saved: list[str] = []
    for round_no in range(6):
        proc = _start(data, 400, round_no)
        deadline = time.monotonic() + 60
        try:
            assert _read_line(proc, deadline) == "READY"
            time.sleep(rng.uniform(0.0, 0.4))  # kill at a random point mid-stream
            rest = _kill(proc)
            saved += [ln.split()[1] for ln in rest.splitlines() if ln.startswith("SAVED ")]
        finally:
            if proc.poll() is None:
                proc.kill()
        _assert_consistent(data, saved)
    assert len(saved) > 20, "too few saves finished before the kills; the test proved little"
