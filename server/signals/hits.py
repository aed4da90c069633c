"""What one signal says about one arriving application."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hit:
    """Flag the arriving application with ``code``; ``earlier`` members of the same
    cluster are flagged retroactively (their first flag of this code only)."""

    code: str
    detail: dict[str, str | int] = field(default_factory=dict)
    earlier: tuple[str, ...] = ()
