"""A photo from the PC's camera, when it has one and QtMultimedia loads; the form works
without (photos then come from files)."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

log = logging.getLogger("loandesk.ui")


@cache
def camera_available() -> bool:
    """True when QtMultimedia imports and lists at least one camera."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False
    try:
        return bool(QMediaDevices.videoInputs())
    except RuntimeError:  # no multimedia backend on this PC
        log.info("no multimedia backend: photos from files only")
        return False


def _jpeg(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 92)  # type: ignore[call-overload]  # runtime takes str
    buffer.close()
    return bytes(data.data())


class CameraDialog(QDialog):
    """A live view and a Take button; ``photo`` holds the JPEG once taken."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        super().__init__(parent)
        self.setObjectName("camera_dialog")
        self.setWindowTitle(self.tr("Take a photo"))
        self.photo: bytes | None = None
        self._camera = QCamera(self)
        self._capture = QImageCapture(self)
        self._session = QMediaCaptureSession(self)
        view = QVideoWidget()
        view.setMinimumSize(640, 480)
        self._session.setCamera(self._camera)
        self._session.setImageCapture(self._capture)
        self._session.setVideoOutput(view)
        self._capture.imageCaptured.connect(self._captured)
        self.status = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        take = buttons.addButton(self.tr("&Take photo"), QDialogButtonBox.ButtonRole.ActionRole)
        take.clicked.connect(self._capture.capture)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._camera.start()

    def _captured(self, _id: int, image: QImage) -> None:
        self.photo = _jpeg(image)
        self._camera.stop()
        self.accept()


def take_photo(parent: QWidget | None) -> bytes | None:
    """A JPEG from the camera, or None (cancelled, or no camera)."""
    if not camera_available():
        return None
    dialog = CameraDialog(parent)
    dialog.exec()
    return dialog.photo
