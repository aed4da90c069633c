"""Domain types shared by validation, storage, services and (later) sync.

Money is integer fen everywhere. Ids are UUIDv7 strings chosen by the client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.consent.model import ConsentRecord


class Scenario(StrEnum):
    """Product category of an order; risk rules differ per scenario."""

    APPLIANCE = "appliance"
    FURNITURE = "furniture"


class RepaymentMethod(StrEnum):
    EQUAL_INSTALLMENT = "equal_installment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金


class Status(StrEnum):
    """The application status machine (docs/architecture.md, "Rules of the house")."""

    DRAFT = "draft"
    PRESCREENED = "prescreened"
    QUEUED = "queued"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    DECLINED = "declined"
    REVIEW = "review"
    CANCELLED = "cancelled"


# Allowed transitions; each one is one transaction and one audit row.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.PRESCREENED, Status.QUEUED, Status.CANCELLED}),
    Status.PRESCREENED: frozenset({Status.QUEUED, Status.CANCELLED}),
    Status.QUEUED: frozenset({Status.SUBMITTED, Status.CANCELLED}),
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.DECLINED, Status.REVIEW}),
    Status.REVIEW: frozenset({Status.APPROVED, Status.DECLINED}),
    Status.APPROVED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class CustomerInput:
    id_number: str  # normalized: 17 digits + digit or "X"
    name: str
    phone: str  # normalized: 11 digits, no country code
    monthly_income_fen: int
    home_city: str
    home_address: str


@dataclass(frozen=True)
class OrderLineInput:
    sku: str
    name: str
    unit_price_fen: int
    quantity: int

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.quantity


@dataclass(frozen=True)
class TermsInput:
    down_payment_fen: int
    term_months: int
    method: RepaymentMethod
    # the first payment's due date as the store set it; None: one month after the
    # application day (core.applications.due_dates.default_first_due)
    first_due_date: date | None = None


@dataclass(frozen=True)
class ApplicationInput:
    """A complete, validated application as the clerk captured it."""

    scenario: Scenario
    customer: CustomerInput
    lines: tuple[OrderLineInput, ...]
    terms: TermsInput
    delivery_city: str
    delivery_address: str
    consent: ConsentRecord | None = None  # the customer's consent (core.consent)

    @property
    def order_total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def principal_fen(self) -> int:
        return self.order_total_fen - self.terms.down_payment_fen


@dataclass(frozen=True)
class ScenarioTerms:
    """What one scenario offers (from the active rule pack)."""

    allowed_terms: tuple[int, ...]
    min_down_ratio: Decimal
    max_down_ratio: Decimal
    upfront_fee_fen: int = 0


@dataclass(frozen=True)
class TermsPolicy:
    """What the store may offer. The form validates against the union over scenarios;
    ``by_scenario`` (filled from the active rule pack) narrows it per scenario."""

    allowed_terms: tuple[int, ...] = (3, 6, 9, 12, 18, 24)
    min_down_ratio: Decimal = Decimal("0")
    max_down_ratio: Decimal = Decimal("0.8")
    min_principal_fen: int = 500_00
    max_principal_fen: int = 200_000_00
    min_age: int = 18
    annual_rate: dict[Scenario, Decimal] = field(
        default_factory=lambda: {
            Scenario.APPLIANCE: Decimal("0.0888"),
            Scenario.FURNITURE: Decimal("0.1080"),
        }
    )
    upfront_fee_fen: int = 0
    by_scenario: dict[Scenario, ScenarioTerms] = field(default_factory=dict)

    def terms_for(self, scenario: Scenario | str) -> tuple[int, ...]:
        found = self.by_scenario.get(Scenario(scenario))
        return found.allowed_terms if found else self.allowed_terms

    def down_ratio_for(self, scenario: Scenario | str) -> tuple[Decimal, Decimal]:
        found = self.by_scenario.get(Scenario(scenario))
        if found:
            return found.min_down_ratio, found.max_down_ratio
        return self.min_down_ratio, self.max_down_ratio

    def upfront_fee_for(self, scenario: Scenario | str) -> int:
        found = self.by_scenario.get(Scenario(scenario))
        return found.upfront_fee_fen if found else self.upfront_fee_fen


# --- what storage hands back ---------------------------------------------------------

# Not by customer name: names are stored encrypted, so SQL cannot order them.
LIST_SORT_COLUMNS = (
    "created_at",
    "scenario",
    "order_total_fen",
    "principal_fen",
    "term_months",
    "first_payment_fen",
    "status",
)


@dataclass(frozen=True)
class ListQuery:
    """Filter and order of the applications list."""

    # exact full name, last 4 phone digits, the full phone or ID number, a reference
    # (S001-20261204-0007, or its store-and-day part), or the start of an application
    # id (personal values are matched through keyed hashes)
    text: str = ""
    status: Status | None = None
    sort_column: str = "created_at"
    descending: bool = True
    # the dashboard's filters (all optional; each narrows the list)
    scenario: Scenario | None = None
    operator_id: str | None = None  # the salesperson who saved it
    store_id: str | None = None  # within what the role may see anyway
    created_from: str | None = None  # UTC ISO as stored, inclusive (core.field.dashboard.utc_start)
    created_to: str | None = None  # UTC ISO as stored, exclusive
    statuses: tuple[Status, ...] = ()  # any of these
    outbox_state: str | None = None  # an upload 'rejected' (returned) or 'quarantined'
    # the pre-screen's outcome: one of PRESCREEN_FILTER_OUTCOMES, '' for applications
    # saved without one (before pre-screening existed)
    prescreen_outcome: str | None = None


PRESCREEN_FILTER_OUTCOMES = ("PASS", "REFER", "DECLINE", "")


@dataclass(frozen=True)
class ApplicationRow:
    """One line of the applications list (no more than the list shows)."""

    id: str
    created_at: str
    customer_name: str
    phone_tail: str
    scenario: str
    order_total_fen: int
    principal_fen: int
    term_months: int
    first_payment_fen: int
    status: str
    operator_name: str = ""  # the salesperson who saved it
    reference: str = ""  # read over the phone, e.g. S001-20261204-0007 (the id stays the id)


@dataclass(frozen=True)
class StatusEvent:
    seq: int
    at: str
    operator_name: str
    action: str
    from_status: str | None
    to_status: str | None
    detail: str | None


@dataclass(frozen=True)
class CatalogItem:
    sku: str
    name: str
    category: str
    price_fen: int


@dataclass(frozen=True)
class ApplicationDetail:
    row: ApplicationRow
    revision: int
    customer: CustomerInput
    lines: tuple[OrderLineInput, ...]
    terms: TermsInput
    annual_rate: Decimal
    upfront_fee_fen: int
    period_fee_fen: int
    apr: Decimal
    total_repayment_fen: int
    delivery_city: str
    delivery_address: str
    store_code: str
    operator_name: str
    updated_at: str
    due_day: int | None = (
        None  # the day of month the due dates aim at (core.applications.due_dates)
    )
