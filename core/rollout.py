"""Rolling LoanDesk out to many store PCs: a settings file IT drops next to the program.

``loandesk-rollout.ini`` (next to ``LoanDesk.exe`` in a packaged build, in the source
tree's root otherwise; ``LOANDESK_ROLLOUT_FILE`` names another file) holds the central
server's address, the store code, the one-time enrollment code, the data folder and the
language. Environment variables override the file, and the command line (``--data-dir``,
``--lang``) overrides both. Every problem is collected with a code, a Chinese and an
English text saying what and where (file and key, or environment variable): nothing is
silently ignored.

On the first start of a PC that is not enrolled yet, :func:`enroll_from_rollout` enrolls
it with those values through the audited path (core.admin), with no typing, and records
the outcome so that ``check`` and the first-run screen can say it. A code the server
refused is never sent again by itself: only a changed file (or IT by hand) tries again.

The enrollment code is a secret: it is never logged, printed, stored or shown by ``repr``.
Pure Python; no Qt.
"""

from __future__ import annotations

import configparser
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core import i18n
from core.config import ENV_DATA_DIR, Paths, is_frozen

if TYPE_CHECKING:
    from core.actor import Actor
    from core.clock import Clock
    from core.context import AppContext
    from core.sync.http import Timeouts
    from core.sync.service import SyncStatus

log = logging.getLogger("loandesk.rollout")

ROLLOUT_FILENAME = "loandesk-rollout.ini"
SECTION = "loandesk"
ENV_ROLLOUT_FILE = "LOANDESK_ROLLOUT_FILE"
ENV_SERVER_URL = "LOANDESK_SERVER_URL"
ENV_STORE_CODE = "LOANDESK_STORE_CODE"
ENV_ENROLL_CODE = "LOANDESK_ENROLL_CODE"
ENV_LANG = "LOANDESK_LANG"

#: key in the file -> the environment variable that overrides it
KEYS: dict[str, str] = {
    "server_url": ENV_SERVER_URL,
    "store_code": ENV_STORE_CODE,
    "enrollment_code": ENV_ENROLL_CODE,
    "data_dir": ENV_DATA_DIR,
    "language": ENV_LANG,
}
ENROL_KEYS = ("server_url", "store_code", "enrollment_code")
LANGUAGES = ("zh_CN", "en")
STORE_CODE_MAX = 20  # core.sync.wire.EnrollRequest
ENROLL_CODE_MIN, ENROLL_CODE_MAX = 4, 64
#: sync_state key of the last enrollment attempt made from here (JSON, never the code)
LAST_ENROLMENT_KEY = "rollout_last_enrolment"
#: refusals that the same values will always meet again: never retried by themselves
REFUSAL_CODES = frozenset({"SYNC_ENROLL_REFUSED", "SYNC_SERVER_URL_INVALID"})
#: how long a start waits for the server at most (the window shows the wait)
AUTO_TIMEOUTS = (5.0, 15.0, 20.0)  # connect, read, whole call (seconds)
CHECK_TIMEOUTS = (3.0, 5.0, 8.0)

