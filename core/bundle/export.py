"""A store PC with no network writes everything head office has not acknowledged into
one bundle file (``main.py bundle export FILE``).

The bundle carries the outbox's pending rows exactly as the online push would send them
(the same op ids and sealed-at-save payload bytes), so head office's dedupe by op id
and application id makes a bundle, a resend of it, and a later online push of the same
rows land exactly once. Nothing changes on the PC except the bundle number and one
audit row: the rows stay ``pending`` until head office's answers come back (a return
bundle, or an online sync).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

import core
from core.applications.reads import writing
from core.bundle.envelope import seal, sha256_text, sign
from core.bundle.errors import BundleError
from core.bundle.files import write_bundle
from core.bundle.format import (
    PART_ITEMS,
    PartInfo,
    SecretPart,
    StoreBundle,
    StoreHeader,
    SyncCursors,
    header_bytes,
    part_context,
    secret_context,
)
from core.bundle.keys import HeadOfficeKey, load_head_office_keys, load_or_create_device_key
from core.clock import Clock, iso_now
from core.ids import uuid7
from core.operators.actor import Actor
from core.security.permissions import Permission, require
from core.store.bundle_repo import BundleRepo
from core.sync import state_keys, tokens
from core.sync.push import batch_body
from core.sync.wire import BLACKLIST_NAMES

log = logging.getLogger("loandesk.bundle")

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Exported:
    path: Path
    bundle_id: str
    seq: int
    items: int
    parts: int


def cursors_of(repo: BundleRepo) -> SyncCursors:
    return SyncCursors(
        decisions_cursor=repo.state_get(state_keys.DECISIONS_CURSOR) or "",
        catalog_cursor=repo.state_get(state_keys.CATALOG_CURSOR) or "",
        rulepack_etag=repo.state_get(state_keys.RULEPACK_ETAG) or "",
        blacklist_states={
            name: repo.state_get(state_keys.BLACKLIST_STATE + name) or ""
            for name in BLACKLIST_NAMES
        },
        server_epoch=repo.state_get(state_keys.SERVER_EPOCH) or "",
    )


def export_bundle(
    db: sqlite_utils.Database,
    actor: Actor,
    clock: Clock,
    target: Path,
    *,
    head_office: HeadOfficeKey | None = None,
    progress: ProgressFn | None = None,
) -> Exported:
    """Write the store bundle to ``target`` (a ``.part`` file until complete and
    audited); BundleError when this PC cannot make one, nothing changed then."""
    require(actor.role, Permission.SYNC)
    repo = BundleRepo(db)
    store_code = repo.state_get(state_keys.STORE_CODE)
    device_id = repo.state_get(state_keys.DEVICE_ID)
    token = tokens.load_token(device_id) if device_id else None
    if not (repo.state_get(state_keys.SERVER_URL) and store_code and device_id and token):
        raise BundleError("BUNDLE_NOT_ENROLLED")
    recipient = head_office or load_head_office_keys()[0]
    device = load_or_create_device_key(device_id)
    bundle_id = uuid7()
    total = repo.count_state("pending")
    parts: list[str] = []
    infos: list[PartInfo] = []
    after = done = 0
    while True:  # bounded: each page moves ``after`` past its rows
        page = repo.pending_after(after, PART_ITEMS)
        if not page:
            break
        after = page[-1].rowid
        box = seal(recipient.box, batch_body(page), part_context(bundle_id, len(parts)))
        parts.append(box)
        infos.append(PartInfo(sha256=sha256_text(box), items=len(page)))
        done += len(page)
        if progress is not None:
            progress("bundle", done, max(total, done))
    with writing(db):
        seq = repo.next_bundle_seq()
    secret = SecretPart(device_token=token, cursors=cursors_of(repo))
    header = StoreHeader(
        bundle_id=bundle_id,
        seq=seq,
        store_code=store_code,
        device_id=device_id,
        created_at=iso_now(clock),
        app_version=core.__version__,
        sign_key=device.sign_public,
        box_key=device.box_public,
        recipient=recipient.key_id,
        secret=seal(
            recipient.box,
            secret.model_dump_json().encode("utf-8"),
            secret_context(bundle_id, seq, store_code, device_id),
        ),
        parts=infos,
        items=done,
    )
    bundle = StoreBundle(
        header=header, signature=sign(device.sign, header_bytes(header)), parts=parts
    )
    write_bundle(
        db,
        actor,
        clock,
        target,
        bundle,
        "bundle_exported",
        bundle_id,
        {"seq": seq, "items": done, "parts": len(parts)},
    )
    log.info("bundle %s: %d items in %d parts", seq, done, len(parts))
    return Exported(target, bundle_id, seq, done, len(parts))
