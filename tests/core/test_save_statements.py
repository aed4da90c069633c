"""A save does each piece of work once: on a real file, the statements SQLite runs for
the clerk's Save (after the review step's pre-screen) are all different and sit in one
BEGIN..COMMIT; the audit rows it writes once, hash first, chain exactly as the rows
written by inserting first and hashing after (which a transaction that has not written
yet still uses), and the two kinds verify together."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core import apr
from core.apr import apr_from_cash_flows
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import RepaymentMethod
from core.money import build_schedule
from core.store.audit_repo import AUDIT_COLUMNS, AuditRepo

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
AT = "2026-11-27T10:30:00.000+00:00"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "d"), FixedClock(NOW))
    yield c
    c.close()


def _traced(conn: sqlite3.Connection, action: object) -> list[str]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        assert callable(action)
        action()
    finally:
        conn.set_trace_callback(None)
    return [" ".join(s.split()) for s in seen]


def _without_trigger_echoes(conn: sqlite3.Connection, statements: list[str]) -> list[str]:
    """SQLite's trace reports a trigger's program starting with the text of the statement
    that fired it: a write to a table with triggers shows up once more per trigger run,
    right after itself. Those echoes are dropped (only for such tables)."""
    sql = "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'"
    triggered = {str(name).lower() for (name,) in conn.execute(sql)}

    def table(sql: str) -> str:
        words = sql.replace("(", " ").split()
        head = words[0].upper() if words else ""
        if head == "INSERT" and "INTO" in (w.upper() for w in words[:4]):
            return words[[w.upper() for w in words].index("INTO") + 1].lower()
        if head == "UPDATE" and len(words) > 1:
            return words[1].lower()
        if head == "DELETE" and len(words) > 2:
            return words[2].lower()
        return ""

    out: list[str] = []
    for sql in statements:
        if out and sql == out[-1] and table(sql) in triggered:
            continue
        out.append(sql)
    return out


def test_a_screened_save_runs_no_statement_twice_in_one_transaction(ctx: AppContext) -> None:
    gen = DemoGenerator(7, NOW.date(), load_demo_catalog())
    for _ in range(3):  # the day is not the store's first: counts, baselines, the chain
        app = gen.application()
        ctx.applications.prescreen(app)
        ctx.applications.save(app)
    app = gen.application()
    ctx.applications.prescreen(app)  # the review step
    conn = ctx.db.conn
    statements = _without_trigger_echoes(conn, _traced(conn, lambda: ctx.applications.save(app)))

    repeated = sorted({s[:120] for s in statements if statements.count(s) > 1})
    assert repeated == []
    assert statements.count("BEGIN") == 1
    assert statements.count("COMMIT") == 1
    begin, commit = statements.index("BEGIN"), statements.index("COMMIT")
    assert commit == len(statements) - 1
    outside = [s for s in statements[:begin] if s.split()[0].upper() in WRITES]
    assert outside == []  # every write inside the one transaction
    # the pack state is read once; the audit rows are written once each, not updated
    assert sum("FROM rule_packs" in s for s in statements) == 1
    assert sum("last_server_time" in s for s in statements) == 1
    assert not any(s.startswith("UPDATE audit_log") for s in statements)
    assert sum(s.startswith("INSERT INTO audit_log") for s in statements) == 2
    assert AuditRepo(ctx.db).verify().ok


def test_audit_rows_hashed_first_chain_with_rows_hashed_after(ctx: AppContext) -> None:
    """Rows of both kinds, interleaved, in and out of transactions and savepoints: one
    chain that verifies (each row's hash recomputed from its stored columns)."""
    repo = AuditRepo(ctx.db)
    conn = ctx.db.conn
    ctx.applications.save(DemoGenerator(3, NOW.date(), load_demo_catalog()).application())

    def mixed() -> None:
        repo.append(AT, None, "test_alone", "test", "a")  # its own transaction: insert first
        with ctx.db.atomic():
            repo.append(AT, None, "test_first", "test", "b")  # nothing written yet: insert first
            repo.append(AT, None, "test_second", "test", "c")  # holds the lock: hash first
            with ctx.db.atomic():  # a savepoint
                repo.append(AT, "op", "test_third", "test", "d", "x", "y", {"n": 1})
            try:
                with ctx.db.atomic():
                    repo.append(AT, None, "test_undone", "test", "e")
                    raise RuntimeError("roll back to the savepoint")
            except RuntimeError:
                pass
            repo.append(AT, None, "test_after_undo", "test", "f")  # the undone row is gone
        repo.append(AT, None, "test_alone_again", "test", "g")

    statements = _without_trigger_echoes(conn, _traced(conn, mixed))
    assert sum(s.startswith("UPDATE audit_log") for s in statements) == 3  # hashed after
    assert sum(s.startswith("INSERT INTO audit_log(seq,") for s in statements) == 4  # first
    report = repo.verify()
    assert report.ok, report
    actions = [r["action"] for r in repo.rows()]
    assert "test_undone" not in actions
    assert actions[-6:] == [
        "test_alone",
        "test_first",
        "test_second",
        "test_third",
        "test_after_undo",
        "test_alone_again",
    ]
    seqs = [r["seq"] for r in repo.rows()]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_non_text_value_is_hashed_as_sqlite_stores_it(ctx: AppContext) -> None:
    """A value SQLite converts on the way in (an int in a TEXT column) goes the read-back
    way even when the lock is held, so the hash is of the stored text."""
    repo = AuditRepo(ctx.db)
    with ctx.db.atomic():
        repo.append(AT, None, "test_first", "test", "a")
        repo.append(AT, None, "test_number", "test", 42)  # type: ignore[arg-type]
    assert repo.verify().ok
    assert list(repo.rows())[-1]["target_id"] == "42"


def test_the_hashed_columns_are_the_tables(ctx: AppContext) -> None:
    columns = [c.name for c in ctx.db["audit_log"].columns]
    assert columns == ["seq", *AUDIT_COLUMNS, "prev_hash", "hash"]


def test_the_remembered_apr_is_the_computed_one() -> None:
    """The same flows give the same APR, remembered or not (it is stored and signed)."""
    for method in RepaymentMethod:
        for rate, term, fee in (("0.18", 12, 0), ("0", 6, 0), ("0.24", 24, 5000)):
            s = build_schedule(method, 1_234_567, Decimal(rate), term, upfront_fee_fen=fee)
            flows = s.cash_flows()
            computed = apr._apr(flows)  # not remembered
            first, again = apr_from_cash_flows(flows), apr_from_cash_flows(list(flows))
            assert str(first) == str(again) == str(computed) == str(s.apr)
