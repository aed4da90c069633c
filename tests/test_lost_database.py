"""A deleted or emptied ``loandesk.db`` on a PC that had data is refused, never started as a
new install (with new keys, no unsent applications, and a first-administrator screen for
whoever comes along). The audit checkpoint next to it or the OS keyring shows that this
folder had a database; every way in (the context, ``prescreen``, ``seed-demo``, ``check``
and the window's start, as real subprocesses) refuses with exit 3 and a message naming
the backups folder, and creates nothing. ``start-new-database`` is IT's way to a
deliberate new start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import Paths, resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.diagnostics.check import run_checks
from core.store.errors import DatabaseLost, StorageEnvironmentError

ROOT = Path(__file__).resolve().parent.parent
EXIT_STORAGE = 3
NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
SAYS_EN = ("missing or emptied", "backups", "start-new-database")
SAYS_ZH = ("数据库缺失或已被清空", "备份文件夹")


def _used_folder(root: Path) -> Paths:
    """A data folder with a saved application, closed cleanly (checkpoint written)."""
    paths = resolve_paths(root / "data")
    ctx = open_context(paths, FixedClock(NOW))
    try:
        ctx.applications.save(DemoGenerator(3, NOW.date(), load_demo_catalog()).application())
    finally:
        ctx.close()
    return paths


def _wipe(paths: Paths) -> None:
    for name in ("loandesk.db", "loandesk.db-wal", "loandesk.db-shm"):
        (paths.data_dir / name).unlink(missing_ok=True)


def _main(paths: Paths, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOANDESK_EXIT_AFTER_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(paths.data_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_the_commands_and_the_window_refuse_a_lost_database(
    tmp_path: Path, shared_keyring: object, how: str
) -> None:
    paths = _used_folder(tmp_path)
    _wipe(paths)
    if how == "emptied":
        paths.database.write_bytes(b"")
    for name, args in {
        "prescreen": ("--lang", "en", "prescreen", "resources/examples/appliance.json"),
        "seed-demo": ("--lang", "zh_CN", "seed-demo", "--count", "3"),
        "window": ("--lang", "en"),
    }.items():
        r = _main(paths, *args)
        assert "Traceback" not in r.stderr, (name, r.stderr)
        assert r.returncode == EXIT_STORAGE, (name, r.returncode, r.stdout, r.stderr)
        says = SAYS_ZH if "zh_CN" in args else SAYS_EN
        assert all(text in r.stderr for text in says), (name, r.stderr)
        assert str(paths.backups) in r.stderr, (name, r.stderr)
        if name == "window":
            assert r.stdout.split() == ["SHOWN", "startupError"]  # no setup screen first
        assert not paths.database.exists() or paths.database.stat().st_size == 0, name
    r = _main(paths, "--lang", "en", "check")
    assert r.returncode == EXIT_STORAGE and "database missing or emptied" in r.stdout, r.stdout


def test_the_keyring_remembers_the_folder_when_the_checkpoint_is_gone_too(
    tmp_path: Path, shared_keyring: object
) -> None:
    paths = _used_folder(tmp_path)
    _wipe(paths)
    (paths.data_dir / "loandesk-audit-checkpoint.json").unlink()
    with pytest.raises(DatabaseLost) as err:
        open_context(paths, FixedClock(NOW))
    assert isinstance(err.value, StorageEnvironmentError)
    assert "OS keyring" in err.value.message("en") and not paths.database.exists()
    item = next(c for c in run_checks(paths)["checks"] if c["name"] == "database")
    assert item["ok"] is False and item["code"] == "STORAGE_DATABASE_LOST"
    assert "database missing or emptied" in item["detail"]


def test_start_new_database_lets_it_start_afresh_and_a_new_folder_is_not_refused(
    tmp_path: Path, shared_keyring: object
) -> None:
    fresh = resolve_paths(tmp_path / "fresh")
    open_context(fresh, FixedClock(NOW)).close()  # a new install is never refused
    paths = _used_folder(tmp_path)
    refused = _main(paths, "start-new-database")
    assert refused.returncode == 1 and "holds an installation" in refused.stderr
    _wipe(paths)
    r = _main(paths, "start-new-database")
    assert r.returncode == 0, r.stderr
    assert list(paths.backups.glob("loandesk-audit-checkpoint-*-orphaned.json"))
    ctx = open_context(paths, FixedClock(NOW))  # now a new install, deliberately
    ctx.close()
