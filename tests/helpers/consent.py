"""Consent for tests that build applications by hand: the customer signed the current
texts on paper (core.demo_data.paper_consent). The service still refuses an application
without consent; tests that are about that leave it out."""

from __future__ import annotations

import dataclasses
from datetime import date

from core.demo_data import paper_consent
from core.models import ApplicationInput


def with_consent(app: ApplicationInput, day: date | None = None) -> ApplicationInput:
    return dataclasses.replace(app, consent=paper_consent(day or date(2025, 1, 1)))
