"""The wire contract between a store PC and the central scoring API.

One module, used by both sides: the client builds and validates with these models, the
reference server (``server/``) declares its endpoints with them, and the OpenAPI
document in ``docs/openapi.json`` is generated from the server and held to it by a test.

Applications travel in the same raw format the form produces and ``main.py prescreen``
reads (amounts in yuan as strings), so the server validates them with the very same
``core.validation`` the store used offline. Ids are the client's UUIDv7s.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/v1"
MAX_BATCH_ITEMS = 500
BLACKLIST_NAMES = ("id", "phone", "device")


class _Model(BaseModel):
    # Unknown fields from a newer server are ignored, never an error.
    model_config = ConfigDict(extra="ignore", frozen=True)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def payload_sha256(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def list_sha256(values: list[str]) -> str:
    """Checksum of a whole blacklist: sha256 of the sorted digests joined by newlines."""
    return hashlib.sha256("\n".join(sorted(values)).encode("ascii")).hexdigest()


class ErrorBody(_Model):
    code: str
    message: str


class ErrorResponse(_Model):
    error: ErrorBody


# --- devices ---------------------------------------------------------------------------


class EnrollRequest(_Model):
    store_code: str = Field(min_length=1, max_length=20)
    enrollment_code: str = Field(min_length=4, max_length=64)
    device_id: str = Field(min_length=1, max_length=64)
    device_name: str = Field(default="", max_length=100)
    app_version: str = Field(default="", max_length=40)


class EnrollResponse(_Model):
    device_token: str
    device_id: str
    store_code: str
    store_name: str
    store_city: str
    server_epoch: str


class HeartbeatRequest(_Model):
    queue_size: int = Field(ge=0)
    last_sync_at: str | None = None
    pack_version: int | None = None
    app_version: str = ""
    client_time: str


class HeartbeatResponse(_Model):
    server_time: str
    server_epoch: str


class Health(_Model):
    status: Literal["ok"]
    server_time: str
    server_epoch: str
    version: str


# --- applications ----------------------------------------------------------------------


class PrescreenSummary(_Model):
    outcome: Literal["PASS", "REFER", "DECLINE"]
    reasons: list[str] = Field(default_factory=list)
    pack_id: str | None = None
    pack_version: int | None = None
    inputs_sha256: str


class ApplicationPayload(_Model):
    """An application as the store captured it: the raw form format plus what the store
    computed from it."""

    application_id: str
    store_code: str
    operator: str
    created_at: str
    application: dict[str, Any]  # the raw form format (see resources/examples/)
    annual_rate: str
    first_payment_fen: int
    total_repayment_fen: int
    apr: str
    prescreen: PrescreenSummary | None = None
    # the customer's consent (core.consent.model: version, at, method, texts_sha256,
    # signature_sha256); absent from applications saved before consent was recorded
    consent: dict[str, Any] | None = None


class AttachmentStatus(_Model):
    """What head office holds of one attachment: bytes received so far (the offset an
    interrupted upload resumes from) and whether it is complete and verified."""

    sha256: str
    received: int = Field(ge=0)
    complete: bool
    kind: str | None = None


class BatchItem(_Model):
    op_id: str
    application_id: str
    op: Literal["create", "update"]
    base_rev: int = Field(ge=0)
    payload: dict[str, Any]  # an ApplicationPayload; checked per item, so one bad item
    payload_sha256: str  # cannot make the whole batch invalid


class BatchRequest(_Model):
    items: list[BatchItem] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class WireReason(_Model):
    field: str = ""
    code: str
    message: str = ""


ItemStatus = Literal["created", "duplicate", "updated", "conflict", "invalid", "retry"]


class ItemResult(_Model):
    op_id: str
    application_id: str
    status: ItemStatus
    server_rev: int | None = None
    reasons: list[WireReason] = Field(default_factory=list)


class BatchResponse(_Model):
    results: list[ItemResult]
    server_epoch: str


# --- decisions, catalog, blacklists -----------------------------------------------------


class Decision(_Model):
    seq: int
    application_id: str
    decision: Literal["approved", "declined", "review"]
    approved_amount_fen: int | None = None
    score: int
    reasons: list[str] = Field(default_factory=list)
    decided_at: str
    rev: int | None = None  # the application revision this decision is for (latest seq wins)


class DecisionsPage(_Model):
    items: list[Decision]
    next_cursor: str
    has_more: bool
    server_epoch: str


class CatalogEntry(_Model):
    sku: str
    name: str
    category: str
    price_fen: int = Field(gt=0)
    deleted: bool = False


class CatalogPage(_Model):
    items: list[CatalogEntry]
    next_cursor: str
    has_more: bool


class BlacklistDelta(_Model):
    name: Literal["id", "phone", "device"]
    state: str  # opaque; send it back next time
    full: bool  # True: ``additions`` is the whole list, replace what you hold
    additions: list[str]
    removals: list[str]
    sha256: str  # list_sha256 of the whole list after applying this delta
