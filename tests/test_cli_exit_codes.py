"""Hostile input and a hostile environment end in an exit code and a plain message, never
a traceback: real subprocesses of main.py, real files, a real FIFO, a real read-only
folder (root's override of file permissions dropped with ``setpriv``), a real damaged
database page, a real closed pipe."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import Status

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "examples" / "appliance.json"
EXIT_USAGE, EXIT_STORAGE = 2, 3


def _main(
    data: Path, *args: str, prefix: tuple[str, ...] = (), timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "main.py", "--data-dir", str(data), "--lang", "en", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )


def _plain(r: subprocess.CompletedProcess[str], code: int) -> None:
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)


def test_prescreen_refuses_json_nested_too_deep(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    r = _main(tmp_path / "data", "prescreen", str(deep))
    _plain(r, EXIT_USAGE)
    assert '"JSON_TOO_DEEP"' in r.stdout and "nested" in r.stdout


def test_prescreen_refuses_a_five_thousand_digit_number(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text('{"customer": {"monthly_income_fen": ' + "9" * 5000 + "}}", encoding="utf-8")
    r = _main(tmp_path / "data", "prescreen", str(huge))
    _plain(r, EXIT_USAGE)
    assert '"JSON_NUMBER_TOO_LONG"' in r.stdout


def test_prescreen_refuses_a_fifo_and_a_device_and_a_huge_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # nobody writes: reading it would block for ever
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (3 * 1024 * 1024) + b"{}")
    for source, code in ((fifo, "FILE_NOT_REGULAR"), ("/dev/zero", "FILE_NOT_REGULAR"),
                         (big, "FILE_TOO_LARGE")):  # fmt: skip
        r = _main(tmp_path / "data", "prescreen", str(source), timeout=60)
        _plain(r, EXIT_USAGE)
        assert f'"{code}"' in r.stdout, (source, r.stdout)


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_commands_on_a_read_only_data_folder_exit_with_a_plain_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _main(data, "prescreen", str(EXAMPLE)).returncode == 0  # a data folder in use
    for p in [data, *data.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    no_override = ("setpriv", "--inh-caps=-all", "--bounding-set=-all", "--")
    try:
        r = _main(data, "prescreen", str(EXAMPLE), prefix=no_override)
        _plain(r, EXIT_STORAGE)
        assert "log file" in r.stderr and "read-only" in r.stderr.lower(), r.stderr
        r = _main(data, "check", prefix=no_override)
        assert "Traceback" not in r.stderr and r.returncode == 1, r.stderr
        assert "not writable" in r.stdout
    finally:
        for p in [data, *data.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)


def _damage_pages_of(db_file: Path, table: str) -> None:
    """Overwrite the root page of ``table`` (not page 1, so the file still opens)."""
    conn = sqlite3.connect(db_file)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()
    finally:
        conn.close()
    with open(db_file, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)


def test_a_damaged_page_found_by_retention_after_opening_exits_3(
    tmp_path: Path, shared_keyring: object
) -> None:
    """Applications decided long ago: the next start's retention pass writes to the
    customers table, whose page is damaged; the file itself opens fine."""
    now = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    clock = FixedClock(now - timedelta(days=400))
    paths = resolve_paths(tmp_path / "data")
    ctx = open_context(paths, clock)
    try:
        gen = DemoGenerator(5, now.date(), load_demo_catalog())
        for _ in range(3):
            ctx.applications.save(gen.application())
        at = clock.now().isoformat()
        for (app_id,) in ctx.db.execute("SELECT id FROM applications").fetchall():
            ctx.applications.transition(app_id, Status.SUBMITTED)
            ctx.applications.transition(app_id, Status.APPROVED)
            with ctx.db.atomic():
                ctx.db.execute(
                    "UPDATE outbox SET state = 'acked' WHERE application_id = ?", [app_id]
                )
                ctx.db.execute(
                    "INSERT INTO decisions(application_id, decision, approved_amount_fen, "
                    "score, reasons, decided_at, seq, received_at) VALUES (?, 'approved', "
                    "NULL, 60, '[]', ?, 1, ?)",
                    [app_id, at, at],
                )
    finally:
        ctx.close()
    _damage_pages_of(paths.database, "customers")
    r = _main(paths.data_dir, "prescreen", str(EXAMPLE))
    _plain(r, EXIT_STORAGE)
    assert "damaged" in r.stderr, r.stderr
    assert r.stdout.strip() == ""


def test_prescreen_into_a_closed_pipe_exits_3_without_a_traceback(tmp_path: Path) -> None:
    """``prescreen | head -c0``: the reader is gone before the outcome is written."""
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "--lang", "en",
         "prescreen", str(EXAMPLE)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `head` that has read what it wanted
    with proc.stderr:
        err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert code == EXIT_STORAGE, (code, err)
    assert "output" in err
