"""Demo evidence: small real JPEGs drawn with Pillow, so seeded applications carry what
the rule pack requires (ID card front and back, the customer with the goods) exactly as
a clerk's would, are stored encrypted through core attachments and are uploaded to head
office by the sync like any others.

Each picture is a plain placeholder marked DEMO (no face, no ID number): the same three
files serve every seeded application, stored once (attachments are content-addressed)
and linked to each application that needs them, so seeding thousands of applications
writes three files, not thousands.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from PIL import Image, ImageDraw

from core.attachments import EvidenceItem
from core.models import ApplicationInput

#: what the seeded applications may need (core.rules.evidence.KINDS, the photos)
PHOTO_KINDS = ("id_front", "id_back", "customer_with_goods")

_SIZE = (480, 300)  # an ID card's proportions, small
_COLOURS = {
    "id_front": (206, 226, 240),
    "id_back": (236, 230, 206),
    "customer_with_goods": (220, 236, 214),
}


def demo_photo(kind: str) -> bytes:
    """A small JPEG placeholder for ``kind`` (deterministic bytes)."""
    img = Image.new("RGB", _SIZE, _COLOURS.get(kind, (230, 230, 230)))
    draw = ImageDraw.Draw(img)
    w, h = _SIZE
    draw.rectangle((8, 8, w - 9, h - 9), outline=(90, 110, 130), width=4)
    if kind == "customer_with_goods":
        draw.ellipse((60, 70, 160, 170), fill=(170, 150, 130))  # a head
        draw.rectangle((50, 170, 170, 280), fill=(120, 140, 170))  # a body
        draw.rectangle((230, 140, 430, 270), fill=(150, 120, 90))  # the goods
    elif kind == "id_front":
        draw.rectangle((330, 60, 440, 200), fill=(180, 190, 200))  # the photo box
        for y in range(60, 220, 36):
            draw.rectangle((40, y, 300, y + 14), fill=(150, 165, 180))  # text lines
    else:
        draw.ellipse((40, 40, 120, 120), outline=(170, 60, 60), width=5)  # the emblem
        for y in range(170, 260, 30):
            draw.rectangle((150, y, 440, y + 12), fill=(175, 165, 140))
    draw.text((w - 90, h - 40), "DEMO", fill=(60, 60, 60))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return out.getvalue()


class DemoEvidence:
    """The demo photos stored once in a service's data folder; per application, the
    ones its rule pack requires."""

    def __init__(self, service: object) -> None:
        from core.applications.service import ApplicationService

        assert isinstance(service, ApplicationService)
        self._service = service
        self.items: Mapping[str, EvidenceItem] = {
            kind: service.store_evidence(kind, demo_photo(kind)) for kind in PHOTO_KINDS
        }

    def for_app(self, app: ApplicationInput) -> list[EvidenceItem]:
        required = self._service.required_evidence(app)
        return [self.items[k] for k in required if k in self.items]


__all__ = ["PHOTO_KINDS", "DemoEvidence", "demo_photo"]
