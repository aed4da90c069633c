"""The store's pre-screen, replayed: the outcome that goes into the score is the one
the server computes from the receipt's inputs, never the one the store claims.

The payload's ``prescreen.local_inputs`` are what only the store could see; the rest
of the receipt's inputs is rebuilt from the application and the server's own schedule
(:mod:`core.prescreen.rebuild`), and :func:`core.prescreen.replay` decides it with the
published pack the inputs name. The application is *flagged for review*
(``SC_PRESCREEN_MISMATCH``: never approved automatically) when the rebuilt inputs do
not hash to the receipt's ``inputs_sha256``, when ``as_of`` is not the payload's
``created_at`` or ``local_day`` not its China date, when the pack is not the one the
summary names, or when the replayed outcome or reason codes differ from the claimed
ones. A payload without local inputs (a store older than the field), or whose inputs
cannot be replayed, is scored as "no pre-screen" and flagged ``SC_PRESCREEN_UNVERIFIED``.

Facts only the store could see (velocity counts, merchant baselines, blacklist hits,
its clock) are taken as reported: the hash ties them to the receipt the clerk saw, and
the server's own blacklist is checked separately (``server/ingest.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.clock import CHINA_TZ
from core.models import ApplicationInput
from core.prescreen.outcome import replay
from core.prescreen.rebuild import rebuild_inputs
from core.rules import RulePack
from core.sync.wire import ApplicationPayload
from server.packs import ActivePack

log = logging.getLogger("loandesk.server")

MISMATCH = "SC_PRESCREEN_MISMATCH"
UNVERIFIED = "SC_PRESCREEN_UNVERIFIED"


@dataclass(frozen=True)
class Replayed:
    outcome: str | None  # the server's own outcome; None: nothing could be replayed
    reasons: tuple[str, ...]
    flag: str | None  # MISMATCH, UNVERIFIED or None (the store's receipt holds)


def replay_prescreen(
    payload: ApplicationPayload,
    app: ApplicationInput,
    max_installment_fen: int,
    published: Callable[[int], ActivePack | None],
) -> Replayed:
    summary = payload.prescreen
    if summary is None or summary.local_inputs is None:
        return Replayed(None, (), UNVERIFIED)
    local = summary.local_inputs
    try:
        inputs = rebuild_inputs(app, local, max_installment_fen)
        pack = _pack(inputs.get("rules"), published)
        result = replay(inputs, pack)
    except Exception as exc:  # the store's inputs, not the server, are broken
        log.warning(
            "pre-screen of application %s not replayable: %s",
            payload.application_id,
            type(exc).__name__,
        )
        return Replayed(None, (), UNVERIFIED)
    holds = (
        result.inputs_sha256 == summary.inputs_sha256
        and local.get("as_of") == payload.created_at
        and local.get("local_day") == _china_day(payload.created_at)
        and (pack.version if pack is not None else None) == summary.pack_version
        and result.outcome == summary.outcome
        and list(result.codes) == list(summary.reasons)
    )
    return Replayed(result.outcome, result.codes, None if holds else MISMATCH)


def _pack(rules: object, published: Callable[[int], ActivePack | None]) -> RulePack | None:
    """The published pack the inputs name, if the store's pack state was active."""
    if not isinstance(rules, dict) or rules.get("state") != "active":
        return None
    version = rules.get("pack_version")
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    found = published(version)
    if found is None or found.pack.pack_id != rules.get("pack_id"):
        return None
    return found.pack


def _china_day(stamp: str) -> str | None:
    try:
        return datetime.fromisoformat(stamp).astimezone(CHINA_TZ).date().isoformat()
    except ValueError:
        return None
