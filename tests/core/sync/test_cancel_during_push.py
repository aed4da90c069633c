"""A clerk cancels an application while the sync engine has its outbox row in flight:
the cancel withdraws the row, and the engine's answer for a vanished op id
changes nothing — no resurrected row, no "submitted" status, no crash — whatever the
central answered for it."""

from __future__ import annotations

from collections.abc import Callable

from core.applications.service import ApplicationService
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator
from core.models import Status
from core.security.permissions import Role
from tests.core.sync.conftest import MakeEngine, outbox_states, save, statuses
from tests.core.sync.fake_central import FakeCentral
from tests.core.sync.scripted import Reply, Request
from tests.helpers.roles import operator

BATCH = "/v1/applications/batch"


def cancel_on_first_batch(
    ctx: AppContext, central: FakeCentral, app_id: str, errors: list[BaseException]
) -> Callable[[], None]:
    """Make the central's batch endpoint cancel ``app_id`` (as a clerk, through a
    connection of its own, like the GUI's beside the sync thread) when the first batch
    holding it arrives, before answering. Returns a function restoring the route."""
    original = central.routes[("POST", BATCH)]
    done: list[bool] = []

    def batch(req: Request) -> Reply:
        ids = [i["application_id"] for i in req.json()["items"]]
        if app_id in ids and not done:
            done.append(True)
            try:
                gui = open_context(ctx.paths, ctx.clock)
                try:
                    clerk = operator(gui, Role.CLERK)
                    ApplicationService(gui.db, clerk, gui.clock).cancel(app_id, "customer_withdrew")
                finally:
                    gui.close()
            except BaseException as exc:  # reported by the test, not lost in the thread
                errors.append(exc)
        reply: Reply = original(req)
        return reply

    central.routes[("POST", BATCH)] = batch
    return lambda: central.routes.__setitem__(("POST", BATCH), original)


def actions(ctx: AppContext, app_id: str) -> list[str]:
    return [e.action for e in ctx.applications.history(app_id)]


def test_cancel_while_the_batch_is_in_flight_and_the_central_acks_it(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 3)
    central.auto_decide = False
    errors: list[BaseException] = []
    cancel_on_first_batch(enrolled, central, ids[1], errors)
    report = make_engine(batch_size=10).sync_once()
    assert errors == []
    assert central.received == ids  # it was already on the wire: the central has it
    st = statuses(enrolled)
    assert (st[ids[0]], st[ids[1]], st[ids[2]]) == ("submitted", "cancelled", "submitted")
    assert ids[1] not in outbox_states(enrolled)  # the ack found no row: none came back
    assert actions(enrolled, ids[1]) == ["created", "queued", "cancelled"]  # not "submitted"
    assert report.exit_code == 0
    again = make_engine().sync_once()
    assert (again.pushed, again.pending) == (0, 0)  # nothing of the customer goes out again
    assert len(central.received) == 3


def test_cancel_while_a_poison_item_is_hunted_alone(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    """The cancelled item fails alone (500) while the others go through: counting its
    solo failure and the retry find no row; the rest of the run is unaffected."""
    ids = save(enrolled, gen, 3)
    central.auto_decide = False
    central.poison = {ids[2]}
    errors: list[BaseException] = []
    cancel_on_first_batch(enrolled, central, ids[2], errors)
    report = make_engine(batch_size=10, quarantine_after=1, quarantine_window_s=0).sync_once()
    assert errors == []
    st = statuses(enrolled)
    assert (st[ids[0]], st[ids[1]], st[ids[2]]) == ("submitted", "submitted", "cancelled")
    assert outbox_states(enrolled) == {ids[0]: "acked", ids[1]: "acked"}
    assert report.quarantined == 0 and report.acked == 2
    assert ids[2] not in central.received
    assert actions(enrolled, ids[2]) == ["created", "queued", "cancelled"]


def test_cancel_while_the_central_asks_to_retry_it(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 2)
    central.auto_decide = False
    central.retry = {ids[0]}
    errors: list[BaseException] = []
    cancel_on_first_batch(enrolled, central, ids[0], errors)
    make_engine(batch_size=10).sync_once()
    assert errors == []
    assert outbox_states(enrolled) == {ids[1]: "acked"}
    assert statuses(enrolled)[ids[0]] == Status.CANCELLED.value
    later = make_engine().sync_once()
    assert later.pushed == 0 and later.pending == 0


def test_a_decision_for_an_application_cancelled_in_flight_changes_nothing(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    """The central got it before the cancel and decides it: the decision is recorded
    (head office's answer is history) but the application stays cancelled."""
    ids = save(enrolled, gen, 1)
    errors: list[BaseException] = []
    cancel_on_first_batch(enrolled, central, ids[0], errors)  # auto_decide: approved
    report = make_engine().sync_once()
    assert errors == [] and report.exit_code == 0
    assert statuses(enrolled)[ids[0]] == "cancelled"
    assert outbox_states(enrolled) == {}
    assert actions(enrolled, ids[0])[:3] == ["created", "queued", "cancelled"]
