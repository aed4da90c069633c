"""An older LoanDesk refuses a database that a newer one made or upgraded, and changes
nothing in it: a newer build's migration is recorded in the file, so this build would
otherwise run its own (older) idea of the schema against it.

The database is made by this build, then a migration this build does not know is added
to the migrations table, as a newer build would have recorded it. Every way in (the
storage layer, the app context, `check`, `prescreen` and the GUI start as subprocesses)
must refuse with a plain message naming that migration, and leave the data folder and
the keyring byte for byte as they were (no migration, no meta write, no journal-mode
change, no backup, no pruning, no audit checkpoint, no new keys).
"""

from __future__ import annotations

import json
import os
import sqlite3
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
from core.store.db import DatabaseTooNew, StorageEnvironmentError, open_database
from core.store.vault import keyring_unlock

ROOT = Path(__file__).resolve().parent.parent
EXIT_STORAGE = 3
FUTURE = "0042_made_by_a_newer_build"
NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
SAYS_EN = (
    "made by a newer version of LoanDesk",
    FUTURE,
    "Install that version of LoanDesk or a newer one",
    "has changed nothing",
)
SAYS_ZH = ("更新版本的 LoanDesk", FUTURE, "请安装该版本或更新版本的 LoanDesk")


def _current_database(root: Path) -> Paths:
    """A database of this build with one saved application (so it holds encrypted
    customers, an audit chain and its checkpoint), closed cleanly."""
    paths = resolve_paths(root / "data")
    ctx = open_context(paths, FixedClock(NOW))
    try:
        ctx.applications.save(DemoGenerator(3, NOW.date(), load_demo_catalog()).application())
    finally:
        ctx.close()
    return paths


def _record_future_migration(conn: sqlite3.Connection, name: str = FUTURE) -> None:
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
            "VALUES ('loandesk', ?, '2027-03-01 08:00:00.000000+00:00')",
            [name],
        )


def _snapshot(paths: Paths, keyring_file: Path) -> dict[str, bytes]:
    """Every file of the data folder (the log aside: main.py writes it) and the keyring."""
    files = {
        str(p.relative_to(paths.data_dir)): p.read_bytes()
        for p in sorted(paths.data_dir.rglob("*"))
        if p.is_file() and p.parent != paths.logs
    }
    files["<keyring>"] = keyring_file.read_bytes()
    return files


@pytest.fixture
def newer(tmp_path: Path, shared_keyring: object) -> Paths:
    paths = _current_database(tmp_path)
    conn = sqlite3.connect(paths.database)
    try:
        _record_future_migration(conn)
    finally:
        conn.close()
    assert not paths.database.with_name("loandesk.db-wal").exists()
    return paths


def _keyring_file() -> Path:
    """The keyring file this process and its subprocesses share (tests/conftest.py)."""
    return Path(os.environ["LOANDESK_TEST_KEYRING_FILE"])


def test_open_database_and_the_context_refuse_before_changing_anything(
    newer: Paths, tmp_path: Path
) -> None:
    keys = _keyring_file()
    before = _snapshot(newer, keys)
    assert "loandesk.db-wal" not in before and "loandesk.db-shm" not in before
    for attempt in (
        lambda: open_database(newer.database, backups_dir=newer.backups, unlock=keyring_unlock),
        lambda: open_database(newer.database, migrate=False),  # what check uses
        lambda: open_context(newer, FixedClock(NOW)),  # the app's own start
    ):
        with pytest.raises(DatabaseTooNew) as err:
            attempt()
        assert isinstance(err.value, StorageEnvironmentError)
        assert err.value.code == "STORAGE_TOO_NEW"
        assert err.value.unknown == (FUTURE,) and str(err.value) == FUTURE
        assert _snapshot(newer, keys) == before


def test_a_newer_build_still_running_is_read_not_checkpointed(
    tmp_path: Path, shared_keyring: object
) -> None:
    """The newer build has the file open and its migration row is still only in the
    WAL: the refusal reads it there, and neither the file nor the WAL is touched."""
    paths = _current_database(tmp_path)
    writer = sqlite3.connect(paths.database)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        _record_future_migration(writer)
        wal = paths.database.with_name("loandesk.db-wal")
        assert wal.stat().st_size > 0
        before = (paths.database.read_bytes(), wal.read_bytes())
        with pytest.raises(DatabaseTooNew, match=FUTURE):
            open_database(paths.database, backups_dir=paths.backups, unlock=keyring_unlock)
        assert (paths.database.read_bytes(), wal.read_bytes()) == before
        assert not paths.backups.exists() or list(paths.backups.iterdir()) == []
    finally:
        writer.close()


def test_check_reports_it_as_an_item(newer: Paths, tmp_path: Path) -> None:
    before = _snapshot(newer, _keyring_file())
    report = run_checks(newer)
    assert report["ok"] is False
    item = next(c for c in report["checks"] if c["name"] == "database")
    assert item["ok"] is False and item["code"] == "STORAGE_TOO_NEW"
    assert "database made by a newer version" in item["detail"]
    assert all(text in item["detail"] for text in SAYS_EN)
    assert _snapshot(newer, _keyring_file()) == before


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


def test_the_commands_refuse_with_a_plain_message_and_change_nothing(
    newer: Paths, tmp_path: Path
) -> None:
    keys = _keyring_file()
    before = _snapshot(newer, keys)
    for name, args in {
        "check": ("--lang", "en", "check"),
        "prescreen": ("--lang", "en", "prescreen", "resources/examples/appliance.json"),
        "prescreen zh": ("--lang", "zh_CN", "prescreen", "resources/examples/appliance.json"),
    }.items():
        r = _main(newer, *args)
        assert "Traceback" not in r.stderr, (name, r.stderr)
        assert _snapshot(newer, keys) == before, name
        if name == "check":
            assert r.returncode != 0
            assert "[FAIL] database:" in r.stdout and "some checks failed" in r.stdout
            assert all(text in r.stdout for text in SAYS_EN), r.stdout
            continue
        assert r.returncode == EXIT_STORAGE, (name, r.stdout, r.stderr)
        assert r.stdout.strip() == ""  # no outcome JSON
        says = SAYS_ZH if name.endswith("zh") else SAYS_EN
        assert all(text in r.stderr for text in says), (name, r.stderr)
    log = (newer.logs / "loandesk.log").read_text(encoding="utf-8")
    assert FUTURE in log and "refused, nothing changed" in log


def test_check_exits_with_the_storage_code(newer: Paths) -> None:
    r = _main(newer, "--lang", "en", "check", "--json")
    item = next(c for c in json.loads(r.stdout)["checks"] if c["name"] == "database")
    assert item["code"] == "STORAGE_TOO_NEW"
    assert r.returncode == EXIT_STORAGE


def test_the_gui_start_refuses_in_a_message_box_and_changes_nothing(newer: Paths) -> None:
    keys = _keyring_file()
    before = _snapshot(newer, keys)
    r = _main(newer, "--lang", "en")
    assert "Traceback" not in r.stderr, r.stderr
    assert all(text in r.stderr for text in SAYS_EN), r.stderr
    assert _snapshot(newer, keys) == before
    assert r.returncode == EXIT_STORAGE, (r.returncode, r.stdout, r.stderr)
    assert r.stdout.split() == ["SHOWN", "startupError"]  # the box, and no screen before it
