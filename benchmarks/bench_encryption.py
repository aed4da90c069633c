"""Saving with field encryption against the very same save path without it.

"Without" is the real service and database with a vault whose seal/open are identity
and whose lookup hash is the plain value (defined here only, never in the app): the
difference is exactly AES-GCM sealing and the HMAC lookups. Both are measured in the
same run, alternating sample by sample so disk noise hits both alike; then a bulk save
(``save_many``, what seeding uses) of the same applications on each.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

import keyring

from benchmarks.common import emit, latency_figures, percentile
from core.clock import SystemClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ApplicationInput
from core.security.keyring_store import load_or_create_keys
from core.security.memory_keyring import MemoryKeyring
from core.store.vault import META_INSTALL_ID, Vault, attach

ROOT = Path(__file__).resolve().parent.parent


class IdentityVault(Vault):
    """Stores what it is given: the "without encryption" arm (benchmark only)."""

    def seal(self, table: str, column: str, row_id: str, value: str) -> str:
        return value

    def open(self, table: str, column: str, row_id: str, token: str) -> str:
        return token

    def lookup(self, kind: str, normalized_value: str) -> str:
        return normalized_value


def _bulk_ms(ctx: AppContext, apps: list[ApplicationInput]) -> float:
    now = ctx.clock.now()
    items = [(a, now - timedelta(minutes=len(apps) - i)) for i, a in enumerate(apps)]
    t = time.perf_counter()
    ctx.applications.save_many(items)
    return (time.perf_counter() - t) * 1000


def run(samples: int = 200, warmup: int = 20, bulk: int = 500, rounds: int = 6) -> None:
    (ROOT / "build").mkdir(exist_ok=True)  # a real disk, not tmpfs (see bench_save)
    # throwaway data: its keys need not outlive the run (and a build box has no keyring)
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        sealed = open_context(resolve_paths(Path(tmp) / "sealed"))
        plain = open_context(resolve_paths(Path(tmp) / "plain"))
        install_id = plain.db.execute(
            "SELECT value FROM meta WHERE key = ?", [META_INSTALL_ID]
        ).fetchone()[0]
        attach(plain.db, IdentityVault(load_or_create_keys(install_id)))  # same chain key
        gen = DemoGenerator(5, SystemClock().now().date(), load_demo_catalog())
        with_ms, without_ms = [], []
        for i in range(samples + warmup):
            app = gen.application()
            t = time.perf_counter()
            sealed.applications.save(app)
            s = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            plain.applications.save(app)
            p = (time.perf_counter() - t) * 1000
            if i >= warmup:
                with_ms.append(s)
                without_ms.append(p)
        bulk_plain: list[float] = []
        bulk_sealed: list[float] = []
        for r in range(rounds):  # alternate which arm goes first
            apps = [gen.application() for _ in range(bulk)]
            arms = [(plain, bulk_plain), (sealed, bulk_sealed)]
            for ctx, out in arms if r % 2 == 0 else arms[::-1]:
                out.append(_bulk_ms(ctx, apps))
        sealed.close()
        plain.close()
    emit(
        {
            "bench": "save with field encryption vs without",
            **latency_figures(with_ms, without_ms),
            "samples": samples,
            "bulk_count": bulk,
            "bulk_rounds": rounds,
            "bulk_p50_ms": percentile(bulk_sealed, 0.5),
            "baseline_bulk_p50_ms": percentile(bulk_plain, 0.5),
            "bulk_ratio": percentile(bulk_sealed, 0.5) / percentile(bulk_plain, 0.5),
            "baseline": "the same save path with an identity vault (no AES-GCM, no HMAC)",
        }
    )


if __name__ == "__main__":
    run()
