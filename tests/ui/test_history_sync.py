"""The History names who started a sync: a clerk presses "Sync now" in the window, and
the steps that run took read "Sync (<the clerk>)" / "同步（<the clerk>）"; the steps of
an automatic run read "Sync (automatic)" / "同步（自动）". Against the real reference
server, on real data folders, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from core import i18n
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.security.permissions import Role
from tests.helpers.roles import operator
from tests.helpers.server import RealServer
from tests.ui.conftest import FAST, detail_for, lane_for
from tests.ui.sync_support import enroll_data_dir, new_store_code, save_form
from ui.app import install_translations, make_main_window
from ui.tasks import SynchronousRunner

SYNC_ACTIONS = ("submitted", "decided")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with RealServer(tmp_path_factory.mktemp("central")) as srv:
        yield srv


@pytest.fixture
def english_after() -> Iterator[None]:
    yield
    install_translations(QApplication.instance(), "en")  # type: ignore[arg-type]


def who_synced(qtbot: Any, ctx: AppContext, app_id: str, lang: str) -> list[str]:
    """The Operator column of the History rows the sync wrote on ``app_id``."""
    dialog = detail_for(lane_for(ctx), ctx.actor, app_id, lang)
    qtbot.addWidget(dialog)
    history = dialog.history_model
    rows = [
        [history.index(r, c).data() for c in range(history.columnCount())]
        for r in range(history.rowCount())
    ]
    actions = {i18n.translate(f"ACTION_{a}", lang) for a in SYNC_ACTIONS}
    synced = [row[1] for row in rows if row[2] in actions]
    assert len(synced) == 2, rows  # sent to head office, then its decision
    assert all(row[1] for row in rows)  # every step names who (or what) took it
    return synced


def test_history_names_who_pressed_sync_now(
    qtbot: Any, server: RealServer, data_dir: Path, english_after: None
) -> None:
    enroll_data_dir(data_dir, server, new_store_code())
    ctx = open_context(resolve_paths(data_dir))
    try:
        clerk = ctx.as_operator(operator(ctx, Role.CLERK))
        by_hand = save_form(clerk)
        options = {"runner": SynchronousRunner(), "sync_options": {"timeouts": FAST}}
        window = make_main_window(clerk, "en", auto_sync=False, **options)
        qtbot.addWidget(window)
        window.act_sync.trigger()  # "Sync now", as the clerk
        report = window.sync.last_report
        assert report is not None and (report.acked, report.decisions) == (1, 1)
        automatic = save_form(clerk)
        window.sync.sync_now(manual=False)  # what the timer and a save start
        report = window.sync.last_report
        assert report is not None and (report.acked, report.decisions) == (1, 1)
        window.close()

        assert who_synced(qtbot, clerk, by_hand, "en") == ["Sync (测试clerk)"] * 2
        assert who_synced(qtbot, clerk, automatic, "en") == ["Sync (automatic)"] * 2
        install_translations(QApplication.instance(), "zh_CN")  # type: ignore[arg-type]
        assert who_synced(qtbot, clerk, by_hand, "zh_CN") == ["同步（测试clerk）"] * 2
        assert who_synced(qtbot, clerk, automatic, "zh_CN") == ["同步（自动）"] * 2
    finally:
        ctx.close()
