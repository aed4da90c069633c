"""Logging: named loggers per area ("loandesk.store", "loandesk.ui", ...), a rotating
file in the data dir's logs folder, and a filter that keeps personal data out.

The rule is that callers never log personal data; the filter is a second line of
defence that masks anything shaped like a resident ID or a mainland mobile number.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

LOG_FILENAME = "loandesk.log"
_ID_RE = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str) -> str:
    text = _ID_RE.sub("[ID]", text)
    return _PHONE_RE.sub("[PHONE]", text)


class ScrubbingFormatter(logging.Formatter):
    """Scrubs the whole formatted record, traceback and exception text included (the
    filter below sees only the message; an exception's text can carry an ID number)."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


class RotatingFile(logging.FileHandler):
    """The size rotation of logging.handlers.RotatingFileHandler (``loandesk.log`` then
    ``.1`` … ``.N``), without importing logging.handlers: its sockets, pickle and
    queues cost every start a few milliseconds for nothing."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._roll()
        except Exception:  # noqa: BLE001 - logging never stops the app
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        if self.max_bytes <= 0:
            return False
        size = len((self.format(record) + self.terminator).encode("utf-8"))
        self.stream.seek(0, 2)
        return bool(self.stream.tell() + size > self.max_bytes)

    def _roll(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        if self.backups > 0 and os.path.exists(base):
            os.replace(base, f"{base}.1")
        self.stream = self._open()


def setup_logging(logs_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Send the "loandesk" loggers to a rotating file (5 x 2 MB); returns its path."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    path = logs_dir / LOG_FILENAME
    root = logging.getLogger("loandesk")
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_loandesk", False):
            root.removeHandler(h)
            h.close()
    handler = RotatingFile(path, max_bytes=2_000_000, backups=5)
    handler.setFormatter(
        ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s")
    )
    handler.addFilter(PersonalDataFilter())
    handler._loandesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(ScrubbingFormatter("%(levelname)s %(name)s: %(message)s"))
        stream.addFilter(PersonalDataFilter())
        stream._loandesk = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return path
