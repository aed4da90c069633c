"""What build this is: the version (from pyproject.toml, the one place it is set) and,
for a packaged build, the commit and time it was built.

``make package`` writes ``resources/build.json`` ({"version", "commit", "built_at"})
into the bundle; a source checkout reads pyproject.toml, or the installed package's
metadata when neither file is there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.config import is_frozen, resources_dir

BUILD_FILE = "build.json"
_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildInfo:
    version: str
    commit: str  # "" from a source checkout
    built_at: str  # ISO time of the packaged build; "" from source
    frozen: bool

    def describe(self) -> str:
        """ "0.2.0 (build 1a2b3c4, 2026-12-03T10:00:00Z)" or "0.2.0 (source)"."""
        if self.commit or self.built_at:
            parts = [p for p in (self.commit[:12], self.built_at) if p]
            return f"{self.version} (build {', '.join(parts)})"
        return f"{self.version} (source)"


def _pyproject_version() -> str | None:
    try:
        text = (_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return m.group(1) if m else None


def _metadata_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("loandesk")
    except metadata.PackageNotFoundError:
        return None


@lru_cache(maxsize=1)
def build_info() -> BuildInfo:
    stamped: dict[str, str] = {}
    try:
        if not is_frozen():  # a source checkout is not the package last built from it
            raise OSError("source checkout")
        raw = json.loads((resources_dir() / BUILD_FILE).read_text(encoding="utf-8"))
        if isinstance(raw, dict):
            stamped = {k: str(v) for k, v in raw.items() if isinstance(v, str | int)}
    except (OSError, ValueError):
        pass
    version = (
        stamped.get("version")
        or (None if is_frozen() else _pyproject_version())
        or _metadata_version()
        or "0+unknown"
    )
    return BuildInfo(
        version=version,
        commit=stamped.get("commit", ""),
        built_at=stamped.get("built_at", ""),
        frozen=is_frozen(),
    )
