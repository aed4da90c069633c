"""A store PC imports head office's return bundle: the same effects as an online sync's
answers, through the sync engine's own steps (``Pusher.apply_results``,
``Puller.apply_decisions``, ``apply_pack``, ``apply_catalog``, ``apply_delta``).

Refused before anything changes: a bundle not signed by a pinned head-office key or
changed since (``BUNDLE_UNTRUSTED`` / ``BUNDLE_TAMPERED``), one for another store or
another PC (``BUNDLE_OTHER_STORE`` / ``BUNDLE_OTHER_DEVICE``), and one older than the
last imported (``BUNDLE_OLDER``). The same bundle again changes nothing
(``already``). Every step is idempotent and the bundle's number is recorded last, so an
import cut short is simply done again.

A cursor moves only if it still stands where the store bundle said it did: when an
online sync moved it meanwhile, the (older) catalog page and blacklist deltas are
skipped, and decisions, which are idempotent, are applied without moving it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import sqlite_utils

import core
from core.applications.reads import writing
from core.bundle.envelope import EnvelopeError, open_box, sha256_text, unb64, verify
from core.bundle.errors import BundleError
from core.bundle.format import ReturnBody, ReturnBundle, body_context, header_bytes
from core.bundle.keys import HeadOfficeKey, load_device_key, load_head_office_keys
from core.clock import Clock, iso_now
from core.operators.actor import Actor
from core.rules import RulePackStore
from core.security.permissions import Permission, require
from core.store.bundle_repo import RETURN_ID, RETURN_SEQ, BundleRepo
from core.store.repositories import Repositories
from core.sync import state_keys
from core.sync.backoff import Backoff
from core.sync.http import SyncHttp
from core.sync.pull import Puller
from core.sync.push import Pusher
from core.sync.report import SyncReport
from core.sync.run import SyncOptions, SyncRun
from core.sync.wire import BatchResponse


@dataclass(frozen=True)
class Imported:
    return_seq: int
    already: bool  # imported before: nothing changed
    report: SyncReport = field(default_factory=SyncReport)


class _NoNetwork:
    """The run's HTTP client: an import never calls the network."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("a bundle import does not use the network")


def import_return(
    db: sqlite_utils.Database,
    actor: Actor,
    clock: Clock,
    rules: RulePackStore | None,
    bundle: ReturnBundle,
    source: Path,
    *,
    trusted: list[HeadOfficeKey] | None = None,
) -> Imported:
    require(actor.role, Permission.SYNC)
    body = _open(db, bundle, source, trusted)
    h = bundle.header
    if body is None:
        return Imported(h.return_seq, already=True)
    repo = BundleRepo(db)
    run = SyncRun(
        db=db, repo=repo, apps=Repositories(db), clock=clock,
        http=cast(SyncHttp, _NoNetwork()), options=SyncOptions(),
        backoff=Backoff(rng=random.Random()), rules=rules, app_version=core.__version__,
        started_by=actor.operator_id,  # who carried the stick: History names them
    )  # fmt: skip
    run.check_epoch(body.server_epoch)  # a restored server: re-pend, cursors start over
    _results(run, repo, body)
    puller = Puller(run)
    with db.atomic():
        run.report.decisions += puller.apply_decisions(body.decisions.items)
        if (repo.state_get(state_keys.DECISIONS_CURSOR) or "") == body.decisions.from_cursor:
            repo.state_set(state_keys.DECISIONS_CURSOR, body.decisions.next_cursor)
    if body.rulepack is not None and rules is not None:
        puller.apply_pack(_pack_bytes(body.rulepack.body, source), body.rulepack.etag)
    if (repo.state_get(state_keys.CATALOG_CURSOR) or "") == body.catalog.from_cursor:
        puller.apply_catalog(body.catalog.items, body.catalog.next_cursor)
    if rules is not None:
        for part in body.blacklists:
            name = part.delta.name
            if (repo.state_get(state_keys.BLACKLIST_STATE + name) or "") == part.from_state:
                puller.apply_delta(name, part.delta)
    r = run.report
    with writing(db):
        repo.state_set(RETURN_SEQ, str(h.return_seq))
        repo.state_set(RETURN_ID, h.bundle_id)
        Repositories(db).audit(
            iso_now(clock),
            actor.operator_id,
            "bundle_imported",
            "bundle",
            h.bundle_id,
            detail={
                "return_seq": h.return_seq,
                "answers_seq": h.answers_seq,
                "acked": r.acked,
                "rejected": r.rejected,
                "decisions": r.decisions,
                "catalog": r.catalog_changes,
            },
        )
    from core.audit.checkpoint import advance_checkpoint

    advance_checkpoint(db)
    return Imported(h.return_seq, already=False, report=r)


def _open(
    db: sqlite_utils.Database,
    bundle: ReturnBundle,
    source: Path,
    trusted: list[HeadOfficeKey] | None,
) -> ReturnBody | None:
    """The checks, in order; the body, or None when this bundle was imported before."""
    h, file = bundle.header, str(source)
    signer = next((k for k in trusted or load_head_office_keys() if k.key_id == h.signer), None)
    if signer is None:
        raise BundleError("BUNDLE_UNTRUSTED", file=file, signer=h.signer)
    try:
        verify(signer.sign, bundle.signature, header_bytes(h))
        if sha256_text(bundle.body) != h.body_sha256:
            raise EnvelopeError("body")
    except EnvelopeError as exc:
        raise BundleError("BUNDLE_TAMPERED", file=file, detail=exc.reason) from None
    repo = BundleRepo(db)
    store_code, device_id = (
        repo.state_get(state_keys.STORE_CODE),
        repo.state_get(state_keys.DEVICE_ID),
    )
    if not store_code or not device_id:
        raise BundleError("BUNDLE_NOT_ENROLLED")
    if h.store_code != store_code:
        raise BundleError("BUNDLE_OTHER_STORE", theirs=h.store_code, ours=store_code)
    device = load_device_key(device_id)
    if h.device_id != device_id or device is None or device.box_public != h.box_key:
        raise BundleError("BUNDLE_OTHER_DEVICE", theirs=h.device_id)
    last = int(repo.state_get(RETURN_SEQ) or 0)
    if h.return_seq == last and repo.state_get(RETURN_ID) == h.bundle_id:
        return None
    if h.return_seq <= last:
        raise BundleError("BUNDLE_OLDER", seq=h.return_seq, last=last)
    try:
        plain = open_box(device.box, bundle.body, body_context(h))
        return ReturnBody.model_validate_json(plain)
    except (EnvelopeError, ValueError) as exc:
        raise BundleError("BUNDLE_TAMPERED", file=file, detail=type(exc).__name__) from None


def _results(run: SyncRun, repo: BundleRepo, body: ReturnBody) -> None:
    """Head office's answer to each item of the store bundle, as the push applies one."""
    items = repo.pending_by_op([r.op_id for r in body.results])
    if not items:
        return
    held = {i.op_id for i in items}
    answer = BatchResponse(
        results=[r for r in body.results if r.op_id in held], server_epoch=body.server_epoch
    )
    Pusher(run).apply_results(items, answer)


def _pack_bytes(text: str, source: Path) -> bytes:
    try:
        return unb64(text, "rule pack")
    except EnvelopeError as exc:
        raise BundleError("BUNDLE_TAMPERED", file=str(source), detail=exc.reason) from None
