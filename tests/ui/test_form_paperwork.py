"""The paper side on the form: the signature pad, photos from files, evidence the rule
pack requires, the first-payment date with due dates, and SKU suggestions."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from core.applications.service import ApplicationService
from core.clock import local_today
from core.consent import ConsentMethod
from core.context import AppContext
from core.models import ListQuery
from core.rules import RulePackStore, TrustedKey, sign_pack
from tests.core.rules.conftest import KEY_ID, SRC
from tests.ui.conftest import LaneFactory, form_for, valid_state
from tests.ui.gui_gc import widgets_collected_here  # noqa: F401  (autouse)
from ui.db_lane import CoreLane
from ui.new_application import NewApplicationDialog
from ui.new_application.common import STEP_REVIEW, STEP_TERMS
from ui.new_application.dated_schedule import COL_DUE
from ui.new_application.signature_pad import SignaturePad
from ui.new_application.terms_page import _qdate

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _photo(path: Path, colour: tuple[int, int, int]) -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def _sign(qtbot: Any, pad: SignaturePad) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 60))
    for x in range(50, 300, 25):
        qtbot.mouseMove(pad, QPoint(x, 60 + (x % 50)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(300, 90))


def test_the_signature_pad_produces_an_image(qtbot: Any) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.show()
    qtbot.waitExposed(pad)
    assert pad.is_empty()
    _sign(qtbot, pad)
    assert not pad.is_empty() and len(pad.strokes[0]) > 5
    image = pad.image()
    assert image.width() == pad.width()
    inked = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if QColor(image.pixel(x, y)).lightness() < 128
    )
    assert inked > 20
    assert pad.png().startswith(PNG_MAGIC)
    pad.clear()
    assert pad.is_empty()


def test_a_signature_on_the_pad_records_the_consent_with_its_image(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    signing = dlg.consent.sign_on_pad()
    _sign(qtbot, signing.pad)
    signing.use_button.click()
    consent = ctx.applications.pending_consent()
    assert consent is not None and consent.method is ConsentMethod.SIGNATURE
    signatures = [e for e in ctx.applications.pending_attachments() if e.kind == "signature"]
    assert [e.sha256 for e in signatures] == [consent.signature_sha256]
    assert "signed on the pad" in dlg.consent.state.text()
    state = valid_state()
    state["step"] = STEP_REVIEW
    dlg.restore(state)
    with qtbot.waitSignal(dlg.sig_saved, timeout=3000) as saved:
        dlg.save()
    papers = ctx.applications.receipt_paperwork(saved.args[0])
    assert papers is not None and papers["consent"]["method"] == "signature"
    assert [e["kind"] for e in papers["evidence"]] == ["signature"]


EVIDENCE = {"rules": [{"scenario": "*", "require": ["id_front", "id_back"]}]}


def test_missing_evidence_blocks_save_and_photos_from_files_fill_it(
    qtbot: Any, ctx: AppContext, make_lane: LaneFactory, tmp_path: Path
) -> None:
    issuer = Ed25519PrivateKey.generate()
    trusted = {KEY_ID: TrustedKey(KEY_ID, issuer.public_key())}
    doc = json.loads(SRC.read_text(encoding="utf-8"))
    doc["manifest"]["version"] = 3  # newer than the shipped v2
    doc["manifest"]["parameters"]["evidence"] = EVIDENCE
    RulePackStore(ctx.db, trusted, ctx.clock).install(sign_pack(doc, issuer), "file")
    lane = make_lane(
        service=lambda core: ApplicationService(
            core.db, core.actor, core.clock, rules=RulePackStore(core.db, trusted, core.clock)
        )
    )
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    state = valid_state()
    state["step"] = STEP_REVIEW
    dlg.restore(state)
    evidence = dlg.review.evidence
    assert evidence.missing() == ["id_front", "id_back"]
    assert evidence.states["id_front"].text() == "Required, missing"
    assert dlg.save() is None
    assert "ID card (front)" in dlg.banner.text() and "ID card (back)" in dlg.banner.text()
    assert ctx.applications.count(ListQuery()) == 0

    evidence.add_from_file("id_front", str(_photo(tmp_path / "front.jpg", (200, 30, 30))))
    evidence.add_from_file("id_back", str(tmp_path / "nowhere.jpg"))  # a file that is gone
    assert evidence.error.isVisible() and evidence.missing() == ["id_back"]
    evidence.add_from_file("id_back", str(_photo(tmp_path / "back.jpg", (30, 30, 200))))
    assert evidence.missing() == [] and evidence.states["id_back"].text() == "Attached ✓"
    with qtbot.waitSignal(dlg.sig_saved, timeout=3000) as saved:
        dlg.save()
    kinds = sorted(e.kind for e in ctx.applications.attachments(saved.args[0]))
    assert kinds == ["id_back", "id_front"]


def test_the_first_payment_date_sets_the_due_dates(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    state = valid_state()
    state["step"] = STEP_TERMS
    dlg.restore(state)
    first = local_today(ctx.clock) + timedelta(days=20)
    dlg.terms.first_due.setDate(_qdate(first))
    model = dlg.terms.schedule_model
    assert model.rowCount() == 12
    assert model.headerData(COL_DUE, Qt.Orientation.Horizontal) == "Due date"
    assert model.data(model.index(0, COL_DUE)) == first.isoformat()
    second = date.fromisoformat(model.data(model.index(1, COL_DUE)))
    assert (second.year * 12 + second.month) - (first.year * 12 + first.month) == 1
    assert dlg.raw()["terms"]["first_due_date"] == first.isoformat()
    dlg.show_step(STEP_REVIEW)
    with qtbot.waitSignal(dlg.sig_saved, timeout=3000) as saved:
        dlg.save()
    assert ctx.applications.detail(saved.args[0]).terms.first_due_date == first


def test_the_order_step_suggests_skus_as_the_clerk_types(
    qtbot: Any, ctx: AppContext, lane: CoreLane
) -> None:
    dlg = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.show_step(1)
    order = dlg.order
    qtbot.keyClicks(order.sku, "690")
    order.suggest.request()  # what the typing pause starts
    assert order.suggest.skus() == ["6901234567892", "6909876543210"]
    order.sku.clear()
    qtbot.keyClicks(order.sku, "6909")
    order.suggest.request()
    assert order.suggest.skus() == ["6909876543210"]
    order.suggest._picked("6909876543210")  # what choosing it in the list does
    qtbot.waitUntil(lambda: order.lines.rowCount() == 1)
    assert order.lines.raw()[0]["sku"] == "6909876543210"
    dlg.done(0)
