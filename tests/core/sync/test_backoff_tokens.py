"""Backoff bounds and the device token's keyring-only storage."""

from __future__ import annotations

import random

import keyring
import pytest
from keyring.backends import fail

from core.security.memory_keyring import MemoryKeyring
from core.sync import tokens
from core.sync.backoff import Backoff
from core.sync.errors import SyncError


def test_full_jitter_stays_within_the_ceiling() -> None:
    b = Backoff(rng=random.Random(1))
    assert [b.ceiling(n) for n in range(6)] == [2, 4, 8, 16, 32, 64]
    assert b.ceiling(9) == 900 and b.ceiling(10_000) == 900  # 15 minutes, never more
    for n in range(20):
        samples = [b.delay(n) for _ in range(200)]
        assert all(0 <= s <= b.ceiling(n) for s in samples)
        assert max(samples) > b.ceiling(n) * 0.5  # really spread, not a fixed step
    same = Backoff(rng=random.Random(1)), Backoff(rng=random.Random(1))
    assert [same[0].delay(4) for _ in range(5)] == [same[1].delay(4) for _ in range(5)]


def test_the_token_lives_in_the_keyring(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    tokens.save_token("dev-1", "s3cret")
    assert memory_keyring.store[("LoanDesk", "device-token:dev-1")] == "s3cret"
    assert tokens.load_token("dev-1") == "s3cret"
    assert tokens.load_token("dev-2") is None
    tokens.delete_token("dev-1")
    tokens.delete_token("dev-1")  # twice is fine
    assert tokens.load_token("dev-1") is None


def test_no_keyring_backend_is_a_clear_error_for_it() -> None:
    keyring.set_keyring(fail.Keyring())  # what a Linux PC without Secret Service gets
    with pytest.raises(SyncError) as err:
        tokens.save_token("dev-1", "s3cret")
    assert err.value.code == "SYNC_KEYRING_UNAVAILABLE"
    assert "PYTHON_KEYRING_BACKEND" in err.value.text("en")
    assert "明文" in err.value.text("zh_CN")
    with pytest.raises(SyncError):
        tokens.load_token("dev-1")


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's PlaintextKeyring: it would work, but writes in clear."""


def test_a_plain_text_keyring_is_refused_for_the_token_too() -> None:
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    for call in (
        lambda: tokens.save_token("dev-1", "s3cret"),
        lambda: tokens.load_token("dev-1"),
        lambda: tokens.delete_token("dev-1"),
    ):
        with pytest.raises(SyncError) as err:
            call()
        assert err.value.code == "SYNC_KEYRING_UNAVAILABLE"
        assert "PlaintextKeyring" in err.value.text("en") and "{" not in err.value.text("en")
    assert backend.store == {}  # the token never reached it
