"""The client SIGKILLed during saves and syncs: a real child
process (tests/helpers/sync_loop.py) saving and syncing against the real server through
the proxy, killed at random points many times. After each kill the database passes its
integrity check and nothing committed is missing; at the end one clean sync from the
parent makes everything arrive exactly once."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.config import resolve_paths
from core.context import open_context
from core.security.keyring_store import keys_username, read_secret
from core.store.db import check_database
from core.store.vault import META_INSTALL_ID
from core.sync import state_keys, tokens
from tests import file_keyring
from tests.sync_faults.conftest import (
    MakeRig,
    Rig,
    assert_local_consistent,
    local_decisions,
    local_statuses,
    outbox_rows,
)

ROOT = Path(__file__).resolve().parents[2]
LINE_TIMEOUT = 30.0
KILL_ROUNDS = 8


class Child:
    """``python -m tests.helpers.sync_loop`` with the rig's token in a file keyring;
    stdout read line by line with a deadline, stderr to a file."""

    def __init__(self, rig: Rig, seed: int, *args: str) -> None:
        keyring_file = rig.tmp / "keyring.json"
        env = {
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "tests.file_keyring.TestFileKeyring",
            "LOANDESK_TEST_KEYRING_FILE": str(keyring_file),
        }
        self.err_path = rig.tmp / f"child-{seed}.err"
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.helpers.sync_loop",
                    str(rig.tmp / "client"),
                    str(seed),
                    *args,
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
            )
        self._buf = b""
        self.lines: list[str] = []

    def line(self, timeout: float = LINE_TIMEOUT) -> str | None:
        """The next line (None at EOF); fails after ``timeout`` seconds of silence."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            assert left > 0, f"child silent for {timeout} s: {self.stderr()}"
            readable, _, _ = select.select([fd], [], [], left)
            if not readable:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\n", 1)
        text = raw.decode("utf-8")
        self.lines.append(text)
        return text

    def until(self, predicate: str, count: int = 1) -> None:
        """Read until the ``count``-th line starting with ``predicate``."""
        seen = 0
        while seen < count:
            text = self.line()
            assert text is not None, f"child ended early: {self.stderr()}"
            assert not text.startswith("DONE"), "child finished before the kill point"
            seen += text.startswith(predicate)

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.wait_dead()

    def wait_dead(self) -> None:
        self.proc.wait(timeout=30)
        while self.line() is not None:  # what it printed before dying
            pass
        assert self.proc.returncode == -signal.SIGKILL, (self.proc.returncode, self.stderr())

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def saved(self) -> list[str]:
        return [ln.split()[1] for ln in self.lines if ln.startswith("SAVED ")]

    def killed_mid_sync(self) -> bool:
        runs = [ln for ln in self.lines if ln.startswith(("SYNC ", "SYNCED "))]
        return bool(runs) and runs[-1].startswith("SYNC ")

    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8", errors="replace")[-3000:]


@pytest.fixture
def kill_rig(make_rig: MakeRig, monkeypatch: pytest.MonkeyPatch) -> Rig:
    """A rig whose device token and data keys are also in a file keyring the child
    processes read (the database is encrypted with those keys)."""
    rig = make_rig()
    monkeypatch.setenv("LOANDESK_TEST_KEYRING_FILE", str(rig.tmp / "keyring.json"))
    token = tokens.load_token(rig.device_id)
    assert token
    username = f"device-token:{rig.device_id}"  # as core.sync.tokens names it
    file_keyring.TestFileKeyring().set_password(tokens.SERVICE, username, token)
    install_id = rig.ctx.db.execute(
        "SELECT value FROM meta WHERE key = ?", [META_INSTALL_ID]
    ).fetchone()[0]
    data_keys = keys_username(install_id)
    blob = read_secret(data_keys)
    assert blob
    file_keyring.TestFileKeyring().set_password(tokens.SERVICE, data_keys, blob)
    return rig


def check_after_kill(rig: Rig, saved: list[str]) -> tuple[int, int]:
    """A fresh start after the crash: integrity, nothing committed missing, every row
    in a known state, and the server and the PC agree on what was acked. Returns how
    many applications the PC holds, and how many the server committed that the PC
    never saw acknowledged (the kill fell between the two)."""
    ctx = open_context(resolve_paths(rig.tmp / "client"))
    try:
        check = check_database(ctx.db)
        assert check.ok and check.integrity == "ok", check
        st = local_statuses(ctx)
        assert not set(saved) - set(st), "an application whose COMMIT returned is missing"
        assert_local_consistent(ctx)
        view = rig.view()
        assert view.apps.keys() <= st.keys(), "the server holds what the PC lost"
        acked = {r.application_id: r.payload_sha256 for r in outbox_rows(ctx) if r.state == "acked"}
        assert acked.keys() <= view.apps.keys(), "acked locally, absent on the server"
        assert all(view.apps[a] == sha for a, sha in acked.items())
        assert view.received == len(view.apps)
        in_flight = [
            r for r in outbox_rows(ctx) if r.state == "pending" and r.application_id in view.apps
        ]
        return len(st), len(in_flight)
    finally:
        ctx.close()


