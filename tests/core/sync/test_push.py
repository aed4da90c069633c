"""Pushing the outbox against a scriptable central on a real socket: batches, per-item
results, the poison hunt, quarantine, pauses and waits."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from core.clock import FixedClock
from core.context import AppContext
from core.demo_data import DemoGenerator
from core.sync import state_keys
from tests.core.sync.conftest import MakeEngine, outbox_states, save, statuses
from tests.core.sync.fake_central import FakeCentral
from tests.core.sync.scripted import Reply

BATCH = "/v1/applications/batch"


def test_push_acks_in_batches_oldest_first_and_submits(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 23)
    central.auto_decide = False
    seen: list[tuple[str, int, int]] = []
    report = make_engine(batch_size=10).sync_once(lambda *a: seen.append(a))
    assert central.batch_sizes() == [10, 10, 3]
    assert central.received == ids  # oldest first
    assert (report.pushed, report.acked, report.pending, report.exit_code) == (23, 23, 0, 0)
    assert set(statuses(enrolled).values()) == {"submitted"}
    assert set(outbox_states(enrolled).values()) == {"acked"}
    assert ("push", 23, 23) in seen
    events = [(e.action, e.to_status) for e in enrolled.applications.history(ids[0])]
    assert events[-1] == ("submitted", "submitted")
    assert make_engine().sync_once().pushed == 0  # nothing left to send
    assert enrolled.sync is not None and enrolled.sync.last_sync_at() is not None


def test_item_results_rejected_conflict_retry_and_missing(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 6)
    central.invalid, central.conflict = {ids[1]}, {ids[2]}
    central.retry, central.drop = {ids[3]}, {ids[4]}
    report = make_engine().sync_once()
    assert (report.acked, report.rejected, report.retried) == (2, 2, 2)
    assert report.exit_code == 1
    states = outbox_states(enrolled)
    assert [states[i] for i in ids] == [
        "acked",
        "rejected",
        "rejected",
        "pending",
        "pending",
        "acked",
    ]
    st = statuses(enrolled)
    assert st[ids[1]] == st[ids[2]] == "queued"  # refused: no status change, shown instead
    assert enrolled.sync is not None
    rejected = {p.application_id: p for p in enrolled.sync.rejected_items()}
    assert set(rejected) == {ids[1], ids[2]}
    invalid = rejected[ids[1]]
    assert invalid.code == "SYNC_ITEM_INVALID" and invalid.error["reasons"][0]["code"] == (
        "PHONE_INVALID"
    )
    assert "手机号无效" in invalid.text("zh_CN") and invalid.customer_name
    assert rejected[ids[2]].code == "SYNC_ITEM_CONFLICT"
    # the retried ones wait for their backoff, then go again; the rejected never do
    central.retry, central.drop = set(), set()
    enrolled.clock.advance(timedelta(minutes=16))  # type: ignore[attr-defined]
    again = make_engine().sync_once()
    assert again.acked == 2 and outbox_states(enrolled)[ids[1]] == "rejected"
    assert central.received.count(ids[1]) == 0


def test_413_halves_the_batch(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 20)
    central.max_items = 6
    report = make_engine(batch_size=20).sync_once()
    assert report.acked == 20 and report.exit_code == 0
    sizes = central.batch_sizes()
    assert sizes[0] == 20 and max(sizes[sizes.index(10) :]) <= 10
    assert sorted(central.received) == sorted(ids)


def test_a_poison_item_is_isolated_and_the_rest_goes_through(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 16)
    central.poison = {ids[5]}
    report = make_engine(batch_size=16).sync_once()
    assert report.acked == 15 and set(central.received) == set(ids) - {ids[5]}
    assert len(central.batch_sizes()) <= 12  # a bisection, not one request per item
    row = enrolled.sync.quarantined_items() if enrolled.sync else []
    assert row == []  # one failure is not enough
    failures = enrolled.db.execute(
        "SELECT solo_failures, state FROM outbox WHERE application_id = ?", [ids[5]]
    ).fetchone()
    assert failures == (1, "pending")


def test_quarantine_after_k_failures_spanning_the_window(
    enrolled: AppContext,
    gen: DemoGenerator,
    central: FakeCentral,
    make_engine: MakeEngine,
    clock: FixedClock,
) -> None:
    ids = save(enrolled, gen, 3)
    central.poison = {ids[0]}
    engine = make_engine(quarantine_after=3, quarantine_window_s=3600)

    def state() -> tuple[str, int]:
        row = enrolled.db.execute(
            "SELECT state, solo_failures FROM outbox WHERE application_id = ?", [ids[0]]
        ).fetchone()
        return str(row[0]), int(row[1])

    for minute in (0, 16, 32, 48):  # K failures reached at 32 min, but within the hour
        report = engine.sync_once()
        assert report.quarantined == 0 and state()[0] == "pending", minute
        clock.advance(timedelta(minutes=16))  # past any backoff (15 min cap)
    report = engine.sync_once()  # 64 min after the first failure
    assert report.quarantined == 1 and state() == ("quarantined", 5)
    assert report.exit_code == 1
    assert enrolled.sync is not None
    [item] = enrolled.sync.quarantined_items()
    assert item.application_id == ids[0] and item.code == "SYNC_ITEM_QUARANTINED"
    assert "5" in item.text("en") and "kept aside" in item.text("en")
    assert set(central.received) == set(ids[1:])  # the rest moved on from the first run
    sent_before = len(central.batch_sizes())
    clock.advance(timedelta(minutes=16))
    assert engine.sync_once().pushed == 0 and len(central.batch_sizes()) == sent_before
    out = enrolled.paths.data_dir / "quarantine.jsonl"
    assert enrolled.sync.export_quarantined(out) == 1
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["payload"]["application_id"] == ids[0]
    central.poison = set()
    assert enrolled.sync.requeue(item.op_id)
    assert engine.sync_once().acked == 1


def test_an_outage_of_500s_quarantines_nothing(
    enrolled: AppContext,
    gen: DemoGenerator,
    central: FakeCentral,
    make_engine: MakeEngine,
    clock: FixedClock,
) -> None:
    ids = save(enrolled, gen, 4)
    central.poison = set(ids)  # every batch fails: the server is broken, not an item
    engine = make_engine(quarantine_after=1, quarantine_window_s=0, heartbeat=False)
    for _ in range(4):
        report = engine.sync_once()
        assert report.exit_code == 1 and report.errors[0].code == "SYNC_SERVER_ERROR"
        clock.advance(timedelta(minutes=20))
    assert set(outbox_states(enrolled).values()) == {"pending"}
    solo = enrolled.db.execute("SELECT max(solo_failures) FROM outbox").fetchone()[0]
    assert solo == 0


def test_retry_after_is_honoured_without_sleeping(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    save(enrolled, gen, 2)
    now = [1000.0]
    engine = make_engine(monotonic=lambda: now[0])
    central.queue(
        "POST",
        BATCH,
        Reply(429, {"error": {"code": "SLOW", "message": "x"}}, {"Retry-After": "120"}),
    )
    report = engine.sync_once()
    assert report.errors[0].code == "SYNC_RETRY_AFTER" and report.next_attempt_in is not None
    assert report.next_attempt_in >= 120
    calls = len(central.requests)
    now[0] += 60
    waiting = engine.sync_once()
    assert waiting.waiting and len(central.requests) == calls  # nothing sent meanwhile
    assert 59 <= (waiting.next_attempt_in or 0) <= 60
    now[0] += 61
    assert engine.sync_once().acked == 2


def test_unreachable_server_leaves_everything_pending(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    save(enrolled, gen, 3)
    engine = make_engine()
    central.close()
    report = engine.sync_once()
    assert report.exit_code == 1 and not report.online
    assert report.errors[0].code == "SYNC_UNREACHABLE"
    assert set(outbox_states(enrolled).values()) == {"pending"}
    assert report.next_attempt_in is not None and 0 <= report.next_attempt_in <= 2
    assert enrolled.sync is not None
    status = enrolled.sync.sync_state()
    assert status.online is False and status.pending == 3
    assert "cannot be reached" in status.message("en")


def test_401_pauses_sync_and_capture_goes_on(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    save(enrolled, gen, 2)
    central.auth_status = 401
    report = make_engine().sync_once()
    assert report.paused == "REENROLL_NEEDED" and report.exit_code == 4
    assert "enroll" in report.summary("en")
    calls = len(central.requests)
    assert make_engine().sync_once().paused == "REENROLL_NEEDED"
    assert len(central.requests) == calls  # paused: no network at all
    save(enrolled, gen, 1)  # the clerk keeps working
    assert enrolled.sync is not None
    assert enrolled.sync.sync_state().paused_reason == "REENROLL_NEEDED"
    assert "401" in enrolled.sync.sync_state().message("en")
    central.auth_status = None
    enrolled.sync.enroll(central.url, "S001", "CODE-1234")  # IT enrolls again
    assert make_engine().sync_once().acked == 3


def test_403_pauses_as_revoked(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    save(enrolled, gen, 1)
    central.auth_status = 403
    report = make_engine().sync_once()
    assert report.paused == "DEVICE_REVOKED" and report.exit_code == 4
    assert enrolled.sync is not None
    assert "revoked" in enrolled.sync.sync_state().message("en")
    assert set(outbox_states(enrolled).values()) == {"pending"}


def test_a_clock_wound_back_does_not_stall_the_queue(
    enrolled: AppContext,
    gen: DemoGenerator,
    central: FakeCentral,
    make_engine: MakeEngine,
    clock: FixedClock,
) -> None:
    ids = save(enrolled, gen, 2)
    central.retry = set(ids)
    make_engine().sync_once()  # both get a next attempt a little in the future
    central.retry = set()
    clock.advance(timedelta(days=-365))  # someone set the PC clock a year back
    assert make_engine().sync_once().acked == 2


def test_cancel_between_batches(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    save(enrolled, gen, 30)
    sent = central.batch_sizes
    report = make_engine(batch_size=10).sync_once(cancel=lambda: len(sent()) >= 1)
    assert report.cancelled and report.acked == 10 and report.pending == 20
    assert (
        enrolled.db.execute(
            "SELECT value FROM sync_state WHERE key = ?", [state_keys.LAST_SYNC_AT]
        ).fetchone()
        is None
    )


def test_a_zero_quarantine_window_is_not_missed_across_a_millisecond(
    enrolled: AppContext,
    gen: DemoGenerator,
    central: FakeCentral,
    make_engine: MakeEngine,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The clock moves between reads (0.6 ms a read here, crossing millisecond marks):
    a first failure recorded "now" must not look like it happened after "now"."""
    import itertools

    ids = save(enrolled, gen, 2)
    central.poison = {ids[1]}
    base = clock.now().replace(microsecond=900)
    ticks = itertools.count()
    monkeypatch.setattr(clock, "now", lambda: base + timedelta(microseconds=600 * next(ticks)))
    report = make_engine(quarantine_after=1, quarantine_window_s=0, heartbeat=False).sync_once()
    assert (report.acked, report.quarantined) == (1, 1)
