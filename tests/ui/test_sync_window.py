"""Sync from the window against the real reference server (a subprocess): the status
bar, the list and the detail follow decisions; the panel shows rejected and kept-aside
items; a 401 and a revocation read as pauses; the window stays responsive; cancel."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from core.config import resolve_paths
from core.context import open_context
from core.models import Status
from core.sync.engine import SyncOptions
from tests.helpers.server import RealServer
from tests.ui.conftest import FAST, WindowFactory, context_of, valid_state
from tests.ui.sync_support import enroll_data_dir, new_store_code, save_form, save_generated
from ui.app import make_main_window
from ui.applications_model import COL_STATUS
from ui.detail import DetailDialog
from ui.main_window import MainWindow
from ui.new_application.common import STEP_REVIEW
from ui.problem_model import COL_REASON
from ui.sync_controller import AFTER_SAVE_DELAY_S, STARTUP_DELAY_S
from ui.tasks import SynchronousRunner

SYNC_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with RealServer(tmp_path_factory.mktemp("central")) as srv:
        yield srv


@pytest.fixture(autouse=True)
def no_faults_left(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "server" in request.fixturenames:
        request.getfixturevalue("server").faults()


def click_sync(qtbot: Any, window: MainWindow) -> Any:
    """Toolbar "Sync now"; returns the report once the run is over."""
    with qtbot.waitSignal(window.sync.sig_finished, timeout=SYNC_TIMEOUT_MS) as finished:
        window.act_sync.trigger()
    return finished.args[0]


def save_in_dialog(qtbot: Any, window: MainWindow, **customer: str) -> str:
    """Save the conftest form through the new-application dialog, like a clerk."""
    dialog = window.open_new_application()
    assert dialog is not None
    state = valid_state(**customer)
    state["step"] = STEP_REVIEW
    dialog.restore(state)
    dialog.consent.signed.setChecked(True)  # the customer signed the printed consent
    with qtbot.waitSignal(dialog.sig_saved, timeout=5000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return str(saved.args[0])


def statuses(window: MainWindow, ids: list[str]) -> list[str]:
    model = window.model
    return [model.row_data(model.row_of(i)).status for i in ids]  # type: ignore[union-attr]


def test_status_bar_list_and_detail_follow_two_syncs(
    qtbot: Any, server: RealServer, data_dir: Path, open_window: WindowFactory
) -> None:
    enroll_data_dir(data_dir, server, new_store_code())
    window = open_window()
    bar = window.sync_status
    assert bar.state_button.text() == "Not synced yet"
    assert bar.last_sync_label.text() == "Never synced"
    ids = save_generated(context_of(window), 3)
    window.refresh()
    ids.append(save_in_dialog(qtbot, window, name="王芳"))  # the save refreshes the bar
    assert bar.pending_label.text() == "To upload: 4"
    window.select_application(ids[-1])
    detail = window.open_selected()
    assert isinstance(detail, DetailDialog)
    assert detail.decision_box.decision_label.text().startswith("Not sent yet")

    # First run: the push goes through, the decisions feed answers 503.
    server.faults(path="/v1/decisions", batch_status=503, times=1)
    report = click_sync(qtbot, window)
    assert (report.acked, report.decisions, report.pending) == (4, 0, 0)
    assert window.sync_panel.isVisible()
    assert bar.pending_label.text() == "To upload: 0"
    assert bar.state_button.text() == "● Online"
    assert "HTTP 503" in bar.state_button.toolTip()
    assert statuses(window, ids) == [Status.SUBMITTED] * 4
    assert detail.decision_box.decision_label.text() == "Sent – waiting for head office's decision"

    # Second run: the decisions arrive; list, detail and status bar follow at once.
    report = click_sync(qtbot, window)
    assert report.decisions == 4 and report.exit_code == 0
    decided = statuses(window, ids)
    assert set(decided) <= {Status.APPROVED, Status.DECLINED, Status.REVIEW}
    record = context_of(window).sync.decision(ids[-1])  # type: ignore[union-attr]
    assert record is not None
    assert detail.status() == record.decision
    assert (
        detail.decision_box.decision_label.text()
        == {"approved": "Approved", "declined": "Declined", "review": "Manual review"}[
            record.decision
        ]
    )
    assert detail.decision_box.score_label.text() == str(record.score)
    assert record.decision == "declined" and "SC_BLACKLISTED" in record.reasons  # VALID_ID
    assert "On a blacklist" in detail.decision_box.reasons_label.text()
    assert detail.decision_box.reasons_label.toolTip() == ", ".join(record.reasons)
    assert bar.state_button.text() == "● Online"
    assert bar.last_sync_label.text().startswith("Last sync: 20")
    assert "0 still queued" in window.sync_panel.summary_label.text()
    detail.accept()


def test_a_rejected_application_shows_with_its_reason(
    qtbot: Any, tmp_path: Path, data_dir: Path, open_window: WindowFactory
) -> None:
    """Head office dropped the 12-month term while the store still had the old pack:
    the server's validation returns the application, and the panel says why."""
    with RealServer(tmp_path) as srv:
        enroll_data_dir(data_dir, srv, "REJ01")
        window = open_window(runner=SynchronousRunner())
        kept = save_form(context_of(window), term_months=6, name="王芳", phone="13912345678")
        refused = save_form(context_of(window), name="李强")  # 12 months
        src = json.loads(
            (
                Path(__file__).parents[2]
                / "resources"
                / "rulepacks"
                / "src"
                / "default.unsigned.json"
            ).read_text("utf-8")
        )
        src["manifest"]["version"] = 3  # newer than the shipped v2
        for terms in src["manifest"]["parameters"]["scenarios"].values():
            terms["allowed_terms"] = [t for t in terms["allowed_terms"] if t != 12]
        unsigned = tmp_path / "v2.json"
        unsigned.write_text(json.dumps(src, ensure_ascii=False), encoding="utf-8")
        srv.publish_pack(
            unsigned,
            sign_key=Path(__file__).parents[2] / "resources" / "keys" / "demo_issuer_private.pem",
        )
        window.refresh()
        report = click_sync(qtbot, window)
    assert report.rejected == 1 and report.pack_installed == "cn-retail v3"
    panel = window.sync_panel
    model = panel.rejected_model
    assert model.rowCount() == 1
    assert model.item(0).application_id == refused  # type: ignore[union-attr]
    assert model.data(model.index(0, 0)) == "李强"
    reason = model.data(model.index(0, COL_REASON))
    assert reason.startswith("Head office returned this application:")
    assert "期数" in reason  # the server's own words about the term
    assert panel.rejected_box.title() == "Returned by head office (1)"
    panel.rejected_table.selectRow(0)
    assert panel.rejected_detail.isVisible() and refused in panel.rejected_detail.text()
    assert window.sync_status.attention_button.isVisible()
    assert window.sync_status.attention_button.text() == "1 need attention"
    assert statuses(window, [refused]) == [Status.QUEUED]  # rejected: stays here, queued
    status_cell = window.model.index(window.model.row_of(refused), COL_STATUS)
    assert status_cell.data() == "Queued – returned by head office"
    assert statuses(window, [kept]) != [Status.QUEUED]


