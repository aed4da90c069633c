"""A PC with 400 seeded applications over 60 days by 5 salespersons, some decided by
head office, one upload refused and one kept aside; a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import seed_demo

NOW = datetime(2026, 3, 18, 6, 30, tzinfo=UTC)  # a Wednesday, 14:30 in China


@pytest.fixture
def ctx(tmp_path: Path):  # type: ignore[no-untyped-def]
    c = open_context(resolve_paths(tmp_path / "pc"), FixedClock(NOW))
    seed_demo(c.applications, 400, 7, NOW, salespeople=5, days=60)
    rows = c.db.execute("SELECT id FROM applications ORDER BY id").fetchall()
    # head office decided some; one upload was refused, one kept aside
    for n, (app_id,) in enumerate(rows[:150]):
        decision = ("approved", "declined", "review")[n % 3]
        c.db.execute("UPDATE applications SET status = ? WHERE id = ?", [decision, app_id])
        c.db.execute(
            "INSERT INTO decisions(application_id, decision, approved_amount_fen, score, "
            "reasons, decided_at, seq, received_at) VALUES (?, ?, ?, 70, '[]', ?, ?, ?)",
            [app_id, decision, 1000 * n if decision == "approved" else None, "x", n, "x"],
        )
    c.db.execute("UPDATE outbox SET state = 'rejected' WHERE application_id = ?", [rows[200][0]])
    c.db.execute("UPDATE outbox SET state = 'quarantined' WHERE application_id = ?", [rows[201][0]])
    c.db.conn.commit()
    yield c
    c.close()
