"""The fault-injection rig: the real reference server (``python -m server --test-hooks``)
on 127.0.0.1, a :class:`~tests.helpers.proxy.Proxy` the test controls in front of it,
and a real client data dir enrolled through the proxy.

Time is injected where the engine waits: the client runs on a :class:`FixedClock` (the
wall clock of backoff schedules and stored Retry-After) that :meth:`Rig.heal` moves
forward instead of sleeping, and engines built by :meth:`Rig.engine` take a fake
monotonic clock.

Every test ends with :meth:`Rig.assert_exactly_once`, the protocol's invariant after the
network heals: every application committed locally is on the server exactly once
with the same sha256, every outbox row is acked, rejected or quarantined (none pending,
none lost), and local statuses and decisions match the server's.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.applications.service import ApplicationService
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.sync.engine import SyncEngine, SyncOptions
from core.sync.http import Timeouts
from core.sync.report import SyncReport
from tests.helpers.proxy import Proxy
from tests.helpers.server import RealServer

FAST = Timeouts(connect=2.0, read=3.0, deadline=6.0)
DECIDED = {"approved", "declined", "review"}
SETTLED = {"acked", "rejected", "quarantined"}
BATCH = "/v1/applications/batch"
HEAL_ROUNDS = 12


# --- the server's own records, read from its SQLite file (read-only) ------------------------
@dataclass(frozen=True)
class ServerView:
    apps: dict[str, str]  # application id -> payload sha256 (of one store)
    decisions: dict[str, str]  # application id -> its latest decision
    counters: dict[str, int]

    @property
    def received(self) -> int:  # stats' applications_received
        return self.counters.get("created", 0)

    @property
    def duplicates(self) -> int:
        return self.counters.get("duplicates", 0)


def read_server(srv: RealServer, store_code: str) -> ServerView:
    """What the server committed, straight from ``server.db`` (works whether or not the
    server runs; ``srv.stats()`` gives the same counts through the admin CLI)."""
    path = srv.data_dir / "server.db"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        apps = dict(
            conn.execute(
                "SELECT application_id, payload_sha256 FROM applications WHERE store_code = ?",
                (store_code,),
            ).fetchall()
        )
        decisions = dict(
            conn.execute(
                "SELECT application_id, decision FROM decisions WHERE store_code = ? ORDER BY seq",
                (store_code,),
            ).fetchall()
        )  # later seqs overwrite: the latest decision
        counters = dict(conn.execute("SELECT name, value FROM counters").fetchall())
    finally:
        conn.close()
    return ServerView(apps, decisions, counters)


# --- the client's records -----------------------------------------------------------------
@dataclass(frozen=True)
class OutboxRow:
    op_id: str
    application_id: str
    state: str
    payload_sha256: str
    attempts: int


def outbox_rows(ctx: AppContext) -> list[OutboxRow]:
    rows = ctx.db.execute(
        "SELECT op_id, application_id, state, payload_sha256, attempts FROM outbox ORDER BY rowid"
    ).fetchall()
    return [OutboxRow(*r) for r in rows]


def local_statuses(ctx: AppContext) -> dict[str, str]:
    return dict(ctx.db.execute("SELECT id, status FROM applications").fetchall())


def local_decisions(ctx: AppContext) -> dict[str, str]:
    return dict(ctx.db.execute("SELECT application_id, decision FROM decisions").fetchall())


def assert_local_consistent(ctx: AppContext) -> None:
    """What must hold at any moment, also right after a crash: every application has
    exactly one outbox row in a known state, and an acked row's application has left
    ``queued`` (submitted or decided) while a non-acked one's has not."""
    st = local_statuses(ctx)
    rows = outbox_rows(ctx)
    per_app: dict[str, list[OutboxRow]] = {}
    for r in rows:
        per_app.setdefault(r.application_id, []).append(r)
    assert set(per_app) == set(st), "an application without its outbox row, or the reverse"
    for app_id, mine in per_app.items():
        assert len(mine) == 1, f"{app_id}: {len(mine)} outbox rows"
        row = mine[0]
        assert row.state in SETTLED | {"pending"}
        if row.state == "acked":
            assert st[app_id] in DECIDED | {"submitted"}, (app_id, st[app_id])
        elif row.state in ("rejected", "quarantined"):
            assert st[app_id] == "queued", (app_id, st[app_id])
        else:  # pending: never sent, or sent again after a server restore
            assert st[app_id] in DECIDED | {"queued", "submitted"}, (app_id, st[app_id])


