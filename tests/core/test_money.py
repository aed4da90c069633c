"""Money parsing/formatting, repayment schedules and APR.

Expected numbers come from hand calculation or from an exact Fraction re-implementation
of the written rules, never from the code under test.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.apr import _apr_by_bracket, apr_from_cash_flows, irr_monthly
from core.models import RepaymentMethod
from core.money import (
    MAX_FEN,
    Installment,
    MoneyParseError,
    Schedule,
    build_schedule,
    format_fen,
    parse_yuan,
    round_fen,
    schedule_equal_installment,
    schedule_equal_principal,
)

EI = RepaymentMethod.EQUAL_INSTALLMENT
EP = RepaymentMethod.EQUAL_PRINCIPAL
FAST = settings(max_examples=120, deadline=None)


# --- helpers independent of the code under test -----------------------------------------


def npv(flows: list[int], monthly: Fraction) -> Fraction:
    """Exact NPV of fen flows at a monthly rate (t0 undiscounted)."""
    return sum((Fraction(f) / (1 + monthly) ** t for t, f in enumerate(flows)), Fraction(0))


def half_up(q: Fraction) -> int:
    return math.floor(q + Fraction(1, 2))


def reference_rows(
    method: RepaymentMethod, p: int, annual: Decimal, n: int
) -> list[tuple[int, int, int]]:
    """(principal, interest, balance) per period, in exact rational arithmetic."""
    r = Fraction(annual) / 12
    level = None
    if method is EI and r:
        g = (1 + r) ** n
        level = half_up(p * r * g / (g - 1))
    even = [p // n + (1 if k < p % n else 0) for k in range(n)]
    out, balance = [], p
    for k in range(n):
        interest = half_up(balance * r)
        want = even[k] if level is None else level - interest
        principal = balance if k == n - 1 else min(want, balance)
        balance -= principal
        out.append((principal, interest, balance))
    return out


def float_irr(flows: list[int]) -> float:
    """Plain float Newton, as a second opinion on the bisection IRR."""
    x = 0.01
    for _ in range(100):
        f = sum(c / (1 + x) ** t for t, c in enumerate(flows))
        df = sum(-t * c / (1 + x) ** (t + 1) for t, c in enumerate(flows))
        x -= f / df
    return x


# --- hand-checked examples -------------------------------------------------------------


def test_equal_installment_10000_yuan_12_percent_12_months() -> None:
    s = schedule_equal_installment(1_000_000, Decimal("0.12"), 12)
    # M = 1e6 * 0.01 * 1.01^12 / (1.01^12 - 1) = 88848.79 fen -> 888.49 yuan
    assert round(1e6 * 0.01 * 1.01**12 / (1.01**12 - 1), 2) == 88848.79
    assert [r.payment_fen for r in s.rows[:-1]] == [88849] * 11
    first = s.rows[0]
    assert (first.interest_fen, first.principal_fen, first.balance_fen) == (10000, 78849, 921151)
    # 11 * 88849 = 977339 paid; the last row settles: balance 87967 + interest 880 (879.67)
    assert s.rows[-1] == Installment(12, 88847, 87967, 880, 0, 0)
    assert s.total_repayment_fen == 977339 + 88847
    assert s.total_interest_fen == 66186
    assert s.first_payment_fen == s.max_payment_fen == 88849
    assert s.apr == Decimal("0.1200")
    assert s.method is EI and s.term_months == 12 and s.annual_rate == Decimal("0.12")


def test_equal_principal_10000_yuan_12_percent_12_months() -> None:
    s = schedule_equal_principal(1_000_000, Decimal("0.12"), 12)
    # 1e6 = 12 * 83333 + 4: the first four periods carry one extra fen
    assert [r.principal_fen for r in s.rows] == [83334] * 4 + [83333] * 8
    assert s.first_payment_fen == 83334 + 10000 == s.max_payment_fen
    assert s.rows[1].interest_fen == 9167  # 916666 * 1% = 9166.66
    assert s.rows[4].interest_fen == 6667  # 666664 * 1% = 6666.64
    assert s.rows[-1] == Installment(12, 83333 + 833, 83333, 833, 0, 0)  # 833.33
    assert s.total_interest_fen == 65000  # summed by hand, row by row
    assert s.apr == Decimal("0.1200")


@pytest.mark.parametrize("method", [EI, EP])
def test_zero_rate_zero_fee_is_free(method: RepaymentMethod) -> None:
    s = build_schedule(method, 1_000_001, Decimal(0), 7)
    # 1000001 = 7 * 142857 + 2
    assert [r.payment_fen for r in s.rows] == [142858] * 2 + [142857] * 5
    assert s.total_interest_fen == s.total_fee_fen == 0
    assert s.apr == 0 and str(s.apr) == "0.0000"
    assert s.cash_flows() == [1_000_001] + [-r.payment_fen for r in s.rows]


def test_zero_rate_with_upfront_fee_is_not_free() -> None:
    s = schedule_equal_installment(1_000_000, Decimal(0), 12, upfront_fee_fen=20_000)
    assert s.total_interest_fen == 0 and s.total_fee_fen == 20_000
    assert s.total_repayment_fen == 1_000_000  # the fee is paid at signing, not repaid
    assert s.cash_flows()[0] == 980_000
    assert s.apr > 0
    assert s.apr == Decimal(str(round(float_irr(s.cash_flows()) * 12, 4)))


def test_period_fee_raises_apr() -> None:
    plain = schedule_equal_installment(500_000, Decimal("0.0888"), 12)
    with_fee = schedule_equal_installment(500_000, Decimal("0.0888"), 12, period_fee_fen=500)
    assert plain.apr == Decimal("0.0888")
    assert with_fee.apr > plain.apr
    assert [r.payment_fen - 500 for r in with_fee.rows] == [r.payment_fen for r in plain.rows]
    assert with_fee.total_fee_fen == 12 * 500


def test_famous_zero_interest_0_6_percent_monthly_fee() -> None:
    """「0 利息, 手续费 0.6%/月」: 12000 yuan over 12 months costs about 13% a year."""
    s = schedule_equal_installment(1_200_000, Decimal(0), 12, period_fee_fen=7_200)
    assert all(r.payment_fen == 107_200 and r.fee_fen == 7_200 for r in s.rows)
    assert s.total_fee_fen == 86_400 and s.total_repayment_fen == 1_286_400
    # 1200000 = 107200 * a(12, x): Newton gives x = 1.0862%/month -> 13.03% a year
    assert abs(float_irr(s.cash_flows()) * 12 - 0.13034) < 0.00001
    assert s.apr == Decimal("0.1303")
    flows = s.cash_flows()
    assert npv(flows, Fraction("0.13025") / 12) < 0 < npv(flows, Fraction("0.13035") / 12)


def test_build_schedule_dispatch_and_int_rate() -> None:
    assert build_schedule(EP, 300, 0, 3).method is EP
    assert build_schedule("equal_principal", 300, 0, 3).method is EP  # type: ignore[arg-type]
    assert build_schedule(EI, 300, 0, 3) == schedule_equal_installment(300, Decimal(0), 3)
    with pytest.raises(ValueError, match="unknown repayment method"):
        build_schedule("balloon", 300, Decimal(0), 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"principal_fen": 0}, ValueError),
        ({"principal_fen": -1}, ValueError),
        ({"principal_fen": True}, ValueError),
        ({"principal_fen": 100.0}, ValueError),
        ({"principal_fen": MAX_FEN + 1}, ValueError),
        ({"term_months": 0}, ValueError),
        ({"term_months": 361}, ValueError),
        ({"term_months": 12.0}, ValueError),
        ({"annual_rate": 0.12}, TypeError),
        ({"annual_rate": Decimal("-0.01")}, ValueError),
        ({"annual_rate": Decimal(10)}, ValueError),
        ({"annual_rate": Decimal("NaN")}, ValueError),
        ({"annual_rate": "0.12"}, ValueError),
        ({"upfront_fee_fen": -1}, ValueError),
        ({"upfront_fee_fen": 10_000}, ValueError),  # the whole principal: no APR exists
        ({"period_fee_fen": -1}, ValueError),
    ],
)
@pytest.mark.parametrize("method", [EI, EP])
def test_bad_arguments(method: RepaymentMethod, kwargs: dict[str, object], error: type) -> None:
    args: dict[str, object] = {"principal_fen": 10_000, "annual_rate": Decimal("0.12")}
    args |= {"term_months": 12, **kwargs}
    with pytest.raises(error):
        build_schedule(method, **args)  # type: ignore[arg-type]


def test_irr_edge_cases() -> None:
    assert abs(irr_monthly([100, -110]) - Decimal("0.1")) < Decimal("1e-15")
    with pytest.raises(ValueError):
        irr_monthly([100, 10])
    with pytest.raises(ValueError):
        irr_monthly([])
    with pytest.raises(ValueError):
        irr_monthly([1, -(10**9)])  # root far beyond 1000% a month: bracket fails, no hang
    assert apr_from_cash_flows([100, -100]) == 0
    assert apr_from_cash_flows([-100, 110]) == Decimal("1.2000")  # the lender's side works too


def test_round_fen_half_up() -> None:
    assert [round_fen(Decimal(x)) for x in ("0.5", "1.5", "2.4999", "879.67")] == [1, 2, 2, 880]


# --- schedule properties ---------------------------------------------------------------


@st.composite
def loans(draw: st.DrawFn) -> tuple[int, Decimal, int, int, int]:
    p = draw(st.integers(1, 10**9))
    rate = draw(st.decimals(min_value=0, max_value=Decimal("0.36"), places=4))
    n = draw(st.integers(1, 60))
    upfront = draw(st.integers(0, p // 5))
    period_fee = draw(st.integers(0, p // 50))
    return p, rate, n, upfront, period_fee


def check_invariants(s: Schedule, p: int, n: int, fee: int) -> None:
    rows = s.rows
    assert [r.period for r in rows] == list(range(1, n + 1))
    assert sum(r.principal_fen for r in rows) == p
    assert s.total_repayment_fen == p + s.total_interest_fen + n * fee
    assert all(r.payment_fen == r.principal_fen + r.interest_fen + r.fee_fen for r in rows)
    assert all(r.fee_fen == fee for r in rows)
    balances = [p] + [r.balance_fen for r in rows]
    assert all(a >= b for a, b in zip(balances, balances[1:], strict=False))
    assert balances[-1] == 0
    assert all(
        min(r.payment_fen, r.principal_fen, r.interest_fen, r.balance_fen) >= 0 for r in rows
    )
    assert s.total_fee_fen == s.upfront_fee_fen + n * fee
    assert s.max_payment_fen == max(r.payment_fen for r in rows)


@FAST
@given(loans(), st.sampled_from([EI, EP]))
def test_schedule_matches_exact_reference(
    loan: tuple[int, Decimal, int, int, int], method: RepaymentMethod
) -> None:
    p, rate, n, upfront, fee = loan
    s = build_schedule(method, p, rate, n, upfront_fee_fen=upfront, period_fee_fen=fee)
    check_invariants(s, p, n, fee)
    got = [(r.principal_fen, r.interest_fen, r.balance_fen) for r in s.rows]
    assert got == reference_rows(method, p, rate, n)


@FAST
@given(loans())
def test_equal_installment_payments_are_level(loan: tuple[int, Decimal, int, int, int]) -> None:
    """All but the last payment equal M; the last absorbs rounding drift.

    The drift comes from rounding M and each interest (< 1 fen a period, compounding), so
    |last - M| <= sum((1+r)^j for j < n-1) + 1. For tiny loans, rounding M up can repay
    early: those rows pay just the remaining balance, then nothing (plus the fee).
    """
    p, rate, n, upfront, fee = loan
    s = schedule_equal_installment(p, rate, n, upfront_fee_fen=upfront, period_fee_fen=fee)
    pays = [r.payment_fen - fee for r in s.rows]
    level = pays[0]
    if rate == 0:
        assert max(pays) - min(pays) <= 1
        return
    if n > 1 and s.rows[-2].balance_fen > 0:  # the usual case: no early payoff
        assert pays[:-1] == [level] * (n - 1)
        r = float(rate) / 12
        assert abs(pays[-1] - level) <= sum((1 + r) ** j for j in range(n - 1)) + 1
    else:
        assert all(a >= b for a, b in zip(pays, pays[1:], strict=False))
    if p >= 100_000:  # anything a store would finance never repays early
        assert pays[:-1] == [level] * (n - 1)


@FAST
@given(loans())
def test_equal_principal_rows_differ_by_at_most_a_fen(
    loan: tuple[int, Decimal, int, int, int],
) -> None:
    p, rate, n, upfront, fee = loan
    s = schedule_equal_principal(p, rate, n, upfront_fee_fen=upfront, period_fee_fen=fee)
    principals = [r.principal_fen for r in s.rows]
    assert principals == sorted(principals, reverse=True)
    assert principals[0] - principals[-1] <= 1
    pays = [r.payment_fen for r in s.rows]
    assert pays == sorted(pays, reverse=True)


@FAST
@given(loans(), st.sampled_from([EI, EP]))
def test_apr_is_the_irr_of_the_cash_flows(
    loan: tuple[int, Decimal, int, int, int], method: RepaymentMethod
) -> None:
    p, rate, n, upfront, fee = loan
    s = build_schedule(method, p, rate, n, upfront_fee_fen=upfront, period_fee_fen=fee)
    flows = s.cash_flows()
    assert flows[0] == p - upfront and flows[1:] == [-r.payment_fen for r in s.rows]
    apr = s.apr
    assert apr == apr.quantize(Decimal("0.0001")) and apr >= 0
    if rate == 0 and upfront == 0 and fee == 0:
        assert apr == 0
        return
    # Half-up to 4 places: the true root lies in [apr - 0.00005, apr + 0.00005] (annual).
    half = Fraction(1, 20_000)
    assert npv(flows, (Fraction(apr) - half) / 12) <= 0 <= npv(flows, (Fraction(apr) + half) / 12)
    # And so the NPV at apr/12 is small against P: |NPV'| <= n*P, |error| <= 0.00005/12.
    assert abs(npv(flows, Fraction(apr) / 12)) <= n * p * Fraction(5, 10**6) + 1
    # Fees never lower the APR below the nominal rate (less 4-place rounding of small loans).
    if p >= 10**7 and upfront == fee == 0:
        assert abs(apr - rate) <= Decimal("0.0001")


@FAST
@given(loans())
def test_equal_principal_costs_no_more_interest(loan: tuple[int, Decimal, int, int, int]) -> None:
    """Exactly, 等额本金 interest <= 等额本息 interest (it repays principal sooner).

    Each schedule rounds n interests half-up, so after rounding EP can exceed EI by a few
    fen (seen: tiny loans or tiny rates); n // 2 fen bounds what is seen by a wide margin.
    """
    p, rate, n, _upfront, _fee = loan
    ei = schedule_equal_installment(p, rate, n)
    ep = schedule_equal_principal(p, rate, n)
    assert ep.total_interest_fen <= ei.total_interest_fen + n // 2
    if n == 1 or rate == 0:
        assert ep.rows == ei.rows


def test_equal_principal_cheaper_for_a_store_loan() -> None:
    ei = schedule_equal_installment(600_000, Decimal("0.108"), 24)
    ep = schedule_equal_principal(600_000, Decimal("0.108"), 24)
    assert ep.total_interest_fen < ei.total_interest_fen
    assert ep.first_payment_fen > ei.first_payment_fen


# --- parse_yuan / format_fen -----------------------------------------------------------


@FAST
@given(st.integers(0, MAX_FEN))
def test_format_parse_round_trip(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen(fen, symbol=True)) == fen
    assert parse_yuan(format_fen(fen, grouping=False)) == fen


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        ("3,999.5", 399_950),
        ("¥120", 12_000),
        ("￥ 1,234.56 元", 123_456),
        ("RMB 5", 500),
        ("cny5.01", 501),
        ("１２３.４", 12_340),
        ("+7", 700),
        (120, 12_000),
        (0, 0),
        (0.1, 10),
        (Decimal("1.230"), 123),
        (Decimal("1E+2"), 10_000),
        (Decimal("0E-30"), 0),
        (10**11, MAX_FEN),
    ],
)
def test_parse_yuan_accepts(value: object, fen: int) -> None:
    assert parse_yuan(value) == fen


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.234", "MONEY_FORMAT"),
        ("-3", "MONEY_NEGATIVE"),
        ("abc", "MONEY_FORMAT"),
        (None, "MONEY_EMPTY"),
        ("", "MONEY_EMPTY"),
        (" ¥ ", "MONEY_EMPTY"),
        (float("nan"), "MONEY_FORMAT"),
        (float("inf"), "MONEY_FORMAT"),
        ([], "MONEY_FORMAT"),
        (True, "MONEY_FORMAT"),
        (-5, "MONEY_NEGATIVE"),
        (-1e20, "MONEY_NEGATIVE"),
        (-0.0, "MONEY_NEGATIVE"),
        (1e-5, "MONEY_FORMAT"),
        (1e20, "MONEY_TOO_LARGE"),
        (10**11 + 1, "MONEY_TOO_LARGE"),
        pytest.param(10**5000, "MONEY_TOO_LARGE", id="int-5000-digits"),  # str() would raise
        pytest.param("9" * 5000, "MONEY_TOO_LARGE", id="str-5000-digits"),
        ("100000000000.01", "MONEY_TOO_LARGE"),
        (Decimal("NaN"), "MONEY_FORMAT"),
        (Decimal("-NaN"), "MONEY_FORMAT"),
        (Decimal("sNaN"), "MONEY_FORMAT"),
        (Decimal("Infinity"), "MONEY_FORMAT"),
        (Decimal("-Infinity"), "MONEY_FORMAT"),
        (Decimal("-1"), "MONEY_NEGATIVE"),
        (Decimal("1E+999999"), "MONEY_TOO_LARGE"),
        (Decimal("1E+999999999999999999"), "MONEY_TOO_LARGE"),
        (Decimal("1E-999999999999999999"), "MONEY_FORMAT"),
        (Decimal("0.001"), "MONEY_FORMAT"),
        pytest.param(Decimal("1." + "0" * 80 + "1"), "MONEY_FORMAT", id="Decimal-82-places"),
    ],
)
def test_parse_yuan_rejects(value: object, code: str) -> None:
    with pytest.raises(MoneyParseError) as info:
        parse_yuan(value)
    assert info.value.code == code


def _expected_code(value: object) -> str | None:
    """The code a finite number must give, or None when any code/success is fine."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return "MONEY_FORMAT"
    if value < 0:
        return "MONEY_NEGATIVE"
    if value > Decimal(MAX_FEN) / 100:
        return "MONEY_TOO_LARGE"
    return None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.decimals()))
