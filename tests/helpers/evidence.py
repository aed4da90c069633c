"""Saving as a clerk does: the photos the rule pack requires of an application
(ID card front and back above its amount, the customer with the goods) attached to the
open form first (core.demo_data.photos' small JPEGs), then the save."""

from __future__ import annotations

from datetime import datetime

from core.applications import ApplicationService
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
