"""Codes and text (zh_CN and en) for everything in :mod:`core.security`.

Registered with :func:`core.i18n.register` on import. :class:`SecurityError` is the base
of every exception in the package: a stable ``code``, parameters, and ``message(lang)``.
No message ever carries personal data, key material or a ciphertext.
"""

from __future__ import annotations

from typing import Any

from core import i18n
from core.errors import CoreError

_IT_WHAT_TO_DO_ZH = (
    "请 IT 处理：Windows 上确认当前 Windows 用户可以使用“凭据管理器”（Credential Manager）；"
    "Linux 上安装并解锁 Secret Service（如 gnome-keyring），或用环境变量 "
    "PYTHON_KEYRING_BACKEND 明确指定安全的后端。本程序不会改用明文保存密钥。"
)
_IT_WHAT_TO_DO_EN = (
    "IT: on Windows, make sure Credential Manager is available to this Windows user; on "
    "Linux, install and unlock a Secret Service (e.g. gnome-keyring), or choose a secure "
    "backend explicitly with the PYTHON_KEYRING_BACKEND environment variable. LoanDesk "
    "never falls back to storing keys in plain text."
)

MESSAGES: dict[str, dict[str, str]] = {
    # keys.py
    "SECURITY_KEYRING_UNAVAILABLE": {
        "zh_CN": "无法使用系统密钥环（当前后端：{backend}）：{why}客户资料需加密保存，"
        "密钥只能放在系统密钥环中。" + _IT_WHAT_TO_DO_ZH,
        "en": "The OS keyring cannot be used (backend found: {backend}): {why}Customer data "
        "is stored encrypted and its key may live only in the OS keyring. " + _IT_WHAT_TO_DO_EN,
    },
    "SECURITY_KEYRING_WHY_NO_BACKEND": {
        "zh_CN": "找不到可用的密钥环后端。",
        "en": "no usable keyring backend was found. ",
    },
    "SECURITY_KEYRING_WHY_INSECURE_BACKEND": {
        "zh_CN": "该后端会以明文保存或直接丢弃密钥，已拒绝使用。",
        "en": "this backend stores secrets in plain text or discards them, so it is refused. ",
    },
    "SECURITY_KEYRING_WHY_ERROR": {
        "zh_CN": "访问密钥环出错（{detail}）。",
        "en": "the keyring reported an error ({detail}). ",
    },
    "SECURITY_KEYRING_WHY_NOT_KEPT": {
        "zh_CN": "写入的密钥未能再读出，后端没有保存它。",
        "en": "a key written to it could not be read back, so it does not keep secrets. ",
    },
    "SECURITY_KEYS_CORRUPT": {
        "zh_CN": "系统密钥环中的数据密钥（LoanDesk / data-keys:{install_id}）已损坏，无法读取"
        "（{detail}）。为免已加密的客户资料无法解密，程序不会自动生成新密钥。"
        "请 IT 从备份恢复该凭据，切勿删除。",
        "en": "The data keys in the OS keyring (LoanDesk / data-keys:{install_id}) are damaged "
        "and cannot be read ({detail}). LoanDesk will not make new keys, because the "
        "customer data already encrypted would be lost. IT: restore this credential from a "
        "backup; do not delete it.",
    },
    "SECURITY_KEYS_MISSING": {
        "zh_CN": "系统密钥环中找不到数据密钥（LoanDesk / data-keys:{install_id}），但本机已有"
        "加密的客户资料。可能换了 Windows 用户登录，或该凭据被删除。请用原来的用户登录，"
        "或由 IT 从备份恢复该凭据。",
        "en": "The data keys (LoanDesk / data-keys:{install_id}) are missing from the OS "
        "keyring, but this PC already holds encrypted customer data. Perhaps another "
        "Windows user is logged in, or the credential was deleted. Log in as the original "
        "user, or ask IT to restore the credential from a backup.",
    },
    # core/store/vault.py
    "SECURITY_VAULT_MISSING": {
        "zh_CN": "程序错误：数据库连接未带数据密钥就读写了客户资料。请联系 IT 并附上日志。",
        "en": "Program error: customer data was read or written on a database connection "
        "opened without the data keys. Please contact IT with the log file.",
    },
    # crypto.py
    "SECURITY_DECRYPT_FAILED": {
        "zh_CN": "一项客户资料无法解密：数据被改动、放错了位置或密钥不符。请运行 check 并联系 IT。",
        "en": "A customer data field could not be decrypted: it was altered, moved to another "
        "record, or the key does not match. Run check and contact IT.",
    },
    # permissions.py
    "SECURITY_PERMISSION_DENIED": {
        "zh_CN": "“{role}”无权{permission}。如确需操作，请联系区域经理或管理员。",
        "en": "A {role} may not {permission}. If this is needed, ask a field manager or an "
        "administrator.",
    },
    "SECURITY_ROLE_CLERK": {"zh_CN": "门店专员", "en": "store clerk"},
    "SECURITY_ROLE_FIELD_MANAGER": {"zh_CN": "区域经理", "en": "field manager"},
    "SECURITY_ROLE_ADMIN": {"zh_CN": "管理员", "en": "administrator"},
    "SECURITY_ROLE_UNKNOWN": {"zh_CN": "未知角色", "en": "user with an unknown role"},
    "SECURITY_PERM_CREATE_APPLICATION": {"zh_CN": "新建申请", "en": "create applications"},
    "SECURITY_PERM_EDIT_DRAFT": {"zh_CN": "编辑草稿", "en": "edit drafts"},
    "SECURITY_PERM_CANCEL_APPLICATION": {"zh_CN": "取消申请", "en": "cancel applications"},
    "SECURITY_PERM_VIEW_FULL_ID": {"zh_CN": "查看完整证件号", "en": "see full ID numbers"},
    "SECURITY_PERM_EXPORT": {"zh_CN": "导出数据", "en": "export data"},
    "SECURITY_PERM_LOAD_RULE_PACK": {"zh_CN": "加载规则包", "en": "load a rule pack"},
    "SECURITY_PERM_MANAGE_OPERATORS": {"zh_CN": "管理操作员", "en": "manage operators"},
    "SECURITY_PERM_CHANGE_SETTINGS": {"zh_CN": "修改设置", "en": "change settings"},
    "SECURITY_PERM_SYNC": {"zh_CN": "同步", "en": "sync"},
    "SECURITY_PERM_VIEW_ALL_STORES": {"zh_CN": "查看所有门店", "en": "see all stores"},
    # passwords.py: policy
    "SECURITY_PW_TOO_SHORT": {
        "zh_CN": "密码至少需要 {min_length} 位",
        "en": "The password needs at least {min_length} characters",
    },
    "SECURITY_PW_LETTER_AND_DIGIT": {
        "zh_CN": "密码需同时包含字母和数字",
        "en": "The password needs both letters and digits",
    },
    "SECURITY_PIN_TOO_SHORT": {
        "zh_CN": "PIN 码至少需要 {min_length} 位数字",
        "en": "The PIN needs at least {min_length} digits",
    },
    "SECURITY_PW_ALL_SAME": {
        "zh_CN": "不能全部使用同一个字符（如 888888）",
        "en": "Do not repeat one character throughout (e.g. 888888)",
    },
    "SECURITY_PW_SEQUENTIAL": {
        "zh_CN": "不能使用连续数字（如 123456、654321）",
        "en": "Do not use a run of consecutive digits (e.g. 123456, 654321)",
    },
    "SECURITY_PW_REPEATING": {
        "zh_CN": "不能是一小段的重复（如 123123、520520）",
        "en": "Do not repeat a short block (e.g. 123123, 520520)",
    },
    # passwords.py: login
    "SECURITY_LOGIN_FAILED": {
        "zh_CN": "用户名或密码不正确",
        "en": "Wrong user name or password",
    },
    "SECURITY_LOGIN_THROTTLED": {
        "zh_CN": "尝试次数过多，请 {seconds} 秒后再试",
        "en": "Too many attempts; try again in {seconds} s",
    },
    # audit_chain.py
    "SECURITY_AUDIT_OK": {
        "zh_CN": "审计日志完整（已核对 {checked} 条）",
        "en": "Audit log intact ({checked} rows checked)",
    },
    "SECURITY_AUDIT_CHANGED": {
        "zh_CN": "审计日志第 {seq} 条被改动",
        "en": "Audit log row {seq} was changed",
    },
    "SECURITY_AUDIT_DELETED": {
        "zh_CN": "审计日志第 {seq} 条被删除",
        "en": "Audit log row {seq} was deleted",
    },
    "SECURITY_AUDIT_REORDERED": {
        "zh_CN": "审计日志自第 {seq} 条起顺序被打乱",
        "en": "Audit log rows were reordered from row {seq}",
    },
    "SECURITY_ERROR": {
        "zh_CN": "安全检查未通过，操作已停止；请联系 IT",
        "en": "A security check failed and the action was stopped; call IT",
    },
    "SECURITY_AUDIT_TRUNCATED": {
        "zh_CN": "审计日志自第 {seq} 条起的记录被截掉",
        "en": "Audit log rows from row {seq} on were cut off",
    },
}

i18n.register(MESSAGES)


class SecurityError(CoreError):
    """Base of the package's exceptions: ``code`` is stable, ``params`` fill its text.

    ``str(exc)`` is the code plus the English text, safe for logs.
    """

    code = "SECURITY_ERROR"

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, Any] = params
        super().__init__(f"{self.code}: {self.message('en')}")

    def message(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang, **self.params)
