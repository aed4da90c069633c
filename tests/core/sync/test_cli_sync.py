"""``main.py enroll`` and ``main.py sync`` as IT's scheduled tasks run them: real
subprocesses, the real server, exit codes 0 / 1 / 4."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers.server import RealServer

ROOT = Path(__file__).resolve().parents[3]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.file_keyring.TestFileKeyring",
        "LOANDESK_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
    }
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(tmp_path / "client"), "--lang", "en", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_enroll_seed_and_sync_from_the_command_line(tmp_path: Path) -> None:
    not_yet = run(tmp_path, "sync")
    assert not_yet.returncode == 4 and "not enrolled" in not_yet.stderr
    with RealServer(tmp_path) as srv:
        code = srv.add_store("S009")
        bad = run(tmp_path, "enroll", "--server", srv.url, "--store", "S009", "--code", "nope")
        assert bad.returncode == 1
        lines = [ln for ln in bad.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "refused" in lines[0]
        ok = run(
            tmp_path, "enroll", "--server", srv.url, "--store", "S009", "--code", code, "--json"
        )
        assert ok.returncode == 0, ok.stderr
        assert json.loads(ok.stdout)["store_code"] == "S009"
        assert "device-token" in (tmp_path / "keyring.json").read_text(encoding="utf-8")
        conn = sqlite3.connect(tmp_path / "client" / "loandesk.db")
        try:  # enrolling from the command line is audited like enrolling in the window
            assert (
                conn.execute(
                    "SELECT count(*) FROM audit_log WHERE action = 'enrolled' "
                    "AND target_type = 'device'"
                ).fetchone()[0]
                == 1
            )
        finally:
            conn.close()
        seeded = run(tmp_path, "seed-demo", "--count", "30")
        assert seeded.returncode == 0, seeded.stderr
        done = run(tmp_path, "sync", "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        report = json.loads(done.stdout)
        assert (report["acked"], report["pending"], report["ok"]) == (30, 0, True)
        assert srv.stats()["distinct_application_ids"] == 30
        conn = sqlite3.connect(tmp_path / "client" / "loandesk.db")
        try:  # IT's scheduled sync is an automatic run: its rows name no operator
            named = conn.execute(
                "SELECT count(*), count(operator_id) FROM audit_log WHERE action = 'submitted'"
            ).fetchone()
            assert named == (30, 0)
        finally:
            conn.close()
        looped = run(tmp_path, "sync", "--loop", "--max-rounds", "2", "--interval", "1", "--json")
        rounds = [json.loads(line) for line in looped.stdout.splitlines()]
        assert looped.returncode == 0 and [r["pushed"] for r in rounds] == [0, 0]
        human = run(tmp_path, "sync")
        assert human.returncode == 0 and "0 still queued" in human.stdout

        srv.kill()  # the server is away: a partial problem, exit 1, clearly said
        down = run(tmp_path, "sync")
        assert down.returncode == 1 and "cannot be reached" in down.stdout
        srv.restart()
        if srv.url != json.loads(ok.stdout)["server_url"]:  # another port: enroll again
            again = run(
                tmp_path,
                "enroll",
                "--server",
                srv.url,
                "--store",
                "S009",
                "--code",
                srv.add_store("S009"),
            )
            assert again.returncode == 0, again.stderr
        assert run(tmp_path, "sync").returncode == 0

        srv.revoke(json.loads(ok.stdout)["device_id"])
        revoked = run(tmp_path, "sync")
        assert revoked.returncode == 4 and "revoked" in revoked.stdout
        assert run(tmp_path, "sync", "--json").returncode == 4  # paused: no calls at all
