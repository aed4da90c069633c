"""`main.py check` tells IT whether personal data is encrypted and opens with this
keyring's keys, and who can sign in. Real subprocesses; keys in test keyring files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.config import resolve_paths
from core.context import open_context
from core.operators.service import create_first_admin

ROOT = Path(__file__).resolve().parent.parent


def check(data: Path, keyring_file: Path) -> dict[str, dict[str, object]]:
    r = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), "check", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LOANDESK_TEST_KEYRING_FILE": str(keyring_file)},
    )
    report = json.loads(r.stdout)
    assert r.returncode == (0 if report["ok"] else 1)
    return {c["name"]: c for c in report["checks"]}


def seed(data: Path, keyring_file: Path) -> None:
    r = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), "seed-demo", "--count", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LOANDESK_TEST_KEYRING_FILE": str(keyring_file)},
    )
    assert r.returncode == 0, r.stderr


def test_check_reports_encryption_and_accounts(tmp_path: Path, shared_keyring: object) -> None:
    data, keys = tmp_path / "data", Path(os.environ["LOANDESK_TEST_KEYRING_FILE"])
    open_context(resolve_paths(data)).close()
    items = check(data, keys)
    assert items["personal data"]["ok"] and "none stored yet" in str(items["personal data"])
    assert "asks for one" in str(items["accounts"]["detail"])

    seed(data, keys)
    ctx = open_context(resolve_paths(data))
    create_first_admin(ctx.db, ctx.clock, "boss", "王店长", "Counter2026")
    ctx.close()
    items = check(data, keys)
    assert items["personal data"]["ok"]
    assert "encrypted (AES-256-GCM" in str(items["personal data"]["detail"])
    assert str(items["accounts"]["detail"]).startswith("1 administrator(s)")

    # the database copied to another PC: that keyring has other keys for the same id
    other = tmp_path / "other.json"
    shutil.copy(keys, other)
    blob = json.loads(other.read_text(encoding="utf-8"))
    entry = next(k for k in blob if "data-keys:" in k)
    inner = json.loads(blob[entry])
    inner["keys"][0]["enc_key"] = "A" * 43 + "="  # 32 zero bytes: a different key
    blob[entry] = json.dumps(inner)
    other.write_text(json.dumps(blob), encoding="utf-8")
    wrong = check(data, other)["personal data"]
    assert not wrong["ok"] and "do not open it" in str(wrong["detail"])

    missing = check(data, tmp_path / "empty.json")["personal data"]
    assert not missing["ok"] and "keys cannot be read" in str(missing["detail"])
    assert not (tmp_path / "empty.json").exists()  # check never makes keys
