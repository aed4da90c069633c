"""The loan figures, recomputed: a store's payload names its terms, the server prices
them again from the order lines and the rule pack it published, and refuses an item
whose figures differ.

Which pack: the version the store's pre-screen names (``prescreen.pack_version``; a
store offline with an older published version is still priced by that version), else
the current published pack (a store with no usable pack priced with its built-in
defaults, which must then agree with what is published), else the built-in defaults
(no pack published at all). A version never published is refused (``PACK_UNKNOWN``).

From that pack's parameters for the application's scenario (core/prescreen/params.py)
the schedule is built with the scenario's rate and upfront fee
(``core.money.build_schedule``) for the principal ``core.validation.application`` computed from the
order lines and the down payment, and the payload's ``annual_rate``
(``RATE_MISMATCH``), ``first_payment_fen``, ``total_repayment_fen`` and ``apr``
(``FIGURES_MISMATCH``) must equal it exactly. A principal outside the pack's bounds
for every scenario is refused by ``core.validation.application`` (``PRINCIPAL_RANGE``); one within
them but outside this scenario's bounds is a loan the store may record but head office
does not offer: :attr:`Priced.offered` is False and the server declines it
(``SC_AMOUNT_NOT_OFFERED``), whatever the pre-screen said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.models import ApplicationInput, TermsPolicy
from core.money import Schedule, build_schedule
from core.sync.wire import ApplicationPayload, WireReason
from server.packs import ActivePack

DEFAULT_POLICY = TermsPolicy()


class FiguresRefused(Exception):
    def __init__(self, reasons: list[WireReason]) -> None:
        super().__init__(reasons[0].code)
        self.reasons = reasons


def _reason(field: str, code: str, zh: str, en: str) -> WireReason:
    return WireReason(field=field, code=code, message=f"{zh} / {en}")


def terms_pack(
    payload: ApplicationPayload,
    current: ActivePack | None,
    published: Callable[[int], ActivePack | None],
) -> ActivePack | None:
    """The published pack the figures are checked against (None: built-in defaults)."""
    summary = payload.prescreen
    if summary is None or summary.pack_version is None:
        return current
    found = published(summary.pack_version)
    if found is None or (summary.pack_id is not None and summary.pack_id != found.pack.pack_id):
        v = summary.pack_version
        raise FiguresRefused(
            [
                _reason(
                    "prescreen.pack_version",
                    "PACK_UNKNOWN",
                    f"规则包版本 {v} 不是总部发布的版本，无法核对贷款条件；请同步后重新提交",
                    f"rule pack version {v} was never published by head office, so the "
                    "terms cannot be checked; sync and submit again",
                )
            ]
        )
    return found


@dataclass(frozen=True)
class Priced:
    schedule: Schedule
    offered: bool  # the principal lies within the scenario's bounds


def check_figures(
    payload: ApplicationPayload, app: ApplicationInput, pack: ActivePack | None
) -> Priced:
    """The schedule the server prices ``app`` at, and whether the scenario offers its
    principal; FiguresRefused if the payload's figures disagree."""
    scenario = app.scenario
    if pack is None:
        rate = DEFAULT_POLICY.annual_rate[scenario]
        fee, low, high = 0, DEFAULT_POLICY.min_principal_fen, DEFAULT_POLICY.max_principal_fen
        version = "built-in"
    else:
        terms = pack.params.scenarios.get(scenario.value)
        if terms is None:
            raise FiguresRefused(
                [
                    _reason(
                        "scenario",
                        "SCENARIO_NOT_OFFERED",
                        f"规则包 v{pack.pack.version} 不提供“{scenario.value}”分期",
                        f"rule pack v{pack.pack.version} offers no {scenario.value} loans",
                    )
                ]
            )
        rate, fee = terms.annual_rate, terms.upfront_fee_fen
        low, high = terms.min_principal_fen, terms.max_principal_fen
        version = f"v{pack.pack.version}"
    principal = app.principal_fen
    schedule = build_schedule(
        app.terms.method, principal, rate, app.terms.term_months, upfront_fee_fen=fee
    )
    reasons: list[WireReason] = []
    if Decimal(payload.annual_rate) != schedule.annual_rate:
        reasons.append(
            _reason(
                "annual_rate",
                "RATE_MISMATCH",
                f"年利率 {payload.annual_rate} 与规则包 {version} 的 {schedule.annual_rate} 不符",
                f"annual rate {payload.annual_rate} is not rule pack {version}'s "
                f"{schedule.annual_rate}",
            )
        )
    for field, sent, ours in (
        ("first_payment_fen", payload.first_payment_fen, schedule.first_payment_fen),
        ("total_repayment_fen", payload.total_repayment_fen, schedule.total_repayment_fen),
    ):
        if sent != ours:
            reasons.append(
                _reason(
                    field,
                    "FIGURES_MISMATCH",
                    f"{field} 为 {sent}，按订单和规则包 {version} 计算应为 {ours}",
                    f"{field} is {sent}; the order and rule pack {version} give {ours}",
                )
            )
    if Decimal(payload.apr) != schedule.apr:
        reasons.append(
            _reason(
                "apr",
                "FIGURES_MISMATCH",
                f"年化利率 {payload.apr}，按订单和规则包 {version} 计算应为 {schedule.apr}",
                f"apr is {payload.apr}; the order and rule pack {version} give {schedule.apr}",
            )
        )
    if reasons:
        raise FiguresRefused(reasons)
    return Priced(schedule, low <= principal <= high)
