"""Small, pure display helpers shared by the windows (no Qt widgets here)."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.money import format_fen


def local_time(iso: str | None, *, seconds: bool = False) -> str:
    """A stored UTC ISO timestamp as the PC's local time, ``yyyy-MM-dd HH:mm``."""
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return at.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_datetime(at: datetime | None) -> str:
    """An aware datetime as the PC's local ``yyyy-MM-dd HH:mm`` (empty for None)."""
    return "" if at is None else at.astimezone().strftime("%Y-%m-%d %H:%M")


def mask_id_number(id_number: str) -> str:
    """110105194912310021 -> 110105********0021 (region code and last four stay)."""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def phone_tail_masked(tail: str) -> str:
    """The list only knows the last four digits: ****5678."""
    return f"****{tail}" if tail else ""


def yuan(fen: int | None) -> str:
    """Fen as yuan text with grouping ("3,999.00"); empty for unknown."""
    return "" if fen is None else format_fen(fen)


def percent(fraction: object) -> str:
    """Decimal fraction 0.1298 -> "12.98%"."""
    try:
        value = (Decimal(str(fraction)) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    return f"{value}%"
