"""Stable codes in, Chinese or English text out.

Core code never builds user-facing sentences: it returns a code with parameters, and
this catalog turns the code into text in the user's language. Each area registers its
own messages at import time with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_CATALOG: dict[str, dict[str, str]] = {}


def normalize_language(lang: str | None) -> str:
    """Map anything locale-like ("zh", "zh-CN", "en_US", None) to a supported language."""
    if not lang:
        return DEFAULT_LANGUAGE
    low = lang.replace("-", "_").lower()
    if low.startswith("zh"):
        return "zh_CN"
    return "en"


def register(messages: Mapping[str, Mapping[str, str]]) -> None:
    """Add ``{code: {"zh_CN": text, "en": text}}`` entries; both languages are required."""
    for code, texts in messages.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"message {code!r} lacks {missing}")
        if code in _CATALOG and dict(_CATALOG[code]) != dict(texts):
            raise ValueError(f"message {code!r} registered twice with different text")
        _CATALOG[code] = dict(texts)


def has(code: str) -> bool:
    return code in _CATALOG


def translate(code: str, lang: str | None = None, **params: Any) -> str:
    """Text for ``code`` in ``lang``; an unknown code comes back as the code itself."""
    texts = _CATALOG.get(code)
    if texts is None:
        return code
    template = texts[normalize_language(lang)]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def codes() -> list[str]:
    return sorted(_CATALOG)
