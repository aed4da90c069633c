"""Export diagnostics: one zip a clerk can email to IT, with no personal data in it.

What goes in (``README.txt`` inside the zip says the same):

- ``logs/``: the rotating ``loandesk.log*`` files and hard-crash records
  (``crash*.log``), scrubbed once more while written: ID numbers and mobile numbers
  (the patterns of core.logs) and any run of Chinese characters (names, addresses;
  the log itself is written in English) are replaced;
- ``check.json`` and ``check.txt``: what ``main.py check`` says, plus the hard-crash item;
- ``build.json``: version and build; ``environment.json``: Python, Qt and OS versions;
- ``settings.json``: the known settings only (none is secret; unknown keys by name);
- ``files.txt``: every file in the data folder with its size and time (names only).

Never in it: the database (``loandesk.db*``), backups, the audit checkpoint, keyring
files or any other file's contents. Log files are picked by name and refused if they
look like a database.

The zip is written to a ``.part`` file beside the target and takes its name only when
complete (and, when asked, recorded in the audit log first); a failure leaves no file.
A plain blocking call, for the CLI and the GUI's background runner (run_checks opens
its own database connection).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import i18n
from core.build_info import build_info
from core.config import SETTINGS, Paths, Settings, resources_dir
from core.diagnostics.about import crash_check, os_description, qt_package_version
from core.errors import CoreError
from core.ids import uuid7
from core.logs import LOG_FILENAME, scrub

if TYPE_CHECKING:  # kept light: ui.crash imports this module at start
    import sqlite_utils

    from core.clock import Clock
    from core.operators.actor import Actor

log = logging.getLogger("loandesk.diagnostics_export")

SQLITE_MAGIC = b"SQLite format 3\x00"
# CJK ideographs (and the middle dot of transliterated names): personal names and
# addresses are the Chinese text a log line could carry; the log itself is English.
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u00b7\u30fb]+")
_LOG_NAME_RE = re.compile(rf"^(?:{re.escape(LOG_FILENAME)}(?:\.\d+)?|crash(?:-[\w-]+)?\.log)$")

i18n.register(
    {
        "DIAGNOSTICS_EXPORT_FAILED": {
            "zh_CN": "诊断文件无法写入：{detail}。请换一个位置（如桌面）后重试，未生成任何文件。",
            "en": "The diagnostics file could not be written: {detail}. Choose another place "
            "(e.g. the desktop) and try again; no file was made.",
        },
    }
)


class DiagnosticsExportError(CoreError):
    """The zip was not written (code + parameters, like core.exports.csv_list.ExportError)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class ExportSummary:
    path: Path
    members: list[str] = field(default_factory=list)
    scrubbed: int = 0  # replacements made in the log files while writing
    skipped: list[str] = field(default_factory=list)  # files refused (e.g. database-like)


def scrub_text(text: str) -> tuple[str, int]:
    """The log scrubber once more, plus Chinese text; returns (text, replacements)."""
    cleaned = scrub(text)
    count = sum(cleaned.count(tag) - text.count(tag) for tag in ("[ID]", "[PHONE]"))
    cleaned, cjk = _CJK_RE.subn("[CJK]", cleaned)
    return cleaned, count + cjk


def full_report(paths: Paths) -> dict[str, Any]:
    """``main.py check``'s report (core.diagnostics.run_checks) with the hard-crash item."""
    from core.diagnostics.check import run_checks

    report = run_checks(paths)
    if not any(c.get("name") == "hard crashes" for c in report["checks"]):
        report["checks"] = [*report["checks"], crash_check(paths)]
    report["ok"] = all(c["ok"] for c in report["checks"])
    return report


def report_text(report: Mapping[str, Any]) -> str:
    """The report as ``main.py check`` prints it: one ``[OK  ]``/``[FAIL]`` line per item."""
    lines = []
    for item in report.get("checks", []):
        mark = "OK  " if item.get("ok") else "FAIL"
        lines.append(f"[{mark}] {item.get('name')}: {item.get('detail')}")
    lines.append("all checks passed" if report.get("ok") else "some checks failed")
    return "\n".join(lines) + "\n"


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {
        "python": sys.version.replace("\n", " "),
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "frozen": str(bool(getattr(sys, "frozen", False))),
        "pyside6": qt_package_version(),
        "os": os_description(),
        "platform": platform.platform(),
        "resources": str(resources_dir()),
    }
    env.update(extra or {})
    return env


def _settings_json(paths: Paths) -> dict[str, Any]:
    settings = Settings(paths.settings_file)
    out: dict[str, Any] = {s.name: settings.get(s.name) for s in SETTINGS}
    out["_problems"] = list(settings.problems)
    try:
        raw = json.loads(paths.settings_file.read_text(encoding="utf-8"))
        known = {s.name for s in SETTINGS} | {"version"}
        out["_unknown_keys"] = (
            sorted(k for k in raw if k not in known) if isinstance(raw, dict) else []
        )
    except (OSError, ValueError):
        out["_unknown_keys"] = []
    return out


