"""What the real server answers, and what the client makes of it (docs/sync-protocol.md,
"Time limits, answers and retries"): Retry-After,
503/500 and the poison hunt, 413, a refused item, 401, 403, a server restored from a
backup, a PC clock days ahead or a year behind. Each ends with the exactly-once
invariant."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.store.sync_repo import SyncRepo
from core.store.vault import vault_of
from core.sync import state_keys, tokens
from core.sync.engine import SyncOptions
from core.sync.payload import sealed
from core.sync.report import EXIT_PAUSED
from tests.sync_faults.conftest import BATCH, MakeRig, Rig, local_statuses, outbox_rows


def _svc(rig: Rig):  # type: ignore[no-untyped-def]
    assert rig.ctx.sync is not None
    return rig.ctx.sync


# --- 429 / 503 with Retry-After ---------------------------------------------------------------
def test_429_retry_after_is_waited_out_on_the_monotonic_clock(rig: Rig) -> None:
    rig.save(10)
    engine = rig.engine()  # one engine across runs, like `sync --loop` and the GUI
    rig.srv.faults(batch_status=429, retry_after=30)
    first = engine.sync_once()
    assert [e.code for e in first.errors] == ["SYNC_RETRY_AFTER"]
    assert first.next_attempt_in is not None and first.next_attempt_in >= 30
    assert first.acked == 0 and len(rig.view().apps) == 0
    sent = len(rig.proxy.requests(BATCH))

    rig.mono.advance(29.0)  # not yet: nothing is sent
    early = engine.sync_once()
    assert early.waiting and early.exit_code == 1 and early.pushed == 0
    assert early.next_attempt_in == pytest.approx(1.0)
    assert [n.code for n in early.notices] == ["SYNC_WAITING"]
    assert len(rig.proxy.requests(BATCH)) == sent

    rig.mono.advance(1.5)
    late = engine.sync_once()
    assert not late.waiting and late.acked == 10 and late.exit_code == 0
    rig.heal()
    assert rig.assert_exactly_once(saved=10).duplicates == 0


def test_503_with_retry_after_three_times_then_200(rig: Rig) -> None:
    """Each run is a new engine (a scheduled `sync` task): the wait survives in the
    database on the wall clock."""
    rig.save(10)
    rig.srv.faults(batch_status=503, retry_after=20, times=3)
    waits: list[float] = []
    for _ in range(3):
        report = rig.sync()
        assert [e.code for e in report.errors] == ["SYNC_RETRY_AFTER"]
        assert report.next_attempt_in is not None and report.next_attempt_in >= 20
        waits.append(report.next_attempt_in)
        rig.pass_time(19.0)
        assert rig.sync().waiting  # still inside the server's window: nothing sent
        rig.pass_time(report.next_attempt_in - 19.0 + 0.5)
    assert len(rig.proxy.requests(BATCH)) == 3
    done = rig.sync()
    assert done.acked == 10 and done.exit_code == 0 and not done.waiting
    assert len(rig.proxy.requests(BATCH)) == 4
    rig.heal()
    assert rig.assert_exactly_once(saved=10).duplicates == 0


def test_503_without_retry_after_splits_backs_off_and_delivers(rig: Rig) -> None:
    ids = rig.save(10)
    rig.srv.faults(batch_status=503, times=5)  # 10 -> 5 -> 3 -> 2 -> 1 items, all refused
    report = rig.sync()
    assert report.acked == 9 and report.quarantined == 0
    states = {r.application_id: r.state for r in outbox_rows(rig.ctx)}
    assert states[ids[0]] == "pending" and list(states.values()).count("acked") == 9
    row = rig.ctx.db.execute(
        "SELECT solo_failures, next_attempt_at, last_http_status FROM outbox "
        "WHERE application_id = ?",
        [ids[0]],
    ).fetchone()
    assert row[0] == 1 and row[2] == 503
    assert row[1] > rig.clock.now().timestamp() - 1  # scheduled by the backoff
    rig.heal()
    assert rig.assert_exactly_once(saved=10).duplicates == 0


# --- 500 and a poison item ----------------------------------------------------------------------
def test_poison_item_is_quarantined_after_k_failures_over_the_window(
    make_rig: MakeRig, tmp_path: Path
) -> None:
    rig = make_rig(options=SyncOptions(quarantine_after=3, quarantine_window_s=3600.0))
    ids = rig.save(10)
    poison = ids[3]
    rig.srv.faults(batch_status=500, poison_application_id=poison)  # until disarmed
    first = rig.sync()
    assert first.acked == 9 and first.quarantined == 0  # the rest moved on
    assert len(rig.view().apps) == 9

    later = rig.save(5)  # the queue keeps moving past the poison
    quarantined_at = None
    for run in range(2, 5):
        rig.pass_time(31 * 60)  # K failures must span the window, not a burst
        report = rig.sync()
        if run == 2:
            assert report.acked == 5 and report.quarantined == 0
        if report.quarantined:
            quarantined_at = run
            break
    assert quarantined_at == 3  # third failure alone, 62 minutes after the first
    svc = _svc(rig)
    problems = svc.quarantined_items()
    assert [p.application_id for p in problems] == [poison]
    assert problems[0].code == "SYNC_ITEM_QUARANTINED" and problems[0].last_http_status == 500
    assert problems[0].customer_name and "kept aside" in problems[0].text("en")
    assert problems[0].error["cause"] == "SYNC_SERVER_ERROR"
    assert svc.sync_state().quarantined == 1
    assert svc.export_quarantined(tmp_path / "q.jsonl") == 1
    exported = json.loads((tmp_path / "q.jsonl").read_text(encoding="utf-8"))
    assert exported["application_id"] == poison and exported["payload"]
    assert local_statuses(rig.ctx)[poison] == "queued"

    # the server is fixed, nothing else is sent in between: the poison stays aside
    rig.srv.faults()
    rig.pass_time(3600)
    assert rig.sync().pushed == 0
    view = rig.assert_exactly_once(saved=15)
    assert poison not in view.apps and set(later) <= set(view.apps)

    # IT requeues it: it arrives, once
    assert svc.requeue(problems[0].op_id)
    rig.heal()
    view = rig.assert_exactly_once(saved=15)
    assert poison in view.apps and view.duplicates == 0


# --- 413 ----------------------------------------------------------------------------------------
def test_413_halves_the_batch_until_it_fits(make_rig: MakeRig) -> None:
    rig = make_rig("--max-body-bytes", "40000", options=SyncOptions(batch_size=40))
    rig.save(40)  # about 70 kB in one batch (each carries its consent and receipt inputs)
    report = rig.sync()
    assert report.acked == 40 and report.exit_code == 0
    statuses = [status for _, status in rig.proxy.replies(BATCH)]
    assert statuses[0] == 413 and set(statuses) == {200, 413}, statuses
    assert statuses.count(413) <= 3 and statuses[-1] == 200  # 40 -> 20 -> 10 at most
    rig.heal()
    assert rig.assert_exactly_once(saved=40).duplicates == 0


# --- one item the server refuses --------------------------------------------------------------
def _tamper_phone(rig: Rig, app_id: str) -> None:
    """The stored payload now carries a phone number the server's validation refuses
    (as if the rules had changed since the store checked it); sealed again so the
    sha256 matches and only validation can refuse it."""
    [item] = [i for i in SyncRepo(rig.ctx.db).items("pending") if i.application_id == app_id]
    payload = json.loads(item.payload)  # stored encrypted: read and written through the vault
    payload["application"]["customer"]["phone"] = "12345"
    text, sha = sealed(payload)
    token = vault_of(rig.ctx.db).seal("outbox", "payload", item.op_id, text)
    with rig.ctx.db.atomic():
        rig.ctx.db.execute(
            "UPDATE outbox SET payload = ?, payload_sha256 = ? WHERE op_id = ?",
            [token, sha, item.op_id],
        )


def test_one_invalid_item_among_ten_is_rejected_with_reasons(rig: Rig) -> None:
    ids = rig.save(10)
    bad = ids[4]
    _tamper_phone(rig, bad)
    report = rig.sync()
    assert (report.acked, report.rejected) == (9, 1)
    assert report.exit_code == 1  # a problem the user must see
    svc = _svc(rig)
    rejected = svc.rejected_items()
    assert [p.application_id for p in rejected] == [bad]
    item = rejected[0]
    assert item.code == "SYNC_ITEM_INVALID" and item.customer_name
    reasons = item.error["reasons"]
    assert reasons and reasons[0]["field"].endswith("phone") and reasons[0]["message"]
    assert reasons[0]["message"] in item.text("zh_CN")
    assert svc.sync_state().rejected == 1
    assert local_statuses(rig.ctx)[bad] == "queued"

    again = rig.sync()
    assert again.pushed == 0  # never resent
    rig.heal()
    view = rig.assert_exactly_once(saved=10)
    assert bad not in view.apps and view.counters["invalid"] == 1


# --- 401 / 403 ----------------------------------------------------------------------------------
def test_wrong_token_pauses_until_enrolled_again(rig: Rig) -> None:
    rig.save(5)
    tokens.save_token(rig.device_id, "not-the-device-token")
    report = rig.sync()
    assert report.paused == "REENROLL_NEEDED" and report.exit_code == EXIT_PAUSED
    svc = _svc(rig)
    state = svc.sync_state()
    assert state.paused_reason == "REENROLL_NEEDED"
    assert "enroll this PC again" in state.message("en")
    assert "重新注册" in state.message("zh_CN")

    more = rig.save(3)  # capture goes on
    assert all(local_statuses(rig.ctx)[i] == "queued" for i in more)
    sent = rig.proxy.counts()["requests"]
    paused = rig.sync()
    assert paused.paused == "REENROLL_NEEDED" and paused.pushed == 0
    assert rig.proxy.counts()["requests"] == sent  # a paused sync calls nobody

    svc.enroll(rig.proxy.url, rig.store, rig.srv.add_store(rig.store), timeouts=rig.timeouts)
    assert svc.sync_state().paused_reason is None
    healed = rig.heal()
    assert healed[0].acked == 8
    assert rig.assert_exactly_once(saved=8).duplicates == 0


def test_401_mid_drain_keeps_what_was_acked(make_rig: MakeRig) -> None:
    rig = make_rig(options=SyncOptions(batch_size=5))
    rig.save(15)
    engine = rig.engine()

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "push" and done == 5:  # the token is revoked between two batches
            engine.http.token = "revoked-meanwhile"

    report = engine.sync_once(progress)
    assert report.paused == "REENROLL_NEEDED" and report.acked == 5
    assert [r.state for r in outbox_rows(rig.ctx)].count("acked") == 5
    assert len(rig.view().apps) == 5
    svc = _svc(rig)
    svc.enroll(rig.proxy.url, rig.store, rig.srv.add_store(rig.store), timeouts=rig.timeouts)
    rig.heal()
    assert rig.assert_exactly_once(saved=15).duplicates == 0


def test_revoked_device_stops_keeps_data_until_enrolled_again(rig: Rig) -> None:
    rig.save(4)
    assert rig.sync().acked == 4
    rig.srv.revoke(rig.device_id)
    rig.save(3)
    report = rig.sync()
    assert report.paused == "DEVICE_REVOKED" and report.exit_code == EXIT_PAUSED
    svc = _svc(rig)
    state = svc.sync_state()
    assert state.paused_reason == "DEVICE_REVOKED" and "revoked" in state.message("en")
    assert state.pending == 3 and len(local_statuses(rig.ctx)) == 7  # data kept
    assert rig.sync().pushed == 0

    rig.srv.cli("release", rig.device_id)  # head office lets it back; enrolling alone does not
    svc.enroll(rig.proxy.url, rig.store, rig.srv.add_store(rig.store), timeouts=rig.timeouts)
    rig.heal()
    assert rig.assert_exactly_once(saved=7).duplicates == 0


# --- the server restored from a backup ----------------------------------------------------------
@pytest.mark.parametrize("noticed_in", ["decisions", "batch"])
def test_server_epoch_change_repushes_undecided_still_exactly_once(
    rig: Rig, noticed_in: str
) -> None:
    rig.save(10)
    rig.srv.faults(path="/v1/decisions", batch_status=503)  # acked, decisions not pulled
    first = rig.sync()
    assert first.acked == 10 and first.decisions == 0 and first.errors
    assert set(local_statuses(rig.ctx).values()) == {"submitted"}
    old_epoch = rig.ctx.db.execute(
        "SELECT value FROM sync_state WHERE key = ?", [state_keys.SERVER_EPOCH]
    ).fetchone()[0]

    new_epoch = rig.srv.new_epoch()
    assert new_epoch != old_epoch
    fresh = rig.save(5) if noticed_in == "batch" else []  # first seen in a batch reply
    report = rig.sync()
    assert report.repushed == 10
    assert [n.code for n in report.notices] == ["SYNC_EPOCH_CHANGED"]
    assert report.exit_code == 0 and report.decisions == 10 + len(fresh)
    rig.heal()
    view = rig.assert_exactly_once(saved=10 + len(fresh))
    assert view.duplicates == 10  # re-pushed, recognised, never created twice


# --- the PC clock is wrong ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "skew", [timedelta(days=3), timedelta(days=-365)], ids=["3-days-ahead", "a-year-behind"]
)
def test_wrong_pc_clock_sync_works_and_warns(make_rig: MakeRig, skew: timedelta) -> None:
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0) + skew)
    rig = make_rig(clock=clock)
    rig.save(6)
    report = rig.sync()
    assert report.acked == 6 and report.exit_code == 0
    assert report.clock_offset_s is not None
    assert report.clock_offset_s == pytest.approx(-skew.total_seconds(), abs=120)
    skews = [n for n in report.notices if n.code == "SYNC_CLOCK_SKEW"]
    assert skews and skews[0].params["minutes"] == pytest.approx(
        abs(skew.total_seconds()) / 60, abs=2
    )
    state = _svc(rig).sync_state()
    assert state.clock_offset_s == pytest.approx(report.clock_offset_s)
    rig.heal()
    assert rig.assert_exactly_once(saved=6).duplicates == 0


def test_retry_after_set_while_the_clock_was_hours_ahead_is_not_stretched(rig: Rig) -> None:
    """The PC clock was 8 h ahead (a time-zone mistake) when the server said "come back
    in 2 minutes"; IT then corrects the clock. The next process (a scheduled `sync`, a
    restarted GUI) must not wait 8 hours: a stored wait longer than the server ever
    asked for was set by a clock since wound back, and is over (as outbox rows
    scheduled by such a clock are due: SyncRepo.due_page)."""
    rig.save(3)
    rig.clock.advance(timedelta(hours=8))
    rig.srv.faults(batch_status=429, retry_after=120)
    first = rig.sync()
    assert first.errors[0].code == "SYNC_RETRY_AFTER"
    same_clock = rig.sync()  # honoured while the clock is unchanged
    assert same_clock.waiting and same_clock.next_attempt_in == pytest.approx(120, abs=1)
    rig.clock.advance(timedelta(hours=-8))  # the clock is set right
    later = rig.sync()
    assert not later.waiting and later.acked == 3, later.to_json("en")
    rig.heal()
    assert rig.assert_exactly_once(saved=3).duplicates == 0