def test_a_poisoned_item_is_kept_aside_retried_and_exported(
    qtbot: Any,
    server: RealServer,
    data_dir: Path,
    tmp_path: Path,
    open_window: WindowFactory,
) -> None:
    enroll_data_dir(data_dir, server, new_store_code())
    options = SyncOptions(quarantine_after=1, quarantine_window_s=0)
    window = open_window(
        runner=SynchronousRunner(), sync_options={"timeouts": FAST, "options": options}
    )
    good, poison = save_generated(context_of(window), 2, seed=11)
    server.faults(poison_application_id=poison, batch_status=500)
    report = click_sync(qtbot, window)
    assert (report.acked, report.quarantined) == (1, 1)
    panel = window.sync_panel
    assert panel.quarantined_model.rowCount() == 1
    assert "kept aside" in panel.quarantined_model.reason(0)
    assert not panel.retry_button.isEnabled() and panel.export_button.isEnabled()

    target = tmp_path / "for-it.jsonl"
    panel.export_to(target)
    lines = target.read_text("utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["application_id"] == poison
    assert "1 application(s) written to" in panel.quarantine_message.text()

    server.faults()  # IT fixed the cause
    panel.quarantined_table.selectRow(0)
    assert panel.retry_button.isEnabled()
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert panel.quarantined_model.rowCount() == 0
    assert window.sync_status.pending_label.text() == "To upload: 1"
    report = click_sync(qtbot, window)
    assert report.acked == 1 and report.pending == 0


def test_401_and_revocation_read_as_pauses_and_settings_enroll_again(
    qtbot: Any, server: RealServer, data_dir: Path, open_window: WindowFactory
) -> None:
    store = new_store_code()
    device = enroll_data_dir(data_dir, server, store)
    window = open_window()
    save_generated(context_of(window), 1)
    server.enroll(store, device)  # the same PC id enrolled elsewhere: our token is void
    report = click_sync(qtbot, window)
    assert report.paused == "REENROLL_NEEDED"
    bar, panel = window.sync_status, window.sync_panel
    assert bar.state_button.text() == "Sync paused – enroll this PC again"
    assert (
        "(401)" in panel.state_label.text() and "enroll this PC again" in panel.state_label.text()
    )
    assert bar.state_button.toolTip().startswith(panel.state_label.text())

    settings = window.open_settings()
    assert "(401)" in settings.enrollment_state.text()
    assert settings.server_edit.text() == server.url and settings.store_edit.text() == store
    settings.code_edit.setText(server.add_store(store))
    before = window.context
    with qtbot.waitSignal(settings.sig_enrolled, timeout=SYNC_TIMEOUT_MS):
        qtbot.mouseClick(settings.enroll_button, Qt.MouseButton.LeftButton)
    assert settings.enroll_message.text().startswith("This PC is now enrolled with")
    assert window.context is not before  # services rebuilt from a fresh context
    assert not bar.headline.kind.startswith("paused")  # type: ignore[union-attr]
    settings.accept()
    assert click_sync(qtbot, window).pending == 0

    server.revoke(device)
    report = click_sync(qtbot, window)
    assert report.paused == "DEVICE_REVOKED"
    assert bar.state_button.text() == "Sync stopped – this PC was revoked"
    assert "(403)" in panel.state_label.text()


def test_the_window_stays_responsive_during_a_slow_sync_and_cancel_works(
    qtbot: Any, server: RealServer, data_dir: Path, open_window: WindowFactory
) -> None:
    enroll_data_dir(data_dir, server, new_store_code())
    window = open_window()
    save_generated(context_of(window), 3)
    server.faults(slow_reply_seconds=2)  # the batch commits, then the reply is held back
    events: list[tuple[str, bool]] = []  # what happened on the GUI thread, and was sync running

    def note(what: str) -> None:
        events.append((what, window.sync.running))

    ticker = QTimer(window)  # a GUI-thread timer: each tick is a turn of the event loop
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: note("tick"))
    window.sync.sig_finished.connect(lambda _report: note("finished"))
    ticker.start()
    panel = window.sync_panel

    with qtbot.waitSignal(window.sync.sig_finished, timeout=SYNC_TIMEOUT_MS) as finished:
        window.act_sync.trigger()
        assert window.sync.running and not panel.sync_button.isEnabled()
        assert not panel.progress_box.isVisible()  # not before the progress delay fires
        qtbot.keyClicks(window.search, "abc")  # the search box takes typing meanwhile
        assert window.search.text() == "abc"
        qtbot.waitUntil(panel.progress_box.isVisible, timeout=3000)
        note("progress shown")
        assert window.sync_status.busy_label.isVisible()
        assert panel.phase_label.text() == "Sending applications…"
        assert panel.cancel_button.isEnabled()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        note("cancel clicked")
        assert not panel.cancel_button.isEnabled()
    ticker.stop()
    report = finished.args[0]
    assert window.sync.running is False
    assert report.cancelled and report.acked == 3  # what was sent stays sent
    # the order of events: the bar came up and cancel was clicked while the job still
    # waited for the held reply, and the event loop kept turning (ticks) until it ended
    assert ("progress shown", True) in events and ("cancel clicked", True) in events
    clicked, ended = events.index(("cancel clicked", True)), events.index(("finished", False))
    assert clicked < ended
    assert ("tick", True) in events[: events.index(("progress shown", True))]
    assert ("tick", True) in events[clicked:ended]  # still turning after the click
    assert not panel.progress_box.isVisible()
    assert panel.summary_label.text().endswith("Sync was cancelled.")
    assert panel.sync_button.isEnabled()


