"""Operators of each role on a real data folder, and a customer purged by retention, for
the permission tests (core and GUI)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.applications.service import Actor, ApplicationService
from core.clock import FixedClock
from core.context import AppContext
from core.ids import uuid7
from core.models import ApplicationInput, CustomerInput, Status
from core.retention import purge_personal_data
from core.security.permissions import Role
from core.store.repositories import Repositories

PLANTED_ID = "11010519491231002X"  # valid GB 11643 checksum
PLANTED_PHONE = "13812345678"
PLANTED_NAME = "王秀英"


def admin_of(ctx: AppContext) -> Actor:
    """The context's built-in account, as an admin (what the CLI and tools act as)."""
    return Actor(ctx.actor.store_id, ctx.actor.operator_id, Role.ADMIN)


def service(ctx: AppContext, actor: Actor) -> ApplicationService:
    return ApplicationService(ctx.db, actor, ctx.clock, rules=ctx.rules)


def operator(ctx: AppContext, role: Role, store_id: str | None = None) -> Actor:
    """An operator with ``role`` (of this PC's store unless ``store_id``)."""
    admin = service(ctx, admin_of(ctx))
    op_id = admin.ensure_operator(f"{role.value}-{uuid7()[-6:]}", f"测试{role.value}", role.value)
    return Actor(store_id or ctx.actor.store_id, op_id, role)


def other_store(ctx: AppContext, code: str = "S999") -> str:
    """A second store in the same database (a field manager's PC sees several)."""
    repo = Repositories(ctx.db)
    with ctx.db.atomic():
        store_id = uuid7()
        repo.insert_store(store_id, code, "别的门店", "上海", datetime.now().isoformat())
    return store_id


def planted(app: ApplicationInput) -> ApplicationInput:
    """``app`` with a customer whose values the tests look for."""
    c = app.customer
    customer = CustomerInput(
        PLANTED_ID, PLANTED_NAME, PLANTED_PHONE, c.monthly_income_fen, c.home_city, c.home_address
    )
    return ApplicationInput(
        app.scenario,
        customer,
        app.lines,
        app.terms,
        app.delivery_city,
        app.delivery_address,
        app.consent,
    )


def purge(ctx: AppContext, app_id: str, clock: FixedClock, days: int = 30) -> None:
    """Decide, acknowledge and age ``app_id`` so retention removes its personal data."""
    admin = service(ctx, admin_of(ctx))
    admin.transition(app_id, Status.SUBMITTED)
    admin.transition(app_id, Status.APPROVED)
    at = clock.now().isoformat()
    with ctx.db.atomic():
        ctx.db.execute("UPDATE outbox SET state = 'acked' WHERE application_id = ?", [app_id])
        ctx.db.execute(
            "INSERT INTO decisions(application_id, decision, approved_amount_fen, score, "
            "reasons, decided_at, seq, received_at) VALUES (?, 'approved', NULL, 60, '[]', ?, "
            "1, ?)",
            [app_id, at, at],
        )
    clock.advance(timedelta(days=days + 1))
    assert purge_personal_data(ctx.db, clock, days) >= 1


def audit_rows(ctx: AppContext, action: str) -> list[dict[str, object]]:
    return list(
        ctx.db.query(
            "SELECT operator_id, action, target_type, target_id, detail FROM audit_log "
            "WHERE action = ? ORDER BY seq",
            [action],
        )
    )


def masked_customer(c: CustomerInput) -> CustomerInput:
    """``c`` as ApplicationService.detail shows it to every role."""
    from dataclasses import replace

    from core.security.permissions import mask_id_number, mask_phone

    return replace(c, id_number=mask_id_number(c.id_number), phone=mask_phone(c.phone))
