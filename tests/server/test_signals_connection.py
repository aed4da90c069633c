"""The process's signal engine reads an application's central status through the
connection of the item being judged, never through one an earlier item used: under
load that connection belongs to another thread by then, which waits for the signals
lock this item holds (head office on PostgreSQL with 50 PCs hung on it)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from core.demo_data import DemoGenerator, load_demo_catalog
from server.db import DB_FILENAME, open_database
from server.signals.keys import KeyedHasher
from server.signals_store import LiveSignals, ensure_tables, plain_application


def test_catching_up_reads_through_the_current_items_connection(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    ensure_tables(db)  # the schema, as the server's start makes it
    db.close()
    gen = DemoGenerator(3, date(2026, 3, 2), load_demo_catalog())
    live = LiveSignals(KeyedHasher(b"k" * 32))
    first = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    plain = plain_application(
        "01a24080-0000-7000-8000-000000000001",
        "S001",
        "clerk",
        "2026-03-02T02:00:00+00:00",
        gen.application(),
        (),
        "pc-1",
    )
    first.execute("BEGIN IMMEDIATE")
    live.judge(first, plain, "2026-03-02T02:00:01+00:00")
    first.execute("COMMIT")
    first.close()  # the earlier item is done; its connection is gone (or someone else's)

    second = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    try:
        second.execute("BEGIN")
        engine = live._ready(second)  # the next item catches up before it judges
        assert engine.status_of(plain.application_id) == "submitted"  # read through second
        second.execute("COMMIT")
    finally:
        second.close()
