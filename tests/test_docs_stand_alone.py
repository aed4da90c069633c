"""The repository explains itself: nothing in it points at a folder beside it or at an
issue tracker a fresh clone does not have.

A reference to the team's old notes in a folder beside the repository (by its path or
their file names), or to a tracker issue by its number, says nothing to the next
engineer; say the thing itself, or point at docs/ (architecture.md, data.md,
sync-protocol.md). The patterns are below, built from pieces.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: folders that are not the project's own text: environments, caches, build output
SKIPPED_DIRS = {
    ".venv",
    ".git",
    ".bench-cache",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "demo-data",
}
SKIPPED_SUFFIXES = {".egg-info"}
MAX_BYTES = 5 * 1024 * 1024

# Built from pieces so this file does not match itself.
_FOLDER = "sha" + "red"
_NAMES = ("SY" + "NC", "DES" + "IGN", "STY" + "LE")
_SHARED = re.escape("../" + _FOLDER)
_NOTES = r"(?<![\w/.-])(?:" + "|".join(_NAMES) + r")\." + "md"
_ISSUE = r"\bissues?\s*(?:#\s*)?\d+|\(\s*issue\b|\bissue\s*#"
FORBIDDEN = re.compile(f"{_SHARED}|{_NOTES}|{_ISSUE}", re.IGNORECASE)
_WORD = "iss" + "ue"


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for path in sorted(root.iterdir()):
        if path.is_symlink():
            continue
        if path.is_dir():
            if path.name in SKIPPED_DIRS or path.suffix in SKIPPED_SUFFIXES:
                continue
            found += _files(path)
        elif path.is_file() and path.stat().st_size <= MAX_BYTES:
            found.append(path)
    return found


def _text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None  # binary (images, databases, .qm)
    return data.decode("utf-8", errors="replace")


def offenders(root: Path) -> list[str]:
    bad = []
    for path in _files(root):
        text = _text(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            match = FORBIDDEN.search(line)
            if match:
                bad.append(f"{path.relative_to(root)}:{number}: {match.group(0)!r}")
    return bad


def test_no_pointer_outside_the_repository() -> None:
    assert offenders(ROOT) == [], (
        "say the thing itself instead of pointing outside the repository "
        "(docs/architecture.md, docs/data.md, docs/sync-protocol.md)"
    )


def test_the_check_finds_what_it_must(tmp_path: Path) -> None:
    samples = {
        "a.md": "The protocol is " + "../" + _FOLDER + "/" + _NAMES[0] + ".md.",
        "b.py": "# encrypted (" + _WORD + " 5)",
        "c.py": '"""A LoanDesk from before ' + _WORD + ' 5 left it."""',
        "d.md": "fixed in " + _WORD + " #12",
        "e.txt": "see " + _NAMES[0] + ".md, the table",
        "f.json": '{"description": "see ' + _NAMES[1] + '.md"}',
    }
    for name, text in samples.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    fine = {
        "ok.py": "def keys(issuer: str) -> None: ...  # pins the issuer's keys",
        "ok.md": "See docs/sync-protocol.md and docs/data.md; this issues codes.",
    }
    for name, text in fine.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.py").write_text("# " + _WORD + " 5", encoding="utf-8")
    found = {line.split(":")[0] for line in offenders(tmp_path)}
    assert found == set(samples)
