"""Smoke tests of the packaged build (dist/LoanDesk): what IT and a store PC see."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from tests.package.conftest import (
    BUILT_FROM,
    ENV_FROZEN_DIR,
    ROOT,
    RUN_TIMEOUT_S,
    base_env,
    pyproject_version,
    run_with_keyring,
)


def _run_plain(exe: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """A run that needs no keyring (it stops before opening any data)."""
    return subprocess.run(
        [str(exe), *args],
        env=base_env(home),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


# --- the version and the build stamp -----------------------------------------------


def test_version_is_the_pyproject_version(frozen_exe: Path, home: Path) -> None:
    done = _run_plain(frozen_exe, "--version", home=home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"LoanDesk {pyproject_version()}"


def test_build_stamp_names_version_commit_and_time(bundled_resources: Path) -> None:
    stamp = json.loads((bundled_resources / "build.json").read_text(encoding="utf-8"))
    assert set(stamp) == {"version", "commit", "built_at"}
    assert stamp["version"] == pyproject_version()
    if os.environ.get(ENV_FROZEN_DIR):  # a build made earlier: some commit, or none
        assert re.fullmatch(r"([0-9a-f]{4,40})?", stamp["commit"])
    else:  # built by this session from this checkout
        assert stamp["commit"] in BUILT_FROM
    built = datetime.fromisoformat(stamp["built_at"].replace("Z", "+00:00"))
    assert built.utcoffset() is not None and built.utcoffset().total_seconds() == 0


# --- check on a new data folder ------------------------------------------------------


def test_check_on_a_new_data_folder(
    frozen_exe: Path, frozen_dir: Path, home: Path, new_data_dir: Path
) -> None:
    done = run_with_keyring([frozen_exe, "--data-dir", new_data_dir, "check", "--json"], home)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert Path(report["executable"]) == frozen_exe
    assert Path(report["data_dir"]) == new_data_dir.resolve()
    checks = {c["name"]: c for c in report["checks"]}
    assert all(c["ok"] for c in checks.values()), [c for c in checks.values() if not c["ok"]]
    assert f"LoanDesk {pyproject_version()}" in checks["version"]["detail"]
    assert "frozen=True" in checks["version"]["detail"]
    assert "not created yet" in checks["database"]["detail"]
    # the bundle's own resources, and the real Secret Service (no test keyring)
    assert checks["resources"]["detail"] == str(frozen_dir / "_internal" / "resources")
    assert checks["keyring"]["detail"].startswith("keyring.backends.SecretService")
    assert (new_data_dir / "logs").is_dir()


def test_check_text_report_ends_with_the_verdict(
    frozen_exe: Path, home: Path, new_data_dir: Path
) -> None:
    done = run_with_keyring([frozen_exe, "--data-dir", new_data_dir, "check"], home)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "all checks passed"
    assert any(line.startswith("[OK  ] keyring: keyring.backends.SecretService") for line in lines)


def test_without_a_keyring_the_store_build_refuses(
    frozen_exe: Path, home: Path, new_data_dir: Path
) -> None:
    """No Secret Service (no D-Bus session at all): check says so, and a command that
    opens the data exits 5 rather than ever keeping personal data unprotected."""
    check = _run_plain(frozen_exe, "--data-dir", str(new_data_dir), "check", "--json", home=home)
    assert check.returncode == 1, check.stdout + check.stderr
    keyring_item = next(c for c in json.loads(check.stdout)["checks"] if c["name"] == "keyring")
    assert keyring_item["ok"] is False
    example = ROOT / "resources" / "examples" / "appliance.json"
    prescreen = _run_plain(
        frozen_exe, "--data-dir", str(new_data_dir), "prescreen", str(example), home=home
    )
    assert prescreen.returncode == 5, prescreen.stdout + prescreen.stderr
    assert not (new_data_dir / "loandesk.db").exists() or "keyring" in prescreen.stderr.lower()


# --- prescreen with the shipped examples ---------------------------------------------


def _source_prescreen(example: Path, data_dir: Path) -> dict[str, object]:
    """The same file through the source tree (test keyring from tests/conftest.py)."""
    done = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data_dir), "prescreen", str(example)],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert done.returncode in (0, 2), done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("name", ["appliance", "declined"])
def test_prescreen_shipped_example_gives_the_source_outcome(
    frozen_exe: Path,
    bundled_resources: Path,
    home: Path,
    new_data_dir: Path,
    tmp_path: Path,
    name: str,
) -> None:
    example = bundled_resources / "examples" / f"{name}.json"
    done = run_with_keyring([frozen_exe, "--data-dir", new_data_dir, "prescreen", example], home)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    outcome = json.loads(done.stdout)
    assert outcome["ok"] is True
    assert outcome["outcome"] in ("PASS", "REFER", "DECLINE")
    assert outcome["pack"] == {"id": "cn-retail", "version": 2}  # the signed default pack
    assert re.fullmatch(r"[0-9a-f]{64}", outcome["inputs_sha256"])
    if name == "declined":
        assert outcome["outcome"] == "DECLINE"
        assert outcome["reasons"]
    source = _source_prescreen(example, tmp_path / "source-data")
    for key in ("outcome", "reasons", "pack"):  # (the inputs digest includes the time)
        assert outcome[key] == source[key], key


def test_prescreen_invalid_example_lists_the_errors(
    frozen_exe: Path, bundled_resources: Path, home: Path, new_data_dir: Path
) -> None:
    done = run_with_keyring(
        [
            frozen_exe,
            "--data-dir",
            new_data_dir,
            "prescreen",
            bundled_resources / "examples" / "invalid.json",
        ],
        home,
    )
    assert done.returncode == 2, done.stderr
    answer = json.loads(done.stdout)
    assert answer["ok"] is False
    assert answer["validation_errors"]
    assert {"field", "code"} <= set(answer["validation_errors"][0])


# --- the GUI on X11 -----------------------------------------------------------------

_CREATE_ADMIN = """\
import sys
from core.config import resolve_paths
from core.context import open_context
from core.operators.service import create_first_admin
ctx = open_context(resolve_paths(sys.argv[1]))
try:
    create_first_admin(ctx.db, ctx.clock, "boss", "Store Boss", "Boss-2026-pw")
