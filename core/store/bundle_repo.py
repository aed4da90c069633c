"""What offline sync bundles read and write beyond the sync repository: the outbox's
pending rows in queue order regardless of their retry times, rows by op id, and the
bundle counters in ``sync_state`` (no table of their own)."""

from __future__ import annotations

from collections.abc import Sequence

from core.store.sync_repo import _OUTBOX_COLUMNS, OutboxItem, SyncRepo

#: sync_state keys: the last store bundle number made here, and the last return bundle
#: imported here (its number and id)
BUNDLE_SEQ = "bundle_seq"
RETURN_SEQ = "bundle_return_seq"
RETURN_ID = "bundle_return_id"


class BundleRepo(SyncRepo):
    def next_bundle_seq(self) -> int:
        """The next store-bundle number (call inside the caller's transaction)."""
        seq = int(self.state_get(BUNDLE_SEQ) or 0) + 1
        self.state_set(BUNDLE_SEQ, str(seq))
        return seq

    def pending_after(self, after_rowid: int, limit: int) -> list[OutboxItem]:
        """Pending rows queued after ``after_rowid``, oldest first, due or not: a bundle
        carries everything head office has not acknowledged."""
        rows = self.db.execute(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND rowid > ? "
            "ORDER BY rowid LIMIT ?",
            [after_rowid, limit],
        ).fetchall()
        return [self._item(r) for r in rows]

    def pending_by_op(self, op_ids: Sequence[str]) -> list[OutboxItem]:
        """The still pending rows among ``op_ids`` (others were settled or withdrawn)."""
        found: list[OutboxItem] = []
        ids = list(op_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' "
                f"AND op_id IN ({marks}) ORDER BY rowid",
                chunk,
            ).fetchall()
            found.extend(self._item(r) for r in rows)
        return found
