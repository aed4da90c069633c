"""main.py as IT and scripts use it: real subprocesses, real data folders."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str, timeout: float = 120, keyring_file: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """main.py in a subprocess; with ``keyring_file``, a test keyring backend (files) is
    chosen through keyring's own PYTHON_KEYRING_BACKEND, as IT would choose a real one."""
    env = dict(os.environ)
    if keyring_file is not None:
        env["PYTHON_KEYRING_BACKEND"] = "tests.file_keyring.TestFileKeyring"
        env["LOANDESK_TEST_KEYRING_FILE"] = str(keyring_file)
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_bad_arguments_give_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    for args in (
        ["seed-demo", "--count", "abc"],
        ["seed-demo", "--count", "0"],
        ["--lang", "fr"],
        ["no-such-command"],
    ):
        r = run("--data-dir", str(tmp_path), *args)
        assert r.returncode == 2, args
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("loandesk"), (args, r.stderr)
        assert "error" in lines[0]


def _seeded_rows(d: Path) -> list[tuple[str, int, int]]:
    """(name, order total, term) of every application, oldest first: names are stored
    sealed, so they are read through the data keys (this process shares the keyring)."""
    from core.models import ListQuery
    from core.store.db import open_database
    from core.store.repositories import Repositories
    from core.store.vault import keyring_unlock

    db = open_database(d / "loandesk.db", migrate=False, unlock=keyring_unlock)
    try:
        rows = Repositories(db).list_applications(
            ListQuery(sort_column="created_at", descending=False), 0, 10_000
        )
        stored = db.execute("SELECT customer_name FROM applications").fetchall()
    finally:
        db.close()
    assert not {r.customer_name for r in rows} & {n for (n,) in stored}  # sealed on disk
    return [(r.customer_name, r.order_total_fen, r.term_months) for r in rows]


def test_seed_demo_is_deterministic_and_check_passes(tmp_path: Path, shared_keyring) -> None:
    names = []
    for sub in ("a", "b"):
        d = tmp_path / sub
        r = run("seed-demo", "--count", "150", "--seed", "42", "--data-dir", str(d))
        assert r.returncode == 0, r.stderr
        assert "added 150" in r.stdout
        names.append(_seeded_rows(d))
    assert names[0] == names[1] and len(names[0]) == 150
    other = tmp_path / "c"
    run("seed-demo", "--count", "150", "--seed", "43", "--data-dir", str(other))
    assert _seeded_rows(other) != names[0]

    r = run(
        "check", "--json", "--data-dir", str(tmp_path / "a"), keyring_file=tmp_path / "keyring.json"
    )
    report = json.loads(r.stdout)
    assert r.returncode == 0, report
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["records"]["detail"].startswith("150 applications")
    assert by_name["migrations"]["ok"] and by_name["durability"]["ok"]


def test_seeded_applications_pass_the_forms_validation(tmp_path: Path) -> None:
    """Demo data is realistic: each record would pass the clerk's own form checks."""
    from core.config import resolve_paths
    from core.context import open_context
    from core.demo_data import seed_demo
    from core.models import ListQuery

    ctx = open_context(resolve_paths(tmp_path))
    try:
        seed_demo(ctx.applications, 200, 9, ctx.clock.now())
        for row in ctx.applications.page(ListQuery(), 0, 200):
            d = ctx.applications.detail(row.id)
            raw = {
                "scenario": row.scenario,
                "customer": {
                    "id_number": ctx.applications.reveal(row.id, "id_number"),
                    "name": d.customer.name,
                    "phone": ctx.applications.reveal(row.id, "phone"),
                    "monthly_income": str(d.customer.monthly_income_fen / 100),
                    "home_city": d.customer.home_city,
                    "home_address": d.customer.home_address,
                },
                "order": {
                    "lines": [
                        {
                            "sku": ln.sku,
                            "name": ln.name,
                            "unit_price": f"{ln.unit_price_fen / 100:.2f}",
                            "quantity": ln.quantity,
                        }
                        for ln in d.lines
                    ],
                    "delivery_city": d.delivery_city,
                    "delivery_address": d.delivery_address,
                },
                "terms": {
                    "down_payment": f"{d.terms.down_payment_fen / 100:.2f}",
                    "term_months": d.terms.term_months,
                    "method": d.terms.method.value,
                },
            }
            result = ctx.applications.validate(raw)
            assert result.ok, [(e.field, e.code) for e in result.errors]
    finally:
        ctx.close()


def test_check_reports_a_damaged_database(tmp_path: Path) -> None:
    assert run("seed-demo", "--count", "5", "--data-dir", str(tmp_path)).returncode == 0
    db = tmp_path / "loandesk.db"
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    db.write_bytes(b"garbage" * 1000)
    r = run("check", "--data-dir", str(tmp_path))
    assert r.returncode == 1
    assert "[FAIL] database" in r.stdout
    # and the GUI path refuses clearly instead of a traceback
    r = run("seed-demo", "--count", "1", "--data-dir", str(tmp_path), "--lang", "en")
    assert r.returncode == 3
    assert "damaged" in r.stderr and "Traceback" not in r.stderr


def test_seed_demo_plants_fraud_patterns_and_writes_the_truth(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    r = run(
        "seed-demo",
        "--count",
        "400",
        "--plant-fraud",
        "0.1",
        "--truth",
        str(truth),
        "--data-dir",
        str(tmp_path / "d"),
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(truth.read_text(encoding="utf-8"))
    assert data["count"] == 400 and len(data["planted"]) == 40
    assert data["patterns"] == {
        "phone_ring": 10,
        "inflated_price": 10,
        "salesperson_spike": 10,
        "shared_address": 10,
    }
    conn = sqlite3.connect(tmp_path / "d" / "loandesk.db")
    receipts = {
        a: {x["code"] for x in json.loads(r)}
        for a, r in conn.execute("SELECT application_id, reasons FROM prescreen_receipts")
    }
    assert len(receipts) == 400  # every seeded application was pre-screened
    inflated = [a for a, p in data["planted"].items() if p == "inflated_price"]
    assert all("PRICE_DEVIATION" in receipts[a] for a in inflated)
    rings = [a for a, p in data["planted"].items() if p == "phone_ring"]
    assert any("SHARED_PHONE" in receipts[a] for a in rings)
    assert conn.execute("SELECT count(DISTINCT operator_id) FROM applications").fetchone()[0] > 5
    conn.close()
    r = run("seed-demo", "--count", "10", "--plant-fraud", "0.1", "--data-dir", str(tmp_path))
    assert r.returncode == 2 and "--truth" in r.stderr


def test_check_fails_clearly_without_a_secure_keyring(tmp_path: Path) -> None:
    env_free = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    r = subprocess.run(
        [sys.executable, "main.py", "check", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**env_free, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert r.returncode == 1
    line = next(ln for ln in r.stdout.splitlines() if "keyring" in ln)
    assert line.startswith("[FAIL]") and "PYTHON_KEYRING_BACKEND" in line