MESSAGES: dict[str, dict[str, str]] = {
    "ROLLOUT_FILE_UNREADABLE": {
        "zh_CN": "部署配置文件 {where} 无法读取：{detail}",
        "en": "The rollout file {where} cannot be read: {detail}",
    },
    "ROLLOUT_FILE_ENCODING": {
        "zh_CN": "部署配置文件 {where} 不是可识别的文本（请在记事本中“另存为”，编码选 UTF-8）",
        "en": "The rollout file {where} is not readable text (in Notepad use Save As with "
        "the encoding UTF-8)",
    },
    "ROLLOUT_FILE_SYNTAX": {
        "zh_CN": "部署配置文件 {where} 第 {line} 行看不懂：{detail}（每行应为 键 = 值）",
        "en": "The rollout file {where} cannot be understood at line {line}: {detail} "
        "(each line should be key = value)",
    },
    "ROLLOUT_FILE_MISNAMED": {
        "zh_CN": "找到了 {found}，但没有使用：请把它改名为 {name}（记事本可能自动加了 .txt）",
        "en": "Found {found} but did not use it: rename it to {name} (Notepad may have added .txt)",
    },
    "ROLLOUT_FILE_MISSING": {
        "zh_CN": "环境变量 {where} 指向的部署配置文件不存在：{path}",
        "en": "The rollout file named by {where} does not exist: {path}",
    },
    "ROLLOUT_UNKNOWN_SECTION": {
        "zh_CN": "{where}：不认识的小节 [{section}]，只应有 [loandesk]",
        "en": "{where}: unknown section [{section}]; only [loandesk] is expected",
    },
    "ROLLOUT_UNKNOWN_KEY": {
        "zh_CN": "{where}：不认识的设置项“{key}”{hint_zh}。可用的有：{known}",
        "en": '{where}: unknown key "{key}"{hint}. Known keys: {known}',
    },
    "ROLLOUT_DUPLICATE_KEY": {
        "zh_CN": "{where}：“{key}”写了不止一次，请只保留一行",
        "en": '{where}: "{key}" is given more than once; keep one line',
    },
    "ROLLOUT_VALUE_EMPTY": {
        "zh_CN": "{where}：值是空的（不需要时请删去这一行）",
        "en": "{where}: the value is empty (delete the line if it is not needed)",
    },
    "ROLLOUT_URL_INVALID": {
        "zh_CN": "{where}：服务器地址“{value}”无效，应形如 https://central.example.cn",
        "en": '{where}: the server address "{value}" is not valid; it should look like '
        "https://central.example.cn",
    },
    "ROLLOUT_STORE_INVALID": {
        "zh_CN": "{where}：门店编码“{value}”无效（最多 {max} 个字符，不能有空格）",
        "en": '{where}: the store code "{value}" is not valid (at most {max} characters, '
        "no spaces)",
    },
    "ROLLOUT_CODE_INVALID": {
        "zh_CN": "{where}：注册码长度不对（应为 {min}–{max} 个字符，共 {length} 个）",
        "en": "{where}: the enrollment code has the wrong length ({length} characters; "
        "{min}–{max} expected)",
    },
    "ROLLOUT_LANGUAGE_INVALID": {
        "zh_CN": "{where}：语言“{value}”无效，只能是 zh_CN 或 en",
        "en": '{where}: the language "{value}" is not valid; use zh_CN or en',
    },
    "ROLLOUT_DATA_DIR_INVALID": {
        "zh_CN": "{where}：数据文件夹“{value}”无效：{detail}",
        "en": '{where}: the data folder "{value}" is not valid: {detail}',
    },
    "ROLLOUT_DATA_DIR_UNUSABLE": {
        "zh_CN": "{where}：数据文件夹 {path} 无法创建或写入：{detail}",
        "en": "{where}: the data folder {path} cannot be created or written: {detail}",
    },
    "ROLLOUT_INCOMPLETE": {
        "zh_CN": "{where} 只给了自动注册所需的一部分，还缺：{missing}。本机不会自动注册。",
        "en": "{where} gives only part of what automatic enrollment needs; missing: "
        "{missing}. This PC will not enroll by itself.",
    },
    # outcomes of an enrollment from here
    "ROLLOUT_ENROLLED": {
        "zh_CN": "本机已注册到 {server}，门店 {store} {name}。",
        "en": "This PC is enrolled with {server} as store {store} {name}.",
    },
    "ROLLOUT_ALREADY_ENROLLED": {
        "zh_CN": "本机已注册到 {server}，门店 {store}；无需再注册。",
        "en": "This PC is already enrolled with {server} as store {store}; nothing to do.",
    },
    "ROLLOUT_NOT_CONFIGURED": {
        "zh_CN": "没有部署配置（服务器地址、门店编码、注册码），不自动注册。",
        "en": "No rollout settings (server address, store code, enrollment code): no "
        "automatic enrollment.",
    },
    "ROLLOUT_NOT_ATTEMPTED": {
        "zh_CN": "部署配置有问题，没有尝试注册：{problems}",
        "en": "The rollout settings have problems, so enrollment was not tried: {problems}",
    },
    "ROLLOUT_REFUSED_BEFORE": {
        "zh_CN": "这组服务器、门店和注册码在 {at} 已被拒绝（{reason}），不会再自动尝试。"
        "请改正配置文件中的注册码，或手动注册。",
        "en": "These server, store and code were refused at {at} ({reason}) and are not "
        "tried again by themselves. Correct the code in the rollout file, or enroll by hand.",
    },
    "ROLLOUT_FAILED": {
        "zh_CN": "注册失败：{reason}",
        "en": "Enrollment failed: {reason}",
    },
}
i18n.register(MESSAGES)

_ENROL_LOCK = threading.Lock()  # one enrollment at a time in this process


# --- the problems ------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloutProblem:
    """One thing wrong with the rollout settings: a code, where (file and key, or an
    environment variable) and the parameters of its text."""

    code: str
    where: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    key: str = ""  # the setting it is about ("" for the file as a whole)

    def text(self, lang: str | None = None) -> str:
        return i18n.translate(self.code, lang, where=self.where, **self.params)

    def short_text(self, lang: str | None = None) -> str:
        """The text without its "where" (under the field it is about)."""
        return i18n.translate(self.code, lang, where="", **self.params).lstrip(":： ")

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "where": self.where,
            "key": self.key,
            "zh_CN": self.text("zh_CN"),
            "en": self.text("en"),
        }


