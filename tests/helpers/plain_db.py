"""A database as a LoanDesk from before encryption (0005) left it: migrations up to 0004, and one
application with its customer, outbox payload and form draft in plain text."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import sqlite_utils

from core.config import Paths
from core.ids import uuid7
from core.models import ApplicationInput, TermsPolicy
from core.money import Schedule, build_schedule
from core.prescreen.normalize import address_key
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
    s = _schedule(app)  # the figures that LoanDesk computed then, as head office will
    rate, first, total, apr = (
        str(s.annual_rate),
        s.first_payment_fen,
        s.total_repayment_fen,
        str(s.apr),
    )
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
            "delivery_key) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                rate,
                first,
                total,
                apr,
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
                annual_rate=rate,
                first_payment_fen=first,
                total_repayment_fen=total,
                apr=apr,
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


def _schedule(app: ApplicationInput) -> Schedule:
    """The schedule the bundled rule pack's terms give ``app``."""
    from core.prescreen.params import parse_params, terms_policy
    from core.rules import bundled_pack_path, load_trusted_keys
    from core.rules.pack import parse_pack

    pack = parse_pack(bundled_pack_path().read_bytes(), load_trusted_keys())
    policy = terms_policy(parse_params(pack.parameters), TermsPolicy())
    return build_schedule(
        app.terms.method,
        app.principal_fen,
        policy.annual_rate[app.scenario],
        app.terms.term_months,
        upfront_fee_fen=policy.upfront_fee_for(app.scenario),
    )
