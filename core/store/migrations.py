"""Numbered, forward-only schema migrations, every one registered here (a step too big
for this file calls a helper in core/store). Never edit one that has shipped: add the
next number instead, and its name to core/store/migration_names.py.

Migrations run after the connection got the install's data keys (core/store/db.py
``open_database``: ``attach`` comes first), so a step that seals or hashes (0005, 0006,
0009) can; on a connection without keys such a step refuses to run once there is data
to work on."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils
from sqlite_utils import Migrations

from core.prescreen.normalize import address_key
from core.store.migration_names import MIGRATION_NAMES

MIGRATIONS = Migrations("loandesk")


def _run(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the migration's
    transaction halfway."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@MIGRATIONS(name="0001_initial")
def _m0001_initial(db: sqlite_utils.Database) -> None:
    _run(
        db,
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE stores (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            city TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE operators (
            id TEXT PRIMARY KEY,
            store_id TEXT NOT NULL REFERENCES stores(id),
            login TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('clerk', 'field_manager', 'admin')),
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE customers (
            id TEXT PRIMARY KEY,
            id_number TEXT NOT NULL,
            name TEXT NOT NULL,
            phone TEXT NOT NULL,
            monthly_income_fen INTEGER NOT NULL CHECK (monthly_income_fen > 0),
            home_city TEXT NOT NULL,
            home_address TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX customers_id_number ON customers(id_number);
        CREATE INDEX customers_phone ON customers(phone);
        CREATE TABLE applications (
            id TEXT PRIMARY KEY,
            store_id TEXT NOT NULL REFERENCES stores(id),
            operator_id TEXT NOT NULL REFERENCES operators(id),
            customer_id TEXT NOT NULL REFERENCES customers(id),
            scenario TEXT NOT NULL,
            status TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            order_total_fen INTEGER NOT NULL CHECK (order_total_fen > 0),
            down_payment_fen INTEGER NOT NULL CHECK (down_payment_fen >= 0),
            principal_fen INTEGER NOT NULL,
            term_months INTEGER NOT NULL CHECK (term_months > 0),
            method TEXT NOT NULL,
            annual_rate TEXT NOT NULL,
            upfront_fee_fen INTEGER NOT NULL DEFAULT 0,
            period_fee_fen INTEGER NOT NULL DEFAULT 0,
            first_payment_fen INTEGER NOT NULL,
            total_repayment_fen INTEGER NOT NULL,
            apr TEXT NOT NULL,
            delivery_city TEXT NOT NULL,
            delivery_address TEXT NOT NULL,
            customer_name TEXT NOT NULL,
            phone_tail TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (principal_fen = order_total_fen - down_payment_fen)
        );
        CREATE INDEX applications_created ON applications(created_at);
        CREATE INDEX applications_status_created ON applications(status, created_at);
        CREATE INDEX applications_phone_tail ON applications(phone_tail);
        CREATE INDEX applications_customer_name ON applications(customer_name);
        CREATE INDEX applications_customer ON applications(customer_id);
        CREATE TABLE order_lines (
            application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            line_no INTEGER NOT NULL,
            sku TEXT NOT NULL,
            name TEXT NOT NULL,
            unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen > 0),
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (application_id, line_no)
        );
        CREATE TABLE catalog (
            sku TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            category TEXT NOT NULL,
            price_fen INTEGER NOT NULL CHECK (price_fen > 0),
            updated_at TEXT NOT NULL
        );
        CREATE TABLE outbox (
            op_id TEXT PRIMARY KEY,
            application_id TEXT NOT NULL REFERENCES applications(id),
            op TEXT NOT NULL CHECK (op IN ('create', 'update', 'attach')),
            base_rev INTEGER NOT NULL,
            payload TEXT NOT NULL,
            payload_sha256 TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'acked', 'rejected', 'quarantined')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL,
            last_http_status INTEGER,
            last_error TEXT,
            created_at TEXT NOT NULL,
            acked_at TEXT
        );
        CREATE INDEX outbox_state ON outbox(state, created_at);
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            operator_id TEXT,
            action TEXT NOT NULL,
            target_type TEXT NOT NULL,
            target_id TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT,
            detail TEXT
        );
        CREATE INDEX audit_target ON audit_log(target_id, seq);
        CREATE TABLE form_drafts (
            operator_id TEXT PRIMARY KEY REFERENCES operators(id),
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    )


@MIGRATIONS(name="0002_rules")
def _m0002_rules(db: sqlite_utils.Database) -> None:
    """Signed rule packs (raw = the file's exact bytes), hashed blacklists and the
    pre-screen receipt kept for every application."""
    _run(
        db,
        """
        CREATE TABLE rule_packs (
            pack_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            raw BLOB NOT NULL,
            sha256 TEXT NOT NULL,
            key_id TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            installed_at TEXT NOT NULL,
            source TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (pack_id, version)
        );
        CREATE UNIQUE INDEX rule_packs_one_active ON rule_packs(active) WHERE active = 1;
        CREATE TABLE blacklist (
            kind TEXT NOT NULL CHECK (kind IN ('id', 'phone', 'device')),
            digest TEXT NOT NULL,
            source TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (kind, digest)
        ) WITHOUT ROWID;
        CREATE TABLE prescreen_receipts (
            application_id TEXT PRIMARY KEY REFERENCES applications(id),
            pack_id TEXT,
            pack_version INTEGER,
            inputs_sha256 TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('PASS', 'REFER', 'DECLINE')),
            reasons TEXT NOT NULL,
            evaluated_at TEXT NOT NULL
        );
        """,
    )


@MIGRATIONS(name="0003_prescreen_indexes")
def _m0003_prescreen_indexes(db: sqlite_utils.Database) -> None:
    """What pre-screening looks up: the device and normalized delivery address of each
    application, and range indexes for velocity and the merchant-side baselines."""
    _run(
        db,
        """
        ALTER TABLE applications ADD COLUMN device_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE applications ADD COLUMN delivery_key TEXT NOT NULL DEFAULT '';
        UPDATE applications SET device_id =
            COALESCE((SELECT value FROM meta WHERE key = 'device_id'), '');
        CREATE INDEX applications_store_created
            ON applications(store_id, created_at, status, principal_fen, operator_id);
        CREATE INDEX applications_operator_created
            ON applications(operator_id, created_at, status);
        CREATE INDEX applications_device_created
            ON applications(device_id, created_at, status);
        CREATE INDEX applications_delivery_key
            ON applications(delivery_key, created_at)
        """,
    )
    rows = db.execute("SELECT id, delivery_city, delivery_address FROM applications").fetchall()
    db.conn.executemany(
        "UPDATE applications SET delivery_key = ? WHERE id = ?",
        [(address_key(city, address), app_id) for app_id, city, address in rows],
    )


@MIGRATIONS(name="0004_sync")
def _m0004_sync(db: sqlite_utils.Database) -> None:
    """Sync with the central API: decisions as received, the engine's small state
    (cursors, ETag, server epoch, pause), and what the outbox needs to find a poison
    item (failures of an item sent alone, since when)."""
    _run(
        db,
        """
        CREATE TABLE decisions (
            application_id TEXT PRIMARY KEY REFERENCES applications(id),
            decision TEXT NOT NULL CHECK (decision IN ('approved', 'declined', 'review')),
            approved_amount_fen INTEGER,
            score INTEGER NOT NULL,
            reasons TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            seq INTEGER NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        ALTER TABLE outbox ADD COLUMN solo_failures INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN first_failed_at TEXT;
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
        CREATE INDEX outbox_queue ON outbox(state);
        CREATE INDEX outbox_application ON outbox(application_id)
        """,
    )


@MIGRATIONS(name="0005_encrypt_personal_data")
def _m0005_encrypt_personal_data(db: sqlite_utils.Database) -> None:
    """Personal data becomes AES-GCM tokens with keyed lookup hashes (needs the vault
    when the file holds any: PlainDataNeedsKeys otherwise). The data step and what
    follows the commit (no plain copy left) are in core/store/pii_migration.py."""
    from core.store.pii_migration import encrypt_existing, refuse_plain_data_without_keys

    holds_data = refuse_plain_data_without_keys(db)
    _run(
        db,
        """
        ALTER TABLE customers ADD COLUMN id_hash TEXT NOT NULL DEFAULT '';
        ALTER TABLE customers ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
        DROP INDEX IF EXISTS customers_id_number;
        DROP INDEX IF EXISTS customers_phone;
        CREATE INDEX customers_id_hash ON customers(id_hash);
        CREATE INDEX customers_phone_hash ON customers(phone_hash);
        ALTER TABLE applications ADD COLUMN name_hash TEXT NOT NULL DEFAULT '';
        DROP INDEX IF EXISTS applications_customer_name;
        CREATE INDEX applications_name_hash ON applications(name_hash)
        """,
    )
    if holds_data:  # else the first write marks the file encrypted (core.store.pii.Sealer)
        encrypt_existing(db)


@MIGRATIONS(name="0006_audit_chain")
def _m0006_audit_chain(db: sqlite_utils.Database) -> None:
    """Audit rows get a keyed hash chain: the columns, the rows already there hashed in
    seq order (needs the vault when there are some), and the append-only triggers."""
    from core.store.audit_repo import chain_existing_rows

    columns = {c.name for c in db["audit_log"].columns}
    for name in ("prev_hash", "hash"):
        if name not in columns:
            db.execute(f"ALTER TABLE audit_log ADD COLUMN {name} TEXT")
    chain_existing_rows(db)
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE ON audit_log "
        "WHEN OLD.hash IS NOT NULL BEGIN SELECT RAISE(ABORT, 'audit log rows cannot be "
        "changed'); END"
    )
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit log rows cannot be deleted'); END"
    )


@MIGRATIONS(name="0007_operators")
def _m0007_operators(db: sqlite_utils.Database) -> None:
    """Operator passwords, the built-in system account flag, the failed-login table."""
    _run(
        db,
        """
        ALTER TABLE operators ADD COLUMN password_hash TEXT;
        ALTER TABLE operators ADD COLUMN is_system INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE operators ADD COLUMN password_set_at TEXT;
        CREATE TABLE login_failures (
            login_key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL CHECK (failures > 0),
            last_failure TEXT NOT NULL
        )
        """,
    )


@MIGRATIONS(name="0008_list_sort_indexes")
def _m0008_list_sort_indexes(db: sqlite_utils.Database) -> None:
    """The list sorts by any of its columns with ``id`` breaking ties: one index per
    sortable column, so a sort reads its first page from an index instead of sorting
    every application."""
    _run(
        db,
        """
        CREATE INDEX applications_sort_scenario ON applications(scenario, id);
        CREATE INDEX applications_sort_order_total ON applications(order_total_fen, id);
        CREATE INDEX applications_sort_principal ON applications(principal_fen, id);
        CREATE INDEX applications_sort_term ON applications(term_months, id);
        CREATE INDEX applications_sort_first_payment ON applications(first_payment_fen, id);
        CREATE INDEX applications_sort_status ON applications(status, id);
        """,
    )


@MIGRATIONS(name="0009_queue_applications_saved_before_sync")
def _m0009_queue_applications_saved_before_sync(db: sqlite_utils.Database) -> None:
    """Applications saved before sync existed (pre-screened, no upload queued) are queued
    as a save queues one today (core/store/backfill.py; needs the vault when there are
    some). Once, here, instead of at the start of every sync."""
    from core.store.backfill import queue_unqueued_applications

    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    queue_unqueued_applications(db, at)


@MIGRATIONS(name="0010_drop_decided_acked_payloads")
def _m0010_drop_decided_acked_payloads(db: sqlite_utils.Database) -> None:
    """Acked uploads whose application head office has decided keep only their sha256:
    the sealed payload, a second copy of the application that nothing sends again, is
    blanked ('' reads back as ``{}``, as retention leaves it). Needs no keys. The space
    is reused by later writes (the file is not vacuumed here)."""
    from core.store.sync_repo import SyncRepo

    SyncRepo(db).drop_decided_payloads()


@MIGRATIONS(name="0011_seal_password_hashes")
def _m0011_seal_password_hashes(db: sqlite_utils.Database) -> None:
    """Operator password hashes become AES-GCM tokens under the data key
    (core/store/operators_repo.py), so the file alone gives nothing to guess against.
    Needs the vault when any hash exists. The cost rises at each operator's next sign-in
    (core.operators.service re-hashes a hash cheaper than today's)."""
    from core.store.operators_repo import OperatorsRepo

    OperatorsRepo(db).seal_plain_hashes()


@MIGRATIONS(name="0012_paperwork")
def _m0012_paperwork(db: sqlite_utils.Database) -> None:
    """The paper side of an application: its due dates (the first one and the day of
    the month the others aim at; NULL for applications saved before dates existed), the
    customer's consent (one record per application, and the one an operator recorded
    for the form still open), and attachments: content-addressed blobs (the encrypted
    files live in the data folder's attachments/, named by the plain content's sha256)
    linked to an application by kind, or to an operator's open form until it is saved.
    The decision receipt gains the schedule with due dates, the evidence list and the
    consent it was made with."""
    _run(
        db,
        """
        ALTER TABLE applications ADD COLUMN first_due_date TEXT;
        ALTER TABLE applications ADD COLUMN due_day INTEGER;
        ALTER TABLE prescreen_receipts ADD COLUMN schedule TEXT;
        ALTER TABLE prescreen_receipts ADD COLUMN evidence TEXT;
        ALTER TABLE prescreen_receipts ADD COLUMN consent TEXT;
        CREATE TABLE consents (
            application_id TEXT PRIMARY KEY REFERENCES applications(id),
            version TEXT NOT NULL,
            at TEXT NOT NULL,
            method TEXT NOT NULL CHECK (method IN ('signature', 'paper')),
            texts_sha256 TEXT NOT NULL,
            signature_sha256 TEXT,
            withdrawn_at TEXT
        );
        CREATE TABLE pending_consents (
            operator_id TEXT PRIMARY KEY REFERENCES operators(id),
            record TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE attachment_blobs (
            sha256 TEXT PRIMARY KEY,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            stored_size INTEGER NOT NULL CHECK (stored_size >= 0),
            created_at TEXT NOT NULL
        );
        CREATE TABLE application_attachments (
            application_id TEXT NOT NULL REFERENCES applications(id),
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),
            added_at TEXT NOT NULL,
            uploaded_at TEXT,
            upload_attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            PRIMARY KEY (application_id, kind, sha256)
        );
        CREATE INDEX application_attachments_blob ON application_attachments(sha256);
        CREATE INDEX application_attachments_unsent
            ON application_attachments(uploaded_at, application_id);
        CREATE TABLE pending_attachments (
            operator_id TEXT NOT NULL REFERENCES operators(id),
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachment_blobs(sha256),
            added_at TEXT NOT NULL,
            PRIMARY KEY (operator_id, kind, sha256)
        );
        CREATE INDEX pending_attachments_blob ON pending_attachments(sha256)
        """,
    )


@MIGRATIONS(name="0013_dashboard_index_and_catalog_history")
def _m0013_dashboard_index_and_catalog_history(db: sqlite_utils.Database) -> None:
    """The dashboard's covering index and the catalog's change history (statements in
    core/store/fieldmgr_schema.py: its triggers hold ';', so they run whole)."""
    from core.store.fieldmgr_schema import STATEMENTS

    for statement in STATEMENTS:
        db.execute(statement)


@MIGRATIONS(name="0014_application_references")
def _m0014_application_references(db: sqlite_utils.Database) -> None:
    """A short reference per application, read over the phone (core/store/references.py)."""
    from core.store.references import migrate

    migrate(db)


@MIGRATIONS(name="0015_list_outcome_index")
def _m0015_list_outcome_index(db: sqlite_utils.Database) -> None:
    """The list's pre-screen outcome filter (core/store/list_filters.py): an index led by
    the outcome, in ``created_at`` order, so counting and paging one outcome (with or
    without a date range) reads only its own applications."""
    db.execute(
        "CREATE INDEX applications_outcome_created ON applications(prescreen_outcome, created_at)"
    )


@MIGRATIONS(name="0016_compact_receipt_inputs")
def _m0016_compact_receipt_inputs(db: sqlite_utils.Database) -> None:
    """Each pre-screen receipt whose inputs the application's stored rows rebuild exactly
    keeps only the part they do not hold (core/store/receipts_repo.py
    ``compact_receipts``), in pages of 500 by application id; the others keep their whole
    inputs. Reading the ID number needs the vault when there is a receipt to look at."""
    from core.store.receipts_repo import ReceiptsRepo

    repo = ReceiptsRepo(db)
    after: str | None = ""
    while after is not None:
        _done, after = repo.compact_receipts(after, 500)


@MIGRATIONS(name="0017_compact_receipt_schedules")
def _m0017_compact_receipt_schedules(db: sqlite_utils.Database) -> None:
    """Each pre-screen receipt whose schedule the application row's stored terms rebuild
    exactly keeps a short marker with a sha256 of it instead (core/store/receipts_repo.py
    ``compact_schedules``), in pages of 500 by application id; the others keep their
    whole schedule. Reads no personal data."""
    from core.store.receipts_repo import ReceiptsRepo

    repo = ReceiptsRepo(db)
    after: str | None = ""
    while after is not None:
        _done, after = repo.compact_schedules(after, 500)


@MIGRATIONS(name="0018_drop_prefix_indexes")
def _m0018_drop_prefix_indexes(db: sqlite_utils.Database) -> None:
    """Two indexes that are the leading columns of another: ``outbox_queue (state)`` of
    ``outbox_state (state, created_at)`` and ``applications_created (created_at)`` of
    ``applications_dashboard (created_at, …)``. The longer one serves the same lookups
    and the same order; every save no longer writes a page for each."""
    db.execute("DROP INDEX IF EXISTS outbox_queue")
    db.execute("DROP INDEX IF EXISTS applications_created")


if tuple(m.name for m in MIGRATIONS._migrations) != MIGRATION_NAMES:  # pragma: no cover
    raise RuntimeError("core/store/migration_names.py must list every migration, in order")
