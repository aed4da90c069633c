"""Bundle problems as stable codes with parameters (text in core.bundle.messages)."""

from __future__ import annotations

from typing import Any

from core import i18n
from core.bundle import messages as _messages  # noqa: F401  (registers the texts)
from core.errors import CoreError


class BundleError(CoreError):
    """A bundle refused or not made: an i18n code and its parameters. Nothing already
    saved on the PC is changed when one is raised."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def text(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.text("en")
