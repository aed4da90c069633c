"""Hash-chained audit rows: pure functions the storage layer calls on write and in ``check``.

Each row carries ``seq`` (1, 2, 3, ... with no gaps) and ``hash``; it may also carry
``prev_hash``. ``hash = row_hash(previous row's hash, row)``, the first row chaining to
:data:`GENESIS`. The hash covers every field except ``hash`` and ``prev_hash`` (the
previous hash is prepended instead), as canonical JSON: sorted keys, no spaces, UTF-8.
Store values as they come back from SQLite (str, int, None); floats are allowed but
must round-trip exactly.

Keyed chains use HMAC-SHA256 with :func:`chain_key` (derived from the installation's
lookup key, which lives only in the OS keyring), so someone who can edit the database
file cannot recompute the hashes after a change. Deleting the newest rows leaves a valid
shorter chain: keep a checkpoint ``(seq, hash)`` *outside* the database (it travels with
each sync, or in the settings file) and pass it to :func:`verify_chain`.

Audit rows name the operator, time, action and target ids only - never personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from core.security.keyring_store import DataKeys

GENESIS = "0" * 64
EXCLUDED_FIELDS = frozenset({"hash", "prev_hash"})
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CHAIN_LABEL = b"loandesk/audit-chain/v1"

Reason = Literal["changed", "deleted", "reordered", "truncated"]


def chain_key(keys: DataKeys) -> bytes:
    """The audit chain key, derived from (never equal to) the lookup key."""
    return hmac.new(keys.lookup_key, _CHAIN_LABEL, hashlib.sha256).digest()


def canonical_json(row: Mapping[str, Any]) -> bytes:
    fields = {k: v for k, v in row.items() if k not in EXCLUDED_FIELDS}
    text = json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return text.encode("utf-8")


def row_hash(prev_hash: str, row: Mapping[str, Any], *, key: bytes | None = None) -> str:
    """Hex hash of ``prev_hash`` + the row's canonical JSON; HMAC under ``key`` if given.

    Raises ``ValueError`` for a malformed ``prev_hash`` and ``TypeError`` for a value
    JSON cannot hold (convert dates and Decimals to text before storing them).
    """
    if not _HEX64.fullmatch(prev_hash):
        raise ValueError("prev_hash must be 64 lowercase hex characters")
    data = prev_hash.encode("ascii") + canonical_json(row)
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """The result of :func:`verify_chain`.

    ``last_seq``/``last_hash`` are the last row that verified: after ``ok``, store them
    as the next checkpoint.
    """

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: Reason | None = None
    last_seq: int = 0
    last_hash: str = GENESIS

    @property
    def code(self) -> str:
        """An i18n code; its text takes ``seq`` and ``checked`` (see :meth:`params`)."""
        return f"SECURITY_AUDIT_{self.reason or 'ok'}".upper()

    def params(self) -> dict[str, int]:
        return {"seq": self.first_bad_seq or 0, "checked": self.checked}


def verify_chain(
    rows: Iterable[Mapping[str, Any]],
    key: bytes | None,
    *,
    checkpoint: tuple[int, str] | None = None,
    after: tuple[int, str] | None = None,
) -> ChainReport:
    """Check rows in storage order (by rowid, not re-sorted, so reordering shows).

    ``key`` is :func:`chain_key` for keyed chains, None for plain SHA-256 ones.
    ``checkpoint`` is the last ``(seq, hash)`` known from outside: the chain must reach
    it with that hash. ``after`` starts the check after a trusted ``(seq, hash)`` instead
    of at the beginning, for incremental checks. Reports the first problem found:

    - ``changed``: a row's content (or its hash) differs from what was chained, or a
      seq appears twice;
    - ``deleted``: a seq is missing, or a row was chained to a predecessor that is gone;
    - ``reordered``: the missing seq appears later in the rows;
    - ``truncated``: rows end before the checkpoint.
    """
    items = list(rows)
    last_seq, last_hash = after if after is not None else (0, GENESIS)
    all_seqs = {s for r in items if isinstance(s := r.get("seq"), int)}
    seen: set[int] = set()
    checked = 0

    def bad(seq: int, reason: Reason) -> ChainReport:
        return ChainReport(False, checked, seq, reason, last_seq, last_hash)

    for row in items:
        expected = last_seq + 1
        seq, stored = row.get("seq"), row.get("hash")
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(stored, str):
            return bad(expected, "changed")
        if seq != expected:
            if seq in seen or seq <= last_seq:
                return bad(seq, "changed")
            return bad(expected, "reordered" if expected in all_seqs else "deleted")
        seen.add(seq)
        try:
            computed = row_hash(last_hash, row, key=key)
        except (TypeError, ValueError):
            return bad(seq, "changed")
        if not hmac.compare_digest(computed, stored):
            if _chained_elsewhere(row, last_hash, stored, key):
                # intact itself, but its predecessor is not the row it was chained to
                return bad(max(seq - 1, 1), "deleted")
            return bad(seq, "changed")
        if checkpoint is not None and seq == checkpoint[0] and stored != checkpoint[1]:
            return bad(seq, "changed")
        checked += 1
        last_seq, last_hash = seq, stored
    if checkpoint is not None and last_seq < checkpoint[0]:
        return bad(last_seq + 1, "truncated")
    return ChainReport(True, checked, None, None, last_seq, last_hash)


def _chained_elsewhere(
    row: Mapping[str, Any], expected_prev: str, stored: str, key: bytes | None
) -> bool:
    prev = row.get("prev_hash")
    if not isinstance(prev, str) or prev == expected_prev or not _HEX64.fullmatch(prev):
        return False
    return hmac.compare_digest(row_hash(prev, row, key=key), stored)
