"""Widgets a test leaves behind are destroyed on the GUI thread, at the test's end.

A dialog the test closed but did not delete lives on in reference cycles (slots that
close over it); if Python's cycle collector later runs on a lane's worker thread it
would destroy Qt widgets there, which crashes. Import ``widgets_collected_here`` into
a test module (it is autouse) to collect them while still on the GUI thread."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent


@pytest.fixture(autouse=True)
def widgets_collected_here() -> Iterator[None]:
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
