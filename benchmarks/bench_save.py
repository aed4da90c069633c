"""Save-application latency with synchronous=FULL, against a bare one-row INSERT+COMMIT
of the same size on the same disk with the same pragmas.

As at the counter: the review step pre-screens the application (not timed: the clerk
reads the outcome), then Save is pressed (timed: it pre-screens again, with the review
attempts in the receipt, and writes everything in one transaction). A second figure
times a save with no pre-screen before it.
The samples alternate with the baseline's, so a noisy disk hits both alike.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from benchmarks.common import emit, latency_figures, percentile
from core.clock import SystemClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog, paper_consent
from core.models import ApplicationInput
from core.store.db import PRAGMAS

ROOT = Path(__file__).resolve().parent.parent
ROW_BYTES = 1400  # about what one application (customer, application, lines, audit) adds


def run(samples: int = 300, warmup: int = 20) -> None:
    # On the project's disk, not /tmp: /tmp is often tmpfs, where fsync costs nothing.
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        ctx = open_context(resolve_paths(Path(tmp) / "app"))
        gen = DemoGenerator(5, SystemClock().now().date(), load_demo_catalog())
        conn = sqlite3.connect(str(Path(tmp) / "bare.db"), isolation_level=None)
        for p in PRAGMAS:
            conn.execute(p)
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
        payload = "x" * ROW_BYTES
        save_ms, bare_ms, cold_ms = [], [], []
        for i in range(samples + warmup):
            app = with_consent(gen.application())
            ctx.applications.prescreen(app)  # the review step
            t = time.perf_counter()
            ctx.applications.save(app)
            s = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            ctx.applications.save(with_consent(gen.application()))  # nothing screened before
            c = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO t(payload) VALUES (?)", (payload,))
            conn.execute("COMMIT")
            b = (time.perf_counter() - t) * 1000
            if i >= warmup:
                save_ms.append(s)
                bare_ms.append(b)
                cold_ms.append(c)
        conn.close()
        ctx.close()
    emit(
        {
            "bench": "save_application",
            **latency_figures(save_ms, bare_ms),
            "unscreened_p50_ms": percentile(cold_ms, 0.5),
            "unscreened_ratio": percentile(cold_ms, 0.5) / percentile(bare_ms, 0.5),
            "samples": samples,
            "synchronous": "FULL",
            "baseline": "one-row INSERT+COMMIT of the same size, same pragmas, same disk",
        }
    )


def with_consent(app: ApplicationInput) -> ApplicationInput:
    return app if app.consent is not None else replace(app, consent=paper_consent(date.today()))


if __name__ == "__main__":
    run()
