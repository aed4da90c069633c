"""The customer's consent to the processing of personal information and to credit
queries (个人信息处理授权 / 征信查询授权): the versioned texts (resources/consent/), the
record kept with an application, and its coded messages."""

from __future__ import annotations

from core.consent.model import (
    ConsentMethod,
    ConsentRecord,
    consent_from_json,
    parse_consent,
)
from core.consent.texts import (
    ConsentDocument,
    ConsentTexts,
    ConsentVersion,
    load_texts,
)

__all__ = [
    "ConsentDocument",
    "ConsentMethod",
    "ConsentRecord",
    "ConsentTexts",
    "ConsentVersion",
    "consent_from_json",
    "load_texts",
    "parse_consent",
]
