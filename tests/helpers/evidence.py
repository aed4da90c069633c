"""Saving as a clerk does: the photos the rule pack requires of an application
(ID card front and back above its amount, the customer with the goods) attached to the
open form first (core.demo_data.photos' small JPEGs), then the save."""

from __future__ import annotations

from datetime import datetime

from core.applications.service import ApplicationService
from core.demo_data.photos import DemoEvidence, demo_photo
from core.models import ApplicationInput


def attach_required(service: ApplicationService, app: ApplicationInput) -> list[str]:
    """Attach what ``app`` needs to the open form; the kinds attached."""
    kinds = list(service.required_evidence(app))
    for kind in kinds:
        service.attach(kind, demo_photo(kind))
    return kinds


def save_with_photos(service: ApplicationService, app: ApplicationInput) -> str:
    attach_required(service, app)
    return service.save(app)


def save_many_with_photos(
    service: ApplicationService, items: list[tuple[ApplicationInput, datetime]]
) -> list[str]:
    """``save_many`` with, per application, the photos it needs (as seed-demo saves)."""
    photos = DemoEvidence(service)
    return service.save_many(items, [photos.for_app(app) for app, _at in items])


#: head office's example evidence rules (docs/evidence-and-consent.md): both sides of the
#: ID card from 3,000 yuan financed, the customer with the goods for furniture from 5,000
EXAMPLE_RULES = {
    "rules": [
        {"scenario": "*", "min_principal": "3000", "require": ["id_front", "id_back"]},
        {"scenario": "furniture", "min_principal": "5000", "require": ["customer_with_goods"]},
    ]
}


def pack_requiring_photos(version: int = 3) -> bytes:
    """The shipped pack's content with EXAMPLE_RULES, as head office would publish it
    (signed with the demo issuer key the tests trust)."""
    import copy
    import json

    from core.config import resources_dir
    from core.rules import sign_pack
    from core.rules.trusted_keys import load_private_key_file

    src = resources_dir() / "rulepacks" / "src" / "default.unsigned.json"
    doc = copy.deepcopy(json.loads(src.read_text(encoding="utf-8")))
    doc["manifest"]["version"] = version
    doc["manifest"]["parameters"]["evidence"] = EXAMPLE_RULES
    key = load_private_key_file(resources_dir() / "keys" / "demo_issuer_private.pem")
    return bytes(sign_pack(doc, key))
