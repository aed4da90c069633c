"""Keys for comparing what clerks type: cities and delivery addresses.

"北京市" and "北京 " are one city; "北京市朝阳区建国路 1 号" and "朝阳区建国路1号" in
北京 are one address. The address key is hashed so the index holds no address text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_CITY_SUFFIX = "市"
_NOT_WORD = re.compile(r"[\W_]+")


def text_key(text: str) -> str:
    """NFKC, case-folded, letters and digits only (no spaces, punctuation or symbols)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def city_key(city: str) -> str:
    key = text_key(city)
    if len(key) > 1 and key.endswith(_CITY_SUFFIX):
        key = key[: -len(_CITY_SUFFIX)]
    return key


def address_key(city: str, address: str) -> str:
    """A 32-hex-digit key of city + address, the city name dropped from the address start."""
    c = city_key(city)
    a = text_key(address)
    for prefix in (c + _CITY_SUFFIX, c):
        if c and a.startswith(prefix):
            a = a[len(prefix) :]
            break
    return hashlib.sha256(f"{c}|{a}".encode()).hexdigest()[:32]
