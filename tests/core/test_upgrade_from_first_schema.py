"""Upgrading keeps every application: a database exactly as the first LoanDesk left it
(tests/fixtures/loandesk-0001.db, only migration 0001, personal data in plain text; made
by scripts/make_first_schema_fixture.py) is opened by this build as the app opens it,
and every application, order line, upload and form draft is found again, readable through
the app's own services, with no personal data left in plain text anywhere in the folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.clock import FixedClock
from core.config import Paths, resolve_paths
from core.context import AppContext, open_context
from core.diagnostics.check import run_checks
from core.models import ListQuery, Scenario, Status
from core.security.crypto import is_token
from core.security.permissions import mask_id_number, mask_phone
from core.store.migrations import MIGRATIONS
from core.store.operators_repo import OperatorsRepo
from core.store.sync_repo import SyncRepo
from core.validation.fields import validate_id_number, validate_phone

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE = FIXTURES / "loandesk-0001.db"
EXPECTED: dict[str, Any] = json.loads(
    (FIXTURES / "loandesk-0001.expected.json").read_text(encoding="utf-8")
)
APPS: list[dict[str, Any]] = EXPECTED["applications"]
SECRETS: list[str] = EXPECTED["plain_text_never_left"]
# a few days after the first build's last write: nothing is due for retention yet
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
#: saved pre-screened by the first build, which had no sync: migration 0009 queues them
#: as a save does today (an upload, status queued, a 'queued' audit row)
BACKFILLED = {a["id"] for a in APPS if a["status"] == "prescreened"} - {
    o["application_id"] for o in EXPECTED["outbox"]
}


def _after_upgrade(app: dict[str, Any]) -> dict[str, Any]:
    """What the upgraded file holds for one of the fixture's applications."""
    if app["id"] not in BACKFILLED:
        return app
    return {
        **app,
        "status": "queued",
        "history": [*app["history"], ["queued", "prescreened", "queued"]],
    }


def _copy_fixture(root: Path) -> Paths:
    paths = resolve_paths(root / "data")
    paths.ensure()
    shutil.copyfile(FIXTURE, paths.database)
    return paths


def _plain_hits(folder: Path) -> dict[str, list[str]]:
    """Which personal values appear, as UTF-8 bytes, in which file under ``folder``
    (the database, its -wal/-shm, backups, logs, checkpoint)."""
    hits: dict[str, list[str]] = {}
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        raw = f.read_bytes()
        found = [s for s in SECRETS if s.encode("utf-8") in raw]
        if found:
            hits[str(f.relative_to(folder))] = found
    return hits


@pytest.fixture
def upgraded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[AppContext]:
    paths = _copy_fixture(tmp_path)
    with caplog.at_level(logging.INFO, logger="loandesk"):
        ctx = open_context(paths, FixedClock(NOW))
    try:
        yield ctx
    finally:
        ctx.close()


