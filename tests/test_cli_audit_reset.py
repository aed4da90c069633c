"""After IT restores the database from a backup on purpose, `check` reports the audit
rows the backup lacks; `reset-audit-checkpoint` accepts the log as it now is, and the
reset itself is a row of the log. Real subprocesses, one shared keyring file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog

ROOT = Path(__file__).resolve().parent.parent


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )


def _copy_db(src: Path, dest: Path) -> None:
    """A consistent copy, as a backup tool would make it."""
    a, b = sqlite3.connect(src), sqlite3.connect(dest)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def test_a_deliberate_restore_is_accepted_and_recorded(
    tmp_path: Path, shared_keyring: object
) -> None:
    data = tmp_path / "data"
    paths = resolve_paths(data)
    ctx = open_context(paths)
    gen = DemoGenerator(8, ctx.clock.now().date(), load_demo_catalog(), ctx.applications.policy)
    ctx.applications.save(gen.application())
    ctx.close()
    _copy_db(paths.database, tmp_path / "backup.db")  # IT's nightly copy
    ctx = open_context(paths)
    for _ in range(3):
        ctx.applications.save(gen.application())
    ctx.close()

    for suffix in ("-wal", "-shm"):  # the restore: the backup replaces the database
        Path(str(paths.database) + suffix).unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.db", paths.database)
    before = run(data, "check")
    assert before.returncode == 1
    assert "[FAIL] audit log" in before.stdout

    reset = run(data, "reset-audit-checkpoint")
    assert reset.returncode == 0, reset.stderr
    assert "reset at row" in reset.stdout
    after = run(data, "check")
    assert after.returncode == 0, after.stdout
    conn = sqlite3.connect(paths.database)
    try:
        assert (
            conn.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'checkpoint_reset'"
            ).fetchone()[0]
            == 1
        )
    finally:
        conn.close()