def assert_exactly_once(
    ctx: AppContext, srv: RealServer, store_code: str, *, saved: int | None = None
) -> ServerView:
    """The exactly-once invariant, once the network has healed and a clean sync ran."""
    assert_local_consistent(ctx)
    rows = outbox_rows(ctx)
    states = {r.state for r in rows}
    assert states <= SETTLED, f"outbox rows left {states - SETTLED}: not settled"
    st = local_statuses(ctx)
    if saved is not None:
        assert len(st) == saved, f"{saved} saved, {len(st)} in the local database"
    acked = {r.application_id: r.payload_sha256 for r in rows if r.state == "acked"}
    refused = {r.application_id for r in rows if r.state != "acked"}
    view = read_server(srv, store_code)
    assert view.apps.keys() == acked.keys(), (
        f"server has {len(view.apps)}, client acked {len(acked)}; "
        f"missing {sorted(acked.keys() - view.apps.keys())[:3]}, "
        f"extra {sorted(view.apps.keys() - acked.keys())[:3]}"
    )
    assert view.apps == acked, "a server copy differs from the local payload (sha256)"
    assert not refused & view.apps.keys()
    # exactly once: each id created once (a resend is a duplicate, never a second create)
    assert view.received == len(view.apps) == len(st) - len(refused)
    # statuses match the server: every acked application decided, with its decision
    mine = local_decisions(ctx)
    for app_id in acked:
        assert app_id in view.decisions, f"{app_id}: no decision on the server"
        assert mine.get(app_id) == view.decisions[app_id], f"{app_id}: decision not pulled"
        assert st[app_id] == view.decisions[app_id], (app_id, st[app_id])
    return view


