"""Security groundwork: keys in the OS keyring, field encryption, operator passwords,
roles and masks, and the hash-chained audit log. Pure Python, no Qt, no storage.

- :mod:`~core.security.keys`: the only module that touches the keyring; refuses
  ``fail``, ``null`` and plaintext backends; ``load_or_create_keys(install_id)``.
- :mod:`~core.security.crypto`: ``FieldCipher`` (AES-256-GCM tokens bound to a context)
  and keyed lookup hashes.
- :mod:`~core.security.passwords`: scrypt hashes, the password/PIN policy, ``LoginThrottle``.
- :mod:`~core.security.permissions`: ``Role``, ``Permission``, the matrix, ``require``
  and the display masks.
- :mod:`~core.security.audit_chain`: ``row_hash`` and ``verify_chain``.
- :mod:`~core.security.messages`: every code's zh_CN/en text; ``SecurityError``.
"""

from core.security.audit_chain import GENESIS, ChainReport, chain_key, row_hash, verify_chain
from core.security.crypto import DecryptError, FieldCipher, is_token
from core.security.keys import (
    DataKeys,
    DataKeysCorrupt,
    DataKeysMissing,
    KeyringUnavailable,
    delete_secret,
    load_or_create_keys,
    read_secret,
    require_secure_backend,
    write_secret,
)
from core.security.messages import SecurityError
from core.security.passwords import (
    LoginThrottle,
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from core.security.permissions import (
    MATRIX,
    Permission,
    PermissionDenied,
    Role,
    allowed,
    mask_id_number,
    mask_name,
    mask_phone,
    require,
)

__all__ = [
    "GENESIS",
    "MATRIX",
    "ChainReport",
    "DataKeys",
    "DataKeysCorrupt",
    "DataKeysMissing",
    "DecryptError",
    "FieldCipher",
    "KeyringUnavailable",
    "LoginThrottle",
    "Permission",
    "PermissionDenied",
    "Role",
    "SecurityError",
    "allowed",
    "chain_key",
    "check_password_policy",
    "delete_secret",
    "hash_password",
    "is_token",
    "load_or_create_keys",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "needs_rehash",
    "read_secret",
    "require",
    "require_secure_backend",
    "row_hash",
    "verify_chain",
    "verify_password",
    "write_secret",
]
