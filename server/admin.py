"""Admin actions the CLI runs against the database (also while the server runs)."""

from __future__ import annotations

from core.money import MoneyParseError, parse_yuan
from core.rules import blacklist_digest, load_trusted_keys, parse_pack
from core.sync.wire import BLACKLIST_NAMES
from server.db import Database, next_seq
from server.packs import current_pack


def blacklist_change(db: Database, action: str, name: str, value: str) -> str:
    """Add or remove ``value`` (hashed with the current pack's pepper); returns the digest."""
    if name not in BLACKLIST_NAMES:
        raise ValueError(f"blacklist name must be one of {', '.join(BLACKLIST_NAMES)}")
    if action not in ("add", "remove"):
        raise ValueError("action must be add or remove")
    with db.read() as conn:
        stored = current_pack(conn)
    if stored is None:
        raise ValueError("no rule pack is published, so there is no pepper to hash with")
    pepper = parse_pack(stored.body, load_trusted_keys()).blacklist_pepper
    digest = blacklist_digest(name, value, pepper)
    present = 1 if action == "add" else 0
    with db.write() as conn:
        row = conn.execute(
            "SELECT present FROM blacklist WHERE name = ? AND digest = ?", (name, digest)
        ).fetchone()
        if row is None and not present:
            return digest
        if row is not None and int(row[0]) == present:
            return digest
        conn.execute(
            "INSERT INTO blacklist (name, digest, present, change_seq) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name, digest) DO UPDATE SET present = excluded.present, "
            "change_seq = excluded.change_seq",
            (name, digest, present, next_seq(conn, "blacklist_seq")),
        )
    return digest


def catalog_change(
    db: Database,
    sku: str,
    *,
    name: str | None = None,
    category: str | None = None,
    price: str | None = None,
    delete: bool = False,
) -> int:
    """Add, change or delete (a tombstone) one catalog entry; returns its change seq."""
    with db.write() as conn:
        row = conn.execute(
            "SELECT name, category, price_fen FROM catalog WHERE sku = ?", (sku,)
        ).fetchone()
        if delete:
            if row is None:
                raise ValueError(f"no catalog entry {sku!r}")
            seq = next_seq(conn, "catalog_seq")
            conn.execute("UPDATE catalog SET deleted = 1, change_seq = ? WHERE sku = ?", (seq, sku))
            return seq
        if row is None and not (name and category and price):
            raise ValueError("a new catalog entry needs --name, --category and --price")
        try:
            price_fen = parse_yuan(price) if price is not None else int(row[2])
        except MoneyParseError as exc:
            raise ValueError(f"--price: {exc.code}") from None
        if price_fen <= 0:
            raise ValueError("--price must be more than zero")
        seq = next_seq(conn, "catalog_seq")
        conn.execute(
            "INSERT INTO catalog (sku, name, category, price_fen, deleted, change_seq) "
            "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT(sku) DO UPDATE SET name = excluded.name, "
            "category = excluded.category, price_fen = excluded.price_fen, deleted = 0, "
            "change_seq = excluded.change_seq",
            (
                sku,
                name or str(row[0]),
                category or str(row[1]),
                price_fen,
                seq,
            ),
        )
        return seq
