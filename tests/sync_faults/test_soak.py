"""Soak (on a lossy network): 2,000 applications queued offline, then
drained through a proxy that kills 30% of exchanges at random points (before the
request reaches the server, mid-request, after the server replied). ``sync_once`` is
repeated, bounded in rounds and wall time, until the queue is empty; then everything
is on the server exactly once."""

from __future__ import annotations

import random
import time

import pytest

from core.demo_data import seed_demo
from core.sync.engine import SyncOptions
from core.sync.http import Timeouts
from tests.sync_faults.conftest import MakeRig, outbox_rows

COUNT = 2000
DROP_RATE = 0.3
MAX_ROUNDS = 500
WALL_CAP_S = 75.0


@pytest.mark.slow
def test_soak_2000_applications_through_a_network_dropping_30_percent(
    make_rig: MakeRig,
) -> None:
    rig = make_rig(
        options=SyncOptions(batch_size=25, page_size=200),
        timeouts=Timeouts(connect=2.0, read=10.0, deadline=20.0),
    )
    seeded = seed_demo(rig.ctx.applications, COUNT, 20261204, rig.clock.now(), salespeople=3)
    assert seeded.saved == COUNT
    assert rig.ctx.sync is not None and rig.ctx.sync.pending_count() == COUNT

    rig.proxy.drop_rate(DROP_RATE, random.Random(4242))
    started = time.monotonic()
    rounds = 0
    report = None
    while rounds < MAX_ROUNDS and time.monotonic() - started < WALL_CAP_S:
        report = rig.sync()
        rounds += 1
        assert report.paused is None and report.rejected == 0 and report.quarantined == 0
        if report.pending == 0 and not report.errors:
            break
        if report.waiting or report.retried:
            rig.pass_time(16 * 60)  # a backoff, not a wait worth sleeping in a test
    took = time.monotonic() - started
    assert report is not None and report.pending == 0, (
        f"queue not empty after {rounds} rounds / {took:.0f} s: {report and report.pending}"
    )

    counts = rig.proxy.counts()
    for fate in ("dropped_before", "dropped_mid_request", "dropped_after_reply"):
        assert counts.get(fate, 0) >= 3, counts  # every kind of loss really happened
    dropped = sum(
        counts.get(f, 0) for f in ("dropped_before", "dropped_mid_request", "dropped_after_reply")
    )
    assert 0.15 <= dropped / counts["requests"] <= 0.45, counts

    rig.heal()
    assert {r.state for r in outbox_rows(rig.ctx)} == {"acked"}
    view = rig.assert_exactly_once(saved=COUNT)
    assert len(view.apps) == COUNT
