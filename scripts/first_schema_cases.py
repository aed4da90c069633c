"""The made-up store day inside tests/fixtures/loandesk-0001.db (scripts/
make_first_schema_fixture.py writes it): eight applications in every status, both
scenarios and both repayment methods, a form draft and the catalog. Every person is made
up; ID numbers carry correct GB 11643 check digits and phones are valid mainland mobiles.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from core.models import (
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
)

APPLIED_AT = "2026-11-27 22:10:00.000000+00:00"  # when the first build made the file
START = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)  # 09:30 in the store (UTC+8)
ANNUAL_RATE = {Scenario.APPLIANCE: Decimal("0.0888"), Scenario.FURNITURE: Decimal("0.1080")}
STORE_CODE, STORE_NAME, STORE_CITY = "LOCAL", "本店", ""  # the first build's defaults
CLERK_LOGIN, CLERK_NAME = "clerk", "门店专员"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(region: str, birth: str, seq: str) -> str:
    """A GB 11643-1999 number: 6-digit region, YYYYMMDD, 3-digit sequence, check char."""
    first17 = region + birth + seq
    assert len(first17) == 17 and first17.isdigit()
    return (
        first17
        + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]
    )


def det_uuid7(at: datetime, label: str) -> str:
    """A UUIDv7 of ``at`` whose random bits come from ``label`` (same id every run)."""
    digest = int.from_bytes(hashlib.sha256(label.encode("utf-8")).digest()[:10], "big")
    value = (int(at.timestamp() * 1000) & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (digest >> 62) & 0xFFF
    value = value | (0b10 << 62) | (digest & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Case:
    """One application and the status path it took (each step an audit row)."""

    key: str
    scenario: Scenario
    customer: CustomerInput
    lines: tuple[OrderLineInput, ...]
    down_payment_fen: int
    term_months: int
    method: RepaymentMethod
    delivery_city: str
    delivery_address: str
    path: tuple[str, ...]  # statuses after "draft", in order
    outbox: str | None  # the outbox state of its upload, if any


def _line(sku: str, name: str, price_fen: int, qty: int = 1) -> OrderLineInput:
    return OrderLineInput(sku, name, price_fen, qty)


TV55 = _line("APL-TV-55", "55英寸4K智能电视", 299900)
FRG500 = _line("APL-FRG-500", "500升十字对开门冰箱", 429900)
WSH10 = _line("APL-WSH-10", "10公斤滚筒洗烘一体机", 349900)
AC15 = _line("APL-AC-15", "1.5匹变频挂机空调", 269900)
DW13 = _line("APL-DW-13", "13套嵌入式洗碗机", 469900)

CASES = (
    Case(
        "draft",
        Scenario.APPLIANCE,
        CustomerInput(
            id_number("330106", "19880314", "215"),
            "林晓峰",
            "13857160231",
            1250000,
            "杭州",
            "西湖区文三路90号5幢302室",
        ),
        (TV55, WSH10),
        100000,
        12,
        RepaymentMethod.EQUAL_INSTALLMENT,
        "杭州",
        "西湖区文三路90号5幢302室",
        (),
        None,
    ),
    Case(
        "prescreened",
        Scenario.FURNITURE,
        CustomerInput(
            id_number("110105", "19921102", "046"),
            "周雨桐",
            "15011627754",
            980000,
            "北京",
            "朝阳区望京西园三区312号楼1506",
        ),
        (_line("FUR-SOFA-3", "三人位真皮沙发", 899900), _line("FUR-CT", "茶几", 129900)),
        200000,
        18,
        RepaymentMethod.EQUAL_PRINCIPAL,
        "北京",
        "朝阳区望京西园三区312号楼1506",
        ("prescreened",),
        None,
    ),
    Case(
        "queued",
        Scenario.APPLIANCE,
        CustomerInput(
            id_number("440106", "19850621", "373"),
            "陈志远",
            "18620457718",
            2100000,
            "广州",
            "天河区体育西路191号中石化大厦B座2208",
        ),
        (
            _line("APL-AC-3", "3匹变频立柜空调", 699900),
            _line(AC15.sku, AC15.name, AC15.unit_price_fen, 2),
        ),
        300000,
        24,
        RepaymentMethod.EQUAL_INSTALLMENT,
        "广州",
        "番禺区市桥街大北路118号",
        ("queued",),
        "pending",
    ),
    Case(
        "submitted",
        Scenario.FURNITURE,
        CustomerInput(
            id_number("310115", "19950817", "528"),
            "黄思琪",
            "13917385026",
            1560000,
            "上海",
            "浦东新区张杨路1600号8号楼901室",
        ),
        (
            _line("FUR-BED-18", "1.8米实木双人床", 599900),
            _line("FUR-MAT-18", "1.8米乳胶弹簧床垫", 399900),
            _line("FUR-SHOE", "玄关鞋柜", 99900),
        ),
        0,
        12,
        RepaymentMethod.EQUAL_INSTALLMENT,
        "上海",
        "浦东新区张杨路1600号8号楼901室",
        ("queued", "submitted"),
        "acked",
    ),
    Case(
        "approved",
        Scenario.APPLIANCE,
        CustomerInput(
            id_number("510107", "19790205", "611"),
            "赵海涛",
            "17708236419",
            1800000,
            "成都",
            "武侯区人民南路四段27号2栋1单元603",
        ),
        (FRG500,),
        50000,
        6,
        RepaymentMethod.EQUAL_PRINCIPAL,
        "成都",
        "武侯区人民南路四段27号2栋1单元603",
        ("queued", "submitted", "approved"),
        "acked",
    ),
    Case(
        "declined",
        Scenario.APPLIANCE,
        CustomerInput(
            id_number("420106", "20000419", "082"),
            "吴佳怡",
            "19971254803",
            450000,
            "武汉",
            "武昌区中南路99号保利广场A座1712",
        ),
        (DW13, TV55),
        0,
        24,
        RepaymentMethod.EQUAL_INSTALLMENT,
        "武汉",
        "洪山区珞喻路1037号",
        ("queued", "submitted", "declined"),
        "acked",
    ),
    Case(
        "review",
        Scenario.FURNITURE,
        CustomerInput(
            id_number("320102", "19900730", "157"),
            "孙浩然",
            "13645189027",
            1320000,
            "南京",
            "玄武区中山路268号汇杰广场1103",
        ),
        (_line("FUR-WARD-4", "四门推拉衣柜", 479900),),
        100000,
        9,
        RepaymentMethod.EQUAL_PRINCIPAL,
        "南京",
        "玄武区中山路268号汇杰广场1103",
        ("queued", "submitted", "review"),
        "acked",
    ),
    Case(
        "cancelled",
        Scenario.FURNITURE,
        CustomerInput(
            id_number("350203", "19870912", "264"),
            "郑梦瑶",
            "15859206641",
            1100000,
            "厦门",
            "思明区湖滨南路388号国贸大厦15楼",
        ),
        (_line("FUR-DT-6", "岩板餐桌六椅套装", 529900),),
        50000,
        6,
        RepaymentMethod.EQUAL_INSTALLMENT,
        "厦门",
        "思明区湖滨南路388号国贸大厦15楼",
        ("cancelled",),
        None,
    ),
)

#: a half-typed application kept in the form (DRAFT_VERSION 1 of the first GUI)
DRAFT_CUSTOMER = {
    "id_number": id_number("330102", "19930526", "348"),
    "name": "何静怡",
    "phone": "18768125530",
    "monthly_income": "9000",
    "home_city": "杭州",
    "home_address": "上城区解放路138号2单元701",
}

CATALOG = (
    (TV55.sku, TV55.name, "appliance", TV55.unit_price_fen),
    (FRG500.sku, FRG500.name, "appliance", FRG500.unit_price_fen),
    (WSH10.sku, WSH10.name, "appliance", WSH10.unit_price_fen),
    (AC15.sku, AC15.name, "appliance", AC15.unit_price_fen),
    ("APL-AC-3", "3匹变频立柜空调", "appliance", 699900),
    (DW13.sku, DW13.name, "appliance", DW13.unit_price_fen),
)
