"""Photos for the open form: the ID card's front and back and the customer with the
goods, from a file or (when the PC has one and QtMultimedia loads) a camera. Core
downscales them, strips their metadata and stores them encrypted. The box lists what
the rule pack requires for this application and what is still missing: Save is
refused while something required is missing (core: EVIDENCE_MISSING)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import i18n
from core.attachments import EvidenceItem
from core.attachments.kinds import missing_error
from core.models import ApplicationInput
from ui.new_application.camera import camera_available, take_photo
from ui.new_application.form_core import FormCore
from ui.widgets import ErrorLabel, error_text, no_auto_default

log = logging.getLogger("loandesk.ui")
PHOTO_KINDS = ("id_front", "id_back", "customer_with_goods")
IMAGE_FILTER = "*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff"


class EvidenceBox(QGroupBox):
    def __init__(self, form: FormCore, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidence_box")
        self.setTitle(self.tr("Photos and signature"))
        self._form = form
        self._lang = lang
        self.required: tuple[str, ...] = ()
        self.attached: dict[str, str] = {}  # kind -> sha256
        self.states: dict[str, QLabel] = {}
        self.file_buttons: dict[str, QPushButton] = {}
        self.camera_buttons: dict[str, QPushButton] = {}
        has_camera = camera_available()
        grid = QGridLayout()
        kinds = (*PHOTO_KINDS, "signature")
        for row, kind in enumerate(kinds):
            grid.addWidget(QLabel(i18n.translate(f"KIND_{kind}", lang)), row, 0)
            state = QLabel()
            state.setObjectName(f"evidence_state_{kind}")
            self.states[kind] = state
            grid.addWidget(state, row, 1)
            if kind == "signature":
                continue
            button = QPushButton(self.tr("From &file…") if row == 0 else self.tr("From file…"))
            button.setObjectName(f"evidence_file_{kind}")
            button.clicked.connect(self._chooser(kind))
            self.file_buttons[kind] = button
            grid.addWidget(button, row, 2)
            if has_camera:
                camera = QPushButton(self.tr("Camera…"))
                camera.setObjectName(f"evidence_camera_{kind}")
                camera.clicked.connect(self._shooter(kind))
                self.camera_buttons[kind] = camera
                grid.addWidget(camera, row, 3)
        grid.setColumnStretch(1, 1)
        self.summary = QLabel()
        self.summary.setObjectName("evidence_summary")
        self.summary.setWordWrap(True)
        self.error = ErrorLabel("evidence_error")
        no_auto_default(*self.file_buttons.values(), *self.camera_buttons.values())
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._show()

    # --- what is attached and required -------------------------------------------------
    def refresh(self, app: ApplicationInput | None) -> None:
        """Read what is attached to the open form and what the pack requires for
        ``app`` (nothing known while the form is incomplete)."""
        self._form.attached(self).on_success(self._got_attached)
        if app is not None:
            self._form.required_evidence(app, self).on_success(self._got_required)

    def _got_attached(self, items: list[EvidenceItem]) -> None:
        self.attached = {item.kind: item.sha256 for item in items}
        self._show()

    def _got_required(self, kinds: tuple[str, ...]) -> None:
        self.required = tuple(kinds)
        self._show()

    def missing(self) -> list[str]:
        return [kind for kind in self.required if kind not in self.attached]

    def missing_text(self) -> str:
        """The coded message core gives for what is missing (both languages exist)."""
        err = missing_error(self.missing())
        return i18n.translate(err.code, self._lang, **err.params)

    def _show(self) -> None:
        for kind, label in self.states.items():
            if kind in self.attached:
                label.setText(self.tr("Attached ✓"))
                label.setStyleSheet("color: #2e7d32;")
            elif kind in self.required:
                label.setText(self.tr("Required, missing"))
                label.setStyleSheet("color: #b71c1c; font-weight: bold;")
            else:
                label.setText(self.tr("Not attached"))
                label.setStyleSheet("color: #666;")
        if self.missing():
            self.summary.setText(self.missing_text())
            self.summary.setStyleSheet("color: #b71c1c;")
        elif self.required:
            self.summary.setText(self.tr("Everything the rules require is attached."))
            self.summary.setStyleSheet("color: #2e7d32;")
        else:
            self.summary.setText(self.tr("The rules require no photos for this application."))
            self.summary.setStyleSheet("color: #555;")

    # --- adding -------------------------------------------------------------------------
    def _chooser(self, kind: str) -> Callable[[], None]:
        return lambda: self.add_from_file(kind)

    def _shooter(self, kind: str) -> Callable[[], None]:
        def shoot() -> None:
            data = take_photo(self)
            if data is not None:
                self.add_bytes(kind, data)

        return shoot

    def add_from_file(self, kind: str, path: str | None = None) -> None:
        """Attach the photo in ``path`` (asked for with a file dialog when None)."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose a photo"),
                "",
                self.tr("Images (%1)").replace("%1", IMAGE_FILTER),
            )
            if not path:
                return
        chosen = Path(path)
        self.error.clear_message()

        op = self._form.attach_file(kind, chosen, self)
        op.on_success(self._added).on_failure(self._failed)

    def add_bytes(self, kind: str, data: bytes) -> None:
        self.error.clear_message()
        self._form.attach(kind, data, self).on_success(self._added).on_failure(self._failed)

    def _added(self, item: EvidenceItem) -> None:
        self.attached[item.kind] = item.sha256
        log.info("photo attached to the open form: %s", item.kind)
        self._show()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, OSError):
            self.error.show_message(
                self.tr("The file could not be read: %1").replace("%1", exc.strerror or "")
            )
            return
        self.error.show_message(error_text(exc, self._lang))
