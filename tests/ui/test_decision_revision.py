"""Head office revises a decision (its risk team, or a ring found later, moves an
application to review with new reasons): the revision reaches the store through the
decisions feed of the real reference server, and the detail view shows the latest
decision, its reasons, that it was revised and what it was before; the history names
the sync as the one who took those steps."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core import i18n
from core.config import resolve_paths
from core.context import open_context
from tests.helpers.server import RealServer
from tests.ui.conftest import FAST, detail_for, lane_for
from tests.ui.sync_support import enroll_data_dir, new_store_code, save_form

REVISED_REASONS = ["HO_RING", "HO_PHONE_SHARED"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with RealServer(tmp_path_factory.mktemp("central")) as srv:
        yield srv


def revise_at_head_office(server: RealServer, app_id: str, decision: str) -> None:
    """What head office's revision writes: a new answer for the application at the end
    of its decisions feed (same application revision, new reasons)."""
    now = datetime.now(UTC).isoformat()
    with sqlite3.connect(server.data_dir / "server.db", timeout=10) as conn:
        cur = conn.execute(
            "INSERT INTO decisions (application_id, store_code, rev, decision, "
            "approved_amount_fen, score, reasons, points, decided_at) "
            "SELECT application_id, store_code, rev, ?, NULL, score - 200, ?, points, ? "
            "FROM decisions WHERE application_id = ? ORDER BY seq DESC LIMIT 1",
            (decision, json.dumps(REVISED_REASONS), now, app_id),
        )
        assert cur.rowcount == 1


def test_a_revised_decision_shows_with_its_reasons_and_what_it_was(
    qtbot: Any, server: RealServer, data_dir: Path
) -> None:
    enroll_data_dir(data_dir, server, new_store_code())
    ctx = open_context(resolve_paths(data_dir))
    try:
        assert ctx.sync is not None
        app_id = save_form(ctx)
        assert ctx.sync.sync_once(timeouts=FAST).decisions == 1
        first = ctx.sync.decision(app_id)
        assert first is not None
        lane = lane_for(ctx)
        before = detail_for(lane, ctx.actor, app_id, "en")
        qtbot.addWidget(before)
        assert not before.decision_box.revised_label.isVisibleTo(before)

        revised = "declined" if first.decision == "review" else "review"
        revise_at_head_office(server, app_id, revised)
        assert ctx.sync.sync_once(timeouts=FAST).decisions == 1
        dialog = detail_for(lane_for(ctx), ctx.actor, app_id, "en")
        qtbot.addWidget(dialog)
    finally:
        ctx.close()
    box = dialog.decision_box
    assert box.decision_label.text() == {"review": "Manual review", "declined": "Declined"}[revised]
    assert box.reasons_label.text().splitlines() == [
        f"• {i18n.translate(code, 'en')}" for code in REVISED_REASONS
    ]
    assert all(i18n.has(code) for code in REVISED_REASONS)  # head office's own words
    assert box.revised_label.isVisibleTo(dialog)
    text = box.revised_label.text()
    assert text.startswith("Head office changed its decision on ")
    was = {"approved": "Approved", "review": "Manual review", "declined": "Declined"}
    assert f"Before: {was[first.decision]}" in text
    assert dialog._snapshot.revision is not None and dialog._snapshot.revision.answers == 2

    history = dialog.history_model
    rows = [
        [history.index(r, c).data() for c in range(history.columnCount())]
        for r in range(history.rowCount())
    ]
    synced = [row for row in rows if row[2] in ("Sent to head office", "Head-office decision")]
    assert synced and all(row[1] == "Sync (automatic)" for row in synced)
    assert all(row[1] for row in rows)  # every step names who (or what) took it
