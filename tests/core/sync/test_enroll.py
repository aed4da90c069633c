"""Enrollment: token to the keyring, state recorded, pause cleared, the store's code."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backends import fail

from core.context import AppContext
from core.demo_data import DemoGenerator
from core.store.sync_repo import SyncRepo
from core.sync import state_keys
from core.sync.errors import SyncError
from tests.core.sync.conftest import FAST, save
from tests.core.sync.fake_central import TOKEN, FakeCentral


def _state(ctx: AppContext) -> dict[str, str]:
    return dict(ctx.db.execute("SELECT key, value FROM sync_state").fetchall())


def test_enroll_stores_the_token_and_takes_the_store_code(
    ctx: AppContext,
    gen: DemoGenerator,
    central: FakeCentral,
    memory_keyring,  # type: ignore
) -> None:
    assert ctx.sync is not None
    with pytest.raises(SyncError) as err:
        ctx.sync.engine()
    assert err.value.code == "SYNC_NOT_ENROLLED"
    assert "enroll" in ctx.sync.sync_state().message("en")
    queued = save(ctx, gen, 2)  # captured offline, before enrollment, as store LOCAL
    done = ctx.sync.enroll(central.url + "/", "S001", "CODE-1234", timeouts=FAST)
    assert (done.store_code, done.store_name, done.resealed) == ("S001", "中心店", 2)
    state = _state(ctx)
    assert state[state_keys.SERVER_URL] == central.url and state[state_keys.STORE_CODE] == "S001"
    assert state[state_keys.SERVER_EPOCH] == "epoch-1"
    device = ctx.applications._subject.device_id
    assert state[state_keys.DEVICE_ID] == device
    assert memory_keyring.store[("LoanDesk", f"device-token:{device}")] == TOKEN
    assert TOKEN not in json.dumps(state)  # never in the database
    assert ctx.settings.get("store_code") == "S001" and ctx.settings.get("store_city") == "北京"
    payloads = [json.loads(i.payload) for i in SyncRepo(ctx.db).items("pending")]
    assert {p["store_code"] for p in payloads} == {"S001"}
    assert {p["application_id"] for p in payloads} == set(queued)
    new = save(ctx, gen, 1)[0]  # saved after: names the enrolled store directly
    [payload] = [i.payload for i in SyncRepo(ctx.db).items("pending") if i.application_id == new]
    assert json.loads(payload)["store_code"] == "S001"
    assert ctx.sync.sync_state().enrolled


def test_refused_enrollment_changes_nothing(ctx: AppContext, central: FakeCentral) -> None:
    assert ctx.sync is not None
    with pytest.raises(SyncError) as err:
        ctx.sync.enroll(central.url, "S001", "WRONG-CODE", timeouts=FAST)
    assert err.value.code == "SYNC_ENROLL_REFUSED" and "403" in err.value.text("en")
    with pytest.raises(SyncError) as err:
        ctx.sync.enroll("ftp://example.com", "S001", "CODE-1234")
    assert err.value.code == "SYNC_SERVER_URL_INVALID"
    with pytest.raises(SyncError) as err:
        ctx.sync.enroll(central.url, "S" * 30, "CODE-1234")
    assert err.value.code == "SYNC_ENROLL_REFUSED"
    assert _state(ctx) == {}
    assert ctx.settings.get("store_code") == "LOCAL"


def test_enroll_without_a_keyring_records_nothing(ctx: AppContext, central: FakeCentral) -> None:
    assert ctx.sync is not None
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(SyncError) as err:
        ctx.sync.enroll(central.url, "S001", "CODE-1234", timeouts=FAST)
    assert err.value.code == "SYNC_KEYRING_UNAVAILABLE"
    assert _state(ctx) == {}


def test_a_lost_token_pauses_sync_visibly_until_re_enrollment(
    ctx: AppContext,
    central: FakeCentral,
    memory_keyring,  # type: ignore
) -> None:
    assert ctx.sync is not None
    ctx.sync.enroll(central.url, "S001", "CODE-1234", timeouts=FAST)
    memory_keyring.store.clear()  # e.g. the Credential Manager was wiped
    with pytest.raises(SyncError) as err:
        ctx.sync.engine()
    assert err.value.code == "SYNC_REENROLL_NEEDED"
    assert ctx.sync.sync_state().paused_reason == "REENROLL_NEEDED"
    ctx.sync.enroll(central.url, "S001", "CODE-1234", timeouts=FAST)
    assert ctx.sync.sync_state().paused_reason is None
