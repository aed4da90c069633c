"""The central scorecard: transparent points, three outcomes, stable reason codes.

Every application starts at :data:`BASE_POINTS`; each factor adds the points of the
first row of its table that matches. The total decides:

* ``approved``  when score >= :data:`APPROVE_AT` (60); approved amount = the principal;
* ``review``    when :data:`REVIEW_AT` (40) <= score < 60 (a person looks at it);
* ``declined``  when score < 40, or on a knock-out (blacklist hit).

Points table (base 50)::

    factor                         band                          points  reason code
    age (completed years, China    <= 21                           -10   SC_YOUNG
      date of the decision, from   22-25                             0
      the ID number)               26-45                           +10
                                   46-55                            +5
                                   56-60                            -5   SC_AGE_HIGH
                                   61-65                           -15   SC_AGE_HIGH
                                   > 65                            -60   SC_AGE_OVER
    monthly income (yuan)          >= 15,000                       +15
                                   8,000-14,999.99                 +10
                                   5,000-7,999.99                   +5
                                   3,000-4,999.99                    0
                                   < 3,000                         -15   SC_INCOME_LOW
    PTI = largest installment /    <= 0.10                         +20
      monthly income (schedule     0.10-0.20                       +12
      from core.money with the     0.20-0.30                        +5
      payload's annual rate)       0.30-0.40                        -5   SC_PTI_ELEVATED
                                   0.40-0.60                       -20   SC_PTI_HIGH
                                   > 0.60                          -50   SC_PTI_HIGH
    down payment / order total     >= 0.30                         +10
                                   0.20-0.30                        +5
                                   0.10-0.20                         0
                                   < 0.10                           -5   SC_LOW_DOWN_PAYMENT
    scenario                       appliance                        +5
                                   furniture                         0
    store pre-screen, as the       PASS                              0
      server replays it            REFER: -8 per borrower or data  -24   SC_STORE_REFERRED
      (server/prescreen_check.py;    reason, at most
      never the store's claim)     DECLINE                         -60   SC_STORE_DECLINED
                                   none sent or not replayable      -5   SC_NO_PRESCREEN
    fraud signals: store-side      -10 per distinct code, at most  -30   SC_FRAUD_SIGNALS
      reasons that stand (the
      replay's, less store pick-ups
      and discounts) and head
      office's own flags on arrival
    knock-outs (declined whatever  a BLACKLIST_* pre-screen reason,       SC_BLACKLISTED
      the score)                   or the ID / phone / device on the
                                   server's own blacklist
                                   a principal outside the scenario's     SC_AMOUNT_NOT_OFFERED
                                   bounds in the pack (server/terms.py)
    flags (approved becomes        the replayed pre-screen differs from   SC_PRESCREEN_MISMATCH
      review; the code is added)   the store's receipt
                                   no replayable receipt was sent         SC_PRESCREEN_UNVERIFIED
                                   any fraud signal (store-side or        the signal's own code
                                   head office's), e.g. SHARED_PHONE,     (a person checks what
                                   HO_RING                                it names)

Bands are inclusive at their upper end for age and PTI (PTI 0.40 is "0.30-0.40",
matching the pre-screen's ``(0.4..0.6]`` refer band) and inclusive at their lower end
for income and down payment. ``reasons`` lists the codes of the factors that took
points off (in table order, no repeats), for ``review`` and ``declined`` only.

Calibrated on ``core.demo_data.generate`` demo data so the centre broadly agrees with the
store's pre-screen: PASS is mostly approved, DECLINE mostly declined, REFER mostly
review or approved (see ``tests/server/test_scorecard.py``). A fraud signal is never
outweighed by a good borrower: it takes points *and* stops an automatic approval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from server.signals.store_side import STORE_SIDE_CODES

BASE_POINTS = 50
APPROVE_AT = 60
REVIEW_AT = 40

Outcome = Literal["approved", "review", "declined"]
# (limit, points, code): the first row whose limit is reached matches; None matches all.
Row = tuple[Decimal | None, int, str]

AGE_AT_MOST: tuple[Row, ...] = (
    (Decimal(21), -10, "SC_YOUNG"),
    (Decimal(25), 0, ""),
    (Decimal(45), 10, ""),
    (Decimal(55), 5, ""),
    (Decimal(60), -5, "SC_AGE_HIGH"),
    (Decimal(65), -15, "SC_AGE_HIGH"),
    (None, -60, "SC_AGE_OVER"),
)
INCOME_YUAN_AT_LEAST: tuple[Row, ...] = (
    (Decimal(15000), 15, ""),
    (Decimal(8000), 10, ""),
    (Decimal(5000), 5, ""),
    (Decimal(3000), 0, ""),
    (None, -15, "SC_INCOME_LOW"),
)
PTI_AT_MOST: tuple[Row, ...] = (
    (Decimal("0.10"), 20, ""),
    (Decimal("0.20"), 12, ""),
    (Decimal("0.30"), 5, ""),
    (Decimal("0.40"), -5, "SC_PTI_ELEVATED"),
    (Decimal("0.60"), -20, "SC_PTI_HIGH"),
    (None, -50, "SC_PTI_HIGH"),
)
DOWN_RATIO_AT_LEAST: tuple[Row, ...] = (
    (Decimal("0.30"), 10, ""),
    (Decimal("0.20"), 5, ""),
    (Decimal("0.10"), 0, ""),
    (None, -5, "SC_LOW_DOWN_PAYMENT"),
)
SCENARIO_POINTS = {"appliance": 5, "furniture": 0}
REFER_POINTS_EACH = -8
REFER_POINTS_MAX = -24
STORE_DECLINE_POINTS = -60
NO_PRESCREEN_POINTS = -5
SIGNAL_POINTS_EACH = -10
SIGNAL_POINTS_MAX = -30


@dataclass(frozen=True)
class ScoreInput:
    age: int
    monthly_income_fen: int
    max_installment_fen: int
    principal_fen: int
    order_total_fen: int
    down_payment_fen: int
    scenario: str
    prescreen_outcome: str | None  # PASS / REFER / DECLINE, None if the store sent none
    prescreen_reasons: Sequence[str] = ()
    blacklisted: bool = False  # the server's own blacklist matched
    # fraud signals: the store-side reasons that stand, head office's flags on arrival
    signals: Sequence[str] = ()


@dataclass(frozen=True)
class Score:
    decision: Outcome
    score: int
    approved_amount_fen: int | None
    reasons: tuple[str, ...]
    points: tuple[tuple[str, int], ...]  # (factor, points) for audits and tests


def _at_most(table: tuple[Row, ...], value: Decimal) -> tuple[int, str]:
    for limit, points, code in table:
        if limit is None or value <= limit:
            return points, code
    raise AssertionError("a table must end with a catch-all row")


def _at_least(table: tuple[Row, ...], value: Decimal) -> tuple[int, str]:
    for limit, points, code in table:
        if limit is None or value >= limit:
            return points, code
    raise AssertionError("a table must end with a catch-all row")


def _prescreen(outcome: str | None, reasons: Sequence[str]) -> tuple[int, str]:
    if outcome is None:
        return NO_PRESCREEN_POINTS, "SC_NO_PRESCREEN"
    if outcome == "DECLINE":
        return STORE_DECLINE_POINTS, "SC_STORE_DECLINED"
    if outcome == "REFER":
        # store-side reasons count as fraud signals (:func:`_signals`), not twice
        borrower = [r for r in reasons if r not in STORE_SIDE_CODES]
        if not borrower and len(reasons) > 0:
            return 0, ""
        return max(REFER_POINTS_MAX, REFER_POINTS_EACH * max(1, len(borrower))), "SC_STORE_REFERRED"
    return 0, ""


def _signals(codes: Sequence[str]) -> tuple[int, str]:
    n = len(set(codes))
    if not n:
        return 0, ""
    return max(SIGNAL_POINTS_MAX, SIGNAL_POINTS_EACH * n), "SC_FRAUD_SIGNALS"


def score(data: ScoreInput) -> Score:
    """Score one validated application (pure: no clock, no database)."""
    income = Decimal(data.monthly_income_fen) / 100
    pti = (
        Decimal(data.max_installment_fen) / Decimal(data.monthly_income_fen)
        if data.monthly_income_fen > 0
        else Decimal(99)
    )
    down_ratio = (
        Decimal(data.down_payment_fen) / Decimal(data.order_total_fen)
        if data.order_total_fen > 0
        else Decimal(0)
    )
    factors = (
        ("age", _at_most(AGE_AT_MOST, Decimal(data.age))),
        ("income", _at_least(INCOME_YUAN_AT_LEAST, income)),
        ("pti", _at_most(PTI_AT_MOST, pti)),
        ("down_payment", _at_least(DOWN_RATIO_AT_LEAST, down_ratio)),
        ("scenario", (SCENARIO_POINTS.get(data.scenario, 0), "")),
        ("prescreen", _prescreen(data.prescreen_outcome, data.prescreen_reasons)),
        ("signals", _signals(data.signals)),
    )
    total = BASE_POINTS + sum(points for _, (points, _c) in factors)
    codes: list[str] = []
    for _, (points, code) in factors:
        if code and points < 0 and code not in codes:
            codes.append(code)
    store_hit = any(r.startswith("BLACKLIST_") for r in data.prescreen_reasons)
    if data.blacklisted or store_hit:
        codes.insert(0, "SC_BLACKLISTED")
        decision: Outcome = "declined"
    elif total >= APPROVE_AT:
        decision = "approved"
    elif total >= REVIEW_AT:
        decision = "review"
    else:
        decision = "declined"
    result = Score(
        decision=decision,
        score=total,
        approved_amount_fen=data.principal_fen if decision == "approved" else None,
        reasons=() if decision == "approved" else tuple(codes),
        points=tuple((name, points) for name, (points, _c) in factors),
    )
    for code in dict.fromkeys(data.signals):  # in order, no repeats
        result = flag_for_review(result, code)
    return result


def flag_for_review(result: Score, code: str) -> Score:
    """``result`` with ``code`` added: an approval becomes ``review`` (a person looks),
    a review or a decline stays as it is."""
    decision: Outcome = "review" if result.decision == "approved" else result.decision
    return replace(
        result,
        decision=decision,
        approved_amount_fen=None if decision != "approved" else result.approved_amount_fen,
        reasons=(*result.reasons, code) if code not in result.reasons else result.reasons,
    )


def knock_out(result: Score, code: str) -> Score:
    """``result`` declined for ``code`` whatever its points (head office's own rule)."""
    reasons = result.reasons if code in result.reasons else (code, *result.reasons)
    return replace(result, decision="declined", approved_amount_fen=None, reasons=reasons)
