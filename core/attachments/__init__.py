"""Attachments: ID card photos, the customer with the goods, the signature and printed
PDFs. Images are downscaled and re-encoded without metadata (core.attachments.images);
every file is stored once by the sha256 of its content, encrypted with the install's
data key (core.attachments.files); which kinds an application needs comes from the
rule pack (core.rules.evidence)."""

from __future__ import annotations

from core.attachments.files import AttachmentFiles, StoredFile
from core.attachments.kinds import (
    IMAGE_KINDS,
    AttachmentError,
    AttachmentKind,
    AttachmentOptions,
    EvidenceItem,
)

__all__ = [
    "IMAGE_KINDS",
    "AttachmentError",
    "AttachmentFiles",
    "AttachmentKind",
    "AttachmentOptions",
    "EvidenceItem",
    "StoredFile",
]
