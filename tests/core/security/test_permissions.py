"""Roles x permissions held to an explicit table, the refusal text, and the masks."""

from __future__ import annotations

import itertools

import pytest

from core.security.permissions import (
    MATRIX,
    Permission,
    PermissionDenied,
    Role,
    allowed,
    mask_id_number,
    mask_name,
    mask_phone,
    require,
)

P = Permission
#                          clerk  field_manager  admin
EXPECTED: dict[Permission, tuple[bool, bool, bool]] = {
    P.CREATE_APPLICATION: (True, True, True),
    P.EDIT_DRAFT: (True, True, True),
    P.CANCEL_APPLICATION: (True, True, True),
    P.VIEW_FULL_ID: (False, True, True),
    P.EXPORT: (False, True, True),
    P.LOAD_RULE_PACK: (False, True, True),
    P.MANAGE_OPERATORS: (False, False, True),
    P.CHANGE_SETTINGS: (False, False, True),
    P.SYNC: (True, True, True),
    P.VIEW_ALL_STORES: (False, True, True),
}
ROLES = (Role.CLERK, Role.FIELD_MANAGER, Role.ADMIN)


def test_table_covers_every_role_and_permission() -> None:
    assert set(EXPECTED) == set(Permission)
    assert set(MATRIX) == set(Role) == set(ROLES)


@pytest.mark.parametrize(("role", "permission"), list(itertools.product(ROLES, Permission)))
def test_matrix(role: Role, permission: Permission) -> None:
    expected = EXPECTED[permission][ROLES.index(role)]
    assert allowed(role, permission) is expected
    assert allowed(role.value, permission) is expected
    if expected:
        require(role, permission)
    else:
        with pytest.raises(PermissionDenied) as info:
            require(role, permission)
        assert info.value.code == "SECURITY_PERMISSION_DENIED"
        assert (info.value.role, info.value.permission) == (role.value, permission)


@pytest.mark.parametrize("role", ["", "root", "ADMIN", "Admin "])
def test_unknown_roles_get_nothing(role: str) -> None:
    assert not any(allowed(role, p) for p in Permission)
    with pytest.raises(PermissionDenied) as info:
        require(role, Permission.SYNC)
    assert "未知角色" in info.value.message("zh_CN")
    assert "unknown role" in info.value.message("en")


def test_denied_text_in_both_languages() -> None:
    with pytest.raises(PermissionDenied) as info:
        require(Role.CLERK, Permission.EXPORT)
    exc = info.value
    assert exc.message("zh_CN") == "“门店专员”无权导出数据。如确需操作，请联系区域经理或管理员。"
    assert exc.message("en") == (
        "A store clerk may not export data. If this is needed, ask a field manager or an "
        "administrator."
    )
    assert str(exc).startswith("SECURITY_PERMISSION_DENIED: A store clerk may not export")
    fm = PermissionDenied(Role.FIELD_MANAGER, Permission.MANAGE_OPERATORS)
    assert "区域经理" in fm.message("zh_CN") and "管理操作员" in fm.message("zh_CN")
    assert "field manager may not manage operators" in fm.message("en")


@pytest.mark.parametrize(
    ("masker", "value", "masked"),
    [
        (mask_id_number, "110105194912310021", "110105********0021"),
        (mask_id_number, "11010519491231002X", "110105********002X"),
        (mask_id_number, "110105491231002", "110105*****1002"),
        (mask_id_number, "1101054912", "**********"),
        (mask_id_number, "", ""),
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "1381234", "*******"),
        (mask_phone, "", ""),
        (mask_name, "张三丰", "张**"),
        (mask_name, "张三", "张*"),
        (mask_name, "欧阳娜娜", "欧***"),
        (mask_name, "张", "*"),
        (mask_name, "", ""),
    ],
)
def test_masks(masker: object, value: str, masked: str) -> None:
    assert masker(value) == masked  # type: ignore[operator]
