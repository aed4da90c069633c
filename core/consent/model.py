"""The consent record kept with an application: which version of the texts the
customer agreed to, when, how (signed on the pad, or printed and signed on paper),
and a fingerprint of the texts of that version.

It travels in the raw application as an optional ``consent`` section::

    "consent": {"version": "2025.1", "at": "2025-03-01T02:00:00.000+00:00",
                "method": "signature" | "paper", "texts_sha256": "<hex>",
                "signature_sha256": "<hex of the signature image>" (signature only)}

Parsing checks the shape and that the version is one this build ships; the service
refuses to pre-screen or queue an application that has none (``CONSENT_MISSING``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.consent import messages as _messages  # noqa: F401  (registers the texts)
from core.consent.texts import ConsentTexts, bundled_texts
from core.validation.fields import FieldError, _err

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ConsentMethod(StrEnum):
    SIGNATURE = "signature"  # signed on the signature pad
    PAPER = "paper"  # printed and signed on paper, kept by the store


@dataclass(frozen=True)
class ConsentRecord:
    version: str
    at: str  # ISO 8601 with offset, when the clerk recorded it
    method: ConsentMethod
    texts_sha256: str
    signature_sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "at": self.at,
            "method": self.method.value,
            "texts_sha256": self.texts_sha256,
        }
        if self.signature_sha256 is not None:
            out["signature_sha256"] = self.signature_sha256
        return out


def parse_consent(
    raw: object, texts: ConsentTexts | None = None
) -> tuple[ConsentRecord | None, list[FieldError]]:
    """The record in a raw ``consent`` section, or coded errors (field ``consent.*``)."""
    if not isinstance(raw, Mapping):
        return None, [_err("consent", "CONSENT_MISSING")]
    texts = texts if texts is not None else bundled_texts()
    errors: list[FieldError] = []
    version = raw.get("version")
    found = texts.get(version) if isinstance(version, str) else None
    if found is None:
        errors.append(_err("consent.version", "CONSENT_VERSION_UNKNOWN", version=str(version)[:40]))
    method_text = raw.get("method")
    methods = {m.value: m for m in ConsentMethod}
    if method_text not in methods:
        errors.append(_err("consent.method", "CONSENT_METHOD_UNKNOWN"))
    at = raw.get("at")
    if not _is_time(at):
        errors.append(_err("consent.at", "CONSENT_TIME_INVALID"))
    sha = raw.get("texts_sha256")
    if found is not None and sha != found.sha256:
        errors.append(_err("consent.texts_sha256", "CONSENT_TEXTS_CHANGED", version=found.version))
    signature = raw.get("signature_sha256")
    if signature is not None and not (isinstance(signature, str) and _HEX64.match(signature)):
        errors.append(_err("consent.signature_sha256", "CONSENT_SIGNATURE_INVALID"))
    if method_text == ConsentMethod.SIGNATURE.value and signature is None:
        errors.append(_err("consent.signature_sha256", "CONSENT_SIGNATURE_MISSING"))
    if errors or found is None:
        return None, errors
    return (
        ConsentRecord(found.version, str(at), methods[str(method_text)], found.sha256, signature),
        [],
    )


def consent_from_json(raw: object) -> ConsentRecord | None:
    """A stored record read back (no checks against this build's texts: an old record
    stays what it was)."""
    if not isinstance(raw, Mapping):
        return None
    try:
        return ConsentRecord(
            str(raw["version"]),
            str(raw["at"]),
            ConsentMethod(raw["method"]),
            str(raw["texts_sha256"]),
            raw.get("signature_sha256"),
        )
    except (KeyError, ValueError):
        return None


def _is_time(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


__all__ = ["ConsentMethod", "ConsentRecord", "consent_from_json", "parse_consent"]
