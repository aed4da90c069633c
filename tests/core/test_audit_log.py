"""The hash-chained audit log on a real SQLite file: migration 0006 chains old rows,
appends from two connections at once keep one chain, tampering with a raw sqlite3
connection is found at the right row, and the checkpoint outside the database catches a
cut-off tail."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.applications.service import ServiceError
from core.audit.checkpoint import (
    CheckpointInvalid,
    advance_checkpoint,
    check_item,
    checkpoint_path,
    read_checkpoint,
)
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.security.audit_chain import GENESIS
from core.store.audit_repo import AuditRepo
from core.store.db import open_database
from core.store.migrations import MIGRATIONS
from core.store.repositories import Repositories
from core.store.vault import keyring_unlock, vault_of

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
AT = "2026-11-27T10:30:00.000+00:00"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "d"), FixedClock(NOW))
    yield c
    c.close()


def _saved(ctx: AppContext, n: int) -> list[str]:
    gen = DemoGenerator(7, NOW.date(), load_demo_catalog())
    return [ctx.applications.save(gen.application()) for _ in range(n)]


def raw(path: Path) -> sqlite3.Connection:
    """What someone with the file but not the keyring can do: drop the guards, edit."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_append_only")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    return conn


def test_appends_are_chained_and_history_reads_them(ctx: AppContext) -> None:
    ids = _saved(ctx, 3)
    rows = list(AuditRepo(ctx.db).rows())
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1)) and len(rows) == 6
    assert rows[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:], strict=False))
    report = AuditRepo(ctx.db).verify()
    assert report.ok and report.checked == 6 and report.last_hash == rows[-1]["hash"]
    assert [e.action for e in ctx.applications.history(ids[1])] == ["created", "queued"]
    # outside any transaction, an append commits on its own
    seq = AuditRepo(ctx.db).append(AT, None, "probe", "test", "x")
    assert seq == 7 and not ctx.db.conn.in_transaction
    assert AuditRepo(ctx.db).verify().checked == 7


def test_rows_cannot_be_changed_or_deleted_through_the_app(ctx: AppContext) -> None:
    _saved(ctx, 1)
    for statement in (
        "UPDATE audit_log SET action = 'x' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 2",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="audit log rows cannot"), ctx.db.atomic():
            ctx.db.execute(statement)
    assert AuditRepo(ctx.db).verify().ok


@pytest.mark.parametrize(
    ("statement", "seq", "reason"),
    [
        ('UPDATE audit_log SET detail = \'{"outcome":"PASS"}\' WHERE seq = 3', 3, "changed"),
        ("UPDATE audit_log SET action = 'status' WHERE seq = 4", 4, "changed"),
        ("UPDATE audit_log SET operator_id = 'someone-else' WHERE seq = 5", 5, "changed"),
        ("UPDATE audit_log SET at = '2026-01-01T00:00:00.000+00:00' WHERE seq = 2", 2, "changed"),
        ("DELETE FROM audit_log WHERE seq = 4", 4, "deleted"),
        ("UPDATE audit_log SET seq = 100 WHERE seq = 3", 3, "deleted"),  # moved away
    ],
)
def test_tampering_is_found_at_its_row(
    ctx: AppContext, statement: str, seq: int, reason: str
) -> None:
    _saved(ctx, 4)
    conn = raw(ctx.paths.database)
    conn.execute(statement)
    conn.close()
    report = AuditRepo(ctx.db).verify()
    assert (report.ok, report.first_bad_seq, report.reason) == (False, seq, reason)


def test_cut_off_tail_needs_the_checkpoint(ctx: AppContext) -> None:
    _saved(ctx, 4)
    report = advance_checkpoint(ctx.db)
    assert report is not None and report.ok and report.last_seq == 8
    path = checkpoint_path(ctx.paths.database)
    checkpoint = read_checkpoint(path, vault_of(ctx.db).chain_key)
    assert checkpoint is not None and checkpoint.seq == 8
    conn = raw(ctx.paths.database)
    conn.execute("DELETE FROM audit_log WHERE seq > 6")
    conn.close()
    repo = AuditRepo(ctx.db)
    assert repo.verify().ok  # a shorter chain is valid on its own
    cut = repo.verify(checkpoint.as_tuple())
    assert (cut.ok, cut.first_bad_seq, cut.reason) == (False, 7, "truncated")
    # the checkpoint is not moved back, not even by later appends
    before = path.read_bytes()
    _saved(ctx, 1)
    moved = advance_checkpoint(ctx.db)
    assert moved is not None and not moved.ok and path.read_bytes() == before


def test_checkpoint_moves_only_forward_over_verified_rows(ctx: AppContext) -> None:
    path = checkpoint_path(ctx.paths.database)
    key = vault_of(ctx.db).chain_key
    first = read_checkpoint(path, key)
    assert first is not None and first.seq == 0  # written when the context opened
    _saved(ctx, 2)
    assert read_checkpoint(path, key) == first  # not after each save (see core.audit.checkpoint)
    advance_checkpoint(ctx.db)
    assert (cp := read_checkpoint(path, key)) is not None and cp.seq == 4
    conn = raw(ctx.paths.database)
    conn.execute("UPDATE audit_log SET target_id = 'other' WHERE seq = 4")
    conn.close()
    _saved(ctx, 1)
    report = advance_checkpoint(ctx.db)
    assert report is not None and (report.ok, report.first_bad_seq) == (False, 4)
    assert read_checkpoint(path, key) == cp
    with ctx.db.atomic():  # only committed rows are ever checkpointed
        assert advance_checkpoint(ctx.db) is None


