"""Field encryption: round trip, binding to its context, tamper detection, lookup hashes."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.security.crypto import DecryptError, FieldCipher, is_token
from core.security.keyring_store import DataKeys, generate_keys, load_or_create_keys

KEYS = generate_keys()
CIPHER = FieldCipher(KEYS)
CTX = "customers.id_number:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=200,
)


def _raw(token: str) -> bytes:
    body = token.split(":")[2]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def _with_raw(token: str, raw: bytes) -> str:
    head = token.rsplit(":", 1)[0]
    return head + ":" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@SETTINGS
@given(TEXT)
def test_round_trip_any_text(plain: str) -> None:
    token = CIPHER.encrypt(plain, context=CTX)
    assert is_token(token)
    assert token.startswith(f"v1:{KEYS.key_id}:")
    assert CIPHER.decrypt(token, context=CTX) == plain
    if len(plain) >= 8:  # shorter text may turn up in base64 by chance
        assert plain not in token


def test_round_trip_with_keys_from_keyring() -> None:
    cipher = FieldCipher(load_or_create_keys("install-1"))
    token = cipher.encrypt("张三丰", context="customers.name:r1")
    again = FieldCipher(load_or_create_keys("install-1"))
    assert again.decrypt(token, context="customers.name:r1") == "张三丰"


def test_wrong_context_fails() -> None:
    token = CIPHER.encrypt("110105194912310021", context="customers.id_number:row-1")
    for other in ("customers.id_number:row-2", "customers.phone:row-1", "customers.id_number"):
        with pytest.raises(DecryptError) as info:
            CIPHER.decrypt(token, context=other)
        assert info.value.code == "SECURITY_DECRYPT_FAILED" and info.value.reason == "auth"
    with pytest.raises(ValueError):
        CIPHER.encrypt("x", context="")


def test_every_flipped_byte_fails() -> None:
    token = CIPHER.encrypt("13812345678", context=CTX)
    raw = _raw(token)
    for i in range(len(raw)):
        for bit in (0x01, 0x80):
            flipped = bytearray(raw)
            flipped[i] ^= bit
            with pytest.raises(DecryptError):
                CIPHER.decrypt(_with_raw(token, bytes(flipped)), context=CTX)


def test_every_changed_character_fails() -> None:
    token = CIPHER.encrypt("北京市朝阳区建国路88号", context=CTX)
    head = len(token) - len(token.split(":")[2])
    for i in range(head, len(token)):
        swapped = "A" if token[i] != "A" else "B"
        with pytest.raises(DecryptError):
            CIPHER.decrypt(token[:i] + swapped + token[i + 1 :], context=CTX)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1],
        lambda t: t[: t.rindex(":") + 20],
        lambda t: t.replace("v1:", "v2:", 1),
        lambda t: t + "=",
        lambda t: "",
        lambda t: "plain text",
    ],
)
def test_malformed_tokens_fail(mangle: object) -> None:
    token = CIPHER.encrypt("张三", context=CTX)
    with pytest.raises(DecryptError):
        CIPHER.decrypt(mangle(token), context=CTX)  # type: ignore[operator]


def test_other_key_fails() -> None:
    token = CIPHER.encrypt("张三", context=CTX)
    with pytest.raises(DecryptError) as info:
        FieldCipher(generate_keys()).decrypt(token, context=CTX)
    assert info.value.reason == "key"
    same_id = DataKeys(generate_keys().enc_key, KEYS.lookup_key, KEYS.key_id)
    with pytest.raises(DecryptError) as info:
        FieldCipher(same_id).decrypt(token, context=CTX)
    assert info.value.reason == "auth"


def test_fresh_nonce_every_time() -> None:
    tokens = {CIPHER.encrypt("110105194912310021", context=CTX) for _ in range(200)}
    assert len(tokens) == 200
    assert len({_raw(t)[:12] for t in tokens}) == 200


def test_is_token() -> None:
    assert is_token(CIPHER.encrypt("", context=CTX))
    for text in ("", "110105194912310021", "v1:abc:", "v1:ABC:" + "A" * 40, "v1:ab:A", None, 3):
        assert not is_token(text)


def test_lookup_hash_is_stable_and_keyed() -> None:
    h = CIPHER.lookup_hash("id_number", "110105194912310021")
    assert len(h) == 64 and int(h, 16) >= 0
    assert FieldCipher(KEYS).lookup_hash("id_number", "110105194912310021") == h
    assert FieldCipher(generate_keys()).lookup_hash("id_number", "110105194912310021") != h
    other_lookup = DataKeys(KEYS.enc_key, generate_keys().lookup_key, KEYS.key_id)
    assert FieldCipher(other_lookup).lookup_hash("id_number", "110105194912310021") != h
    assert CIPHER.lookup_hash("phone", "110105194912310021") != h
    assert CIPHER.lookup_hash("id_number", "11010519491231002X") != h
    with pytest.raises(ValueError):
        CIPHER.lookup_hash("a\0b", "x")


def test_decrypt_error_text_in_both_languages() -> None:
    exc = DecryptError("auth", CTX)
    assert "解密" in exc.message("zh_CN")
    assert "could not be decrypted" in exc.message("en")
    assert str(exc).startswith("SECURITY_DECRYPT_FAILED: ")
