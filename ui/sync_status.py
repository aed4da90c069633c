"""The sync part of the status bar: online or not, what waits to go out, when the last
sync was, and a pause in plain words. A click opens the sync panel."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from core.api import StorageEnvironmentError
from core.sync.service import SyncStatus
from ui.formatting import local_time
from ui.sync_controller import SyncController
from ui.widgets import error_text

log = logging.getLogger("loandesk.ui.sync")

GREEN, ORANGE, RED, GREY = "#2e7d32", "#b26a00", "#c62828", "#616161"


@dataclass(frozen=True)
class Headline:
    """What the status bar says about sync, and the longer explanation."""

    kind: str  # online | offline | never | not_enrolled | paused | revoked | blocked | error
    text: str
    colour: str
    detail: str


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class SyncStatusWidget(QWidget):
    sig_open_panel = Signal()
    """The clerk clicked the sync status: show the sync panel."""

    def __init__(
        self, controller: SyncController, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self._controller = controller
        self._lang = lang
        self.headline: Headline | None = None

        self.state_button = QToolButton()
        self.state_button.setObjectName("sync_state_button")
        self.state_button.setAutoRaise(True)
        self.state_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.state_button.clicked.connect(self.sig_open_panel.emit)
        self.attention_button = QToolButton()
        self.attention_button.setObjectName("sync_attention_button")
        self.attention_button.setAutoRaise(True)
        self.attention_button.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.attention_button.setToolTip(
            self.tr(
                "Applications head office returned or that were kept aside: open the sync panel"
            )
        )
        self.attention_button.clicked.connect(self.sig_open_panel.emit)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("sync_pending_label")
        self.last_sync_label = QLabel()
        self.last_sync_label.setObjectName("sync_last_label")
        self.busy_label = QLabel(self.tr("Syncing…"))
        self.busy_label.setObjectName("sync_busy_label")
        self.busy_label.setStyleSheet(f"color: {GREEN};")
        self.busy_label.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for widget in (
            self.busy_label,
            self.state_button,
            self.attention_button,
            _separator(),
            self.pending_label,
            _separator(),
            self.last_sync_label,
            _separator(),
        ):
            layout.addWidget(widget)

        controller.sig_state_changed.connect(self.refresh)
        controller.progress_delay.sig_visible_changed.connect(self.busy_label.setVisible)
        controller.sig_progress.connect(self._on_progress)
        controller.sig_started.connect(lambda: self.busy_label.setText(self.tr("Syncing…")))
        self.refresh()

    def refresh(self) -> None:
        """Re-read the sync state (after a sync, a save, a retry, an enrollment)."""
        if not self._controller.state_known:
            return  # read on the lane; sig_state_changed brings it
        try:
            state = self._controller.status()
        except StorageEnvironmentError as exc:
            log.warning("sync state unreadable: %s", exc.code)
            self._show(
                Headline(
                    "error", self.tr("Sync state unreadable"), RED, error_text(exc, self._lang)
                )
            )
            return
        self._show(self.describe(state))
        self.pending_label.setText(self.tr("To upload: %1").replace("%1", str(state.pending)))
        attention = state.rejected + state.quarantined
        self.attention_button.setText(self.tr("%1 need attention").replace("%1", str(attention)))
        self.attention_button.setVisible(attention > 0)
        self.last_sync_label.setText(
            self.tr("Last sync: %1").replace("%1", local_time(state.last_sync_at))
            if state.last_sync_at
            else self.tr("Never synced")
        )

    def describe(self, state: SyncStatus) -> Headline:
        blocked = self._controller.blocking_failure()
        if blocked is not None and state.enrolled and not state.paused_reason:
            return Headline(
                "blocked", self.tr("Sync paused – ask IT"), RED, error_text(blocked, self._lang)
            )
        message = state.message(self._lang)
        if not state.enrolled:
            return Headline("not_enrolled", self.tr("Not enrolled – sync is off"), GREY, message)
        if state.paused_reason == "DEVICE_REVOKED":
            return Headline("revoked", self.tr("Sync stopped – this PC was revoked"), RED, message)
        if state.paused_reason:
            return Headline("paused", self.tr("Sync paused – enroll this PC again"), RED, message)
        if state.online is None:
            return Headline("never", self.tr("Not synced yet"), GREY, message)
        if state.online:
            return Headline(
                "online",
                self.tr("● Online"),
                GREEN,
                message
                or self.tr("Connected to head office (%1)").replace("%1", state.server_url or ""),
            )
        return Headline(
            "offline",
            self.tr("● Offline"),
            ORANGE,
            message
            or self.tr(
                "Head office could not be reached at the last sync; applications stay queued here."
            ),
        )

    def _show(self, headline: Headline) -> None:
        self.headline = headline
        self.state_button.setText(headline.text)
        self.state_button.setStyleSheet(f"color: {headline.colour}; font-weight: bold;")
        tip = headline.detail or headline.text
        self.state_button.setToolTip(tip + "\n\n" + self.tr("Click for the sync panel."))

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        self.busy_label.setText(self.tr("Syncing…") + (f" {done}/{total}" if total else ""))
