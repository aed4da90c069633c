"""Four holes a security review found in the application service, each
closed: no free-form text into the audit log through ``transition``; reads limited to
the actor's store without VIEW_ALL_STORES; audit rows for creating operators and loading
the catalog; a cancel withdraws the customer's unsent upload."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.applications.service import Actor, ApplicationService, ServiceError
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ListQuery, Status
from core.security.permissions import Permission, PermissionDenied, Role
from core.store.sync_repo import SyncRepo
from tests.helpers.roles import (
    PLANTED_ID,
    PLANTED_NAME,
    PLANTED_PHONE,
    admin_of,
    audit_rows,
    operator,
    other_store,
    planted,
    service,
)

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@dataclass
class Shops:
    """Two stores in one database, each with one application; the planted customer is
    the other store's."""

    ctx: AppContext
    gen: DemoGenerator
    own_app: str
    other_app: str
    other_store: str

    def svc(self, actor: Actor) -> ApplicationService:
        return service(self.ctx, actor)

    def audit_count(self) -> int:
        return int(self.ctx.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])

    def outbox(self, app_id: str) -> list[str]:
        return [
            str(r[0])
            for r in self.ctx.db.execute(
                "SELECT state FROM outbox WHERE application_id = ? ORDER BY rowid", [app_id]
            )
        ]


@pytest.fixture
def shops(tmp_path: Path) -> Iterator[Shops]:
    ctx = open_context(resolve_paths(tmp_path), FixedClock(T0))
    admin = service(ctx, admin_of(ctx))
    gen = DemoGenerator(3, T0.date(), load_demo_catalog(), admin.policy)
    own = admin.save(gen.application())
    elsewhere = other_store(ctx)
    other_admin = Actor(elsewhere, admin_of(ctx).operator_id, Role.ADMIN)
    other = service(ctx, other_admin).save(planted(gen.application()))
    yield Shops(ctx, gen, own, other, elsewhere)
    ctx.close()


# --- 1. transition: admin only, no caller text in the audit log -----------------------------
@pytest.mark.parametrize("role", [Role.CLERK, Role.FIELD_MANAGER])
@pytest.mark.parametrize("to", [Status.CANCELLED, Status.SUBMITTED])
def test_generic_transition_is_refused_below_admin_for_every_target(
    shops: Shops, role: Role, to: Status
) -> None:
    svc = shops.svc(operator(shops.ctx, role))
    before = (shops.audit_count(), shops.outbox(shops.own_app))
    with pytest.raises(PermissionDenied) as refused:
        svc.transition(shops.own_app, to)
    assert refused.value.permission is Permission.CHANGE_SETTINGS
    assert (shops.audit_count(), shops.outbox(shops.own_app)) == before
    assert shops.ctx.applications.row(shops.own_app).status == "queued"  # type: ignore[union-attr]


def test_no_caller_text_reaches_the_audit_log_through_transition(shops: Shops) -> None:
    clerk = shops.svc(operator(shops.ctx, Role.CLERK))
    with pytest.raises(TypeError):  # the old hole: any action, any detail
        clerk.transition(
            shops.own_app,
            Status.CANCELLED,
            "note",  # type: ignore[call-arg]
            {"name": PLANTED_NAME, "phone": PLANTED_PHONE},
        )
    admin = shops.svc(admin_of(shops.ctx))
    admin.transition(shops.own_app, Status.SUBMITTED)
    (row,) = audit_rows(shops.ctx, "status")
    assert row["detail"] is None and row["target_id"] == shops.own_app
    text = " ".join(str(v) for r in shops.ctx.db.execute("SELECT * FROM audit_log") for v in r)
    assert PLANTED_NAME not in text and PLANTED_PHONE not in text and "note" not in text


def test_cancel_still_works_for_a_clerk_with_a_reason_code(shops: Shops) -> None:
    clerk = shops.svc(operator(shops.ctx, Role.CLERK))
    clerk.cancel(shops.own_app, "entered_in_error")
    (row,) = audit_rows(shops.ctx, "cancelled")
    assert json.loads(str(row["detail"])) == {"reason": "entered_in_error", "uploads_withdrawn": 1}
    with pytest.raises(PermissionDenied) as refused:  # another store's: as before
        clerk.cancel(shops.other_app, "duplicate")
    assert refused.value.permission is Permission.VIEW_ALL_STORES


