"""``main.py bundle export|import`` as real subprocesses: a store PC, a field manager's
PC and the real server; exit codes 0 / 1 and the coded messages in both languages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.server import RealServer

ROOT = Path(__file__).resolve().parents[3]


def run(tmp_path: Path, pc: str, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.file_keyring.TestFileKeyring",
        "LOANDESK_TEST_KEYRING_FILE": str(tmp_path / f"{pc}-keyring.json"),
    }
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(tmp_path / pc), "--lang", lang, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_bundle_commands(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    not_enrolled = run(tmp_path, "store", "bundle", "export", str(stick / "x.ldbundle"))
    assert not_enrolled.returncode == 1 and "BUNDLE_NOT_ENROLLED" in not_enrolled.stderr
    assert not (stick / "x.ldbundle").exists()
    with RealServer(tmp_path) as srv:
        for pc, store in (("store", "S001"), ("laptop", "F001")):
            code = srv.add_store(store)
            args = ("enroll", "--server", srv.url, "--store", store, "--code", code)
            done = run(tmp_path, pc, *args)
            assert done.returncode == 0, done.stderr
        assert run(tmp_path, "store", "seed-demo", "--count", "12").returncode == 0

        out = run(tmp_path, "store", "bundle", "export", str(stick / "s.ldbundle"), "--json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["items"] == 12

        relayed = run(tmp_path, "laptop", "bundle", "import", str(stick / "s.ldbundle"))
        assert relayed.returncode == 0, relayed.stderr
        back = stick / "s-return.ldbundle"
        assert back.exists() and str(back) in relayed.stdout

        imported = run(tmp_path, "store", "bundle", "import", str(back), "--json")
        assert imported.returncode == 0, imported.stderr
        result = json.loads(imported.stdout)
        assert (result["action"], result["acked"], result["decisions"]) == ("imported", 12, 12)
        again = run(tmp_path, "store", "bundle", "import", str(back), lang="zh_CN")
        assert again.returncode == 0 and "已经导入过" in again.stdout

        other = run(tmp_path, "laptop", "bundle", "import", str(back), lang="zh_CN")
        assert other.returncode == 1 and "BUNDLE_OTHER_STORE" in other.stderr
        assert "不是本店" in other.stderr
        assert srv.stats()["distinct_application_ids"] == 12
