"""Attachments: saving a 12-megapixel photo (downscale + re-encode + encrypt + fsync +
rename + the row) as p50/p95, and uploading over loopback as a ratio to a bare PUT.

The upload arm is the real uploader (read and decrypt from the store, GET the offset,
1 MB chunks with Content-Range, the server fsyncing and hashing) against one plain
``PUT`` of the same bytes to the same server route in one body (``requests``), the
least a client can do. Rounds alternate the two so disk noise hits both alike.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from pathlib import Path

import keyring
import requests
from PIL import Image, ImageDraw

from benchmarks.bench_sync import TIMEOUTS
from benchmarks.common import emit, median, percentile
from core.clock import SystemClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.security.demo_keyring import FileKeyring
from core.sync.attachments import AttachmentUploader
from tests.helpers.server import RealServer

ROOT = Path(__file__).resolve().parent.parent
STORE = "B777"


def _photos(n: int, size: tuple[int, int] = (4000, 3000)) -> list[bytes]:
    """``n`` different 12 MP JPEGs with texture (a flat image encodes unrealistically)."""
    noise = Image.frombytes("L", (size[0] // 8, size[1] // 8), os.urandom(size[0] * size[1] // 64))
    base = Image.merge("RGB", [noise.resize(size)] * 3)
    out = []
    for i in range(n):
        img = base.copy()
        ImageDraw.Draw(img).rectangle((40 * i, 40, 40 * i + 200, 240), fill=(i * 9 % 256, 20, 90))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=92)
        out.append(buf.getvalue())
    return out


def run(samples: int = 20, upload_mb: int = 8, rounds: int = 4) -> None:
    previous = keyring.get_keyring()
    (ROOT / "build").mkdir(exist_ok=True)  # a real disk, not tmpfs (fsync counts)
    try:
        with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
            keyring.set_keyring(FileKeyring(Path(tmp) / "keyring.json"))
            _save(Path(tmp), samples)
            _upload(Path(tmp), upload_mb, rounds)
    finally:
        keyring.set_keyring(previous)


def _save(tmp: Path, samples: int) -> None:
    photos = _photos(samples + 2)
    ctx = open_context(resolve_paths(tmp / "save"), SystemClock())
    try:
        for data in photos[:2]:  # warm-up: imports, first folder creation
            ctx.applications.attach("customer_with_goods", data)
        took = []
        for data in photos[2:]:
            t = time.perf_counter()
            ctx.applications.attach("customer_with_goods", data)
            took.append((time.perf_counter() - t) * 1000)
    finally:
        ctx.close()
    emit(
        {
            "bench": "attachment_save_12mp",
            "samples": samples,
            "input_mb": round(sum(len(p) for p in photos) / len(photos) / 2**20, 2),
            "p50_ms": percentile(took, 0.5),
            "p95_ms": percentile(took, 0.95),
        }
    )


def _upload(tmp: Path, size_mb: int, rounds: int) -> None:
    with RealServer(
        tmp, "--max-body-bytes", str(2 * size_mb * 2**20), data_dir=tmp / "server", test_hooks=False
    ) as srv:
        ctx = open_context(resolve_paths(tmp / "client"), SystemClock())
        try:
            assert ctx.sync is not None
            ctx.sync.enroll(srv.url, STORE, srv.add_store(STORE), timeouts=TIMEOUTS)
            gen = DemoGenerator(3, ctx.clock.now().date(), load_demo_catalog())
            apps = [ctx.applications.save(gen.application()) for _ in range(2 * rounds)]
            if ctx.sync.sync_once(timeouts=TIMEOUTS).acked != len(apps):
                raise RuntimeError("the applications were not acknowledged")
            engine = ctx.sync.engine(timeouts=TIMEOUTS)
            uploader = AttachmentUploader(ctx.db, engine.http, ctx.clock)
            auth = {"Authorization": f"Bearer {engine.http.token}"}
            ours, bare = [], []
            for r in range(rounds):
                data = b"%PDF-1.7\n" + os.urandom(size_mb * 2**20 - 9)
                sha = ctx.applications.attach_to(apps[2 * r], "printed_pdf", data).sha256
                t = time.perf_counter()
                report = uploader.run()
                ours.append(time.perf_counter() - t)
                if report.uploaded != 1:
                    raise RuntimeError(f"upload failed: {report.errors}")
                url = f"{srv.url}/v1/applications/{apps[2 * r + 1]}/attachments/{sha}"
                t = time.perf_counter()
                answer = requests.put(url, params={"kind": "printed_pdf"}, data=data, headers=auth)
                bare.append(time.perf_counter() - t)
                if answer.status_code != 201:
                    raise RuntimeError(f"bare PUT failed: {answer.status_code}")
            engine.http.close()
        finally:
            ctx.close()
    mb = float(size_mb)
    emit(
        {
            "bench": "attachment_upload_loopback",
            "size_mb": size_mb,
            "rounds": rounds,
            "mb_per_s": mb / median(ours),
            "baseline_mb_per_s": mb / median(bare),
            "ratio": median(bare) / median(ours),
        }
    )


if __name__ == "__main__":
    from core.security.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    run()
