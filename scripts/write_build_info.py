"""Write resources/build.json, the stamp of a packaged build (read by core/build_info.py).

    {"version": "<pyproject.toml version>", "commit": "<git short hash or ''>",
     "built_at": "<UTC ISO time, e.g. 2026-12-03T10:00:00Z>"}

Run by ``make package`` (and by build.spec when the file is missing or names another
version), so a build always says which source it came from. Standard library only: it
runs before anything is installed on a Windows build PC too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_JSON = ROOT / "resources" / "build.json"


def pyproject_version(root: Path = ROOT) -> str:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not m:
        raise SystemExit("write_build_info: no version in pyproject.toml")
    return m.group(1)


def git_commit(root: Path = ROOT) -> str:
    """The short hash of HEAD, or "" outside a git checkout (or without git)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def build_stamp(root: Path = ROOT) -> dict[str, str]:
    return {
        "version": pyproject_version(root),
        "commit": git_commit(root),
        "built_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }


def write(path: Path = BUILD_JSON, root: Path = ROOT) -> dict[str, str]:
    stamp = build_stamp(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    return stamp


def main() -> int:
    stamp = write()
    print(f"wrote {BUILD_JSON.relative_to(ROOT)}: {json.dumps(stamp)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
