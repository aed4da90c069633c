"""What Help → About shows IT on the phone, as data: the build, the data folder, the
active rule pack, the last sync, the store and whether this PC is enrolled, and the
last hard crash if there was one.

Also where hard crashes are written: the GUI points ``faulthandler`` at
``logs/crash.log`` (ui.crash); at the next start a non-empty one is moved aside as
``logs/crash-<time>.log`` so it is kept (and goes into the diagnostics export).

Reads only, through the services on an open context (no SQL here).
"""

from __future__ import annotations

import logging
import platform
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import i18n
from core.build_info import build_info
from core.config import Paths
from core.diagnostics.crash_records import (  # re-exported: the About box and check use them
    CRASH_FILENAME as CRASH_FILENAME,
)
from core.diagnostics.crash_records import CRASH_KEEP as CRASH_KEEP
from core.diagnostics.crash_records import CrashRecord as CrashRecord
from core.diagnostics.crash_records import crash_file as crash_file
from core.diagnostics.crash_records import crash_records as crash_records
from core.diagnostics.crash_records import last_crash as last_crash
from core.diagnostics.crash_records import set_aside_previous_crash as set_aside_previous_crash
from core.logs import LOG_FILENAME

if TYPE_CHECKING:
    from core.context import AppContext

log = logging.getLogger("loandesk.about")


i18n.register(
    {
        "ABOUT_SYNC_NEVER": {"zh_CN": "从未同步", "en": "never"},
        "ABOUT_SYNC_OK": {"zh_CN": "成功", "en": "completed"},
        "ABOUT_SYNC_FAILED": {"zh_CN": "失败：{detail}", "en": "failed: {detail}"},
        "ABOUT_SYNC_NOT_ENROLLED": {
            "zh_CN": "未注册，不同步（离线录入照常）",
            "en": "not enrolled, no sync (capture works offline)",
        },
    }
)


@dataclass(frozen=True)
class RulePackInfo:
    pack_id: str
    version: int
    valid_until: datetime
    usable: bool  # verifies and is valid now


@dataclass(frozen=True)
class AboutInfo:
    version: str  # "0.2.0 (source)" / "0.2.0 (build 1a2b3c4, 2026-...)"
    data_dir: Path
    log_file: Path
    rule_pack: RulePackInfo | None
    last_sync_at: str | None  # UTC ISO of the last completed sync
    last_attempt_at: str | None
    sync_result: str  # in plain words, in the language asked for
    store_code: str
    enrolled: bool
    server_url: str | None
    last_crash: CrashRecord | None
    python: str
    qt: str  # the Qt for Python package's version ("" if not installed)
    os: str

    def to_json(self) -> dict[str, Any]:
        pack = self.rule_pack
        return {
            "version": self.version,
            "data_dir": str(self.data_dir),
            "log_file": str(self.log_file),
            "rule_pack": None
            if pack is None
            else {
                "id": pack.pack_id,
                "version": pack.version,
                "valid_until": pack.valid_until.isoformat(),
                "usable": pack.usable,
            },
            "last_sync_at": self.last_sync_at,
            "last_attempt_at": self.last_attempt_at,
            "sync_result": self.sync_result,
            "store_code": self.store_code,
            "enrolled": self.enrolled,
            "server_url": self.server_url,
            "last_crash": None
            if self.last_crash is None
            else {"file": self.last_crash.path.name, "at": self.last_crash.at.isoformat()},
            "python": self.python,
            "qt": self.qt,
            "os": self.os,
        }


def qt_package_version() -> str:
    """The installed PySide6 version, read from package metadata (core never imports Qt)."""
    for name in ("PySide6", "PySide6_Essentials"):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return ""


def os_description() -> str:
    return f"{platform.system()} {platform.release()} ({platform.version()}, {platform.machine()})"


def about_info(ctx: AppContext, lang: str | None = None) -> AboutInfo:
    """Everything About shows, read through ``ctx``'s services (on its own thread)."""
    pack = None
    status = ctx.rules.status() if ctx.rules is not None else None
    if status is not None:
        pack = RulePackInfo(status.pack_id, status.version, status.valid_until, status.usable)
    store_code = str(ctx.settings.get("store_code"))
    enrolled, server_url = False, None
    last_sync_at = last_attempt_at = None
    result = i18n.translate("ABOUT_SYNC_NOT_ENROLLED", lang)
    if ctx.sync is not None:
        st = ctx.sync.sync_state()
        enrolled, server_url = st.enrolled, st.server_url
        last_sync_at, last_attempt_at = st.last_sync_at, st.last_attempt_at
        store_code = st.store_code or store_code
        if st.enrolled:
            problem = st.message(lang)
            if problem:
                result = i18n.translate("ABOUT_SYNC_FAILED", lang, detail=problem)
            elif st.last_sync_at:
                result = i18n.translate("ABOUT_SYNC_OK", lang)
            else:
                result = i18n.translate("ABOUT_SYNC_NEVER", lang)
    return AboutInfo(
        version=build_info().describe(),
        data_dir=ctx.paths.data_dir,
        log_file=ctx.paths.logs / LOG_FILENAME,
        rule_pack=pack,
        last_sync_at=last_sync_at,
        last_attempt_at=last_attempt_at,
        sync_result=result,
        store_code=store_code,
        enrolled=enrolled,
        server_url=server_url,
        last_crash=last_crash(ctx.paths),
        python=f"{platform.python_version()} ({platform.python_implementation()})",
        qt=qt_package_version(),
        os=os_description(),
    )


# --- hard crashes (faulthandler) --------------------------------------------------------


def crash_check(paths: Paths) -> dict[str, Any]:
    """A ``check``-style item about hard crashes (informational: ok stays True)."""
    record = last_crash(paths)
    if record is None:
        return {"name": "hard crashes", "ok": True, "detail": "none recorded"}
    when = record.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return {
        "name": "hard crashes",
        "ok": True,
        "detail": f"last at {when}, see {record.path} ({record.size} bytes)",
    }
