"""Realistic demo data; kept under this name for its many callers (tests, benchmarks,
``main.py seed-demo``, ``--demo``). The code lives in :mod:`core.demo_data`:
vocabulary, the one-application generator, one PC's data, and the many-store world
with its planted cross-store patterns."""

from __future__ import annotations

from core.demo_data.generator import DemoGenerator, Planned, Timeline, auto_days, paper_consent
from core.demo_data.single_pc import ProgressFn, SeedResult, generate, seed_demo
from core.demo_data.vocab import (
    CITIES,
    ETHNIC_NAMES,
    GIVEN,
    MOBILE_PREFIXES,
    SURNAMES,
    load_demo_catalog,
)

__all__ = [
    "CITIES",
    "ETHNIC_NAMES",
    "GIVEN",
    "MOBILE_PREFIXES",
    "SURNAMES",
    "DemoGenerator",
    "Planned",
    "ProgressFn",
    "SeedResult",
    "Timeline",
    "auto_days",
    "generate",
    "load_demo_catalog",
    "paper_consent",
    "seed_demo",
]