# --- 2. reads are limited to the actor's store ------------------------------------------------
def test_a_clerk_lists_and_counts_only_their_own_store(shops: Shops) -> None:
    clerk = shops.svc(operator(shops.ctx, Role.CLERK))
    assert clerk.count_all() == 1
    assert [r.id for r in clerk.page(ListQuery(), 0, 50)] == [shops.own_app]
    for text in (PLANTED_NAME, PLANTED_PHONE, PLANTED_ID, PLANTED_PHONE[-4:], shops.other_app):
        assert clerk.count(ListQuery(text=text)) == 0, text
        assert clerk.page(ListQuery(text=text), 0, 50) == []
    assert clerk.count(ListQuery(status=Status.QUEUED)) == 1
    there = shops.svc(operator(shops.ctx, Role.CLERK, shops.other_store))
    assert [r.id for r in there.page(ListQuery(text=PLANTED_NAME), 0, 50)] == [shops.other_app]
    assert there.count_all() == 1


@pytest.mark.parametrize("role", [Role.FIELD_MANAGER, Role.ADMIN])
def test_roles_with_view_all_stores_see_every_store(shops: Shops, role: Role) -> None:
    svc = shops.svc(operator(shops.ctx, role))
    assert svc.count_all() == 2
    assert {r.id for r in svc.page(ListQuery(), 0, 50)} == {shops.own_app, shops.other_app}
    assert svc.count(ListQuery(text=PLANTED_NAME)) == 1
    assert svc.detail(shops.other_app).customer.name == PLANTED_NAME
    assert svc.history(shops.other_app) and svc.receipt(shops.other_app) is not None
    assert svc.row(shops.other_app) is not None


def test_a_clerk_cannot_open_another_stores_application(shops: Shops) -> None:
    clerk = shops.svc(operator(shops.ctx, Role.CLERK))
    calls = {
        "row": lambda: clerk.row(shops.other_app),
        "detail": lambda: clerk.detail(shops.other_app),
        "history": lambda: clerk.history(shops.other_app),
        "receipt": lambda: clerk.receipt(shops.other_app),
    }
    before = shops.audit_count()
    for name, call in calls.items():
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.permission is Permission.VIEW_ALL_STORES, name
        assert PLANTED_NAME not in str(refused.value)
    assert shops.audit_count() == before
    # their own store's opens as before; an unknown id is simply not there
    assert clerk.detail(shops.own_app).row.id == shops.own_app
    assert clerk.row(shops.own_app) is not None and clerk.history(shops.own_app)
    assert clerk.receipt(shops.own_app) is not None
    unknown = "0190aaaa-0000-7000-8000-000000000000"
    assert clerk.row(unknown) is None and clerk.history(unknown) == []
    assert clerk.receipt(unknown) is None
    with pytest.raises(ServiceError) as missing:
        clerk.detail(unknown)
    assert missing.value.code == "APPLICATION_NOT_FOUND"


def test_reveal_of_another_store_needs_view_all_stores(shops: Shops) -> None:
    manager = shops.svc(operator(shops.ctx, Role.FIELD_MANAGER, shops.other_store))
    assert manager.reveal(shops.other_app, "phone") == PLANTED_PHONE
    assert manager.reveal(shops.own_app, "id_number")  # VIEW_ALL_STORES: the other store


