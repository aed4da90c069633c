"""Every security code has zh_CN and en text with the same placeholders."""

from __future__ import annotations

import re
import string
import typing
from pathlib import Path

from core import i18n
from core.security import keyring_store
from core.security.audit_chain import Reason
from core.security.messages import MESSAGES
from core.security.permissions import Permission, Role

SOURCE = Path(keyring_store.__file__).parent


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_literal_code_in_the_source_is_registered() -> None:
    found: set[str] = set()
    for path in SOURCE.glob("*.py"):
        if path.name != "messages.py":
            found |= set(re.findall(r'"(SECURITY_[A-Z_]+[A-Z])"', path.read_text("utf-8")))
    assert found
    assert sorted(code for code in found if not i18n.has(code)) == []


def test_every_dynamic_code_is_registered() -> None:
    dynamic = (
        [f"SECURITY_ROLE_{r.name}" for r in Role]
        + [f"SECURITY_PERM_{p.name}" for p in Permission]
        + [f"SECURITY_AUDIT_{r.upper()}" for r in typing.get_args(Reason)]
        + [
            f"SECURITY_KEYRING_WHY_{r.upper()}"
            for r in typing.get_args(keyring_store.KeyringProblem)
        ]
    )
    assert sorted(code for code in dynamic if not i18n.has(code)) == []


def test_both_languages_have_the_same_placeholders() -> None:
    for code, texts in MESSAGES.items():
        assert texts["zh_CN"].strip() and texts["en"].strip(), code
        assert _placeholders(texts["zh_CN"]) == _placeholders(texts["en"]), code
