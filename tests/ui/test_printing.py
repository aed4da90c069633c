"""The papers of an application from the detail view: the repayment plan rendered to PDF
reads back (text extracted by pypdf) with every due date and the APR, in Chinese with
the CJK font embedded; the summary masks the customer except in the signature block;
the consent form is the version the customer consented to; the PDF copy kept with the
application is an encrypted attachment (no plain PDF anywhere in the data folder)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtWidgets import QApplication

from core.applications.printouts import CONSENT, PLAN, SUMMARY, printout_html
from core.applications.snapshot import read_print_facts
from core.clock import FixedClock
from core.config import resolve_paths
from core.consent.texts import bundled_texts
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from tests.helpers.consent import with_consent
from tests.helpers.roles import PLANTED_ID, PLANTED_NAME, PLANTED_PHONE, audit_rows, planted
from tests.ui.conftest import detail_for, lane_for
from ui.app import install_translations
from ui.printing.document import pdf_bytes
from ui.printing.preview import PrintoutDialog

T0 = datetime(2026, 1, 31, 3, 0, tzinfo=UTC)  # a month end: due dates clamp
SHOTS = Path(os.environ.get("LOANDESK_SCREENSHOTS", tempfile.gettempdir()))
PDF_MAGIC = b"%PDF"


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[AppContext, str]]:
    ctx = open_context(resolve_paths(tmp_path / "shop"), FixedClock(T0))
    gen = DemoGenerator(4, T0.date(), load_demo_catalog(), ctx.applications.policy)
    app_id = ctx.applications.save(with_consent(planted(gen.application())))
    yield ctx, app_id
    ctx.close()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\t", " ")  # Qt's PDF places words apart: pypdf reads tabs


def embedded_fonts(data: bytes) -> list[str]:
    """The base names of the fonts whose program is inside the PDF."""
    found = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            for part in font.get("/DescendantFonts", [font]):
                descriptor = part.get_object().get("/FontDescriptor")
                if descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    found.append(str(font["/BaseFont"]))
    return found


def test_the_printed_plan_has_every_due_date_and_the_apr(shop: Any) -> None:
    ctx, app_id = shop
    facts = read_print_facts(ctx.applications, app_id)
    assert facts.schedule is not None
    dates = facts.schedule.due_dates
    assert len(dates) == facts.detail.terms.term_months
    assert [d.isoformat() for d in dates[:2]] == ["2026-02-28", "2026-03-31"]  # month ends
    for lang, title, apr_label in (
        ("zh_CN", "分期还款计划", "年化利率"),
        ("en", "Repayment plan", "APR"),
    ):
        data = pdf_bytes(printout_html(facts, [PLAN], lang), "plan")
        assert data.startswith(PDF_MAGIC)
        text = pdf_text(data)
        assert title in text and apr_label in text
        apr = f"{facts.detail.apr * 100:.2f}%"
        assert apr in text
        for due in dates:
            assert due.isoformat() in text
        assert any("WenQuanYi" in name for name in embedded_fonts(data))


def test_the_summary_masks_the_customer_except_where_they_sign(shop: Any) -> None:
    ctx, app_id = shop
    facts = read_print_facts(ctx.applications, app_id)
    text = pdf_text(pdf_bytes(printout_html(facts, [SUMMARY], "zh_CN"), "summary"))
    assert PLANTED_ID not in text and PLANTED_PHONE not in text
    assert "110105********002X" in text and "138****5678" in text
    assert "王*英" in text  # the body
    assert text.count(PLANTED_NAME) == 1  # the signature block
    assert facts.detail.customer.home_address not in text


def test_the_consent_form_is_the_version_the_customer_agreed_to(shop: Any) -> None:
    ctx, app_id = shop
    facts = read_print_facts(ctx.applications, app_id)
    version = bundled_texts().get(facts.consent_version or "")
    assert version is not None and facts.consent == version
    text = pdf_text(pdf_bytes(printout_html(facts, [CONSENT], "zh_CN"), "consent"))
    for doc in version.documents:
        assert doc.title["zh_CN"] in text
    assert f"授权书版本：{version.version}" in text


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_preview_from_the_detail_view_keeps_an_encrypted_pdf_copy(
    qtbot: Any, shop: Any, lang: str
) -> None:
    ctx, app_id = shop
    install_translations(QApplication.instance(), lang)  # type: ignore[arg-type]
    dialog = detail_for(lane_for(ctx), ctx.actor, app_id, lang)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.print_button.isEnabled()
    printout = dialog.open_printout()
    assert isinstance(printout, PrintoutDialog) and printout.isVisible()
    printout.resize(1200, 700)
    QApplication.processEvents()
    printout.grab().save(str(SHOTS / f"printout_{lang}.png"))
    assert printout.kinds() == (PLAN, SUMMARY, CONSENT)

    assert printout.save_copy().succeeded
    sha = printout.saved_sha256
    kept = [e for e in ctx.applications.attachments(app_id) if e.kind == "printed_pdf"]
    assert [e.sha256 for e in kept] == [sha]
    assert ctx.applications.read_attachment(app_id, sha).startswith(PDF_MAGIC)
    (row,) = audit_rows(ctx, "attachment_added")
    assert row["target_id"] == app_id
    for path in ctx.paths.data_dir.rglob("*"):  # nothing readable as a PDF on disk
        if path.is_file():
            assert PDF_MAGIC not in path.read_bytes(), path
    printout.close()
    dialog.close()
