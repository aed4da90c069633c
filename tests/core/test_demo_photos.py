"""Seeded demo applications carry the evidence their rule pack requires (here head
office's example pack: the shipped one requires none), as a clerk's would: real JPEGs,
stored once, encrypted, linked to each application that needs them (so every seeded
application could have been saved at the counter)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from core.config import resolve_paths
from core.context import open_context
from core.demo_data import seed_demo
from core.demo_data.photos import PHOTO_KINDS, demo_photo
from tests.helpers.evidence import pack_requiring_photos

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)


def test_every_seeded_application_has_the_photos_its_pack_requires(tmp_path: Path) -> None:
    ctx = open_context(resolve_paths(tmp_path / "pc"))
    try:
        assert ctx.rules is not None
        ctx.rules.install(pack_requiring_photos(), "file")
        service = ctx.applications
        assert seed_demo(service, 40, 3, NOW, salespeople=3).saved == 40
        needing = 0
        ids = [r[0] for r in ctx.db.execute("SELECT id FROM applications").fetchall()]
        assert len(ids) == 40
        for app_id in ids:
            detail = service.detail(app_id)
            app_kinds = {e.kind for e in service.attachments(app_id)}
            principal = detail.row.principal_fen
            expected = {"id_front", "id_back"} if principal >= 300_000 else set()
            if detail.row.scenario == "furniture" and principal >= 500_000:
                expected.add("customer_with_goods")
            assert app_kinds == expected, (principal, detail.row.scenario)
            needing += bool(expected)
        assert needing > 10  # realistic amounts: most need the ID card
        files = [p for p in (tmp_path / "pc" / "attachments").rglob("*") if p.is_file()]
        assert len(files) == len(PHOTO_KINDS)  # stored once, linked many times
        for kind in PHOTO_KINDS:
            with Image.open(io.BytesIO(demo_photo(kind))) as img:
                assert img.format == "JPEG"
        assert all(not p.read_bytes().startswith(b"\xff\xd8") for p in files)  # encrypted
    finally:
        ctx.close()
