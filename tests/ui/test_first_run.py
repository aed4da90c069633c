"""The first-run screen's enrollment part: pre-filled from the rollout file, the automatic
enrollment's outcome shown, and enrolling by hand, against the real reference server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from core.context import AppContext
from core.rollout import ROLLOUT_FILENAME, RolloutConfig, is_enrolled, load_rollout
from core.sync.http import Timeouts
from tests.helpers.server import RealServer
from tests.ui.session_support import make_session  # noqa: F401  (fixture)
from ui.first_run import EnrolmentPanel
from ui.login import SetupDialog

FAST = Timeouts(connect=2.0, read=5.0, deadline=8.0)
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with RealServer(tmp_path_factory.mktemp("first-run-server")) as srv:
        yield srv


def rollout(tmp_path: Path, text: str) -> RolloutConfig:
    folder = tmp_path / "exe"
    folder.mkdir(exist_ok=True)
    (folder / ROLLOUT_FILENAME).write_text(text, encoding="utf-8-sig")
    return load_rollout({}, file=folder / ROLLOUT_FILENAME)


_dialogs: list[SetupDialog] = []


@pytest.fixture(autouse=True)
def close_dialogs() -> Iterator[None]:
    """Each dialog is closed at the end (which stops its panel's worker thread)."""
    yield
    while _dialogs:
        _dialogs.pop().close()


def panel_for(qtbot: Any, ctx: AppContext, config: RolloutConfig) -> EnrolmentPanel:
    panel = EnrolmentPanel(ctx.paths, config, "en", timeouts=FAST)
    dialog = SetupDialog(lambda *_a: "unused", "en", enrolment=panel)
    qtbot.addWidget(dialog)
    _dialogs.append(dialog)
    dialog.show()
    return panel


def start_and_wait(qtbot: Any, panel: EnrolmentPanel) -> None:
    with qtbot.waitSignal(panel.sig_outcome, timeout=WAIT_MS):
        panel.start()
    qtbot.waitUntil(lambda: not panel.task_runner.busy(), timeout=WAIT_MS)


def test_fields_are_pre_filled_and_the_automatic_enrollment_is_shown(
    qtbot: Any, ctx: AppContext, server: RealServer, tmp_path: Path
) -> None:
    code = server.add_store("F001", "一号店", "北京")
    config = rollout(
        tmp_path,
        f"; 部署\nserver_url = {server.url}\nstore_code = F001\nenrollment_code = {code}\n",
    )
    panel = panel_for(qtbot, ctx, config)
    assert panel.server_edit.text() == server.url and panel.store_edit.text() == "F001"
    assert panel.code_edit.text() == code
    assert panel.code_edit.echoMode() == QLineEdit.EchoMode.PasswordEchoOnEdit
    assert str(config.file) in panel.source_label.text()
    assert not panel.enroll_button.isEnabled()  # until the data is open
    start_and_wait(qtbot, panel)
    assert panel.outcome is not None and panel.outcome.status == "enrolled"
    assert "F001" in panel.status_label.text() and "一号店" in panel.status_label.text()
    assert is_enrolled(ctx)
    assert panel.code_edit.text() == "" and not panel.enroll_button.isEnabled()


def test_problems_and_an_automatic_failure_are_shown_plainly(
    qtbot: Any, ctx: AppContext, tmp_path: Path
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = rollout(
        tmp_path,
        f"server_url = http://127.0.0.1:{port}\nstore_code = F002\n"
        "enrollment_code = ABCD-EFGH\nlangauge = en\n",
    )
    panel = panel_for(qtbot, ctx, config)
    assert panel.problems_label.isVisibleTo(panel)
    assert "langauge" in panel.problems_label.text()
    start_and_wait(qtbot, panel)
    assert panel.outcome is not None and panel.outcome.code == "SYNC_UNREACHABLE"
    assert "cannot be reached" in panel.status_label.text()
    assert panel.enroll_button.isEnabled()  # IT may try again by hand


def test_enrolling_by_hand_works_and_a_wrong_code_is_explained(
    qtbot: Any, ctx: AppContext, server: RealServer, tmp_path: Path
) -> None:
    panel = panel_for(qtbot, ctx, load_rollout({}, file=tmp_path / "none.ini"))
    start_and_wait(qtbot, panel)
    assert panel.status_label.text() == "This PC is not enrolled yet."
    qtbot.mouseClick(panel.enroll_button, Qt.MouseButton.LeftButton)  # nothing typed
    assert panel.server_error.text() == "Fill this in." and panel.outcome is not None
    assert panel.outcome.status == "not_configured"
    qtbot.keyClicks(panel.server_edit, server.url)
    qtbot.keyClicks(panel.store_edit, "F003")
    qtbot.keyClicks(panel.code_edit, "WRONG-CODE-1")
    server.add_store("F003")
    with qtbot.waitSignal(panel.sig_outcome, timeout=WAIT_MS):
        qtbot.mouseClick(panel.enroll_button, Qt.MouseButton.LeftButton)
    assert panel.outcome.code == "SYNC_ENROLL_REFUSED"
    assert "Check the store code" in panel.status_label.text()
    qtbot.waitUntil(panel.enroll_button.isEnabled, timeout=WAIT_MS)
    panel.code_edit.clear()
    qtbot.keyClicks(panel.code_edit, server.add_store("F003"))
    with qtbot.waitSignal(panel.sig_outcome, timeout=WAIT_MS):
        qtbot.mouseClick(panel.enroll_button, Qt.MouseButton.LeftButton)
    assert panel.outcome.status == "enrolled" and is_enrolled(ctx)
    assert "F003" in panel.status_label.text()


def test_the_session_first_run_screen_has_the_enrollment_part(
    qtbot: Any,
    ctx: AppContext,
    make_session: Any,  # noqa: F811
    server: RealServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = server.add_store("F004")
    config = rollout(
        tmp_path, f"server_url = {server.url}\nstore_code = F004\nenrollment_code = {code}\n"
    )
    monkeypatch.setenv("LOANDESK_ROLLOUT_FILE", str(config.file))
    session = make_session()
    session.start()
    dialog = session.setup_dialog
    assert dialog is not None and dialog.enrolment is not None
    panel = dialog.enrolment
    qtbot.waitUntil(lambda: panel.outcome is not None, timeout=WAIT_MS)
    assert panel.outcome is not None and panel.outcome.status == "enrolled", panel.outcome
    qtbot.waitUntil(lambda: not panel.task_runner.busy(), timeout=WAIT_MS)
    assert is_enrolled(ctx)
