"""Offline bundles end to end: a store PC with no network → a field manager's PC → the
real reference server on 127.0.0.1 → a return bundle → the store, twice; and the
refusals (tampered, another store's, older)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.bundle.apply import import_return
from core.bundle.errors import BundleError
from core.bundle.export import export_bundle
from core.bundle.files import read_bundle
from core.bundle.format import ReturnBundle, StoreBundle
from core.bundle.relay import relay_bundle, relay_http
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from tests.core.sync.conftest import FAST, outbox_states, statuses
from tests.helpers.server import RealServer

DECIDED = {"approved", "declined", "review"}


def _export(ctx: AppContext, path: Path) -> StoreBundle:
    export_bundle(ctx.db, ctx.actor, ctx.clock, path)
    bundle = read_bundle(path)
    assert isinstance(bundle, StoreBundle)
    return bundle


def _relay(laptop: AppContext, source: Path, target: Path) -> ReturnBundle:
    bundle = read_bundle(source)
    assert isinstance(bundle, StoreBundle)
    http = relay_http(laptop.db, laptop.clock, timeouts=FAST)
    try:
        relay_bundle(laptop.db, laptop.actor, laptop.clock, http, bundle, source, target)
    finally:
        http.close()
    back = read_bundle(target)
    assert isinstance(back, ReturnBundle)
    return back


def _import(store: AppContext, path: Path):  # type: ignore[no-untyped-def]
    bundle = read_bundle(path)
    assert isinstance(bundle, ReturnBundle)
    return import_return(store.db, store.actor, store.clock, store.rules, bundle, path)


def _audit_count(ctx: AppContext) -> int:
    return int(ctx.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    with RealServer(tmp_path) as srv:
        store = open_context(resolve_paths(tmp_path / "store"))
        laptop = open_context(resolve_paths(tmp_path / "laptop"))
        try:
            assert store.sync is not None and laptop.sync is not None
            store.sync.enroll(srv.url, "S001", srv.add_store("S001"), timeouts=FAST)
            laptop.sync.enroll(srv.url, "F001", srv.add_store("F001"), timeouts=FAST)
            yield srv, store, laptop
        finally:
            store.close()
            laptop.close()


def test_round_trip_twice_no_duplicate_no_loss(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    srv, store, laptop = world
    gen = DemoGenerator(21, store.clock.now().date(), load_demo_catalog())
    stick = tmp_path / "stick"
    stick.mkdir()
    first = [store.applications.save(gen.application()) for _ in range(130)]  # two parts

    bundle = _export(store, stick / "s001-1.ldbundle")
    assert bundle.header.items == 130 and len(bundle.parts) == 2
    raw = (stick / "s001-1.ldbundle").read_text(encoding="utf-8")
    assert "customer" not in raw and "id_number" not in raw  # sealed: the stick leaks nothing
    _relay(laptop, stick / "s001-1.ldbundle", stick / "s001-1-return.ldbundle")
    done = _import(store, stick / "s001-1-return.ldbundle")
    assert not done.already and done.report.acked == 130 and done.report.decisions == 130
    assert set(outbox_states(store).values()) == {"acked"}
    assert {statuses(store)[a] for a in first} <= DECIDED

    second = [store.applications.save(gen.application()) for _ in range(20)]
    _export(store, stick / "s001-2.ldbundle")
    _relay(laptop, stick / "s001-2.ldbundle", stick / "s001-2-return.ldbundle")
    again = _import(store, stick / "s001-2-return.ldbundle")
    assert again.report.acked == 20 and again.report.decisions == 20
    stats = srv.stats()
    assert stats["distinct_application_ids"] == 150 == stats["applications_received"]
    assert stats["duplicates"] == 0
    assert set(statuses(store).values()) <= DECIDED and len(statuses(store)) == 150
    assert set(outbox_states(store).values()) == {"acked"}
    importer = store.db.execute(
        "SELECT display_name FROM operators WHERE id = ?", [store.actor.operator_id]
    ).fetchone()[0]
    for app_id in (first[0], second[0]):
        events = store.applications.history(app_id)
        assert [e.action for e in events] == ["created", "queued", "submitted", "decided"]
        # the return bundle's answers are under whoever imported it, as a manual sync's
        assert [e.operator_name for e in events[2:]] == [importer, importer]

    # the same return bundle again: nothing changes, not even the audit log
    before = (_audit_count(store), statuses(store))
    assert _import(store, stick / "s001-2-return.ldbundle").already
    assert (_audit_count(store), statuses(store)) == before

    # relaying the same store bundle again: the server dedupes, a newer return bundle
    # changes no application
    _relay(laptop, stick / "s001-2.ldbundle", stick / "s001-2-again.ldbundle")
    assert srv.stats()["distinct_application_ids"] == 150
    audited = _audit_count(store)
    third = _import(store, stick / "s001-2-again.ldbundle")
    assert not third.already and third.report.acked == 0
    assert statuses(store) == before[1]
    assert _audit_count(store) == audited + 1  # the import itself; no status moved again

    # an online sync afterwards finds nothing to send and nothing new
    report = store.sync.sync_once(timeouts=FAST)
    assert (report.pushed, report.decisions, report.exit_code) == (0, 0, 0)


def test_tampered_other_store_and_older_bundles_are_refused(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    srv, store, laptop = world
    gen = DemoGenerator(22, store.clock.now().date(), load_demo_catalog())
    for _ in range(5):
        store.applications.save(gen.application())
    one, two = tmp_path / "one.ldbundle", tmp_path / "two.ldbundle"
    _export(store, one)
    _export(store, two)

    # a changed byte in a part: refused on the relay PC before anything is sent
    data = json.loads(one.read_text(encoding="utf-8"))
    part = data["parts"][0]
    data["parts"][0] = part[:40] + ("A" if part[40] != "A" else "B") + part[41:]
    bad = tmp_path / "bad.ldbundle"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        _relay(laptop, bad, tmp_path / "bad-return.ldbundle")
    assert refused.value.code == "BUNDLE_TAMPERED"
    assert "签名不符" in refused.value.text("zh_CN") and "changed" in refused.value.text("en")
    assert srv.stats()["items_processed"] == 0
    assert not (tmp_path / "bad-return.ldbundle").exists()

    # a changed header (more items claimed): the signature no longer matches
    data = json.loads(one.read_text(encoding="utf-8"))
    data["header"]["store_code"] = "S002"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        _relay(laptop, bad, tmp_path / "bad-return.ldbundle")
    assert refused.value.code == "BUNDLE_TAMPERED"

    # the newer bundle goes through; the older one is then refused by head office
    _relay(laptop, two, tmp_path / "two-return.ldbundle")
    with pytest.raises(BundleError) as refused:
        _relay(laptop, one, tmp_path / "one-return.ldbundle")
    assert refused.value.code == "BUNDLE_OLDER"
    assert "序号 1" in refused.value.text("zh_CN") and "2" in refused.value.text("en")

    # a return bundle changed on the stick is refused and changes nothing
    before = (_audit_count(store), statuses(store), outbox_states(store))
    data = json.loads((tmp_path / "two-return.ldbundle").read_text(encoding="utf-8"))
    data["body"] = data["body"][:-8] + "AAAAAAA="
    (tmp_path / "changed-return.ldbundle").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        _import(store, tmp_path / "changed-return.ldbundle")
    assert refused.value.code == "BUNDLE_TAMPERED"
    assert (_audit_count(store), statuses(store), outbox_states(store)) == before

    # another store's return bundle: the field manager's own PC imports store S001's
    with pytest.raises(BundleError) as refused:
        _import(laptop, tmp_path / "two-return.ldbundle")
    assert refused.value.code == "BUNDLE_OTHER_STORE"
    assert "S001" in refused.value.text("zh_CN") and "F001" in refused.value.text("en")

    # the good one imports; an older return bundle after it is refused
    _relay(laptop, two, tmp_path / "two-again.ldbundle")
    assert not _import(store, tmp_path / "two-again.ldbundle").already
    before = (_audit_count(store), statuses(store), outbox_states(store))
    with pytest.raises(BundleError) as refused:
        _import(store, tmp_path / "two-return.ldbundle")
    assert refused.value.code == "BUNDLE_OLDER"
    assert (_audit_count(store), statuses(store), outbox_states(store)) == before
    assert srv.stats()["distinct_application_ids"] == 5


def test_head_office_checks_the_signature_itself(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A relay that skips the local check (or a hand-made request) meets the same
    refusal at head office, and nothing is stored."""
    import requests

    from core.store.sync_repo import SyncRepo
    from core.sync import state_keys, tokens

    srv, store, laptop = world
    gen = DemoGenerator(23, store.clock.now().date(), load_demo_catalog())
    store.applications.save(gen.application())
    bundle = _export(store, tmp_path / "b.ldbundle")
    token = tokens.load_token(SyncRepo(laptop.db).state_get(state_keys.DEVICE_ID) or "")
    headers = {"Authorization": f"Bearer {token}"}
    part = bundle.parts[0]
    body = {
        "header": bundle.header.model_dump(mode="json"),
        "signature": bundle.signature,
        "index": 0,
        "part": part[:-6] + ("AAAA==" if not part.endswith("AAAA==") else "BBBB=="),
    }
    reply = requests.post(f"{srv.url}/v1/bundles/parts", json=body, headers=headers, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "BUNDLE_TAMPERED"
    body["part"] = part
    body["header"]["items"] = 2
    reply = requests.post(f"{srv.url}/v1/bundles/parts", json=body, headers=headers, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "BUNDLE_TAMPERED"
    reply = requests.post(f"{srv.url}/v1/bundles/parts", json=body, timeout=10)
    assert reply.status_code == 401  # the relay must be an enrolled PC itself
    assert srv.stats()["items_processed"] == 0
