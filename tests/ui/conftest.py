"""Fixtures for the GUI tests: a real LoanDesk context on a tmp SQLite file, the main
window (also on a data dir of its own, for the sync tests), and helpers that fill the
form or answer a modal question box."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from core.applications.service import ApplicationService
from core.config import resolve_paths
from core.context import AppContext, connect_context, open_context
from core.models import CatalogItem
from core.operators.actor import Actor
from core.sync.http import Timeouts
from ui.app import install_translations, make_main_window
from ui.db_lane import CoreLane
from ui.detail import DetailDialog, opening
from ui.main_window import MainWindow
from ui.new_application.form_core import FormCore

VALID_ID = "11010519491231002X"  # born 1949 and on the default pack's demo blacklist
CLEAN_ID = "110105199003071538"  # born 1990, on no list: the default pack passes it
BAD_CHECKSUM_ID = "110105194912310021"
NAME = "张小明"
PHONE = "13800138000"
FAST = Timeouts(connect=2.0, read=6.0, deadline=12.0)  # sync tests: fail fast
CATALOG = [
    CatalogItem("6901234567892", "海尔冰箱 BCD-470", "appliance", 3999_00),
    CatalogItem("6909876543210", "实木餐桌 1.4m", "furniture", 2599_00),
]


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """As in the app (ui.gc_on_gui): no automatic collection, which could run on a
    lane's worker thread and free Qt objects there; each test's leftovers are collected
    on the GUI thread when it ends (below)."""
    import gc

    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def widgets_collected_after_each_test() -> Iterator[None]:
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def lanes_finish_before_returning(monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen's database lane runs each job to its end before ``call`` returns (still
    on the lane's own thread): the tests read the outcome at once. The lane's own tests,
    and the held-lock test, use the app's threaded runner explicitly."""
    import ui.db_lane
    from ui.tasks import SynchronousRunner

    monkeypatch.setattr(ui.db_lane, "default_runner", SynchronousRunner)


@pytest.fixture(autouse=True)
def english_ui(qapp: QApplication) -> None:
    """Every test starts in English, whatever language an earlier test loaded."""
    install_translations(qapp, "en")


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    context = open_context(resolve_paths(data_dir))
    context.applications.load_catalog(CATALOG)
    # the customer at the counter signed the consent forms on paper (the form has no
    # consent step yet); a saved application uses it up, as at the counter
    context.applications.record_consent("paper")
    yield context
    context.close()


LaneFactory = Callable[..., CoreLane]


@pytest.fixture
def make_lane(ctx: AppContext) -> Iterator[LaneFactory]:
    """``make_lane(service=None, actor=None)``: a database lane with its own connection to
    the test's install, acting as ``actor`` (default the context's); ``service(core)``
    replaces its ApplicationService (a disk that fills up, say). Closed at the end."""
    made: list[CoreLane] = []

    def make(
        service: Callable[[AppContext], ApplicationService] | None = None,
        actor: Actor | None = None,
    ) -> CoreLane:
        def opener() -> AppContext:
            core = connect_context(ctx.paths, ctx.clock, actor or ctx.actor)
            if service is not None:
                core = dataclasses.replace(core, applications=service(core))
            return core

        lane = CoreLane(opener)
        made.append(lane)
        return lane

    yield make
    for lane in made:
        lane.close()


@pytest.fixture
def lane(make_lane: LaneFactory) -> CoreLane:
    return make_lane()


def lane_for(ctx: AppContext, widget: QWidget | None = None) -> CoreLane:
    """A lane of its own for ``ctx``'s install (as ``ctx.actor``), closed with ``widget``
    (or by the caller)."""
    lane = CoreLane(lambda: connect_context(ctx.paths, ctx.clock, ctx.actor))
    if widget is not None:
        widget.destroyed.connect(lambda *_: lane.close())
    return lane


