"""Logging: named loggers per area ("loandesk.store", "loandesk.ui", ...), a rotating
file in the data dir's logs folder, and a filter that keeps personal data out.

The rule is that callers never log personal data; the filter is a second line of
defence that masks anything shaped like a resident ID or a mainland mobile number.
"""

from __future__ import annotations

import logging
import logging.handlers
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
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
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
