"""Each role calls each guarded service and is allowed or refused exactly as
core.security.permissions.MATRIX says; refused calls change nothing; reveal and export
leave audit rows with no personal data in them."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.admin import AdminService
from core.applications.service import Actor, ApplicationService, ServiceError
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.exports.csv_list import COLUMNS, export_csv
from core.models import ListQuery, Status
from core.rules import bundled_pack_path
from core.security.permissions import Permission, PermissionDenied, Role, allowed
from tests.helpers.roles import (
    PLANTED_ID,
    PLANTED_NAME,
    PLANTED_PHONE,
    admin_of,
    audit_rows,
    operator,
    other_store,
    planted,
    purge,
    service,
)
from tests.helpers.server import RealServer

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PASSWORD = "Counter2026x"


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with RealServer(tmp_path_factory.mktemp("central")) as srv:
        yield srv


@dataclass
class Shop:
    ctx: AppContext
    clock: FixedClock
    gen: DemoGenerator
    own_app: str  # this store's, queued
    other_app: str  # another store's, queued
    colleague: str  # a clerk operator of this store (made before the counts are taken)
    central: RealServer
    tmp: Path

    def svc(self, actor: Actor) -> ApplicationService:
        return service(self.ctx, actor)

    def admin(self, actor: Actor) -> AdminService:
        return AdminService.of(self.ctx, actor)

    def status(self, app_id: str) -> str:
        row = self.ctx.applications.row(app_id)
        assert row is not None
        return row.status

    def audit_count(self) -> int:
        return int(self.ctx.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])


@pytest.fixture
def shop(tmp_path: Path, central: RealServer) -> Iterator[Shop]:
    clock = FixedClock(T0)
    ctx = open_context(resolve_paths(tmp_path / "shop"), clock)
    admin = service(ctx, admin_of(ctx))
    gen = DemoGenerator(11, T0.date(), load_demo_catalog(), admin.policy)
    own = admin.save(planted(gen.application()))
    elsewhere = Actor(other_store(ctx), admin_of(ctx).operator_id, Role.ADMIN)
    other = service(ctx, elsewhere).save(gen.application())
    colleague = operator(ctx, Role.CLERK).operator_id
    yield Shop(ctx, clock, gen, own, other, colleague, central, tmp_path)
    ctx.close()


# --- what each service call is, and which permission(s) it needs ---------------------------
def _create(s: Shop, a: Actor) -> None:
    assert s.svc(a).save(s.gen.application())


def _create_many(s: Shop, a: Actor) -> None:
    assert len(s.svc(a).save_many([(s.gen.application(), T0)])) == 1


def _edit_draft(s: Shop, a: Actor) -> None:
    svc = s.svc(a)
    svc.save_form_draft({"version": 1, "step": 2})
    assert svc.load_form_draft() == {"version": 1, "step": 2}
    svc.discard_form_draft()


def _cancel_own(s: Shop, a: Actor) -> None:
    s.svc(a).cancel(s.own_app)
    assert s.status(s.own_app) == Status.CANCELLED


def _cancel_other(s: Shop, a: Actor) -> None:
    s.svc(a).cancel(s.other_app)
    assert s.status(s.other_app) == Status.CANCELLED


def _reveal(s: Shop, a: Actor) -> None:
    svc = s.svc(a)
    assert svc.reveal(s.own_app, "id_number") == PLANTED_ID
    assert svc.reveal(s.own_app, "phone") == PLANTED_PHONE


def _export(s: Shop, a: Actor) -> None:
    out = s.tmp / "list.csv"
    done = export_csv(s.ctx.db, a, s.clock, ListQuery(), out, lang="zh_CN")
    assert done.count == 2 and out.exists()


def _export_quarantined(s: Shop, a: Actor) -> None:
    assert s.admin(a).export_quarantined(s.tmp / "kept.jsonl") == 0


def _load_rule_pack(s: Shop, a: Actor) -> None:
    pack = s.admin(a).install_rule_pack(bundled_pack_path().read_bytes())
    assert pack.pack_id


def _manage_operators(s: Shop, a: Actor) -> None:
    from core.operators.service import OperatorService

    ops = OperatorService(s.ctx.db, s.clock, a)
    op_id = ops.create_operator(f"new-{a.role.value}", "新同事", Role.CLERK, PASSWORD)
    ops.set_active(op_id, False)
    ops.reset_password(op_id, PASSWORD + "9")


def _manage_existing_operator(s: Shop, a: Actor) -> None:
    from core.operators.service import OperatorService

    ops = OperatorService(s.ctx.db, s.clock, a)
    ops.reset_password(s.colleague, PASSWORD)
    ops.set_active(s.colleague, False)


def _act_for_others(s: Shop, a: Actor) -> None:
    svc = s.svc(a)
    svc.for_operator(svc.ensure_operator("sales99", "销售99"))


def _change_settings(s: Shop, a: Actor) -> None:
    s.admin(a).set_setting("language", "en")
    assert s.ctx.settings.get("language") == "en"


def _load_catalog(s: Shop, a: Actor) -> None:
    assert s.svc(a).load_catalog(load_demo_catalog()[:3]) == 3


def _record_decision(s: Shop, a: Actor) -> None:
    s.svc(a).transition(s.own_app, Status.SUBMITTED)


def _enroll(s: Shop, a: Actor) -> None:
    code = s.central.add_store(f"M{a.role.value[:3].upper()}")
    done = s.admin(a).enroll(s.central.url, f"M{a.role.value[:3].upper()}", code)
    assert done.device_id


def _sync(s: Shop, a: Actor) -> None:
    store = f"Y{a.role.value[:3].upper()}"
    AdminService.of(s.ctx, admin_of(s.ctx)).enroll(s.central.url, store, s.central.add_store(store))
    report = s.admin(a).sync_once(manual=True)
    assert report.pushed >= 1


def _requeue(s: Shop, a: Actor) -> None:
    assert s.admin(a).requeue("no-such-op") is False


Needs = tuple[Permission, ...]
SERVICES: dict[str, tuple[Needs, Callable[[Shop, Actor], None]]] = {
    "create": ((Permission.CREATE_APPLICATION,), _create),
    "create_many": ((Permission.CREATE_APPLICATION,), _create_many),
    "edit_draft": ((Permission.EDIT_DRAFT,), _edit_draft),
    "cancel_own_store": ((Permission.CANCEL_APPLICATION,), _cancel_own),
    "cancel_other_store": (
        (Permission.CANCEL_APPLICATION, Permission.VIEW_ALL_STORES),
        _cancel_other,
    ),
    "reveal_full_id": ((Permission.VIEW_FULL_ID,), _reveal),
    "export": ((Permission.EXPORT,), _export),
    "export_quarantined": ((Permission.EXPORT,), _export_quarantined),
    "load_rule_pack": ((Permission.LOAD_RULE_PACK,), _load_rule_pack),
    "manage_operators": ((Permission.MANAGE_OPERATORS,), _manage_operators),
    "manage_existing_operator": ((Permission.MANAGE_OPERATORS,), _manage_existing_operator),
    "act_for_other_operators": ((Permission.MANAGE_OPERATORS,), _act_for_others),
    "change_settings": ((Permission.CHANGE_SETTINGS,), _change_settings),
    "load_catalog": ((Permission.CHANGE_SETTINGS,), _load_catalog),
    "record_decision_by_hand": ((Permission.CHANGE_SETTINGS,), _record_decision),
    "enroll": ((Permission.CHANGE_SETTINGS,), _enroll),
    "sync": ((Permission.SYNC,), _sync),
    "requeue": ((Permission.SYNC,), _requeue),
}


def test_every_permission_is_exercised() -> None:
    used = {p for needs, _call in SERVICES.values() for p in needs}
    assert used == set(Permission)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(SERVICES))
def test_each_role_against_each_service(shop: Shop, role: Role, name: str) -> None:
    needs, call = SERVICES[name]
    actor = operator(shop.ctx, role)
    expected = all(allowed(role, p) for p in needs)
    before = (shop.audit_count(), shop.status(shop.own_app), shop.status(shop.other_app))
    if expected:
        call(shop, actor)
        return
    with pytest.raises(PermissionDenied) as refused:
        call(shop, actor)
    assert refused.value.permission in needs
    assert (
        shop.audit_count(),
        shop.status(shop.own_app),
        shop.status(shop.other_app),
    ) == before  # a refusal changes nothing
    assert not (shop.tmp / "list.csv").exists()


def test_refusal_is_explained_in_both_languages(shop: Shop) -> None:
    clerk = operator(shop.ctx, Role.CLERK)
    with pytest.raises(PermissionDenied) as refused:
        shop.svc(clerk).reveal(shop.own_app, "id_number")
    assert refused.value.message("zh_CN") == (
        "“门店专员”无权查看完整证件号。如确需操作，请联系区域经理或管理员。"
    )
    assert "store clerk may not see full ID numbers" in refused.value.message("en")
    assert PLANTED_ID not in str(refused.value)


@pytest.mark.parametrize("role", list(Role))
def test_detail_masks_id_and_phone_for_every_role(shop: Shop, role: Role) -> None:
    d = shop.svc(operator(shop.ctx, role)).detail(shop.own_app)
    assert d.customer.id_number == "110105********002X"
    assert d.customer.phone == "138****5678"
    assert d.customer.name == PLANTED_NAME


def test_reveal_is_audited_with_the_field_never_the_value(shop: Shop) -> None:
    manager = operator(shop.ctx, Role.FIELD_MANAGER)
    svc = shop.svc(manager)
    assert svc.reveal(shop.own_app, "id_number") == PLANTED_ID
    assert svc.reveal(shop.own_app, "phone") == PLANTED_PHONE
    rows = audit_rows(shop.ctx, "revealed")
    assert [(r["operator_id"], r["target_type"], r["target_id"]) for r in rows] == [
        (manager.operator_id, "application", shop.own_app)
    ] * 2
    assert [json.loads(str(r["detail"])) for r in rows] == [
        {"field": "id_number"},
        {"field": "phone"},
    ]
    assert [e.action for e in svc.history(shop.own_app)][-2:] == ["revealed", "revealed"]
    with pytest.raises(ServiceError) as bad:
        svc.reveal(shop.own_app, "home_address")
    assert bad.value.code == "REVEAL_FIELD_UNKNOWN"
    assert len(audit_rows(shop.ctx, "revealed")) == 2


def test_purged_customer_cannot_be_revealed(shop: Shop) -> None:
    purge(shop.ctx, shop.own_app, shop.clock)
    manager = shop.svc(operator(shop.ctx, Role.FIELD_MANAGER))
    d = manager.detail(shop.own_app)
    assert (d.customer.id_number, d.customer.phone, d.customer.name) == ("", "", "")
    with pytest.raises(ServiceError) as gone:
        manager.reveal(shop.own_app, "id_number")
    assert gone.value.code == "PERSONAL_DATA_REMOVED"
    assert audit_rows(shop.ctx, "revealed") == []


def test_export_writes_masked_csv_with_bom_and_one_audit_row(shop: Shop) -> None:
    purge(shop.ctx, shop.other_app, shop.clock)
    manager = operator(shop.ctx, Role.FIELD_MANAGER)
    out = shop.tmp / "导出.csv"
    seen: list[tuple[str, int, int]] = []
    done = export_csv(
        shop.ctx.db,
        manager,
        shop.clock,
        ListQuery(),
        out,
        lang="zh_CN",
        progress=lambda *p: seen.append(p),
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese as UTF-8
    for secret in (PLANTED_ID, PLANTED_PHONE, PLANTED_NAME, PLANTED_ID[:17]):
        assert secret.encode() not in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["申请编号", "创建时间", "门店"] and len(rows) == 3
    by_id = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]}
    mine = by_id[shop.own_app]
    assert (mine["customer"], mine["id_number"], mine["phone"]) == (
        "王**",
        "110105********002X",
        "138****5678",
    )
    assert by_id[shop.other_app]["id_number"] == "已按保留期限删除"
    assert seen[-1] == ("export", 2, 2)
    (row,) = audit_rows(shop.ctx, "exported")
    assert row["operator_id"] == manager.operator_id
    assert json.loads(str(row["detail"])) == {"count": 2, "columns": list(COLUMNS)}
    assert done.count == 2


def test_export_cancelled_or_unwritable_leaves_no_file_and_no_audit(shop: Shop) -> None:
    from core.exports.csv_list import ExportError

    manager = operator(shop.ctx, Role.FIELD_MANAGER)
    out = shop.tmp / "list.csv"
    with pytest.raises(ExportError) as stopped:
        export_csv(shop.ctx.db, manager, shop.clock, ListQuery(), out, cancel=lambda: True)
    assert stopped.value.code == "EXPORT_CANCELLED"
    with pytest.raises(ExportError) as failed:
        export_csv(shop.ctx.db, manager, shop.clock, ListQuery(), shop.tmp / "no" / "x.csv")
    assert failed.value.code == "EXPORT_WRITE_FAILED"
    assert not out.exists() and list(shop.tmp.glob("*.part")) == []
    assert audit_rows(shop.ctx, "exported") == []


def test_guarded_admin_actions_are_audited_without_secrets(shop: Shop) -> None:
    admin = shop.admin(admin_of(shop.ctx))
    admin.set_setting("language", "zh_CN")
    admin.install_rule_pack(bundled_pack_path().read_bytes())
    code = shop.central.add_store("AUD1")
    admin.enroll(shop.central.url, "AUD1", code)
    admin.sync_once(manual=True)
    admin.sync_once(manual=False)  # the automatic runs are not audited
    actions = [
        r[0]
        for r in shop.ctx.db.execute(
            "SELECT action FROM audit_log WHERE target_type != 'application' "
            "AND operator_id IS NOT NULL ORDER BY seq"
        )
    ]  # the engine's own rows name no operator
    assert actions == [
        "operator_created",  # the fixture's colleague
        "setting_changed",
        "rule_pack_loaded",
        "enrolled",
        "sync_requested",
    ]
    details = " ".join(str(r[0]) for r in shop.ctx.db.execute("SELECT detail FROM audit_log"))
    assert code not in details and PLANTED_ID not in details
