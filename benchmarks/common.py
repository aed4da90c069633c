"""Shared bits: percentiles and the one-JSON-object-per-line output."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no samples")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency_figures(samples_ms: Sequence[float], baseline_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95 of a measured path beside its baseline's, and their ratios."""
    p50, p95 = percentile(samples_ms, 0.5), percentile(samples_ms, 0.95)
    b50, b95 = percentile(baseline_ms, 0.5), percentile(baseline_ms, 0.95)
    return {
        "p50_ms": p50,
        "p95_ms": p95,
        "baseline_p50_ms": b50,
        "baseline_p95_ms": b95,
        "ratio": p50 / b50,
        "ratio_p95": p95 / b95,
    }


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def emit(record: dict[str, Any]) -> None:
    rounded = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in record.items()}
    print(json.dumps(rounded, ensure_ascii=False), flush=True)
