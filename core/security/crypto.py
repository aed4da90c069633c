"""Field-level encryption of personal data (AES-256-GCM) and keyed lookup hashes.

A token is compact text that fits a TEXT column::

    v1:<key_id>:<base64url(nonce || ciphertext+tag), unpadded>

The associated data binds a token to its place: pass ``context`` such as
``"customers.id_number:<row id>"``; the same token copied to another row or column
fails to decrypt. The version and key id are bound as well. Searching by ID number or
phone uses :meth:`FieldCipher.lookup_hash` (HMAC-SHA256), never the ciphertext, since
every encryption of the same value differs (random 96-bit nonce).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.security.keyring_store import DataKeys
from core.security.messages import SecurityError

VERSION = "v1"
NONCE_BYTES = 12
TAG_BYTES = 16
BLOB_MAGIC = b"LDBLOB1\n"  # an encrypted file's first bytes (never a JPEG/PNG/PDF header)
_TOKEN = re.compile(r"v1:([0-9a-z]{1,32}):([A-Za-z0-9_-]+)")


class DecryptError(SecurityError):
    """A token that is malformed, altered, moved, or made with another key.

    ``reason`` ("format", "key", "auth") and ``context`` are for logs; neither holds
    personal data.
    """

    code = "SECURITY_DECRYPT_FAILED"

    def __init__(self, reason: str, context: str) -> None:
        self.reason = reason
        self.context = context
        super().__init__(reason=reason, context=context)


def is_token(text: object) -> bool:
    """True when ``text`` has the shape of a token (says nothing about its validity).

    Storage uses it to tell encrypted values from plain ones, e.g. during migration.
    """
    if not isinstance(text, str):
        return False
    m = _TOKEN.fullmatch(text)
    return m is not None and _b64_len_ok(m.group(2))


class FieldCipher:
    """Encrypts and decrypts single text fields with one generation of :class:`DataKeys`.

    Thread-safe: it keeps no mutable state beyond the cipher object.
    """

    def __init__(self, keys: DataKeys) -> None:
        self._keys = keys
        self._aead = AESGCM(keys.enc_key)

    @property
    def key_id(self) -> str:
        return self._keys.key_id

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), self._ad(context))
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{VERSION}:{self._keys.key_id}:{body}"

    def decrypt(self, token: str, *, context: str) -> str:
        ad = self._ad(context)
        m = _TOKEN.fullmatch(token) if isinstance(token, str) else None
        if m is None or not _b64_len_ok(m.group(2)):
            raise DecryptError("format", context)
        if m.group(1) != self._keys.key_id:
            raise DecryptError("key", context)
        body = m.group(2)
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise DecryptError("format", context) from None
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != body:
            raise DecryptError("format", context)  # non-canonical: stray bits were altered
        try:
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], ad)
            return plain.decode("utf-8")
        except (InvalidTag, UnicodeDecodeError):
            raise DecryptError("auth", context) from None

    def encrypt_bytes(self, data: bytes, *, context: str) -> bytes:
        """A whole file (attachments): ``BLOB_MAGIC``, the key id's length and bytes,
        then nonce || ciphertext+tag; bound to ``context`` like a token."""
        key_id = self._keys.key_id.encode("ascii")
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, data, self._ad(context))
        return BLOB_MAGIC + bytes([len(key_id)]) + key_id + nonce + sealed

    def decrypt_bytes(self, blob: bytes, *, context: str) -> bytes:
        ad = self._ad(context)
        head = len(BLOB_MAGIC)
        if len(blob) < head + 1 or blob[:head] != BLOB_MAGIC:
            raise DecryptError("format", context)
        key_len = blob[head]
        body = head + 1 + key_len
        if len(blob) < body + NONCE_BYTES + TAG_BYTES:
            raise DecryptError("format", context)
        if blob[head + 1 : body] != self._keys.key_id.encode("ascii"):
            raise DecryptError("key", context)
        try:
            return self._aead.decrypt(
                blob[body : body + NONCE_BYTES], blob[body + NONCE_BYTES :], ad
            )
        except InvalidTag:
            raise DecryptError("auth", context) from None

    def lookup_hash(self, kind: str, normalized_value: str) -> str:
        """Hex HMAC-SHA256 of ``kind + "\\0" + value`` under the lookup key.

        ``kind`` separates domains ("id_number", "phone") so equal strings of different
        kinds never collide. The caller normalizes first
        (``core.validation.application``: ID upper-case X, phone 11 digits); this function
        does not.
        """
        if not kind or "\0" in kind:
            raise ValueError("kind must be non-empty and contain no NUL")
        msg = f"{kind}\0{normalized_value}".encode()
        return hmac.new(self._keys.lookup_key, msg, hashlib.sha256).hexdigest()

    def _ad(self, context: str) -> bytes:
        if not context:
            raise ValueError("context is required: it binds the token to its row and column")
        return f"{VERSION}:{self._keys.key_id}:{context}".encode()


def _b64_len_ok(body: str) -> bool:
    # unpadded base64 never has length 1 mod 4; nonce + tag is the least a token holds
    return len(body) % 4 != 1 and len(body) * 3 // 4 >= NONCE_BYTES + TAG_BYTES
