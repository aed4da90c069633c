"""The head office's decision on one application, for the detail dialog: decision,
approved amount, score, the reasons in words (one a line), when it was decided, and
when head office revised it, what it was before."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from core import i18n
from core.api import DecisionRecord
from core.applications import labels
from core.applications.snapshot import DecisionRevision
from core.models import Status
from ui.formatting import local_time, yuan

DECISION_COLOURS = {"approved": "#2e7d32", "declined": "#c62828", "review": "#b26a00"}


def reason_text(code: str, lang: str) -> str:
    """Words for a scorecard reason code; core's catalog first, else ours, else the code.

    The reference server's codes (server/scorecard.py) have no entries in core's catalog
    yet, so the screen carries them (like the rules page does for PACK_* codes)."""
    if i18n.has(code):
        return i18n.translate(code, lang)

    translate = QCoreApplication.translate
    texts = {
        "SC_YOUNG": translate("Decision", "Young applicant (21 or under)"),
        "SC_AGE_HIGH": translate("Decision", "Applicant aged 56 to 65"),
        "SC_AGE_OVER": translate("Decision", "Applicant over 65"),
        "SC_INCOME_LOW": translate("Decision", "Monthly income under 3,000 yuan"),
        "SC_PTI_ELEVATED": translate("Decision", "Installment is 30–40% of income"),
        "SC_PTI_HIGH": translate("Decision", "Installment is over 40% of income"),
        "SC_LOW_DOWN_PAYMENT": translate("Decision", "Down payment under 10%"),
        "SC_STORE_REFERRED": translate("Decision", "The store's pre-screen referred it"),
        "SC_STORE_DECLINED": translate("Decision", "The store's pre-screen declined it"),
        "SC_NO_PRESCREEN": translate("Decision", "No store pre-screen"),
        "SC_BLACKLISTED": translate("Decision", "On a blacklist"),
    }
    return texts.get(code, code)


class DecisionBox(QGroupBox):
    """Shows ``DecisionRecord`` or, until there is one, where the application stands."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_box")
        self.setTitle(self.tr("Head-office decision"))
        self._lang = lang
        self.decision_label = QLabel()
        self.decision_label.setObjectName("decision_value")
        bold = QFont(self.decision_label.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.decision_label.setFont(bold)
        self.amount_label = self._value("decision_amount")
        self.score_label = self._value("decision_score")
        self.reasons_label = self._value("decision_reasons")
        self.reasons_label.setWordWrap(True)
        self.decided_label = self._value("decision_decided_at")
        self.revised_label = self._value("decision_revised")
        self.revised_label.setWordWrap(True)
        self.revised_label.setStyleSheet("color: #b26a00;")
        form = QFormLayout(self)
        form.addRow(self.tr("Decision:"), self.decision_label)
        form.addRow(self.tr("Approved amount (yuan):"), self.amount_label)
        form.addRow(self.tr("Score:"), self.score_label)
        form.addRow(self.tr("Reasons:"), self.reasons_label)
        form.addRow(self.tr("Decided:"), self.decided_label)
        form.addRow(self.tr("Revised:"), self.revised_label)
        self._rows = (self.amount_label, self.score_label, self.reasons_label, self.decided_label)
        self._form = form
        form.setRowVisible(self.revised_label, False)

    @staticmethod
    def _value(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_decision(
        self,
        decision: DecisionRecord | None,
        status: str,
        revision: DecisionRevision | None = None,
    ) -> None:
        """``revision``: head office changed its answer (the latest is ``decision``)."""
        self._show_revision(revision if decision is not None else None)
        if decision is None:
            self.decision_label.setText(self._waiting_text(status))
            self.decision_label.setStyleSheet("color: #616161;")
            for label in self._rows:
                self._form.setRowVisible(label, False)
            return
        self.decision_label.setText(labels.status_text(decision.decision, self._lang))
        self.decision_label.setStyleSheet(
            f"color: {DECISION_COLOURS.get(decision.decision, '#000')};"
        )
        self.amount_label.setText(yuan(decision.approved_amount_fen) or "–")
        self.score_label.setText(str(decision.score))
        self.reasons_label.setText(
            "\n".join(f"• {reason_text(c, self._lang)}" for c in decision.reasons) or "–"
        )
        self.reasons_label.setToolTip(", ".join(decision.reasons))  # the codes, for IT
        self.decided_label.setText(local_time(decision.decided_at))
        for label in self._rows:
            self._form.setRowVisible(label, True)

    def _show_revision(self, revision: DecisionRevision | None) -> None:
        self._form.setRowVisible(self.revised_label, revision is not None)
        if revision is None:
            self.revised_label.clear()
            return
        before = revision.previous
        text = (
            self.tr("Head office changed its decision on %1. Before: %2")
            .replace("%1", local_time(revision.revised_at))
            .replace("%2", labels.status_text(before.decision, self._lang))
        )
        if before.reasons:
            reasons = "; ".join(reason_text(c, self._lang) for c in before.reasons)
            text += self.tr(" (%1)").replace("%1", reasons)
        self.revised_label.setText(text)

    def _waiting_text(self, status: str) -> str:
        if status == Status.CANCELLED:
            return self.tr("None (cancelled in the store)")
        if status == Status.SUBMITTED:
            return self.tr("Sent – waiting for head office's decision")
        return self.tr("Not sent yet – it goes out with the next sync")
