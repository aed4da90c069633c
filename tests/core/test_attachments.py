"""Attachments: stored once by content, encrypted (no JPEG/PNG/PDF readable in the
data folder), a changed file refused, photos downscaled without EXIF, orphans cleaned
at start, and required evidence from the rule pack enforced on save."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from core import i18n
from core.applications.paperwork import clean_orphans
from core.applications.service import ApplicationService
from core.attachments import AttachmentError, AttachmentOptions
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.rules import PackError, RulePackStore, TrustedKey, sign_pack
from core.rules.shape import check_manifest
from tests.core.rules.conftest import KEY_ID, SRC

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
# long enough that ciphertext or database pages do not hold one by chance
MAGIC = (b"\xff\xd8\xff\xe0\x00\x10JFIF", b"\xff\xd8\xff\xdb", b"\x89PNG\r\n\x1a\n", b"%PDF-")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def photo(w: int = 4000, h: int = 3000, colour: tuple[int, int, int] = (90, 140, 30)) -> bytes:
    img = Image.new("RGB", (w, h), colour)
    exif = Image.Exif()
    exif[0x010F] = "CamMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (39.0, 54.0, 27.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "shop"), FixedClock(NOW))
    yield c
    c.close()


@pytest.fixture
def gen(ctx: AppContext) -> DemoGenerator:
    return DemoGenerator(7, NOW.date(), load_demo_catalog(), ctx.applications.policy)


def _scan(folder: Path) -> list[str]:
    """Files of the data folder holding a JPEG, PNG or PDF header anywhere."""
    found = []
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            found += [f"{p.relative_to(folder)}: {m[:4]!r}" for m in MAGIC if m in data]
    return found


def test_photos_are_stored_once_encrypted_small_and_without_exif(
    ctx: AppContext, gen: DemoGenerator
) -> None:
    data = photo()
    first = ctx.applications.attach("id_front", data)
    again = ctx.applications.attach("id_front", data)  # the same photo twice
    assert first.sha256 == again.sha256 and first.written and not again.written
    ctx.applications.attach("signature", photo(800, 300, (255, 255, 255)))
    app_id = ctx.applications.save(gen.application())
    ctx.applications.attach_to(app_id, "printed_pdf", PDF)
    folder = ctx.paths.data_dir / "attachments"
    assert len([p for p in folder.rglob("*") if p.is_file()]) == 3  # stored once
    assert ctx.db.execute("SELECT count(*) FROM attachment_blobs").fetchone()[0] == 3
    assert _scan(ctx.paths.data_dir) == []  # no JPEG, PNG or PDF readable in plain form
    kept = ctx.applications.read_attachment(app_id, first.sha256)
    with Image.open(io.BytesIO(kept)) as img:
        assert max(img.size) == 1600 and img.format == "JPEG"
        assert not img.getexif()  # no camera, no GPS
    assert b"CamMaker" not in kept
    items = ctx.applications.attachments(app_id)
    assert sorted(i.kind for i in items) == ["id_front", "printed_pdf", "signature"]
    [pdf] = [i for i in items if i.kind == "printed_pdf"]
    assert ctx.applications.read_attachment(app_id, pdf.sha256) == PDF
    [row] = ctx.db.execute("SELECT detail FROM audit_log WHERE action = 'created'").fetchall()
    evidence = json.loads(row[0])["evidence"]
    assert {e["sha256"] for e in evidence} == {first.sha256} | {
        i.sha256 for i in items if i.kind == "signature"
    }
    papers = ctx.applications.receipt_paperwork(app_id)
    assert papers is not None and papers["evidence"] == evidence


def test_a_changed_file_is_detected(ctx: AppContext, gen: DemoGenerator) -> None:
    stored = ctx.applications.attach("id_back", photo(1200, 800))
    app_id = ctx.applications.save(gen.application())
    path = ctx.paths.data_dir / "attachments" / stored.sha256[:2] / stored.sha256
    blob = bytearray(path.read_bytes())
    blob[-20] ^= 0x01
    path.write_bytes(bytes(blob))
    with pytest.raises(AttachmentError) as changed:
        ctx.applications.read_attachment(app_id, stored.sha256)
    assert changed.value.code == "ATTACHMENT_CHANGED"
    other = ctx.applications.attach("customer_with_goods", photo(1000, 900, (1, 2, 3)))
    other_path = path.parent.parent / other.sha256[:2] / other.sha256
    path.write_bytes(other_path.read_bytes())  # a valid file of another content, swapped in
    with pytest.raises(AttachmentError, match="ATTACHMENT_CHANGED"):
        ctx.applications.read_attachment(app_id, stored.sha256)


def test_orphans_are_cleaned_at_start(ctx: AppContext, tmp_path: Path) -> None:
    kept = ctx.applications.attach("id_front", photo(900, 600))
    folder = ctx.paths.data_dir / "attachments"
    (folder / "ab").mkdir(exist_ok=True)
    (folder / "ab" / ("ab" + "0" * 62)).write_bytes(b"no row names me")
    (folder / kept.sha256[:2] / ".tmp-123").write_bytes(b"a crash left me")
    ctx.applications.withdraw_consent()  # the open form is given up: its photo goes now
    assert not (folder / kept.sha256[:2] / kept.sha256).exists()
    assert clean_orphans(ctx.db) == 2  # the stray file and the temp file
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def test_bad_files_and_the_quota_are_refused_with_codes(ctx: AppContext) -> None:
    with pytest.raises(AttachmentError, match="ATTACHMENT_NOT_IMAGE"):
        ctx.applications.attach("id_front", b"not a picture")
    with pytest.raises(AttachmentError, match="ATTACHMENT_NOT_PDF"):
        ctx.applications.attach("printed_pdf", photo(100, 100))
    with pytest.raises(AttachmentError, match="ATTACHMENT_KIND_UNKNOWN"):
        ctx.applications.attach("selfie", photo(100, 100))
    tight = ApplicationService(
        ctx.db, ctx.actor, ctx.clock, rules=ctx.rules, attachments=AttachmentOptions(quota_bytes=10)
    )
    with pytest.raises(AttachmentError, match="ATTACHMENT_QUOTA_FULL"):
        tight.attach("id_front", photo(300, 200))
    for code in ("ATTACHMENT_QUOTA_FULL", "ATTACHMENT_DISK_LOW", "ATTACHMENT_CHANGED"):
        assert i18n.translate(code, "zh_CN") != i18n.translate(code, "en")
    warned = ApplicationService(
        ctx.db, ctx.actor, ctx.clock, attachments=AttachmentOptions(warn_free_bytes=2**62)
    ).attach("id_back", photo(300, 200))
    assert warned.warnings == ("ATTACHMENT_DISK_LOW",)


# --- evidence from the rule pack ------------------------------------------------------------


def _pack_with_evidence(issuer: Ed25519PrivateKey, evidence: object) -> bytes:
    doc = json.loads(SRC.read_text(encoding="utf-8"))
    doc["manifest"]["version"] = 3  # newer than the shipped v2
    doc["manifest"]["parameters"]["evidence"] = evidence
    return sign_pack(doc, issuer)


EVIDENCE = {
    "rules": [
        {"scenario": "*", "require": ["id_front", "id_back"]},
        {"scenario": "appliance", "min_principal": "3000", "require": ["customer_with_goods"]},
    ]
}


def test_missing_required_evidence_blocks_the_save(ctx: AppContext, gen: DemoGenerator) -> None:
    issuer = Ed25519PrivateKey.generate()
    rules = RulePackStore(ctx.db, {KEY_ID: TrustedKey(KEY_ID, issuer.public_key())}, ctx.clock)
    rules.install(_pack_with_evidence(issuer, EVIDENCE), "file")
    svc = ApplicationService(ctx.db, ctx.actor, ctx.clock, rules=rules)
    app = next(a for a in iter(gen.application, None) if a.scenario == "appliance"
               and a.principal_fen >= 300_000)  # fmt: skip
    assert svc.required_evidence(app) == ("id_front", "id_back", "customer_with_goods")
    svc.attach("id_front", photo(600, 400))
    with pytest.raises(AttachmentError) as missing:
        svc.save(app)
    assert missing.value.code == "EVIDENCE_MISSING"
    assert missing.value.params["missing"] == "id_back,customer_with_goods"
    zh = i18n.translate("EVIDENCE_MISSING", "zh_CN", **missing.value.params)
    en = i18n.translate("EVIDENCE_MISSING", "en", **missing.value.params)
    assert "身份证国徽面照片" in zh and "客户与商品合影" in zh
    assert "ID card (back)" in en and "customer with the goods" in en
    assert ctx.db.execute("SELECT count(*) FROM applications").fetchone()[0] == 0
    svc.attach("id_back", photo(600, 401))
    svc.attach("customer_with_goods", photo(600, 402))
    app_id = svc.save(app)
    assert len(svc.attachments(app_id)) == 3


@pytest.mark.parametrize(
    ("evidence", "where"),
    [
        ({"rules": [{"scenario": "boat", "require": ["id_front"]}]}, "rules[0].scenario"),
        ({"rules": [{"require": ["selfie"]}]}, "rules[0].require[0]"),
        ({"rules": [{"require": []}]}, "rules[0].require"),
        ({"rules": [{"require": ["id_front"], "min_principal": "-1"}]}, "min_principal"),
        ({"rules": "all"}, "evidence.rules"),
    ],
)
def test_a_bad_evidence_section_is_refused_naming_the_field(evidence: object, where: str) -> None:
    doc = json.loads(SRC.read_text(encoding="utf-8"))
    doc["manifest"]["parameters"]["evidence"] = evidence
    doc["format"] = "loandesk-rulepack/1"
    with pytest.raises(PackError, match=where.replace("[", r"\[").replace("]", r"\]")):
        check_manifest(doc)
