"""The diagnostics zip: logs, checks, build and settings for IT, and no personal data —
on a real data folder with seeded customers, a database and logs with activity."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.config import Paths, resolve_paths
from core.context import AppContext, open_context
from core.demo_data import seed_demo
from core.diagnostics.about import about_info, crash_check, set_aside_previous_crash
from core.diagnostics.export import (
    SQLITE_MAGIC,
    DiagnosticsExportError,
    ExportSummary,
    export_diagnostics,
    full_report,
    record_export,
    report_text,
    scrub_text,
)
from core.logs import LOG_FILENAME, setup_logging
from core.models import ListQuery

ROOT = Path(__file__).resolve().parents[2]
PLANTED_ID = "11010519491231002X"  # valid checksum, not a seeded customer
PLANTED_PHONE = "13912345678"


@pytest.fixture
def logged(data_dir: Path) -> Iterator[Paths]:
    """A data folder whose log file gets this process's "loandesk" records."""
    paths = resolve_paths(data_dir).ensure()
    setup_logging(paths.logs)
    yield paths
    root = logging.getLogger("loandesk")
    for handler in [h for h in root.handlers if getattr(h, "_loandesk", False)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def seeded(logged: Paths) -> Iterator[AppContext]:
    ctx = open_context(logged)
    seed_demo(ctx.applications, 40, 11, ctx.clock.now(), salespeople=3)
    yield ctx
    ctx.close()


def _customers(ctx: AppContext) -> dict[str, set[str]]:
    """The seeded customers' ID numbers, phones and names, through the app's own service
    (reveal is the admin's recorded look; the system account is an admin)."""
    found: dict[str, set[str]] = {"id": set(), "phone": set(), "name": set()}
    for row in ctx.applications.page(ListQuery(), 0, 1000):
        found["id"].add(ctx.applications.reveal(row.id, "id_number"))
        found["phone"].add(ctx.applications.reveal(row.id, "phone"))
        found["name"].add(ctx.applications.detail(row.id).customer.name)
    assert len(found["id"]) >= 30 and all(len(n) >= 2 for n in found["name"])
    return found


def _members(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def test_the_zip_has_what_it_needs_and_no_personal_data(seeded: AppContext, tmp_path: Path) -> None:
    ctx, paths = seeded, seeded.paths
    people = _customers(ctx)
    some_id, some_phone = sorted(people["id"])[0], sorted(people["phone"])[0]
    some_name = sorted(people["name"])[0]
    # activity through the real logger: scrubbed by core.logs on the way in
    logging.getLogger("loandesk.test").warning("lookup for %s failed", some_id)
    # ... and lines that bypassed it, as an older build or a careless handler might write
    log_file = paths.logs / LOG_FILENAME
    with open(log_file, "a", encoding="utf-8") as f:
        f.write(
            f"2026-01-01 10:00:00 ERROR loandesk.x [1] PLANTED {PLANTED_ID} {PLANTED_PHONE} "
            f"{some_name} {some_id} {some_phone}\n"
        )
    (paths.logs / f"{LOG_FILENAME}.1").write_text(
        f"older PLANTED-ROTATED {some_phone} {some_name}\n", encoding="utf-8"
    )
    (paths.logs / "crash.log").write_text(
        f'Fatal Python error: Segmentation fault\n  File "x.py" ({some_id})\n', encoding="utf-8"
    )
    set_aside_previous_crash(paths.logs)
    shutil.copyfile(paths.database, paths.logs / f"{LOG_FILENAME}.4")  # a database in disguise
    (paths.data_dir / "loandesk-audit-checkpoint.json").touch()

    out = tmp_path / "out" / "diag.zip"
    out.parent.mkdir()
    summary: list[ExportSummary] = []
    assert export_diagnostics(paths, out, record=summary.append) == out
    assert [p.name for p in out.parent.iterdir()] == ["diag.zip"]  # no .part left behind

    members = _members(out)
    assert {
        "README.txt",
        "check.json",
        "check.txt",
        "build.json",
        "environment.json",
        "settings.json",
        "files.txt",
        f"logs/{LOG_FILENAME}",
        f"logs/{LOG_FILENAME}.1",
    } <= set(members)
    assert any(n.startswith("logs/crash-") for n in members)
    assert f"logs/{LOG_FILENAME}.4" not in members and summary[0].skipped == [f"{LOG_FILENAME}.4"]
    assert not any(
        n.endswith((".db", ".db-wal", "checkpoint.json")) or "backups" in n for n in members
    )
    for name, data in members.items():
        assert SQLITE_MAGIC[:15] not in data, name
        text = data.decode("utf-8")
        for kind, values in people.items():
            leaked = [v for v in values if v in text]
            assert not leaked, (name, kind, leaked)
        assert PLANTED_ID not in text and PLANTED_PHONE not in text, name
    logs = members[f"logs/{LOG_FILENAME}"].decode()
    assert "installed rule pack" in logs  # the activity is there ...
    assert "PLANTED [ID] [PHONE] [CJK] [ID] [PHONE]" in logs  # ... the personal data is not
    assert "lookup for [ID] failed" in logs
    assert "PLANTED-ROTATED [PHONE] [CJK]" in members[f"logs/{LOG_FILENAME}.1"].decode()
    assert summary[0].scrubbed >= 7

    report = json.loads(members["check.json"])
    names = [c["name"] for c in report["checks"]]
    assert {"database", "records", "personal data", "hard crashes"} <= set(names)
    assert members["check.txt"].decode() == report_text(report)
    assert "[OK  ] records: 40 applications" in members["check.txt"].decode()
    assert json.loads(members["build.json"])["version"]
    env = json.loads(members["environment.json"])
    assert env["python"].startswith(sys.version.split()[0]) and env["os"]
    settings = json.loads(members["settings.json"])
    assert settings["store_code"] == "LOCAL" and settings["retention_days"] == 180
    files = members["files.txt"].decode()
    assert "loandesk.db" in files and f"logs/{LOG_FILENAME}" in files  # names and sizes only
    assert "loandesk-audit-checkpoint.json" in files


def test_the_export_is_recorded_before_the_file_takes_its_name(
    seeded: AppContext, tmp_path: Path
) -> None:
    ctx = seeded
    out = tmp_path / "diag.zip"

    def record(summary: ExportSummary) -> None:
        assert not out.exists()
        record_export(ctx.db, ctx.applications.actor, ctx.clock, summary)

    export_diagnostics(ctx.paths, out, report={"ok": True, "checks": []}, record=record)
    rows = ctx.db.execute(
        "SELECT operator_id, detail FROM audit_log WHERE action = 'exported'"
    ).fetchall()
    assert len(rows) == 1 and rows[0][0] == ctx.applications.actor.operator_id
    assert json.loads(rows[0][1])["kind"] == "diagnostics"


def test_a_failed_export_leaves_no_file(logged: Paths, tmp_path: Path) -> None:
    with pytest.raises(DiagnosticsExportError) as caught:
        export_diagnostics(
            logged, tmp_path / "missing" / "diag.zip", report={"ok": True, "checks": []}
        )
    assert caught.value.code == "DIAGNOSTICS_EXPORT_FAILED" and caught.value.params["detail"]

    def refuse(_summary: ExportSummary) -> None:
        raise RuntimeError("the audit log is not writable")

    with pytest.raises(RuntimeError):
        export_diagnostics(
            logged, tmp_path / "diag.zip", report={"ok": True, "checks": []}, record=refuse
        )
    assert list(tmp_path.glob("*diag.zip*")) == []


def test_scrub_text_catches_ids_phones_and_chinese() -> None:
    text, count = scrub_text(f"x {PLANTED_ID} y {PLANTED_PHONE} 阿卜杜热合曼·买买提 z 20261203")
    assert text == "x [ID] y [PHONE] [CJK] z 20261203" and count == 3


def test_full_report_adds_the_hard_crash_item(logged: Paths) -> None:
    assert crash_check(logged)["detail"] == "none recorded"
    (logged.logs / "crash.log").write_text("Fatal Python error: Aborted\n", encoding="utf-8")
    moved = set_aside_previous_crash(logged.logs, datetime(2026, 12, 3, 10, 0, tzinfo=UTC))
    assert moved is not None and moved.path.name.startswith("crash-20261203-")
    assert (logged.logs / "crash.log").exists() is False
    assert "an earlier run ended in a hard crash" in (logged.logs / LOG_FILENAME).read_text()
    item = full_report(logged)["checks"][-1]
    assert item["name"] == "hard crashes" and moved.path.name in item["detail"]


def test_about_reads_through_the_services(seeded: AppContext) -> None:
    info = about_info(seeded, "en")
    assert info.data_dir == seeded.paths.data_dir
    assert info.log_file == seeded.paths.logs / LOG_FILENAME
    assert info.rule_pack is not None and info.rule_pack.pack_id == "cn-retail"
    assert (info.store_code, info.enrolled, info.last_sync_at) == ("LOCAL", False, None)
    assert info.sync_result.startswith("not enrolled")
    assert info.last_crash is None
    assert json.loads(json.dumps(info.to_json()))["rule_pack"]["id"] == "cn-retail"


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args, "--data-dir", str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_export_diagnostics(tmp_path: Path, shared_keyring: object) -> None:
    data = tmp_path / "data"
    seeded = _cli("seed-demo", "--count", "20", data_dir=data)
    assert seeded.returncode == 0, seeded.stderr
    out = tmp_path / "diag.zip"
    done = _cli("export-diagnostics", "--out", str(out), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "recorded in the audit log" in done.stdout
    members = _members(out)
    assert "check.txt" in members and f"logs/{LOG_FILENAME}" in members
    assert "seed-demo" in members[f"logs/{LOG_FILENAME}"].decode()  # the earlier run's log
    assert not any(SQLITE_MAGIC[:15] in data for data in members.values())

    usage = _cli("export-diagnostics", data_dir=data)
    assert usage.returncode == 2 and "--out" in usage.stderr
    blocked = _cli(
        "export-diagnostics", "--lang", "en", "--out", str(tmp_path / "no" / "d.zip"), data_dir=data
    )
    assert blocked.returncode == 1 and "no file was made" in blocked.stderr
