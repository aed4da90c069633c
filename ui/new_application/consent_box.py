"""The customer's consent on the new-application form: which texts (个人信息处理授权 and
征信查询授权, by version), a button that shows them to read with the customer, and the
tick the clerk sets once the customer has signed the printed form. Ticking records the
consent in core (audited) for the form now open; unticking withdraws it, which deletes
what the form holds of the customer (core). The pre-screen and Save need it: core
refuses both without it (CONSENT_MISSING)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.consent import ConsentMethod
from core.consent.model import ConsentRecord
from core.consent.texts import ConsentVersion
from ui.formatting import local_time
from ui.new_application.form_core import FormCore
from ui.new_application.signature_pad import SignatureDialog
from ui.widgets import ErrorLabel, confirm, error_text, no_auto_default

log = logging.getLogger("loandesk.ui")


class ConsentTextDialog(QDialog):
    """The consent texts of one version, in the clerk's language, to read together."""

    def __init__(self, texts: ConsentVersion, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consent_text_dialog")
        self.setWindowTitle(self.tr("Consent texts, version %1").replace("%1", texts.version))
        self.resize(640, 560)
        browser = QTextBrowser()
        browser.setObjectName("consent_text")
        key = "zh_CN" if lang.startswith("zh") else "en"
        browser.setMarkdown(
            "\n\n---\n\n".join(
                f"# {doc.title.get(key, '')}\n\n{doc.text.get(key, '')}" for doc in texts.documents
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser, 1)
        layout.addWidget(buttons)


class ConsentBox(QGroupBox):
    sig_changed = Signal(bool)
    """The consent for the form was recorded (True) or withdrawn (False)."""

    def __init__(
        self,
        form: FormCore,
        texts: ConsentVersion,
        lang: str,
        parent: QWidget | None = None,
        *,
        recorded: ConsentRecord | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consent_box")
        self.setTitle(self.tr("Customer consent (version %1)").replace("%1", texts.version))
        self._form = form
        self._texts = texts
        self._lang = lang
        self.recorded: ConsentRecord | None = recorded
        self.intro = QLabel(
            self.tr(
                "Before the pre-screen: the customer reads and signs the printed consent "
                "to personal-information processing and to credit queries (version %1)."
            ).replace("%1", texts.version)
        )
        self.intro.setWordWrap(True)
        self.show_button = QPushButton(self.tr("Show the &texts…"))
        self.show_button.setObjectName("consent_show")
        self.show_button.clicked.connect(self.show_texts)
        self.sign_button = QPushButton(self.tr("Sign on the &pad…"))
        self.sign_button.setObjectName("consent_sign_pad")
        self.sign_button.setToolTip(
            self.tr("The customer signs on screen instead of on the printed form")
        )
        self.sign_button.clicked.connect(self.sign_on_pad)
        self.signed = QCheckBox(self.tr("The customer has &signed the printed consent form"))
        self.signed.setObjectName("consent_signed")
        self.signed.setChecked(recorded is not None)
        self.signed.toggled.connect(self._toggled)
        self.state = QLabel()
        self.state.setObjectName("consent_state")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.error = ErrorLabel("consent_error", self)
        no_auto_default(self.show_button, self.sign_button)
        self.setToolTip(self.intro.text())
        row = QHBoxLayout()
        row.addWidget(self.signed)
        row.addWidget(self.show_button)
        row.addWidget(self.sign_button)
        row.addWidget(self.state, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._show_state()

    def show_texts(self) -> ConsentTextDialog:
        dialog = ConsentTextDialog(self._texts, self._lang, self)
        dialog.open()
        return dialog

    def sign_on_pad(self) -> SignatureDialog:
        """The customer signs on the pad; the image is attached and the consent
        recorded with method "signature" once they press Use."""
        dialog = SignatureDialog(self._texts.version, self)
        dialog.accepted.connect(lambda: self.use_signature(dialog.pad.png()))
        dialog.open()
        return dialog

    def use_signature(self, png: bytes) -> None:
        self.error.clear_message()
        op = self._form.record_signature(png, self)
        op.on_success(self._signed).on_failure(lambda exc: self._refused(exc, False))

    def _signed(self, record: ConsentRecord) -> None:
        self._set_checked(True)
        self._recorded(record)

    def _toggled(self, checked: bool) -> None:
        self.error.clear_message()
        if checked:
            op = self._form.record_consent(self)
            op.on_success(self._recorded).on_failure(lambda exc: self._refused(exc, False))
            return
        if self.recorded is None:
            return
        if not confirm(
            self,
            self.tr("Withdraw consent"),
            self.tr(
                "The customer withdraws consent: what this form holds of them (the saved "
                "draft, photos) is deleted. Continue?"
            ),
            self.tr("Withdraw"),
            self.tr("Keep consent"),
        ):
            self._set_checked(True)
            return
        gone = self._form.withdraw_consent(self)
        gone.on_success(lambda _none: self._withdrawn())
        gone.on_failure(lambda exc: self._refused(exc, True))

    def _recorded(self, record: ConsentRecord) -> None:
        self.recorded = record
        log.info("consent recorded for the open form (version %s)", record.version)
        self._show_state()
        self.sig_changed.emit(True)

    def _withdrawn(self) -> None:
        self.recorded = None
        log.info("consent withdrawn for the open form")
        self._show_state()
        self.sig_changed.emit(False)

    def _refused(self, exc: Exception, checked: bool) -> None:
        self._set_checked(checked)
        self.error.show_message(error_text(exc, self._lang))

    def _set_checked(self, checked: bool) -> None:
        self.signed.blockSignals(True)
        self.signed.setChecked(checked)
        self.signed.blockSignals(False)

    def _show_state(self) -> None:
        record = self.recorded
        if record is None:
            self.state.setText(self.tr("Not recorded yet: no pre-screen and no saving without it."))
            self.state.setStyleSheet("color: #8a5a00;")
        else:
            text = (
                self.tr("Recorded %1, version %2, signed on the pad.")
                if record.method is ConsentMethod.SIGNATURE
                else self.tr("Recorded %1, version %2, signed on paper.")
            )
            self.state.setText(
                text.replace("%1", local_time(record.at)).replace("%2", record.version)
            )
            self.state.setStyleSheet("color: #2e7d32;")
