"""Who may touch which application, and what the screens may show of a customer.

The policy itself is ``core.security.permissions.MATRIX``; this module adds what the
matrix cannot say alone: the store an application belongs to (``VIEW_ALL_STORES``
lifts the own-store limit) and the display masks of a detail. Services call these
before acting; hiding a button is only a courtesy.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

import sqlite_utils

from core import i18n
from core.models import ApplicationDetail
from core.operators.actor import Actor
from core.security.permissions import (
    Permission,
    PermissionDenied,
    Role,
    allowed,
    mask_id_number,
    mask_phone,
    require,
)

i18n.register(
    {
        "ACTION_revealed": {"zh_CN": "查看完整信息", "en": "Full data shown"},
        "ACTION_exported": {"zh_CN": "导出", "en": "Exported"},
        "PERSONAL_DATA_REMOVED": {
            "zh_CN": "该客户的个人信息已按保留期限删除，无法查看。",
            "en": "This customer's personal data was removed (retention period) and cannot "
            "be shown.",
        },
        "SECURITY_OPERATOR_DISABLED": {
            "zh_CN": "该账号已被管理员停用或已不存在，不能再执行此操作。请退出登录；"
            "如有疑问请联系管理员。",
            "en": "This account was disabled by an administrator (or no longer exists), so "
            "it may not do this any more. Sign out; ask an administrator if this is wrong.",
        },
        "REVEAL_FIELD_UNKNOWN": {
            "zh_CN": "无法显示该项（{field}）",
            "en": "This item cannot be shown ({field})",
        },
    }
)


class RevealField(StrEnum):
    """The masked fields of a detail that a permitted role may see in full."""

    ID_NUMBER = "id_number"
    PHONE = "phone"


class OperatorNotActive(PermissionDenied):
    """The acting operator's account was disabled (or removed) after the session began."""

    code = "SECURITY_OPERATOR_DISABLED"

    def message(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang)


def current_role(db: sqlite_utils.Database, actor: Actor, permission: Permission) -> Role:
    """The role ``actor``'s account holds now, re-read from the operators table: a session
    opened before an administrator disabled the account or changed its role does not keep
    the old rights. Raises :class:`OperatorNotActive` for a disabled or unknown account
    (``permission`` is what was asked for, for the message)."""
    from core.store.operators_repo import OperatorsRepo

    record = OperatorsRepo(db).by_id(actor.operator_id)
    if record is None or not record.active:
        raise OperatorNotActive(actor.role, permission)
    stored = _as_role(record.role)
    if stored is None:
        raise PermissionDenied(record.role, permission)
    return stored


def require_current(db: sqlite_utils.Database, actor: Actor, permission: Permission) -> Role:
    """What every guarded service call does: the account is still active, and both its
    current role and the session's own role (a role raised in the database does not widen
    an open session) hold ``permission``. Returns the current role."""
    role = current_role(db, actor, permission)
    require(actor.role, permission)
    require(role, permission)
    return role


def _as_role(role: str) -> Role | None:
    try:
        return Role(role)
    except ValueError:
        return None


def require_store(role: Role | str, actor_store_id: str, app_store_id: str) -> None:
    """An application of another store needs ``VIEW_ALL_STORES``."""
    if app_store_id != actor_store_id:
        require(role, Permission.VIEW_ALL_STORES)


def list_scope(role: Role | str, actor_store_id: str) -> str | None:
    """The store a list or count is limited to: ``None`` (every store) with
    ``VIEW_ALL_STORES``, else the actor's own."""
    return None if allowed(role, Permission.VIEW_ALL_STORES) else actor_store_id


def may_cancel(role: Role | str, actor_store_id: str, app_store_id: str) -> bool:
    """The cancel rule without the status machine: the screens' courtesy check."""
    if not allowed(role, Permission.CANCEL_APPLICATION):
        return False
    return app_store_id == actor_store_id or allowed(role, Permission.VIEW_ALL_STORES)


def require_cancel(role: Role | str, actor_store_id: str, app_store_id: str) -> None:
    """A clerk cancels only their own store's applications; the status machine then
    refuses anything already submitted to head office (for every role)."""
    require(role, Permission.CANCEL_APPLICATION)
    require_store(role, actor_store_id, app_store_id)


def is_purged(detail: ApplicationDetail) -> bool:
    """Retention blanked this customer's personal fields (they read back as '')."""
    c = detail.customer
    return not (c.id_number or c.name or c.phone)


def masked(detail: ApplicationDetail) -> ApplicationDetail:
    """The detail as every role sees it: ID number and phone masked."""
    customer = replace(
        detail.customer,
        id_number=mask_id_number(detail.customer.id_number),
        phone=mask_phone(detail.customer.phone),
    )
    return replace(detail, customer=customer)


def reveal_field(field: str) -> RevealField | None:
    try:
        return RevealField(field)
    except ValueError:
        return None


def full_value(detail: ApplicationDetail, field: RevealField) -> str:
    if field is RevealField.ID_NUMBER:
        return detail.customer.id_number
    return detail.customer.phone


__all__ = [
    "OperatorNotActive",
    "PermissionDenied",
    "RevealField",
    "current_role",
    "require_current",
    "full_value",
    "is_purged",
    "list_scope",
    "masked",
    "may_cancel",
    "require_cancel",
    "require_store",
    "reveal_field",
]
