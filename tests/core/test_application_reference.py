"""The short reference a customer reads over the phone (S001-20261127-0001): given at
save, unique on this PC, searchable, sent with the upload, and given to applications
saved before it existed (migration 0014). The UUID stays the identity."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ListQuery
from core.store.references import normalized
from core.store.sync_repo import SyncRepo
from core.sync.wire import ApplicationPayload

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)  # 18:30 in China


@pytest.fixture
def paths(tmp_path: Path):
    return resolve_paths(tmp_path / "d")


@pytest.fixture
def ctx(paths):
    c = open_context(paths, FixedClock(NOW))
    yield c
    c.close()


@pytest.fixture
def gen() -> DemoGenerator:
    return DemoGenerator(7, NOW.date(), load_demo_catalog())


def store_code(ctx) -> str:
    return str(ctx.db.execute("SELECT code FROM stores").fetchone()[0])


def found(ctx, text: str) -> list[str]:
    return [r.id for r in ctx.applications.page(ListQuery(text=text), 0, 50)]


def test_each_saved_application_gets_the_next_reference_of_its_store_and_day(ctx, gen) -> None:
    code = store_code(ctx)
    first, second = (
        ctx.applications.save(gen.application()),
        ctx.applications.save(gen.application()),
    )
    # 17:00 UTC is already the next day in China: that day's count starts again
    (late,) = ctx.applications.save_many(
        [(gen.application(), datetime(2026, 11, 27, 17, 0, tzinfo=UTC))]
    )
    refs = {r.id: r.reference for r in ctx.applications.page(ListQuery(), 0, 10)}
    assert refs[first] == f"{code}-20261127-0001"
    assert refs[second] == f"{code}-20261127-0002"
    assert refs[late] == f"{code}-20261128-0001"
    assert ctx.applications.detail(second).row.reference == f"{code}-20261127-0002"
    with pytest.raises(sqlite3.IntegrityError):  # unique on this PC
        ctx.db.execute("UPDATE applications SET reference = ? WHERE id = ?",
                       [refs[first], second])  # fmt: skip


def test_a_reference_is_searchable_as_read_over_the_phone(ctx, gen) -> None:
    code = store_code(ctx)
    ids = [ctx.applications.save(gen.application()) for _ in range(3)]
    assert found(ctx, f"{code}-20261127-0002") == [ids[1]]
    assert found(ctx, f" {code.lower()}-20261127-2 ") == [ids[1]]  # case, zeros, spaces
    full_width = f"{code}-20261127-0003".translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert found(ctx, full_width) == [ids[2]]
    assert sorted(found(ctx, f"{code}-20261127")) == sorted(ids)  # the day's
    assert found(ctx, f"{code}-20261126-0001") == []
    assert ctx.applications.count(ListQuery(text=f"{code}-20261127-0001")) == 1
    assert normalized("张三") is None


def test_the_upload_carries_the_reference(ctx, gen) -> None:
    app_id = ctx.applications.save(gen.application())
    ((_, _, text),) = SyncRepo(ctx.db).pending_payloads(0, 10)
    payload = json.loads(text)
    assert payload["reference"] == f"{store_code(ctx)}-20261127-0001"
    assert payload["application_id"] == app_id  # the identity is still the UUID
    assert ApplicationPayload.model_validate(payload).reference == payload["reference"]


def test_applications_saved_before_references_get_one_in_saving_order(paths, gen) -> None:
    ctx = open_context(paths, FixedClock(NOW))
    try:
        ids = ctx.applications.save_many(
            [
                (gen.application(), datetime(2026, 11, d, h, 0, tzinfo=UTC))
                for d, h in ((25, 3), (25, 4), (26, 3))
            ]
        )
        code = store_code(ctx)
        # the file as the build before 0014 left it
        ctx.db.execute("DROP INDEX applications_reference")
        ctx.db.execute("ALTER TABLE applications DROP COLUMN reference")
        ctx.db.execute("DELETE FROM _sqlite_migrations WHERE name = '0014_application_references'")
    finally:
        ctx.close()
    ctx = open_context(paths, FixedClock(NOW))
    try:
        refs = [ctx.applications.detail(i).row.reference for i in ids]
        assert refs == [f"{code}-20261125-0001", f"{code}-20261125-0002",
                        f"{code}-20261126-0001"]  # fmt: skip
        later = ctx.applications.save(gen.application())
        assert ctx.applications.detail(later).row.reference == f"{code}-20261127-0001"
    finally:
        ctx.close()
