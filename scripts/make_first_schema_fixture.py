"""Build ``tests/fixtures/loandesk-0001.db``: a database as the first LoanDesk left it.

Only migration 0001 is applied, through sqlite-utils' Migrations exactly as the app runs
it (``MIGRATIONS.apply(db, stop_before="0002_rules")``), so ``_sqlite_migrations``
records it as sqlite-utils does; its ``applied_at`` is then set to a fixed time so the
file is the same on every run. The rows are written the way the first build's
repositories wrote them (core/store/repositories.py at commit 4a94beb): personal data
in plain text in ``customers``, ``applications.customer_name`` / ``delivery_address``,
the outbox payloads and a form draft; one store (the default ``LOCAL`` 本店) and the
first build's ``clerk`` operator; the device id in ``meta``; an audit row per status
change. Every status, both scenarios and both repayment methods, one to three order
lines each. All people are made up; their ID numbers carry correct GB 11643 check
digits and their phones are valid mainland mobiles.

Also writes ``tests/fixtures/loandesk-0001.expected.json``: what the upgrade test must
find after the current build has migrated and encrypted the file.

    python scripts/make_first_schema_fixture.py            # (re)writes both files
    python scripts/make_first_schema_fixture.py --check    # exit 1 if they would change
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from core.models import (  # noqa: E402
    ApplicationInput,
    CustomerInput,
    OrderLineInput,
    RepaymentMethod,
    Scenario,
    TermsInput,
)
from core.money import build_schedule  # noqa: E402
from core.store.migrations import MIGRATIONS  # noqa: E402
from core.sync.payload import application_payload, sealed  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
DB_NAME = "loandesk-0001.db"
EXPECTED_NAME = "loandesk-0001.expected.json"

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


def build(path: Path) -> dict[str, Any]:
    """Write the database at ``path`` (must not exist); returns the expected JSON."""
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode=WAL")  # as the first build opened every file
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="0002_rules")  # exactly 0001, recorded by sqlite-utils
    applied = [m.name for m in MIGRATIONS.applied(db)]
    assert applied == ["0001_initial"], applied
    with db.conn:
        db.execute("UPDATE _sqlite_migrations SET applied_at = ?", [APPLIED_AT])
    expected = _fill(db)
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()  # the last connection: the WAL is checkpointed and removed
    return expected


def _fill(db: sqlite_utils.Database) -> dict[str, Any]:
    made = START - timedelta(days=1)
    store_id = det_uuid7(made, "store")
    clerk_id = det_uuid7(made, "operator clerk")
    device_id = det_uuid7(made, "device")
    apps: list[dict[str, Any]] = []
    outbox: list[dict[str, Any]] = []
    with db.conn:
        db.execute(
            "INSERT INTO stores(id, code, name, city, created_at) VALUES (?, ?, ?, ?, ?)",
            [store_id, STORE_CODE, STORE_NAME, STORE_CITY, iso(made)],
        )
        db.execute(
            "INSERT INTO operators(id, store_id, login, display_name, role, created_at) "
            "VALUES (?, ?, ?, ?, 'clerk', ?)",
            [clerk_id, store_id, CLERK_LOGIN, CLERK_NAME, iso(made)],
        )
        db.execute("INSERT INTO meta(key, value) VALUES ('device_id', ?)", [device_id])
        db.conn.executemany(
            "INSERT INTO catalog(sku, name, category, price_fen, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(*item, iso(made)) for item in CATALOG],
        )
        for n, case in enumerate(CASES):
            created = START + timedelta(days=n, hours=n % 3, minutes=7 * n)
            app, box = _application(db, case, created, store_id, clerk_id)
            apps.append(app)
            outbox.extend(box)
        draft = {
            "version": 1,
            "step": 1,
            "same_as_home": True,
            "form": {
                "scenario": "appliance",
                "customer": DRAFT_CUSTOMER,
                "order": {
                    "lines": [
                        {
                            "sku": AC15.sku,
                            "name": AC15.name,
                            "unit_price": "2699.00",
                            "quantity": "1",
                        }
                    ],
                    "delivery_city": "",
                    "delivery_address": "",
                },
                "terms": {"down_payment": "", "term_months": 12, "method": "equal_installment"},
            },
        }
        db.execute(
            "INSERT INTO form_drafts(operator_id, data, updated_at) VALUES (?, ?, ?)",
            [
                clerk_id,
                json.dumps(draft, ensure_ascii=False),
                iso(START + timedelta(days=7, hours=3)),
            ],
        )
    return {
        "migrations": ["0001_initial"],
        "store": {"id": store_id, "code": STORE_CODE, "name": STORE_NAME},
        "operators": [
            {"id": clerk_id, "login": CLERK_LOGIN, "display_name": CLERK_NAME, "role": "clerk"}
        ],
        "device_id": device_id,
        "catalog_skus": sorted(item[0] for item in CATALOG),
        "applications": apps,
        "outbox": outbox,
        "form_drafts": [{"operator_login": CLERK_LOGIN, "data": draft}],
        "plain_text_never_left": sorted(
            _personal_values(apps) | _personal_values([{"customer": DRAFT_CUSTOMER}])
        ),
    }


def _application(
    db: sqlite_utils.Database, case: Case, created: datetime, store_id: str, clerk_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    c = case.customer
    total = sum(line.amount_fen for line in case.lines)
    principal = total - case.down_payment_fen
    schedule = build_schedule(case.method, principal, ANNUAL_RATE[case.scenario], case.term_months)
    app_id = det_uuid7(created, f"application {case.key}")
    customer_id = det_uuid7(created, f"customer {case.key}")
    at = iso(created)
    db.execute(
        "INSERT INTO customers(id, id_number, name, phone, monthly_income_fen, home_city, "
        "home_address, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            customer_id,
            c.id_number,
            c.name,
            c.phone,
            c.monthly_income_fen,
            c.home_city,
            c.home_address,
            at,
            at,
        ],
    )
    steps = [(created + timedelta(hours=2 * (i + 1)), status) for i, status in enumerate(case.path)]
    updated = iso(steps[-1][0]) if steps else at
    status = case.path[-1] if case.path else "draft"
    row = {
        "id": app_id,
        "store_id": store_id,
        "operator_id": clerk_id,
        "customer_id": customer_id,
        "scenario": case.scenario.value,
        "status": status,
        "revision": 1,
        "order_total_fen": total,
        "down_payment_fen": case.down_payment_fen,
        "principal_fen": principal,
        "term_months": case.term_months,
        "method": case.method.value,
        "annual_rate": str(schedule.annual_rate),
        "upfront_fee_fen": schedule.upfront_fee_fen,
        "period_fee_fen": schedule.period_fee_fen,
        "first_payment_fen": schedule.first_payment_fen,
        "total_repayment_fen": schedule.total_repayment_fen,
        "apr": str(schedule.apr),
        "delivery_city": case.delivery_city,
        "delivery_address": case.delivery_address,
        "customer_name": c.name,
        "phone_tail": c.phone[-4:],
        "created_at": at,
        "updated_at": updated,
    }
    db.execute(
        f"INSERT INTO applications({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        list(row.values()),
    )
    db.conn.executemany(
        "INSERT INTO order_lines(application_id, line_no, sku, name, unit_price_fen, quantity) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (app_id, i + 1, ln.sku, ln.name, ln.unit_price_fen, ln.quantity)
            for i, ln in enumerate(case.lines)
        ],
    )
    audit = [(at, "created", None, "draft", None)]
    previous = "draft"
    for when, to in steps:
        action, detail = (
            ("cancelled", {"reason": "customer_withdrew"})
            if to == "cancelled"
            else ("status", None)
        )
        audit.append((iso(when), action, previous, to, detail))
        previous = to
    db.conn.executemany(
        "INSERT INTO audit_log(at, operator_id, action, target_type, target_id, from_status, "
        "to_status, detail) VALUES (?, ?, ?, 'application', ?, ?, ?, ?)",
        [
            (
                when,
                clerk_id,
                action,
                app_id,
                frm,
                to,
                json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
            )
            for when, action, frm, to, detail in audit
        ],
    )
    box: list[dict[str, Any]] = []
    if case.outbox is not None:
        queued_at = iso(steps[0][0])
        app_input = ApplicationInput(
            case.scenario,
            c,
            case.lines,
            TermsInput(case.down_payment_fen, case.term_months, case.method),
            case.delivery_city,
            case.delivery_address,
        )
        text, sha = sealed(
            application_payload(
                application_id=app_id,
                store_code=STORE_CODE,
                operator=CLERK_LOGIN,
                created_at=at,
                app=app_input,
                annual_rate=str(schedule.annual_rate),
                first_payment_fen=schedule.first_payment_fen,
                total_repayment_fen=schedule.total_repayment_fen,
                apr=str(schedule.apr),
                prescreen=None,
            )
        )
        op_id = det_uuid7(steps[0][0], f"outbox {case.key}")
        acked_at = iso(steps[1][0]) if case.outbox == "acked" else None
        db.execute(
            "INSERT INTO outbox(op_id, application_id, op, base_rev, payload, payload_sha256, "
            "state, attempts, last_http_status, created_at, acked_at) "
            "VALUES (?, ?, 'create', 0, ?, ?, ?, ?, ?, ?, ?)",
            [
                op_id,
                app_id,
                text,
                sha,
                case.outbox,
                1 if acked_at else 0,
                200 if acked_at else None,
                queued_at,
                acked_at,
            ],
        )
        box.append(
            {
                "op_id": op_id,
                "application_id": app_id,
                "state": case.outbox,
                "payload_sha256": sha,
                "payload": json.loads(text),
            }
        )
    expected = {
        **{
            k: row[k]
            for k in (
                "id",
                "scenario",
                "status",
                "revision",
                "order_total_fen",
                "down_payment_fen",
                "principal_fen",
                "term_months",
                "method",
                "annual_rate",
                "upfront_fee_fen",
                "period_fee_fen",
                "first_payment_fen",
                "total_repayment_fen",
                "apr",
                "delivery_city",
                "delivery_address",
                "created_at",
                "updated_at",
            )
        },
        "customer": {
            "id_number": c.id_number,
            "name": c.name,
            "phone": c.phone,
            "monthly_income_fen": c.monthly_income_fen,
            "home_city": c.home_city,
            "home_address": c.home_address,
        },
        "lines": [
            {
                "sku": ln.sku,
                "name": ln.name,
                "unit_price_fen": ln.unit_price_fen,
                "quantity": ln.quantity,
            }
            for ln in case.lines
        ],
        "history": [[action, frm, to] for _when, action, frm, to, _detail in audit],
    }
    return expected, box


def _personal_values(apps: list[dict[str, Any]]) -> set[str]:
    """The strings that must not be found in plain text once the file is encrypted."""
    out: set[str] = set()
    for app in apps:
        c = app["customer"]
        out.update([c["id_number"], c["name"], c["phone"], c["home_address"]])
        if "delivery_address" in app:
            out.add(app["delivery_address"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIXTURES, help="folder to write to")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the committed files differ"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / DB_NAME
        expected = build(db_path)
        db_bytes = db_path.read_bytes()
    text = json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    out: Path = args.out
    if args.check:
        same = (
            (out / DB_NAME).exists()
            and (out / DB_NAME).read_bytes() == db_bytes
            and (out / EXPECTED_NAME).read_text(encoding="utf-8") == text
        )
        print("fixture up to date" if same else "fixture differs from what this script makes")
        return 0 if same else 1
    out.mkdir(parents=True, exist_ok=True)
    (out / DB_NAME).write_bytes(db_bytes)
    (out / EXPECTED_NAME).write_text(text, encoding="utf-8")
    print(f"wrote {out / DB_NAME} ({len(db_bytes)} bytes) and {out / EXPECTED_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
