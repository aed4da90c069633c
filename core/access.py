"""Who may touch which application, and what the screens may show of a customer.

The policy itself is ``core.security.permissions.MATRIX``; this module adds what the
matrix cannot say alone: the store an application belongs to (``VIEW_ALL_STORES``
lifts the own-store limit) and the display masks of a detail. Services call these
before acting; hiding a button is only a courtesy.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from core import i18n
from core.models import ApplicationDetail
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
    "PermissionDenied",
    "RevealField",
    "full_value",
    "is_purged",
    "list_scope",
    "masked",
    "may_cancel",
    "require_cancel",
    "require_store",
    "reveal_field",
]
