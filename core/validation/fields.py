"""Single fields of an application: resident ID (GB 11643-1999), mainland mobile,
names, cities, addresses, plus the error type every check returns.

See :mod:`core.validation.application` for why the national standard, not a library's stricter
opinion, decides what is valid. Text for the codes lives in :mod:`core.validation.messages`.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import phonenumbers

from core import i18n
from core.models import ApplicationInput
from core.money import MoneyParseError, parse_yuan
from core.validation.messages import MESSAGES

i18n.register(MESSAGES)
MAX_LINES = 50
MAX_QUANTITY = 99
MAX_INCOME_FEN = 10_000_000_00
NAME_LEN = (2, 30)
CITY_LEN = (2, 20)
ADDRESS_LEN = (5, 120)
SKU_MAX = 40
ITEM_NAME_MAX = 60


@dataclasses.dataclass(frozen=True)
class FieldError:
    """One problem with one field; ``field`` is the path the UI maps to a widget."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def text(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang, **self.params)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """Plain data for logs and the CLI; ``message`` is in ``lang``."""
        return {
            "field": self.field,
            "code": self.code,
            "message": self.text(lang),
            "message_zh": self.text("zh_CN"),
            "message_en": self.text("en"),
            "params": dict(self.params),
        }


@dataclasses.dataclass(frozen=True)
class ValidationResult:
    value: ApplicationInput | None
    errors: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def _err(field: str, code: str, **params: Any) -> FieldError:
    return FieldError(field, code, params)


def _nfkc(text: str) -> str:
    """NFKC without invisible format characters (zero-width spaces, BOMs from pasting)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


_WS = re.compile(r"\s+")


def _clean(text: str) -> str:
    """NFKC, whitespace runs (including newlines) collapsed to one space, trimmed."""
    return _WS.sub(" ", _nfkc(text)).strip()


def _int_text(value: object) -> str | None:
    """Text of a str, or of a plain non-negative int (numbers typed into JSON); else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**30:
        return str(value)
    return None


def _as_int(value: object) -> int | None:
    """2, 2.0, "2" and "２" are 2; 2.5, True, "2.5", "abc" are None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, Decimal):
        whole = value.is_finite() and abs(value) < 10**9 and value == value.to_integral_value()
        return int(value) if whole else None
    if isinstance(value, str):
        text = _nfkc(value).strip()
        return int(text) if re.fullmatch(r"[0-9]{1,6}", text) else None
    return None


def _parse_amount(value: object) -> tuple[int | None, str]:
    """(fen, "") or (None, MoneyParseError code)."""
    try:
        return parse_yuan(value), ""
    except MoneyParseError as exc:
        return None, exc.code
    except (ValueError, ArithmeticError):  # e.g. int-to-text limits in odd inputs
        return None, "MONEY_FORMAT"


# --- Resident ID (GB 11643-1999) ---------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_ID_ALLOWED = re.compile(r"[0-9X]*")


