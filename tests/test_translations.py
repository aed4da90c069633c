"""The committed translations can all be found at run time."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "loandesk_zh_CN.ts"


def test_every_translated_text_belongs_to_a_named_context() -> None:
    """Qt looks a text up by the class that asks (its context). A text lupdate could
    not tie to a class (e.g. ``self.tr`` in a mixin, or a translate() call through an
    alias) lands in a context with no name, and the Chinese window shows it in English."""
    tree = ET.parse(TS)
    unnamed = [
        m.findtext("source")
        for c in tree.iter("context")
        if not (c.findtext("name") or "").strip()
        for m in c.iter("message")
    ]
    assert unnamed == []


def test_every_text_has_its_chinese() -> None:
    tree = ET.parse(TS)
    missing = [
        m.findtext("source")
        for m in tree.iter("message")
        if (m.find("translation") is None or m.find("translation").get("type") == "unfinished")
    ]  # type: ignore[union-attr]
    assert missing == []
