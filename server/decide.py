"""Head office's decision on one application: validated with ``core.validation.application`` as
the store's form (the first-payment date against the application's own day), priced
again (``server/terms.py``), the store's pre-screen replayed, the fraud signals judged,
scored (``server/scorecard.py``) and held while required evidence has not arrived
(``server/evidence.py``). Used at ingest (``server/ingest.py``) and when the last
required upload completes (``server/held.py``).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.clock import CHINA_TZ
from core.models import ApplicationInput, TermsPolicy
from core.rules import blacklist_digest
from core.sync.wire import ApplicationPayload, WireReason
from core.validation.application import age_on, id_birth_date, parse_application
from server.db import lock_section
from server.devices import Device
from server.evidence import hold, pending_evidence, required_kinds
from server.packs import ActivePack, PackCache
from server.prescreen_check import replay_prescreen
from server.scorecard import Score, ScoreInput, flag_for_review, knock_out, score
from server.signals.store_side import repriced_to_pass
from server.signals_store import Judgement, LiveSignals, plain_application
from server.terms import FiguresRefused, check_figures, terms_pack

log = logging.getLogger("loandesk.server")


@dataclass(frozen=True)
class IngestContext:
    device: Device
    active: ActivePack | None
    today: date  # China-local: it decides a customer's age, as at the counter
    packs: PackCache | None = None  # every published version (the figures, the replay)


class Reject(Exception):
    """An item refused: ``invalid`` with these reasons."""

    def __init__(self, *reasons: WireReason) -> None:
        super().__init__(reasons[0].code)
        self.reasons = list(reasons)


def reason(field: str, code: str, message: str) -> WireReason:
    return WireReason(field=field, code=code, message=message)


def application_day(created_at: str, today: date) -> date:
    """The China date the application was taken (its ``created_at``), never later than
    ``today``; ``today`` when the stamp cannot be read."""
    try:
        at = datetime.fromisoformat(created_at)
    except ValueError:
        return today
    if at.tzinfo is None:
        return today
    return min(at.astimezone(CHINA_TZ).date(), today)


def validate_and_score(
    conn: sqlite3.Connection,
    payload: ApplicationPayload,
    ctx: IngestContext,
    live: LiveSignals,
    new: bool,
    now: str,
    data_dir: Path | None,
) -> tuple[Score, Judgement]:
    """Validate, price and score one application (``Reject`` when refused); held for
    ``HO_EVIDENCE_PENDING`` while required evidence has not been uploaded."""
    published = ctx.packs.version if ctx.packs is not None else _none_published
    try:
        pack = terms_pack(payload, ctx.active, published)
    except FiguresRefused as exc:
        raise Reject(*exc.reasons) from None
    # what head office offers is what it publishes now (a term it dropped is refused even
    # for a store still on the older pack); the figures are priced by the pack the
    # store's pre-screen named (check_figures)
    offer = ctx.active if ctx.active is not None else pack
    policy = offer.policy if offer is not None else TermsPolicy()
    try:
        checked = parse_application(
            payload.application,
            today=ctx.today,
            policy=policy,
            first_due_from=application_day(payload.created_at, ctx.today),
        )
    except Exception as exc:  # data no form could produce: refuse it, never "retry"
        log.warning("application %s unreadable: %s", payload.application_id, type(exc).__name__)
        raise Reject(
            reason(
                "application",
                "PAYLOAD_SCHEMA",
                "申请内容无法读取；请升级门店软件或联系技术支持 / "
                "the application cannot be read; update the store app or call support",
            )
        ) from None
    if checked.value is None:
        raise Reject(*(reason(e.field, e.code, e.text("zh_CN")) for e in checked.errors))
    app = checked.value
    try:
        priced = check_figures(payload, app, pack)
    except FiguresRefused as exc:
        raise Reject(*exc.reasons) from None
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
    if replayed.flag:
        result = flag_for_review(result, replayed.flag)
    required = required_kinds(pack, app.scenario.value, app.principal_fen)
    if pending_evidence(payload, required, data_dir):
        result = hold(result)
    return result, judged


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