def test_offline_not_enrolled_and_the_automatic_sync(
    qtbot: Any, tmp_path: Path, data_dir: Path, open_window: WindowFactory
) -> None:
    window = open_window(runner=SynchronousRunner(), auto_sync=True)
    bar = window.sync_status
    assert bar.state_button.text() == "Not enrolled – sync is off"
    window.sync.sync_now()
    assert "not enrolled" in window.sync_panel.summary_label.text()
    assert window.sync.next_auto_ms == -1  # nothing to do until IT enrolls this PC
    window.close()

    srv = RealServer(tmp_path)
    enroll_data_dir(data_dir, srv, "OFF01")
    srv.stop()
    window = open_window(runner=SynchronousRunner(), auto_sync=True)
    soon = STARTUP_DELAY_S * 1000 * 1.1  # a coarse timer may run 5% late
    assert 0 < window.sync.next_auto_ms <= soon  # the first run, soon after the window opens
    save_in_dialog(qtbot, window, name="赵敏")
    assert window.sync.last_report is None
    assert 0 < window.sync.next_auto_ms <= AFTER_SAVE_DELAY_S * 1000 * 1.1  # still soon
    window.sync.sync_now()
    report = window.sync.last_report
    assert report is not None and not report.online and report.pending == 1
    assert window.sync_status.state_button.text() == "● Offline"
    assert "cannot be reached" in window.sync_status.state_button.toolTip()
    assert window.sync.next_auto_ms > 0  # tries again later by itself
    ctx = open_context(resolve_paths(data_dir))
    try:
        assert ctx.sync.pending_count() == 1  # type: ignore[union-attr]
    finally:
        ctx.close()


def test_the_sync_screens_speak_chinese(qtbot: Any, ctx: Any) -> None:
    window = make_main_window(ctx, "zh_CN", runner=SynchronousRunner(), auto_sync=False)
    qtbot.addWidget(window)
    assert window.act_sync.text() == "立即同步(&Y)"
    assert window.act_settings.text() == "设置(&S)…"
    assert window.sync_panel.toggleViewAction().text() == "同步面板(&P)"
    assert window.sync_panel.windowTitle() == "与总部同步"
    assert window.sync_panel.phase_text("push") == "正在发送申请…"
    assert window.sync_status.state_button.text() == "本机未注册——不同步"
    assert window.sync_status.pending_label.text() == "待上传：0 份"
    window.sync.sync_now()
    assert window.sync_panel.summary_label.text().startswith("本机尚未注册到总部服务器")
    settings = window.open_settings()
    assert settings.windowTitle() == "设置"
    assert settings.enroll_button.text() == "注册本机(&E)"
    settings.accept()
    window.close()
