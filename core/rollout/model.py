"""What the rollout settings are: the keys and variables, a coded problem, and the
combined settings (file, environment) a start works from."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import i18n
from core.config import ENV_DATA_DIR

if TYPE_CHECKING:
    pass
from core.rollout import messages as _messages  # noqa: F401  (registers the texts)

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


def _where(source: str, key: str) -> str:
    if source in KEYS.values():
        return f"environment variable {source}"
    return f"{source}: {key}" if source else key
