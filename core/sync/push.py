"""Pushing the outbox: pages of due rows, oldest first, in batches; per-item results;
splitting a batch the server refuses as a whole to find the one item that breaks it.

Rows are never marked "sending": an item is pending until an answer settles it, so a
crash or a lost reply simply sends it again and the server's dedupe answers
``duplicate``.

The poison hunt: 413 halves the batch (and the batch size for the rest of the run);
400/422/5xx for a batch of several items splits it in two and tries each half. An item
that fails alone is a *suspect*: from then on it travels alone, and each failure counts
towards quarantine, but only in a run where the server answered something else
correctly, so an outage never quarantines anything. ``quarantine_after`` failures
spanning ``quarantine_window_s`` quarantine it: kept and visible, the queue moves on.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from core.clock import iso_now
from core.models import Status
from core.store.sync_repo import OutboxItem
from core.sync import wire
from core.sync.http import Answer
from core.sync.run import SyncRun

log = logging.getLogger("loandesk.sync.push")

BATCH_PATH = f"{wire.API_PREFIX}/applications/batch"
_ACKED = ("created", "duplicate", "updated")


def batch_body(batch: list[OutboxItem]) -> bytes:
    """The BatchRequest JSON, with each stored payload embedded as stored (the exact
    canonical bytes its sha256 is of; no parse and re-serialize per item)."""
    parts = []
    for item in batch:
        head = json.dumps(
            {
                "op_id": item.op_id,
                "application_id": item.application_id,
                "op": item.op,
                "base_rev": item.base_rev,
                "payload_sha256": item.payload_sha256,
            },
            ensure_ascii=False,
        )
        parts.append(f'{head[:-1]}, "payload": {item.payload}}}')
    return ('{"items": [' + ", ".join(parts) + "]}").encode("utf-8")


class Pusher:
    """One run's push (and, after the run, its suspects): works with the run state."""

    def __init__(self, run: SyncRun) -> None:
        self.e = run
        self.batch_size = run.options.batch_size
        self._suspects: list[tuple[OutboxItem, Answer[Any]]] = []
        self._solo_in_a_row = 0

    def run(self) -> Answer[Any] | None:
        e = self.e
        self.batch_size = max(1, min(e.options.batch_size, wire.MAX_BATCH_ITEMS))
        self._suspects, self._solo_in_a_row = [], 0
        total = e.repo.count_state("pending")
        after, done, restarts = 0, 0, 0
        e.progress("push", 0, total)
        while not e.cancelled():
            if e.epoch_restart and restarts < 3:  # acked rows are pending again: start over
                e.epoch_restart, after, restarts = False, 0, restarts + 1
                total = e.repo.count_state("pending")
            page = e.repo.due_page(after, e.wall_now(), e.options.horizon_s, self.batch_size)
            if not page:
                return None
            after = page[-1].rowid
            alone = [[item] for item in page if item.solo_failures > 0]
            together = [item for item in page if item.solo_failures == 0]
            stack = ([together] if together else []) + alone[::-1]
            while stack:
                if e.cancelled():
                    return None
                batch = stack.pop()
                stop = self._send(batch, stack)
                if stop is not None:
                    return stop
                done += len(batch)
                e.progress("push", min(done, total), total)
        return None

    def _send(self, batch: list[OutboxItem], stack: list[list[OutboxItem]]) -> Answer[Any] | None:
        e = self.e
        answer = e.http.post(BATCH_PATH, batch_body(batch), wire.BatchResponse)
        if answer.kind != "not_sent":
            e.report.pushed += len(batch)
        e.note(answer)
        if answer.kind == "ok" and answer.value is not None:
            self._solo_in_a_row = 0
            e.check_epoch(answer.value.server_epoch)
            self._apply(batch, answer.value, answer.status or 200)
            return None
        if answer.kind not in ("too_large", "bad_request", "server_error"):
            return answer  # nothing known about any item: stop, back off, resend later
        if answer.kind == "too_large":
            self.batch_size = max(1, min(self.batch_size, len(batch) // 2))
        if len(batch) > 1:
            mid = (len(batch) + 1) // 2
            stack += [batch[mid:], batch[:mid]]  # the first half goes next
            log.info("batch of %d refused (%s): split", len(batch), answer.detail)
            return None
        self._suspects.append((batch[0], answer))
        self._solo_in_a_row += 1
        if self._solo_in_a_row >= e.options.max_solo_failures:
            return answer  # item after item fails alone: the server is the problem
        return None

    def apply_results(self, batch: list[OutboxItem], resp: wire.BatchResponse) -> None:
        """Per-item results that came another way (a return bundle), as a 200 answer."""
        self._apply(batch, resp, 200)

    def _apply(self, batch: list[OutboxItem], resp: wire.BatchResponse, http_status: int) -> None:
        """Per-item results, all in one transaction."""
        e = self.e
        by_op = {item.op_id: item for item in batch}
        results: dict[str, wire.ItemResult] = {}
        for r in resp.results:
            item = by_op.get(r.op_id)
            if item is None or r.application_id != item.application_id:
                log.warning("ignoring a result for an op not in the batch: %s", r.op_id)
                continue
            results[r.op_id] = r
        now, wall = iso_now(e.clock), e.wall_now()
        acked = [
            (item, results[item.op_id])
            for item in batch
            if item.op_id in results and results[item.op_id].status in _ACKED
        ]
        with e.db.atomic():
            e.repo.mark_acked([item.op_id for item, _ in acked], now, http_status)
            statuses = e.repo.statuses(item.application_id for item, _ in acked)
            for item, r in acked:
                if statuses.get(item.application_id) == Status.QUEUED.value:
                    e.transition(
                        e.apps,
                        item.application_id,
                        Status.SUBMITTED,
                        at=now,
                        action="submitted",
                        operator_id=e.started_by,
                        detail={"result": r.status, "server_rev": r.server_rev},
                    )
            for item in batch:
                r_or_none = results.get(item.op_id)
                if r_or_none is not None and r_or_none.status in _ACKED:
                    continue
                if r_or_none is None or r_or_none.status == "retry":
                    code = "SYNC_ITEM_RETRY" if r_or_none is not None else "SYNC_ITEM_MISSING"
                    e.repo.mark_retry(
                        [item.op_id],
                        wall + e.backoff.delay(item.attempts),
                        http_status,
                        {"code": code},
                    )
                    e.report.retried += 1
                else:
                    e.repo.mark_rejected(item.op_id, http_status, rejection(r_or_none))
                    e.report.rejected += 1
        e.report.acked += len(acked)

    def settle_suspects(self, server_ok: bool) -> None:
        """Count the failures of items sent alone, now that the run knows whether the
        server works for others; quarantine the ones that failed often enough."""
        e = self.e
        suspects, self._suspects = self._suspects, []
        if not suspects:
            return
        # one timestamp for "now" and for a first failure recorded now: taking the clock
        # twice made the span a hair negative across a millisecond boundary, and a zero
        # quarantine window then missed the item (a flaky test found it)
        at, wall = iso_now(e.clock), e.wall_now()
        now = datetime.fromisoformat(at)
        with e.db.atomic():
            for item, answer in suspects:
                next_at = wall + e.backoff.delay(item.solo_failures)
                if not server_ok:
                    e.repo.mark_retry([item.op_id], next_at, answer.status, answer.error())
                    continue
                count, first = e.repo.record_solo_failure(
                    item.op_id, at, next_at, answer.status, answer.error()
                )
                span = (now - datetime.fromisoformat(first)).total_seconds()
                if count >= e.options.quarantine_after and span >= e.options.quarantine_window_s:
                    e.repo.mark_quarantined(item.op_id)
                    e.report.quarantined += 1
                    log.warning(
                        "quarantined %s (application %s) after %d failures over %.0f s",
                        item.op_id,
                        item.application_id,
                        count,
                        span,
                    )


def rejection(result: wire.ItemResult) -> dict[str, Any]:
    """What an outbox row's last_error holds for a refused item."""
    if result.status == "conflict":
        return {"code": "SYNC_ITEM_CONFLICT", "server_rev": result.server_rev}
    reasons = [r.model_dump() for r in result.reasons]
    text = "；".join(r.message or r.code for r in result.reasons) or "-"
    return {"code": "SYNC_ITEM_INVALID", "reasons": reasons, "text": text}