def test_random_sigkills_during_saves_and_syncs(kill_rig: Rig) -> None:
    rig = kill_rig
    rng = random.Random(20261203)
    saved: list[str] = []
    mid_sync = in_flight = held = 0
    for round_no in range(KILL_ROUNDS):
        # odd rounds: each batch reply is held after the server committed, so a kill in
        # the run often lands between the server's commit and the local ack
        if round_no % 2:
            rig.srv.faults(slow_reply_seconds=0.25, times=-1)
        else:
            rig.srv.faults()
        child = Child(
            rig,
            round_no,
            "--saves",
            str(rng.randint(2, 6)),
            "--batch-size",
            str(rng.choice((2, 3, 5))),
        )
        try:
            child.until("READY")
            child.until("SYNC ", rng.randint(1, 3))
            time.sleep(rng.uniform(0.0, 0.3))
            child.kill()
        finally:
            child.close()
        saved += child.saved()
        mid_sync += child.killed_mid_sync()
        held, unacked = check_after_kill(rig, saved)
        in_flight += unacked
        assert held - len(saved) <= round_no + 1  # at most one commit per kill unprinted
    assert len(saved) >= KILL_ROUNDS * 2
    assert mid_sync >= KILL_ROUNDS // 2, f"only {mid_sync} kills landed inside a sync run"
    assert in_flight >= 1, "no kill fell between a server commit and the local ack"

    rig.heal()  # the parent, on the same data dir, syncs cleanly
    rig.assert_exactly_once(saved=held)


def test_sigkill_after_the_server_commit_before_the_local_ack(kill_rig: Rig) -> None:
    rig = kill_rig
    ids = rig.save(6)
    rig.srv.faults(slow_reply_seconds=5.0)  # the batch commits, the reply waits
    child = Child(rig, 99, "--saves", "0", "--batch-size", "10")
    try:
        child.until("SYNC ")
        deadline = time.monotonic() + 20
        while len(rig.view().apps) < 6:  # poll the server's file: committed?
            assert time.monotonic() < deadline, "the server never committed the batch"
            time.sleep(0.05)
        child.kill()
    finally:
        child.close()
    assert child.killed_mid_sync()
    assert check_after_kill(rig, ids) == (6, 6)  # committed there, never acked here
    rig.srv.kill()  # the held reply would keep the server's shutdown waiting
    rig.restart_server()
    rig.heal()
    assert rig.assert_exactly_once(saved=6).duplicates == 6


@pytest.mark.parametrize("when", ["before", "after"])
def test_sigkill_between_a_decisions_page_and_its_cursor(kill_rig: Rig, when: str) -> None:
    rig = kill_rig
    ids = rig.save(30)
    child = Child(
        rig,
        98,
        "--saves",
        "0",
        "--rounds",
        "1",
        "--batch-size",
        "100",
        "--page-size",
        "10",
        "--die-at-cursor",
        "2",
        "--die-when",
        when,
    )
    try:
        child.until("DYING")
        child.wait_dead()
    finally:
        child.close()
    check_after_kill(rig, ids)
    # the page and its cursor went together: page 1 (and its cursor) in, page 2 not
    decided = local_decisions(rig.ctx)
    assert len(decided) == 10
    server_seqs = [r[0] for r in _server_decision_seqs(rig)]
    cursor = rig.ctx.db.execute(
        "SELECT value FROM sync_state WHERE key = ?", [state_keys.DECISIONS_CURSOR]
    ).fetchone()
    assert cursor is not None and int(cursor[0]) == server_seqs[9]
    st = local_statuses(rig.ctx)
    assert sorted(st.values()).count("submitted") == 20
    assert {r.state for r in outbox_rows(rig.ctx)} == {"acked"}

    rig.heal()
    rig.assert_exactly_once(saved=30)
    _assert_decided_once(rig, ids)

    # decisions delivered again (a lost cursor, a 410) are applied idempotently
    before = dict(local_statuses(rig.ctx))
    with rig.ctx.db.atomic():
        rig.ctx.db.execute("DELETE FROM sync_state WHERE key = ?", [state_keys.DECISIONS_CURSOR])
    again = rig.sync()
    assert again.decisions == 30 and again.exit_code == 0
    assert local_statuses(rig.ctx) == before
    _assert_decided_once(rig, ids)
    rig.assert_exactly_once(saved=30)


def _server_decision_seqs(rig: Rig) -> list[tuple[int, str]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{rig.srv.data_dir / 'server.db'}?mode=ro", uri=True)
    try:
        return [
            (int(s), str(a))
            for s, a in conn.execute(
                "SELECT seq, application_id FROM decisions WHERE store_code = ? ORDER BY seq",
                (rig.store,),
            ).fetchall()
        ]
    finally:
        conn.close()


def _assert_decided_once(rig: Rig, ids: list[str]) -> None:
    for app_id in ids:
        actions = [e.action for e in rig.ctx.applications.history(app_id)]
        assert actions == ["created", "queued", "submitted", "decided"], (app_id, actions)
