"""Attachment uploads: ``PUT /v1/applications/{id}/attachments/{sha256}``.

Resumable and idempotent by content (docs/evidence-and-consent.md):

* ``GET`` the same path: ``{"sha256", "received", "complete", "kind"}``, what the
  server holds (404 ``NOT_FOUND`` for an application this device's store never sent);
* ``PUT`` with ``Content-Range: bytes <first>-<last>/<total>`` (or no header: the
  whole file in one body) and ``?kind=<kind>`` appends one chunk. ``first`` must be
  the bytes received so far (409 ``UPLOAD_OFFSET_MISMATCH`` with the server's offset
  otherwise). When ``received == total`` the server hashes the file: the sha256 of the
  path -> 201 complete; anything else -> 422 ``ATTACHMENT_HASH_MISMATCH`` and the
  partial file is dropped, so the next try starts clean;
* a PUT for an attachment already complete answers 200 complete at once (the same
  content is never stored twice).

Files live under ``<data dir>/attachments/<application id>/``: ``<sha256>.part``
while incomplete, ``<sha256>`` once verified, ``<sha256>.kind`` naming its kind.
A completed upload releases a decision held for evidence (``server/held.py``): when
it was the last kind the rule pack requires, the application is scored again and the
decision goes out through the decisions feed. :func:`missing_evidence` says what is
still missing (``server/evidence.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from core.rules.evidence import KINDS
from core.sync.wire import API_PREFIX, ApplicationPayload, AttachmentStatus
from server.errors import ApiError
from server.evidence import arrived_kinds, attachments_folder, required_kinds
from server.held import release_if_complete
from server.routes import DeviceDep, RuntimeDep, _errors
from server.runtime import Runtime
from server.terms import FiguresRefused, terms_pack

_SHA = re.compile(r"^[0-9a-f]{64}$")
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024
_lock = threading.Lock()  # one writer at a time per process: appends never interleave


def _folder(runtime: Runtime, application_id: str) -> Path:
    return attachments_folder(runtime.config.data_dir, application_id)


def _status(folder: Path, sha: str) -> AttachmentStatus:
    done, part = folder / sha, folder / f"{sha}.part"
    kind_file = folder / f"{sha}.kind"
    kind = kind_file.read_text(encoding="utf-8") if kind_file.exists() else None
    if done.exists():
        return AttachmentStatus(sha256=sha, received=done.stat().st_size, complete=True, kind=kind)
    received = part.stat().st_size if part.exists() else 0
    return AttachmentStatus(sha256=sha, received=received, complete=False, kind=kind)


def _check(runtime: Runtime, store_code: str, application_id: str, sha: str) -> Path:
    if not _SHA.match(sha):
        raise ApiError(400, "BAD_SHA256", "the path must end in a lower-case hex sha256")
    if not _ID.match(application_id):
        raise ApiError(404, "NOT_FOUND", "no such application")
    with runtime.db.read() as conn:
        row = conn.execute(
            "SELECT store_code FROM applications WHERE application_id = ?", [application_id]
        ).fetchone()
    if row is None or row[0] != store_code:
        raise ApiError(404, "NOT_FOUND", "no such application for this store: push it first")
    return _folder(runtime, application_id)


def _fsync_append(path: Path, chunk: bytes) -> None:
    with open(path, "ab") as fh:
        fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())


def _sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            h.update(block)
    return h.hexdigest()


def _put(folder: Path, sha: str, kind: str, chunk: bytes, content_range: str | None) -> Response:
    with _lock:
        now = _status(folder, sha)
        if now.complete:
            return _json(200, now)
        if content_range is None:
            first, total = 0, len(chunk)
        else:
            m = _RANGE.match(content_range.strip())
            if m is None:
                raise ApiError(400, "BAD_CONTENT_RANGE", "expected 'bytes <first>-<last>/<total>'")
            first, last, total = (int(g) for g in m.groups())
            if last - first + 1 != len(chunk) or last >= total:
                raise ApiError(400, "BAD_CONTENT_RANGE", "the range does not match the body")
        if total > MAX_ATTACHMENT_BYTES:
            raise ApiError(413, "PAYLOAD_TOO_LARGE", "attachment larger than the server takes")
        if first != now.received:
            raise ApiError(
                409,
                "UPLOAD_OFFSET_MISMATCH",
                f"the server holds {now.received} bytes; resume there",
            )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{sha}.kind").write_text(kind, encoding="utf-8")
        part = folder / f"{sha}.part"
        _fsync_append(part, chunk)
        received = part.stat().st_size
        if received < total:
            return _json(200, AttachmentStatus(sha256=sha, received=received, complete=False))
        if _sha256_of(part) != sha:
            part.unlink(missing_ok=True)
            raise ApiError(
                422,
                "ATTACHMENT_HASH_MISMATCH",
                "the bytes received do not hash to the path's sha256",
            )
        os.replace(part, folder / sha)
        return _json(201, _status(folder, sha))


def _json(status: int, body: AttachmentStatus) -> Response:
    return Response(body.model_dump_json(), status_code=status, media_type="application/json")


def attachments_router() -> APIRouter:
    r = APIRouter(prefix=API_PREFIX, tags=["applications"])
    path = "/applications/{application_id}/attachments/{sha256}"

    @r.get(path, response_model=AttachmentStatus, responses=_errors(401, 403, 404))
    def attachment_status(
        application_id: str, sha256: str, runtime: RuntimeDep, device: DeviceDep
    ) -> AttachmentStatus:
        """How much of the attachment the server holds (an upload resumes from there)."""
        return _status(_check(runtime, device.store_code, application_id, sha256), sha256)

    @r.put(
        path,
        response_model=AttachmentStatus,
        responses=_errors(401, 403, 404, 409, 413),
        openapi_extra={"requestBody": {"content": {"application/octet-stream": {}}}},
    )
    async def put_attachment(
        application_id: str,
        sha256: str,
        request: Request,
        runtime: RuntimeDep,
        device: DeviceDep,
        kind: Annotated[str, Query()] = "",
        content_range: Annotated[str | None, Header()] = None,
    ) -> Response:
        """One chunk (Content-Range) or the whole file; 201 once complete and verified."""
        if kind not in KINDS:
            raise ApiError(400, "BAD_KIND", f"kind must be one of {', '.join(KINDS)}")
        folder = _check(runtime, device.store_code, application_id, sha256)
        try:
            chunk = await request.body()
        except ClientDisconnect:  # a cut link: nothing of this chunk is kept
            raise ApiError(400, "CLIENT_DISCONNECTED", "the body did not arrive") from None
        answer = _put(folder, sha256, kind, chunk, content_range)
        if answer.status_code == 201:  # complete and verified: a held decision may go out
            await run_in_threadpool(release_if_complete, runtime.db, runtime.packs, application_id)
        return answer

    return r


def missing_evidence(runtime: Runtime, application_id: str) -> list[str]:
    """The evidence kinds the rule pack the store priced the application with requires
    of it that have not arrived complete; [] when nothing is missing. Head office holds
    the decision while this is not empty (server/evidence.py)."""
    with runtime.db.read() as conn:
        row = conn.execute(
            "SELECT payload FROM applications WHERE application_id = ?", [application_id]
        ).fetchone()
    if row is None:
        return []
    raw: dict[str, Any] = json.loads(row[0])
    scenario, principal = _scenario_and_principal(raw)
    pack = runtime.packs.active()
    with contextlib.suppress(ValidationError, FiguresRefused):  # else the current pack
        pack = terms_pack(ApplicationPayload.model_validate(raw), pack, runtime.packs.version)
    arrived = arrived_kinds(_folder(runtime, application_id))
    return [k for k in required_kinds(pack, scenario, principal) if k not in arrived]


def _scenario_and_principal(payload: dict[str, Any]) -> tuple[str, int]:
    from core.money import parse_yuan

    app = payload.get("application") or {}
    lines = (app.get("order") or {}).get("lines") or []
    total = sum(parse_yuan(x.get("unit_price", "0")) * int(x.get("quantity", 0)) for x in lines)
    down = parse_yuan((app.get("terms") or {}).get("down_payment", "0"))
    return str(app.get("scenario", "")), total - down


__all__ = ["MAX_ATTACHMENT_BYTES", "attachments_router", "missing_evidence"]
