"""Transport faults between the store and the real server (docs/sync-protocol.md,
"What the tests prove"): unreachable, killed mid-batch, reply lost or cut after the
server committed, too slow, dripping, malformed. Each ends with the network healed and
the exactly-once invariant."""

from __future__ import annotations

import pytest

from core.sync import state_keys
from core.sync.engine import SyncOptions
from core.sync.http import Timeouts
from tests.sync_faults.conftest import BATCH, MakeRig, Rig, local_statuses, outbox_rows


def _snapshot(rig: Rig) -> tuple[object, ...]:
    """Everything a failed run must leave alone: applications, outbox rows (attempts
    included), decisions, cursors."""
    db = rig.ctx.db
    return (
        db.execute("SELECT * FROM applications ORDER BY id").fetchall(),
        db.execute("SELECT * FROM outbox ORDER BY rowid").fetchall(),
        db.execute("SELECT * FROM decisions ORDER BY application_id").fetchall(),
        db.execute("SELECT * FROM audit_log ORDER BY rowid").fetchall(),
        rig.ctx.sync.sync_state().pending if rig.ctx.sync else None,
        [
            db.execute("SELECT value FROM sync_state WHERE key = ?", [k]).fetchone()
            for k in (
                state_keys.DECISIONS_CURSOR,
                state_keys.CATALOG_CURSOR,
                state_keys.SERVER_EPOCH,
            )
        ],
    )


def test_server_down_nothing_lost_next_sync_delivers(rig: Rig) -> None:
    ids = rig.save(8)
    rig.proxy.down()  # connection refused: nothing was sent
    before = _snapshot(rig)
    report = rig.sync()
    assert not report.online and report.acked == 0 and report.pushed == 0
    assert [e.code for e in report.errors] == ["SYNC_UNREACHABLE"]
    assert report.next_attempt_in is not None and report.next_attempt_in >= 0
    assert _snapshot(rig) == before, "an unreachable server changed local state"
    state = rig.ctx.sync.sync_state() if rig.ctx.sync else None
    assert state is not None and state.online is False and state.pending == 8
    assert "cannot be reached" in state.message("en")
    assert rig.view().apps == {}

    # the proxy is up but the server behind it is gone: the gateway resets the
    # connection after the request was sent (outcome unknown, still nothing lost)
    rig.proxy.up()
    rig.srv.kill()
    report = rig.sync()
    assert report.acked == 0 and report.errors
    assert rig.proxy.counts().get("upstream_refused", 0) >= 1
    assert {r.state for r in outbox_rows(rig.ctx)} == {"pending"}

    rig.restart_server()
    healed = rig.heal()
    assert healed[0].acked == 8 and healed[0].exit_code == 0
    view = rig.assert_exactly_once(saved=8)
    assert view.duplicates == 0 and set(view.apps) == set(ids)


@pytest.mark.parametrize("k", [0, 4])
def test_server_killed_mid_batch_first_k_come_back_as_duplicates(rig: Rig, k: int) -> None:
    rig.save(10)
    rig.srv.faults(die_after_items=k)  # commits k items, then os._exit(1) before replying
    report = rig.sync()
    assert report.acked == 0 and report.errors
    assert report.errors[0].code == "SYNC_OUTCOME_UNKNOWN"
    assert rig.srv.wait_exit() == 1
    assert len(rig.view().apps) == k
    assert {r.state for r in outbox_rows(rig.ctx)} == {"pending"}
    assert set(local_statuses(rig.ctx).values()) == {"queued"}

    rig.restart_server()
    healed = rig.heal()
    assert healed[0].acked == 10
    view = rig.assert_exactly_once(saved=10)
    assert view.duplicates == k  # the first k were resent and recognised


@pytest.mark.parametrize("forward_bytes", [0, 300], ids=["reply-lost", "reply-truncated"])
def test_connection_cut_after_the_server_committed(rig: Rig, forward_bytes: int) -> None:
    rig.save(10)
    rig.proxy.cut_after_request(BATCH, forward_bytes=forward_bytes)
    before = _snapshot(rig)
    report = rig.sync()
    assert report.acked == 0 and report.pushed == 10
    assert report.errors[0].code == "SYNC_OUTCOME_UNKNOWN"
    assert rig.proxy.counts()["cut"] == 1
    assert len(rig.view().apps) == 10, "the server should have committed the batch"
    assert _snapshot(rig) == before, "an unknown outcome changed local state"

    healed = rig.heal()
    assert healed[0].acked == 10
    view = rig.assert_exactly_once(saved=10)
    assert view.duplicates == 10


def test_malformed_json_with_status_200_changes_nothing_then_resends(rig: Rig) -> None:
    rig.save(10)
    rig.srv.faults(malformed_reply=True)  # the server commits, the body is cut in half
    before = _snapshot(rig)
    report = rig.sync()
    assert report.acked == 0 and report.online
    assert report.errors[0].code == "SYNC_MALFORMED_RESPONSE"
    assert _snapshot(rig) == before
    assert len(rig.view().apps) == 10

    healed = rig.heal()
    assert healed[0].acked == 10
    assert rig.assert_exactly_once(saved=10).duplicates == 10


def test_slow_reply_past_the_read_timeout_server_commits_anyway(make_rig: MakeRig) -> None:
    rig = make_rig(timeouts=Timeouts(connect=2.0, read=1.0, deadline=4.0))
    rig.save(10)
    rig.srv.faults(slow_reply_seconds=3.0)
    report = rig.sync()
    assert report.acked == 0 and report.errors[0].code == "SYNC_OUTCOME_UNKNOWN"
    # the 1 s read timeout ended the wait, before the reply (3 s) or the deadline (4 s)
    assert report.errors[0].params["detail"] == "timed out", report.errors[0].params
    assert {r.state for r in outbox_rows(rig.ctx)} == {"pending"}
    assert len(rig.view().apps) == 10

    healed = rig.heal()
    assert healed[0].acked == 10
    assert rig.assert_exactly_once(saved=10).duplicates == 10


def test_proxy_delay_past_the_read_timeout(make_rig: MakeRig) -> None:
    rig = make_rig(timeouts=Timeouts(connect=2.0, read=0.5, deadline=3.0))
    rig.save(5)
    rig.proxy.delay(1.5)  # the network holds every reply
    report = rig.sync()
    assert report.acked == 0 and report.errors[0].code == "SYNC_OUTCOME_UNKNOWN"
    assert len(rig.view().apps) == 5
    rig.heal()
    assert rig.assert_exactly_once(saved=5).duplicates == 5


def test_one_byte_a_second_trips_the_overall_deadline(make_rig: MakeRig) -> None:
    # every read gets a byte within 1 s, so the 2 s read timeout never fires: only the
    # call's overall deadline ends it
    rig = make_rig(
        timeouts=Timeouts(connect=2.0, read=2.0, deadline=3.0), options=SyncOptions(heartbeat=True)
    )
    rig.save(5)
    rig.srv.faults(drip_bytes_per_second=1)
    report = rig.sync()
    assert report.acked == 0 and report.errors[0].code == "SYNC_OUTCOME_UNKNOWN"
    # a byte a second keeps every read alive: only the call's deadline can end it
    assert report.errors[0].params["detail"] == "deadline passed", report.errors[0].params
    assert report.errors[0].params["status"] == 200  # the reply had begun
    assert {r.state for r in outbox_rows(rig.ctx)} == {"pending"}
    assert len(rig.view().apps) == 5

    healed = rig.heal()
    assert healed[0].acked == 5
    assert rig.assert_exactly_once(saved=5).duplicates == 5
    rig.srv.kill()  # the server would drip the abandoned reply for minutes
