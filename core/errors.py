"""The one base of every refusal core gives a person.

A :class:`CoreError` carries a stable ``code`` (for logs, tests and support), ``params``
that fill its text, and the text itself in Chinese and English (:meth:`CoreError.text`,
from the codes each area registers in :mod:`core.i18n`). Areas keep their own
subclasses (a sync refusal, a storage problem, a rule pack refused …) with the
constructors that suit them; a screen catches ``CoreError`` and shows ``text(lang)``,
and anything else that reaches it is a bug for the crash dialog.

``params`` never hold personal data: the texts go to logs as well as to screens.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from core import i18n

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})

i18n.register(
    {
        "CORE_ERROR": {
            "zh_CN": "操作未完成：{detail}",
            "en": "The action was not completed: {detail}",
        }
    }
)


class CoreError(Exception):
    """``code`` (a class default, or set by the subclass's constructor), ``params`` and
    the text in both languages."""

    code: str = "CORE_ERROR"
    params: Mapping[str, Any] = _NO_PARAMS

    def text(self, lang: str | None = None) -> str:
        """The person-facing text in ``lang`` (the code itself if none is registered)."""
        params = dict(self.params)
        params.setdefault("detail", str(self.args[0]) if self.args else "")
        return i18n.translate(self.code, lang, **params)


__all__ = ["CoreError"]
