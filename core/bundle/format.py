"""The bundle files and the relay's requests, as models both sides share (like
``core.sync.wire``; the reference server's ``server/bundles.py`` declares its
endpoints with them).

A **store bundle** (``kind: "store"``) goes from a store PC to head office:

- ``header``: who (store code, device id, the PC's public signing and encryption keys),
  which (a UUIDv7 ``bundle_id`` and the PC's increasing ``seq``), for whom (head
  office's key id), ``secret`` (a sealed box to head office holding the device token
  and the PC's sync cursors) and one entry per part (its sha256 and item count);
- ``signature``: Ed25519 by the PC's device key over the canonical header;
- ``parts``: sealed boxes to head office, each a batch of at most 100 outbox items
  exactly as the online push sends them.

A **return bundle** (``kind: "return"``) carries head office's answers back: item
results, decisions, the rule pack, catalog and blacklist changes, sealed to the PC's
encryption key and signed by head office. ``return_seq`` increases per device, so a PC
refuses an older one.

Every box and the signature cover the header's bytes, so a changed byte is refused.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.bundle.envelope import EnvelopeError, sha256_text, sign_public, verify
from core.sync.wire import (
    BlacklistDelta,
    CatalogEntry,
    Decision,
    ItemResult,
    canonical_json,
)

FORMAT: Literal["loandesk-bundle"] = "loandesk-bundle"
VERSION: Literal[1] = 1
PART_ITEMS = 100  # items per part: one request of the relay, well under the body limit
BUNDLES_PATH = "/v1/bundles"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartInfo(_Model):
    sha256: str = Field(min_length=64, max_length=64)
    items: int = Field(ge=1, le=500)


class StoreHeader(_Model):
    format: Literal["loandesk-bundle"] = FORMAT
    version: Literal[1] = VERSION
    kind: Literal["store"] = "store"
    bundle_id: str = Field(min_length=1, max_length=64)
    seq: int = Field(ge=1)
    store_code: str = Field(min_length=1, max_length=20)
    device_id: str = Field(min_length=1, max_length=64)
    created_at: str
    app_version: str = ""
    sign_key: str  # base64 Ed25519 public key of the PC
    box_key: str  # base64 X25519 public key of the PC (the return bundle is sealed to it)
    recipient: str  # head office's key id
    secret: str  # sealed box to head office: SecretPart
    parts: list[PartInfo] = Field(max_length=10_000)
    items: int = Field(ge=0)


class StoreBundle(_Model):
    header: StoreHeader
    signature: str
    parts: list[str]


class SyncCursors(_Model):
    """Where the PC's pulls stand, so head office answers only what is new."""

    decisions_cursor: str = ""
    catalog_cursor: str = ""
    rulepack_etag: str = ""
    blacklist_states: dict[str, str] = Field(default_factory=dict)
    server_epoch: str = ""


class SecretPart(_Model):
    device_token: str
    cursors: SyncCursors


class PartUpload(_Model):
    """One request of the relay: the signed header and one of its parts."""

    header: StoreHeader
    signature: str
    index: int = Field(ge=0)
    part: str


class PartAnswer(_Model):
    index: int
    results: list[ItemResult]
    server_epoch: str


class AnswerRequest(_Model):
    """The relay asks for the return bundle once every part went through."""

    header: StoreHeader
    signature: str


class ReturnHeader(_Model):
    format: Literal["loandesk-bundle"] = FORMAT
    version: Literal[1] = VERSION
    kind: Literal["return"] = "return"
    bundle_id: str
    answers: str  # the store bundle's bundle_id
    answers_seq: int
    return_seq: int = Field(ge=1)
    store_code: str
    device_id: str
    created_at: str
    signer: str  # head office's key id
    box_key: str  # the PC key the body is sealed to
    body_sha256: str


class ReturnBundle(_Model):
    header: ReturnHeader
    signature: str
    body: str  # sealed box to the PC: ReturnBody


class Page(_Model):
    from_cursor: str
    next_cursor: str


class DecisionsPart(Page):
    items: list[Decision]


class CatalogPart(Page):
    items: list[CatalogEntry]


class BlacklistPart(_Model):
    from_state: str
    delta: BlacklistDelta


class RulePackPart(_Model):
    etag: str
    body: str  # base64 of the signed pack file


class ReturnBody(_Model):
    server_epoch: str
    results: list[ItemResult]
    decisions: DecisionsPart
    catalog: CatalogPart
    blacklists: list[BlacklistPart]
    rulepack: RulePackPart | None = None


def header_bytes(header: StoreHeader | ReturnHeader) -> bytes:
    """What a signature covers: the header's canonical JSON."""
    return canonical_json(header.model_dump(mode="json")).encode("utf-8")


def part_context(bundle_id: str, index: int) -> str:
    return f"{FORMAT}/{bundle_id}/part/{index}"


def secret_context(bundle_id: str, seq: int, store_code: str, device_id: str) -> str:
    return f"{FORMAT}/{bundle_id}/secret/{seq}/{store_code}/{device_id}"


def body_context(header: ReturnHeader) -> str:
    return f"{FORMAT}/{header.bundle_id}/return/{header.answers}/{header.return_seq}"


def kind_of(data: Any) -> str | None:
    """ "store" or "return" for something shaped like a bundle file, else None."""
    if not isinstance(data, dict) or not isinstance(data.get("header"), dict):
        return None
    header = data["header"]
    if header.get("format") != FORMAT:
        return None
    kind = header.get("kind")
    return kind if kind in ("store", "return") else None


def check_store_signature(header: StoreHeader, signature: str) -> None:
    """Quietly, or EnvelopeError: the header was not signed by the key it names."""
    verify(sign_public(header.sign_key), signature, header_bytes(header))


def check_part(header: StoreHeader, index: int, part: str) -> None:
    """Quietly, or EnvelopeError: part ``index`` is not the one the signed header lists."""
    if not 0 <= index < len(header.parts) or sha256_text(part) != header.parts[index].sha256:
        raise EnvelopeError(f"part {index}")
