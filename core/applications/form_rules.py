"""What the new-application form checks against without touching the database: the
terms on offer (read once from the active rule pack) and today's date. The screens
validate and quote with it on the GUI thread as the clerk types; saving and the
pre-screen, which read the store's data, go through the database lane."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock, local_today
from core.models import RepaymentMethod, Scenario, TermsPolicy
from core.money import Schedule, build_schedule
from core.validation.application import ValidationResult, parse_application


@dataclass(frozen=True)
class FormRules:
    policy: TermsPolicy
    clock: Clock

    def validate(self, raw: object) -> ValidationResult:
        return parse_application(raw, today=local_today(self.clock), policy=self.policy)

    def quote(
        self, scenario: Scenario, principal_fen: int, term_months: int, method: RepaymentMethod
    ) -> Schedule:
        """The installment schedule the customer would sign for."""
        return build_schedule(
            method,
            principal_fen,
            self.policy.annual_rate[scenario],
            term_months,
            upfront_fee_fen=self.policy.upfront_fee_for(scenario),
        )
