"""Must show: after a full flow on a real data folder, no planted ID number, name,
phone or address is anywhere in it in plain text — database, WAL, backups, logs,
settings — while head office still receives the plain application.

The flow: a database made at migration 0004 holding a customer in plain text (as an
older LoanDesk left it) is opened, so 0005 encrypts it after writing its pre-migration
backup; applications are saved, a form draft kept, the PC enrolled and synced with the
real reference server, retention run, ``main.py check`` and ``main.py seed-demo`` run
as subprocesses on the same folder and keyring. Then every file is scanned.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ApplicationInput, CustomerInput
from core.retention import purge_personal_data
from core.store.repositories import Repositories
from core.store.sync_repo import SyncRepo
from core.sync import tokens
from core.sync.http import Timeouts
from core.validation.application import id_check_char
from tests.helpers.plain_db import make_0004_database
from tests.helpers.server import RealServer

ROOT = Path(__file__).resolve().parent.parent
FAST = Timeouts(connect=2.0, read=5.0, deadline=10.0)


def _id_ending_in_x(base14: str) -> str:
    """A valid GB 11643 ID number whose check character is X."""
    for seq in range(100, 1000):
        body = f"{base14}{seq}"
        if id_check_char(body) == "X":
            return body + "X"
    raise AssertionError("no sequence number gives X")


OLD = CustomerInput(  # stored in plain text by a LoanDesk from before encryption
    id_number=_id_ending_in_x("11010819900307"),
    name="司马霁月",
    phone="13912347788",
    monthly_income_fen=1_500_000,
    home_city="北京",
    home_address="海淀区学院路37号梧桐苑5栋1703室",
)
OLD_DELIVERY = "朝阳区花家地北里6号楼2单元902"
NEW = CustomerInput(  # typed at the counter after the upgrade
    id_number=_id_ending_in_x("44030519880615"),
    name="欧阳靖瑶",
    phone="15876543219",
    monthly_income_fen=1_200_000,
    home_city="深圳",
    home_address="南山区科苑南路3099号中国储能大厦4711",
)
NEW_DELIVERY = "福田区莲花街道景田北路88号星河苑7B"


def _secrets(c: CustomerInput, delivery: str) -> list[str]:
    return [c.id_number, c.id_number[:-1], c.name, c.phone, c.home_address, delivery]


SECRETS = _secrets(OLD, OLD_DELIVERY) + _secrets(NEW, NEW_DELIVERY)


def _planted(gen: DemoGenerator, customer: CustomerInput, delivery: str) -> ApplicationInput:
    app = gen.application()
    return replace(
        app, customer=customer, delivery_city=customer.home_city, delivery_address=delivery
    )


def _leaks(folder: Path) -> list[tuple[str, str]]:
    """(file, secret) for every planted value found as UTF-8 bytes in any file."""
    found = []
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".db") for p in files)
    for path in files:
        raw = path.read_bytes()
        found += [(str(path.relative_to(folder)), s) for s in SECRETS if s.encode() in raw]
    return found


def _main(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), "--lang", "en", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ),
    )


def _server_payload(srv: RealServer, app_id: str) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{srv.data_dir / 'server.db'}?mode=ro", uri=True, timeout=10)
    try:
        row = conn.execute(
            "SELECT payload FROM applications WHERE application_id = ?", [app_id]
        ).fetchone()
    finally:
        conn.close()
    assert row is not None, "the server has the application"
    payload: dict[str, Any] = json.loads(row[0])
    return payload


@pytest.mark.slow
def test_no_personal_data_in_plain_text_anywhere_after_a_full_flow(
    tmp_path: Path, shared_keyring: Any, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    paths = resolve_paths(data)
    gen = DemoGenerator(21, datetime.now(UTC).date(), load_demo_catalog())
    old_app = _planted(gen, OLD, OLD_DELIVERY)
    old_id = make_0004_database(paths, old_app)
    assert OLD.name.encode() in paths.database.read_bytes()  # the starting point is plain

    with RealServer(tmp_path) as srv:
        with caplog.at_level(logging.INFO, logger="loandesk"):
            ctx = open_context(paths)  # 0005 runs: backup, encrypt, shred the backup
        try:
            assert "removed the pre-encryption backup" in caplog.text
            assert not list(paths.backups.glob("*.db")), "the plain pre-0005 backup is gone"
            repo = Repositories(ctx.db)
            assert repo.application_detail(old_id).customer == OLD  # type: ignore[union-attr]
            [(drafter,)] = ctx.db.execute("SELECT operator_id FROM form_drafts").fetchall()
            assert json.loads(repo.load_form_draft(drafter) or "{}")["name"] == OLD.name
            new_app = _planted(gen, NEW, NEW_DELIVERY)
            new_id = ctx.applications.save(new_app)

            assert ctx.sync is not None
            code = srv.add_store("S001", name="海淀门店", city="北京")
            done = ctx.sync.enroll(srv.url, "S001", code, timeouts=FAST)
            token = tokens.load_token(done.device_id)
            assert token  # in the keyring, and (below) in no file of the data folder
            report = ctx.sync.sync_once(timeouts=FAST)
            assert report.exit_code == 0 and report.acked == 2, report.to_json("en")
            # head office got the plain application, byte for byte what the hash is of
            for app_id, app in ((old_id, old_app), (new_id, new_app)):
                sent = _server_payload(srv, app_id)
                customer = sent["application"]["customer"]
                assert (
                    customer["id_number"],
                    customer["name"],
                    customer["phone"],
                    customer["home_address"],
                ) == (
                    app.customer.id_number,
                    app.customer.name,
                    app.customer.phone,
                    app.customer.home_address,
                )
                assert sent["application"]["order"]["delivery_address"] == app.delivery_address
            later_id = ctx.applications.save(new_app)  # pending: nothing purges it
            ctx.applications.save_form_draft(
                {
                    "customer": {
                        "id_number": NEW.id_number,
                        "name": NEW.name,
                        "phone": NEW.phone,
                        "home_address": NEW.home_address,
                    },
                    "order": {"delivery_address": NEW_DELIVERY},
                }
            )
            assert _leaks(data) == [], "the WAL of an open database holds no plain text"

            final = [
                a
                for a in (old_id, new_id)
                if ctx.applications.row(a).status in ("approved", "declined")
            ]  # type: ignore[union-attr]
            purged = purge_personal_data(
                ctx.db, FixedClock(datetime.now(UTC) + timedelta(days=3)), 1
            )
            assert purged == len(final) > 0
            for app_id in final:
                assert repo.application_detail(app_id).customer.name == ""  # type: ignore[union-attr]
            assert repo.application_detail(later_id).customer == NEW  # type: ignore[union-attr]
        finally:
            ctx.close()

        checked = _main(data, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        seeded = _main(data, "seed-demo", "--count", "200", "--seed", "5")
        assert seeded.returncode == 0, seeded.stderr
        for out in (checked.stdout, checked.stderr, seeded.stdout, seeded.stderr):
            assert not [s for s in SECRETS if s in out]

    ctx = open_context(paths)  # still readable with the same keys, after all that
    try:
        repo = Repositories(ctx.db)
        assert repo.application_detail(later_id).customer == NEW  # type: ignore[union-attr]
        assert (
            json.loads(repo.load_form_draft(ctx.actor.operator_id) or "{}")["customer"]["name"]
            == NEW.name
        )
        assert SyncRepo(ctx.db).count_state("pending") == 201
    finally:
        ctx.close()
    assert (data / "logs").is_dir() and list((data / "logs").iterdir()), "logs were written"
    assert _leaks(data) == []
    assert not [p for p in data.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
