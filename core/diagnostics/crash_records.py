"""Records of hard crashes (segfault, abort) that faulthandler wrote to the logs folder:
kept light, since the window's start sets the last one aside before its first screen."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.config import Paths

log = logging.getLogger("loandesk.about")

CRASH_FILENAME = "crash.log"
CRASH_KEEP = 5  # earlier hard-crash records kept in the logs folder


@dataclass(frozen=True)
class CrashRecord:
    """A hard crash (segfault, abort) that faulthandler wrote down."""

    path: Path
    at: datetime  # when the file was last written (UTC)
    size: int


def crash_file(logs_dir: Path) -> Path:
    """Where the running GUI's faulthandler writes a hard crash."""
    return logs_dir / CRASH_FILENAME


def _record(path: Path) -> CrashRecord | None:
    try:
        st = path.stat()
    except OSError:
        return None
    if st.st_size == 0:
        return None
    return CrashRecord(path, datetime.fromtimestamp(st.st_mtime, UTC), st.st_size)


def crash_records(logs_dir: Path) -> list[CrashRecord]:
    """Non-empty hard-crash records in the logs folder, newest first."""
    paths = [crash_file(logs_dir), *logs_dir.glob("crash-*.log")]
    found = [r for r in (_record(p) for p in paths) if r is not None]
    return sorted(found, key=lambda r: r.at, reverse=True)


def last_crash(paths: Paths) -> CrashRecord | None:
    records = crash_records(paths.logs)
    return records[0] if records else None


def set_aside_previous_crash(logs_dir: Path, now: datetime | None = None) -> CrashRecord | None:
    """At start, before faulthandler reopens ``crash.log``: a non-empty one is the record
    of a hard crash of an earlier run. Move it to ``crash-<time>.log`` (kept; only the
    newest CRASH_KEEP are), note it in the log, and return it (None if there was none)."""
    current = _record(crash_file(logs_dir))
    if current is None:
        return None
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M%S")
    target = logs_dir / f"crash-{stamp}.log"
    n = 1
    while target.exists():
        n += 1
        target = logs_dir / f"crash-{stamp}-{n}.log"
    try:
        current.path.replace(target)
    except OSError as exc:  # e.g. another LoanDesk window holds it open
        log.warning(
            "an earlier run crashed hard (%s, %d bytes) and it could not be moved aside: %s",
            current.path,
            current.size,
            exc,
        )
        return current
    log.warning(
        "an earlier run ended in a hard crash at %s; its record is %s (%d bytes)",
        current.at.isoformat(timespec="seconds"),
        target,
        current.size,
    )
    older = sorted(logs_dir.glob("crash-*.log"), key=lambda p: p.name, reverse=True)
    for stale in older[CRASH_KEEP:]:
        stale.unlink(missing_ok=True)
    return CrashRecord(target, current.at, current.size)
