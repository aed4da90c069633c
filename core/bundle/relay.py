"""A connected PC (the field manager's laptop) passes a store bundle to head office and
writes head office's answers into a return bundle for the store.

The laptop cannot read the bundle (it is sealed to head office); it checks the store
PC's signature first, so a changed file is refused before anything is sent. Each part
is one request to ``POST /v1/bundles/parts`` (ingested by head office exactly like the
store's own push), then ``POST /v1/bundles/answer`` gives the return bundle, which is
signed by head office and sealed to the store PC. Relaying the same file again changes
nothing on the server (its dedupe answers ``duplicate``) and gives a newer return
bundle, which the store may import instead.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from core.bundle.envelope import EnvelopeError
from core.bundle.errors import BundleError
from core.bundle.files import write_bundle
from core.bundle.format import (
    BUNDLES_PATH,
    AnswerRequest,
    PartAnswer,
    PartUpload,
    ReturnBundle,
    StoreBundle,
    check_part,
    check_store_signature,
)
from core.clock import Clock
from core.operators.actor import Actor
from core.security.permissions import Permission, require
from core.store.sync_repo import SyncRepo
from core.sync import state_keys, tokens
from core.sync.http import Answer, SyncHttp, Timeouts

log = logging.getLogger("loandesk.bundle")

ProgressFn = Callable[[str, int, int], None]
_SERVER_CODES = {
    "BUNDLE_TAMPERED",
    "BUNDLE_OTHER_STORE",
    "BUNDLE_OLDER",
    "BUNDLE_UNKNOWN_RECIPIENT",
    "BUNDLE_DEVICE_UNKNOWN",
    "BUNDLE_KEY_CHANGED",
}


@dataclass(frozen=True)
class Relayed:
    path: Path  # the return bundle
    store_code: str
    seq: int
    items: int
    results: dict[str, int] = field(default_factory=dict)  # item status -> count


def verify_store_bundle(bundle: StoreBundle, source: Path) -> None:
    """The store PC's signature over the header, and every part against it."""
    try:
        check_store_signature(bundle.header, bundle.signature)
        if len(bundle.parts) != len(bundle.header.parts):
            raise EnvelopeError("part count")
        for index, part in enumerate(bundle.parts):
            check_part(bundle.header, index, part)
    except EnvelopeError as exc:
        raise BundleError("BUNDLE_TAMPERED", file=str(source), detail=exc.reason) from None


def relay_http(
    db: sqlite_utils.Database,
    clock: Clock,
    *,
    ca_bundle: str | None = None,
    timeouts: Timeouts | None = None,
) -> SyncHttp:
    """A client for this PC's own enrolment (the relay's identity)."""
    repo = SyncRepo(db)
    url, device_id = repo.state_get(state_keys.SERVER_URL), repo.state_get(state_keys.DEVICE_ID)
    token = tokens.load_token(device_id) if device_id else None
    if not (url and token):
        raise BundleError("BUNDLE_RELAY_NOT_ENROLLED")
    return SyncHttp(url, token=token, timeouts=timeouts, ca_bundle=ca_bundle, clock=clock)


def relay_bundle(
    db: sqlite_utils.Database,
    actor: Actor,
    clock: Clock,
    http: SyncHttp,
    bundle: StoreBundle,
    source: Path,
    target: Path,
    progress: ProgressFn | None = None,
) -> Relayed:
    require(actor.role, Permission.SYNC)
    verify_store_bundle(bundle, source)
    h = bundle.header
    counts: dict[str, int] = {}
    for index, part in enumerate(bundle.parts):
        upload = PartUpload(header=h, signature=bundle.signature, index=index, part=part)
        ans = http.post(f"{BUNDLES_PATH}/parts", upload, PartAnswer)
        if ans.value is None:
            raise _refusal(ans, bundle, source)
        for r in ans.value.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        if progress is not None:
            progress("relay", index + 1, len(bundle.parts))
    asked = AnswerRequest(header=h, signature=bundle.signature)
    reply = http.post(f"{BUNDLES_PATH}/answer", asked, ReturnBundle)
    if reply.value is None:
        raise _refusal(reply, bundle, source)
    write_bundle(
        db,
        actor,
        clock,
        target,
        reply.value,
        "bundle_relayed",
        reply.value.header.answers,
        {"store": h.store_code, "seq": h.seq, "results": counts},
    )
    log.info("relayed bundle %s of store %s: %s", h.seq, h.store_code, counts)
    return Relayed(target, h.store_code, h.seq, h.items, counts)


def _refusal(ans: Answer[Any], bundle: StoreBundle, source: Path) -> BundleError:
    code, message = _server_error(ans.body)
    h = bundle.header
    if code in _SERVER_CODES:
        last = re.search(r"last (\d+)", message)
        return BundleError(
            code,
            file=str(source),
            detail=message,
            seq=h.seq,
            last=last.group(1) if last else "?",
            theirs=h.store_code,
            ours=message,
        )
    if ans.kind == "unauthorized" or (ans.kind == "forbidden" and code == "DEVICE_REVOKED"):
        return BundleError("BUNDLE_RELAY_NOT_ENROLLED")
    if ans.kind in ("bad_request", "forbidden", "not_found", "too_large", "gone"):
        return BundleError("BUNDLE_REFUSED", status=ans.status or "-", detail=ans.detail)
    return BundleError("BUNDLE_RELAY_FAILED", detail=ans.detail or ans.kind)


def _server_error(body: bytes) -> tuple[str, str]:
    try:
        err = json.loads(body)["error"]
        return str(err.get("code", "")), str(err.get("message", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return "", ""
