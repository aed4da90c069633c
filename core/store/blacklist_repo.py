"""The ``blacklist`` table (migration 0002_rules): peppered digests of ID numbers,
phones and devices, from the rule pack and from the server's deltas. The only place
that reads or writes it: the rule pack store (core.rules.pack_store) installs and looks up,
sync (core.sync.pull, through SyncRepo) applies deltas and checks the list's sum.

Digests are checked here (64 lower-case hex characters, a known kind) before anything
is written; a bad one raises ValueError mid-way, and the caller's transaction undoes
the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import sqlite_utils

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: the kinds the table's CHECK allows (the same as core.rules.shape.BLACKLIST_KINDS,
#: which a test compares: the rule pack format names them too)
BLACKLIST_KINDS = ("id", "phone", "device")


def check_kind(kind: str) -> None:
    if kind not in BLACKLIST_KINDS:
        raise ValueError(f"blacklist kind must be one of {BLACKLIST_KINDS}, got {kind!r}")


def checked(digests: Iterable[str]) -> Iterator[str]:
    for i, d in enumerate(digests):
        if not isinstance(d, str) or not _HEX64.match(d):
            raise ValueError(f"digest {i}: expected 64 lower-case hex characters, got {d!r}")
        yield d


class BlacklistRepo:
    """Each method is one statement and opens no transaction (the callers do)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def contains(self, kind: str, digest: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM blacklist WHERE kind = ? AND digest = ?", [kind, digest]
        ).fetchone()
        return row is not None

    def counts(self) -> dict[str, int]:
        """Digests per kind, every kind named (0 when there are none)."""
        rows = self.db.execute("SELECT kind, count(*) FROM blacklist GROUP BY kind").fetchall()
        found = dict.fromkeys(BLACKLIST_KINDS, 0)
        found.update({str(k): int(n) for k, n in rows})
        return found

    def iter_digests(self, kind: str) -> Iterator[str]:
        """The digests of one kind in sorted order, streamed (the primary key's order)."""
        cur = self.db.execute("SELECT digest FROM blacklist WHERE kind = ? ORDER BY digest", [kind])
        while True:
            rows = cur.fetchmany(5000)
            if not rows:
                return
            for (digest,) in rows:
                yield str(digest)

    def add(self, kind: str, digests: Iterable[str], source: str, added_at: str) -> int:
        """Insert the digests not there yet (streamed); returns how many were new."""
        check_kind(kind)
        before = self.db.conn.total_changes
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO blacklist(kind, digest, source, added_at) VALUES (?, ?, ?, ?)",
            ((kind, d, source, added_at) for d in checked(digests)),
        )
        return self.db.conn.total_changes - before

    def remove(self, kind: str, digests: Iterable[str]) -> int:
        """Delete the digests given (streamed); returns how many were there."""
        check_kind(kind)
        before = self.db.conn.total_changes
        self.db.conn.executemany(
            "DELETE FROM blacklist WHERE kind = ? AND digest = ?",
            ((kind, d) for d in checked(digests)),
        )
        return self.db.conn.total_changes - before

    def clear_kind(self, kind: str) -> int:
        return self.db.execute("DELETE FROM blacklist WHERE kind = ?", [kind]).rowcount

    def clear_from_packs(self) -> None:
        """Drop what rule packs brought (the server's deltas stay)."""
        self.db.execute("DELETE FROM blacklist WHERE source LIKE 'pack:%'")

    def clear_all(self) -> None:
        self.db.execute("DELETE FROM blacklist")
