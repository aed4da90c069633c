"""The quarantine export for IT holds personal data: it appears under its name only once
it is complete and audited, and a failure leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.admin import AdminService
from core.config import resolve_paths
from core.context import open_context
from core.store.audit_repo import AuditRepo


def test_no_file_without_its_audit_row_and_no_partial_file(tmp_path: Path) -> None:
    ctx = open_context(resolve_paths(tmp_path / "data"))
    try:
        assert ctx.sync is not None
        target = tmp_path / "kept.jsonl"

        def audit_fails(count: int) -> None:
            raise OSError("disk full while auditing")

        with pytest.raises(OSError):
            ctx.sync.export_quarantined(target, audit_fails)
        assert list(tmp_path.glob("kept.jsonl*")) == []

        assert AdminService.of(ctx).export_quarantined(target) == 0
        assert target.exists() and list(tmp_path.glob("*.part")) == []
        rows = [r for r in AuditRepo(ctx.db).rows() if r["action"] == "exported"]
        assert len(rows) == 1 and '"kind": "quarantined"' in str(rows[0]["detail"])
    finally:
        ctx.close()
