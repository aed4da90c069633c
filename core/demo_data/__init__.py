"""Demo data for LoanDesk, deterministic for a given seed.

- :mod:`vocab`: names, cities and streets, mobile prefixes, the demo catalog;
- :mod:`generator`: one realistic application at a time, opening-hours timestamps;
- :mod:`single_pc`, :mod:`single_fraud`: one PC's data (``seed-demo``);
- :mod:`world`, :mod:`people`, :mod:`planted`: many stores and PCs in time order, with
  families, shared buildings, repeat customers and cross-store planted patterns;
- :mod:`save_world`, :mod:`truth`: saving a world to one data folder per PC, the head
  office's store register and the truth file (``seed-demo --stores N``).

Nothing here imports Qt; every module imports only the ones listed before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.lazy import lazy_exports

# What the callers (tests, benchmarks, ``main.py seed-demo``, ``--demo``) take from here,
# imported on first use so that importing one module of the package stays light.
_HOME = {
    "DemoGenerator": "generator",
    "Planned": "generator",
    "Timeline": "generator",
    "auto_days": "generator",
    "paper_consent": "generator",
    "ProgressFn": "single_pc",
    "SeedResult": "single_pc",
    "generate": "single_pc",
    "seed_demo": "single_pc",
    "CITIES": "vocab",
    "ETHNIC_NAMES": "vocab",
    "GIVEN": "vocab",
    "MOBILE_PREFIXES": "vocab",
    "SURNAMES": "vocab",
    "load_demo_catalog": "vocab",
}

if TYPE_CHECKING:
    from core.demo_data.generator import (
        DemoGenerator,
        Planned,
        Timeline,
        auto_days,
        paper_consent,
    )
    from core.demo_data.single_pc import ProgressFn, SeedResult, generate, seed_demo
    from core.demo_data.vocab import (
        CITIES,
        ETHNIC_NAMES,
        GIVEN,
        MOBILE_PREFIXES,
        SURNAMES,
        load_demo_catalog,
    )

__getattr__ = lazy_exports("core.demo_data", _HOME, globals())

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
