"""Decisions arriving through sync are audited (operator NULL: the system), the chain
stays whole across a sync round and its checkpoint moves; no audit row holds a
customer's personal data."""

from __future__ import annotations

from core.audit.checkpoint import checkpoint_path, read_checkpoint
from core.context import AppContext
from core.demo_data import DemoGenerator
from core.store.audit_repo import AuditRepo
from core.store.vault import vault_of
from core.sync import state_keys
from tests.core.sync.conftest import MakeEngine, statuses
from tests.core.sync.fake_central import FakeCentral
from tests.helpers.evidence import save_with_photos


def test_decisions_are_audited_and_a_round_moves_the_checkpoint(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    apps = [gen.application() for _ in range(3)]
    ids = [save_with_photos(enrolled.applications, a) for a in apps]
    central.decide_as = {ids[0]: "declined"}
    make_engine().sync_once()
    assert statuses(enrolled)[ids[0]] == "declined"
    events = [
        (e.action, e.from_status, e.to_status, e.operator_name)
        for e in enrolled.applications.history(ids[0])
    ]
    assert events[-2:] == [
        ("submitted", "queued", "submitted", ""),
        ("decided", "submitted", "declined", ""),
    ]
    repo = AuditRepo(enrolled.db)
    report = repo.verify()
    assert report.ok
    checkpoint = read_checkpoint(
        checkpoint_path(enrolled.paths.database), vault_of(enrolled.db).chain_key
    )
    assert checkpoint is not None and checkpoint.as_tuple() == (report.last_seq, report.last_hash)

    # head office changes its answer on an application that is final here: the status
    # cannot move, but the decision record does - audited as "decision"
    central.decide(ids[0], "approved")
    assert make_engine().sync_once().decisions == 1
    assert statuses(enrolled)[ids[0]] == "declined"
    last = enrolled.applications.history(ids[0])[-1]
    assert (last.action, last.from_status, last.to_status) == ("decision", None, None)
    assert last.detail is not None and '"decision": "approved"' in last.detail
    rows = repo.verify().checked
    # the same decision delivered again (the cursor one step back) is not a change
    with enrolled.db.atomic():
        enrolled.db.execute(
            "UPDATE sync_state SET value = ? WHERE key = ?",
            [str(len(central.decisions) - 1), state_keys.DECISIONS_CURSOR],
        )
    assert make_engine().sync_once().decisions == 1
    assert repo.verify().ok and repo.verify().checked == rows
    assert all(
        r["operator_id"] is None
        for r in repo.rows()
        if r["action"] in ("submitted", "decided", "decision")
    )

    # no audit row (detail or any column) names the customer
    text = "\n".join(str(v) for r in repo.rows() for v in r.values())
    for app in apps:
        c = app.customer
        for secret in (c.id_number, c.name, c.phone, c.home_address, app.delivery_address):
            assert secret not in text
