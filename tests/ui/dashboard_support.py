"""A store PC with seeded applications (core.demo_data) over 60 days by 5 salespersons, some
decided by head office, one upload refused and one kept aside, on a fixed clock; the
main window over it as a given role; the direct counts the dashboard must equal; and
the check that no label or button is clipped."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from core.clock import CHINA_TZ, FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import seed_demo
from core.security.permissions import Role
from tests.helpers.roles import operator
from ui.app import make_main_window
from ui.main_window import MainWindow
from ui.tasks import SynchronousRunner

NOW = datetime(2026, 3, 18, 6, 30, tzinfo=UTC)  # a Wednesday, 14:30 in China
SEEDED = 240


def seeded_context(data_dir: Path) -> AppContext:
    c = open_context(resolve_paths(data_dir), FixedClock(NOW))
    seed_demo(c.applications, SEEDED, 7, NOW, salespeople=5, days=60)
    rows = c.db.execute("SELECT id FROM applications ORDER BY id").fetchall()
    for n, (app_id,) in enumerate(rows[::3]):  # head office decided some, of every week
        decision = ("approved", "declined", "review")[n % 3]
        c.db.execute("UPDATE applications SET status = ? WHERE id = ?", [decision, app_id])
        c.db.execute(
            "INSERT INTO decisions(application_id, decision, approved_amount_fen, score, "
            "reasons, decided_at, seq, received_at) VALUES (?, ?, ?, 70, '[]', ?, ?, ?)",
            [app_id, decision, 1000 * n if decision == "approved" else None, "x", n, "x"],
        )
    c.db.execute("UPDATE outbox SET state = 'rejected' WHERE application_id = ?", [rows[101][0]])
    c.db.execute("UPDATE outbox SET state = 'quarantined' WHERE application_id = ?", [rows[103][0]])
    c.db.conn.commit()
    return c


def window_as(
    qtbot: Any, c: AppContext, role: Role | None, lang: str = "en", **options: Any
) -> MainWindow:
    """The main window as an operator of ``role`` (None: the built-in admin account);
    background work (exports, bundles) runs to its end before returning."""
    ctx = c if role is None else c.as_operator(operator(c, role))
    options.setdefault("runner", SynchronousRunner())
    window = make_main_window(ctx, lang, auto_sync=False, **options)
    qtbot.addWidget(window)
    window.show()
    return window


def direct(c: AppContext, first: date, last: date) -> list[dict[str, Any]]:
    """The applications saved from ``first`` to ``last`` (China days), read plainly."""
    start = datetime.combine(first, datetime.min.time(), CHINA_TZ)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), CHINA_TZ)
    out = []
    for row in c.db.execute(
        "SELECT a.id, a.created_at, a.scenario, a.status, a.principal_fen, a.operator_id, "
        "r.outcome FROM applications a "
        "LEFT JOIN prescreen_receipts r ON r.application_id = a.id"
    ).fetchall():
        if start <= datetime.fromisoformat(row[1]) < end:
            keys = ("id", "at", "scenario", "status", "principal", "operator", "outcome")
            out.append(dict(zip(keys, row, strict=True)))
    return out


def counts(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    return dict(Counter(str(r[key]) for r in rows))


def clipped(root: QWidget) -> list[str]:
    """Visible labels and buttons narrower (or, wrapped, lower) than their text needs."""
    bad = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or not isinstance(w, QLabel | QAbstractButton):
            continue
        text = w.text()
        if not text:
            continue
        hint = w.sizeHint()
        if isinstance(w, QLabel) and w.wordWrap():
            if w.height() < w.heightForWidth(w.width()):
                bad.append(f"{w.objectName() or text!r}: {w.height()} < needed height")
        elif w.width() < hint.width() or w.height() < min(hint.height(), w.minimumHeight() or 0):
            bad.append(f"{w.objectName() or text!r}: {w.width()}x{w.height()} < {hint.width()}")
    return bad


def save_artifact(widget: QWidget, path: Path) -> Path:
    """``widget`` as a PNG at ``path``; also copied to $LOANDESK_ARTIFACTS when set."""
    assert widget.grab().save(str(path))
    folder = os.environ.get("LOANDESK_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)
    return path