finally:
    ctx.close()
"""


def _gui_first_screen(exe: Path, data_dir: Path, home: Path, display: str) -> str:
    done = run_with_keyring(
        [exe, "--data-dir", data_dir, "--lang", "zh_CN"],
        home,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        LOANDESK_EXIT_AFTER_SHOWN="1",
    )
    shown = [line for line in done.stdout.splitlines() if line.startswith("SHOWN ")]
    log = data_dir / "logs" / "loandesk.log"
    tail = log.read_text(encoding="utf-8")[-3000:] if log.exists() else "(no log)"
    assert done.returncode == 0 and shown, (
        f"exit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr[-3000:]}\nlog: {tail}"
    )
    assert "could not load the qt platform plugin" not in done.stderr.lower()
    return shown[0].split()[1]


def test_gui_shows_setup_then_login_on_xcb(
    frozen_exe: Path, home: Path, new_data_dir: Path, xvfb_display: str
) -> None:
    # a new install: the first screen asks for the administrator
    assert _gui_first_screen(frozen_exe, new_data_dir, home, xvfb_display) == "setup"
    # the administrator is made (source tree, same user's Secret Service) ...
    made = run_with_keyring(
        [sys.executable, "-c", _CREATE_ADMIN, new_data_dir], home, cwd=ROOT, PYTHONPATH=str(ROOT)
    )
    assert made.returncode == 0, made.stderr
    # ... and the packaged app, in a new session, opens the data with the keyring's keys
    assert _gui_first_screen(frozen_exe, new_data_dir, home, xvfb_display) == "login"
    done = run_with_keyring([frozen_exe, "--data-dir", new_data_dir, "check", "--json"], home)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert json.loads(done.stdout)["ok"] is True


# --- the demo is not in the store build --------------------------------------------


def test_demo_says_the_packaged_build_has_no_demo_server(
    frozen_exe: Path, home: Path, new_data_dir: Path
) -> None:
    done = _run_plain(frozen_exe, "--demo", "--data-dir", str(new_data_dir), home=home)
    assert done.returncode == 2
    assert "no demo server" in done.stderr
    assert "Traceback" not in done.stderr


# --- what is (not) in the folder -----------------------------------------------------

_PEM_PRIVATE = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
MAX_FILES = 20_000


def _demo_key_body() -> bytes:
    """A line of the demo issuer's private key (base64), to look for in any form."""
    pem = (ROOT / "resources" / "keys" / "demo_issuer_private.pem").read_bytes()
    body = [line for line in pem.splitlines() if line and not line.startswith(b"-----")]
    return body[0]


