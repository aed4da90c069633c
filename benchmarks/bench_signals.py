"""Recall of planted store-side fraud on many-store demo data, per pattern: at the
store (its pre-screen at save time), at head office (server.signals) and combined,
with the share of clean applications flagged. On a held-out seed (the thresholds were
tuned on server.signals.params.TUNED_ON_SEED)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import emit
from core.demo_data.build import seed_world
from core.demo_data.truth import write_truth
from server.evaluate import evaluate
from server.signals.params import TUNED_ON_SEED

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT_SEED = 202


def run(count: int = 6000, stores: int = 6, plant_rate: float = 0.05) -> None:
    assert HELD_OUT_SEED != TUNED_ON_SEED
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        root = Path(tmp)
        now = datetime.now(UTC)
        truth = seed_world(root, count, HELD_OUT_SEED, now, stores=stores, plant_rate=plant_rate)
        write_truth(truth, root / "truth.json")
        result = evaluate(root / "truth.json", root)
    base = {"seed": result["seed"], "tuned_on_seed": TUNED_ON_SEED, "held_out": True}
    for name, r in result["patterns"].items():
        if "/" not in name:
            emit({"bench": "fraud_recall", "pattern": name, **r, **base})
    c = result["clean"]
    emit(
        {
            "bench": "fraud_clean_flagged",
            "clean": c["count"],
            "store": c["store"],
            "head_office": c["head_office"],
            "combined": c["combined"],
            "stores": stores,
            **base,
        }
    )


if __name__ == "__main__":
    run()
