"""A database as a LoanDesk from before encryption (0005) left it: migrations up to 0004, and one
application with its customer, outbox payload and form draft in plain text."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import sqlite_utils

from core.config import Paths
from core.ids import uuid7
from core.models import ApplicationInput
from core.screening.normalize import address_key
from core.store.migrations import MIGRATIONS
from core.sync.payload import application_payload, sealed


def make_0004_database(paths: Paths, app: ApplicationInput) -> str:
    """What a LoanDesk from before encryption left: personal data in plain text, in the
    tables, the outbox payload and a form draft. Returns the application id."""
    paths.ensure()
    conn = sqlite3.connect(paths.database)
    conn.execute("PRAGMA journal_mode=WAL")
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="0005_encrypt_personal_data")
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="milliseconds")
    store, operator, customer, app_id = uuid7(), uuid7(), uuid7(), uuid7()
    c = app.customer
    with db.atomic():
        db.execute(
            "INSERT INTO stores(id, code, name, city, created_at) VALUES (?, 'LOCAL', "
            "'本店', '', ?)",
            [store, at],
        )
        db.execute(
            "INSERT INTO operators(id, store_id, login, display_name, role, created_at) "
            "VALUES (?, ?, 'clerk', '门店专员', 'clerk', ?)",
            [operator, store, at],
        )
        db.execute(
            "INSERT INTO customers(id, id_number, name, phone, monthly_income_fen, "
            "home_city, home_address, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                customer,
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
        db.execute(
            "INSERT INTO applications(id, store_id, operator_id, customer_id, scenario, status, "
            "order_total_fen, down_payment_fen, principal_fen, term_months, method, "
            "annual_rate, first_payment_fen, total_repayment_fen, apr, delivery_city, "
            "delivery_address, customer_name, phone_tail, created_at, updated_at, "
            "delivery_key) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, '0.0888', 1000, "
            "?, '0.0925', ?, ?, ?, ?, ?, ?, ?)",
            [
                app_id,
                store,
                operator,
                customer,
                app.scenario.value,
                app.order_total_fen,
                app.terms.down_payment_fen,
                app.principal_fen,
                app.terms.term_months,
                app.terms.method.value,
                app.principal_fen + 1000,
                app.delivery_city,
                app.delivery_address,
                c.name,
                c.phone[-4:],
                at,
                at,
                address_key(app.delivery_city, app.delivery_address),
            ],
        )
        for i, line in enumerate(app.lines):
            db.execute(
                "INSERT INTO order_lines VALUES (?, ?, ?, ?, ?, ?)",
                [app_id, i + 1, line.sku, line.name, line.unit_price_fen, line.quantity],
            )
        text, sha = sealed(
            application_payload(
                application_id=app_id,
                store_code="LOCAL",
                operator="clerk",
                created_at=at,
                app=app,
                annual_rate="0.0888",
                first_payment_fen=1000,
                total_repayment_fen=app.principal_fen + 1000,
                apr="0.0925",
                prescreen=None,
            )
        )
        db.execute(
            "INSERT INTO outbox(op_id, application_id, op, base_rev, payload, "
            "payload_sha256, created_at) VALUES (?, ?, 'create', 0, ?, ?, ?)",
            [uuid7(), app_id, text, sha, at],
        )
        db.execute(
            "INSERT INTO form_drafts(operator_id, data, updated_at) VALUES (?, ?, ?)",
            [
                operator,
                json.dumps({"name": c.name, "id_number": c.id_number}, ensure_ascii=False),
                at,
            ],
        )
    conn.close()
    return app_id
