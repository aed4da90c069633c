"""Money: integer fen (分), Decimal rate math rounded half-up to the fen.

Parsing and formatting, repayment schedules (等额本息 / 等额本金) and the APR that
the PBoC IRR method asks stores to show.
"""

from __future__ import annotations

import decimal
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, DecimalException, localcontext
from functools import cached_property, lru_cache

from core.applications.due_dates import due_dates
from core.apr import apr_from_cash_flows
from core.errors import CoreError
from core.models import RepaymentMethod

FEN_PER_YUAN = 100
_YUAN_RE = re.compile(r"^[+]?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


class MoneyParseError(CoreError, ValueError):
    """Raised with a stable ``code``: MONEY_EMPTY, MONEY_FORMAT, MONEY_NEGATIVE, MONEY_TOO_LARGE."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


MAX_FEN = 10**13  # 1e11 yuan: anything above is a typo, not an order
_MAX_YUAN = Decimal(MAX_FEN) / FEN_PER_YUAN


def parse_yuan(value: object) -> int:
    """Parse an amount in yuan as a person types it ("3,999.5", "¥120", 120) into fen.

    At most two decimals; no negative amounts; full-width digits are accepted.
    Floats are accepted only when they are exactly representable in fen.
    Decimals are judged by value, so Decimal("1E+2") and Decimal("1.230") are fine.
    Never raises anything but MoneyParseError.
    """
    if value is None or isinstance(value, bool):
        raise MoneyParseError("MONEY_EMPTY" if value is None else "MONEY_FORMAT")
    if isinstance(value, int):  # compare, don't str(): huge ints exceed the str() digit limit
        if value < 0:
            raise MoneyParseError("MONEY_NEGATIVE")
        if value > MAX_FEN // FEN_PER_YUAN:
            raise MoneyParseError("MONEY_TOO_LARGE")
        return value * FEN_PER_YUAN
    if isinstance(value, Decimal):
        return _decimal_yuan_to_fen(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyParseError("MONEY_FORMAT")
        if math.copysign(1.0, value) < 0:
            raise MoneyParseError("MONEY_NEGATIVE")
        text = repr(value)
        if "e" in text or "E" in text:
            raise MoneyParseError("MONEY_TOO_LARGE" if value >= 1 else "MONEY_FORMAT")
    elif isinstance(value, str):
        text = value
    else:
        raise MoneyParseError("MONEY_FORMAT")

    text = unicodedata.normalize("NFKC", text).strip()
    for prefix in ("¥", "￥", "RMB", "CNY"):
        if text.upper().startswith(prefix):
            text = text[len(prefix) :].strip()
    if text.endswith("元"):
        text = text[:-1].strip()
    if not text:
        raise MoneyParseError("MONEY_EMPTY")
    if text.startswith("-"):
        raise MoneyParseError("MONEY_NEGATIVE")
    if not _YUAN_RE.match(text):
        raise MoneyParseError("MONEY_FORMAT")
    try:
        amount = Decimal(text.replace(",", "").lstrip("+"))
    except DecimalException:  # pragma: no cover - the regex already guards this
        raise MoneyParseError("MONEY_FORMAT") from None
    return _decimal_yuan_to_fen(amount)


def _decimal_yuan_to_fen(amount: Decimal) -> int:
    """Exact yuan -> fen; NaN, huge exponents and sub-fen digits are parse errors, not crashes."""
    if not amount.is_finite():
        raise MoneyParseError("MONEY_FORMAT")
    if amount.is_signed():
        raise MoneyParseError("MONEY_NEGATIVE")
    if amount > _MAX_YUAN:
        raise MoneyParseError("MONEY_TOO_LARGE")
    try:
        with localcontext() as ctx:
            ctx.prec = 60  # plenty for 1e11 yuan; anything lost below is sub-fen anyway
            ctx.Emin, ctx.Emax = -(10**17), 10**17
            for signal in (decimal.Inexact, decimal.Underflow, decimal.Overflow):
                ctx.traps[signal] = True  # any of them means "not a whole number of fen"
            fen = amount * FEN_PER_YUAN
            if fen != fen.to_integral_value():
                raise MoneyParseError("MONEY_FORMAT")
            return int(fen)
    except DecimalException:
        raise MoneyParseError("MONEY_FORMAT") from None


def format_fen(fen: int, *, symbol: bool = False, grouping: bool = True) -> str:
    """12345678 -> "123,456.78" (or "¥123,456.78")."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    body = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{'¥' if symbol else ''}{body}.{cents:02d}"


def round_fen(value: Decimal) -> int:
    """Round a Decimal amount of fen half-up to an integer fen."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


# --- repayment schedules ---------------------------------------------------------------

_PREC = 40  # digits for rate math: (1+r)^360 must not lose fen
_DATED_KEPT = 8  # dated copies remembered per schedule (Schedule.with_due_dates)
_BUILT_KEPT = 256  # schedules remembered by their terms (build_schedule)
MAX_TERM_MONTHS = 360
_MAX_ANNUAL_RATE = Decimal(10)


@dataclass(frozen=True)
class Installment:
    period: int  # 1..n
    payment_fen: int  # principal + interest + fee of this period
    principal_fen: int
    interest_fen: int
    fee_fen: int  # per-period fee (0 if none)
    balance_fen: int  # remaining principal after this period
    due_date: date | None = None  # None when the schedule was built without a first date


@dataclass(frozen=True)
class Schedule:
    method: RepaymentMethod
    principal_fen: int
    annual_rate: Decimal  # nominal annual interest rate, e.g. Decimal("0.0888")
    term_months: int
    upfront_fee_fen: int  # paid at signing: reduces the money the customer effectively gets
    period_fee_fen: int  # added to every installment
    rows: tuple[Installment, ...]
    first_due_date: date | None = None  # the store's first-payment date (None: no dates)
    due_day: int | None = None  # the day of month every due date aims at (month-end clamp)

    @property
    def due_dates(self) -> tuple[date, ...]:
        """Each period's due date, in order (empty when the schedule has no dates)."""
        return tuple(r.due_date for r in self.rows if r.due_date is not None)

    def with_due_dates(self, first_due_date: date, due_day: int | None = None) -> Schedule:
        """The same schedule with each period's due date (core.applications.due_dates): period 1 on
        ``first_due_date``, then one calendar month apart on ``due_day`` (default: the
        first date's day), clamped to the end of shorter months.

        Remembered on this schedule (a few dates at most): the review, the save and the
        receipt's rebuild check date the same schedule the same way, and get one object."""
        day = due_day if due_day is not None else first_due_date.day
        key = (first_due_date, day)
        found = self._dated.get(key)
        if found is None:
            if len(self._dated) >= _DATED_KEPT:
                self._dated.clear()
            found = self._dated[key] = self._dated_anew(first_due_date, day)
        return found

    @cached_property
    def _dated(self) -> dict[tuple[date, int], Schedule]:
        return {}

    def _dated_anew(self, first_due_date: date, day: int) -> Schedule:
        dates = due_dates(first_due_date, len(self.rows), day)
        rows = tuple(  # built whole: replace() per row costs more than the rest together
            Installment(
                r.period,
                r.payment_fen,
                r.principal_fen,
                r.interest_fen,
                r.fee_fen,
                r.balance_fen,
                d,
            )
            for r, d in zip(self.rows, dates, strict=True)
        )
        return replace(self, rows=rows, first_due_date=first_due_date, due_day=day)

    @property
    def total_interest_fen(self) -> int:
        return sum(row.interest_fen for row in self.rows)

    @property
    def total_fee_fen(self) -> int:
        return self.upfront_fee_fen + sum(row.fee_fen for row in self.rows)

    @property
    def total_repayment_fen(self) -> int:
        """Sum of the installments (the upfront fee is paid at signing, not repaid)."""
        return sum(row.payment_fen for row in self.rows)

    @property
    def first_payment_fen(self) -> int:
        return self.rows[0].payment_fen

    @property
    def max_payment_fen(self) -> int:
        return max(row.payment_fen for row in self.rows)

    @cached_property  # ~70 bisection steps: compute once per schedule
    def apr(self) -> Decimal:
        """Nominal APR (monthly IRR x 12) of the customer's cash flows, 4 decimals."""
        return apr_from_cash_flows(self.cash_flows())

    def cash_flows(self) -> list[int]:
        """Customer view: +credit net of fees paid at signing at t0, then -each installment."""
        return [self.principal_fen - self.upfront_fee_fen] + [-r.payment_fen for r in self.rows]


def _check_args(
    principal_fen: int, annual_rate: Decimal | int, term_months: int, upfront: int, period: int
) -> Decimal:
    """Programmer-error guard (the validation layer checks user input); returns the rate."""

    def is_int(x: object) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    if not is_int(principal_fen) or not 0 < principal_fen <= MAX_FEN:
        raise ValueError(f"principal_fen must be an int in 1..MAX_FEN, got {principal_fen!r}")
    if not is_int(term_months) or not 1 <= term_months <= MAX_TERM_MONTHS:
        raise ValueError(f"term_months must be an int in 1..{MAX_TERM_MONTHS}, got {term_months!r}")
    if isinstance(annual_rate, float):
        raise TypeError("annual_rate must be a Decimal (or int), not float: binary rounding")
    if is_int(annual_rate):
        annual_rate = Decimal(annual_rate)
    if not isinstance(annual_rate, Decimal) or not annual_rate.is_finite():
        raise ValueError(f"annual_rate must be a finite Decimal, got {annual_rate!r}")
    if not Decimal(0) <= annual_rate < _MAX_ANNUAL_RATE:
        raise ValueError(f"annual_rate must be >= 0 and < {_MAX_ANNUAL_RATE}, got {annual_rate}")
    for name, fee in (("upfront_fee_fen", upfront), ("period_fee_fen", period)):
        if not is_int(fee) or fee < 0:
            raise ValueError(f"{name} must be a non-negative int, got {fee!r}")
    if upfront >= principal_fen:
        raise ValueError("upfront_fee_fen must be less than principal_fen (else no APR exists)")
    return annual_rate


def _even_split(principal_fen: int, n: int) -> list[int]:
    """P // n each, one extra fen on the first P % n periods: rows differ by at most 1 fen."""
    base, extra = divmod(principal_fen, n)
    return [base + (1 if k < extra else 0) for k in range(n)]


def _build(
    method: RepaymentMethod,
    principal_fen: int,
    annual_rate: Decimal | int,
    n: int,
    upfront: int,
    fee: int,
) -> Schedule:
    """Walk the balance; the last period takes exactly what is left, so principals sum to P."""
    rate = _check_args(principal_fen, annual_rate, n, upfront, fee)
    split = _even_split(principal_fen, n)
    rows: list[Installment] = []
    with localcontext() as ctx:
        ctx.prec = _PREC
        level: int | None = None
        if method == RepaymentMethod.EQUAL_INSTALLMENT and rate:
            growth = (1 + rate / 12) ** n
            level = round_fen(principal_fen * rate / 12 * growth / (growth - 1))
        balance = principal_fen
        for k in range(1, n + 1):
            interest = round_fen(balance * rate / 12)  # balance*rate is exact: ties stay ties
            wanted = split[k - 1] if level is None else level - interest
            principal = balance if k == n else min(wanted, balance)
            balance -= principal
            rows.append(
                Installment(k, principal + interest + fee, principal, interest, fee, balance)
            )
    return Schedule(method, principal_fen, rate, n, upfront, fee, tuple(rows))


def schedule_equal_installment(
    principal_fen: int,
    annual_rate: Decimal | int,
    term_months: int,
    *,
    upfront_fee_fen: int = 0,
    period_fee_fen: int = 0,
) -> Schedule:
    """等额本息: level payment M = P·r(1+r)^n/((1+r)^n−1); the last period absorbs rounding.

    Zero rate: principal split evenly. For tiny loans, rounding M up can repay early;
    principal is then capped at the balance and later rows are zero (plus fee).
    """
    return _build(
        RepaymentMethod.EQUAL_INSTALLMENT,
        principal_fen,
        annual_rate,
        term_months,
        upfront_fee_fen,
        period_fee_fen,
    )


def schedule_equal_principal(
    principal_fen: int,
    annual_rate: Decimal | int,
    term_months: int,
    *,
    upfront_fee_fen: int = 0,
    period_fee_fen: int = 0,
) -> Schedule:
    """等额本金: equal principal each period, interest on the shrinking balance."""
    return _build(
        RepaymentMethod.EQUAL_PRINCIPAL,
        principal_fen,
        annual_rate,
        term_months,
        upfront_fee_fen,
        period_fee_fen,
    )


def build_schedule(
    method: RepaymentMethod,
    principal_fen: int,
    annual_rate: Decimal | int,
    term_months: int,
    *,
    upfront_fee_fen: int = 0,
    period_fee_fen: int = 0,
    first_due_date: date | None = None,
    due_day: int | None = None,
) -> Schedule:
    """Dispatch on the stored method (a plain "equal_principal" string works too).
    With ``first_due_date`` every period gets its due date (:meth:`Schedule.with_due_dates`)."""
    try:
        method = RepaymentMethod(method)
    except ValueError:
        raise ValueError(f"unknown repayment method {method!r}") from None
    if type(annual_rate) in (Decimal, int) and _plain_ints(
        principal_fen, term_months, upfront_fee_fen, period_fee_fen
    ):
        built = _built(
            method,
            principal_fen,
            isinstance(annual_rate, Decimal),
            str(annual_rate),
            term_months,
            upfront_fee_fen,
            period_fee_fen,
        )
    else:  # _build refuses it with the reason
        built = _build(
            method, principal_fen, annual_rate, term_months, upfront_fee_fen, period_fee_fen
        )
    return built if first_due_date is None else built.with_due_dates(first_due_date, due_day)


def _plain_ints(*values: object) -> bool:
    return all(type(v) is int for v in values)


@lru_cache(maxsize=_BUILT_KEPT)
def _built(
    method: RepaymentMethod,
    principal_fen: int,
    rate_is_decimal: bool,
    rate_text: str,
    term_months: int,
    upfront_fee_fen: int,
    period_fee_fen: int,
) -> Schedule:
    """:func:`_build`, remembered: a schedule is a pure function of its terms, and the
    quote, the save and the receipt's rebuild check ask for the same one. The rate is
    keyed by its kind and text, so Decimal("0.1") and Decimal("0.10"), equal but written
    differently, each get the schedule that writes their own rate back."""
    rate: Decimal | int = Decimal(rate_text) if rate_is_decimal else int(rate_text)
    return _build(method, principal_fen, rate, term_months, upfront_fee_fen, period_fee_fen)
