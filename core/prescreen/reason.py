"""One reason of a pre-screen outcome: a stable code, how bad, which side, and the facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from core.prescreen import messages as prescreen_messages

Severity = Literal["DECLINE", "REFER"]
Side = Literal["borrower", "merchant", "data", "system"]
Outcome = Literal["PASS", "REFER", "DECLINE"]

SEVERITY_RANK: Mapping[str, int] = MappingProxyType({"PASS": 0, "REFER": 1, "DECLINE": 2})


@dataclass(frozen=True)
class Reason:
    code: str
    severity: Severity
    side: Side
    facts: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "facts", MappingProxyType(dict(self.facts)))

    def text(self, lang: str | None = None) -> str:
        """What happened and what to do, in ``lang``."""
        return prescreen_messages.render(self.code, self.severity, self.facts, lang)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "side": self.side,
            "message": self.text(lang),
            "message_zh": self.text("zh_CN"),
            "message_en": self.text("en"),
            "facts": dict(self.facts),
        }

    def to_record(self) -> dict[str, Any]:
        """What the receipt stores (texts are derived, not stored)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "side": self.side,
            "facts": dict(self.facts),
        }


def worst(reasons: tuple[Reason, ...] | list[Reason]) -> Outcome:
    rank = max((SEVERITY_RANK[r.severity] for r in reasons), default=0)
    return "DECLINE" if rank == 2 else "REFER" if rank == 1 else "PASS"
