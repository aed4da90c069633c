"""Where LoanDesk keeps its files, and the settings file.

One place decides the paths: ``--data-dir`` beats ``LOANDESK_DATA_DIR`` beats the
rollout file next to the program (``data_dir`` in ``loandesk-rollout.ini``, see
core.rollout) beats the platform's user data dir. When a data dir is given, logs and
backups live inside it, so IT can copy or inspect one folder. Frozen (PyInstaller)
builds are detected here.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import CoreError

APP_NAME = "LoanDesk"
ENV_DATA_DIR = "LOANDESK_DATA_DIR"
DB_FILENAME = "loandesk.db"
SETTINGS_FILENAME = "settings.json"
SETTINGS_VERSION = 1


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def resources_dir() -> Path:
    """Bundled files: next to the source tree, or inside the PyInstaller bundle."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class Paths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / SETTINGS_FILENAME

    def ensure(self) -> Paths:
        for d in (self.data_dir, self.backups, self.logs):
            d.mkdir(parents=True, exist_ok=True)
        return self


def _user_data_dir() -> Path:
    import platformdirs  # only when no folder is named (tempfile, shutil: not cheap)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """``data_dir`` (``--data-dir``) > LOANDESK_DATA_DIR > the rollout file's
    ``data_dir`` > the platform's user data folder."""
    if data_dir:
        base = Path(data_dir)
    elif os.environ.get(ENV_DATA_DIR):
        base = Path(os.environ[ENV_DATA_DIR])
    else:
        from core.rollout import rollout_data_dir  # it imports this module

        base = rollout_data_dir() or _user_data_dir()
    return Paths(base.expanduser().resolve())


# --- settings: each declared once, with type, default and a label code -------------


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    label: str  # i18n code
    check: Callable[[Any], bool] = lambda _v: True


SETTINGS: tuple[Setting, ...] = (
    Setting("language", str, "", "SETTING_LANGUAGE", lambda v: v in ("", "zh_CN", "en")),
    Setting("store_code", str, "LOCAL", "SETTING_STORE_CODE", lambda v: 1 <= len(v) <= 20),
    Setting("store_name", str, "本店", "SETTING_STORE_NAME", lambda v: 1 <= len(v) <= 40),
    Setting("store_city", str, "", "SETTING_STORE_CITY", lambda v: len(v) <= 20),
    Setting("list_page_size", int, 200, "SETTING_PAGE_SIZE", lambda v: 20 <= v <= 5000),
    # A CA file for a company whose central server uses its own CA. Certificate
    # verification is never switched off; this only adds whom to trust.
    Setting("ca_bundle", str, "", "SETTING_CA_BUNDLE", lambda v: len(v) <= 1000),
    # Days after a final central decision before a customer's personal data is removed.
    Setting("retention_days", int, 180, "SETTING_RETENTION_DAYS", lambda v: 30 <= v <= 3650),
    # Minutes without keyboard or mouse input before the window locks (same operator unlocks).
    Setting("idle_lock_minutes", int, 5, "SETTING_IDLE_LOCK_MINUTES", lambda v: 1 <= v <= 240),
    # Photos (ID card, customer with goods): longest side kept, JPEG quality; the
    # attachments folder's quota and the free disk space below which saving warns.
    Setting("photo_max_px", int, 1600, "SETTING_PHOTO_MAX_PX", lambda v: 400 <= v <= 8000),
    Setting("photo_jpeg_quality", int, 85, "SETTING_PHOTO_QUALITY", lambda v: 30 <= v <= 95),
    Setting("attachments_quota_mb", int, 2048, "SETTING_ATTACH_QUOTA", lambda v: 50 <= v <= 10**6),
    Setting("free_disk_warn_mb", int, 500, "SETTING_FREE_DISK_WARN", lambda v: 0 <= v <= 10**6),
)
_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(CoreError, ValueError):
    pass


def _upgrade(raw: dict[str, Any]) -> dict[str, Any]:
    """Versioned upgrades of the settings file; version 1 is the first."""
    raw.setdefault("version", SETTINGS_VERSION)
    return raw


class Settings:
    """Typed access to settings.json. Unknown keys are kept; bad values fall back to
    the default (and are reported by ``problems``) rather than stopping the app."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._values: dict[str, Any] = {}
        self._unknown: dict[str, Any] = {}  # keys of a newer version: kept as they are
        self.problems: list[str] = []
        self._load()

    def reload(self) -> None:
        """Read the file again (another connection's service wrote it)."""
        self._load()

    def _load(self) -> None:
        self._values, self._unknown, self.problems = {}, {}, []
        if not self._path.exists():
            return
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.problems.append(f"{self._path}: unreadable ({exc}); using defaults")
            return
        if not isinstance(raw, dict):
            self.problems.append(f"{self._path}: not a JSON object; using defaults")
            return
        raw = _upgrade(raw)
        for key, value in raw.items():
            s = _BY_NAME.get(key)
            if s is None:
                if key != "version":
                    self._unknown[key] = value
                continue
            if isinstance(value, s.type) and not isinstance(value, bool) and s.check(value):
                self._values[key] = value
            else:
                self.problems.append(f"{self._path}: {key}={value!r} is not valid; using default")

    def get(self, name: str) -> Any:
        s = _BY_NAME[name]
        return self._values.get(name, s.default)

    def set(self, name: str, value: Any) -> None:
        s = _BY_NAME.get(name)
        if s is None:
            raise SettingsError(f"unknown setting {name!r}")
        if not isinstance(value, s.type) or isinstance(value, bool) or not s.check(value):
            raise SettingsError(f"invalid value for {name}: {value!r}")
        self._load()  # another window or process may have written since we read
        self._values[name] = value
        self.save()

    def as_dict(self) -> Mapping[str, Any]:
        return {s.name: self.get(s.name) for s in SETTINGS}

    def save(self) -> None:
        data = {**self._unknown, "version": SETTINGS_VERSION, **self._values}
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self._path)
