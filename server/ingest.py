"""Batch ingestion: each item in its own transaction, idempotent by op id and by
application id (a permanent unique key), validated with ``core.validation.application`` exactly
as the store's form, scored at once, its decision appended to the feed.

Order of checks for one item (the first that applies answers):

1. ``payload_sha256`` differs from the payload's canonical sha256 -> ``invalid``
   ``PAYLOAD_HASH``;
2. the op id was applied before: same sha -> ``duplicate``; other sha -> ``invalid``
   ``OP_ID_REUSED``;
3. the payload is not an ``ApplicationPayload`` -> ``invalid`` ``PAYLOAD_SCHEMA``; its
   application id differs from the item's -> ``APPLICATION_ID_MISMATCH``; its store is
   not the device's -> ``STORE_MISMATCH``;
4. ``create`` of a known id: same sha -> ``duplicate``, else ``conflict``;
   ``update``: unknown id -> ``invalid`` ``UNKNOWN_APPLICATION``; ``base_rev`` is not
   the server revision -> ``conflict`` (``duplicate`` if the content is the same);
5. the pack the store priced with is not published (``PACK_UNKNOWN``),
   ``core.validation.parse_application`` (China date, that pack's terms policy)
   refuses it, or the figures differ from the server's own (``server/terms.py``:
   ``RATE_MISMATCH``, ``FIGURES_MISMATCH``) -> ``invalid``;
6. stored: ``created`` (rev 1) or ``updated`` (rev + 1), scored with the pre-screen
   the server replays (``server/prescreen_check.py``; a mismatch is flagged for
   review) and the fraud signals (``server/signals_store.py``: the store-side reasons
   that stand and head office's own cross-store flags), decision appended; earlier
   members of a cluster it completed are revised (review) or listed for the risk team.
   While evidence the pack requires has not been uploaded the decision is ``review``
   ``HO_EVIDENCE_PENDING`` (``server/evidence.py``); the last upload scores it again
   (``server/held.py``).

``terms.first_due_date`` is checked against the application's own day (its
``created_at``, China date, never later than today), not the day it arrived: a store
that syncs late is not refused for a date that was valid when it was taken.

A failure of the server itself answers ``retry`` for that item (nothing stored).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from core.sync.wire import (
    ApplicationPayload,
    BatchItem,
    ItemResult,
    ItemStatus,
    canonical_json,
    json_problem,
    payload_sha256,
)
from server.db import Database, bump, utc_now
from server.decide import IngestContext as IngestContext
from server.decide import Reject, reason, validate_and_score
from server.devices import Device
from server.signals_store import LiveSignals, apply_revisions, live_for

log = logging.getLogger("loandesk.server")

_COUNTERS: dict[str, str] = {
    "created": "created",
    "duplicate": "duplicates",
    "updated": "updates",
    "conflict": "conflicts",
    "invalid": "invalid",
}


def process_batch(
    db: Database,
    items: Sequence[BatchItem],
    ctx: IngestContext,
    after_item: Callable[[int], None] | None = None,
) -> list[ItemResult]:
    """Results in request order; ``after_item(n)`` runs after the n-th item committed."""
    results = []
    for index, item in enumerate(items, start=1):
        results.append(process_item(db, item, ctx))
        if after_item is not None:
            after_item(index)
    return results


def process_item(db: Database, item: BatchItem, ctx: IngestContext) -> ItemResult:
    """One item, one transaction. A failure of the server itself (a locked database, a
    bug) rolls the item back and answers ``retry``: the other items go on."""
    live: LiveSignals | None = None
    try:
        live = live_for(db)
        # keyed by the application: on PostgreSQL, two workers given the same id at
        # once store it once (the second waits, then finds it); others go in parallel
        with db.write(key=item.application_id) as conn:
            try:
                status, rev = _apply(conn, item, ctx, live, db.data_dir)
                result = ItemResult(
                    op_id=item.op_id,
                    application_id=item.application_id,
                    status=status,
                    server_rev=rev,
                )
            except Reject as exc:
                result = ItemResult(
                    op_id=item.op_id,
                    application_id=item.application_id,
                    status="invalid",
                    reasons=exc.reasons,
                )
            bump(conn, "items_processed", _COUNTERS[result.status])
        return result
    except Exception:
        if live is not None:
            live.reset()  # it may hold a row the rollback took back
        log.exception("item %s of application %s failed", item.op_id, item.application_id)
        return ItemResult(
            op_id=item.op_id,
            application_id=item.application_id,
            status="retry",
            reasons=[reason("", "SERVER_ERROR", "服务器暂时无法处理这份申请，稍后会自动重试")],
        )


def _apply(
    conn: sqlite3.Connection,
    item: BatchItem,
    ctx: IngestContext,
    live: LiveSignals,
    data_dir: Path | None,
) -> tuple[ItemStatus, int]:
    problem = json_problem(item.payload)
    if problem is not None:
        where, what = problem
        raise Reject(
            reason(
                where,
                "PAYLOAD_SCHEMA",
                f"申请数据超出范围：{where}（{what}）；请升级门店软件或联系技术支持 / "
                f"the application data is out of bounds at {where} ({what})",
            )
        )
    if payload_sha256(item.payload) != item.payload_sha256:
        raise Reject(
            reason(
                "payload_sha256",
                "PAYLOAD_HASH",
                "数据校验值与内容不一致，数据可能在传输中损坏；请重新同步，仍失败请联系技术支持",
            )
        )
    op = conn.execute(
        "SELECT payload_sha256, rev FROM ops WHERE op_id = ?", (item.op_id,)
    ).fetchone()
    if op is not None:
        if op[0] == item.payload_sha256:
            return "duplicate", int(op[1])
        raise Reject(
            reason(
                "op_id", "OP_ID_REUSED", "操作编号已用于另一份内容，服务器不能接收；请联系技术支持"
            )
        )
    payload = _payload(item, ctx.device)
    now = utc_now()
    row = conn.execute(
        "SELECT rev, payload_sha256, store_code FROM applications WHERE application_id = ?",
        (item.application_id,),
    ).fetchone()
    if item.op == "create":
        if row is not None:
            rev = int(row[0])
            if row[1] != item.payload_sha256:
                return "conflict", rev
            _record_op(conn, item, rev, now)
            return "duplicate", rev
        rev = 1
    else:
        if row is None:
            raise Reject(
                reason(
                    "application_id",
                    "UNKNOWN_APPLICATION",
                    "服务器上没有这份申请，无法修改；请先提交这份申请",
                )
            )
        rev = int(row[0])
        if row[2] != ctx.device.store_code:
            raise _store_mismatch(str(row[2]), ctx.device.store_code)
        if item.base_rev != rev:
            if row[1] == item.payload_sha256:
                _record_op(conn, item, rev, now)
                return "duplicate", rev
            return "conflict", rev
        rev += 1
    result, judged = validate_and_score(conn, payload, ctx, live, rev == 1, now, data_dir)
    text = canonical_json(item.payload)
    if rev == 1:
        conn.execute(
            "INSERT INTO applications (application_id, store_code, rev, payload_sha256, payload, "
            "client_created_at, received_at, updated_at, device_id) "
            "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)",
            (
                item.application_id,
                ctx.device.store_code,
                item.payload_sha256,
                text,
                payload.created_at,
                now,
                now,
                ctx.device.device_id,
            ),
        )
    else:
        conn.execute(
            "UPDATE applications SET rev = ?, payload_sha256 = ?, payload = ?, updated_at = ?, "
            "device_id = ? WHERE application_id = ?",
            (rev, item.payload_sha256, text, now, ctx.device.device_id, item.application_id),
        )
    conn.execute(
        "INSERT INTO revisions (application_id, rev, op_id, payload_sha256, payload, "
        "received_at) VALUES (?, ?, ?, ?, ?, ?)",
        (item.application_id, rev, item.op_id, item.payload_sha256, text, now),
    )
    _record_op(conn, item, rev, now)
    conn.execute(
        "INSERT INTO decisions (application_id, store_code, rev, decision, approved_amount_fen, "
        "score, reasons, points, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item.application_id,
            ctx.device.store_code,
            rev,
            result.decision,
            result.approved_amount_fen,
            result.score,
            json.dumps(list(result.reasons)),
            json.dumps(dict(result.points)),
            now,
        ),
    )
    apply_revisions(conn, judged.revisions, now)
    return ("created" if rev == 1 else "updated"), rev


def _record_op(conn: sqlite3.Connection, item: BatchItem, rev: int, now: str) -> None:
    conn.execute(
        "INSERT INTO ops (op_id, application_id, payload_sha256, rev, received_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (item.op_id, item.application_id, item.payload_sha256, rev, now),
    )


def _store_mismatch(theirs: str, ours: str) -> Reject:
    return Reject(
        reason(
            "store_code",
            "STORE_MISMATCH",
            f"申请所属门店（{theirs}）与本设备登记的门店（{ours}）不一致，服务器不能接收",
        )
    )


def _payload(item: BatchItem, device: Device) -> ApplicationPayload:
    try:
        payload = ApplicationPayload.model_validate(item.payload)
    except ValidationError as exc:
        reasons = []
        for err in exc.errors()[:20]:
            where = ".".join(str(part) for part in err["loc"])
            reasons.append(
                reason(
                    where,
                    "PAYLOAD_SCHEMA",
                    f"申请数据格式不正确：{where}（{err['msg']}）；请升级门店软件或联系技术支持",
                )
            )
        raise Reject(*reasons) from None
    if payload.application_id != item.application_id:
        raise Reject(
            reason(
                "application_id",
                "APPLICATION_ID_MISMATCH",
                "申请编号与申请内容中的编号不一致，服务器不能接收；请联系技术支持",
            )
        )
    if payload.store_code != device.store_code:
        raise _store_mismatch(payload.store_code, device.store_code)
    return payload
