"""The audit checkpoint's second copy in the OS keyring, on real SQLite files: someone with
the files but not the keyring cannot reset the checkpoint (drop the trigger, cut the
newest rows, reset sqlite_sequence, delete the file, start the app once); a deleted file
comes back from the keyring copy; a checkpoint once written is never silently recreated;
a keyring that refuses a write costs a log line, not a close."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.errors
import pytest

from core.audit.checkpoint import advance_checkpoint, check_item, reset_checkpoint
from core.audit.checkpoint_copies import (
    META_CHECKPOINT_WRITTEN,
    Checkpoint,
    checkpoint_path,
    encode,
    install_id_of,
    keyring_name,
    read_checkpoint,
    read_keyring_checkpoint,
)
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.security.keyring_store import SERVICE, delete_secret, write_secret
from core.security.memory_keyring import MemoryKeyring
from core.store.audit_repo import AuditRepo
from core.store.vault import vault_of

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
AT = "2026-11-27T10:30:00.000+00:00"
FILE = "loandesk-audit-checkpoint.json"


def _open(data: Path) -> AppContext:
    return open_context(resolve_paths(data), FixedClock(NOW))


def _save(ctx: AppContext, n: int, seed: int = 7) -> None:
    gen = DemoGenerator(seed, NOW.date(), load_demo_catalog())
    for _ in range(n):
        ctx.applications.save(gen.application())


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A closed data folder: 4 applications, 8 audit rows, checkpoint (both copies) at 8."""
    d = tmp_path / "d"
    ctx = _open(d)
    try:
        _save(ctx, 4)
    finally:
        ctx.close()
    return d


@pytest.fixture
def ctx(data: Path) -> Iterator[AppContext]:
    c = _open(data)
    yield c
    c.close()


def _copies(ctx: AppContext) -> tuple[Checkpoint | None, Checkpoint | None]:
    key = vault_of(ctx.db).chain_key
    install_id = install_id_of(ctx.db)
    assert install_id is not None
    return (read_checkpoint(checkpoint_path(ctx.paths.database), key),
            read_keyring_checkpoint(install_id, key))  # fmt: skip


