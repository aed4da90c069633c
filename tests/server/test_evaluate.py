"""``python -m server evaluate`` on data ``main.py seed-demo --stores`` made: real
subprocesses, real data folders (one per PC), the truth file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_evaluate_reports_recall_per_pattern_and_clean_flagged(tmp_path: Path) -> None:
    data, truth, out = tmp_path / "d", tmp_path / "truth.json", tmp_path / "eval.json"
    seeded = _run(
        *("main.py", "seed-demo", "--count", "900", "--stores", "4", "--seed", "7"),
        *("--plant-fraud", "0.1", "--truth", str(truth), "--data-dir", str(data)),
    )
    assert seeded.returncode == 0, seeded.stderr
    r = _run("-m", "server", "evaluate", "--truth", str(truth), "--data", str(data),
             "--json", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "held out" in r.stdout and "clean applications flagged" in r.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["seed"] == 7 and result["held_out"] is True
    assert result["applications"] == 900 and result["missing_planted"] == 0
    top = {k: v for k, v in result["patterns"].items() if "/" not in k}
    assert set(top) >= {"phone_ring", "shared_address", "inflated_price", "id_reuse"}
    for name, row in top.items():
        assert row["combined"] >= row["store"], name
        assert row["combined"] >= 0.9, (name, row)
    assert result["clean"]["combined"] <= 0.03


def test_evaluate_explains_bad_input(tmp_path: Path) -> None:
    r = _run("-m", "server", "evaluate", "--truth", str(tmp_path / "no.json"),
             "--data", str(tmp_path))  # fmt: skip
    assert r.returncode == 1 and "TRUTH_UNREADABLE" in r.stderr
