"""PostgreSQL as head office's database: the SQL translation, one schema with the same
tables on both backends, the upgrades, and feed numbers that appear in commit order."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from server.db import SCHEMA_VERSION, Database, lock_section, meta_get, open_database
from server.pg import PgDatabase, translate
from tests.helpers.pg_cluster import PgCluster

WAIT_S = 30.0


def test_placeholders_become_psycopg_ones_and_quoted_text_is_left_alone() -> None:
    (sql,) = translate("SELECT a FROM t WHERE b = ? AND c LIKE '%?%' AND d = ?")
    assert sql == "SELECT a FROM t WHERE b = %s AND c LIKE '%%?%%' AND d = %s"
    (sql,) = translate("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)")
    assert sql == "INSERT INTO counters (name, value) VALUES (%s, 0) ON CONFLICT DO NOTHING"
    with pytest.raises(NotImplementedError):
        translate("INSERT OR REPLACE INTO t (a) VALUES (?)")


def test_a_strict_sqlite_table_becomes_a_postgresql_one_with_its_rowid() -> None:
    (sql,) = translate("CREATE TABLE IF NOT EXISTS t (a INTEGER NOT NULL, b BLOB, c REAL) STRICT")
    assert "STRICT" not in sql and "BIGINT NOT NULL" in sql and "BYTEA" in sql
    assert sql.endswith("rowid BIGINT GENERATED ALWAYS AS IDENTITY)")
    table, sequence, trigger = translate(
        "CREATE TABLE IF NOT EXISTS f (seq INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT)"
    )
    assert "seq BIGINT PRIMARY KEY" in table and "rowid" not in table
    assert "CREATE SEQUENCE IF NOT EXISTS f_seq_ordered" in sequence
    assert "loandesk_ordered_seq('f_seq_ordered', 'seq')" in trigger


def _columns(db: Database) -> dict[str, set[str]]:
    with db.read() as conn:
        if db.dialect == "sqlite":
            names = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            found = {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in names}
            found.pop("sqlite_sequence", None)
            return found
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        ).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        if column != "rowid":  # SQLite's is implicit
            columns.setdefault(table, set()).add(column)
    return columns


def test_one_schema_on_both_backends(tmp_path: Path, pg_cluster: PgCluster) -> None:
    lite = open_database(tmp_path / "lite")
    pg = open_database(tmp_path / "pg", pg_cluster.new_database())
    try:
        assert _columns(pg) == _columns(lite)
        for db in (lite, pg):
            with db.read() as conn:
                assert meta_get(conn, "schema_version") == str(SCHEMA_VERSION)
                row = conn.execute("SELECT COUNT(*), MIN(change_seq) FROM catalog").fetchone()
                assert row[0] > 0 and row[1] == 1  # the demo catalog, numbered from 1
    finally:
        lite.close()
        pg.close()


def test_an_older_postgresql_database_is_upgraded(tmp_path: Path, pg_cluster: PgCluster) -> None:
    url = pg_cluster.new_database()
    db = open_database(tmp_path, url)
    with db.write() as conn:  # as a version-1 database was
        conn.execute("ALTER TABLE enrollment_codes DROP COLUMN valid_days")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    db.close()
    db = open_database(tmp_path, url)
    try:
        with db.read() as conn:
            assert meta_get(conn, "schema_version") == str(SCHEMA_VERSION)
            conn.execute("SELECT valid_days FROM enrollment_codes").fetchall()
    finally:
        db.close()


def test_rows_by_name_and_errors_as_sqlite_errors(tmp_path: Path, pg_cluster: PgCluster) -> None:
    db = open_database(tmp_path, pg_cluster.new_database())
    try:
        with db.read() as conn:
            row = conn.execute("SELECT key, value FROM meta WHERE key = ?", ("schema_version",))
            found = row.fetchone()
            assert (found["key"], found[1]) == ("schema_version", str(SCHEMA_VERSION))
        with pytest.raises(sqlite3.IntegrityError) as caught, db.write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)", ("created_at", "VALUE-7731")
            )
        assert "VALUE-7731" not in str(caught.value)  # no row values in the text
        with db.read() as conn:  # the failed write was rolled back, the pool still works
            assert meta_get(conn, "created_at") != "VALUE-7731"
    finally:
        db.close()


def test_a_thread_holding_a_connection_reads_without_waiting_for_the_pool(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    """Ingest reads a rule pack inside its write: with every pooled connection held by
    such a write, the reads must not wait for a free one (they would wait forever)."""
    url = pg_cluster.new_database()
    open_database(tmp_path, url).close()
    db = PgDatabase(url, pool_size=1)
    try:
        with db.write(key="a") as conn, db.read() as inner:
            conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'created'")
            assert inner.execute("SELECT COUNT(*) FROM rulepacks").fetchone()[0] == 1
    finally:
        db.close()


def _decision(conn: sqlite3.Connection, application_id: str) -> None:
    conn.execute(
        "INSERT INTO decisions (application_id, store_code, rev, decision, score, reasons, "
        "points, decided_at) VALUES (?, 'S1', 1, 'approved', 700, '[]', '{}', 'now')",
        (application_id,),
    )


def test_feed_numbers_become_visible_in_the_order_they_were_given(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    """A decision numbered while an earlier-numbered one is uncommitted would let a
    store's cursor pass the earlier one for good: the second insert waits instead."""
    db = open_database(tmp_path, pg_cluster.new_database())
    inserted, release = threading.Event(), threading.Event()
    seqs: dict[str, int] = {}

    def first() -> None:
        with db.write(key="app-1") as conn:
            _decision(conn, "app-1")
            inserted.set()
            release.wait(WAIT_S)

    def second() -> None:
        with db.write(key="app-2") as conn:
            _decision(conn, "app-2")

    one = threading.Thread(target=first)
    two = threading.Thread(target=second)
    try:
        one.start()
        assert inserted.wait(WAIT_S)
        two.start()
        two.join(1.0)  # without the ordering lock it commits at once
        with db.read() as conn:
            assert conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    finally:
        release.set()
        one.join(WAIT_S)
        two.join(WAIT_S)
    with db.read() as conn:
        for app, seq in conn.execute("SELECT application_id, seq FROM decisions"):
            seqs[app] = seq
    db.close()
    assert seqs["app-1"] < seqs["app-2"]


def test_a_locked_section_waits_for_the_holder(tmp_path: Path, pg_cluster: PgCluster) -> None:
    db = open_database(tmp_path, pg_cluster.new_database())
    held, release = threading.Event(), threading.Event()
    order: list[str] = []

    def holder() -> None:
        with db.write(key="a") as conn:
            lock_section(conn, "signals")
            held.set()
            release.wait(WAIT_S)
            order.append("holder")

    def waiter() -> None:
        with db.write(key="b") as conn:
            lock_section(conn, "signals")
            order.append("waiter")

    one, two = threading.Thread(target=holder), threading.Thread(target=waiter)
    try:
        one.start()
        assert held.wait(WAIT_S)
        two.start()
        two.join(1.0)
        assert order == []
    finally:
        release.set()
        one.join(WAIT_S)
        two.join(WAIT_S)
        db.close()
    assert order == ["holder", "waiter"]
