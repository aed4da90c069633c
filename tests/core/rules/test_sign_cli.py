"""``python -m core.rules.sign_cli`` through a real subprocess."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from core.rules import load_trusted_keys, parse_pack
from tests.core.rules.conftest import SRC

ROOT = Path(__file__).resolve().parents[3]


def sign(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.rules.sign_cli", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_new_key_then_sign_round_trip(tmp_path: Path) -> None:
    key = tmp_path / "issuer.pem"
    made = sign("--new-key", key, "--key-id", "test-2026")
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    entry = json.loads(made.stdout)
    assert entry["key_id"] == "test-2026" and entry["algorithm"] == "ed25519"
    trusted = tmp_path / "trusted_keys.json"
    trusted.write_text(json.dumps({"keys": [entry]}), encoding="utf-8")

    doc: dict[str, Any] = json.loads(SRC.read_text(encoding="utf-8"))
    doc["manifest"]["key_id"] = "test-2026"
    src = tmp_path / "pack.unsigned.json"
    src.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    out = tmp_path / "pack.json"
    done = sign("--key", key, "--in", src, "--out", out, "--trusted", trusted)
    assert done.returncode == 0, done.stderr
    pack = parse_pack(out.read_bytes(), load_trusted_keys(trusted))
    assert pack.key_id == "test-2026"
    assert pack.sha256 in done.stdout

    again = sign("--new-key", key, "--key-id", "test-2026")  # never overwrite a key
    assert again.returncode == 2
    assert "already exists" in again.stderr


def _error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def test_bad_input_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    key = tmp_path / "issuer.pem"
    assert sign("--new-key", key, "--key-id", "t").returncode == 0
    out = tmp_path / "out.json"
    assert "needs --key, --in and --out" in _error_line(sign("--key", key))
    assert "needs --key-id" in _error_line(sign("--new-key", tmp_path / "k2.pem"))
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{nope", encoding="utf-8")
    assert "not valid JSON" in _error_line(sign("--key", key, "--in", garbage, "--out", out))
    assert "not an unencrypted PEM" in _error_line(
        sign("--key", garbage, "--in", garbage, "--out", out)
    )
    missing = tmp_path / "missing.json"
    assert "cannot read" in _error_line(sign("--key", key, "--in", missing, "--out", out))

    doc = json.loads(SRC.read_text(encoding="utf-8"))
    doc["decisions"]["appliance"]["nodes"][1]["content"]["rules"][0]["age"] = "< < 18"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    line = _error_line(sign("--key", key, "--in", broken, "--out", out))
    assert "PACK_DECISION_INVALID" in line and "age-under" in line
    assert not out.exists()

    shipped = ROOT / "resources" / "keys" / "trusted_keys.json"
    line = _error_line(sign("--key", key, "--in", SRC, "--out", out, "--trusted", shipped))
    assert "not the public half" in line
