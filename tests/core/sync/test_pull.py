"""Pulling: decisions by cursor (a page and its cursor in one transaction), 410, the
server epoch, blacklist checksums, the rule pack, the catalog; malformed answers."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.clock import FixedClock
from core.config import resources_dir
from core.context import AppContext
from core.demo_data import DemoGenerator
from core.rules import RulePackStore, TrustedKey, sign_pack
from core.store.audit_repo import AuditRepo
from core.sync import state_keys, wire
from core.sync.engine import SyncEngine
from core.sync.http import SyncHttp
from tests.core.sync.conftest import FAST, MakeEngine, outbox_states, save, statuses
from tests.core.sync.fake_central import TOKEN, FakeCentral, digest
from tests.core.sync.scripted import Reply

SRC = resources_dir() / "rulepacks" / "src" / "default.unsigned.json"


def _state(ctx: AppContext, key: str) -> str | None:
    row = ctx.db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def _dump(ctx: AppContext) -> list[str]:
    return list(ctx.db.conn.iterdump())


def test_decisions_move_submitted_applications_to_their_outcome(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 7)
    central.decide_as = {ids[0]: "declined", ids[1]: "review"}
    report = make_engine(page_size=3).sync_once()
    assert report.decisions == 7
    st = statuses(enrolled)
    assert (st[ids[0]], st[ids[1]], st[ids[2]]) == ("declined", "review", "approved")
    assert _state(enrolled, state_keys.DECISIONS_CURSOR) == "7"
    assert enrolled.sync is not None
    d = enrolled.sync.decision(ids[2])
    assert d is not None and (d.decision, d.approved_amount_fen, d.reasons) == (
        "approved",
        100000,
        ("R1",),
    )
    events = [(e.action, e.from_status, e.to_status) for e in enrolled.applications.history(ids[0])]
    assert events[-2:] == [
        ("submitted", "queued", "submitted"),
        ("decided", "submitted", "declined"),
    ]
    central.decide(ids[1], "approved")  # manual review finished
    assert make_engine().sync_once().decisions == 1
    assert statuses(enrolled)[ids[1]] == "approved"


def test_a_decision_settles_an_item_whose_ack_was_lost(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    """The server has it and decided it, but this PC never got the ack (here: the
    answer said "retry" after the server stored it): the decision settles the row."""
    [app_id] = save(enrolled, gen, 1)
    central.retry = {app_id}
    central.apps[app_id] = "stored"
    central.decide(app_id, "approved")
    report = make_engine().sync_once()
    assert report.retried == 1 and report.decisions == 1
    assert statuses(enrolled)[app_id] == "approved"
    assert outbox_states(enrolled)[app_id] == "acked"
    actions = [e.action for e in enrolled.applications.history(app_id)]
    assert actions == ["created", "queued", "submitted", "decided"]
    sent = len(central.batch_sizes())
    assert make_engine().sync_once().pushed == 0 and len(central.batch_sizes()) == sent


def test_a_page_and_its_cursor_commit_together(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 6)
    central.auto_decide = False
    make_engine(heartbeat=False).sync_once()
    for app_id in ids:
        central.decide(app_id, "approved")
    enrolled.db.execute(  # the 5th decision fails to store, mid-way through page 2
        "CREATE TRIGGER boom BEFORE INSERT ON decisions WHEN NEW.application_id = "
        f"'{ids[4]}' BEGIN SELECT RAISE(ABORT, 'simulated crash'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        make_engine(page_size=3).sync_once()
    assert _state(enrolled, state_keys.DECISIONS_CURSOR) == "3"  # page 1 and its cursor only
    assert enrolled.db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 3
    st = statuses(enrolled)
    assert [st[i] for i in ids] == ["approved"] * 3 + ["submitted"] * 3
    enrolled.db.execute("DROP TRIGGER boom")
    assert make_engine(page_size=3).sync_once().decisions == 3
    assert set(statuses(enrolled).values()) == {"approved"}


def test_an_expired_cursor_resyncs_in_full(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    ids = save(enrolled, gen, 3)
    make_engine().sync_once()
    enrolled.db.execute(
        "UPDATE sync_state SET value = '99' WHERE key = ?", [state_keys.DECISIONS_CURSOR]
    )
    enrolled.db.execute("DELETE FROM decisions")
    report = make_engine().sync_once()
    assert [n.code for n in report.notices] == ["SYNC_CURSOR_EXPIRED"]
    assert report.decisions == 3 and report.exit_code == 0
    assert {d for (d,) in enrolled.db.execute("SELECT application_id FROM decisions")} == set(ids)
    enrolled.db.execute(  # a cursor the server does not understand (400): start over too
        "UPDATE sync_state SET value = 'garbage' WHERE key = ?", [state_keys.DECISIONS_CURSOR]
    )
    central.queue(
        "GET", "/v1/decisions", Reply(400, {"error": {"code": "BAD_CURSOR", "message": "?"}})
    )
    report = make_engine().sync_once()
    assert report.exit_code == 0 and _state(enrolled, state_keys.DECISIONS_CURSOR) == "3"


def test_a_new_server_epoch_re_pushes_what_has_no_decision(
    enrolled: AppContext, gen: DemoGenerator, central: FakeCentral, make_engine: MakeEngine
) -> None:
    decided = save(enrolled, gen, 2)
    make_engine().sync_once()
    central.auto_decide = False
    undecided = save(enrolled, gen, 3)
    make_engine().sync_once()
    assert set(outbox_states(enrolled).values()) == {"acked"}
    # the server is restored from a backup taken before the last three arrived
    for app_id in undecided:
        del central.apps[app_id]
    central.epoch = "epoch-2"
    central.auto_decide = True
    report = make_engine().sync_once()
    assert report.repushed == 3
    assert [n.code for n in report.notices] == ["SYNC_EPOCH_CHANGED"]
    assert central.received.count(undecided[0]) == 2  # sent again, once more
    assert all(central.received.count(d) == 1 for d in decided)
    assert set(outbox_states(enrolled).values()) == {"acked"}
    assert set(statuses(enrolled).values()) == {"approved"}
    assert _state(enrolled, state_keys.SERVER_EPOCH) == "epoch-2"


def test_blacklist_checksum_mismatch_fetches_the_full_list(
    enrolled: AppContext, central: FakeCentral, make_engine: MakeEngine
) -> None:
    central.blacklist_add("phone", "13800000001", "13800000002")
    report = make_engine().sync_once()
    assert report.exit_code == 0
    assert _state(enrolled, state_keys.BLACKLIST_STATE + "phone") == f"2@{central.epoch}"
    rules = enrolled.rules
    assert isinstance(rules, RulePackStore)
    local = sorted(
        d for (d,) in enrolled.db.execute("SELECT digest FROM blacklist WHERE kind = 'phone'")
    )
    assert local == sorted(central.lists["phone"])
    # the local list drifts (a stray row), then a normal delta arrives
    rules.add_blacklist_digests("phone", [digest("stray")], "server")
    central.blacklist_add("phone", "13800000003")
    report = make_engine().sync_once()
    assert [n.code for n in report.notices] == ["SYNC_BLACKLIST_MISMATCH"]
    fulls = [r for r in central.requests if r.path.endswith("/phone/delta")][-2:]
    assert fulls[0].query.get("state") == f"2@{central.epoch}" and "state" not in fulls[1].query
    local = sorted(
        d for (d,) in enrolled.db.execute("SELECT digest FROM blacklist WHERE kind = 'phone'")
    )
    assert local == sorted(central.lists["phone"]) and digest("stray") not in local
    updates = [
        json.loads(r["detail"])
        for r in AuditRepo(enrolled.db).rows()
        if r["action"] == "blacklist_updated" and r["target_id"] == "phone"
    ]
    assert updates[0]["added"] == 2  # the first (full) list, audited with its counts
    assert len(updates) >= 2  # and the full list fetched after the mismatch
    text = json.dumps(updates)
    assert "13800000001" not in text and digest("13800000001") not in text


@pytest.mark.parametrize(
    "body",
    [
        b'{"items": [',
        b'{"items": [], "next_cursor": "1"}',
        b"null",
        b'{"items": [{"seq": 1}], "next_cursor": "1", "has_more": false, "server_epoch": "e"}',
    ],
)
def test_a_malformed_answer_changes_no_local_state(
    enrolled: AppContext,
    gen: DemoGenerator,
    central: FakeCentral,
    make_engine: MakeEngine,
    body: bytes,
) -> None:
    save(enrolled, gen, 2)
    central.auto_decide = False
    make_engine(heartbeat=False).sync_once()
    for app_id in list(central.apps):
        central.decide(app_id, "declined")
    central.queue("GET", "/v1/decisions", Reply(200, body))
    before = _dump(enrolled)
    state_before = {
        k: v
        for k, v in enrolled.db.execute("SELECT * FROM sync_state")
        if k
        not in (
            state_keys.LAST_ATTEMPT_AT,
            state_keys.LAST_ERROR,
            state_keys.ONLINE,
            state_keys.FAILURES,
            state_keys.CLOCK_OFFSET,
        )
    }
    report = make_engine().sync_once()
    assert report.errors[0].code == "SYNC_MALFORMED_RESPONSE" and report.exit_code == 1
    after = {
        k: v
        for k, v in enrolled.db.execute("SELECT * FROM sync_state")
        if k
        not in (
            state_keys.LAST_ATTEMPT_AT,
            state_keys.LAST_ERROR,
            state_keys.ONLINE,
            state_keys.FAILURES,
            state_keys.CLOCK_OFFSET,
        )
    }
    assert after == state_before
    changed = set(_dump(enrolled)) ^ set(before)
    assert all("sync_state" in line or "last_server_time" in line for line in changed), changed
    assert set(statuses(enrolled).values()) == {"submitted"}


def test_rule_pack_by_etag_and_a_refused_pack_keeps_the_old_one(
    enrolled: AppContext, central: FakeCentral, clock: FixedClock
) -> None:
    issuer = Ed25519PrivateKey.generate()
    source = json.loads(SRC.read_text(encoding="utf-8"))

    def pack(version: int) -> bytes:
        doc = copy.deepcopy(source)
        doc["manifest"]["version"] = version
        return sign_pack(doc, issuer)

    key_id = source["manifest"]["key_id"]
    rules = RulePackStore(enrolled.db, {key_id: TrustedKey(key_id, issuer.public_key())}, clock)
    rules.install(pack(5), "file")
    state = enrolled.sync
    assert state is not None
    engine = SyncEngine(
        enrolled.db, rules, clock, SyncHttp(central.url, token=TOKEN, timeouts=FAST)
    )
    try:
        central.pack = pack(6)
        report = engine.sync_once()
        assert report.pack_installed == f"{source['manifest']['pack_id']} v6"
        assert rules.status() is not None and rules.status().source == "server"  # type: ignore
        etag = _state(enrolled, state_keys.RULEPACK_ETAG)
        assert etag and etag.startswith('"')
        report = engine.sync_once()  # unchanged: If-None-Match, 304
        assert report.pack_installed is None and report.exit_code == 0
        last = [r for r in central.requests if r.path.endswith("/rulepacks/current")][-1]
        assert last.headers.get("If-None-Match") == etag
        central.pack = pack(4)  # an older pack: refused, v6 stays, reported once
        report = engine.sync_once()
        assert [e.code for e in report.errors] == ["SYNC_PACK_REFUSED"]
        assert report.errors[0].params["pack_code"] == "PACK_ROLLBACK"
        active = rules.active()
        assert active is not None and active.version == 6
        central.pack = b'{"format": "loandesk-rulepack/1"}'  # junk: refused, not fatal
        report = engine.sync_once()
        assert report.errors[0].params["pack_code"] == "PACK_MALFORMED"
        assert report.decisions == 0 and report.online and rules.active() is not None
        # head office changing the rules of this PC is audited, refusals too
        audited = [
            (r["action"], r["target_id"], json.loads(r["detail"] or "{}"))
            for r in AuditRepo(enrolled.db).rows()
            if r["target_type"] == "rule_pack"
        ]
        assert audited == [
            ("rule_pack_loaded", source["manifest"]["pack_id"], {"source": "server", "version": 6}),
            ("rule_pack_refused", "", {"code": "PACK_ROLLBACK", "source": "server"}),
            ("rule_pack_refused", "", {"code": "PACK_MALFORMED", "source": "server"}),
        ]
    finally:
        engine.http.close()


def test_catalog_changes_by_cursor(
    enrolled: AppContext, central: FakeCentral, make_engine: MakeEngine
) -> None:
    central.catalog = [
        {"sku": "NEW-1", "name": "新品", "category": "appliance", "price_fen": 12300},
        {"sku": "NEW-2", "name": "旧品", "category": "furniture", "price_fen": 45600},
    ]
    assert make_engine(page_size=1).sync_once().catalog_changes == 2
    assert enrolled.applications.lookup_sku("NEW-1") is not None
    central.catalog.append(
        {
            "sku": "NEW-2",
            "name": "旧品",
            "category": "furniture",
            "price_fen": 45600,
            "deleted": True,
        }
    )
    assert make_engine().sync_once().catalog_changes == 1
    assert enrolled.applications.lookup_sku("NEW-2") is None
    assert _state(enrolled, state_keys.CATALOG_CURSOR) == "3"
    changes = [
        json.loads(r["detail"])["changes"]
        for r in AuditRepo(enrolled.db).rows()
        if r["action"] == "catalog_updated"
    ]
    assert changes == [1, 1, 1]  # one row per page head office sent


def test_heartbeat_and_clock_skew(
    enrolled: AppContext,
    gen: DemoGenerator,
    central: FakeCentral,
    make_engine: MakeEngine,
    clock: FixedClock,
) -> None:
    save(enrolled, gen, 2)
    central.retry = {a for (a,) in enrolled.db.execute("SELECT id FROM applications LIMIT 1")}
    central.date = clock.now() + timedelta(minutes=12)
    report = make_engine().sync_once()
    assert [n.code for n in report.notices] == ["SYNC_CLOCK_SKEW"]
    assert report.clock_offset_s is not None and 700 < report.clock_offset_s < 740
    [beat] = central.heartbeats
    assert beat["queue_size"] == 1 and beat["app_version"] and beat["pack_version"]
    assert enrolled.rules is not None
    noted = enrolled.rules.last_server_time()
    assert noted is not None and noted >= clock.now() + timedelta(minutes=11)
    assert format_datetime(datetime.now(UTC), usegmt=True)  # (keeps the import honest)
    assert wire.API_PREFIX == "/v1"
