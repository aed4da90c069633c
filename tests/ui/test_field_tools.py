"""The Tools menu's Excel export and offline bundles, through the main window: the Excel
file of a period (masked, audited), and a bundle round trip store → field manager's PC
→ the real reference server → return bundle → store, with the refusals said in plain
Chinese or English and nothing changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication

from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.field.dashboard import Period
from core.security.permissions import Role
from tests.core.sync.conftest import FAST, outbox_states, statuses
from tests.helpers.server import RealServer
from tests.ui.conftest import answer_next_box
from tests.ui.dashboard_support import direct, seeded_context, window_as
from ui.app import install_translations
from ui.main_window import MainWindow


@pytest.fixture
def seeded(data_dir: Path) -> Iterator[AppContext]:
    c = seeded_context(data_dir)
    yield c
    c.close()


def test_excel_export_of_a_period(qtbot: Any, seeded: AppContext, tmp_path: Path) -> None:
    window = window_as(qtbot, seeded, Role.FIELD_MANAGER)
    first, last = date(2026, 3, 1), date(2026, 3, 18)
    target = tmp_path / "march.xlsx"
    op = window.field_tools.export_xlsx_to(Period.between(first, last), target)
    assert op.succeeded and target.exists()
    rows = direct(seeded, first, last)
    assert op.result().count == len(rows) > 20
    sheet = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert len(sheet) == len(rows) + 1  # a header, then one row per application
    assert {line[0] for line in sheet[1:]} == {r["id"] for r in rows}
    text = " ".join(str(value) for line in sheet for value in line if value)
    assert "****" in text  # phones and ID numbers masked
    audit = seeded.db.execute(
        "SELECT operator_id, detail FROM audit_log WHERE action = 'exported'"
    ).fetchall()
    assert len(audit) == 1 and audit[0][0] == window.actor.operator_id
    assert json.loads(audit[0][1])["count"] == len(rows)
    assert "march.xlsx" in window.statusBar().currentMessage()
    window.close()


def _close_message(window: MainWindow) -> str:
    box = window.field_tools.message_box
    assert box is not None and box.isVisible()
    text = box.text()
    box.close()
    return text


def test_bundle_refused_on_a_pc_never_enrolled(
    qtbot: Any, qapp: QApplication, seeded: AppContext, tmp_path: Path
) -> None:
    install_translations(qapp, "zh_CN")
    window = window_as(qtbot, seeded, Role.CLERK, "zh_CN")
    seen = answer_next_box("Ok")
    window.field_tools.export_bundle_to(tmp_path / "b.ldbundle")
    assert len(seen) == 1 and "尚未注册到总部" in seen[0]  # in Chinese: IT enrolls it once
    assert window.field_tools.last_error is not None
    assert getattr(window.field_tools.last_error, "code", "") == "BUNDLE_NOT_ENROLLED"
    assert not (tmp_path / "b.ldbundle").exists()
    window.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[RealServer, AppContext, AppContext]]:
    with RealServer(tmp_path) as srv:
        store = open_context(resolve_paths(tmp_path / "store"))
        laptop = open_context(resolve_paths(tmp_path / "laptop"))
        try:
            assert store.sync is not None and laptop.sync is not None
            store.sync.enroll(srv.url, "S001", srv.add_store("S001"), timeouts=FAST)
            laptop.sync.enroll(srv.url, "F001", srv.add_store("F001"), timeouts=FAST)
            yield srv, store, laptop
        finally:
            store.close()
            laptop.close()


def test_bundle_round_trip_through_the_menu_twice(
    qtbot: Any, world: tuple[RealServer, AppContext, AppContext], tmp_path: Path
) -> None:
    srv, store, laptop = world
    gen = DemoGenerator(21, store.clock.now().date(), load_demo_catalog())
    for _ in range(4):
        store.applications.save(gen.application())
    at_store = window_as(qtbot, store, Role.CLERK)
    on_laptop = window_as(qtbot, laptop, Role.FIELD_MANAGER)
    stick = tmp_path / "S001.ldbundle"
    for attempt in range(2):
        done = at_store.field_tools.export_bundle_to(stick).result()
        assert done.action == "exported" and done.items == (4 if attempt == 0 else 0)
        assert "S001.ldbundle" in _close_message(at_store)
        relayed = on_laptop.field_tools.import_bundle_from(stick).result()
        assert relayed.action == "relayed" and relayed.store_code == "S001"
        back = tmp_path / "S001-return.ldbundle"
        assert relayed.path == back and back.exists()
        assert str(back) in _close_message(on_laptop)
        imported = at_store.field_tools.import_bundle_from(back).result()
        assert imported.action == "imported"
        assert ("acknowledged" in _close_message(at_store)) is True
        again = at_store.field_tools.import_bundle_from(back).result()
        assert again.action == "already_imported"
        assert "nothing changed" in _close_message(at_store)
    # head office took each application once, over both rounds, and accepted each:
    # nothing is left waiting at the store, nothing was sent twice
    stats = srv.stats()
    assert stats["items_processed"] == 4 and stats["duplicates"] == 0
    assert set(outbox_states(store).values()) == {"acked"}
    assert len(outbox_states(store)) == len(statuses(store)) == 4

    # a changed bundle is refused on the laptop before anything is sent
    data = json.loads(stick.read_text(encoding="utf-8"))
    data["header"]["store_code"] = "S002"
    bad = tmp_path / "bad.ldbundle"
    bad.write_text(json.dumps(data), encoding="utf-8")
    seen = answer_next_box("Ok")
    on_laptop.field_tools.import_bundle_from(bad)
    assert len(seen) == 1 and "changed" in seen[0]
    assert getattr(on_laptop.field_tools.last_error, "code", "") == "BUNDLE_TAMPERED"
    assert not (tmp_path / "bad-return.ldbundle").exists()
    at_store.close()
    on_laptop.close()
