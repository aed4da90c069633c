"""The highest rule-pack version this install ever had: a mark an SQL edit cannot lower.

The ``rule_packs`` table keeps every installed pack's signed bytes, so someone who can
edit the database can make an older, genuinely signed pack active again (``UPDATE
rule_packs SET active``), or damage the active row so that the shipped, older pack is
installed in its place. Signatures cannot tell: the old pack *is* signed. So the
highest installed ``(version, key id, sha256)`` is kept twice, signed with an HMAC
under a key derived from the install's data keys (which live only in the OS keyring):

* the meta row ``rules_high_water`` (in the database, next to what it protects), and
* the OS keyring entry ``LoanDesk / rules-high-water:<install id>``, which somebody who
  has the files but not the Windows user's keyring can neither delete nor replace with
  an older copy of itself.

Readers take the higher valid copy. A pack below the mark is refused when it is
installed and when it is loaded as the active one (:mod:`core.rules.pack_store`).

The mark binds only while the key that signed its pack is still trusted: a build that
pins new keys starts a new line of versions (the old packs do not verify anyway).

Limits, honestly: without the data keys on the connection (tests, tools) no mark is
kept. If the keyring copy could not be written and the meta row is deleted too, the
mark is gone and the next install starts a new one (``check`` then shows no mark).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from core import i18n
from core.errors import CoreError
from core.security.keyring_store import read_secret, write_secret
from core.security.messages import SecurityError
from core.store.meta_repo import MetaRepo
from core.store.vault import META_INSTALL_ID, has_vault, vault_of

log = logging.getLogger("loandesk.rules")

META_HIGH_WATER = "rules_high_water"
FORMAT = "loandesk-rules-high-water"
VERSION = 1
_LABEL = b"loandesk/rules-high-water/v1\n"


@dataclass(frozen=True)
class HighWater:
    """The highest pack installed: its version, signing key id and content hash."""

    version: int
    key_id: str
    sha256: str


class HighWaterInvalid(CoreError):
    """A copy exists but was not written by this install (edited, or made up)."""

    code = "PACK_HIGH_WATER_INVALID"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        self.params = {"detail": detail}
        super().__init__(detail)


def mark_key(chain_key: bytes) -> bytes:
    """The HMAC key of the mark, derived from the audit chain key (itself derived from
    the data keys), so neither is ever used for two purposes."""
    return hmac.new(chain_key, _LABEL, hashlib.sha256).digest()


def keyring_name(install_id: str) -> str:
    if not install_id or install_id != install_id.strip() or ":" in install_id:
        raise ValueError("install_id must be a non-empty id without spaces or ':'")
    return f"rules-high-water:{install_id}"


def _mac(key: bytes, body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, _LABEL + text, hashlib.sha256).hexdigest()


def encode(key: bytes, mark: HighWater) -> str:
    body: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "pack_version": mark.version,
        "key_id": mark.key_id, "sha256": mark.sha256,
    }  # fmt: skip
    return json.dumps({**body, "mac": _mac(key, body)}, sort_keys=True, separators=(",", ":"))


def decode(text: str, key: bytes) -> HighWater:
    """The mark in ``text``, or :class:`HighWaterInvalid` saying why (no secrets)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise HighWaterInvalid("not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise HighWaterInvalid("not a high-water mark")
    if data.get("version") != VERSION:
        raise HighWaterInvalid(f"format version {data.get('version')!r}")
    version, key_id, sha, mac = (data.get(k) for k in ("pack_version", "key_id", "sha256", "mac"))
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise HighWaterInvalid("bad pack version")
    if not isinstance(key_id, str) or not isinstance(sha, str) or not isinstance(mac, str):
        raise HighWaterInvalid("bad fields")
    body = {k: v for k, v in data.items() if k != "mac"}
    if not hmac.compare_digest(_mac(key, body), mac):
        raise HighWaterInvalid("HMAC does not match")
    return HighWater(version, key_id, sha)


@dataclass(frozen=True)
class Reading:
    """Both copies as found. ``problems`` are safe to log and show (no key material)."""

    meta: HighWater | None = None
    keyring: HighWater | None = None
    problems: tuple[str, ...] = ()

    @property
    def best(self) -> HighWater | None:
        """The higher valid copy (the keyring's on a tie: the harder to forge)."""
        found = [m for m in (self.keyring, self.meta) if m is not None]
        return max(found, key=lambda m: m.version) if found else None


class HighWaterMark:
    """Read and raise the mark of one database. ``key`` and ``install_id`` default to
    the connection's vault and meta row; with no key, the mark is off (:attr:`enabled`)."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        key: bytes | None = None,
        install_id: str | None = None,
    ) -> None:
        self._meta = MetaRepo(db)
        if key is None and has_vault(db):
            key = mark_key(vault_of(db).chain_key)
        self._key = key
        self._install_id = install_id
        self._db = db

    @property
    def enabled(self) -> bool:
        return self._key is not None

    def install_ref(self) -> str:
        """Which install this mark belongs to (for once-per-process bookkeeping)."""
        return self._install_id or self._meta.get(META_INSTALL_ID) or "?"

    def _keyring_name(self) -> str | None:
        install_id = self._install_id or self._meta.get(META_INSTALL_ID)
        try:
            return keyring_name(install_id) if install_id else None
        except ValueError:
            return None

    def read(self) -> Reading:
        """Both copies; never raises for a damaged copy or an unreachable keyring."""
        if self._key is None:
            return Reading()
        problems: list[str] = []
        meta: HighWater | None = None
        stored = self._meta.get(META_HIGH_WATER)
        if stored is not None:
            try:
                meta = decode(stored, self._key)
            except HighWaterInvalid as exc:
                problems.append(f"the database copy is not valid ({exc.detail})")
        ring: HighWater | None = None
        name = self._keyring_name()
        if name is not None:
            try:
                secret = read_secret(name)
                ring = None if secret is None else decode(secret, self._key)
            except HighWaterInvalid as exc:
                problems.append(f"the keyring copy {name} is not valid ({exc.detail})")
            except SecurityError as exc:
                problems.append(f"the keyring copy {name} cannot be read ({exc.code})")
        return Reading(meta, ring, tuple(problems))

    def write_meta(self, mark: HighWater) -> None:
        """The database copy, inside the caller's transaction."""
        if self._key is not None:
            self._meta.set(META_HIGH_WATER, encode(self._key, mark))

    def write_keyring(self, mark: HighWater) -> None:
        """The keyring copy, after the install committed; a refusing keyring is logged."""
        name = self._keyring_name()
        if self._key is None or name is None:
            return
        try:
            write_secret(name, encode(self._key, mark))
        except SecurityError as exc:
            log.error("rule-pack high-water mark not kept in the keyring: %s", exc.code)


def below(version: int, sha256: str, mark: HighWater | None, trusted: set[str]) -> bool:
    """Is a pack of ``version``/``sha256`` a rollback against ``mark``? Only while the
    mark's signing key is still trusted; the same version must be the same content."""
    if mark is None or mark.key_id not in trusted:
        return False
    return version < mark.version or (version == mark.version and sha256 != mark.sha256)


i18n.register(
    {
        "PACK_HIGH_WATER_INVALID": {
            "zh_CN": "本机记录的最高规则包版本被改动过，无法信任（{detail}）；请联系 IT",
            "en": "This PC's record of the highest rule pack it used was altered and cannot "
            "be trusted ({detail}); call IT",
        }
    }
)
