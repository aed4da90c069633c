"""An acked upload's payload leaves the file once head office has decided the
application (its sha256 stays as the receipt); an acked row still waiting for its
decision, and a pending one, keep theirs (the epoch re-push sends them). Migration 0010
does the same, once, for rows an older build left behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator
from core.store.sync_repo import SyncRepo
from tests.core.sync.conftest import MakeEngine, outbox_states, save
from tests.core.sync.fake_central import FakeCentral

MIGRATION = "0010_drop_decided_acked_payloads"


def _tokens(ctx: AppContext) -> dict[str, str]:
    """application id -> the payload column as stored (the sealed token, or '')."""
    return dict(ctx.db.execute("SELECT application_id, payload FROM outbox").fetchall())


def _raw_bytes(ctx: AppContext) -> bytes:
    """The database file and its WAL as they are on disk, after a checkpoint (the old
    page versions in the WAL are copied in and the WAL emptied)."""
    busy = ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    assert busy == 0
    db = Path(ctx.db.conn.execute("PRAGMA database_list").fetchone()[2])
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_a_decided_acked_payload_is_gone_from_the_file_an_undecided_one_stays(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 3)
    central.auto_decide = False
    make_engine(batch_size=2).sync_once()
    assert set(outbox_states(enrolled).values()) == {"acked"}
    before = _tokens(enrolled)
    assert all(t.startswith("v1:") for t in before.values())  # acked, undecided: kept
    shas = {i.application_id: i.payload_sha256 for i in SyncRepo(enrolled.db).items("acked")}
    raw = _raw_bytes(enrolled)
    assert all(before[i].encode() in raw for i in ids)

    central.decide(ids[0], "approved")
    central.decide(ids[1], "declined")
    assert make_engine().sync_once().decisions == 2

    after = _tokens(enrolled)
    assert after[ids[0]] == after[ids[1]] == ""
    assert after[ids[2]] == before[ids[2]]  # still undecided: kept for an epoch re-push
    raw = _raw_bytes(enrolled)
    assert before[ids[0]].encode() not in raw and before[ids[1]].encode() not in raw
    assert before[ids[2]].encode() in raw
    # the receipt stays; the blanked payload reads back as the empty payload
    items = {i.application_id: i for i in SyncRepo(enrolled.db).items("acked")}
    assert {a: i.payload_sha256 for a, i in items.items()} == shas
    assert items[ids[0]].payload == "{}"
    full = items[ids[2]].payload
    assert hashlib.sha256(full.encode("utf-8")).hexdigest() == shas[ids[2]]
    # nothing sends a dropped payload again: an epoch change re-pends the undecided only
    central.epoch = "epoch-2"  # restored from a backup that lacks the undecided one
    del central.apps[ids[2]]
    report = make_engine().sync_once()
    assert report.repushed == 1 and report.rejected == 0
    assert central.received.count(ids[2]) == 2 and central.received.count(ids[0]) == 1
    assert central.apps[ids[2]] == shas[ids[2]]
    assert set(outbox_states(enrolled).values()) == {"acked"}
    # and the application's history still reads
    assert [e.action for e in enrolled.applications.history(ids[0])][-1] == "decided"


def test_a_decision_that_settles_a_pending_row_drops_its_payload(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    """The ack was lost, the decision arrives: the row is acked and its payload goes in
    the same transaction."""
    [app_id, other] = save(enrolled, gen, 2)
    central.retry = {app_id, other}
    central.apps[app_id] = "stored"
    central.decide(app_id, "approved")
    make_engine().sync_once()
    assert outbox_states(enrolled) == {app_id: "acked", other: "pending"}
    tokens = _tokens(enrolled)
    assert tokens[app_id] == "" and tokens[other].startswith("v1:")


def test_migration_0010_blanks_decided_acked_rows_an_older_build_left_once(
    tmp_path: Path, clock: FixedClock, gen: DemoGenerator
) -> None:
    paths = resolve_paths(tmp_path / "old")
    ctx = open_context(paths, clock)
    ids = save(ctx, gen, 4)
    at = clock.now().isoformat()
    with ctx.db.atomic():  # as the build before 0010 left them: acked, decided, payload kept
        ctx.db.execute(
            "UPDATE outbox SET state = 'acked', acked_at = ? WHERE application_id IN (?, ?)",
            [at, ids[0], ids[1]],
        )
        for seq, app_id in enumerate((ids[0], ids[2]), start=1):
            ctx.db.execute(
                "INSERT INTO decisions(application_id, decision, approved_amount_fen, score, "
                "reasons, decided_at, seq, received_at) VALUES (?, 'approved', NULL, 700, "
                "'[]', ?, ?, ?)",
                [app_id, at, seq, at],
            )
        ctx.db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATION])
    before = _tokens(ctx)
    assert all(t.startswith("v1:") for t in before.values())
    ctx.close()

    ctx = open_context(paths, clock)  # 0010 runs, after the backup
    try:
        after = _tokens(ctx)
        assert after[ids[0]] == ""  # acked and decided
        assert after[ids[1]] == before[ids[1]]  # acked, no decision yet
        assert after[ids[2]] == before[ids[2]]  # decided but still pending
        assert after[ids[3]] == before[ids[3]]  # pending
        assert [p.name for p in paths.backups.glob(f"*-before-{MIGRATION}.db")]
        # once: recorded, and a later start does not run it again
        ctx.db.execute("UPDATE outbox SET payload = ? WHERE application_id = ?", ["x", ids[0]])
    finally:
        ctx.close()
    ctx = open_context(paths, clock)
    try:
        count = ctx.db.execute(
            "SELECT count(*) FROM _sqlite_migrations WHERE name = ?", [MIGRATION]
        ).fetchone()[0]
        assert count == 1
        assert _tokens(ctx)[ids[0]] == "x"
    finally:
        ctx.close()
