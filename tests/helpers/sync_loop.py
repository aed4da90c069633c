"""Child process for the SIGKILL sync tests: saves and syncs in a loop against the
real server, printing each step once it is durable, until the parent kills it.

usage: python -m tests.helpers.sync_loop DATA_DIR SEED [--rounds N] [--saves N]
           [--batch-size N] [--page-size N] [--die-at-cursor N] [--die-when before|after]

The data dir must be enrolled already; the device token is read from the keyring that
PYTHON_KEYRING_BACKEND names (tests.file_keyring.TestFileKeyring, with
LOANDESK_TEST_KEYRING_FILE). Output lines, each flushed:

    READY
    SAVED <application id>          after its COMMIT returned
    SYNC <n>                        a sync run starts
    SYNCED <n> <acked> <decisions> <pending>
    DONE                            all rounds ran; then it waits to be killed (60 s max)

``--die-at-cursor N`` makes the process SIGKILL itself at the N-th write of the
decisions cursor, inside the transaction that applies that page: ``before`` the cursor
is written (the page's decisions are written, not committed) or ``after`` (written,
not committed either). Nothing else in the engine is touched.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from typing import Any

from core.clock import SystemClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.store.sync_repo import SyncRepo
from core.sync import state_keys
from core.sync.engine import SyncOptions
from core.sync.http import Timeouts

TIMEOUTS = Timeouts(connect=2.0, read=5.0, deadline=10.0)
WAIT_FOR_KILL_S = 60.0


def _die_at_cursor(n: int, when: str) -> None:
    original = SyncRepo.state_set
    seen = 0

    def state_set(self: SyncRepo, key: str, value: str | None) -> None:
        nonlocal seen
        if key == state_keys.DECISIONS_CURSOR and value is not None:
            seen += 1
            if seen == n:
                if when == "after":
                    original(self, key, value)
                print(f"DYING {when} cursor {value}", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
        original(self, key, value)

    SyncRepo.state_set = state_set  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.helpers.sync_loop")
    p.add_argument("data_dir")
    p.add_argument("seed", type=int)
    p.add_argument("--rounds", type=int, default=50)
    p.add_argument("--saves", type=int, default=3, help="applications saved before each sync")
    p.add_argument("--batch-size", type=int, default=5)
    p.add_argument("--page-size", type=int, default=500)
    p.add_argument("--die-at-cursor", type=int, default=0)
    p.add_argument("--die-when", choices=("before", "after"), default="before")
    args = p.parse_args(argv)
    if args.die_at_cursor:
        _die_at_cursor(args.die_at_cursor, args.die_when)
    ctx = open_context(resolve_paths(args.data_dir))
    assert ctx.sync is not None
    gen = DemoGenerator(args.seed, SystemClock().now().date(), load_demo_catalog())
    options = SyncOptions(batch_size=args.batch_size, page_size=args.page_size)
    print("READY", flush=True)
    for n in range(args.rounds):
        for _ in range(args.saves):
            app_id = ctx.applications.save(gen.application())
            print(f"SAVED {app_id}", flush=True)
        print(f"SYNC {n}", flush=True)
        kw: dict[str, Any] = {"timeouts": TIMEOUTS, "options": options}
        report = ctx.sync.sync_once(**kw)
        print(f"SYNCED {n} {report.acked} {report.decisions} {report.pending}", flush=True)
    print("DONE", flush=True)
    time.sleep(WAIT_FOR_KILL_S)  # the parent kills us; never exit on our own first
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
