"""What a search text in the applications list is taken for (no SQL: the screens use
it to explain an empty result; core/store/repositories.py searches accordingly).

Names, phones and ID numbers are stored encrypted and found through keyed hashes, so
only a whole value matches: part of a name finds nothing, and the list says why.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

SearchKind = Literal["", "phone_tail", "phone", "id_number", "reference", "digits", "name"]

#: a whole reference, or its store-and-day part (case and width do not matter)
REFERENCE_TEXT = re.compile(r"([A-Z0-9][A-Z0-9_.-]{0,19}?)-([0-9]{8})(?:-([0-9]{1,6}))?")
_SPACES = re.compile(r"[\s-]+")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")


def normalized_reference(text: str) -> str | None:
    """``text`` as a reference (``S001-20261204-0007``) or a store-and-day prefix
    (``S001-20261204-``), or None. Full width, lower case and spaces are forgiven."""
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    found = REFERENCE_TEXT.fullmatch(compact)
    if found is None:
        return None
    code, day, seq = found.groups()
    return f"{code}-{day}-" if seq is None else f"{code}-{day}-{int(seq):04d}"


def search_kind(text: str) -> SearchKind:
    """What the list searches ``text`` as; ``digits`` is a number that is none of the
    searchable ones (e.g. 3 or 7 digits of a phone)."""
    text = text.strip()
    if not text:
        return ""
    compact = _SPACES.sub("", text).upper()
    if text.isdigit() and len(text) == 4:
        return "phone_tail"
    if compact.isdigit() and len(compact) == 11:
        return "phone"
    if _ID_NUMBER.fullmatch(compact):
        return "id_number"
    if normalized_reference(text) is not None:
        return "reference"
    if compact.isdigit():
        return "digits"
    return "name"
