"""Reading ``loandesk-rollout.ini`` as Notepad may save it and checking each value,
collecting a coded problem (file and key, or variable) for everything wrong."""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.config import ENV_DATA_DIR
from core.rollout.model import (
    ENROL_KEYS,
    ENROLL_CODE_MAX,
    ENROLL_CODE_MIN,
    KEYS,
    SECTION,
    STORE_CODE_MAX,
    RolloutProblem,
    _where,
)
from core.sync.plain_http import plain_http_refused

if TYPE_CHECKING:
    pass


# --- reading and checking ------------------------------------------------------------------


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
            elif plain_http_refused(url):
                problems.append(
                    RolloutProblem("ROLLOUT_URL_PLAIN_HTTP", where, {"value": url[:200]}, key)
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
