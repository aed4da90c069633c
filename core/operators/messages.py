"""The errors of the operator accounts (core/operators/service.py) and their zh_CN and en text,
registered on import."""

from __future__ import annotations

import math

from core import i18n
from core.operators.actor import ServiceError
from core.security.messages import SecurityError

i18n.register(
    {
        "OPERATOR_LOGIN_INVALID": {
            "zh_CN": "登录名需 2–32 位，只能用字母、数字、点、下划线或连字符，且以字母或数字开头",
            "en": "The login needs 2–32 characters: letters, digits, dot, underscore or "
            "hyphen, starting with a letter or digit",
        },
        "OPERATOR_LOGIN_RESERVED": {
            "zh_CN": "该登录名为系统保留，请换一个",
            "en": "This login is reserved; choose another one",
        },
        "OPERATOR_LOGIN_TAKEN": {
            "zh_CN": "该登录名已被使用，请换一个",
            "en": "This login is already taken; choose another one",
        },
        "OPERATOR_NAME_INVALID": {
            "zh_CN": "请填写姓名（最多 {max_length} 个字）",
            "en": "Enter the name (at most {max_length} characters)",
        },
        "OPERATOR_ROLE_INVALID": {
            "zh_CN": "请选择角色：门店专员、区域经理或管理员",
            "en": "Choose a role: store clerk, field manager or administrator",
        },
        "OPERATOR_PASSWORD_REJECTED": {
            "zh_CN": "密码不符合要求",
            "en": "The password does not meet the rules",
        },
        "OPERATOR_SYSTEM_ACCOUNT": {
            "zh_CN": "系统内置账户不能登录，也不能修改",
            "en": "The built-in system account cannot log in and cannot be changed",
        },
        "OPERATOR_NOT_YOURSELF": {
            "zh_CN": "不能停用自己正在使用的账户",
            "en": "You cannot disable the account you are signed in with",
        },
        "OPERATOR_LAST_ADMIN": {
            "zh_CN": "至少要保留一个可以登录的管理员账户",
            "en": "At least one administrator who can log in must remain",
        },
        "OPERATOR_SETUP_DONE": {
            "zh_CN": "管理员账户已经设置，请直接登录",
            "en": "The administrator account is already set up; please log in",
        },
        "OPERATOR_NO_SYSTEM_ACCOUNT": {
            "zh_CN": "程序错误：数据库中没有系统账户。请联系 IT 并附上日志。",
            "en": "Program error: the database has no system account. Please contact IT "
            "with the log file.",
        },
        # audit actions (the history and audit views show these)
        "ACTION_first_admin_created": {
            "zh_CN": "创建首个管理员",
            "en": "First administrator set up",
        },
        "ACTION_operator_created": {"zh_CN": "新增操作员", "en": "Operator added"},
        "ACTION_operator_disabled": {"zh_CN": "停用操作员", "en": "Operator disabled"},
        "ACTION_operator_enabled": {"zh_CN": "启用操作员", "en": "Operator enabled"},
        "ACTION_password_reset": {"zh_CN": "重设密码", "en": "Password reset"},
        "ACTION_password_changed": {"zh_CN": "修改密码", "en": "Password changed"},
        "ACTION_login": {"zh_CN": "登录", "en": "Logged in"},
        "ACTION_login_failed": {"zh_CN": "登录失败", "en": "Login failed"},
        "ACTION_unlocked": {"zh_CN": "解锁屏幕", "en": "Screen unlocked"},
        "ACTION_signed_out": {"zh_CN": "退出登录", "en": "Signed out"},
    }
)


class LoginFailed(SecurityError):
    """Wrong login or password, a disabled account, or still waiting after failures.

    ``delay_s`` is how long the screen must wait before the next attempt (0 = now);
    ``throttled`` says the attempt was refused unchecked because the wait was not over.
    """

    code = "SECURITY_LOGIN_FAILED"

    def __init__(self, delay_s: float, *, throttled: bool = False) -> None:
        self.delay_s = max(0.0, float(delay_s))
        self.throttled = throttled
        super().__init__(seconds=math.ceil(self.delay_s))

    def message(self, lang: str | None = None) -> str:
        if self.throttled:
            return i18n.translate("SECURITY_LOGIN_THROTTLED", lang, **self.params)
        return i18n.translate(self.code, lang)


class OperatorError(ServiceError):
    """A refused account change (code and parameters for i18n)."""

    def message(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang, **self.params)


class PasswordRejected(OperatorError):
    """The new password breaks the policy; ``codes`` are the rules it breaks."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__("OPERATOR_PASSWORD_REJECTED")
        self.codes = list(codes)

    def reasons(self, lang: str | None = None) -> list[str]:
        from core.security.passwords import policy_params  # hashlib: not for the first screen

        return [i18n.translate(c, lang, **policy_params(c)) for c in self.codes]

    def message(self, lang: str | None = None) -> str:
        sep = "：" if i18n.normalize_language(lang) == "zh_CN" else ": "
        joiner = "；" if sep == "：" else "; "
        return i18n.translate(self.code, lang) + sep + joiner.join(self.reasons(lang))
