"""A decision held for evidence, released: when an upload completes and verifies
(``server/attachments.py``), an application whose latest decision is ``review``
``HO_EVIDENCE_PENDING`` is scored again (``server/decide.py``, as of today, with the
signals standing on it) and, if nothing required is missing any more, the new decision
is appended to the decisions feed for the same revision: the store pulls it like any
revision (latest seq wins). An upload that is not the last required one changes
nothing; neither does one for an application that was never held.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from core.clock import CHINA_TZ
from core.sync.wire import ApplicationPayload
from server.db import Database, utc_now
from server.decide import IngestContext, Reject, validate_and_score
from server.devices import Device
from server.evidence import is_held
from server.packs import PackCache
from server.signals_store import latest_decision, live_for

log = logging.getLogger("loandesk.server")


def release_if_complete(db: Database, packs: PackCache, application_id: str) -> bool:
    """Score a held application again once its evidence is complete; True when a new
    decision was appended. Never raises: a failure leaves the held decision (the next
    completed upload, or an update from the store, tries again)."""
    live = live_for(db)
    try:
        with db.write(key=application_id) as conn:
            row = conn.execute(
                "SELECT payload, store_code, rev, device_id FROM applications "
                "WHERE application_id = ?",
                (application_id,),
            ).fetchone()
            latest = latest_decision(conn, application_id)
            if row is None or latest is None or not is_held(json.loads(latest[4])):
                return False
            payload = ApplicationPayload.model_validate(json.loads(row[0]))
            device = Device(str(row[3]), str(row[1]), False)
            ctx = IngestContext(device, packs.active(), datetime.now(CHINA_TZ).date(), packs)
            now = utc_now()
            result, _judged = validate_and_score(conn, payload, ctx, live, False, now, db.data_dir)
            if is_held(result.reasons):
                return False  # another required kind is still on its way
            conn.execute(
                "INSERT INTO decisions (application_id, store_code, rev, decision, "
                "approved_amount_fen, score, reasons, points, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    application_id,
                    str(row[1]),
                    int(row[2]),
                    result.decision,
                    result.approved_amount_fen,
                    result.score,
                    json.dumps(list(result.reasons)),
                    json.dumps(dict(result.points)),
                    now,
                ),
            )
        log.info("application %s: evidence complete, decided %s", application_id, result.decision)
        return True
    except Reject as exc:  # valid when it arrived; a pack or policy change since
        log.warning("application %s not rescored: %s", application_id, exc)
    except Exception:
        live.reset()  # it may hold a row the rollback took back
        log.exception("application %s not rescored", application_id)
    return False


__all__ = ["release_if_complete"]
