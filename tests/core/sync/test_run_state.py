"""Push and pull work with a SyncRun alone (no engine): built here from the real parts
against the fake central on a real socket, with a transition that records the events
it wrote. Every status change of a sync round goes through the run's transition."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

import core
from core.applications.status import Action, StatusChanged, transition
from core.context import AppContext
from core.demo_data import DemoGenerator
from core.models import Status
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.sync.backoff import Backoff
from core.sync.pull import Puller
from core.sync.push import Pusher
from core.sync.run import SyncOptions, SyncRun
from tests.core.sync.conftest import MakeEngine, save, statuses
from tests.core.sync.fake_central import FakeCentral


class Recording:
    """core.applications.status.transition, keeping the events it wrote."""

    def __init__(self) -> None:
        self.events: list[StatusChanged] = []

    def __call__(
        self,
        repo: Repositories,
        app_id: str,
        to: Status,
        *,
        at: str,
        action: Action,
        operator_id: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> StatusChanged:
        event = transition(
            repo, app_id, to, at=at, action=action, operator_id=operator_id, detail=detail
        )
        self.events.append(event)
        return event


@pytest.fixture
def run(enrolled: AppContext, make_engine: MakeEngine) -> Iterator[SyncRun]:
    http = make_engine().http  # the enrolled device's client (closed by make_engine)
    yield SyncRun(
        db=enrolled.db,
        repo=SyncRepo(enrolled.db),
        apps=Repositories(enrolled.db),
        clock=enrolled.clock,
        http=http,
        options=SyncOptions(batch_size=2),
        backoff=Backoff(rng=random.Random(7)),
        rules=enrolled.rules,
        app_version=core.__version__,
        transition=Recording(),
    )


def test_push_and_pull_with_the_run_state_alone(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, run: SyncRun
) -> None:
    ids = save(enrolled, gen, 3)
    central.decide_as = {ids[1]: "declined"}
    recording = run.transition
    assert isinstance(recording, Recording)

    assert Pusher(run).run() is None
    assert central.batch_sizes() == [2, 1] and central.received == ids
    assert (run.report.acked, run.server_ok) == (3, True)
    assert [
        (e.app_id, e.from_status, e.to_status, e.action, e.operator_id) for e in recording.events
    ] == [(i, Status.QUEUED, Status.SUBMITTED, "submitted", None) for i in ids]
    assert all(e.detail == {"result": "created", "server_rev": 1} for e in recording.events)

    recording.events.clear()
    assert Puller(run).decisions() is None
    assert run.report.decisions == 3
    assert [(e.app_id, e.from_status, e.to_status, e.action) for e in recording.events] == [
        (ids[0], Status.SUBMITTED, Status.APPROVED, "decided"),
        (ids[1], Status.SUBMITTED, Status.DECLINED, "decided"),
        (ids[2], Status.SUBMITTED, Status.APPROVED, "decided"),
    ]
    assert statuses(enrolled) == {ids[0]: "approved", ids[1]: "declined", ids[2]: "approved"}
    history = enrolled.applications.history(ids[1])
    assert [(h.action, h.from_status, h.to_status) for h in history[-2:]] == [
        ("submitted", "queued", "submitted"),
        ("decided", "submitted", "declined"),
    ]


def test_a_decision_whose_ack_was_lost_moves_twice(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, run: SyncRun
) -> None:
    (app_id,) = save(enrolled, gen, 1)
    central.decide(app_id, "approved")  # head office has it; its ack never came back
    recording = run.transition
    assert isinstance(recording, Recording)
    assert Puller(run).decisions() is None
    assert [(e.from_status, e.to_status, e.action, e.detail) for e in recording.events] == [
        (Status.QUEUED, Status.SUBMITTED, "submitted", {"via": "decision"}),
        (
            Status.SUBMITTED,
            Status.APPROVED,
            "decided",
            {
                "decision": "approved",
                "score": 600,
                "approved_amount_fen": 100000,
                "reasons": ["R1"],
            },
        ),
    ]
    assert statuses(enrolled)[app_id] == "approved"