# --- 3. state changes leave audit rows --------------------------------------------------------
def test_creating_an_operator_is_audited_with_the_role_only(shops: Shops) -> None:
    admin = shops.svc(admin_of(shops.ctx))
    op_id = admin.ensure_operator("boss-2", "王秀英", "admin")
    (row,) = audit_rows(shops.ctx, "operator_created")
    assert (row["operator_id"], row["target_type"], row["target_id"]) == (
        admin_of(shops.ctx).operator_id,
        "operator",
        op_id,
    )
    assert json.loads(str(row["detail"])) == {"role": "admin"}
    assert admin.ensure_operator("boss-2", "王秀英", "admin") == op_id  # found: no new row
    assert len(audit_rows(shops.ctx, "operator_created")) == 1
    before = shops.audit_count()
    with pytest.raises(ServiceError) as bad:
        admin.ensure_operator("boss-3", "张三", "superuser")
    assert bad.value.code == "OPERATOR_ROLE_UNKNOWN"
    assert shops.audit_count() == before
    assert (
        shops.ctx.db.execute("SELECT count(*) FROM operators WHERE login = 'boss-3'").fetchone()[0]
        == 0
    )


def test_loading_the_catalog_is_audited_with_the_count(shops: Shops) -> None:
    admin = shops.svc(admin_of(shops.ctx))
    assert admin.load_catalog(load_demo_catalog()[:4]) == 4
    (row,) = audit_rows(shops.ctx, "catalog_loaded")
    assert row["target_type"] == "catalog"
    assert json.loads(str(row["detail"])) == {"count": 4}


# --- 4. a cancel withdraws the unsent upload -------------------------------------------------
def test_cancel_deletes_the_pending_upload_in_the_same_transaction(shops: Shops) -> None:
    assert shops.outbox(shops.own_app) == ["pending"]
    sync = SyncRepo(shops.ctx.db)
    (op_id,) = [
        r[0]
        for r in shops.ctx.db.execute(
            "SELECT op_id FROM outbox WHERE application_id = ?", [shops.own_app]
        )
    ]
    shops.svc(operator(shops.ctx, Role.CLERK)).cancel(shops.own_app, "customer_withdrew")
    assert shops.outbox(shops.own_app) == []
    assert sync.item(op_id) is None
    assert sync.count_state("pending") == 1  # the other store's application still goes
    # what the push does with the op id it still holds: nothing, and no error
    with shops.ctx.db.atomic():
        sync.mark_acked([op_id], "2026-03-02T02:00:00.000+00:00", 200)
        sync.mark_retry([op_id], 0.0, 503, {"code": "X"})
        sync.mark_rejected(op_id, 422, {"code": "X"})
        assert (
            sync.record_solo_failure(
                op_id, "2026-03-02T02:00:00.000+00:00", 0.0, 500, {"code": "X"}
            )[0]
            == 0
        )
        sync.mark_quarantined(op_id)
        sync.reseal(op_id, "new-op", "{}", "0" * 64)
    assert sync.item(op_id) is None and sync.item("new-op") is None
    assert sync.requeue(op_id) is False


def test_a_refused_cancel_keeps_the_upload(shops: Shops) -> None:
    admin = shops.svc(admin_of(shops.ctx))
    admin.transition(shops.own_app, Status.SUBMITTED)
    with pytest.raises(ServiceError) as late:
        admin.cancel(shops.own_app)
    assert late.value.code == "TRANSITION_NOT_ALLOWED"
    assert shops.outbox(shops.own_app) == ["pending"]
    clerk = shops.svc(operator(shops.ctx, Role.CLERK))
    with pytest.raises(PermissionDenied):
        clerk.cancel(shops.other_app)
    assert shops.outbox(shops.other_app) == ["pending"]


def test_cancel_withdraws_quarantined_rows_but_keeps_acked_history(shops: Shops) -> None:
    db = shops.ctx.db
    with db.atomic():  # an old acked upload and a quarantined retry of the same application
        db.execute("UPDATE outbox SET state = 'acked' WHERE application_id = ?", [shops.own_app])
        db.execute(
            "INSERT INTO outbox(op_id, application_id, op, base_rev, payload, payload_sha256, "
            "state, created_at) SELECT 'q-1', application_id, 'update', 1, payload, "
            "payload_sha256, 'quarantined', created_at FROM outbox WHERE application_id = ?",
            [shops.own_app],
        )
    shops.svc(admin_of(shops.ctx)).cancel(shops.own_app)
    assert shops.outbox(shops.own_app) == ["acked"]
    (row,) = audit_rows(shops.ctx, "cancelled")
    assert json.loads(str(row["detail"])) == {"uploads_withdrawn": 1}
