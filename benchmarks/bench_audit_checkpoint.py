"""What one audit checkpoint write costs, beside a bare write of the same bytes.

The window's checkpoint timer writes both copies on the GUI thread once a minute when
there are new audit rows, so each write must stay cheap. Measured here (moved out of
tests/core/test_audit_checkpoint_copies.py, which now only checks *when* it writes):

- keyring: ``write_keyring_checkpoint`` (encode + HMAC + keyring) against the baseline
  ``keyring.set_password`` of an already-encoded text of the same checkpoint, both on
  the in-memory keyring: the ratio is the cost of our signing on top of the store;
- file: ``write_checkpoint`` (encode + HMAC + temp file, fsync, rename) against the
  baseline of writing the same encoded bytes to a file with fsync and rename.

The arms alternate sample by sample so disk noise hits both alike.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import keyring

from benchmarks.common import emit, latency_figures
from core.audit.checkpoint_copies import (
    Checkpoint,
    checkpoint_path,
    encode,
    install_id_of,
    keyring_name,
    write_checkpoint,
    write_keyring_checkpoint,
)
from core.clock import SystemClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.security.keyring_store import SERVICE
from core.security.memory_keyring import MemoryKeyring
from core.store.audit_repo import AuditRepo
from core.store.vault import vault_of

ROOT = Path(__file__).resolve().parent.parent


def _bare_file_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".bare.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def run(samples: int = 200, warmup: int = 20) -> None:
    (ROOT / "build").mkdir(exist_ok=True)  # a real disk, not tmpfs (see bench_save)
    keyring.set_keyring(MemoryKeyring())  # throwaway data, as every benchmark's
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        ctx = open_context(resolve_paths(Path(tmp) / "data"), SystemClock())
        try:
            gen = DemoGenerator(7, SystemClock().now().date(), load_demo_catalog())
            for _ in range(4):
                ctx.applications.save(gen.application())
            key = vault_of(ctx.db).chain_key
            install_id = install_id_of(ctx.db)
            assert install_id is not None
            target = Checkpoint(8, AuditRepo(ctx.db).verify().last_hash)
            path = checkpoint_path(ctx.paths.database)
            bare_path = path.with_name("bare-checkpoint.json")
            text = encode(key, target)
            data = text.encode("utf-8")
            name = keyring_name(install_id)
            timings: dict[str, list[float]] = {
                k: [] for k in ("keyring", "keyring_bare", "file", "file_bare")
            }
            for i in range(samples + warmup):
                t0 = time.perf_counter()
                write_keyring_checkpoint(install_id, key, target)
                t1 = time.perf_counter()
                keyring.set_password(SERVICE, name, text)
                t2 = time.perf_counter()
                write_checkpoint(path, key, target)
                t3 = time.perf_counter()
                _bare_file_write(bare_path, data)
                t4 = time.perf_counter()
                if i >= warmup:
                    for arm, ms in (
                        ("keyring", t1 - t0),
                        ("keyring_bare", t2 - t1),
                        ("file", t3 - t2),
                        ("file_bare", t4 - t3),
                    ):
                        timings[arm].append(ms * 1000)
        finally:
            ctx.close()
    for arm in ("keyring", "file"):
        emit(
            {
                "bench": f"audit_checkpoint_{arm}_write",
                "samples": samples,
                **latency_figures(timings[arm], timings[f"{arm}_bare"]),
                "baseline": f"the same encoded bytes written bare ({arm})",
            }
        )


if __name__ == "__main__":
    run()
