"""The log file never holds an ID number or a mobile number: not in a message, not in
an exception's text, not in a traceback (the callers' rule, with the formatter as a
second line of defence)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.logs import LOG_FILENAME, scrub, setup_logging

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def log_file(tmp_path: Path):
    path = setup_logging(tmp_path / "logs")
    yield path
    root = logging.getLogger("loandesk")
    for h in list(root.handlers):
        if getattr(h, "_loandesk", False):
            root.removeHandler(h)
            h.close()


def _fail_with_personal_data() -> None:
    raise ValueError(f"bad customer {ID_NUMBER} / {PHONE}")


def test_messages_exceptions_and_tracebacks_are_scrubbed(log_file: Path) -> None:
    log = logging.getLogger("loandesk.test")
    log.warning("customer %s phone %s", ID_NUMBER, PHONE)
    try:
        _fail_with_personal_data()
    except ValueError as exc:
        log.error("task failed", exc_info=(type(exc), exc, exc.__traceback__))
        log.exception("again, with logging.exception")
    for h in logging.getLogger("loandesk").handlers:
        h.flush()
    text = (log_file.parent / LOG_FILENAME).read_text(encoding="utf-8")
    assert "Traceback" in text and "_fail_with_personal_data" in text  # still useful
    assert ID_NUMBER not in text and ID_NUMBER.lower() not in text and PHONE not in text
    assert text.count("[ID]") >= 3 and text.count("[PHONE]") >= 3


def test_scrub_leaves_other_numbers_alone() -> None:
    assert scrub("order 1234567 total 619800 fen, id 01a21c6b") == (
        "order 1234567 total 619800 fen, id 01a21c6b"
    )
    assert scrub(f"x{PHONE}y") == "x[PHONE]y"


def test_the_log_file_rotates_by_size_and_keeps_the_newest_backups(tmp_path: Path) -> None:
    from core.logs import RotatingFile

    handler = RotatingFile(tmp_path / "loandesk.log", max_bytes=1_000, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("loandesk.test_rotation")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        for n in range(200):
            logger.info("entry %03d %s", n, "x" * 40)
    finally:
        logger.removeHandler(handler)
        handler.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["loandesk.log", "loandesk.log.1", "loandesk.log.2", "loandesk.log.3"]
    assert all(p.stat().st_size <= 1_000 for p in tmp_path.iterdir())
    newest = (tmp_path / "loandesk.log").read_text(encoding="utf-8").splitlines()
    older = (tmp_path / "loandesk.log.1").read_text(encoding="utf-8").splitlines()
    assert newest[-1].startswith("entry 199")
    assert int(older[-1].split()[1]) + 1 == int(newest[0].split()[1])  # nothing lost between
