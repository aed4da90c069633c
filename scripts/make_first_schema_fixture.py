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
import json
import sqlite3
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from core.models import (  # noqa: E402
    ApplicationInput,
    TermsInput,
)
from core.money import build_schedule  # noqa: E402
from core.store.migrations import MIGRATIONS  # noqa: E402
from core.sync.payload import application_payload, sealed  # noqa: E402
from scripts.first_schema_cases import (  # noqa: E402
    AC15,
    ANNUAL_RATE,
    APPLIED_AT,
    CASES,
    CATALOG,
    CLERK_LOGIN,
    CLERK_NAME,
    DRAFT_CUSTOMER,
    START,
    STORE_CITY,
    STORE_CODE,
    STORE_NAME,
    Case,
    det_uuid7,
    iso,
)

FIXTURES = ROOT / "tests" / "fixtures"
DB_NAME = "loandesk-0001.db"
EXPECTED_NAME = "loandesk-0001.expected.json"


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