# --- the settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloutConfig:
    """The rollout settings after the file and the environment (command line not yet
    applied: see :func:`effective_language` and core.config.resolve_paths)."""

    looked_for: Path  # where the file was looked for
    file: Path | None = None  # the file read, if any
    server_url: str | None = None  # normalised (no trailing /)
    store_code: str | None = None
    enrollment_code: str | None = field(default=None, repr=False)  # a secret
    data_dir: Path | None = None
    language: str | None = None  # zh_CN | en
    sources: Mapping[str, str] = field(default_factory=dict)  # key -> file name or env var
    problems: tuple[RolloutProblem, ...] = ()

    @property
    def env_overrides(self) -> tuple[str, ...]:
        """Names of the environment variables in effect (never their values)."""
        return tuple(src for key, src in self.sources.items() if src == KEYS[key])

    @property
    def names_enrolment(self) -> bool:
        """The file or the environment names any of server, store or code."""
        return any(k in self.sources for k in ENROL_KEYS)

    @property
    def can_enroll(self) -> bool:
        """Server, store and code are all given and valid."""
        return bool(self.server_url and self.store_code and self.enrollment_code) and not any(
            p.key in ENROL_KEYS for p in self.problems
        )

    def where(self, key: str) -> str:
        """ "loandesk-rollout.ini: store_code" or "environment variable LOANDESK_…"."""
        return _where(self.sources.get(key, ""), key)

    def summary(self) -> dict[str, Any]:
        """What ``check --json`` shows: values, but only whether a code is set."""
        return {
            "file": str(self.file) if self.file else None,
            "looked_for": str(self.looked_for),
            "server_url": self.server_url,
            "store_code": self.store_code,
            "enrollment_code_set": self.enrollment_code is not None,
            "data_dir": str(self.data_dir) if self.data_dir else None,
            "language": self.language,
            "env_overrides": list(self.env_overrides),
            "problems": [p.to_json() for p in self.problems],
        }


