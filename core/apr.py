"""The APR of a repayment schedule: the nominal annual rate (monthly IRR x 12, to
0.0001) of the customer's cash flows, fees included. Exact Decimal arithmetic: bisection
of the IRR, or a float estimate proved by two exact sign checks where that is enough."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

_PREC = 40  # digits for rate math: (1+r)^360 must not lose fen

_IRR_LOW, _IRR_HIGH = Decimal("-0.99"), Decimal(10)
_IRR_ITERATIONS = 200
_IRR_TOLERANCE = Decimal("1e-18")


def _npv_sign(cash_flows: Sequence[int], rate: Decimal) -> int:
    """Sign of NPV at `rate`: Horner gives NPV * (1+rate)^n, same sign, no division."""
    acc = Decimal(0)
    for flow in cash_flows:
        acc = acc * (1 + rate) + flow
    return (acc > 0) - (acc < 0)


def irr_monthly(cash_flows: Sequence[int]) -> Decimal:
    """Periodic IRR by bisection on [-0.99, 10] (bounded iterations: always terminates).

    Raises ValueError if the flows have no sign change or no root is bracketed there.
    """
    if not any(f > 0 for f in cash_flows) or not any(f < 0 for f in cash_flows):
        raise ValueError("cash flows need both a positive and a negative amount")
    with localcontext() as ctx:
        ctx.prec = _PREC
        if _npv_sign(cash_flows, Decimal(0)) == 0:
            return Decimal(0)  # exact: zero rate, zero fees
        lo, hi = _IRR_LOW, _IRR_HIGH
        sign_lo, sign_hi = _npv_sign(cash_flows, lo), _npv_sign(cash_flows, hi)
        if sign_lo == 0:
            return lo
        if sign_hi == 0:
            return hi
        if sign_lo == sign_hi:
            raise ValueError("no IRR between -99% and 1000% per period")
        for _ in range(_IRR_ITERATIONS):
            mid = (lo + hi) / 2
            sign_mid = _npv_sign(cash_flows, mid)
            if sign_mid == 0:
                return mid
            if sign_mid == sign_lo:
                lo = mid
            else:
                hi = mid
            if hi - lo < _IRR_TOLERANCE:
                break
        return (lo + hi) / 2


def apr_from_cash_flows(cash_flows: Sequence[int]) -> Decimal:
    """Nominal APR = monthly IRR x 12, half-up to 0.0001 (never "-0.0000").

    A pure function of the flows, remembered for the last few hundred: the review step
    and the save compute the same schedule's APR."""
    flows = tuple(cash_flows)
    if all(type(f) is int for f in flows):
        return _apr_of_ints(flows)
    return _apr(flows)


@lru_cache(maxsize=256)
def _apr_of_ints(cash_flows: tuple[int, ...]) -> Decimal:
    return _apr(cash_flows)


def _apr(cash_flows: Sequence[int]) -> Decimal:
    fast = _apr_by_bracket(cash_flows)
    if fast is not None:
        return fast
    with localcontext() as ctx:
        ctx.prec = _PREC
        apr = (irr_monthly(cash_flows) * 12).quantize(_APR_STEP, rounding=ROUND_HALF_UP)
    return apr if apr != 0 else Decimal("0.0000")


_APR_STEP = Decimal("0.0001")
# How far the IRR must be from an APR rounding boundary for the shortcut to answer: far
# beyond the bisection's own error (1e-18), so both ways round to the same APR.
_APR_MARGIN = Decimal("1e-14")


def _apr_by_bracket(cash_flows: Sequence[int]) -> Decimal | None:
    """The APR that :func:`irr_monthly` would round to, found with a float estimate and
    proved with two exact sign checks instead of some 65 bisection steps: the monthly IRR
    lies strictly inside the interval of rates that round to the candidate APR.

    Only for flows whose sign changes once (the usual loan: money out, then payments in),
    where the IRR above -100% is unique, so both ways find the same root. ``None`` when
    the shortcut cannot prove its answer; the caller then bisects."""
    flows = [f for f in cash_flows]
    signs = [f > 0 for f in flows if f != 0]
    if len(signs) < 2 or sum(a != b for a, b in zip(signs, signs[1:], strict=False)) != 1:
        return None
    guess = _irr_float(flows)
    if guess is None:
        return None
    with localcontext() as ctx:
        ctx.prec = _PREC
        apr = (Decimal(repr(guess)) * 12).quantize(_APR_STEP, rounding=ROUND_HALF_UP)
        half = _APR_STEP / 2
        low = (apr - half) / 12 + _APR_MARGIN
        high = (apr + half) / 12 - _APR_MARGIN
        if not _IRR_LOW < low < high < _IRR_HIGH:
            return None
        sign_low, sign_high = _npv_sign(flows, low), _npv_sign(flows, high)
        if sign_low == 0 or sign_high == 0 or sign_low == sign_high:
            return None
    return apr if apr != 0 else Decimal("0.0000")


def _irr_float(flows: Sequence[int]) -> float | None:
    """A float estimate of the periodic IRR (Newton's method, bounded steps)."""
    rate = 0.01
    for _ in range(50):
        npv = deriv = 0.0
        for flow in flows:  # Horner on NPV * (1+r)^n and its derivative
            deriv = deriv * (1 + rate) + npv
            npv = npv * (1 + rate) + flow
        if deriv == 0:
            return None
        step = npv / deriv
        rate -= step
        if not -0.99 < rate < 10:
            return None
        if abs(step) < 1e-15:
            return rate
    return None
