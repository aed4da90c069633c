"""A session's rights follow the account, not the moment of sign-in: once an administrator
disables a field manager, the manager's window (its service objects, built at sign-in)
can no longer reveal, export, load a rule pack or act in any other guarded way; and a
role lowered by editing is the one that counts. Real data folder, real services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.admin import AdminService
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.exports.csv_list import export_csv
from core.models import ListQuery
from core.operators.access import OperatorNotActive
from core.operators.service import OperatorService, authenticate, create_first_admin
from core.rules import bundled_pack_path
from core.security.permissions import PermissionDenied, Role

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN_PW, MANAGER_PW = "Boss2026admin", "Field2026mgr"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "shop"), FixedClock(T0))
    yield c
    c.close()


def _signed_in_manager(ctx: AppContext) -> tuple[OperatorService, str]:
    create_first_admin(ctx.db, ctx.clock, "boss", "店长", ADMIN_PW)
    admin = OperatorService(ctx.db, ctx.clock, authenticate(ctx.db, ctx.clock, "boss", ADMIN_PW))
    manager_id = admin.create_operator("zhao", "赵经理", Role.FIELD_MANAGER, MANAGER_PW)
    return admin, manager_id


def test_a_disabled_managers_open_window_can_no_longer_reveal_export_or_load_a_pack(
    ctx: AppContext, tmp_path: Path
) -> None:
    app_id = ctx.applications.save(DemoGenerator(3, T0.date(), load_demo_catalog()).application())
    admin, manager_id = _signed_in_manager(ctx)
    manager = authenticate(ctx.db, ctx.clock, "zhao", MANAGER_PW)  # the open window
    window = ctx.as_operator(manager).applications
    tools = AdminService.of(ctx, manager)
    assert window.reveal(app_id, "id_number")  # allowed while the account is active

    admin.set_active(manager_id, False)

    pack = bundled_pack_path().read_bytes()
    attempts = {
        "reveal": lambda: window.reveal(app_id, "phone"),
        "export": lambda: export_csv(ctx.db, manager, ctx.clock, ListQuery(), tmp_path / "out.csv"),
        "load pack": lambda: tools.install_rule_pack(pack),
        "sync": lambda: tools.requeue("nothing"),
    }
    for name, attempt in attempts.items():
        with pytest.raises(OperatorNotActive) as err:
            attempt()
        assert isinstance(err.value, PermissionDenied), name
        assert "disabled" in err.value.message("en"), name
        assert "停用" in err.value.message("zh_CN"), name
    assert not (tmp_path / "out.csv").exists()
    revealed = ctx.db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'revealed' AND operator_id = ?",
        [manager_id],
    ).fetchone()[0]
    assert revealed == 1  # only the reveal made before the account was disabled


def test_a_role_lowered_in_the_database_is_the_role_that_counts(ctx: AppContext) -> None:
    app_id = ctx.applications.save(DemoGenerator(4, T0.date(), load_demo_catalog()).application())
    _admin, manager_id = _signed_in_manager(ctx)
    manager = authenticate(ctx.db, ctx.clock, "zhao", MANAGER_PW)
    window = ctx.as_operator(manager).applications
    with ctx.db.atomic():
        ctx.db.execute("UPDATE operators SET role = 'clerk' WHERE id = ?", [manager_id])
    with pytest.raises(PermissionDenied):
        window.reveal(app_id, "id_number")