def executable_dir() -> Path:
    """The folder of LoanDesk.exe in a packaged build; the source tree's root otherwise."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def rollout_file_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    named = env.get(ENV_ROLLOUT_FILE, "").strip()
    return Path(named) if named else executable_dir() / ROLLOUT_FILENAME


def load_rollout(
    env: Mapping[str, str] | None = None, *, file: Path | None = None, check_data_dir: bool = True
) -> RolloutConfig:
    """Read the rollout file (``file``, else :func:`rollout_file_path`) and the
    environment. Never raises for a bad file or value: each one is a problem."""
    env = os.environ if env is None else env
    named_by_env = file is None and bool(env.get(ENV_ROLLOUT_FILE, "").strip())
    path = file if file is not None else rollout_file_path(env)
    problems: list[RolloutProblem] = []
    raw: dict[str, str] = {}
    sources: dict[str, str] = {}
    read: Path | None = None
    if path.is_file():
        read = path
        raw = _read_file(path, problems)
        sources = dict.fromkeys(raw, path.name)
    elif named_by_env:
        problems.append(
            RolloutProblem("ROLLOUT_FILE_MISSING", f"{ENV_ROLLOUT_FILE}", {"path": str(path)})
        )
    else:
        for other in _misnamed(path):
            problems.append(
                RolloutProblem(
                    "ROLLOUT_FILE_MISNAMED", str(other), {"found": str(other), "name": path.name}
                )
            )
    for key, var in KEYS.items():
        value = env.get(var, "")
        if value.strip():
            raw[key] = value
            sources[key] = var
    values = _validate(raw, sources, path.parent, problems, check_data_dir)
    return RolloutConfig(
        looked_for=path,
        file=read,
        server_url=values.get("server_url"),
        store_code=values.get("store_code"),
        enrollment_code=values.get("enrollment_code"),
        data_dir=values.get("data_dir"),
        language=values.get("language"),
        sources=sources,
        problems=tuple(problems),
    )


def rollout_data_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """The data folder the rollout file names (core.config.resolve_paths asks this when
    neither ``--data-dir`` nor LOANDESK_DATA_DIR is given). Never raises."""
    try:
        path = rollout_file_path(env)
        if not path.is_file():
            return None
        problems: list[RolloutProblem] = []
        raw = _read_file(path, problems)
        if "data_dir" not in raw:
            return None
        value = _data_dir(
            raw["data_dir"], _where(path.name, "data_dir"), path.parent, problems, check=False
        )
        return value
    except (OSError, ValueError):
        return None


def effective_language(cli_lang: str | None, config: RolloutConfig) -> str | None:
    """``--lang`` beats LOANDESK_LANG beats the rollout file (then the settings and the
    system, in ui.app.pick_language)."""
    return cli_lang or config.language


def check_enrol_values(server_url: str, store_code: str, code: str) -> list[RolloutProblem]:
    """Problems with values typed by hand on the first-run screen (``where`` names the
    field: "server_url", "store_code", "enrollment_code")."""
    problems: list[RolloutProblem] = []
    raw = {"server_url": server_url, "store_code": store_code, "enrollment_code": code}
    for key, value in raw.items():
        if not value.strip():
            problems.append(RolloutProblem("ROLLOUT_VALUE_EMPTY", key, key=key))
    given = {k: v for k, v in raw.items() if v.strip()}
    _validate(given, {k: "" for k in given}, Path.cwd(), problems, check_data_dir=False)
    return [p for p in problems if p.key != "incomplete"]


# --- reading and checking ------------------------------------------------------------------


def _where(source: str, key: str) -> str:
    if source in KEYS.values():
        return f"environment variable {source}"
    return f"{source}: {key}" if source else key


def _misnamed(path: Path) -> list[Path]:
    """Files IT probably meant (Notepad's "loandesk-rollout.ini.txt")."""
    stem = path.stem
    candidates = [
        path.with_name(path.name + ".txt"),
        path.with_name(stem + ".txt"),
        path.with_name(stem + ".ini.ini"),
    ]
    return [c for c in candidates if c.is_file()]


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):  # Notepad: UTF-8 (with or without BOM), ANSI
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_file(path: Path, problems: list[RolloutProblem]) -> dict[str, str]:
    """``{key: value}`` of the [loandesk] section (a file without any section header is
    taken as that section). Problems for everything else."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(
            RolloutProblem(
                "ROLLOUT_FILE_UNREADABLE", str(path), {"detail": exc.strerror or type(exc).__name__}
            )
        )
        return {}
    text = _decode(data)
    if text is None:
        problems.append(RolloutProblem("ROLLOUT_FILE_ENCODING", str(path)))
        return {}
    added_header = not any(
        line.strip().startswith("[")
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith(("#", ";"))
    )
    if added_header:
        text = f"[{SECTION}]\n{text}"
    parser = configparser.ConfigParser(
        interpolation=None,
        strict=True,
        comment_prefixes=("#", ";"),
        inline_comment_prefixes=("#", ";"),
        default_section="\x00none",
    )
    try:
        parser.read_string(text, source=name)
    except configparser.DuplicateOptionError as exc:
        problems.append(
            RolloutProblem("ROLLOUT_DUPLICATE_KEY", f"{name}: {exc.option}", {"key": exc.option})
        )
        return {}
    except configparser.DuplicateSectionError as exc:
        problems.append(
            RolloutProblem(
                "ROLLOUT_DUPLICATE_KEY", f"{name}: [{exc.section}]", {"key": f"[{exc.section}]"}
            )
        )
        return {}
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        if line is None and isinstance(exc, configparser.ParsingError) and exc.errors:
            line = exc.errors[0][0]
        if added_header and isinstance(line, int):
            line -= 1
        detail = _first_line(exc)
        problems.append(
            RolloutProblem("ROLLOUT_FILE_SYNTAX", name, {"line": line or "?", "detail": detail})
        )
        return {}
    values: dict[str, str] = {}
    for section in parser.sections():
        if section.strip().lower() != SECTION:
            problems.append(RolloutProblem("ROLLOUT_UNKNOWN_SECTION", name, {"section": section}))
            continue
        for key, value in parser.items(section):
            if key not in KEYS:
                import difflib

                near = difflib.get_close_matches(key, list(KEYS), n=1)
                hint = f" (did you mean {near[0]}?)" if near else ""
                hint_zh = f"（是不是 {near[0]}？）" if near else ""
                problems.append(
                    RolloutProblem(
                        "ROLLOUT_UNKNOWN_KEY",
                        f"{name}: {key}",
                        {"key": key, "hint": hint, "hint_zh": hint_zh, "known": ", ".join(KEYS)},
                    )
                )
                continue
            values[key] = value
    return values


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    last = text[-1] if text else type(exc).__name__
    return last.strip()[:200]


def _validate(
    raw: Mapping[str, str],
    sources: Mapping[str, str],
    base: Path,
    problems: list[RolloutProblem],
    check_data_dir: bool,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, text in raw.items():
        where = _where(sources.get(key, ""), key)
        value = text.strip()
        if not value:
            problems.append(RolloutProblem("ROLLOUT_VALUE_EMPTY", where, key=key))
            continue
        if key == "server_url":
            url = _server_url(value)
            if url is None:
                problems.append(
                    RolloutProblem("ROLLOUT_URL_INVALID", where, {"value": value[:200]}, key)
                )
            else:
                out[key] = url
        elif key == "store_code":
            if len(value) > STORE_CODE_MAX or any(ch.isspace() for ch in value):
                problems.append(
                    RolloutProblem(
                        "ROLLOUT_STORE_INVALID",
                        where,
                        {"value": value[:40], "max": STORE_CODE_MAX},
                        key,
                    )
                )
            else:
                out[key] = value
        elif key == "enrollment_code":
            if not ENROLL_CODE_MIN <= len(value) <= ENROLL_CODE_MAX:
                problems.append(
                    RolloutProblem(
                        "ROLLOUT_CODE_INVALID",
                        where,
                        {"length": len(value), "min": ENROLL_CODE_MIN, "max": ENROLL_CODE_MAX},
                        key,
                    )
                )
            else:
                out[key] = value
        elif key == "language":
            lang = _language(value)
            if lang is None:
                problems.append(
                    RolloutProblem("ROLLOUT_LANGUAGE_INVALID", where, {"value": value[:40]}, key)
                )
            else:
                out[key] = lang
        elif key == "data_dir":
            # relative folders: from the rollout file's folder (env: the current folder)
            folder_base = base if sources.get(key) != ENV_DATA_DIR else Path.cwd()
            path = _data_dir(value, where, folder_base, problems, check=check_data_dir)
            if path is not None:
                out[key] = path
    if any(k in raw for k in ENROL_KEYS):
        missing = [k for k in ENROL_KEYS if k not in raw]
        if missing:
            named = sorted({sources.get(k, "") for k in ENROL_KEYS if k in raw} - {""})
            names = [_where(s, "").rstrip(": ") for s in named] or ["-"]
            problems.append(
                RolloutProblem(
                    "ROLLOUT_INCOMPLETE",
                    " + ".join(names),
                    {"missing": ", ".join(f"{k} ({KEYS[k]})" for k in missing)},
                    key="incomplete",
                )
            )
    return out


def _server_url(value: str) -> str | None:
    text = value.rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(ch.isspace() for ch in text)
        or parts.query
        or parts.fragment
    ):
        return None
    return text


def _language(value: str) -> str | None:
    low = value.replace("-", "_").lower()
    return {"zh_cn": "zh_CN", "en": "en"}.get(low)


_VAR = re.compile(r"%([^%]+)%")


def _data_dir(
    value: str, where: str, base: Path, problems: list[RolloutProblem], *, check: bool
) -> Path | None:
    unknown = [m.group(1) for m in _VAR.finditer(value) if m.group(1) not in os.environ]
    if unknown:
        problems.append(
            RolloutProblem(
                "ROLLOUT_DATA_DIR_INVALID",
                where,
                {"value": value, "detail": f"unknown variable %{unknown[0]}%"},
                "data_dir",
            )
        )
        return None
    expanded = _VAR.sub(lambda m: os.environ[m.group(1)], value)
    path = Path(os.path.expandvars(expanded)).expanduser()
    if not path.is_absolute():
        path = base / path
    try:
        path = path.resolve()
    except (OSError, RuntimeError) as exc:
        problems.append(
            RolloutProblem(
                "ROLLOUT_DATA_DIR_INVALID", where, {"value": value, "detail": str(exc)}, "data_dir"
            )
        )
        return None
    if check:
        reason = _unusable(path)
        if reason:
            problems.append(
                RolloutProblem(
                    "ROLLOUT_DATA_DIR_UNUSABLE",
                    where,
                    {"path": str(path), "detail": reason},
                    "data_dir",
                )
            )
    return path


def _unusable(path: Path) -> str:
    """Why ``path`` cannot be LoanDesk's data folder ("" if it can); creates nothing."""
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return "no such drive or root folder"
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"no permission to write in {probe}"
    return ""


