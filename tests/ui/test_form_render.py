"""The form's four steps rendered at 1366x768 in Chinese and English: every label and
button shows its whole text (nothing clipped). The PNGs go to $LOANDESK_SHOTS when set
(to look at them), else to the test's tmp folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from core.context import AppContext
from tests.ui.conftest import form_for, valid_state
from tests.ui.gui_gc import widgets_collected_here  # noqa: F401  (autouse)
from ui.app import install_translations
from ui.db_lane import CoreLane
from ui.new_application import NewApplicationDialog


def _clipped(dlg: NewApplicationDialog) -> list[str]:
    """Visible labels and buttons narrower than their text needs."""
    bad = []
    for widget in dlg.findChildren(QLabel) + dlg.findChildren(QAbstractButton):
        if not widget.isVisible() or not widget.text():
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            continue
        if widget.width() < widget.minimumSizeHint().width() - 1:
            bad.append(f"{widget.objectName() or type(widget).__name__}: {widget.text()[:30]}")
    return bad


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_each_step_renders_unclipped_at_1366x768(
    qtbot: Any, ctx: AppContext, lane: CoreLane, tmp_path: Path, lang: str
) -> None:
    install_translations(QApplication.instance(), lang)  # type: ignore[arg-type]
    out = Path(os.environ.get("LOANDESK_SHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    dlg = NewApplicationDialog(form_for(lane), lang)
    dlg.resize(1366, 768)
    dlg.show()
    qtbot.waitExposed(dlg)
    state = valid_state(phone="+86 138 0013 8000")
    dlg.restore(state)
    for step in range(4):
        dlg.show_step(step)
        QApplication.processEvents()
        assert _clipped(dlg) == [], (lang, step)
        dlg.grab().save(str(out / f"form_{lang}_step{step}.png"))
    dlg.done(0)
    dlg.deleteLater()