def _file_list(data_dir: Path) -> str:
    lines = [f"{data_dir}", f"{'bytes':>14}  {'modified (UTC)':<20}  path"]
    for path in sorted(data_dir.rglob("*")):
        try:
            if not path.is_file():
                continue
            st = path.stat()
        except OSError:
            continue
        when = datetime.fromtimestamp(st.st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        rel = path.relative_to(data_dir).as_posix()
        lines.append(f"{st.st_size:>14}  {when:<20}  {scrub_text(rel)[0]}")
    return "\n".join(lines) + "\n"


def _log_files(logs_dir: Path) -> list[Path]:
    if not logs_dir.is_dir():
        return []
    return sorted(p for p in logs_dir.iterdir() if p.is_file() and _LOG_NAME_RE.match(p.name))


def _looks_like_database(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return True


README = """LoanDesk diagnostics
====================

Made {made} on {host_os} by LoanDesk {version}.
Data folder: {data_dir}

Inside:
  check.txt / check.json   what `main.py check` says (one line per item, OK or FAIL)
  build.json               version and build of LoanDesk
  environment.json         Python, Qt and operating-system versions
  settings.json            the settings of this PC (none of them is secret)
  files.txt                the files in the data folder: names, sizes and times only
  logs/                    the log files and any hard-crash records

No personal data: the database, its backups, the audit checkpoint and keyring files are
never included; in the logs every ID number, mobile number and Chinese text (names,
addresses) was replaced with [ID], [PHONE] or [CJK] while this file was written.
"""


def export_diagnostics(
    paths: Paths,
    out_path: Path,
    *,
    report: Mapping[str, Any] | None = None,
    extra_environment: Mapping[str, str] | None = None,
    record: Callable[[ExportSummary], None] | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the diagnostics zip to ``out_path``; returns it.

    ``report``: a check report already made (else :func:`full_report` runs now);
    ``extra_environment``: e.g. the running Qt version from the GUI; ``record``: called
    with the summary once the zip is complete, before it takes its name (the audit row);
    if it raises, no file is left."""
    out_path = Path(out_path)
    made = now or datetime.now(UTC)
    if report is None:
        report = full_report(paths)
    summary = ExportSummary(out_path)
    part = out_path.with_name(f".{out_path.name}.{uuid7()[-8:]}.part")
    try:
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:

            def put(name: str, text: str) -> None:
                zf.writestr(name, text.encode("utf-8"))
                summary.members.append(name)

            info = build_info()
            put(
                "README.txt",
                README.format(
                    made=made.isoformat(timespec="seconds"),
                    host_os=os_description(),
                    version=info.describe(),
                    data_dir=paths.data_dir,
                ),
            )
            put("check.json", scrub_text(json.dumps(report, ensure_ascii=False, indent=2))[0])
            put("check.txt", scrub_text(report_text(report))[0])
            put(
                "build.json",
                json.dumps(
                    {
                        "version": info.version,
                        "commit": info.commit,
                        "built_at": info.built_at,
                        "frozen": info.frozen,
                        "describe": info.describe(),
                    },
                    indent=2,
                ),
            )
            put("environment.json", json.dumps(environment(extra_environment), indent=2))
            put(
                "settings.json",
                scrub_text(json.dumps(_settings_json(paths), ensure_ascii=False, indent=2))[0],
            )
            put("files.txt", _file_list(paths.data_dir))
            for path in _log_files(paths.logs):
                if _looks_like_database(path):
                    summary.skipped.append(path.name)
                    continue
                try:
                    raw = path.read_bytes()
                except OSError as exc:  # rotated away meanwhile, or locked
                    summary.skipped.append(f"{path.name} ({type(exc).__name__})")
                    continue
                text, replaced = scrub_text(raw.decode("utf-8", errors="replace"))
                summary.scrubbed += replaced
                put(f"logs/{path.name}", text)
        with open(part, "rb+") as f:
            os.fsync(f.fileno())
        if record is not None:
            record(summary)
        os.replace(part, out_path)
    except OSError as exc:
        log.warning("diagnostics export failed: %s", type(exc).__name__)
        raise DiagnosticsExportError(
            "DIAGNOSTICS_EXPORT_FAILED", detail=exc.strerror or type(exc).__name__
        ) from exc
    finally:
        part.unlink(missing_ok=True)
    log.info(
        "diagnostics exported: %d members, %d replacements in the logs, skipped %s",
        len(summary.members),
        summary.scrubbed,
        summary.skipped or "none",
    )
    return out_path


def record_export(
    db: sqlite_utils.Database, actor: Actor, clock: Clock, summary: ExportSummary
) -> None:
    """The audit row of a diagnostics export (every role may make one: no personal data)."""
    from core.applications.reads import writing
    from core.clock import iso_now
    from core.store.repositories import Repositories

    with writing(db):
        Repositories(db).audit(
            iso_now(clock),
            actor.operator_id,
            "exported",
            "export",
            uuid7(),
            detail={"kind": "diagnostics", "files": len(summary.members)},
        )
