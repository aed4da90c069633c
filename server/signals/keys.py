"""Keyed hashes of what identifies a customer, after normalising how clerks type it.

Head office matches phones, ID numbers, names, delivery addresses and devices across
stores without holding them in plain text: each value is normalised, then hashed with
HMAC-SHA256 under a server key, one domain per kind (a phone and an ID number with the
same digits never collide). Whoever has the hashes but not the key cannot test guesses.

Address normalisation (:func:`normalise_address`) makes one flat one key however it was
typed: full-width characters and spacing, 室/房/户 dropped, 号楼/幢/座/栋/单元/楼/层
as separators (``88号3栋2单元1201室`` = ``88号3-2-1201``), small Chinese numerals
before those markers as digits, the city name dropped from the start. Different flats
in one building stay different.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from core.prescreen.normalize import city_key

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_NUMBER = re.compile(r"([〇零一二两三四五六七八九十]{1,3})(?=号楼|栋|幢|座|单元|楼|层)")
_SEPARATORS = re.compile(r"号楼|幢|座|栋|单元|楼|层|号")
_ROOM = re.compile(r"(室|房|户)")
_NOT_WORD = re.compile(r"[\W_]+")
_DASHES = re.compile(r"-{2,}")


def _cn_number(text: str) -> str:
    """一..九十九 as digits (二十三 -> 23, 十二 -> 12, 三 -> 3)."""
    if "十" not in text:
        return "".join(str(_CN_DIGITS.get(c, c)) for c in text)
    tens, _, ones = text.partition("十")
    return str(
        (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    )


def normalise_address(city: str, address: str) -> str:
    """The comparable form of a delivery address in ``city`` (plain text; hash it)."""
    text = unicodedata.normalize("NFKC", address).casefold()
    text = _CN_NUMBER.sub(lambda m: _cn_number(m.group(1)), text)
    text = _ROOM.sub("", text)
    text = text.replace("#", "-").replace("—", "-").replace("－", "-")
    text = _SEPARATORS.sub("-", text)
    text = "".join(ch if ch == "-" else _NOT_WORD.sub("", ch) for ch in text)
    text = _DASHES.sub("-", text).strip("-")
    c = city_key(city)
    for prefix in (c + "市", c):
        if c and text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return f"{c}|{text}"


def normalise_name(name: str) -> str:
    """NFKC, no spaces; the separator dots of minority names made one (·)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    for dot in ("•", "・", "．", ".", "‧", "·"):
        text = text.replace(dot, "·")
    return "".join(text.split())


def normalise_digits(value: str) -> str:
    """Phones and ID numbers: half-width, no spaces or dashes, X upper-case, and a
    mainland phone's +86 / 0086 prefix dropped."""
    text = unicodedata.normalize("NFKC", value).upper()
    text = re.sub(r"[\s\-()]+", "", text)
    for prefix in ("+86", "0086"):
        if text.startswith(prefix) and len(text) == 11 + len(prefix):
            text = text[len(prefix) :]
    return text


class KeyedHasher:
    """HMAC-SHA256 under the server key, per kind; 32 hex digits are kept."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("SIGNAL_KEY_TOO_SHORT")
        self._key = key

    def _mac(self, kind: str, text: str) -> str:
        msg = f"{kind}\x1f{text}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def phone(self, phone: str) -> str:
        return self._mac("phone", normalise_digits(phone))

    def id_number(self, id_number: str) -> str:
        return self._mac("id", normalise_digits(id_number))

    def name(self, name: str) -> str:
        return self._mac("name", normalise_name(name))

    def address(self, city: str, address: str) -> str:
        return self._mac("address", normalise_address(city, address))

    def device(self, device: str) -> str:
        return self._mac("device", device.strip().casefold())
