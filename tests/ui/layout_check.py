"""Finding clipped and overlapping labels in a rendered window: a label is clipped when
it is narrower than its text needs (or, word-wrapped, shorter than its text needs at
its width), or when a parent cuts part of it off; two visible labels overlap when their
rectangles intersect."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QWidget


def _rect_in(label: QWidget, top: QWidget) -> QRect:
    return QRect(label.mapTo(top, QPoint(0, 0)), label.size())


def _visible_part(label: QWidget, top: QWidget) -> QRect:
    """The part of ``label`` its ancestors up to ``top`` leave visible, in ``top``'s
    coordinates."""
    rect = _rect_in(label, top)
    parent = label.parentWidget()
    while parent is not None:
        rect = rect.intersected(QRect(parent.mapTo(top, QPoint(0, 0)), parent.size()))
        if parent is top:
            break
        parent = parent.parentWidget()
    return rect


def shown_labels(top: QWidget) -> list[QLabel]:
    return [
        label
        for label in top.findChildren(QLabel)
        if label.isVisibleTo(top) and (label.text() or label.pixmap() is not None)
    ]


def clipped(top: QWidget) -> list[str]:
    """Each shown label of ``top`` whose text does not fit, as "name 'text': why"."""
    found = []
    for label in shown_labels(top):
        name = f"{label.objectName() or type(label).__name__} {label.text()[:40]!r}"
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height():
                found.append(
                    f"{name}: needs {need} px high at width {label.width()}, has {label.height()}"
                )
        else:
            hint = label.minimumSizeHint()
            if hint.width() > label.width() or hint.height() > label.height():
                found.append(
                    f"{name}: needs {hint.width()}x{hint.height()}, has "
                    f"{label.width()}x{label.height()}"
                )
        if _visible_part(label, top) != _rect_in(label, top):
            found.append(f"{name}: partly hidden by its parent")
    return found


def overlapping(top: QWidget) -> list[str]:
    """Pairs of shown labels of ``top`` whose rectangles intersect."""
    labels = shown_labels(top)
    rects = [(label, _visible_part(label, top)) for label in labels]
    found = []
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if ra.intersects(rb):
                found.append(
                    f"{a.objectName() or a.text()[:30]!r} / {b.objectName() or b.text()[:30]!r}"
                )
    return found
