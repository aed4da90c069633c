"""Clerk-facing text for the consent codes (zh_CN and en), registered on import."""

from __future__ import annotations

from core import i18n

MESSAGES: dict[str, dict[str, str]] = {
    "CONSENT_MISSING": {
        "zh_CN": "尚未记录客户的《个人信息处理授权书》和《征信查询授权书》：请先向客户出示授权书，"
        "由客户在签名板签名或在打印件上签字后记录授权，再进行预审或提交",
        "en": "The customer's consent (personal information processing and credit query) has "
        "not been recorded: show the consent forms, have the customer sign on the pad or on "
        "the printed form, record the consent, then pre-screen or submit",
    },
    "CONSENT_VERSION_UNKNOWN": {
        "zh_CN": "授权书版本“{version}”不是本程序所带的版本，请重新向客户出示当前授权书并记录",
        "en": "Consent version “{version}” is not one this program ships; show the current "
        "forms again and record the consent",
    },
    "CONSENT_METHOD_UNKNOWN": {
        "zh_CN": "授权方式只能是“签名板签名”或“纸质签字”",
        "en": "The consent method must be “signature pad” or “signed on paper”",
    },
    "CONSENT_TIME_INVALID": {
        "zh_CN": "授权时间无效（应为带时区的时间），请重新记录授权",
        "en": "The consent time is not valid (a time with a time zone is needed); record the "
        "consent again",
    },
    "CONSENT_TEXTS_CHANGED": {
        "zh_CN": "授权书第{version}版的文本与客户签署时不一致，请重新出示授权书并重新记录",
        "en": "The texts of consent version {version} differ from what the customer signed; "
        "show the forms again and record the consent again",
    },
    "CONSENT_SIGNATURE_MISSING": {
        "zh_CN": "选择了签名板签名，但没有签名图像，请让客户在签名板上签名",
        "en": "Signature-pad consent was chosen but there is no signature image; have the "
        "customer sign on the pad",
    },
    "CONSENT_SIGNATURE_INVALID": {
        "zh_CN": "签名图像的编号无效，请让客户重新签名",
        "en": "The signature image reference is not valid; have the customer sign again",
    },
    "CONSENT_ALREADY_SUBMITTED": {
        "zh_CN": "该申请已提交总部，门店不能再撤回授权；请联系总部处理客户的撤回请求",
        "en": "This application has already been submitted to head office; the store can no "
        "longer withdraw the consent. Pass the customer's request to head office",
    },
    "CONSENT_NOTHING_PENDING": {
        "zh_CN": "当前没有待使用的客户授权",
        "en": "No customer consent is waiting to be used",
    },
    "ACTION_consent_recorded": {"zh_CN": "记录客户授权", "en": "Customer consent recorded"},
    "ACTION_consent_withdrawn": {
        "zh_CN": "客户撤回授权，个人信息已删除",
        "en": "Customer withdrew consent; personal data deleted",
    },
    "ACTION_evidence_attached": {
        "zh_CN": "保存申请材料清单",
        "en": "Evidence list saved with the application",
    },
    "ACTION_attachment_added": {"zh_CN": "添加附件", "en": "Attachment added"},
}

i18n.register(MESSAGES)