def _archive_members(path: Path) -> list[tuple[str, bytes]]:
    """The decompressed contents of PyInstaller's archives (the executable's own archive
    and the PYZ of Python modules) and of zip files, so nothing hides in compression."""
    from PyInstaller.archive.readers import CArchiveReader, ZlibArchiveReader

    members: list[tuple[str, bytes]] = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members += [(f"{path.name}!{n}", zf.read(n)) for n in zf.namelist()[:MAX_FILES]]
        return members
    try:
        carchive = CArchiveReader(str(path))
    except Exception:  # not a PyInstaller executable
        return members
    for name in list(carchive.toc)[:MAX_FILES]:
        data = carchive.extract(name)
        if data is None:
            continue
        members.append((f"{path.name}!{name}", data))
        if carchive.toc[name][-1] == "z":  # the PYZ
            pyz = carchive.open_embedded_archive(name)
            assert isinstance(pyz, ZlibArchiveReader)
            for module in list(pyz.toc)[:MAX_FILES]:
                code = pyz.extract(module, raw=True)
                if code is not None:
                    members.append((f"{name}!{module}", code))
    return members


def test_no_private_key_anywhere_in_the_folder(frozen_dir: Path) -> None:
    files = [
        p for p in sorted(frozen_dir.rglob("*"))[:MAX_FILES] if p.is_file() and not p.is_symlink()
    ]
    assert len(files) < MAX_FILES
    assert any(p.name == "trusted_keys.json" for p in files)  # the public keys are there
    demo_key = _demo_key_body()
    found: list[str] = []
    for path in files:
        name = path.name.lower()
        if name.endswith(("_private.pem", ".key")) or "private" in name and name.endswith(".pem"):
            found.append(f"{path}: private key by name")
        contents = [(str(path), path.read_bytes())]
        if path.name == "LoanDesk" or path.suffix in (".zip", ".pyz", ".exe"):
            contents += _archive_members(path)
        for where, data in contents:
            if _PEM_PRIVATE.search(data) and re.search(
                rb"PRIVATE KEY-----\s*[A-Za-z0-9+/]{40}", data
            ):
                found.append(f"{where}: PEM private key block")
            if demo_key in data:
                found.append(f"{where}: the demo issuer's private key")
    assert not found, found


def test_archives_are_searched_and_hold_no_test_keyring(frozen_exe: Path) -> None:
    """The scan above would miss a key inside the executable's compressed archive if the
    reader found nothing there: it must see the Python modules of the app itself."""
    names = {name.rsplit("!", 1)[-1] for name, _ in _archive_members(frozen_exe)}
    assert {"core.rules.trusted_keys", "ui.app", "main"} <= names
    # nor does the store build carry keyrings for demos and tests, or the server
    assert not names & {
        "core.security.demo_keyring",
        "core.security.memory_keyring",
        "tests.file_keyring",
        "server.demo",
        "server.app",
        "fastapi",
    }


def test_unused_qt_parts_are_left_out(frozen_dir: Path) -> None:
    internal = frozen_dir / "_internal"
    names = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    unwanted = re.compile(
        r"Qt6?(Qml|Quick|VirtualKeyboard|Wayland|WebEngine|Multimedia|Pdf"
        r"|3D|Sql|Network)|/plugins/(wayland|qml|sqldrivers|multimedia|"
        r"virtualkeyboard|platformthemes/libqgtk3)|libgtk-3",
        re.IGNORECASE,
    )
    assert [n for n in names if unwanted.search(n)] == []
    plugins = internal / "PySide6" / "Qt" / "plugins" / "platforms"
    assert {p.name for p in plugins.iterdir()} == {
        "libqxcb.so",
        "libqoffscreen.so",
        "libqminimal.so",
    }
    qt_translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert qt_translations == {"qtbase_zh_CN.qm", "qtbase_en.qm"}
    assert not (internal / "server").exists()
    assert [n for n in names if n.startswith(("fastapi", "uvicorn", "hypothesis", "mypy"))] == []


def test_folder_size_stays_trimmed(frozen_dir: Path) -> None:
    """The untrimmed build was about 214 MB; the store build is about 158 MB on Linux
    (ICU, which QtCore links to, and the rule engine are most of it). A generous bound
    catches a whole Qt module or plugin family creeping back in."""
    size = sum(
        p.stat().st_size for p in frozen_dir.rglob("*") if p.is_file() and not p.is_symlink()
    )
    assert size < 180 * 2**20, f"{size / 2**20:.0f} MB"
