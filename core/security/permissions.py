"""Roles, permissions and the display masks for personal data.

Core services call :func:`require` before acting; hiding a button is only a courtesy.
The whole policy is the one matrix below (``MATRIX``); tests hold it to this table.

=====================  =====  =============  =====
permission             clerk  field_manager  admin
=====================  =====  =============  =====
CREATE_APPLICATION     yes    yes            yes
EDIT_DRAFT             yes    yes            yes
CANCEL_APPLICATION     yes*   yes            yes
VIEW_FULL_ID           no     yes            yes
EXPORT                 no     yes            yes
LOAD_RULE_PACK         no     yes            yes
MANAGE_OPERATORS       no     no             yes
CHANGE_SETTINGS        no     no             yes
SYNC                   yes    yes            yes
VIEW_ALL_STORES        no     yes            yes
=====================  =====  =============  =====

\\* A clerk cancels only applications of their own store that are not yet submitted:
the matrix answers "may this role cancel at all"; the service checks the store (with
VIEW_ALL_STORES) and the status machine checks the status.

Unknown roles get nothing (fail closed). Each reveal of a full ID number is audited by
the service that calls ``require(role, Permission.VIEW_FULL_ID)``.
"""

from __future__ import annotations

from enum import StrEnum

from core import i18n
from core.security.messages import SecurityError


class Role(StrEnum):
    CLERK = "clerk"  # 门店专员
    FIELD_MANAGER = "field_manager"  # 区域经理
    ADMIN = "admin"


class Permission(StrEnum):
    CREATE_APPLICATION = "create_application"
    EDIT_DRAFT = "edit_draft"
    CANCEL_APPLICATION = "cancel_application"
    VIEW_FULL_ID = "view_full_id"
    EXPORT = "export"
    LOAD_RULE_PACK = "load_rule_pack"
    MANAGE_OPERATORS = "manage_operators"
    CHANGE_SETTINGS = "change_settings"
    SYNC = "sync"
    VIEW_ALL_STORES = "view_all_stores"


_CLERK = frozenset(
    {
        Permission.CREATE_APPLICATION,
        Permission.EDIT_DRAFT,
        Permission.CANCEL_APPLICATION,
        Permission.SYNC,
    }
)
_FIELD_MANAGER = _CLERK | {
    Permission.VIEW_FULL_ID,
    Permission.EXPORT,
    Permission.LOAD_RULE_PACK,
    Permission.VIEW_ALL_STORES,
}
MATRIX: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _CLERK,
    Role.FIELD_MANAGER: frozenset(_FIELD_MANAGER),
    Role.ADMIN: frozenset(Permission),
}


class PermissionDenied(SecurityError):
    code = "SECURITY_PERMISSION_DENIED"

    def __init__(self, role: Role | str, permission: Permission) -> None:
        self.role = str(role)
        self.permission = permission
        super().__init__(role=self.role, permission=permission.value)

    def message(self, lang: str | None = None) -> str:
        role = _as_role(self.role)
        role_code = f"SECURITY_ROLE_{role.name}" if role else "SECURITY_ROLE_UNKNOWN"
        return i18n.translate(
            self.code,
            lang,
            role=i18n.translate(role_code, lang),
            permission=i18n.translate(f"SECURITY_PERM_{self.permission.name}", lang),
        )


def allowed(role: Role | str, permission: Permission) -> bool:
    found = _as_role(role)
    return found is not None and permission in MATRIX[found]


def require(role: Role | str, permission: Permission) -> None:
    """Return quietly when ``role`` holds ``permission``; else raise :class:`PermissionDenied`."""
    if not allowed(role, permission):
        raise PermissionDenied(role, permission)


def _as_role(role: Role | str) -> Role | None:
    try:
        return Role(role)
    except ValueError:
        return None


# --- masks ---------------------------------------------------------------------------
# Whole-string masks for display; lengths are kept so columns line up. Anything too
# short to mask meaningfully is masked completely.


def mask_id_number(id_number: str) -> str:
    """``110105194912310021`` -> ``110105********0021`` (region kept, birth date hidden)."""
    if len(id_number) <= 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """``张三丰`` -> ``张**``; a one-character name becomes ``*``."""
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)
