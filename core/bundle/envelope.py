"""The cryptography of an offline sync bundle: sealed boxes and signatures.

A *sealed box* encrypts bytes to one X25519 public key (ECIES-style hybrid): a fresh
ephemeral X25519 key agrees a secret with the recipient's key, HKDF-SHA256 turns it
into a one-time AES-256-GCM key, and the GCM tag binds the box to a ``context`` string
(associated data: which bundle, which part) so a box moved elsewhere does not open::

    base64( ephemeral public key (32) || nonce (12) || ciphertext + tag )

Only the holder of the recipient's private key opens it: a lost USB stick leaks nothing.
A box alone proves nothing about its sender (anyone may encrypt to a public key), so a
bundle's header, which lists the sha256 of every box, is signed with Ed25519 by its
author: a changed byte anywhere is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.errors import CoreError

SIGN_DOMAIN = b"loandesk-bundle-v1 signature\n"
_BOX_INFO = b"loandesk-bundle-v1 box"
_NONCE = 12
_KEY = 32


class EnvelopeError(CoreError):
    """A box that does not open, a signature that does not verify, a key that is not
    one (``reason`` names which; never any content)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, what: str = "data") -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise EnvelopeError(f"{what} is not base64") from None


def raw_public(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def box_public(text: str) -> X25519PublicKey:
    raw = unb64(text, "encryption key")
    if len(raw) != _KEY:
        raise EnvelopeError("encryption key is not 32 bytes")
    return X25519PublicKey.from_public_bytes(raw)


def sign_public(text: str) -> Ed25519PublicKey:
    raw = unb64(text, "signing key")
    if len(raw) != _KEY:
        raise EnvelopeError("signing key is not 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=_KEY, salt=ephemeral + recipient, info=_BOX_INFO
    ).derive(shared)


def seal(recipient: X25519PublicKey, plain: bytes, context: str) -> str:
    """``plain`` encrypted to ``recipient``, bound to ``context``."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = raw_public(ephemeral.public_key())
    key = _derive(ephemeral.exchange(recipient), eph_pub, raw_public(recipient))
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, plain, context.encode("utf-8"))
    return b64(eph_pub + nonce + sealed)


def open_box(private: X25519PrivateKey, box: str, context: str) -> bytes:
    """The plain bytes of ``box``; EnvelopeError when it is not for this key, was
    changed, or belongs to another context."""
    raw = unb64(box, "sealed data")
    if len(raw) < _KEY + _NONCE + 16:
        raise EnvelopeError("sealed data is too short")
    eph_pub, nonce, sealed = raw[:_KEY], raw[_KEY : _KEY + _NONCE], raw[_KEY + _NONCE :]
    mine = raw_public(private.public_key())
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        key = _derive(shared, eph_pub, mine)
        return AESGCM(key).decrypt(nonce, sealed, context.encode("utf-8"))
    except (InvalidTag, ValueError):
        raise EnvelopeError("sealed data does not open with this key") from None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def sign(private: Ed25519PrivateKey, message: bytes) -> str:
    return b64(private.sign(SIGN_DOMAIN + message))


def verify(public: Ed25519PublicKey, signature: str, message: bytes) -> None:
    """Quietly, or EnvelopeError("signature")."""
    try:
        public.verify(unb64(signature, "signature"), SIGN_DOMAIN + message)
    except InvalidSignature:
        raise EnvelopeError("signature") from None
