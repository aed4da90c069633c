"""The rollout file and the environment combined into a :class:`RolloutConfig` (later
sources win), and the questions the start asks of it."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from core.config import is_frozen
from core.rollout.model import (
    ENV_ROLLOUT_FILE,
    KEYS,
    ROLLOUT_FILENAME,
    RolloutConfig,
    RolloutProblem,
    _where,
)
from core.rollout.reading import _data_dir, _misnamed, _read_file, _validate

if TYPE_CHECKING:
    pass


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
