"""Security groundwork: keys in the OS keyring, field encryption, operator passwords,
roles and masks, and the hash-chained audit log. Pure Python, no Qt, no storage.

- :mod:`~core.security.keyring_store`: the only module that touches the keyring; refuses
  ``fail``, ``null`` and plaintext backends; ``load_or_create_keys(install_id)``.
- :mod:`~core.security.crypto`: ``FieldCipher`` (AES-256-GCM tokens bound to a context)
  and keyed lookup hashes.
- :mod:`~core.security.passwords`: scrypt hashes, the password/PIN policy, ``LoginThrottle``.
- :mod:`~core.security.permissions`: ``Role``, ``Permission``, the matrix, ``require``
  and the display masks.
- :mod:`~core.security.audit_chain`: ``row_hash`` and ``verify_chain``.
- :mod:`~core.security.messages`: every code's zh_CN/en text; ``SecurityError``.


The names below are imported on first use (PEP 562), so that importing one light
submodule (permissions, messages) does not load the keyring and the ciphers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.lazy import lazy_exports

_HOME: dict[str, str] = {
    "GENESIS": "audit_chain",
    "ChainReport": "audit_chain",
    "chain_key": "audit_chain",
    "row_hash": "audit_chain",
    "verify_chain": "audit_chain",
    "DecryptError": "crypto",
    "FieldCipher": "crypto",
    "is_token": "crypto",
    "DataKeys": "keyring_store",
    "DataKeysCorrupt": "keyring_store",
    "DataKeysMissing": "keyring_store",
    "KeyringUnavailable": "keyring_store",
    "delete_secret": "keyring_store",
    "load_or_create_keys": "keyring_store",
    "read_secret": "keyring_store",
    "require_secure_backend": "keyring_store",
    "write_secret": "keyring_store",
    "SecurityError": "messages",
    "LoginThrottle": "passwords",
    "check_password_policy": "passwords",
    "hash_password": "passwords",
    "needs_rehash": "passwords",
    "verify_password": "passwords",
    "MATRIX": "permissions",
    "Permission": "permissions",
    "PermissionDenied": "permissions",
    "Role": "permissions",
    "allowed": "permissions",
    "mask_id_number": "permissions",
    "mask_name": "permissions",
    "mask_phone": "permissions",
    "require": "permissions",
}

if TYPE_CHECKING:
    from core.security.audit_chain import (
        GENESIS,
        ChainReport,
        chain_key,
        row_hash,
        verify_chain,
    )
    from core.security.crypto import (
        DecryptError,
        FieldCipher,
        is_token,
    )
    from core.security.keyring_store import (
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
    from core.security.messages import (
        SecurityError,
    )
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


__getattr__ = lazy_exports("core.security", _HOME, globals())


__all__ = [
    "ChainReport",
    "DataKeys",
    "DataKeysCorrupt",
    "DataKeysMissing",
    "DecryptError",
    "FieldCipher",
    "GENESIS",
    "KeyringUnavailable",
    "LoginThrottle",
    "MATRIX",
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
