"""core/store owns every table: one writer of ``operators`` with one login rule, the
blacklist in one repository, every migration registered in migrations.py and named in
migration_names.py, and the applications saved before sync existed queued by migration
0009 when the file is opened (no longer at the start of every sync)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import Status
from core.rules.shape import BLACKLIST_KINDS
from core.store import blacklist_repo
from core.store.migration_names import MIGRATION_NAMES
from core.store.migrations import MIGRATIONS
from core.store.operators_repo import OperatorsRepo, normalize_login
from core.store.sync_repo import SyncRepo

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
BACKFILL = "0009_queue_applications_saved_before_sync"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "d"), FixedClock(NOW))
    yield c
    c.close()


def test_accounts_made_for_the_demo_follow_the_sign_in_login_rule(ctx: AppContext) -> None:
    """The application service's demo salespeople and the account screens write through
    the same repository: the login stored is the normalized one, and a full-width or
    upper-case spelling finds the same account instead of making a second one."""
    first = ctx.applications.ensure_operator("  Sales07 ", "销售07")
    assert OperatorsRepo(ctx.db).by_id(first).login == "sales07"  # type: ignore[union-attr]
    assert ctx.applications.ensure_operator("ｓａｌｅｓ０７", "销售07") == first
    assert ctx.applications.ensure_operator("SALES07", "销售07") == first
    found = OperatorsRepo(ctx.db).by_login("Ｓales07")
    assert found is not None and found.id == first and not found.has_password
    logins = [r[0] for r in ctx.db.execute("SELECT login FROM operators WHERE login LIKE '%07'")]
    assert logins == ["sales07"]
    assert normalize_login(" ＡＤＭＩＮ ") == "admin"


def test_the_blacklist_kinds_are_the_rule_pack_formats() -> None:
    assert blacklist_repo.BLACKLIST_KINDS == BLACKLIST_KINDS


def test_every_migration_is_registered_in_order_and_named() -> None:
    names = tuple(m.name for m in MIGRATIONS._migrations)
    assert names == MIGRATION_NAMES
    assert [n[:4] for n in names] == [f"{i:04d}" for i in range(1, len(names) + 1)]
    assert names[8] == BACKFILL
    # each registered in core/store/migrations.py itself, not in a repository module
    assert {m.fn.__module__ for m in MIGRATIONS._migrations} == {"core.store.migrations"}


def _as_before_sync(path: Path, app_id: str) -> None:
    """Make the file look like one that ran 0001-0008 with an application saved before
    sync existed: pre-screened, no outbox row, its 'queued' audit row never written
    (the audit log is append-only, so the app's rows stay; the 0009 record goes)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("DELETE FROM outbox WHERE application_id = ?", [app_id])
            conn.execute("UPDATE applications SET status = 'prescreened' WHERE id = ?", [app_id])
            conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [BACKFILL])
    finally:
        conn.close()


def test_a_database_at_0008_is_upgraded_and_its_unsent_applications_queued(
    tmp_path: Path,
) -> None:
    paths = resolve_paths(tmp_path / "d")
    ctx = open_context(paths, FixedClock(NOW))
    gen = DemoGenerator(3, NOW.date(), load_demo_catalog())
    kept = ctx.applications.save(gen.application())
    old = ctx.applications.save_many([(gen.application(), NOW - timedelta(days=2))])[0]
    sealed = {i.application_id: i.payload for i in SyncRepo(ctx.db).items("pending")}
    history_before = len(ctx.applications.history(old))
    ctx.close()
    _as_before_sync(paths.database, old)

    ctx = open_context(paths, FixedClock(NOW + timedelta(hours=1)))
    try:
        assert [m.name for m in MIGRATIONS.applied(ctx.db)][-1] == BACKFILL
        assert list(paths.backups.glob(f"*-before-{BACKFILL}.db"))  # backed up first
        row = ctx.applications.row(old)
        assert row is not None and row.status == Status.QUEUED.value
        events = ctx.applications.history(old)
        assert len(events) == history_before + 1
        assert (events[-1].action, events[-1].from_status, events[-1].to_status) == (
            "queued",
            "prescreened",
            "queued",
        )
        assert json.loads(events[-1].detail or "{}") == {"backfill": True}
        pending = {i.application_id: i.payload for i in SyncRepo(ctx.db).items("pending")}
        assert pending == sealed  # the same bytes the save had queued, nothing else
    finally:
        ctx.close()

    ctx = open_context(paths, FixedClock(NOW + timedelta(hours=2)))  # once only
    try:
        assert len(ctx.applications.history(old)) == history_before + 1
        assert SyncRepo(ctx.db).count_state("pending") == 2
        assert ctx.applications.row(kept) is not None
    finally:
        ctx.close()


def test_the_sync_engine_no_longer_backfills() -> None:
    source = (Path(__file__).resolve().parents[2] / "core" / "sync" / "engine.py").read_text(
        encoding="utf-8"
    )
    assert "backfill" not in source
