"""Why a field manager or an administrator shows a customer's full ID number or phone:
a short list to pick from (the audit row of the reveal names the reason), and the
words for the field and the reason in the history."""

from __future__ import annotations

from enum import StrEnum

from core import i18n


class RevealReason(StrEnum):
    CUSTOMER_CALLBACK = "customer_callback"  # 客户回访
    COLLECTION = "collection"  # 催收
    AUDIT = "audit"  # 审计稽核
    DISPUTE = "dispute"  # 投诉或争议处理


i18n.register(
    {
        "REVEAL_REASON_customer_callback": {"zh_CN": "客户回访", "en": "Customer callback"},
        "REVEAL_REASON_collection": {"zh_CN": "催收", "en": "Collection"},
        "REVEAL_REASON_audit": {"zh_CN": "审计稽核", "en": "Audit"},
        "REVEAL_REASON_dispute": {"zh_CN": "投诉或争议处理", "en": "Complaint or dispute"},
        "REVEAL_REASON_UNKNOWN": {
            "zh_CN": "查看完整信息的原因无效（{reason}）：请从列表中选择一项",
            "en": "Not a reason for showing full data ({reason}): pick one from the list",
        },
        "REVEAL_FIELD_id_number": {"zh_CN": "身份证号", "en": "ID number"},
        "REVEAL_FIELD_phone": {"zh_CN": "手机号", "en": "mobile phone"},
        "REVEALED_WHAT": {"zh_CN": "查看完整信息：{field}", "en": "Full data shown: {field}"},
        "REVEALED_WHAT_WHY": {
            "zh_CN": "查看完整信息：{field}（原因：{reason}）",
            "en": "Full data shown: {field} (reason: {reason})",
        },
    }
)


def reveal_reason(text: str) -> RevealReason | None:
    try:
        return RevealReason(text)
    except ValueError:
        return None


def reason_text(reason: str, lang: str | None = None) -> str:
    code = f"REVEAL_REASON_{reason}"
    return i18n.translate(code, lang) if i18n.has(code) else reason


def revealed_text(field: str, reason: str | None, lang: str | None = None) -> str:
    """ "Full data shown: ID number (reason: Collection)" for a reveal's audit detail."""
    code = f"REVEAL_FIELD_{field}"
    field_text = i18n.translate(code, lang) if i18n.has(code) else field
    if not reason:
        return i18n.translate("REVEALED_WHAT", lang, field=field_text)
    return i18n.translate(
        "REVEALED_WHAT_WHY", lang, field=field_text, reason=reason_text(reason, lang)
    )
