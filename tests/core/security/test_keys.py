"""Data keys in the OS keyring: round trip, refusal of unsafe backends, no silent new keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from keyring.backends.chainer import ChainerBackend

from core.security.keyring_store import (
    SERVICE,
    DataKeys,
    DataKeysCorrupt,
    DataKeysMissing,
    KeyringUnavailable,
    delete_secret,
    dump_key_blob,
    generate_keys,
    insecure_reason,
    load_or_create_keys,
    parse_key_blob,
    read_secret,
    require_secure_backend,
    write_secret,
)

USER = "data-keys:install-1"


@pytest.fixture
def backend_classes() -> Iterator[list[type[Any]]]:
    """Backend classes a test defines; unregistered afterwards so keyring never picks them."""
    made: list[type[Any]] = []
    yield made
    registry: set[type[Any]] = keyring.backend.KeyringBackend._classes
    for cls in made:
        registry.discard(cls)


def _backend(made: list[type[Any]], module: str, name: str, **methods: Any) -> Any:
    def get_password(self: Any, service: str, username: str) -> str | None:
        return None

    body: dict[str, Any] = {
        "priority": 1,
        "get_password": get_password,
        "set_password": lambda self, s, u, p: None,
        "delete_password": lambda self, s, u: None,
        "__module__": module,
    }
    body.update(methods)
    cls = type(name, (keyring.backend.KeyringBackend,), body)
    made.append(cls)
    return cls()


def test_round_trip_creates_once_and_reloads(memory_keyring: Any) -> None:
    first = load_or_create_keys("install-1")
    assert len(first.enc_key) == 32 and len(first.lookup_key) == 32
    assert first.enc_key != first.lookup_key
    stored = memory_keyring.store[(SERVICE, USER)]
    blob = json.loads(stored)
    assert blob["format"] == "loandesk-data-keys" and blob["version"] == 1
    assert blob["active"] == first.key_id and len(blob["keys"]) == 1
    again = load_or_create_keys("install-1")
    assert again == first
    assert memory_keyring.store[(SERVICE, USER)] == stored
    other = load_or_create_keys("install-2")
    assert other.enc_key != first.enc_key


def test_repr_never_shows_key_bytes() -> None:
    keys = generate_keys()
    assert keys.enc_key.hex() not in repr(keys) and str(keys.enc_key) not in repr(keys)
    assert keys.key_id in repr(keys)


def test_fail_backend_is_refused_with_backend_named() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringUnavailable) as info:
        load_or_create_keys("install-1")
    exc = info.value
    assert exc.code == "SECURITY_KEYRING_UNAVAILABLE" and exc.reason == "no_backend"
    for lang in ("zh_CN", "en"):
        text = exc.message(lang)
        assert "keyring.backends.fail.Keyring" in text
        assert "PYTHON_KEYRING_BACKEND" in text and "gnome-keyring" in text
        assert "Credential Manager" in text
    assert "找不到可用的密钥环后端" in exc.message("zh_CN")
    assert "no usable keyring backend" in exc.message("en")


def test_null_backend_is_refused() -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())
    with pytest.raises(KeyringUnavailable) as info:
        require_secure_backend()
    assert info.value.reason == "insecure_backend"


def test_plaintext_backend_is_refused(backend_classes: list[type[Any]]) -> None:
    plain = _backend(backend_classes, "keyrings.alt.file", "PlaintextKeyring")
    assert insecure_reason(plain) == "insecure_backend"
    encrypted_file = _backend(backend_classes, "keyrings.alt.file", "EncryptedKeyring")
    assert insecure_reason(encrypted_file) == "insecure_backend"
    named = _backend(backend_classes, "somevendor.store", "PlainTextStore")
    assert insecure_reason(named) == "insecure_backend"
    keyring.set_keyring(plain)
    with pytest.raises(KeyringUnavailable) as info:
        load_or_create_keys("install-1")
    assert "keyrings.alt.file.PlaintextKeyring" in info.value.message("en")
    assert "明文" in info.value.message("zh_CN")


def test_chainer_is_judged_by_its_members(
    backend_classes: list[type[Any]], memory_keyring: Any
) -> None:
    plain = _backend(backend_classes, "keyrings.alt.file", "PlaintextKeyring")

    class Chain(ChainerBackend):
        backends: list[Any] = []

    backend_classes.append(Chain)
    chain = Chain()
    assert insecure_reason(chain) == "no_backend"
    Chain.backends = [memory_keyring, plain]
    assert insecure_reason(chain) == "insecure_backend"
    Chain.backends = [memory_keyring]
    assert insecure_reason(chain) is None
    assert insecure_reason(memory_keyring) is None


def test_keyring_errors_become_keyring_unavailable(backend_classes: list[type[Any]]) -> None:
    def locked(self: Any, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("collection is locked")

    keyring.set_keyring(_backend(backend_classes, "vendor.dbus", "Locked", get_password=locked))
    with pytest.raises(KeyringUnavailable) as info:
        load_or_create_keys("install-1")
    assert info.value.reason == "error"
    assert "KeyringLocked: collection is locked" in info.value.message("en")


def test_a_backend_that_forgets_is_refused(backend_classes: list[type[Any]]) -> None:
    keyring.set_keyring(_backend(backend_classes, "vendor.store", "Forgetful"))
    with pytest.raises(KeyringUnavailable) as info:
        load_or_create_keys("install-1")
    assert info.value.reason == "not_kept"


@pytest.mark.parametrize(
    ("blob", "detail"),
    [
        ("not json{", "not JSON"),
        ('{"format": "other"}', "not a loandesk-data-keys blob"),
        ('{"format": "loandesk-data-keys", "version": 2}', "version 2"),
        ('{"format": "loandesk-data-keys", "version": 1, "keys": {}}', "not a list"),
        ('{"format": "loandesk-data-keys", "version": 1, "active": "a1", "keys": []}', "active"),
    ],
)
def test_corrupt_blob_is_an_error_and_no_new_keys(
    memory_keyring: Any, blob: str, detail: str
) -> None:
    memory_keyring.store[(SERVICE, USER)] = blob
    with pytest.raises(DataKeysCorrupt) as info:
        load_or_create_keys("install-1")
    assert detail in info.value.message("en")
    assert "install-1" in info.value.message("zh_CN")
    assert memory_keyring.store == {(SERVICE, USER): blob}


def test_damaged_key_material_is_corrupt(memory_keyring: Any) -> None:
    good = json.loads(dump_key_blob(generate_keys()))
    good["keys"][0]["enc_key"] = good["keys"][0]["enc_key"][:-8] + "!!!!!!!!"
    memory_keyring.store[(SERVICE, USER)] = json.dumps(good)
    with pytest.raises(DataKeysCorrupt, match=r"keys\[0\]\.enc_key is not base64"):
        load_or_create_keys("install-1")
    good["keys"][0]["enc_key"] = "AAAA"
    with pytest.raises(DataKeysCorrupt, match="has 3 bytes"):
        parse_key_blob(json.dumps(good))


def test_must_exist_refuses_to_create(memory_keyring: Any) -> None:
    with pytest.raises(DataKeysMissing) as info:
        load_or_create_keys("install-1", must_exist=True)
    assert "install-1" in info.value.message("en")
    assert memory_keyring.store == {}
    made = load_or_create_keys("install-1")
    assert load_or_create_keys("install-1", must_exist=True) == made


def test_blob_round_trip_and_key_checks() -> None:
    keys = generate_keys()
    assert parse_key_blob(dump_key_blob(keys)) == keys
    with pytest.raises(ValueError):
        DataKeys(enc_key=b"short", lookup_key=keys.lookup_key, key_id=keys.key_id)
    with pytest.raises(ValueError):
        DataKeys(enc_key=keys.enc_key, lookup_key=keys.lookup_key, key_id="has:colon")
    with pytest.raises(ValueError):
        load_or_create_keys(" spaced ")


def test_generic_secrets(memory_keyring: Any) -> None:
    assert read_secret("device-token:d1") is None
    write_secret("device-token:d1", "tok")
    assert memory_keyring.store[(SERVICE, "device-token:d1")] == "tok"
    assert read_secret("device-token:d1") == "tok"
    delete_secret("device-token:d1")
    delete_secret("device-token:d1")  # already gone: fine
    assert read_secret("device-token:d1") is None
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringUnavailable):
        write_secret("device-token:d1", "tok")
