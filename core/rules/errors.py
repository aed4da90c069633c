"""The one exception every rule-pack problem becomes, with a stable code."""

from __future__ import annotations

from core.errors import CoreError

PACK_ERROR_CODES = frozenset(
    {
        "PACK_MALFORMED",  # not UTF-8 JSON, or too broken to even check the signature
        "PACK_SIGNATURE",  # the Ed25519 signature does not match the content
        "PACK_UNKNOWN_KEY",  # signed by a key id this build does not trust
        "PACK_SHAPE",  # signed, but a field is missing or of the wrong type
        "PACK_DECISION_INVALID",  # a decision graph zen refuses, or a broken expression
        "PACK_ROLLBACK",  # older than (or conflicting with) the active pack
        "PACK_EXPIRED_ON_LOAD",  # already past valid_until when installed
        "PACK_SCENARIO_UNKNOWN",  # evaluate() asked for a scenario the pack lacks
        "PACK_TRUSTED_KEYS",  # trusted_keys.json itself is missing or broken
    }
)


class PackError(CoreError):
    """A rule pack was refused. ``code`` is stable (for i18n and logs); ``detail``
    says what and where, e.g. ``manifest.parameters.age.min: expected an integer``."""

    def __init__(self, code: str, detail: str) -> None:
        if code not in PACK_ERROR_CODES:
            raise ValueError(f"unknown pack error code {code!r}")
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
