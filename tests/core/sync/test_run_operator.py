"""A sync run knows who started it: a run started by hand ("Sync now") writes the
status changes and decisions it records on applications with that operator; an
automatic run (the timer, after a save, at start) writes them with none. Head office's
changes to reference data (catalog, blacklists) name no operator either way."""

from __future__ import annotations

from core.admin import AdminService
from core.context import AppContext
from core.demo_data import DemoGenerator
from core.security.permissions import Role
from core.store.audit_repo import AuditRepo
from tests.core.sync.conftest import FAST, MakeEngine, save, statuses
from tests.core.sync.fake_central import FakeCentral
from tests.helpers.roles import operator


def _sync_rows(ctx: AppContext, app_id: str) -> list[tuple[str, str | None]]:
    """(action, operator_id) of the audit rows the sync wrote on ``app_id``."""
    return [
        (str(action), operator_id)
        for action, operator_id in ctx.db.execute(
            "SELECT action, operator_id FROM audit_log WHERE target_id = ? "
            "AND action IN ('submitted', 'decided', 'decision') ORDER BY seq",
            [app_id],
        )
    ]


def test_a_run_by_hand_names_its_operator_an_automatic_one_names_none(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    clerk = operator(enrolled, Role.CLERK)
    by_hand = save(enrolled, gen, 2)
    central.decide_as = {by_hand[0]: "declined"}
    central.catalog = [{"sku": "NEW-1", "name": "新品", "category": "appliance", "price_fen": 1}]
    central.blacklist_add("phone", "13800000001")

    report = AdminService.of(enrolled, clerk).sync_once(manual=True, timeouts=FAST)
    assert (report.acked, report.decisions, report.catalog_changes) == (2, 2, 1)
    assert statuses(enrolled)[by_hand[0]] == "declined"
    who = clerk.operator_id
    assert _sync_rows(enrolled, by_hand[0]) == [("submitted", who), ("decided", who)]
    assert _sync_rows(enrolled, by_hand[1]) == [("submitted", who), ("decided", who)]
    named = [(e.action, e.operator_name) for e in enrolled.applications.history(by_hand[0])]
    assert named[-2:] == [("submitted", "测试clerk"), ("decided", "测试clerk")]
    # the run itself was asked for by the clerk; head office's reference data is its own
    rows = enrolled.db.execute(
        "SELECT action, operator_id FROM audit_log WHERE target_type != 'application'"
    ).fetchall()
    assert ("sync_requested", who) in rows
    assert {a for a, o in rows if o is None} >= {"catalog_updated", "blacklist_updated"}
    assert {a for a, o in rows if o == who} == {"sync_requested"}

    # automatic runs: through the guarded entry the GUI's timer uses, and the engine's own
    automatic = save(enrolled, gen, 2)
    AdminService.of(enrolled, clerk).sync_once(manual=False, timeouts=FAST)
    assert _sync_rows(enrolled, automatic[0]) == [("submitted", None), ("decided", None)]
    engine_run = save(enrolled, gen, 1)
    make_engine().sync_once()
    assert _sync_rows(enrolled, engine_run[0]) == [("submitted", None), ("decided", None)]

    # head office changes its answer on a final application: the "decision" row names
    # whoever pressed "Sync now" this time, and only then
    manager = operator(enrolled, Role.FIELD_MANAGER)
    central.decide(by_hand[0], "approved")
    make_engine().sync_once(started_by=manager.operator_id)
    assert _sync_rows(enrolled, by_hand[0])[-1] == ("decision", manager.operator_id)
    central.decide(by_hand[0], "declined")
    make_engine().sync_once()
    assert _sync_rows(enrolled, by_hand[0])[-1] == ("decision", None)
    assert AuditRepo(enrolled.db).verify().ok
