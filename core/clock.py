"""An injectable clock: code asks the clock, tests hand in a fixed one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests; ``advance`` moves it forward."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def iso_now(clock: Clock) -> str:
    return clock.now().astimezone(UTC).isoformat(timespec="milliseconds")


def local_today(clock: Clock) -> date:
    """The store's calendar day (China time), which decides a customer's age."""
    return clock.now().astimezone(CHINA_TZ).date()
