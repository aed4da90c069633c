"""Realistic demo data: Chinese names, real city region codes, valid IDs and mobile
numbers, appliance and furniture orders. Deterministic for a given ``seed``.

Used by ``main.py seed-demo`` and ``--demo``; the benchmarks and the 100,000-row list
test use it too. Seeded applications go through the same service write path
(``ApplicationService.save_many``) as a clerk's, in batches.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from core.clock import CHINA_TZ
from core.config import resources_dir
from core.consent.model import ConsentMethod, ConsentRecord
from core.consent.texts import bundled_texts
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
from core.money import parse_yuan
from core.validation import id_check_char

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国宇"
    "浩然子涵欣怡梓萱一诺思远俊杰雨桐晨阳佳怡子轩浩宇博文诗涵雅婷志强海燕春梅国庆文博"
    "慧敏晓东"
)
ETHNIC_NAMES = ("阿卜杜热合曼·买买提", "迪丽娜尔·艾力", "扎西·多吉", "古丽米拉·吐尔逊")
# (city, a real district region code, some street names)
CITIES = (
    ("北京", "110105", ("朝阳区建国路", "朝阳区望京街", "海淀区中关村大街")),
    ("上海", "310104", ("徐汇区漕溪北路", "浦东新区世纪大道", "闵行区七莘路")),
    ("广州", "440106", ("天河区天河路", "海珠区江南大道", "白云区机场路")),
    ("深圳", "440305", ("南山区科技园路", "福田区深南大道", "宝安区新安路")),
    ("成都", "510107", ("武侯区人民南路", "锦江区春熙路", "高新区天府大道")),
    ("杭州", "330106", ("西湖区文三路", "拱墅区莫干山路", "滨江区江南大道")),
    ("武汉", "420106", ("武昌区中南路", "洪山区珞喻路", "江汉区解放大道")),
    ("西安", "610113", ("雁塔区长安南路", "未央区凤城路", "碑林区东大街")),
    ("郑州", "410105", ("金水区花园路", "中原区建设路", "二七区大学路")),
    ("长沙", "430104", ("岳麓区麓山南路", "芙蓉区五一大道", "天心区芙蓉中路")),
    ("南京", "320106", ("鼓楼区中山北路", "玄武区珠江路", "建邺区江东中路")),
    ("重庆", "500103", ("渝中区解放碑", "江北区观音桥", "南岸区南坪")),
)
MOBILE_PREFIXES = (
    "138",
    "139",
    "135",
    "136",
    "137",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "177",
    "180",
    "181",
    "189",
    "199",
    "191",
    "166",
    "173",
)


def load_demo_catalog() -> list[CatalogItem]:
    raw = json.loads((resources_dir() / "demo" / "catalog.json").read_text(encoding="utf-8"))
    return [
        CatalogItem(i["sku"], i["name"], i["category"], parse_yuan(i["price"]))
        for i in raw["items"]
    ]


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


def generate(
    count: int,
    seed: int,
    now: datetime,
    catalog: list[CatalogItem],
    policy: TermsPolicy | None = None,
    days: int | None = None,
    salespeople: int = 1,
    plant_rate: float = 0.0,
) -> list[Planned]:
    """``count`` applications, oldest first; ``plant_rate`` of them carry B-side fraud
    patterns (see core.seed_fraud)."""
    from core.seed_fraud import plant

    gen = DemoGenerator(seed, now.date(), catalog, policy)
    timeline = Timeline(gen.rng, now, days or auto_days(count))
    planted = plant(gen, timeline, round(count * plant_rate), salespeople)
    clean = [
        Planned(gen.application(), timeline.any(), gen.rng.randrange(salespeople))
        for _ in range(count - len(planted))
    ]
    return sorted(clean + planted, key=lambda p: p.created)


ProgressFn = Callable[[int, int], None]


@dataclass
class SeedResult:
    saved: int = 0
    planted: dict[str, str] = field(default_factory=dict)  # application id -> pattern


def seed_demo(
    service: object,
    count: int,
    seed: int,
    now: datetime,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
    batch: int = 2000,
    *,
    salespeople: int = 12,
    days: int | None = None,
    plant_rate: float = 0.0,
) -> SeedResult:
    """Load the demo catalog, ``salespeople`` salespersons and ``count`` applications,
    each pre-screened and saved like a clerk's (in batches, one transaction each)."""
    from core.applications import ApplicationService

    assert isinstance(service, ApplicationService)
    catalog = load_demo_catalog()
    service.load_catalog(catalog)
    staff = [
        service.for_operator(service.ensure_operator(f"sales{i + 1:02d}", f"销售{i + 1:02d}"))
        for i in range(salespeople)
    ]
    plan = generate(count, seed, now, catalog, service.policy, days, salespeople, plant_rate)
    result = SeedResult()
    for start in range(0, len(plan), batch):
        chunk = plan[start : start + batch]
        for who, svc in enumerate(staff):
            mine = [p for p in chunk if p.salesperson == who]
            ids = svc.save_many([(p.app, p.created.astimezone(UTC)) for p in mine])
            result.planted.update(
                (app_id, p.pattern) for app_id, p in zip(ids, mine, strict=True) if p.pattern
            )
        result.saved += len(chunk)
        if progress:
            progress(result.saved, count)
        if cancel and cancel():
            break
    return result