def test_the_fixture_is_the_first_schema_with_plain_personal_data() -> None:
    """What the other tests start from (so their 'no plain text' is not vacuous)."""
    conn = sqlite3.connect(f"{FIXTURE.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        applied = conn.execute("SELECT migration_set, name FROM _sqlite_migrations").fetchall()
        statuses = dict(conn.execute("SELECT id, status FROM applications").fetchall())
        cols = [r[1] for r in conn.execute("PRAGMA table_info(customers)")]
    finally:
        conn.close()
    assert applied == [("loandesk", "0001_initial")]
    assert "id_hash" not in cols
    raw = FIXTURE.read_bytes()
    assert all(s.encode("utf-8") in raw for s in SECRETS)
    assert FIXTURE.stat().st_size < 1_000_000
    assert statuses == {a["id"]: a["status"] for a in APPS}
    assert {a["status"] for a in APPS} == {s.value for s in Status}
    assert len(BACKFILLED) == 1  # one application for migration 0009 to queue
    assert {a["scenario"] for a in APPS} == {s.value for s in Scenario}
    assert {o["state"] for o in EXPECTED["outbox"]} == {"pending", "acked"}
    for app in APPS:  # made-up people, but valid numbers
        c = app["customer"]
        assert validate_id_number(c["id_number"], today=NOW.date()) == [], c["id_number"]
        assert validate_phone(c["phone"]) == [], c["phone"]


def test_the_script_still_makes_this_fixture(tmp_path: Path) -> None:
    """The committed files are what scripts/make_first_schema_fixture.py makes (same
    rows and schema; same bytes when the SQLite library is the same)."""
    r = subprocess.run(
        [sys.executable, "scripts/make_first_schema_fixture.py", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "loandesk-0001.expected.json").read_text(encoding="utf-8") == (
        FIXTURES / "loandesk-0001.expected.json"
    ).read_text(encoding="utf-8")

    def dump(path: Path) -> list[str]:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    assert dump(tmp_path / "loandesk-0001.db") == dump(FIXTURE)


def test_every_application_is_found_intact_after_the_upgrade(upgraded: AppContext) -> None:
    ctx = upgraded
    applied = [m.name for m in MIGRATIONS.applied(ctx.db)]
    assert applied == [m.name for m in MIGRATIONS._migrations]  # every step ran, in order
    service = ctx.applications
    rows = service.page(ListQuery(sort_column="created_at", descending=False), 0, 100)
    assert [r.id for r in rows] == [a["id"] for a in APPS]
    assert service.count_all() == len(APPS)
    for row, app in zip(rows, map(_after_upgrade, APPS), strict=True):
        assert (row.status, row.scenario, row.customer_name, row.phone_tail) == (
            app["status"],
            app["scenario"],
            app["customer"]["name"],
            app["customer"]["phone"][-4:],
        )
        assert (row.order_total_fen, row.principal_fen, row.term_months, row.first_payment_fen) == (
            app["order_total_fen"],
            app["principal_fen"],
            app["term_months"],
            app["first_payment_fen"],
        )
    for app in APPS:
        _assert_detail(ctx, _after_upgrade(app))


def _assert_detail(ctx: AppContext, app: dict[str, Any]) -> None:
    service = ctx.applications
    history = [[e.action, e.from_status, e.to_status] for e in service.history(app["id"])]
    assert history == app["history"], app["id"]
    d = service.detail(app["id"])
    c = app["customer"]
    assert d.row.status == app["status"] and d.revision == app["revision"]
    assert d.row.created_at == app["created_at"]
    if app["id"] in BACKFILLED:  # queued when the upgrade ran
        assert d.updated_at > app["updated_at"]
    else:
        assert d.updated_at == app["updated_at"]
    assert (d.terms.down_payment_fen, d.terms.term_months, d.terms.method.value) == (
        app["down_payment_fen"],
        app["term_months"],
        app["method"],
    )
    assert (
        str(d.annual_rate),
        str(d.apr),
        d.total_repayment_fen,
        d.upfront_fee_fen,
        d.period_fee_fen,
    ) == (
        app["annual_rate"],
        app["apr"],
        app["total_repayment_fen"],
        app["upfront_fee_fen"],
        app["period_fee_fen"],
    )
    assert [
        {
            "sku": ln.sku,
            "name": ln.name,
            "unit_price_fen": ln.unit_price_fen,
            "quantity": ln.quantity,
        }
        for ln in d.lines
    ] == app["lines"]
    assert (
        d.customer.name,
        d.customer.monthly_income_fen,
        d.customer.home_city,
        d.customer.home_address,
    ) == (c["name"], c["monthly_income_fen"], c["home_city"], c["home_address"])
    assert (d.delivery_city, d.delivery_address) == (app["delivery_city"], app["delivery_address"])
    assert d.customer.id_number == mask_id_number(c["id_number"]) != c["id_number"]
    assert d.customer.phone == mask_phone(c["phone"]) != c["phone"]
    assert d.store_code == EXPECTED["store"]["code"]
    assert d.operator_name == EXPECTED["operators"][0]["display_name"]
    # the full values, decrypted, through the audited reveal (the system account is admin)
    assert service.reveal(app["id"], "id_number") == c["id_number"]
    assert service.reveal(app["id"], "phone") == c["phone"]
    schedule = service.stored_schedule(d)
    assert schedule.first_payment_fen == app["first_payment_fen"]
    assert schedule.total_repayment_fen == app["total_repayment_fen"]
    # searches go through keyed hashes now: whole name, whole phone, phone tail, ID number
    for text in (c["name"], c["phone"], c["phone"][-4:], c["id_number"], app["id"][:13]):
        found = [r.id for r in service.page(ListQuery(text=text), 0, 100)]
        assert app["id"] in found, text


def test_uploads_drafts_and_reference_data_survive(upgraded: AppContext) -> None:
    ctx = upgraded
    sync = SyncRepo(ctx.db)
    for box in EXPECTED["outbox"]:
        item = sync.item(box["op_id"])
        assert item is not None
        assert (item.application_id, item.state, item.payload_sha256) == (
            box["application_id"],
            box["state"],
            box["payload_sha256"],
        )
        assert json.loads(item.payload) == box["payload"]  # decrypted, same bytes as sealed
        assert hashlib.sha256(item.payload.encode("utf-8")).hexdigest() == box["payload_sha256"]
    assert sync.count_state("pending") == sum(
        b["state"] == "pending" for b in EXPECTED["outbox"]
    ) + len(BACKFILLED)
    for app in APPS:  # migration 0009's uploads: the application as stored, sealed
        if app["id"] in BACKFILLED:
            [queued] = [i for i in sync.items("pending") if i.application_id == app["id"]]
            payload = json.loads(queued.payload)
            assert (payload["application_id"], payload["created_at"]) == (
                app["id"],
                app["created_at"],
            )
            assert payload["operator"] == EXPECTED["operators"][0]["login"]
            assert hashlib.sha256(queued.payload.encode("utf-8")).hexdigest() == (
                queued.payload_sha256
            )
    clerk = OperatorsRepo(ctx.db).by_login(EXPECTED["operators"][0]["login"])
    assert clerk is not None and clerk.id == EXPECTED["operators"][0]["id"]
    assert clerk.role == "clerk" and clerk.active and not clerk.has_password
    assert ctx.actor.store_id == EXPECTED["store"]["id"]  # the same store, not a new one
    draft = EXPECTED["form_drafts"][0]
    assert ctx.applications.for_operator(clerk.id).load_form_draft() == draft["data"]
    for sku in EXPECTED["catalog_skus"]:
        assert ctx.applications.lookup_sku(sku) is not None
    device = ctx.db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]
    assert device == EXPECTED["device_id"]
    devices = {r[0] for r in ctx.db.execute("SELECT device_id FROM applications")}
    assert devices == {EXPECTED["device_id"]}  # 0003 filled it from meta


def test_no_personal_data_is_left_in_plain_text(
    upgraded: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = upgraded
    data = ctx.paths.data_dir
    assert _plain_hits(data) == {}  # database, WAL, backups, checkpoint: while open
    stored = ctx.db.execute(
        "SELECT c.id_number, c.name, c.phone, c.home_address, a.customer_name, "
        "a.delivery_address FROM customers c JOIN applications a ON a.customer_id = c.id"
    ).fetchall()
    assert stored and all(is_token(v) for row in stored for v in row)
    payloads = [r[0] for r in ctx.db.execute("SELECT payload FROM outbox")]
    drafts = [r[0] for r in ctx.db.execute("SELECT data FROM form_drafts")]
    assert all(is_token(v) for v in payloads + drafts)
    # the copy made before migrating was plain text: shredded, as the README says
    assert list(ctx.paths.backups.glob("*.db*")) == []
    opening = caplog.get_records("setup")  # the fixture opened the context
    assert any("removed the pre-encryption backup" in r.getMessage() for r in opening)
    assert not any(s in r.getMessage() for r in opening for s in SECRETS)
    ctx.close()
    assert _plain_hits(data) == {}  # and after closing (WAL checkpointed)


def test_check_passes_on_the_upgraded_file(upgraded: AppContext) -> None:
    ctx = upgraded
    ctx.close()
    report = run_checks(ctx.paths)
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["migrations"]["ok"] and "pending none" in by_name["migrations"]["detail"]
    assert by_name["integrity"]["ok"]
    assert by_name["records"]["detail"].startswith(f"{len(APPS)} applications")
    assert by_name["personal data"]["ok"] and "encrypted" in by_name["personal data"]["detail"]
    assert by_name["audit log"]["ok"], by_name["audit log"]
    database_items = (
        "database",
        "integrity",
        "migrations",
        "durability",
        "records",
        "personal data",
        "accounts",
        "audit log",
    )
    assert [c for c in report["checks"] if c["name"] in database_items and not c["ok"]] == []


def test_the_command_line_upgrades_the_first_schema(tmp_path: Path, shared_keyring: object) -> None:
    """The real start: main.py migrates the copied fixture (prescreen opens the app's
    context), then `check` passes on it; this process reads it with the same keyring."""
    paths = _copy_fixture(tmp_path)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "main.py", "--data-dir", str(paths.data_dir), "--lang", "en", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    r = run("prescreen", "resources/examples/appliance.json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True
    r = run("check", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["personal data"]["ok"] and by_name["migrations"]["ok"]
    assert _plain_hits(paths.data_dir) == {}  # database, backups and the log file
    # the subprocess's real clock may be past retention for the cancelled one: read the
    # records, not the customers
    conn = sqlite3.connect(paths.database)
    try:
        statuses = dict(conn.execute("SELECT id, status FROM applications").fetchall())
        lines = conn.execute("SELECT count(*) FROM order_lines").fetchone()[0]
    finally:
        conn.close()
    assert statuses == {a["id"]: _after_upgrade(a)["status"] for a in APPS}
    assert lines == sum(len(a["lines"]) for a in APPS)
    with_keys = open_context(paths, FixedClock(datetime.now(UTC)))
    try:  # this process opens what the subprocess encrypted: same keyring entry
        d = with_keys.applications.detail(APPS[0]["id"])
        assert d.customer.name == APPS[0]["customer"]["name"]
    finally:
        with_keys.close()
