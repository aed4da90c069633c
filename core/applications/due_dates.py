"""Due dates of an installment plan: one calendar month apart, month ends handled.

Every period aims at the same day of the month (the *due day*, normally the day of
the first payment). A month without that day pays on its last day, and the next month
goes back to the due day: a plan due on the 31st pays 31 Jan, 28 Feb (29 in a leap
year), 31 Mar, 30 Apr. The clamp never drifts: a date is always computed from the
first one, never from the previous one.

Without a date set by the store, the first payment is due one calendar month after
the day of the application, on the same day (clamped the same way), and that day of
the month stays the due day.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int, day: int | None = None) -> date:
    """``start`` moved by ``months`` calendar months, on ``day`` (default: start's
    day), clamped to the last day of the month it lands in."""
    if months < 0:
        raise ValueError(f"months must be >= 0, got {months}")
    wanted = start.day if day is None else day
    if not 1 <= wanted <= 31:
        raise ValueError(f"day must be 1..31, got {wanted}")
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(wanted, last))


def due_dates(first: date, periods: int, day: int | None = None) -> tuple[date, ...]:
    """The due date of each of ``periods`` periods: ``first``, then every calendar
    month on ``day`` (default: first's day)."""
    if periods < 0:
        raise ValueError(f"periods must be >= 0, got {periods}")
    wanted = first.day if day is None else day
    if periods and first.day != min(wanted, calendar.monthrange(first.year, first.month)[1]):
        raise ValueError(f"the first due date {first.isoformat()} is not on day {wanted}")
    return tuple(add_months(first, k, wanted) for k in range(periods))


def default_first_due(application_day: date) -> tuple[date, int]:
    """The first due date when the store sets none, and the due day: one calendar
    month after the application, on its day of the month."""
    return add_months(application_day, 1), application_day.day


__all__ = ["add_months", "default_first_due", "due_dates"]
