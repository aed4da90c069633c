"""The pre-screen outcome as the clerk sees it: a coloured badge (PASS / REFER /
DECLINE), one line on what to do, each reason in the clerk's language tagged with the
side it is about (customer, store, data, system), and the rule pack that decided.

Used on the review step of the new-application form and in the application detail
(where the receipt's inputs sha256 is shown too, so the centre can replay it).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from core.prescreen.outcome import PrescreenOutcome
from core.prescreen.reason import Reason
from ui.widgets import monospace_font

PASS, REFER, DECLINE = "PASS", "REFER", "DECLINE"
RULES_STALE = "RULES_STALE"
SIDES = ("borrower", "merchant", "data", "system")
_SEVERITY_ORDER = {DECLINE: 0, REFER: 1}

# background, text colour
OUTCOME_COLOURS: dict[str, tuple[str, str]] = {
    PASS: ("#2e7d32", "#ffffff"),
    REFER: ("#ffb300", "#212121"),
    DECLINE: ("#c62828", "#ffffff"),
}
_NONE_COLOURS = ("#e0e0e0", "#424242")
SEVERITY_COLOURS = {DECLINE: "#c62828", REFER: "#e69500"}
STALE_STYLE = "color: #8a5a00; background: #fff8e1; border: 1px solid #ffcc80; padding: 4px 6px;"


def outcome_text(outcome: str | None) -> str:
    """通过 / 转人工 / 拒绝 (Pass / Refer / Decline); a dash when there is none."""
    if outcome == PASS:
        return QCoreApplication.translate("PrescreenView", "Pass")
    if outcome == REFER:
        return QCoreApplication.translate("PrescreenView", "Refer")
    if outcome == DECLINE:
        return QCoreApplication.translate("PrescreenView", "Decline")
    return "—"


def side_text(side: str) -> str:
    """Whom a reason is about: 客户 / 门店 / 数据 / 系统."""
    if side == "borrower":
        return QCoreApplication.translate("PrescreenView", "Customer")
    if side == "merchant":
        return QCoreApplication.translate("PrescreenView", "Store")
    if side == "data":
        return QCoreApplication.translate("PrescreenView", "Data")
    return QCoreApplication.translate("PrescreenView", "System")


def severity_text(severity: str) -> str:
    return outcome_text(DECLINE if severity == DECLINE else REFER)


def pack_text(outcome: PrescreenOutcome) -> str:
    """ "Rule pack cn-retail v1", or that none was usable."""
    if outcome.pack_id is None:
        return QCoreApplication.translate(
            "PrescreenView", "Rule pack: none in use (out of date or missing)"
        )
    text = QCoreApplication.translate("PrescreenView", "Rule pack %1 v%2")
    return text.replace("%1", outcome.pack_id).replace("%2", str(outcome.pack_version))


def headline_text(outcome: PrescreenOutcome) -> str:
    """One line on what the outcome means for the clerk."""
    if outcome.outcome == DECLINE:
        return QCoreApplication.translate(
            "PrescreenView",
            "This application cannot go ahead. Tell the customer the reasons below; "
            "save it anyway to keep the record.",
        )
    if RULES_STALE in outcome.codes:
        return QCoreApplication.translate(
            "PrescreenView",
            "Rules out of date – refer. This is not an error: save the application as "
            "usual; it goes to manual review.",
        )
    if outcome.outcome == REFER:
        return QCoreApplication.translate(
            "PrescreenView", "Save the application; it goes to manual review for the reasons below."
        )
    return QCoreApplication.translate(
        "PrescreenView", "The pre-screen found nothing against this application."
    )


def sorted_reasons(reasons: tuple[Reason, ...]) -> list[Reason]:
    """Customer first, then store, data and system; within a side, declines first."""
    return sorted(
        reasons,
        key=lambda r: (
            SIDES.index(r.side) if r.side in SIDES else len(SIDES),
            _SEVERITY_ORDER.get(r.severity, 2),
        ),
    )


class OutcomeBadge(QLabel):
    """The outcome as a coloured pill: green 通过, amber 转人工, red 拒绝."""

    def __init__(
        self, name: str = "prescreen_badge", parent: QWidget | None = None, *, scale: float = 1.3
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * scale)
        self.setFont(font)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.outcome: str | None = None
        self.set_outcome(None)

    def set_outcome(self, outcome: str | None, text: str = "") -> None:
        """Show ``outcome``; with none, ``text`` (default a dash) on grey."""
        self.outcome = outcome
        background, colour = OUTCOME_COLOURS.get(outcome or "", _NONE_COLOURS)
        self.setStyleSheet(
            f"background: {background}; color: {colour}; border-radius: 4px; padding: 3px 14px;"
        )
        self.setText(outcome_text(outcome) if outcome or not text else text)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.text()) + 32)


def _chip(text: str, name: str, style: str) -> QLabel:
    chip = QLabel(text)
    chip.setObjectName(name)
    chip.setStyleSheet(style)
    chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
    chip.setTextFormat(Qt.TextFormat.PlainText)
    return chip


class PrescreenView(QFrame):
    """Badge, what it means, the reasons by side, the rule pack (and the inputs digest)."""

    def __init__(
        self, lang: str, parent: QWidget | None = None, *, show_digest: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("prescreen_view")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._lang = lang
        self.result: PrescreenOutcome | None = None

        self.badge = OutcomeBadge("prescreen_badge")
        self.headline = QLabel()
        self.headline.setObjectName("prescreen_headline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.pack_label = QLabel()
        self.pack_label.setObjectName("prescreen_pack")
        self.pack_label.setStyleSheet("color: #555;")
        self.pack_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stale_note = _chip(
            self.tr("Rules out of date – refer"), "prescreen_stale", STALE_STYLE
        )
        self.stale_note.hide()
        self.message = QLabel()
        self.message.setObjectName("prescreen_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #555;")
        self.message.hide()

        self.reasons_box = QWidget()
        self.reasons_box.setObjectName("prescreen_reasons")
        self.reasons_grid = QGridLayout(self.reasons_box)
        self.reasons_grid.setContentsMargins(0, 4, 0, 0)
        self.reasons_grid.setHorizontalSpacing(8)
        self.reasons_grid.setVerticalSpacing(6)
        self.reasons_grid.setColumnStretch(2, 1)
        self.reason_labels: list[QLabel] = []

        title = QLabel(self.tr("Pre-screen"))
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.badge)
        head.addWidget(self.stale_note)
        head.addStretch(1)
        head.addWidget(self.pack_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(head)
        layout.addWidget(self.headline)
        layout.addWidget(self.message)
        layout.addWidget(self.reasons_box)

        self.digest_value: QLabel | None = None
        if show_digest:
            digest_row = QHBoxLayout()
            caption = QLabel(self.tr("Inputs SHA-256:"))
            caption.setStyleSheet("color: #555;")
            self.digest_value = QLabel()
            self.digest_value.setObjectName("prescreen_sha256")
            small = monospace_font()
            small.setPointSizeF(max(small.pointSizeF() - 1.0, 8.0))
            self.digest_value.setFont(small)
            self.digest_value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            self.digest_value.setToolTip(
                self.tr(
                    "The digest of what the rules saw: the "
                    "credit centre uses it to replay this "
                    "decision."
                )
            )
            digest_row.addWidget(caption)
            digest_row.addWidget(self.digest_value, 1)
            layout.addLayout(digest_row)
        self.show_message(self.tr("No pre-screen yet."))

    # --- what tests and the dialogs read ------------------------------------------------
    def outcome(self) -> str | None:
        return self.result.outcome if self.result is not None else None

    def reason_texts(self) -> list[str]:
        return [label.text() for label in self.reason_labels]

    # --- filling ----------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """No outcome to show (form incomplete, no receipt, pre-screen failed): say why."""
        self.result = None
        self.badge.set_outcome(None)
        self.stale_note.hide()
        self.headline.hide()
        self.pack_label.clear()
        self._clear_reasons()
        self.message.setText(text)
        self.message.show()
        if self.digest_value is not None:
            self.digest_value.clear()

    def show_outcome(self, outcome: PrescreenOutcome) -> None:
        self.result = outcome
        self.message.hide()
        self.badge.set_outcome(outcome.outcome)
        self.stale_note.setVisible(RULES_STALE in outcome.codes)
        self.headline.setText(headline_text(outcome))
        self.headline.show()
        self.pack_label.setText(pack_text(outcome))
        self._clear_reasons()
        for row, reason in enumerate(sorted_reasons(outcome.reasons)):
            self._add_reason(row, reason)
        self.reasons_box.setVisible(bool(outcome.reasons))
        if self.digest_value is not None:
            self.digest_value.setText(outcome.inputs_sha256)

    def _clear_reasons(self) -> None:
        while self.reasons_grid.count():
            item = self.reasons_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.reason_labels = []
        self.reasons_box.hide()

    def _add_reason(self, row: int, reason: Reason) -> None:
        colour = SEVERITY_COLOURS.get(reason.severity, "#555")
        severity = _chip(
            severity_text(reason.severity),
            f"reason_severity_{row}",
            f"color: {colour}; border: 1px solid {colour}; border-radius: 3px; padding: 1px 6px;",
        )
        side = _chip(
            side_text(reason.side),
            f"reason_side_{row}",
            "color: #37474f; background: #eceff1; border-radius: 3px; padding: 1px 6px;",
        )
        side.setToolTip(reason.code)
        text = QLabel(reason.text(self._lang))
        text.setObjectName(f"reason_text_{row}")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setToolTip(reason.code)
        top = Qt.AlignmentFlag.AlignTop
        self.reasons_grid.addWidget(side, row, 0, top)
        self.reasons_grid.addWidget(severity, row, 1, top)
        self.reasons_grid.addWidget(text, row, 2)
        self.reason_labels.append(text)
