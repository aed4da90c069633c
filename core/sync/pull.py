"""Pulling what head office sends back: decisions by cursor, the rule pack by ETag, the
catalog by cursor and blacklist deltas by state; then the heartbeat.

Each page is applied together with the cursor after it, in one transaction: a crash
between the two can neither skip a page nor apply one twice. A response that fails
validation changes nothing (the HTTP client already refused it).

A status change or decision recorded on an application names the operator who started
the run by hand (``SyncRun.started_by``; none for an automatic run). The catalog,
blacklist and rule pack rows name no operator: those changes are head office's.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from core.applications.status import Action
from core.clock import iso_now
from core.models import TRANSITIONS, CatalogItem, Status
from core.rules import PackError
from core.store.sync_repo import DecisionRecord
from core.sync import state_keys, wire
from core.sync.errors import SyncIssue
from core.sync.http import Answer
from core.sync.run import SyncRun

log = logging.getLogger("loandesk.sync.pull")

P = wire.API_PREFIX
DECISIONS_PATH = f"{P}/decisions"
RULEPACK_PATH = f"{P}/rulepacks/current"
CATALOG_PATH = f"{P}/catalog"
HEARTBEAT_PATH = f"{P}/devices/heartbeat"


def blacklist_path(name: str) -> str:
    return f"{P}/blacklists/{name}/delta"


def stream_list_sha256(sorted_digests: Iterable[str]) -> str:
    """``wire.list_sha256`` of an already sorted stream, without holding the list."""
    h = hashlib.sha256()
    first = True
    for digest in sorted_digests:
        h.update(digest.encode("ascii") if first else b"\n" + digest.encode("ascii"))
        first = False
    return h.hexdigest()


class _Mismatch(Exception):
    pass


def _decision_detail(d: wire.Decision) -> dict[str, Any]:
    """What an audit row keeps of a decision: codes and amounts, no personal data."""
    return {
        "decision": d.decision,
        "score": d.score,
        "approved_amount_fen": d.approved_amount_fen,
        "reasons": list(d.reasons),
    }


def _changed(before: DecisionRecord | None, d: wire.Decision) -> bool:
    """Does ``d`` change the stored answer (a re-delivery of the same one does not)?"""
    if before is None:
        return True
    stored = (before.decision, before.approved_amount_fen, before.score, tuple(before.reasons))
    return stored != (d.decision, d.approved_amount_fen, d.score, tuple(d.reasons))


class Puller:
    """One run's pulls and heartbeat: works with the run state."""

    def __init__(self, run: SyncRun) -> None:
        self.e = run

    # --- decisions ------------------------------------------------------------------------
    def decisions(self) -> Answer[Any] | None:
        e = self.e
        cursor = e.repo.state_get(state_keys.DECISIONS_CURSOR) or ""
        expired_once, restarts = False, 0
        while not e.cancelled():
            params: dict[str, str | int] = {"limit": e.options.page_size}
            if cursor:
                params["cursor"] = cursor
            ans = e.http.get(DECISIONS_PATH, wire.DecisionsPage, params=params)
            e.note(ans)
            if ans.kind in ("gone", "bad_request") and cursor and not expired_once:
                expired_once, cursor = True, ""  # expired (or not understood): start over
                e.repo.state_set(state_keys.DECISIONS_CURSOR, None)
                e.report.notices.append(SyncIssue("SYNC_CURSOR_EXPIRED"))
                continue
            if ans.value is None:
                return ans
            page = ans.value
            if e.check_epoch(page.server_epoch) and restarts < 3:
                restarts, cursor = restarts + 1, ""  # the old cursor means nothing now
                continue
            with e.db.atomic():
                # write first: the write lock comes before any read, so a commit by the
                # GUI's connection meanwhile cannot make this transaction's snapshot stale
                e.repo.state_set(state_keys.DECISIONS_CURSOR, page.next_cursor)
                e.report.decisions += self._apply_decisions(page.items)
            e.progress("decisions", e.report.decisions, 0)
            if not page.has_more or not page.items or page.next_cursor == cursor:
                return None
            cursor = page.next_cursor
        return None

    def apply_decisions(self, items: list[wire.Decision]) -> int:
        """Apply decisions (inside the caller's transaction); how many were for this PC."""
        return self._apply_decisions(items)

    def _apply_decisions(self, items: list[wire.Decision]) -> int:
        e = self.e
        now = iso_now(e.clock)
        statuses = e.repo.statuses(d.application_id for d in items)
        applied = 0
        for d in items:
            status = statuses.get(d.application_id)
            if status is None:
                continue  # not saved on this PC (another device of the store)
            before = e.repo.decision(d.application_id)
            e.repo.upsert_decision(
                DecisionRecord(
                    d.application_id,
                    d.decision,
                    d.approved_amount_fen,
                    d.score,
                    tuple(d.reasons),
                    d.decided_at,
                    d.seq,
                    now,
                )
            )
            moved = False
            if status == Status.QUEUED.value:  # decided, so received: the ack was lost
                e.repo.ack_pending_for(d.application_id, now)
                self._move(
                    d.application_id, Status.SUBMITTED, now, "submitted", {"via": "decision"}
                )
                status = Status.SUBMITTED.value
            target = Status(d.decision)
            if target in TRANSITIONS[Status(status)]:
                self._move(d.application_id, target, now, "decided", _decision_detail(d))
                status, moved = target.value, True
            if not moved and _changed(before, d):
                # head office changed its answer without a status move (e.g. the
                # application is final here already): still a state change, audited
                e.apps.audit(
                    now,
                    e.started_by,
                    "decision",
                    "application",
                    d.application_id,
                    None,
                    None,
                    _decision_detail(d),
                )
            statuses[d.application_id] = status
            applied += 1
        return applied

    def _move(
        self, app_id: str, new: Status, at: str, action: Action, detail: dict[str, Any]
    ) -> None:
        """A status change head office caused, in the page's transaction; it names the
        operator who started the run by hand (None: an automatic run)."""
        e = self.e
        e.transition(
            e.apps, app_id, new, at=at, action=action, operator_id=e.started_by, detail=detail
        )

    # --- rule pack ------------------------------------------------------------------------
    def rulepack(self) -> Answer[Any] | None:
        e = self.e
        if e.rules is None:
            return None
        etag = e.repo.state_get(state_keys.RULEPACK_ETAG)
        ans: Answer[Any] = e.http.get(
            RULEPACK_PATH, None, headers={"If-None-Match": etag} if etag else None
        )
        e.note(ans)
        if ans.kind in ("not_modified", "not_found"):
            return None
        if ans.kind != "ok":
            return ans
        self.apply_pack(ans.body, ans.etag)
        return None

    def apply_pack(self, body: bytes, etag: str | None) -> None:
        """Install a pack head office sent (online, or in a return bundle)."""
        e = self.e
        assert e.rules is not None
        before = e.rules.active()
        try:
            pack = e.rules.install(body, "server")
        except PackError as exc:  # the old pack stays; reported, not fatal
            log.error("server rule pack refused: %s", exc)
            e.report.errors.append(
                SyncIssue("SYNC_PACK_REFUSED", {"pack_code": exc.code, "detail": exc.detail[:300]})
            )
            self._audit(
                "rule_pack_refused", "rule_pack", "", {"code": exc.code, "source": "server"}
            )
        else:
            if before is None or (before.pack_id, before.version) != (pack.pack_id, pack.version):
                e.report.pack_installed = f"{pack.pack_id} v{pack.version}"
                self._audit(
                    "rule_pack_loaded",
                    "rule_pack",
                    pack.pack_id,
                    {"version": pack.version, "source": "server"},
                )
        if etag:  # a refused pack is not fetched (and reported) again until it changes
            e.repo.state_set(state_keys.RULEPACK_ETAG, etag)

    # --- catalog --------------------------------------------------------------------------
    def catalog(self) -> Answer[Any] | None:
        e = self.e
        cursor = e.repo.state_get(state_keys.CATALOG_CURSOR) or ""
        expired_once = False
        while not e.cancelled():
            params: dict[str, str | int] = {"limit": e.options.page_size}
            if cursor:
                params["cursor"] = cursor
            ans = e.http.get(CATALOG_PATH, wire.CatalogPage, params=params)
            e.note(ans)
            if ans.kind in ("gone", "bad_request") and cursor and not expired_once:
                expired_once, cursor = True, ""
                continue
            if ans.kind == "not_found":
                return None
            if ans.value is None:
                return ans
            page = ans.value
            self.apply_catalog(page.items, page.next_cursor)
            if not page.has_more or not page.items or page.next_cursor == cursor:
                return None
            cursor = page.next_cursor
        return None

    def apply_catalog(self, items: list[wire.CatalogEntry], next_cursor: str) -> None:
        """One page of catalog changes and the cursor after it, in one transaction."""
        e = self.e
        now = iso_now(e.clock)
        with e.db.atomic():
            e.apps.upsert_catalog(
                (
                    CatalogItem(i.sku, i.name, i.category, i.price_fen)
                    for i in items
                    if not i.deleted
                ),
                now,
            )
            e.repo.delete_catalog([i.sku for i in items if i.deleted])
            e.repo.state_set(state_keys.CATALOG_CURSOR, next_cursor)
            if items:
                e.apps.audit(
                    now,
                    None,
                    "catalog_updated",
                    "catalog",
                    "server",
                    None,
                    None,
                    {"changes": len(items)},
                )
        e.report.catalog_changes += len(items)

    # --- blacklists -----------------------------------------------------------------------
    def blacklists(self) -> Answer[Any] | None:
        e = self.e
        if e.rules is None:
            return None
        for name in wire.BLACKLIST_NAMES:
            if e.cancelled():
                return None
            state = e.repo.state_get(state_keys.BLACKLIST_STATE + name) or ""
            stop = self._blacklist(name, state)
            if stop is not None:
                return stop
        return None

    def _blacklist(self, name: str, state: str) -> Answer[Any] | None:
        e = self.e
        params: dict[str, str | int] = {"state": state} if state else {}
        ans = e.http.get(blacklist_path(name), wire.BlacklistDelta, params=params)
        e.note(ans)
        if ans.kind == "not_found":
            return None
        if ans.value is None:
            return ans
        delta = ans.value
        if delta.name != name:
            e.report.errors.append(
                SyncIssue(
                    "SYNC_MALFORMED_RESPONSE",
                    {"detail": f"blacklist {name!r} answered as {delta.name!r}"},
                )
            )
            return None
        try:
            if self._apply_delta(name, delta):
                return None
        except ValueError as exc:  # a digest that is not 64 hex characters: nothing applied
            e.report.errors.append(SyncIssue("SYNC_MALFORMED_RESPONSE", {"detail": str(exc)}))
            return None
        if delta.full and not state:  # a fresh full list that does not match itself
            e.report.errors.append(SyncIssue("SYNC_BLACKLIST_BROKEN", {"name": name}))
            return None
        e.report.notices.append(SyncIssue("SYNC_BLACKLIST_MISMATCH", {"name": name}))
        log.warning("blacklist %s: checksum mismatch after a delta; fetching the full list", name)
        return self._blacklist(name, "")

    def apply_delta(self, name: str, delta: wire.BlacklistDelta) -> bool:
        """A blacklist delta, checked against its checksum (False: nothing kept)."""
        return self._apply_delta(name, delta)

    def _apply_delta(self, name: str, delta: wire.BlacklistDelta) -> bool:
        """Apply in one transaction and check the whole list's checksum before
        committing; on a mismatch nothing is kept (False)."""
        e = self.e
        assert e.rules is not None
        try:
            with e.db.atomic():
                removed = (
                    e.repo.clear_digests(name)
                    if delta.full
                    else e.rules.remove_blacklist_digests(name, delta.removals)
                )
                added = e.rules.add_blacklist_digests(name, delta.additions, "server")
                if stream_list_sha256(e.repo.iter_digests(name)) != delta.sha256:
                    raise _Mismatch(name)
                e.repo.state_set(state_keys.BLACKLIST_STATE + name, delta.state)
                if added or removed:
                    e.apps.audit(
                        iso_now(e.clock),
                        None,
                        "blacklist_updated",
                        "blacklist",
                        name,
                        None,
                        None,
                        {"added": added, "removed": removed},
                    )
        except _Mismatch:
            return False
        if added or removed:
            e.report.blacklist_changes[name] = (
                e.report.blacklist_changes.get(name, 0) + added + removed
            )
        return True

    def _audit(self, action: str, target_type: str, target_id: str, detail: dict[str, Any]) -> None:
        """A change head office made to this PC's reference data (no operator)."""
        e = self.e
        with e.db.atomic():
            e.apps.audit(iso_now(e.clock), None, action, target_type, target_id, None, None, detail)

    # --- heartbeat ------------------------------------------------------------------------
    def heartbeat(self) -> Answer[Any] | None:
        e = self.e
        pack = e.rules.active() if e.rules is not None else None
        body = wire.HeartbeatRequest(
            queue_size=e.repo.count_state("pending"),
            last_sync_at=e.repo.state_get(state_keys.LAST_SYNC_AT),
            pack_version=pack.version if pack is not None else None,
            app_version=e.app_version,
            client_time=iso_now(e.clock),
        )
        ans = e.http.post(HEARTBEAT_PATH, body, wire.HeartbeatResponse)
        e.note(ans)
        if ans.value is not None:
            e.check_epoch(ans.value.server_epoch)
            return None
        if ans.kind in ("unauthorized", "forbidden"):
            return ans
        e.report.errors.append(e.issue_for(ans, HEARTBEAT_PATH))
        return None