# --- enrolling ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloutOutcome:
    """What an enrollment from here did (or why it did not try)."""

    status: str  # enrolled | failed | already_enrolled | not_configured | not_attempted |
    #              refused_before
    how: str  # auto | manual
    at: str
    server_url: str | None = None
    store_code: str | None = None
    store_name: str = ""
    code: str = ""  # SyncError code when failed
    params: Mapping[str, Any] = field(default_factory=dict)
    fingerprint: str = ""  # of server, store and code (not reversible to the code)

    @property
    def ok(self) -> bool:
        return self.status in ("enrolled", "already_enrolled")

    @property
    def attempted(self) -> bool:
        return self.status in ("enrolled", "failed")

    def reason(self, lang: str | None = None) -> str:
        """The SyncError's text (failed, refused_before), else ""."""
        return i18n.translate(self.code, lang, **self.params) if self.code else ""

    def text(self, lang: str | None = None) -> str:
        server, store = self.server_url or "-", self.store_code or "-"
        if self.status == "enrolled":
            return i18n.translate(
                "ROLLOUT_ENROLLED", lang, server=server, store=store, name=self.store_name
            ).strip()
        if self.status == "already_enrolled":
            return i18n.translate("ROLLOUT_ALREADY_ENROLLED", lang, server=server, store=store)
        if self.status == "failed":
            return i18n.translate("ROLLOUT_FAILED", lang, reason=self.reason(lang))
        if self.status == "refused_before":
            return i18n.translate(
                "ROLLOUT_REFUSED_BEFORE",
                lang,
                at=self.params.get("refused_at", "?"),
                reason=self.reason(lang),
            )
        if self.status == "not_attempted":
            problems = self.params.get("problems", {})
            text = (
                problems.get(i18n.normalize_language(lang), "")
                if isinstance(problems, dict)
                else ""
            )
            return i18n.translate("ROLLOUT_NOT_ATTEMPTED", lang, problems=text)
        return i18n.translate("ROLLOUT_NOT_CONFIGURED", lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "how": self.how,
            "at": self.at,
            "server_url": self.server_url,
            "store_code": self.store_code,
            "store_name": self.store_name,
            "code": self.code,
            "params": dict(self.params),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RolloutOutcome:
        params = data.get("params")
        return cls(
            status=str(data.get("status", "")),
            how=str(data.get("how", "")),
            at=str(data.get("at", "")),
            server_url=data.get("server_url"),
            store_code=data.get("store_code"),
            store_name=str(data.get("store_name") or ""),
            code=str(data.get("code") or ""),
            params=params if isinstance(params, dict) else {},
            fingerprint=str(data.get("fingerprint") or ""),
        )


def enrolment_status(ctx: AppContext) -> SyncStatus:
    """Is this PC enrolled, with which server and store (and is sync paused)?"""
    if ctx.sync is None:
        raise RuntimeError("this context has no sync service")
    return ctx.sync.sync_state()


def is_enrolled(ctx: AppContext) -> bool:
    return enrolment_status(ctx).enrolled


def last_outcome(ctx: AppContext) -> RolloutOutcome | None:
    """The last enrollment tried from the rollout settings or the first-run screen."""
    from core.store.sync_repo import SyncRepo

    return _parse_outcome(SyncRepo(ctx.db).state_get(LAST_ENROLMENT_KEY))


def enroll_from_rollout(
    ctx: AppContext, config: RolloutConfig, *, timeouts: Timeouts | None = None
) -> RolloutOutcome:
    """Enroll this PC with the rollout settings if it is not enrolled yet: one try, on
    this context's connection (so on its thread), through AdminService (audited).

    Does not try when the settings are incomplete or have problems, when the PC is
    enrolled already, or when the same server, store and code were refused before (a
    refused code never goes out again by itself). An attempt's outcome is recorded for
    ``check`` and the first-run screen. Network trouble is an outcome, not an exception."""
    at = _now(ctx)
    state = enrolment_status(ctx)
    if state.enrolled:
        return RolloutOutcome("already_enrolled", "auto", at, state.server_url, state.store_code)
    if not config.names_enrolment:
        return RolloutOutcome("not_configured", "auto", at)
    if not config.can_enroll:
        bad = [p for p in config.problems if p.key in (*ENROL_KEYS, "incomplete")]
        return RolloutOutcome(
            "not_attempted",
            "auto",
            at,
            config.server_url,
            config.store_code,
            params={"problems": {lang: "; ".join(p.text(lang) for p in bad) for lang in LANGUAGES}},
        )
    assert config.server_url and config.store_code and config.enrollment_code
    with _ENROL_LOCK:
        state = enrolment_status(ctx)
        if state.enrolled:
            return RolloutOutcome(
                "already_enrolled", "auto", at, state.server_url, state.store_code
            )
        fingerprint = _fingerprint(
            ctx, config.server_url, config.store_code, config.enrollment_code
        )
        last = last_outcome(ctx)
        if (
            last is not None
            and last.status == "failed"
            and last.code in REFUSAL_CODES
            and last.fingerprint == fingerprint
        ):
            log.info("automatic enrollment not tried: the same values were refused at %s", last.at)
            return RolloutOutcome(
                "refused_before",
                "auto",
                at,
                config.server_url,
                config.store_code,
                code=last.code,
                params={**last.params, "refused_at": last.at},
                fingerprint=fingerprint,
            )
        log.info(
            "automatic enrollment with %s as store %s (from %s)",
            config.server_url,
            config.store_code,
            ", ".join(sorted(set(config.sources.values()))),
        )
        return _enroll(
            ctx,
            None,
            "auto",
            config.server_url,
            config.store_code,
            config.enrollment_code,
            fingerprint,
            timeouts or _timeouts(AUTO_TIMEOUTS),
        )


def enroll_by_hand(
    ctx: AppContext,
    server_url: str,
    store_code: str,
    code: str,
    *,
    actor: Actor | None = None,
    timeouts: Timeouts | None = None,
) -> RolloutOutcome:
    """The first-run screen's "Enroll": like ``main.py enroll`` (audited, CHANGE_SETTINGS
    for ``actor``, default the context's), with the outcome recorded. A refusal or network
    trouble is returned as a ``failed`` outcome; PermissionDenied is raised."""
    server, store, secret = server_url.strip(), store_code.strip(), code.strip()
    with _ENROL_LOCK:
        fingerprint = _fingerprint(ctx, server, store, secret)
        return _enroll(
            ctx,
            actor,
            "manual",
            server,
            store,
            secret,
            fingerprint,
            timeouts or _timeouts(AUTO_TIMEOUTS),
        )


def run_auto_enrolment(
    paths: Paths,
    config: RolloutConfig,
    *,
    clock: Clock | None = None,
    timeouts: Timeouts | None = None,
) -> RolloutOutcome:
    """:func:`enroll_from_rollout` on a context of its own (for a worker thread: a
    connection stays on the thread that opened it)."""
    from core.context import open_context

    ctx = open_context(paths, clock)
    try:
        return enroll_from_rollout(ctx, config, timeouts=timeouts)
    finally:
        ctx.close()


def run_enroll_by_hand(
    paths: Paths,
    server_url: str,
    store_code: str,
    code: str,
    *,
    clock: Clock | None = None,
    actor: Actor | None = None,
    timeouts: Timeouts | None = None,
) -> RolloutOutcome:
    """:func:`enroll_by_hand` on a context of its own (for a worker thread)."""
    from core.context import open_context

    ctx = open_context(paths, clock)
    try:
        return enroll_by_hand(ctx, server_url, store_code, code, actor=actor, timeouts=timeouts)
    finally:
        ctx.close()


def _enroll(
    ctx: AppContext,
    actor: Actor | None,
    how: str,
    server: str,
    store: str,
    secret: str,
    fingerprint: str,
    timeouts: Timeouts,
) -> RolloutOutcome:
    from core.admin import AdminService
    from core.sync.errors import SyncError

    try:
        done = AdminService.of(ctx, actor).enroll(server, store, secret, timeouts=timeouts)
    except SyncError as exc:
        params = {k: _scrub(v, secret) for k, v in exc.params.items()}
        outcome = RolloutOutcome(
            "failed",
            how,
            _now(ctx),
            server,
            store,
            code=exc.code,
            params=params,
            fingerprint=fingerprint,
        )
        log.warning("enrollment (%s) with %s as store %s failed: %s", how, server, store, exc.code)
    else:
        outcome = RolloutOutcome(
            "enrolled",
            how,
            _now(ctx),
            done.server_url,
            done.store_code,
            done.store_name,
            fingerprint=fingerprint,
        )
    _record(ctx, outcome)
    return outcome


def _record(ctx: AppContext, outcome: RolloutOutcome) -> None:
    from core.store.sync_repo import SyncRepo

    with ctx.db.atomic():
        SyncRepo(ctx.db).state_set(
            LAST_ENROLMENT_KEY, json.dumps(outcome.to_json(), ensure_ascii=False)
        )


def _parse_outcome(text: str | None) -> RolloutOutcome | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return RolloutOutcome.from_json(data) if isinstance(data, dict) else None


def _scrub(value: Any, secret: str) -> Any:
    if isinstance(value, str) and secret and secret in value:
        return value.replace(secret, "***")
    return value


def _fingerprint(ctx: AppContext, server: str, store: str, secret: str) -> str:
    """32 bits of an HMAC keyed with this PC's device id: enough to tell "the same values
    again", far too short to recover the code from."""
    from core.store.repositories import Repositories

    key = (Repositories(ctx.db).meta_get("device_id") or "loandesk").encode("utf-8")
    normal = "".join(ch for ch in secret.upper() if ch.isalnum())
    message = f"{server.rstrip('/')}\n{store.strip().upper()}\n{normal}".encode()
    import hashlib
    import hmac

    return hmac.new(key, message, hashlib.sha256).hexdigest()[:8]


def _now(ctx: AppContext) -> str:
    from core.clock import iso_now

    return iso_now(ctx.clock)


def _timeouts(values: tuple[float, float, float]) -> Timeouts:
    from core.sync.http import Timeouts

    return Timeouts(connect=values[0], read=values[1], deadline=values[2])


# --- check --------------------------------------------------------------------------------


def check_item(paths: Paths, config: RolloutConfig | None = None) -> dict[str, Any]:
    """``main.py check``'s "rollout" item. Changes nothing (the database is read without
    migrating; the server, if named, is asked for /v1/health only)."""
    config = config if config is not None else load_rollout()
    parts: list[str] = []
    ok = not config.problems
    if config.file is not None:
        parts.append(f"read {config.file}")
    else:
        parts.append(f"no rollout file (looked for {config.looked_for})")
    if config.env_overrides:
        parts.append("environment overrides: " + ", ".join(config.env_overrides))
    named = [
        f"{k}={getattr(config, k)}"
        for k in ("server_url", "store_code", "language")
        if getattr(config, k)
    ]
    if config.enrollment_code is not None:
        named.append("enrollment code set (hidden)")
    if config.data_dir is not None:
        used = config.data_dir == paths.data_dir
        named.append(
            f"data_dir={config.data_dir}"
            + ("" if used else f" (not in use: {paths.data_dir} is, from --data-dir)")
        )
    if named:
        parts.append(", ".join(named))
    parts.extend(f"PROBLEM {p.text('en')}" for p in config.problems)
    state, last = _read_enrolment(paths)
    if state is None:
        parts.append("not enrolled (no database yet)")
    elif state.enrolled:
        parts.append(f"enrolled with {state.server_url} as store {state.store_code}")
        if (
            config.server_url
            and config.store_code
            and (
                config.server_url != state.server_url
                or config.store_code.upper() != (state.store_code or "").upper()
            )
        ):
            ok = False
            parts.append(
                "PROBLEM the rollout settings name another server or store: "
                "enroll again by hand if this PC should move"
            )
    else:
        parts.append("not enrolled")
    if last is not None and last.status == "failed":
        when = f"last {'automatic' if last.how == 'auto' else 'manual'} enrollment at {last.at}"
        parts.append(f"{when} failed: {last.reason('en')}")
        if state is None or not state.enrolled:
            ok = False
    if config.server_url and not any(p.key == "server_url" for p in config.problems):
        reachable, detail = _probe(config.server_url, paths)
        parts.append(detail)
        ok = ok and reachable
    item: dict[str, Any] = {
        "name": "rollout",
        "ok": ok,
        "detail": "; ".join(parts),
        "rollout": config.summary(),
    }
    if last is not None:
        item["rollout"]["last_enrollment"] = {
            k: v for k, v in last.to_json().items() if k != "fingerprint"
        }
    return item


def _read_enrolment(paths: Paths) -> tuple[SyncStatus | None, RolloutOutcome | None]:
    import sqlite3

    from core.clock import SystemClock
    from core.store.db import StorageEnvironmentError, open_database
    from core.store.sync_repo import SyncRepo
    from core.sync.service import SyncService

    if not paths.database.exists():
        return None, None
    try:
        db = open_database(paths.database, migrate=False)
    except (StorageEnvironmentError, sqlite3.Error):
        return None, None
    try:
        if "sync_state" not in db.table_names():
            return None, None
        state = SyncService(db, SystemClock()).sync_state()
        return state, _parse_outcome(SyncRepo(db).state_get(LAST_ENROLMENT_KEY))
    except sqlite3.Error:
        return None, None
    finally:
        db.close()


def _probe(url: str, paths: Paths) -> tuple[bool, str]:
    """Can the rollout's server be reached? (GET /v1/health, short timeouts.)"""
    from core.config import Settings
    from core.sync import wire
    from core.sync.http import SyncHttp

    ca = Settings(paths.settings_file).get("ca_bundle") or None
    try:
        with SyncHttp(url, timeouts=_timeouts(CHECK_TIMEOUTS), ca_bundle=ca) as http:
            answer = http.get(f"{wire.API_PREFIX}/health", wire.Health)
    except Exception as exc:  # noqa: BLE001 - diagnostics report, never raise
        return False, f"PROBLEM server {url} cannot be asked ({type(exc).__name__})"
    if answer.value is not None:
        return True, f"server {url} answers (version {answer.value.version})"
    reason = i18n.translate(
        answer.code or "SYNC_UNREACHABLE",
        "en",
        detail=answer.detail,
        status=answer.status,
        path="/v1/health",
        seconds=answer.retry_after,
    )
    return False, f"PROBLEM server {url} does not answer: {reason}"