def attack(data: Path, keep: int = 6) -> None:
    """The reviewer's attack, with the files only: drop the no-delete trigger, delete the
    newest rows, reset sqlite_sequence so the next seq follows on, delete the checkpoint."""
    conn = sqlite3.connect(data / "loandesk.db", isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", [keep])
    conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'", [keep])
    conn.close()
    checkpoint_path(data / "loandesk.db").unlink()


def test_both_copies_are_written_and_agree(ctx: AppContext) -> None:
    file, kept = _copies(ctx)
    assert file is not None and file == kept and file.seq == 8
    assert file.as_tuple() == (8, AuditRepo(ctx.db).verify().last_hash)
    install_id = install_id_of(ctx.db)
    assert install_id is not None and keyring_name(install_id) == f"audit-checkpoint:{install_id}"
    meta = ctx.db.execute("SELECT value FROM meta WHERE key = ?", [META_CHECKPOINT_WRITTEN])
    assert meta.fetchone() == ("1",)


def test_the_reviewers_attack_is_detected(data: Path, caplog: pytest.LogCaptureFixture) -> None:
    attack(data)
    with caplog.at_level(logging.ERROR, logger="loandesk.audit"):
        c = _open(data)  # the app starts once, and closes
        c.close()
    assert not checkpoint_path(data / "loandesk.db").exists()  # no fresh one was written
    assert any("checkpoint not moved" in r.getMessage() for r in caplog.records)
    c = _open(data)
    try:
        file, kept = _copies(c)
        assert file is None and kept is not None and kept.seq == 8  # the keyring copy held
        cut = AuditRepo(c.db).verify(kept.as_tuple())
        assert (cut.ok, cut.first_bad_seq, cut.reason) == (False, 7, "truncated")
        ok, text = check_item(c.db, c.paths.database)
        assert not ok and text == (
            "Audit log rows from row 7 on were cut off (the checkpoint's copy in the OS "
            f"keyring is at row 8; the file {FILE} is missing or older)"
        )
        # new rows with the reused seqs 7 and 8 do not paper over it either
        _save(c, 1, seed=11)
        assert advance_checkpoint(c.db) is not None
        assert _copies(c) == (None, kept)
        ok, text = check_item(c.db, c.paths.database)
        assert not ok and text.startswith("Audit log row 8 was changed (the checkpoint's copy")
        ok, text = check_item(c.db, c.paths.database, "zh_CN")
        assert not ok and "操作系统密钥库" in text
    finally:
        c.close()


def test_a_deleted_file_comes_back_from_the_keyring_copy(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    checkpoint_path(data / "loandesk.db").unlink()
    with caplog.at_level(logging.WARNING, logger="loandesk.audit"):
        c = _open(data)
    try:
        file, kept = _copies(c)
        assert file is not None and file == kept and file.seq == 8
        assert any("was missing; rewritten at row 8" in r.getMessage() for r in caplog.records)
        ok, text = check_item(c.db, c.paths.database)
        assert ok and text == "Audit log intact (8 rows checked); checkpoint at row 8"
    finally:
        c.close()


def test_a_file_rolled_back_to_an_older_copy_is_outvoted(ctx: AppContext) -> None:
    path = checkpoint_path(ctx.paths.database)
    older = path.read_bytes()  # row 8
    _save(ctx, 2, seed=9)
    advance_checkpoint(ctx.db)
    assert _copies(ctx)[1] == Checkpoint(12, AuditRepo(ctx.db).verify().last_hash)
    conn = sqlite3.connect(ctx.paths.database, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > 8")
    conn.close()
    path.write_bytes(older)  # valid on its own: the file alone would pass
    ok, text = check_item(ctx.db, ctx.paths.database)
    assert not ok and text.startswith("Audit log rows from row 9 on were cut off (the")
    assert advance_checkpoint(ctx.db) is not None and path.read_bytes() == older


def test_a_lost_checkpoint_is_not_recreated(
    data: Path, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    """Both copies gone (as if the keyring write had failed, then the file was deleted):
    the meta key says one existed, so the app does not start a fresh one."""
    c = _open(data)
    install_id = install_id_of(c.db)
    c.close()
    assert install_id is not None
    delete_secret(keyring_name(install_id))
    attack(data)
    with caplog.at_level(logging.ERROR, logger="loandesk.audit"):
        c = _open(data)
    try:
        assert any("checkpoint lost" in r.getMessage() for r in caplog.records)
        assert advance_checkpoint(c.db) is None
        assert _copies(c) == (None, None)
        assert (SERVICE, keyring_name(install_id)) not in memory_keyring.store
        ok, text = check_item(c.db, c.paths.database)
        assert not ok and text.startswith("An audit checkpoint was written for this install")
        assert f"LoanDesk / audit-checkpoint:{install_id}" in text and "6 rows" in text
    finally:
        c.close()
    assert not checkpoint_path(data / "loandesk.db").exists()


def test_the_first_checkpoint_of_an_upgraded_install_is_written(data: Path) -> None:
    """What an install from before the keyring copy (or before checkpoints) looks like."""
    c = _open(data)
    install_id = install_id_of(c.db)
    assert install_id is not None
    delete_secret(keyring_name(install_id))
    c.db.execute("DELETE FROM meta WHERE key = ?", [META_CHECKPOINT_WRITTEN])
    checkpoint_path(c.paths.database).unlink()
    try:
        ok, text = check_item(c.db, c.paths.database)
        assert not ok and "there is no checkpoint yet" in text
        report = advance_checkpoint(c.db)
        assert report is not None and report.ok
        assert _copies(c) == (Checkpoint(8, report.last_hash),) * 2
        assert check_item(c.db, c.paths.database)[0]
    finally:
        c.close()


class RefusingKeyring(MemoryKeyring):
    """A keyring that keeps the data keys but fails on the checkpoint entry."""

    def __init__(self, fail_reads: bool = False) -> None:
        super().__init__()
        self.fail_reads = fail_reads

    def set_password(self, service: str, username: str, password: str) -> None:
        if username.startswith("audit-checkpoint:"):
            raise keyring.errors.PasswordSetError("Credential Manager is busy")
        super().set_password(service, username, password)

    def get_password(self, service: str, username: str) -> str | None:
        if self.fail_reads and username.startswith("audit-checkpoint:"):
            raise keyring.errors.KeyringError("Credential Manager is busy")
        return super().get_password(service, username)


def test_a_keyring_that_refuses_costs_a_log_line_not_a_close(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(RefusingKeyring())
    with caplog.at_level(logging.WARNING, logger="loandesk.audit"):
        c = _open(tmp_path / "d")
        _save(c, 2)
        report = advance_checkpoint(c.db)
        assert report is not None and report.ok and report.last_seq == 4
        file = read_checkpoint(checkpoint_path(c.paths.database), vault_of(c.db).chain_key)
        assert file is not None and file.seq == 4  # the file is still written
        ok, text = check_item(c.db, c.paths.database)
        assert ok and "its copy in the OS keyring is missing or older" in text
        c.close()  # does not raise
    assert any("not copied to the OS keyring: KeyringUnavailable" in r.getMessage()
               for r in caplog.records)  # fmt: skip


def test_an_unreadable_keyring_never_starts_a_fresh_checkpoint(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    c = _open(tmp_path / "d")
    _save(c, 1)
    path = checkpoint_path(c.paths.database)
    path.unlink()
    c.db.execute("DELETE FROM meta WHERE key = ?", [META_CHECKPOINT_WRITTEN])
    backend = RefusingKeyring(fail_reads=True)
    backend.store = dict(memory_keyring.store)
    keyring.set_keyring(backend)
    try:
        assert advance_checkpoint(c.db) is None and not path.exists()
        ok, text = check_item(c.db, c.paths.database)
        assert not ok and "could not be read: KeyringUnavailable" in text
    finally:
        c.close()


def test_a_damaged_keyring_copy_is_left_for_check(ctx: AppContext) -> None:
    install_id = install_id_of(ctx.db)
    assert install_id is not None
    forged = encode(b"\x00" * 32, Checkpoint(2, "0" * 64))  # signed with another key
    write_secret(keyring_name(install_id), forged)
    before = checkpoint_path(ctx.paths.database).read_bytes()
    _save(ctx, 1, seed=9)
    assert advance_checkpoint(ctx.db) is None
    assert checkpoint_path(ctx.paths.database).read_bytes() == before
    ok, text = check_item(ctx.db, ctx.paths.database)
    assert not ok and text == (
        f"The audit checkpoint's copy in the OS keyring (LoanDesk / {keyring_name(install_id)})"
        " is damaged (HMAC does not match)"
    )


def test_reset_after_a_restore_from_backup(data: Path) -> None:
    attack(data)  # what restoring an older database looks like to the checkpoint
    c = _open(data)
    try:
        assert not check_item(c.db, c.paths.database)[0]
        report = reset_checkpoint(c.db, AT, operator_id=None)
        assert report is not None and report.ok and report.last_seq == 7
        ok, text = check_item(c.db, c.paths.database)
        assert ok and text == "Audit log intact (7 rows checked); checkpoint at row 7"
        last = list(AuditRepo(c.db).rows())[-1]
        assert (last["action"], last["target_type"]) == ("checkpoint_reset", "audit")
        assert last["detail"] == '{"file_seq": null, "keyring_seq": 8}'
    finally:
        c.close()


def test_checkpoint_ticks_write_only_when_there_are_new_rows(
    ctx: AppContext, memory_keyring: MemoryKeyring
) -> None:
    """Idle GUI-timer ticks write neither copy; the first tick after new rows writes each
    once. (What a write costs is measured in benchmarks/bench_audit_checkpoint.py.)"""
    install_id = install_id_of(ctx.db)
    assert install_id is not None
    path = checkpoint_path(ctx.paths.database)
    counting = CountingKeyring()
    counting.store = dict(memory_keyring.store)
    keyring.set_keyring(counting)
    mtime = path.stat().st_mtime_ns
    before = read_checkpoint(path, vault_of(ctx.db).chain_key)
    for _ in range(3):  # idle minutes
        report = advance_checkpoint(ctx.db)
        assert report is not None and report.ok and report.checked == 0
    assert counting.writes == [] and path.stat().st_mtime_ns == mtime
    _save(ctx, 1, seed=9)  # a minute with new rows: one write of each copy
    advance_checkpoint(ctx.db)
    assert counting.writes == [keyring_name(install_id)] and path.stat().st_mtime_ns != mtime
    after = read_checkpoint(path, vault_of(ctx.db).chain_key)
    assert before is not None and after is not None and after.seq > before.seq
    advance_checkpoint(ctx.db)  # and the tick after that is idle again
    assert counting.writes == [keyring_name(install_id)]


class CountingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes.append(username)
        super().set_password(service, username, password)
