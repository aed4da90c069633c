"""Offline sync bundles relayed by a connected PC (``/v1/bundles``).

A store with no network writes a bundle (``core/bundle``); a field manager's enrolled
PC posts it here part by part (``POST /v1/bundles/parts``), then asks for the answer
(``POST /v1/bundles/answer``): a return bundle signed by head office and sealed to the
store PC's key, which the store imports.

The relay authenticates with its own bearer token; the bundle carries the store PC's
identity. Checks, in order (the first that applies answers):

1. the bundle is sealed to a head-office key this server does not hold: 400
   ``BUNDLE_UNKNOWN_RECIPIENT``;
2. the header's Ed25519 signature (by the key it names), a part's sha256 against the
   signed header, or a box that does not open: 400 ``BUNDLE_TAMPERED``;
3. the device token sealed inside is unknown or revoked: 403 ``BUNDLE_DEVICE_UNKNOWN``;
   it belongs to another store or device than the header says: 403
   ``BUNDLE_OTHER_STORE``;
4. the PC's signing key differs from the one first seen with the same token: 403
   ``BUNDLE_KEY_CHANGED`` (enrolling again, a new token, binds a new key);
5. a bundle number lower than one already received from that PC: 409 ``BUNDLE_OLDER``.

A part's items then go through the batch endpoint's own ingest
(:func:`server.ingest.process_batch`) as the store PC, so dedupe by op id and
application id makes a bundle, a resend and a later online push land exactly once.
"""

from __future__ import annotations

import base64
import sqlite3
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter

