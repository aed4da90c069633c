"""Canonical bytes, signing and signature checks of rule-pack files.

The signature covers the canonical JSON of the whole file minus ``signature``:
``json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
encoded as UTF-8. The server signs with the very same function.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.rules.errors import PackError
from core.rules.trusted_keys import TrustedKey

SIGNATURE_FIELD = "signature"


def canonical_bytes(obj: Mapping[str, Any]) -> bytes:
    """The signed bytes: everything except the signature, canonically serialised."""
    body = {k: v for k, v in obj.items() if k != SIGNATURE_FIELD}
    return json.dumps(
        body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sign_pack(unsigned: Mapping[str, Any], private_key: Ed25519PrivateKey) -> bytes:
    """Sign ``unsigned`` (an existing signature is dropped) and return the file bytes.

    The file is the canonical JSON plus the signature, so it reads back byte-exact.
    """
    body = {k: v for k, v in unsigned.items() if k != SIGNATURE_FIELD}
    signature = private_key.sign(canonical_bytes(body))
    signed = {**body, SIGNATURE_FIELD: base64.b64encode(signature).decode("ascii")}
    return json.dumps(
        signed, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def content_sha256(obj: Mapping[str, Any]) -> str:
    """sha256 of the canonical (signed) bytes: the pack's identity in receipts."""
    return hashlib.sha256(canonical_bytes(obj)).hexdigest()


def verify_signature(obj: Mapping[str, Any], keys: Mapping[str, TrustedKey]) -> str:
    """Check the signature of a decoded pack; returns the key id that signed it.

    Only the bare minimum is looked at before the check (``signature`` and
    ``manifest.key_id``); everything else is judged only once it is known authentic.
    """
    sig_b64 = obj.get(SIGNATURE_FIELD)
    if not isinstance(sig_b64, str):
        raise PackError("PACK_MALFORMED", "signature: missing or not a string")
    try:
        signature = base64.b64decode(sig_b64, validate=True)
    except (binascii.Error, ValueError):
        raise PackError("PACK_MALFORMED", "signature: not valid base64") from None
    if len(signature) != 64:
        raise PackError("PACK_MALFORMED", f"signature: expected 64 bytes, got {len(signature)}")
    manifest = obj.get("manifest")
    key_id = manifest.get("key_id") if isinstance(manifest, dict) else None
    if not isinstance(key_id, str):
        raise PackError("PACK_MALFORMED", "manifest.key_id: missing or not a string")
    trusted = keys.get(key_id)
    if trusted is None:
        known = ", ".join(sorted(keys)) or "none"
        raise PackError(
            "PACK_UNKNOWN_KEY", f"manifest.key_id: {key_id!r} is not trusted (trusted: {known})"
        )
    try:
        body = canonical_bytes(obj)
    except (ValueError, TypeError, RecursionError) as exc:
        raise PackError("PACK_MALFORMED", f"cannot canonicalise the content ({exc})") from None
    try:
        trusted.public_key.verify(signature, body)
    except InvalidSignature:
        raise PackError(
            "PACK_SIGNATURE",
            f"signature does not match the content for key {key_id!r} (altered or corrupted)",
        ) from None
    return key_id
