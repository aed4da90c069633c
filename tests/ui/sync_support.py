"""Helpers for the sync GUI tests: enrolling a data dir with a real server, applications
saved as a clerk would."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.validation.application import parse_application
from tests.helpers.consent import with_consent
from tests.helpers.server import RealServer
from tests.ui.conftest import CLEAN_ID, FAST, valid_state

_stores = itertools.count(1)


def new_store_code() -> str:
    return f"UI{next(_stores):03d}"


def enroll_data_dir(data_dir: Path, server: RealServer, store: str) -> str:
    """Enroll the PC of ``data_dir`` as ``store`` (as IT would); returns its device id."""
    code = server.add_store(store, "测试门店", "北京")
    ctx = open_context(resolve_paths(data_dir))
    try:
        assert ctx.sync is not None
        return ctx.sync.enroll(server.url, store, code, timeouts=FAST).device_id
    finally:
        ctx.close()


def save_generated(ctx: AppContext, count: int, seed: int = 3) -> list[str]:
    gen = DemoGenerator(seed, datetime.now(UTC).date(), load_demo_catalog())
    return [ctx.applications.save(gen.application()) for _ in range(count)]


def save_form(ctx: AppContext, term_months: int = 12, **customer: str) -> str:
    """The conftest form (an appliance, 12 months) with a clean ID, saved."""
    state = valid_state(**{"id_number": CLEAN_ID, **customer})
    state["form"]["terms"]["term_months"] = term_months
    result = parse_application(state["form"], today=datetime.now(UTC).date())
    assert result.value is not None, result.errors
    return ctx.applications.save(with_consent(result.value))
