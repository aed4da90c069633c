"""The wire contract between a store PC and the central scoring API.

One module, used by both sides: the client builds and validates with these models, the
reference server (``server/``) declares its endpoints with them, and the OpenAPI
document in ``docs/openapi.json`` is generated from the server and held to it by a test.

Applications travel in the same raw format the form produces and ``main.py prescreen``
reads (amounts in yuan as strings), so the server validates them with the very same
``core.validation.application`` the store used offline. Ids are the client's UUIDv7s.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

API_PREFIX = "/v1"
MAX_BATCH_ITEMS = 500
BLACKLIST_NAMES = ("id", "phone", "device")

# --- bounds of what a store may send (the server answers anything else with a coded
# refusal: a 422 for a whole body, ``invalid`` for one batch item; never a 5xx, never
# ``retry``). Strings with a lone surrogate are refused by pydantic itself.
MAX_INT = 2**31 - 1  # counts, revisions, pack versions
MAX_FEN = 10**12  # ten billion yuan: far above any loan, far below SQLite's int64
MAX_JSON_DEPTH = 12  # the raw form is 4 levels deep, a receipt's inputs 4
MAX_JSON_NODES = 4_000  # values in one payload (a 200-line order is about 1,200)
MAX_JSON_TEXT = 2_000  # characters in one string of a payload
MAX_JSON_INT = 2**53 - 1  # what every JSON reader keeps exactly

WireId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z][0-9A-Za-z._:-]*$")
]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN)]
# a plain decimal as core.money writes it ("0.0888"); no exponent, no sign, no spaces
DecimalText = Annotated[
    str, StringConstraints(max_length=24, pattern=r"^[0-9]{1,6}(\.[0-9]{1,12})?$")
]
Stamp = Annotated[str, StringConstraints(min_length=1, max_length=40)]  # an ISO time


class _Model(BaseModel):
    # Unknown fields from a newer server are ignored, never an error.
    model_config = ConfigDict(extra="ignore", frozen=True)


def json_problem(value: Any) -> tuple[str, str] | None:
    """The first thing in a JSON value (a payload) that no store could send, as
    ``(path, what)``; None when it is within bounds. Iterative: depth cannot crash it."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    nodes = 0
    while stack:
        node, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_JSON_NODES:
            return path, f"more than {MAX_JSON_NODES} values"
        if depth > MAX_JSON_DEPTH:
            return path, f"nested deeper than {MAX_JSON_DEPTH} levels"
        if isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(key, str) or _text_problem(key):
                    return path, "a key that is not plain text"
                stack.append((child, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                stack.append((child, f"{path}[{index}]", depth + 1))
        elif isinstance(node, str):
            problem = _text_problem(node)
            if problem:
                return path, problem
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, int):
            if abs(node) > MAX_JSON_INT:
                return path, f"a number beyond ±{MAX_JSON_INT}"
        elif isinstance(node, float):
            if not math.isfinite(node) or abs(node) > MAX_JSON_INT:
                return path, "a number that is not finite or too large"
        else:
            return path, f"a {type(node).__name__}, not JSON data"
    return None


def _text_problem(text: str) -> str:
    if len(text) > MAX_JSON_TEXT:
        return f"text longer than {MAX_JSON_TEXT} characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "text that is not valid Unicode (a lone surrogate)"
    return ""


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
    device_id: WireId
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
    queue_size: Count
    last_sync_at: Stamp | None = None
    pack_version: Count | None = None
    app_version: str = Field(default="", max_length=40)
    client_time: Stamp


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
    reasons: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=100
    )
    pack_id: str | None = Field(default=None, max_length=64)
    pack_version: Count | None = None
    inputs_sha256: Sha256Hex
    # The receipt's inputs less what the application itself determines (the "graph" and
    # "order" facts): the server rebuilds those and replays the pre-screen
    # (core/prescreen/rebuild.py). None from a store older than this field.
    local_inputs: dict[str, Any] | None = None


class EvidenceRef(_Model):
    """One attachment the store kept with the application: its kind and the sha256 of
    its plain content (the path it is uploaded to)."""

    kind: str = Field(min_length=1, max_length=32)
    sha256: Sha256Hex


class ApplicationPayload(_Model):
    """An application as the store captured it: the raw form format plus what the store
    computed from it (the server recomputes the figures and replays the pre-screen)."""

    application_id: WireId
    store_code: str = Field(min_length=1, max_length=20)
    operator: str = Field(min_length=1, max_length=64)
    created_at: Stamp
    application: dict[str, Any]  # the raw form format (see resources/examples/)
    annual_rate: DecimalText
    first_payment_fen: Fen
    total_repayment_fen: Fen
    apr: DecimalText
    prescreen: PrescreenSummary | None = None
    # the customer's consent (core.consent.model: version, at, method, texts_sha256,
    # signature_sha256); absent from applications saved before consent was recorded
    consent: dict[str, Any] | None = None
    # the short reference the store gave the customer (S001-20261204-0007): unique per
    # PC only, so never an identity; absent from stores older than it
    reference: str | None = Field(default=None, min_length=1, max_length=40)
    # the attachments saved with the application (kind, sha256 of each): head office
    # holds its decision until the ones the rule pack requires have been uploaded;
    # absent from stores older than it (and from applications with no attachment)
    evidence: list[EvidenceRef] | None = Field(default=None, max_length=50)


class AttachmentStatus(_Model):
    """What head office holds of one attachment: bytes received so far (the offset an
    interrupted upload resumes from) and whether it is complete and verified."""

    sha256: str
    received: int = Field(ge=0)
    complete: bool
    kind: str | None = None


class BatchItem(_Model):
    op_id: WireId
    application_id: WireId
    op: Literal["create", "update"]
    base_rev: Count
    # An ApplicationPayload, checked per item (json_problem, then the model), so one bad
    # item cannot make the whole batch invalid.
    payload: dict[str, Any]
    payload_sha256: str = Field(max_length=64)  # a wrong one: the item is PAYLOAD_HASH


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
