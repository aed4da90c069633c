"""Sync problems as stable codes with parameters (text in core.sync.messages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core import i18n
from core.errors import CoreError
from core.sync import messages as _messages  # noqa: F401  (registers the texts)


class SyncError(CoreError):
    """A refusal the user or IT can act on: an i18n code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def text(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class SyncIssue:
    """One problem met during a sync run (the run itself may still have succeeded)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def text(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang, **self.params)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {"code": self.code, "params": self.params, "message": self.text(lang)}