from core.bundle.envelope import EnvelopeError, box_public, open_box, seal, sha256_text, sign
from core.bundle.format import (
    AnswerRequest,
    BlacklistPart,
    CatalogPart,
    DecisionsPart,
    PartAnswer,
    PartUpload,
    ReturnBody,
    ReturnBundle,
    ReturnHeader,
    RulePackPart,
    SecretPart,
    StoreHeader,
    body_context,
    check_part,
    check_store_signature,
    header_bytes,
    part_context,
    secret_context,
)
from core.bundle.keys import HeadOfficePrivate, load_head_office_private
from core.clock import CHINA_TZ
from core.ids import uuid7
from core.sync.wire import BLACKLIST_NAMES, BatchRequest, CatalogEntry, Decision, ItemResult
from server import devices, feeds
from server.db import Database, utc_now
from server.devices import Device, sha256_hex
from server.errors import ApiError
from server.ingest import IngestContext, process_batch
from server.routes import DeviceDep, RuntimeDep, _errors
from server.runtime import Runtime

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bundle_devices (
    device_id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    sign_key TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    return_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS bundle_results (
    bundle_id TEXT NOT NULL,
    op_id TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (bundle_id, op_id)
) STRICT
"""
_MAX_PAGES = 10_000  # a feed read page by page is bounded


@lru_cache(maxsize=8)
def _private(key_folder: Path) -> HeadOfficePrivate:
    return load_head_office_private(key_folder)


def _ensure_tables(db: Database) -> None:
    if getattr(db, "_bundle_tables", False):
        return
    with db.write() as conn:
        for statement in _SCHEMA.split(";"):
            conn.execute(statement)
    db._bundle_tables = True  # type: ignore[attr-defined]


def _tampered(what: str) -> ApiError:
    return ApiError(400, "BUNDLE_TAMPERED", f"the bundle was changed after it was made ({what})")


def _authenticate(
    runtime: Runtime, header: StoreHeader, signature: str
) -> tuple[Device, SecretPart]:
    """The store PC that made the bundle, and what it sealed for head office."""
    key = _private(runtime.config.data_dir / "keys")
    if header.recipient != key.key_id:
        raise ApiError(400, "BUNDLE_UNKNOWN_RECIPIENT", f"key {header.recipient} is not held here")
    try:
        check_store_signature(header, signature)
        context = secret_context(header.bundle_id, header.seq, header.store_code, header.device_id)
        secret = SecretPart.model_validate_json(open_box(key.box, header.secret, context))
    except (EnvelopeError, ValueError) as exc:
        raise _tampered(str(exc)) from None
    device = devices.device_for_token(runtime.db, secret.device_token)
    if device is None or device.revoked:
        raise ApiError(403, "BUNDLE_DEVICE_UNKNOWN", "the store PC is unknown or revoked")
    if (device.device_id, device.store_code) != (header.device_id, header.store_code):
        raise ApiError(
            403, "BUNDLE_OTHER_STORE", f"the bundle is not from store {device.store_code}"
        )
    _ensure_tables(runtime.db)
    token_hash = sha256_hex(secret.device_token)
    with runtime.db.write() as conn:
        row = conn.execute(
            "SELECT token_hash, sign_key, last_seq FROM bundle_devices WHERE device_id = ?",
            (device.device_id,),
        ).fetchone()
        if row is not None and row[0] == token_hash and row[1] != header.sign_key:
            raise ApiError(403, "BUNDLE_KEY_CHANGED", "the PC's signing key changed")
        if row is not None and header.seq < int(row[2]):
            raise ApiError(
                409, "BUNDLE_OLDER", f"bundle {header.seq} is older than the last {int(row[2])}"
            )
        conn.execute(
            "INSERT INTO bundle_devices (device_id, token_hash, sign_key, last_seq) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET "
            "token_hash = excluded.token_hash, sign_key = excluded.sign_key, "
            "last_seq = max(last_seq, excluded.last_seq)",
            (device.device_id, token_hash, header.sign_key, header.seq),
        )
    return device, secret


def _record(db: Database, bundle_id: str, results: list[ItemResult]) -> None:
    with db.write() as conn:
        conn.executemany(
            "INSERT INTO bundle_results (bundle_id, op_id, result) VALUES (?, ?, ?) "
            "ON CONFLICT(bundle_id, op_id) DO UPDATE SET result = excluded.result",
            [(bundle_id, r.op_id, r.model_dump_json()) for r in results],
        )


def _results(conn: sqlite3.Connection, bundle_id: str) -> list[ItemResult]:
    rows = conn.execute(
        "SELECT result FROM bundle_results WHERE bundle_id = ? ORDER BY rowid", (bundle_id,)
    ).fetchall()
    return [ItemResult.model_validate_json(r[0]) for r in rows]


def _decisions(runtime: Runtime, store_code: str, cursor: str) -> DecisionsPart:
    limits = feeds.FeedLimits(runtime.config.decision_retention)
    start, items = cursor, list[Decision]()
    for _ in range(_MAX_PAGES):
        try:
            page = feeds.decisions_page(runtime.db, store_code, cursor, feeds.MAX_PAGE, limits)
        except feeds.CursorError:
            if not cursor:
                raise
            start = cursor = ""  # expired or ahead (a restored server): from the start
            items = []
            continue
        items.extend(page.items)
        cursor = page.next_cursor
        if not page.has_more:
            break
    return DecisionsPart(from_cursor=start, next_cursor=cursor, items=_latest(items))


def _latest(items: list[Decision]) -> list[Decision]:
    """One decision per application, the newest (the feed may hold several revisions)."""
    by_app = {d.application_id: d for d in items}
    return sorted(by_app.values(), key=lambda d: d.seq)


def _catalog(runtime: Runtime, cursor: str) -> CatalogPart:
    start, items = cursor, list[CatalogEntry]()
    for _ in range(_MAX_PAGES):
        try:
            page = feeds.catalog_page(runtime.db, cursor, feeds.MAX_PAGE)
        except feeds.CursorError:
            if not cursor:
                raise
            start = cursor = ""
            items = []
            continue
        items.extend(page.items)
        cursor = page.next_cursor
        if not page.has_more:
            break
    return CatalogPart(from_cursor=start, next_cursor=cursor, items=items)


def _body(runtime: Runtime, device: Device, header: StoreHeader, secret: SecretPart) -> ReturnBody:
    c = secret.cursors
    with runtime.db.read() as conn:
        results = _results(conn, header.bundle_id)
    stored = runtime.packs.stored()
    pack = None
    if stored is not None and stored.etag != c.rulepack_etag:
        pack = RulePackPart(etag=stored.etag, body=base64.b64encode(stored.body).decode("ascii"))
    blacklists = [
        BlacklistPart(
            from_state=c.blacklist_states.get(name, ""),
            delta=feeds.blacklist_delta(runtime.db, name, c.blacklist_states.get(name, "")),
        )
        for name in BLACKLIST_NAMES
    ]
    return ReturnBody(
        server_epoch=feeds.server_epoch(runtime.db),
        results=results,
        decisions=_decisions(runtime, device.store_code, c.decisions_cursor),
        catalog=_catalog(runtime, c.catalog_cursor),
        blacklists=blacklists,
        rulepack=pack,
    )


def bundle_router() -> APIRouter:
    r = APIRouter(prefix="/v1/bundles", tags=["bundles"])
    refusals = _errors(401, 403, 409, 413)

    @r.post("/parts", response_model=PartAnswer, responses=refusals)
    def part(body: PartUpload, runtime: RuntimeDep, relay: DeviceDep) -> PartAnswer:
        """One part of a store bundle, ingested as the store PC (like a batch)."""
        del relay  # any enrolled PC may relay; the bundle says whose it is
        device, _secret = _authenticate(runtime, body.header, body.signature)
        key = _private(runtime.config.data_dir / "keys")
        try:
            check_part(body.header, body.index, body.part)
            plain = open_box(key.box, body.part, part_context(body.header.bundle_id, body.index))
            batch = BatchRequest.model_validate_json(plain)
        except (EnvelopeError, ValueError) as exc:
            raise _tampered(str(exc)) from None
        if len(batch.items) != body.header.parts[body.index].items:
            raise _tampered(f"part {body.index} item count")
        ctx = IngestContext(
            device, runtime.packs.active(), datetime.now(CHINA_TZ).date(), runtime.packs
        )
        results = process_batch(runtime.db, batch.items, ctx)
        _record(runtime.db, body.header.bundle_id, [r for r in results if r.status != "retry"])
        return PartAnswer(
            index=body.index, results=results, server_epoch=feeds.server_epoch(runtime.db)
        )

    @r.post("/answer", response_model=ReturnBundle, responses=refusals)
    def answer(body: AnswerRequest, runtime: RuntimeDep, relay: DeviceDep) -> ReturnBundle:
        """Head office's answers for the store PC, signed and sealed to its key."""
        del relay
        device, secret = _authenticate(runtime, body.header, body.signature)
        content = _body(runtime, device, body.header, secret)
        with runtime.db.write() as conn:
            row = conn.execute(
                "UPDATE bundle_devices SET return_seq = return_seq + 1 WHERE device_id = ? "
                "RETURNING return_seq",
                (device.device_id,),
            ).fetchone()
        key = _private(runtime.config.data_dir / "keys")
        header = ReturnHeader(
            bundle_id=uuid7(),
            answers=body.header.bundle_id,
            answers_seq=body.header.seq,
            return_seq=int(row[0]),
            store_code=device.store_code,
            device_id=device.device_id,
            created_at=utc_now(),
            signer=key.key_id,
            box_key=body.header.box_key,
            body_sha256="",
        )
        try:
            recipient = box_public(body.header.box_key)
        except EnvelopeError as exc:
            raise _tampered(str(exc)) from None
        sealed = seal(recipient, content.model_dump_json().encode("utf-8"), body_context(header))
        header = header.model_copy(update={"body_sha256": sha256_text(sealed)})
        return ReturnBundle(
            header=header, signature=sign(key.sign, header_bytes(header)), body=sealed
        )

    return r


__all__ = ["bundle_router"]
