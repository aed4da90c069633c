"""One realistic application at a time from a seeded RNG, and creation times during
opening hours. Deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from core.clock import CHINA_TZ
from core.consent.model import ConsentMethod, ConsentRecord
from core.consent.texts import bundled_texts
from core.demo_data.vocab import CITIES, ETHNIC_NAMES, GIVEN, MOBILE_PREFIXES, SURNAMES
from core.models import (
    ApplicationInput,
    CatalogItem,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
    TermsPolicy,
)
from core.validation.application import id_check_char


class DemoGenerator:
    """Makes one realistic application at a time from a seeded RNG."""

    def __init__(
        self, seed: int, today: date, catalog: list[CatalogItem], policy: TermsPolicy | None = None
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.policy = policy or TermsPolicy()
        self.by_scenario = {s: [c for c in catalog if c.category == s.value] for s in Scenario}

    def _max_total(self, scenario: Scenario) -> int:
        """The largest order whose financed part can stay within the policy's limit."""
        min_ratio, _ = self.policy.down_ratio_for(scenario)
        return int(self.policy.max_principal_fen / (1 - min_ratio)) if min_ratio < 1 else 0

    def name(self) -> str:
        r = self.rng
        if r.random() < 0.01:
            return r.choice(ETHNIC_NAMES)
        given = r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
        return r.choice(SURNAMES) + given

    def id_number(self, region: str) -> str:
        r = self.rng
        age_days = r.randint(20 * 365, 62 * 365)
        birth = self.today - timedelta(days=age_days)
        first17 = f"{region}{birth:%Y%m%d}{r.randint(0, 999):03d}"
        return first17 + id_check_char(first17)

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"

    def application(self) -> ApplicationInput:
        r = self.rng
        city, region, streets = r.choice(CITIES)
        home = (
            f"{r.choice(streets)}{r.randint(1, 999)}号{r.randint(1, 30)}栋{r.randint(101, 2806)}室"
        )
        scenario = Scenario.APPLIANCE if r.random() < 0.65 else Scenario.FURNITURE
        items = self.by_scenario[scenario]
        picks = r.sample(items, k=min(len(items), r.choice((1, 1, 1, 2, 2, 3))))
        lines = tuple(
            OrderLineInput(c.sku, c.name, c.price_fen, 1 if r.random() < 0.9 else 2) for c in picks
        )
        while len(lines) > 1 and sum(ln.amount_fen for ln in lines) > self._max_total(scenario):
            lines = lines[:-1]  # a real order the store could finance at all
        total = sum(ln.amount_fen for ln in lines)
        min_ratio, max_ratio = self.policy.down_ratio_for(scenario)
        down_ratio = max(min_ratio, Decimal(r.choice((0, 0, 10, 10, 20, 30))) / 100)
        down_ratio = min(down_ratio, max_ratio)
        down = -(-int(total * down_ratio) // 100) * 100  # whole yuan, rounded up
        if total - down < self.policy.min_principal_fen and min_ratio == 0:
            down = 0
        income = r.choice((3500, 4500, 5500, 6500, 8000, 10000, 12000, 15000, 20000, 30000)) * 100
        same_address = r.random() < 0.85
        return ApplicationInput(
            scenario=scenario,
            customer=CustomerInput(
                self.id_number(region), self.name(), self.phone(), income, city, home
            ),
            lines=lines,
            terms=TermsInput(
                down,
                r.choice(self.policy.terms_for(scenario)),
                RepaymentMethod.EQUAL_INSTALLMENT
                if r.random() < 0.8
                else RepaymentMethod.EQUAL_PRINCIPAL,
            ),
            delivery_city=city,
            delivery_address=home if same_address else f"{r.choice(streets)}{r.randint(1, 999)}号",
            consent=paper_consent(self.today),
        )


def paper_consent(day: date) -> ConsentRecord:
    """Demo and generated customers signed the current consent texts on paper at the
    opening of ``day``'s business (China time)."""
    texts = bundled_texts().current_version
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=CHINA_TZ).astimezone(UTC)
    return ConsentRecord(
        texts.version, at.isoformat(timespec="milliseconds"), ConsentMethod.PAPER, texts.sha256
    )


@dataclass(frozen=True)
class Planned:
    """One demo application: when, by which salesperson, and which planted pattern
    (None for an ordinary customer)."""

    app: ApplicationInput
    created: datetime  # aware
    salesperson: int
    pattern: str | None = None


class Timeline:
    """Creation times during opening hours (9:00-21:00 China time) over the last ``days``."""

    def __init__(self, rng: random.Random, now: datetime, days: int) -> None:
        self.rng = rng
        self.now = now.astimezone(CHINA_TZ)
        self.opening = self.now.replace(hour=9, minute=0, second=0, microsecond=0)
        self.days = days

    def day(self, days_ago: int | None = None) -> datetime:
        """Opening time of a random (or the given) past day."""
        ago = self.rng.randint(1, self.days) if days_ago is None else days_ago
        return self.opening - timedelta(days=ago)

    def during(self, day_opening: datetime) -> datetime:
        at = day_opening + timedelta(seconds=self.rng.randint(0, 12 * 3600 - 1))
        return at if at <= self.now else at - timedelta(days=1)

    def any(self) -> datetime:
        return self.during(self.day(self.rng.randint(0, self.days)))


def auto_days(count: int) -> int:
    """A busy store takes about 30 applications a day: spread demo data accordingly."""
    return max(120, -(-count // 30))