# --- the rig ------------------------------------------------------------------------------
class FakeMonotonic:
    def __init__(self, start: float = 10_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


SELLERS = 6


@dataclass
class Rig:
    tmp: Path
    srv: RealServer
    proxy: Proxy
    ctx: AppContext
    clock: FixedClock
    store: str
    gen: DemoGenerator
    options: SyncOptions = field(default_factory=SyncOptions)
    timeouts: Timeouts = FAST
    mono: FakeMonotonic = field(default_factory=FakeMonotonic)
    seed: int = 7
    _engines: list[SyncEngine] = field(default_factory=list)
    _sellers: list[ApplicationService] = field(default_factory=list)
    _turn: int = 0

    @property
    def device_id(self) -> str:
        value = self.ctx.db.execute(
            "SELECT value FROM sync_state WHERE key = 'device_id'"
        ).fetchone()
        assert value is not None
        return str(value[0])

    def save(self, n: int) -> list[str]:
        """``n`` applications, filed in turn by the store's six salespeople (one person
        filing dozens on their first day is a fraud signal at the store and at head
        office, which is not what these tests are about)."""
        if not self._sellers:
            apps = self.ctx.applications
            self._sellers = [
                apps.for_operator(apps.ensure_operator(f"sales{i}", f"销售{i}"))
                for i in range(SELLERS)
            ]
        saved = []
        for _ in range(n):
            seller = self._sellers[self._turn % len(self._sellers)]
            self._turn += 1
            saved.append(seller.save(self.gen.application()))
        return saved

    def sync(self, **overrides: Any) -> SyncReport:
        """One ``ctx.sync.sync_once`` with the rig's fast timeouts, options and RNG."""
        assert self.ctx.sync is not None
        self.seed += 1
        kw: dict[str, Any] = {
            "timeouts": self.timeouts,
            "options": self.options,
            "rng": random.Random(self.seed),
            "monotonic": self.mono,
        }
        kw.update(overrides)
        return self.ctx.sync.sync_once(**kw)

    def engine(self, **overrides: Any) -> SyncEngine:
        """An engine kept across runs (its monotonic Retry-After lives in it); closed at
        teardown."""
        assert self.ctx.sync is not None
        self.seed += 1
        kw: dict[str, Any] = {
            "timeouts": self.timeouts,
            "options": self.options,
            "rng": random.Random(self.seed),
            "monotonic": self.mono,
        }
        kw.update(overrides)
        engine = self.ctx.sync.engine(**kw)
        self._engines.append(engine)
        return engine

    def pass_time(self, seconds: float) -> None:
        self.clock.advance(timedelta(seconds=seconds))
        self.mono.advance(seconds)

    def view(self) -> ServerView:
        return read_server(self.srv, self.store)

    def heal(self, max_rounds: int = HEAL_ROUNDS) -> list[SyncReport]:
        """The network heals: no proxy fault, no server fault; sync (letting time pass
        past any backoff) until nothing is pending and every acked application has its
        decision. Bounded: at most ``max_rounds`` runs."""
        self.proxy.heal()
        if self.srv.running:
            self.srv.faults()
        reports: list[SyncReport] = []
        for _ in range(max_rounds):
            report = self.sync()
            reports.append(report)
            assert report.paused is None, report.to_json("en")
            undecided = self.ctx.db.execute(
                "SELECT count(*) FROM outbox o WHERE state = 'acked' AND NOT EXISTS "
                "(SELECT 1 FROM decisions d WHERE d.application_id = o.application_id)"
            ).fetchone()[0]
            if not report.errors and not report.waiting and report.pending == 0 and undecided == 0:
                return reports
            self.pass_time(16 * 60)  # past any backoff (15 min cap) or Retry-After
        raise AssertionError(
            f"not healed after {max_rounds} runs: {[r.to_json('en') for r in reports[-2:]]}"
        )

    def assert_exactly_once(self, saved: int | None = None) -> ServerView:
        return assert_exactly_once(self.ctx, self.srv, self.store, saved=saved)

    def restart_server(self) -> None:
        self.srv.restart()
        self.proxy.set_upstream(self.srv.port)

    def close(self) -> None:
        for engine in self._engines:
            engine.http.close()
        self.ctx.close()
        self.proxy.close()
        self.srv.stop()


MakeRig = Callable[..., Rig]


@pytest.fixture
def make_rig(tmp_path: Path) -> Iterator[MakeRig]:
    """``make_rig(*server_args, clock=None, store="S001", options=...)``: a server, a
    proxy and a client enrolled through it. Everything is closed at teardown."""
    rigs: list[Rig] = []

    def make(
        *server_args: str,
        clock: FixedClock | None = None,
        store: str = "S001",
        options: SyncOptions | None = None,
        timeouts: Timeouts = FAST,
        gen_seed: int = 5,
    ) -> Rig:
        n = len(rigs) + 1
        (tmp_path / f"rig{n}").mkdir()
        srv = RealServer(tmp_path / f"rig{n}", *server_args)
        proxy: Proxy | None = None
        try:
            proxy = Proxy(srv.port)
            code = srv.add_store(store, name="朝阳门店", city="北京")
            clock = clock or FixedClock(datetime.now(UTC).replace(microsecond=0))
            ctx = open_context(resolve_paths(tmp_path / f"rig{n}" / "client"), clock)
        except BaseException:
            if proxy is not None:
                proxy.close()
            srv.stop()
            raise
        gen = DemoGenerator(gen_seed, clock.now().date(), load_demo_catalog())
        rig = Rig(
            tmp_path / f"rig{n}",
            srv,
            proxy,
            ctx,
            clock,
            store,
            gen,
            options=options or SyncOptions(),
            timeouts=timeouts,
        )
        rigs.append(rig)
        assert ctx.sync is not None
        ctx.sync.enroll(proxy.url, store, code, timeouts=timeouts)
        return rig

    yield make
    for rig in rigs:
        rig.close()


@pytest.fixture
def rig(make_rig: MakeRig) -> Rig:
    return make_rig()