def test_a_forged_checkpoint_is_refused(ctx: AppContext) -> None:
    _saved(ctx, 2)
    advance_checkpoint(ctx.db)
    path = checkpoint_path(ctx.paths.database)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["seq"] = 2  # "the log was only 2 rows long"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CheckpointInvalid, match="HMAC"):
        read_checkpoint(path, vault_of(ctx.db).chain_key)
    ok, text = check_item(ctx.db, ctx.paths.database)
    assert not ok and "damaged or was altered" in text
    assert advance_checkpoint(ctx.db) is None  # left alone as evidence
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CheckpointInvalid, match="not JSON"):
        read_checkpoint(path, vault_of(ctx.db).chain_key)


def test_check_item_texts(ctx: AppContext) -> None:
    _saved(ctx, 2)
    advance_checkpoint(ctx.db)
    ok, text = check_item(ctx.db, ctx.paths.database)
    assert ok and text == "Audit log intact (4 rows checked); checkpoint at row 4"
    ok, text = check_item(ctx.db, ctx.paths.database, "zh_CN")
    assert ok and "审计日志完整" in text
    checkpoint_path(ctx.paths.database).unlink()  # the keyring copy still vouches
    ok, text = check_item(ctx.db, ctx.paths.database)
    assert ok and text == (
        "Audit log intact (4 rows checked); checkpoint at row 4 (from its copy in the OS "
        "keyring: the file loandesk-audit-checkpoint.json is missing or older, and "
        "LoanDesk rewrites it at its next start)"
    )
    ok, text = check_item(ctx.db, ctx.paths.database, "zh_CN")
    assert ok and "操作系统密钥库" in text


def test_check_never_creates_keys(tmp_path: Path) -> None:
    c = open_context(resolve_paths(tmp_path / "d"), FixedClock(NOW))
    _saved(c, 1)
    c.close()
    import keyring

    from core.security.memory_keyring import MemoryKeyring

    empty = MemoryKeyring()  # e.g. another Windows user: the keys are not there
    keyring.set_keyring(empty)
    db = open_database(tmp_path / "d" / "loandesk.db", migrate=False)
    try:
        ok, text = check_item(db, tmp_path / "d" / "loandesk.db")
    finally:
        db.close()
    assert not ok and text.startswith("The audit log could not be verified: ")
    assert "missing from the OS keyring" in text
    assert empty.store == {}  # must_exist: nothing was created


def test_migration_0006_chains_the_rows_already_there(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path, migrate=False, unlock=keyring_unlock)
    MIGRATIONS.apply(db, stop_before="0006_audit_chain")
    with db.atomic():
        for i in range(5):
            db.execute(
                "INSERT INTO audit_log(at, operator_id, action, target_type, target_id, "
                "from_status, to_status, detail) VALUES (?, NULL, 'status', 'application', ?, "
                "'draft', 'queued', ?)",
                [AT, f"app-{i}", None if i % 2 else '{"n": 1}'],
            )
    assert not AuditRepo(db).is_chained()
    MIGRATIONS.apply(db)
    repo = AuditRepo(db)
    report = repo.verify()
    assert repo.is_chained() and report.ok and report.checked == 5
    assert repo.append(AT, None, "probe", "test", "x") == 6
    assert repo.verify().checked == 6
    db.close()


def test_two_connections_appending_at_once_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    open_database(path, unlock=keyring_unlock).close()
    per_thread, errors = 40, []
    start = threading.Barrier(2, timeout=10)

    def worker(name: str) -> None:
        db = open_database(path, unlock=keyring_unlock)  # a connection per thread
        try:
            repo = Repositories(db)
            start.wait()
            for i in range(per_thread):
                with db.atomic():
                    repo.audit(AT, None, "probe", "test", f"{name}-{i}", detail={"i": i})
                    if i % 7 == 0:
                        time.sleep(0.001)  # hold the lock a moment: the other one waits
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("gui", "sync")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads) and not errors, errors
    db = open_database(path, unlock=keyring_unlock)
    try:
        report = AuditRepo(db).verify()
        assert report.ok and report.checked == 2 * per_thread
        targets = [r["target_id"] for r in AuditRepo(db).rows()]
        assert sorted(targets) == sorted(
            f"{n}-{i}" for n in ("gui", "sync") for i in range(per_thread)
        )
    finally:
        db.close()


def test_no_audit_row_holds_personal_data(ctx: AppContext) -> None:
    gen = DemoGenerator(5, NOW.date(), load_demo_catalog())
    apps = [gen.application() for _ in range(3)]
    ids = [ctx.applications.save(a) for a in apps]
    with pytest.raises(ServiceError) as refused:  # free text could carry a name: codes only
        ctx.applications.cancel(ids[1], reason=apps[1].customer.name)
    assert refused.value.code == "CANCEL_REASON_UNKNOWN"
    ctx.applications.cancel(ids[1], reason="customer_withdrew")
    Repositories(ctx.db).audit(AT, None, "probe", "application", ids[2])
    rows = list(AuditRepo(ctx.db).rows())
    assert {r["action"] for r in rows} >= {"created", "queued", "cancelled"}
    text = "\n".join(str(v) for r in rows for v in r.values())
    for app in apps:
        c = app.customer
        for secret in (
            c.id_number,
            c.name,
            c.phone,
            c.phone[-4:] + c.name,
            c.home_address,
            app.delivery_address,
        ):
            assert secret not in text
