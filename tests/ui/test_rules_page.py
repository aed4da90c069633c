"""The rules page: the active pack, and loading pack files (tampered, foreign, newer)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QApplication, QFileDialog

from core.clock import FixedClock
from core.config import resolve_paths, resources_dir
from core.context import AppContext, connect_context, open_context
from core.rules import bundled_pack_path, sign_pack
from core.rules.trusted_keys import load_private_key_file
from tests.ui.conftest import CLEAN_ID, form_for, valid_state
from ui.app import install_translations, make_main_window
from ui.db_lane import CoreLane
from ui.main_window import MainWindow
from ui.new_application import NewApplicationDialog
from ui.new_application.common import STEP_REVIEW
from ui.rules_page import RulesDialog

DEMO_KEY = resources_dir() / "keys" / "demo_issuer_private.pem"


def _rules_dialog(qtbot: Any, ctx: AppContext, lang: str = "en") -> RulesDialog:
    lane = CoreLane(lambda: connect_context(ctx.paths, ctx.clock, ctx.actor))
    dlg = RulesDialog(lane, lang, actor=ctx.actor)
    dlg.destroyed.connect(lambda *_: lane.close())
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _pack(
    tmp_path: Path, version: int, key: Ed25519PrivateKey | None = None, key_id: str | None = None
) -> Path:
    """The default pack re-signed as ``version`` (with the demo issuer key by default)."""
    doc = json.loads(bundled_pack_path().read_bytes())
    doc["manifest"]["version"] = version
    if key_id is not None:
        doc["manifest"]["key_id"] = key_id
    path = tmp_path / f"pack-v{version}.json"
    path.write_bytes(sign_pack(doc, key or load_private_key_file(DEMO_KEY)))
    return path


def _tampered(tmp_path: Path) -> Path:
    """The shipped pack with one byte changed (inside the pack id, so still JSON)."""
    data = bytearray(bundled_pack_path().read_bytes())
    at = data.index(b'"cn-retail"') + 1
    data[at] = ord("C")
    path = tmp_path / "tampered.json"
    path.write_bytes(bytes(data))
    return path


def _not_json(tmp_path: Path) -> Path:
    path = tmp_path / "notes.json"
    path.write_text("{not json", encoding="utf-8")
    return path


def test_the_menu_opens_the_page_with_the_bundled_pack(
    qtbot: Any, ctx: AppContext, main_window: MainWindow
) -> None:
    assert not main_window.rules_label.isVisible()  # a usable pack: no warning
    main_window.act_rules.trigger()
    dlg = main_window.rules_dialog
    assert isinstance(dlg, RulesDialog)
    qtbot.waitExposed(dlg)
    assert ctx.rules is not None
    status = ctx.rules.status()
    assert status is not None
    v = dlg.values
    assert v["pack_id"].text() == "cn-retail"
    assert v["version"].text() == "v2"
    assert v["scenarios"].text() == "Appliance, Furniture"
    assert v["signature"].text() == "✓ Verified"
    assert v["validity"].text() == "✓ Valid now"
    assert v["key_id"].text() == "demo-2026"
    assert v["source"].text() == "Shipped with the program"
    assert v["valid_until"].text().startswith(("2027-12-31", "2028-01-01"))  # local time
    assert v["sha256"].text() == status.sha256[:16] + "…"
    assert dlg.banner.text() == "Applications are pre-screened with this rule pack."
    assert not dlg.message.isVisible()
    dlg.accept()
    qtbot.waitUntil(lambda: main_window.rules_dialog is None)


def test_the_page_speaks_chinese(
    qtbot: Any, qapp: QApplication, ctx: AppContext, tmp_path: Path
) -> None:
    install_translations(qapp, "zh_CN")
    dlg = _rules_dialog(qtbot, ctx, "zh_CN")
    assert dlg.values["scenarios"].text() == "家电、家具"
    assert dlg.values["source"].text() == "随软件安装"
    assert dlg.load_button.text() == "从文件载入规则包(&L)…"
    assert not dlg.load_file(_tampered(tmp_path))
    assert "签名不符" in dlg.message.text()
    assert "当前规则包 cn-retail v2 继续有效" in dlg.message.text()


@pytest.mark.parametrize(
    ("make", "code_text"),
    [
        (_tampered, "the signature does not match"),
        (
            lambda tmp: _pack(tmp, 3, Ed25519PrivateKey.generate(), key_id="stranger-2026"),
            "a key this program does not trust",
        ),
        (
            lambda tmp: _pack(tmp, 3, Ed25519PrivateKey.generate()),
            "the signature does not match",
        ),  # the pinned key id, someone else's key
        (_not_json, "the file is not a rule pack"),
    ],
    ids=["one-byte-changed", "unknown-key", "wrong-key", "not-json"],
)
def test_a_refused_file_leaves_the_current_pack_active(
    qtbot: Any, ctx: AppContext, tmp_path: Path, make: Any, code_text: str
) -> None:
    dlg = _rules_dialog(qtbot, ctx)
    assert not dlg.load_file(make(tmp_path))
    text = dlg.message.text()
    assert text.startswith("The rule pack was not loaded: ")
    assert code_text in text
    assert "Details: " in text
    assert "The current rule pack cn-retail v2 stays active." in text
    assert dlg.message.isVisible()
    assert dlg.values["version"].text() == "v2"
    assert ctx.rules is not None
    status = ctx.rules.status()
    assert status is not None and status.version == 2 and status.usable


def test_a_newer_signed_pack_is_loaded_and_an_older_one_refused(
    qtbot: Any, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lane: CoreLane
) -> None:
    dlg = _rules_dialog(qtbot, ctx)
    newer = _pack(tmp_path, 3)
    # The button goes through the file dialog; here it answers with the pack file.
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(newer), ""))
    )
    assert dlg.choose_file()
    assert dlg.values["version"].text() == "v3"
    assert dlg.values["source"].text() == "Loaded from a file"
    assert dlg.message.text() == "Rule pack cn-retail v3 is now active."
    assert ctx.rules is not None
    status = ctx.rules.status()
    assert status is not None and status.version == 3 and status.source == "file"

    assert dlg.load_file(newer)  # the same file again changes nothing
    assert dlg.message.text() == "Rule pack cn-retail v3 is already active; nothing changed."

    assert not dlg.load_file(bundled_pack_path())  # v2 after v3: a rollback
    assert "not newer than the rule pack this PC uses" in dlg.message.text()
    assert "The current rule pack cn-retail v3 stays active." in dlg.message.text()
    assert dlg.values["version"].text() == "v3"

    # The review step now names the new version.
    form = NewApplicationDialog(form_for(lane), "en")
    qtbot.addWidget(form, before_close_func=lambda w: w.done(0))
    state = valid_state(id_number=CLEAN_ID)
    state["step"] = STEP_REVIEW
    form.restore(state)
    assert form.review.prescreen.pack_label.text() == "Rule pack cn-retail v3"


@pytest.fixture
def no_pack_ctx(tmp_path: Path) -> Iterator[AppContext]:
    """A PC whose clock is past the shipped pack's end: the pack is refused on first
    start, so there is no rule pack at all."""
    context = open_context(
        resolve_paths(tmp_path / "late"), FixedClock(datetime(2028, 6, 1, 9, 0, tzinfo=UTC))
    )
    yield context
    context.close()


def test_no_pack_at_all_is_explained(qtbot: Any, no_pack_ctx: AppContext, tmp_path: Path) -> None:
    dlg = _rules_dialog(qtbot, no_pack_ctx)
    assert dlg.pack_status is None
    assert dlg.banner.text().startswith(
        "No rule pack installed — applications will be referred (RULES_STALE)"
    )
    assert not dlg.details.isVisible()
    assert dlg.load_button.isEnabled()
    assert not dlg.load_file(_tampered(tmp_path))
    assert "No rule pack was active before" in dlg.message.text()

    window = make_main_window(no_pack_ctx, "en")
    qtbot.addWidget(window)
    window.show()
    assert window.rules_label.isVisible()
    assert window.rules_label.text() == "Rules out of date – applications are referred"
    window.close()