def detail_for(lane: CoreLane, actor: Actor, app_id: str, lang: str) -> DetailDialog:
    """The detail view of ``app_id`` as the window opens it (read on ``lane``, which is
    closed with the dialog)."""
    dialog = DetailDialog(lane, actor, opening(lane, app_id, None).result(), lang)
    dialog.destroyed.connect(lambda *_: lane.close())
    return dialog


def form_for(lane: CoreLane) -> FormCore:
    """What a new-application form opened on ``lane`` starts from."""
    return FormCore.opening(lane, None).result().form


@pytest.fixture
def main_window(qtbot: Any, ctx: AppContext) -> Iterator[MainWindow]:
    window = make_main_window(ctx, "en")
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    yield window
    window.close()  # while the database is still open (the form writes its draft)


WindowFactory = Callable[..., MainWindow]


def context_of(window: MainWindow) -> AppContext:
    """The context a fixture opened for ``window`` (see ``open_window``)."""
    found: AppContext = window.test_context  # type: ignore[attr-defined]
    return found


@pytest.fixture
def open_window(qtbot: Any, data_dir: Path) -> Iterator[WindowFactory]:
    """``open_window(**options)``: a shown main window on a context of its own over
    ``data_dir`` (no automatic syncs unless asked; fast timeouts). Closed at the end.
    ``context_of(window)`` is that context, on the test's thread: for the test's own
    reads and writes (the window itself keeps no connection on the GUI thread)."""
    made: list[tuple[MainWindow, AppContext]] = []

    def make(**options: Any) -> MainWindow:
        context = open_context(resolve_paths(data_dir))
        options.setdefault("auto_sync", False)
        options.setdefault("sync_options", {"timeouts": FAST})
        window = make_main_window(context, "en", **options)
        window.test_context = context  # type: ignore[attr-defined]  # the test's own
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        made.append((window, context))
        return window

    yield make
    for window, context in made:
        window.close()
        context.close()


def valid_state(**customer: str) -> dict[str, Any]:
    """A complete, valid form state as NewApplicationDialog.form_state() writes it."""
    return {
        "version": 1,
        "step": 0,
        "same_as_home": False,
        "form": {
            "scenario": "appliance",
            "customer": {
                "id_number": VALID_ID,
                "name": NAME,
                "phone": PHONE,
                "monthly_income": "8000",
                "home_city": "北京",
                "home_address": "朝阳区建国路88号3栋1201室",
                **customer,
            },
            "order": {
                "lines": [
                    {
                        "sku": "6901234567892",
                        "name": "海尔冰箱 BCD-470",
                        "unit_price": "3999.00",
                        "quantity": 1,
                    }
                ],
                "delivery_city": "北京",
                "delivery_address": "朝阳区建国路88号3栋1201室",
            },
            "terms": {"down_payment": "500", "term_months": 12, "method": "equal_installment"},
        },
    }


def unaffordable_state() -> dict[str, Any]:
    """Income 3000 yuan, one 26800-yuan line, 12 months, no down payment: the default
    pack declines it (PTI) and refers the price far from the catalog's (store side)."""
    state = valid_state(id_number=CLEAN_ID, monthly_income="3000")
    state["form"]["order"]["lines"][0]["unit_price"] = "26800.00"
    state["form"]["terms"].update(down_payment="0", term_months=12)
    return state


def answer_next_box(button: str = "confirm", attempts: int = 300) -> list[str]:
    """Press ``button`` (an objectName, or a QMessageBox standard button name) on the
    next QMessageBox that opens; returns the texts of the boxes answered."""
    seen: list[str] = []

    def poll(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box.text())
            target = box.findChild(QPushButton, button)
            if target is None:
                target = box.button(getattr(QMessageBox.StandardButton, button))
            target.click()
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(attempts))
    return seen


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type like a clerk: ASCII as key presses, Chinese as an input-method commit
    (QTest can only press keys that exist on the keyboard)."""
    chunks: list[str] = []
    for ch in text:
        if chunks and (ch.isascii() == chunks[-1][-1].isascii()):
            chunks[-1] += ch
        else:
            chunks.append(ch)
    for chunk in chunks:
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)
