"""HTML from core.applications.printouts on paper: a QTextDocument whose default font covers Chinese
(WenQuanYi Micro Hei when installed, else any font the font database lists for
Simplified Chinese), printed to a QPrinter or to PDF bytes (Qt embeds the glyphs it
uses as a font subset, so the PDF reads the same on a PC without the font)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

PREFERRED_CJK = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "SimSun")
POINT_SIZE = 10.0


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """A font family with Chinese glyphs ("" when the PC has none: Qt falls back)."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    for name in PREFERRED_CJK:
        if name in families:
            return name
    return families[0] if families else ""


def text_document(html: str) -> QTextDocument:
    doc = QTextDocument()
    font = QFont(cjk_family()) if cjk_family() else QFont()
    font.setPointSizeF(POINT_SIZE)
    doc.setDefaultFont(font)
    doc.setHtml(html)
    return doc


def a4_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(15, 15, 15, 15),
        QPageLayout.Unit.Millimeter,
    )


def print_html(html: str, device: QPagedPaintDevice) -> None:
    """Lay ``html`` out on ``device``'s pages (a printer, a preview, a PDF writer)."""
    text_document(html).print_(device)


def pdf_bytes(html: str, title: str) -> bytes:
    """``html`` as an A4 PDF, in memory (it goes to disk only encrypted)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(a4_layout())
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("LoanDesk")
    print_html(html, writer)
    del writer  # finishes the file
    buffer.close()
    return bytes(data.data())