def test_parse_yuan_only_ever_raises_money_parse_error(value: object) -> None:
    expected = _expected_code(value)
    try:
        fen = parse_yuan(value)
    except MoneyParseError as e:
        assert e.code in {"MONEY_EMPTY", "MONEY_FORMAT", "MONEY_NEGATIVE", "MONEY_TOO_LARGE"}
        if expected is not None:
            assert e.code == expected
        return
    assert expected is None
    assert isinstance(fen, int) and 0 <= fen <= MAX_FEN
    if isinstance(value, int | Decimal):
        with localcontext() as ctx:
            ctx.prec = 100
            assert fen == value * 100


def _apr_by_bisection(flows: list[int]) -> Decimal:
    """The APR the long way: bisect the IRR to 1e-18, then round (the reference)."""
    with localcontext() as ctx:
        ctx.prec = 40
        apr = (irr_monthly(flows) * 12).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return apr if apr != 0 else Decimal("0.0000")


@pytest.mark.parametrize("method", list(RepaymentMethod))
@pytest.mark.parametrize("term", [3, 6, 12, 24, 36])
@pytest.mark.parametrize("rate", ["0", "0.0001", "0.0599", "0.12", "0.2399", "0.36"])
@pytest.mark.parametrize("fees", [(0, 0), (5000, 0), (0, 300), (12000, 1500)])
def test_the_apr_shortcut_gives_the_bisections_answer_on_real_schedules(
    method: RepaymentMethod, term: int, rate: str, fees: tuple[int, int]
) -> None:
    schedule = build_schedule(
        method, 2_839_869, Decimal(rate), term, upfront_fee_fen=fees[0], period_fee_fen=fees[1]
    )
    flows = schedule.cash_flows()
    shortcut = _apr_by_bracket(flows)
    if rate != "0" or fees != (0, 0):  # a zero-cost loan's flows sum to 0: exact, no shortcut
        assert shortcut is not None  # the usual loan takes the shortcut
    assert schedule.apr == _apr_by_bisection(flows)
    assert shortcut is None or shortcut == _apr_by_bisection(flows)


@settings(max_examples=300, deadline=None)
@given(
    principal=st.integers(1, 10**9),
    payment=st.integers(1, 10**8),
    term=st.integers(1, 60),
    lender_side=st.booleans(),
)
def test_the_apr_shortcut_never_differs_from_bisection(
    principal: int, payment: int, term: int, lender_side: bool
) -> None:
    flows = [principal] + [-payment] * term
    if lender_side:
        flows = [-f for f in flows]
    try:
        reference = _apr_by_bisection(flows)
    except ValueError:  # no IRR in range: the shortcut must not invent one
        assert _apr_by_bracket(flows) is None
        return
    shortcut = _apr_by_bracket(flows)
    assert shortcut is None or shortcut == reference
    assert apr_from_cash_flows(flows) == reference


def test_flows_with_two_sign_changes_are_left_to_bisection() -> None:
    flows = [-1000, 2300, -1320]  # two IRRs (10% and 20%): only bisection's choice counts
    assert _apr_by_bracket(flows) is None