def normalize_id_number(text: str) -> str:
    """NFKC (full-width digits), spaces and dashes removed, "x" (or "×") upper-cased."""
    return re.sub(r"[\s\-]", "", _nfkc(text)).replace("×", "X").upper()


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def id_birth_date(id_number: str) -> date | None:
    """Birth date from characters 7-14 of a well-formed 18-character number, else None."""
    number = normalize_id_number(id_number)
    if not _ID_SHAPE.fullmatch(number):
        return None
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if year < 1900:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def age_on(birth: date, today: date) -> int:
    """Completed years on ``today``; someone born on 29 February turns a year older on 1 March
    in common years."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def id_gender(id_number: str) -> str | None:
    """Gender from the 17th character: odd "M", even "F"; None if the number is malformed."""
    number = normalize_id_number(id_number)
    if not _ID_SHAPE.fullmatch(number):
        return None
    return "M" if int(number[16]) % 2 else "F"


def _check_id(value: object, today: date, field: str, min_age: int) -> tuple[str, list[FieldError]]:
    text = _int_text(value)
    if value is None or (text is not None and not _clean(text)):
        return "", [_err(field, "ID_EMPTY")]
    if text is None:
        return "", [_err(field, "ID_CHARS")]
    number = normalize_id_number(text)
    if not _ID_ALLOWED.fullmatch(number):
        return "", [_err(field, "ID_CHARS")]
    if len(number) != 18:
        return "", [_err(field, "ID_LENGTH", length=len(number))]
    if not _ID_SHAPE.fullmatch(number):  # an X before the last character
        return "", [_err(field, "ID_CHARS")]
    birth = id_birth_date(number)
    if birth is None or birth > today:
        return "", [_err(field, "ID_BIRTH_DATE")]
    if number[17] != id_check_char(number[:17]):
        return "", [_err(field, "ID_CHECKSUM")]
    age = age_on(birth, today)
    if age < min_age:
        return "", [_err(field, "AGE_UNDER_MIN", age=age, min_age=min_age)]
    return number, []


def validate_id_number(
    text: object, *, today: date, field: str = "customer.id_number", min_age: int = 18
) -> list[FieldError]:
    return _check_id(text, today, field, min_age)[1]


# --- Phone -------------------------------------------------------------------------------

_MAINLAND_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_PHONE_SEPARATORS = re.compile(r"[\s()./\-]")


def normalize_phone(text: str) -> str:
    """Mainland number as 11 digits: "+86 138-0013-8000" and "００８６１３８００１３８０００"
    both give "13800138000".

    Anything that is not a mainland number comes back cleaned but otherwise as typed."""
    cleaned = _PHONE_SEPARATORS.sub("", _nfkc(text))
    # Letters are refused here: libphonenumber would read them as keypad digits.
    if not re.fullmatch(r"\+?[0-9]{1,40}", cleaned):
        return cleaned
    try:
        number = phonenumbers.parse(cleaned, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.country_code == 86:
        return phonenumbers.national_significant_number(number)
    if number is None:
        for prefix in ("+86", "0086"):
            if cleaned.startswith(prefix):
                return cleaned[len(prefix) :]
    return cleaned


def _check_phone(value: object, field: str) -> tuple[str, list[FieldError]]:
    text = _int_text(value)
    if value is None or (text is not None and not _clean(text)):
        return "", [_err(field, "PHONE_EMPTY")]
    number = normalize_phone(text) if text is not None else ""
    if not _MAINLAND_MOBILE.fullmatch(number):  # why not phonenumbers' ranges: module doc
        return "", [_err(field, "PHONE_INVALID")]
    return number, []


def validate_phone(text: object, field: str = "customer.phone") -> list[FieldError]:
    return _check_phone(text, field)[1]


# --- Names, cities, addresses ------------------------------------------------------------

# Middle dots people type in ethnic-minority names; all are stored as U+00B7 "·".
_NAME_DOTS = frozenset("\u00b7\u2022\u30fb\u2027\u2219\u22c5")


def _is_han(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF  # extension A
        or 0x4E00 <= cp <= 0x9FFF  # unified ideographs
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= cp <= 0x323AF  # extensions B-I, rare characters in real names
        or cp == 0x3007  # 〇
    )


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def _check_name(value: object, field: str) -> tuple[str, list[FieldError]]:
    if value is None:
        return "", [_err(field, "NAME_EMPTY")]
    if not isinstance(value, str):
        return "", [_err(field, "NAME_CHARS")]
    text = "".join("·" if ch in _NAME_DOTS else ch for ch in _clean(value))
    text = re.sub(r" ?· ?", "·", text)
    if not text:
        return "", [_err(field, "NAME_EMPTY")]
    letters = sum(1 for ch in text if _is_han(ch) or _is_latin(ch))
    if letters == 0 or letters + text.count(" ") + text.count("·") != len(text):
        return "", [_err(field, "NAME_CHARS")]
    low, high = NAME_LEN
    if not low <= len(text) <= high:
        return "", [_err(field, "NAME_LENGTH", length=len(text), min=low, max=high)]
    return text, []


def validate_name(text: object, field: str = "customer.name") -> list[FieldError]:
    return _check_name(text, field)[1]


def _check_city(value: object, field: str) -> tuple[str, list[FieldError]]:
    low, high = CITY_LEN
    invalid = [_err(field, "CITY_INVALID", min=low, max=high)]
    if value is None:
        return "", [_err(field, "CITY_EMPTY")]
    if not isinstance(value, str):
        return "", invalid
    text = _clean(value)
    if not text:
        return "", [_err(field, "CITY_EMPTY")]
    if (
        not low <= len(text) <= high
        or not text.isprintable()
        or any(ch.isdigit() for ch in text)
        or not any(ch.isalpha() for ch in text)
    ):
        return "", invalid
    return text, []


def validate_city(text: object, field: str = "customer.home_city") -> list[FieldError]:
    return _check_city(text, field)[1]


def _check_address(value: object, field: str) -> tuple[str, list[FieldError]]:
    if value is None:
        return "", [_err(field, "ADDRESS_EMPTY")]
    if not isinstance(value, str):
        return "", [_err(field, "ADDRESS_INVALID")]
    text = _clean(value)
    if not text:
        return "", [_err(field, "ADDRESS_EMPTY")]
    low, high = ADDRESS_LEN
    if not low <= len(text) <= high:
        return "", [_err(field, "ADDRESS_LENGTH", length=len(text), min=low, max=high)]
    if not text.isprintable() or not any(ch.isalpha() for ch in text):
        return "", [_err(field, "ADDRESS_INVALID")]
    return text, []


def validate_address(text: object, field: str = "customer.home_address") -> list[FieldError]:
    return _check_address(text, field)[1]
