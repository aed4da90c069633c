"""Batch ingestion: each item in its own transaction, idempotent by op id and by
application id (a permanent unique key), validated with ``core.validation`` exactly
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

A failure of the server itself answers ``retry`` for that item (nothing stored).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from core.models import ApplicationInput, TermsPolicy
from core.rules import blacklist_digest
from core.sync.wire import (
    ApplicationPayload,
    BatchItem,
    ItemResult,
    ItemStatus,
    WireReason,
    canonical_json,
    json_problem,
    payload_sha256,
)
from core.validation import age_on, id_birth_date, parse_application
from server.db import Database, bump, lock_section, utc_now
from server.devices import Device
from server.packs import ActivePack, PackCache
from server.prescreen_check import replay_prescreen
from server.scorecard import Score, ScoreInput, flag_for_review, knock_out, score
from server.signals.store_side import repriced_to_pass
from server.signals_store import (
    Judgement,
    LiveSignals,
    apply_revisions,
    live_for,
    plain_application,
)
from server.terms import FiguresRefused, check_figures, terms_pack

log = logging.getLogger("loandesk.server")

_COUNTERS: dict[str, str] = {
    "created": "created",
    "duplicate": "duplicates",
    "updated": "updates",
    "conflict": "conflicts",
    "invalid": "invalid",
}


@dataclass(frozen=True)
class IngestContext:
    device: Device
    active: ActivePack | None
    today: date  # China-local: it decides a customer's age, as at the counter
    packs: PackCache | None = None  # every published version (the figures, the replay)


class _Reject(Exception):
    def __init__(self, *reasons: WireReason) -> None:
        super().__init__(reasons[0].code)
        self.reasons = list(reasons)


def _reason(field: str, code: str, message: str) -> WireReason:
    return WireReason(field=field, code=code, message=message)


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
                status, rev = _apply(conn, item, ctx, live)
                result = ItemResult(
                    op_id=item.op_id,
                    application_id=item.application_id,
                    status=status,
                    server_rev=rev,
                )
            except _Reject as exc:
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
            reasons=[_reason("", "SERVER_ERROR", "服务器暂时无法处理这份申请，稍后会自动重试")],
        )


def _apply(
    conn: sqlite3.Connection, item: BatchItem, ctx: IngestContext, live: LiveSignals
) -> tuple[ItemStatus, int]:
    problem = json_problem(item.payload)
    if problem is not None:
        where, what = problem
        raise _Reject(
            _reason(
                where,
                "PAYLOAD_SCHEMA",
                f"申请数据超出范围：{where}（{what}）；请升级门店软件或联系技术支持 / "
                f"the application data is out of bounds at {where} ({what})",
            )
        )
    if payload_sha256(item.payload) != item.payload_sha256:
        raise _Reject(
            _reason(
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
        raise _Reject(
            _reason(
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
            raise _Reject(
                _reason(
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
    result, judged = _validate_and_score(conn, payload, ctx, live, rev == 1, now)
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


def _store_mismatch(theirs: str, ours: str) -> _Reject:
    return _Reject(
        _reason(
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
                _reason(
                    where,
                    "PAYLOAD_SCHEMA",
                    f"申请数据格式不正确：{where}（{err['msg']}）；请升级门店软件或联系技术支持",
                )
            )
        raise _Reject(*reasons) from None
    if payload.application_id != item.application_id:
        raise _Reject(
            _reason(
                "application_id",
                "APPLICATION_ID_MISMATCH",
                "申请编号与申请内容中的编号不一致，服务器不能接收；请联系技术支持",
            )
        )
    if payload.store_code != device.store_code:
        raise _store_mismatch(payload.store_code, device.store_code)
    return payload


def _validate_and_score(
    conn: sqlite3.Connection,
    payload: ApplicationPayload,
    ctx: IngestContext,
    live: LiveSignals,
    new: bool,
    now: str,
) -> tuple[Score, Judgement]:
    published = ctx.packs.version if ctx.packs is not None else _none_published
    try:
        pack = terms_pack(payload, ctx.active, published)
    except FiguresRefused as exc:
        raise _Reject(*exc.reasons) from None
    # what head office offers is what it publishes now (a term it dropped is refused even
    # for a store still on the older pack); the figures are priced by the pack the
    # store's pre-screen named (check_figures)
    offer = ctx.active if ctx.active is not None else pack
    policy = offer.policy if offer is not None else TermsPolicy()
    try:
        checked = parse_application(payload.application, today=ctx.today, policy=policy)
    except Exception as exc:  # data no form could produce: refuse it, never "retry"
        log.warning("application %s unreadable: %s", payload.application_id, type(exc).__name__)
        raise _Reject(
            _reason(
                "application",
                "PAYLOAD_SCHEMA",
                "申请内容无法读取；请升级门店软件或联系技术支持 / "
                "the application cannot be read; update the store app or call support",
            )
        ) from None
    if checked.value is None:
        raise _Reject(*(_reason(e.field, e.code, e.text("zh_CN")) for e in checked.errors))
    app = checked.value
    try:
        priced = check_figures(payload, app, pack)
    except FiguresRefused as exc:
        raise _Reject(*exc.reasons) from None
    schedule = priced.schedule
    replayed = replay_prescreen(payload, app, schedule.max_payment_fen, published)
    store_reasons = (
        replayed.reasons
        if replayed.outcome is not None
        else tuple(payload.prescreen.reasons if payload.prescreen is not None else ())
    )  # what the store's clerk saw counts, even unverified: it can only add a review
    plain = plain_application(
        payload.application_id,
        payload.store_code,
        payload.operator,
        payload.created_at,
        app,
        store_reasons,
        ctx.device.device_id,
    )
    # the signals count across applications: one judgement at a time (PostgreSQL runs
    # different applications' items in parallel; a no-op on SQLite)
    lock_section(conn, "signals")
    judged = live.judge(conn, plain, now) if new else live.standing(conn, plain)
    birth = id_birth_date(app.customer.id_number)
    result = score(
        ScoreInput(
            age=age_on(birth, ctx.today) if birth is not None else 0,
            monthly_income_fen=app.customer.monthly_income_fen,
            max_installment_fen=schedule.max_payment_fen,
            principal_fen=app.principal_fen,
            order_total_fen=app.order_total_fen,
            down_payment_fen=app.terms.down_payment_fen,
            scenario=app.scenario.value,
            prescreen_outcome=replayed.outcome,  # the server's replay, never the claim
            prescreen_reasons=replayed.reasons,
            blacklisted=_blacklisted(conn, app, ctx),
            signals=(*judged.signals, *_repriced(payload, replayed.outcome)),
        )
    )
    if not priced.offered:
        result = knock_out(result, "SC_AMOUNT_NOT_OFFERED")
    return (flag_for_review(result, replayed.flag) if replayed.flag else result), judged


def _repriced(payload: ApplicationPayload, outcome: str | None) -> tuple[str, ...]:
    local = payload.prescreen.local_inputs if payload.prescreen is not None else None
    return repriced_to_pass((local or {}).get("attempts"), outcome)


def _none_published(_version: int) -> ActivePack | None:
    return None


def _blacklisted(conn: sqlite3.Connection, app: ApplicationInput, ctx: IngestContext) -> bool:
    if ctx.active is None:
        return False
    pepper = ctx.active.pack.blacklist_pepper
    probes = [
        ("id", blacklist_digest("id", app.customer.id_number, pepper)),
        ("phone", blacklist_digest("phone", app.customer.phone, pepper)),
        ("device", blacklist_digest("device", ctx.device.device_id, pepper)),
    ]
    for name, digest in probes:
        hit = conn.execute(
            "SELECT 1 FROM blacklist WHERE name = ? AND digest = ? AND present = 1",
            (name, digest),
        ).fetchone()
        if hit is not None:
            return True
    return False
