"""The 100,000-application demo database of the big-list test, seeded in the
background from the start of the test session.

`seed-demo --count 100000` takes minutes of one core; pytest runs the tests one at a
time on another. So the session starts the seed as a low-priority subprocess as soon
as it knows the big-list test is selected (tests/conftest.py), and the test's fixture
waits for it. Run alone, the test starts it then and waits as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
COUNT = 100_000
WAIT_S = 900  # the seed's own limit; far above what it takes (about 6 minutes)

_started: tuple[subprocess.Popen[bytes], Path] | None = None


def start(count: int = COUNT) -> None:
    """Start seeding (once per session) in a new folder, at a lower priority than the
    tests so it only takes the core they leave idle."""
    global _started
    if _started is not None:
        return
    folder = Path(tempfile.mkdtemp(prefix="loandesk-big-"))
    env = {**os.environ, "LOANDESK_TEST_KEYRING_FILE": str(folder / "keyring.json")}
    with (folder / "seed.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "main.py", "--data-dir", str(folder / "data"), "seed-demo",
             "--count", str(count)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.nice(10),  # noqa: PLW1509  (no threads in the child yet)
        )  # fmt: skip
    _started = (proc, folder)


def wait() -> Path:
    """The seeded data folder (its keyring file is ``keyring.json`` beside it, in the
    parent folder); starts the seed first if the session did not."""
    start()
    assert _started is not None
    proc, folder = _started
    try:
        code = proc.wait(timeout=WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise
    log = (folder / "seed.log").read_text(encoding="utf-8", errors="replace")
    assert code == 0, log[-4000:]
    return folder


def stop() -> None:
    """At the end of the session: stop a seed still running and remove its folder."""
    global _started
    if _started is None:
        return
    proc, folder = _started
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    shutil.rmtree(folder, ignore_errors=True)
    _started = None
