"""The customer's signature on screen: a pad that takes a mouse, a pen (tablet events)
or a finger (touch events) and keeps the strokes, drawn into an image (PNG) that is
attached to the form with the consent version it was signed under."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

PEN_WIDTH = 2.6
Stroke = list[QPointF]


class SignaturePad(QWidget):
    sig_changed = Signal()
    """A stroke was added or the pad was cleared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_pad")
        self.setMinimumSize(QSize(520, 200))
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.strokes: list[Stroke] = []
        self._drawing = False

    # --- input -------------------------------------------------------------------------------
    def begin(self, point: QPointF) -> None:
        self.strokes.append([QPointF(point)])
        self._drawing = True
        self.update()

    def extend(self, point: QPointF) -> None:
        if self._drawing and self.strokes:
            self.strokes[-1].append(QPointF(point))
            self.update()

    def end(self, point: QPointF | None = None) -> None:
        if self._drawing and point is not None:
            self.extend(point)
        if self._drawing:
            self._drawing = False
            self.sig_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.end(event.position())

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: handled here (accepted), so Qt does not also send mouse events."""
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self.begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self.extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self.end(event.position())
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if isinstance(event, QTouchEvent) and kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
        ):
            points = event.points()
            if points:
                where = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self.begin(where)
                elif kind == QEvent.Type.TouchUpdate:
                    self.extend(where)
                else:
                    self.end(where)
            event.accept()
            return True
        return super().event(event)

    # --- output ------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.strokes

    def clear(self) -> None:
        self.strokes.clear()
        self._drawing = False
        self.update()
        self.sig_changed.emit()

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(QColor("#102a6b"), PEN_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#bbbbbb"), 1, Qt.PenStyle.DashLine))
        base = self.height() - 40
        painter.drawLine(24, base, self.width() - 24, base)
        painter.setPen(QPen(QColor("#999999")))
        painter.drawText(24, base + 20, "×")
        self._draw(painter)
        painter.end()

    def image(self) -> QImage:
        """The strokes on white, the size of the pad."""
        image = QImage(self.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._draw(painter)
        painter.end()
        return image

    def png(self) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image().save(buffer, "PNG")  # type: ignore[call-overload]  # runtime takes str
        buffer.close()
        return bytes(data.data())


class SignatureDialog(QDialog):
    """The customer signs on the pad to consent to the texts of ``version``."""

    def __init__(self, version: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_dialog")
        self.setWindowTitle(self.tr("Customer signature"))
        intro = QLabel(
            self.tr(
                "The customer signs below to consent to personal-information processing "
                "and to credit queries (consent version %1)."
            ).replace("%1", version)
        )
        intro.setWordWrap(True)
        self.pad = SignaturePad()
        self.clear_button = QPushButton(self.tr("C&lear"))
        self.clear_button.setObjectName("signature_clear")
        self.clear_button.clicked.connect(self.pad.clear)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = self.buttons.addButton(
            self.tr("&Use this signature"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.use_button.setObjectName("signature_use")
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.pad.sig_changed.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.use_button.setEnabled(not self.pad.is_empty())
