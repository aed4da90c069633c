"""The detail view at the size it opens at on a 1366×768 screen, in Chinese and English:
every tab rendered offscreen, no label clipped (narrower or shorter than its text
needs, or cut off by its parent) and no two labels overlapping, with a decision whose
reasons run to several lines."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.security.permissions import Role
from core.store.repositories import Repositories
from core.store.sync_repo import DecisionRecord, SyncRepo
from tests.helpers.consent import with_consent
from tests.helpers.roles import operator, planted
from tests.ui.conftest import detail_for, lane_for
from tests.ui.layout_check import clipped, overlapping
from ui.app import install_translations
from ui.detail import DetailDialog
from ui.detail_layout import opening_size

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
SCREEN = QSize(1366, 768)
SHOTS = Path(os.environ.get("LOANDESK_SCREENSHOTS", tempfile.gettempdir()))  # to look at
REASONS = (
    "SC_PTI_ELEVATED",
    "SC_LOW_DOWN_PAYMENT",
    "SC_STORE_REFERRED",
    "SC_INCOME_LOW",
    "SC_AGE_HIGH",
    "SC_BLACKLISTED",
)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[AppContext, str]]:
    """An application whose amounts run into thousands (8,898.00), whose receipt has
    reasons, and whose decision has six."""
    ctx = open_context(resolve_paths(tmp_path / "shop"), FixedClock(T0))
    gen = DemoGenerator(3, T0.date(), load_demo_catalog(), ctx.applications.policy)
    app_id = ctx.applications.save(with_consent(planted(gen.application())))
    with ctx.db.atomic():  # head office answered twice: approved, then revised to review
        repo = Repositories(ctx.db)
        for decision, reasons in (("approved", ["SC_INCOME_LOW"]), ("review", list(REASONS))):
            detail = {"decision": decision, "score": 512, "reasons": reasons}
            repo.audit(T0.isoformat(), None, "decision", "application", app_id, detail=detail)
        SyncRepo(ctx.db).upsert_decision(
            DecisionRecord(
                app_id, "review", 889800, 512, REASONS, T0.isoformat(), 1, T0.isoformat()
            )
        )
    yield ctx, app_id
    ctx.close()


def _render(qtbot: Any, ctx: AppContext, app_id: str, lang: str) -> DetailDialog:
    install_translations(QApplication.instance(), lang)  # type: ignore[arg-type]
    manager = ctx.as_operator(operator(ctx, Role.FIELD_MANAGER))  # with the Show buttons
    dialog = detail_for(lane_for(manager), manager.actor, app_id, lang)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(opening_size(SCREEN))
    QApplication.processEvents()
    return dialog


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_no_label_is_clipped_or_overlapped_at_1366x768(
    qtbot: Any, shop: Any, lang: str, tmp_path: Path
) -> None:
    ctx, app_id = shop
    dialog = _render(qtbot, ctx, app_id, lang)
    size = dialog.size()
    assert size.width() <= SCREEN.width() and size.height() <= SCREEN.height() - 40
    problems: list[str] = []
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        dialog.grab().save(str(SHOTS / f"detail_{lang}_{index}.png"))
        tab = dialog.tabs.tabText(index)
        problems += [f"[{tab}] {p}" for p in clipped(dialog)]
        problems += [f"[{tab}] overlap {p}" for p in overlapping(dialog)]
    assert problems == []
    dialog.tabs.setCurrentIndex(0)
    assert dialog.decision_box.revised_label.isVisibleTo(dialog)  # a revision, shown too
    reasons = dialog.decision_box.reasons_label
    assert reasons.height() >= reasons.heightForWidth(reasons.width())  # every line shown
    dialog.close()
