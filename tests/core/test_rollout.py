"""The rollout file: parsing and its problems, environment overrides, precedence, the
automatic enrollment against the real reference server, and what `check` says."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import resolve_paths
from core.context import AppContext, open_context
from core.diagnostics.check import run_checks
from core.rollout import (
    ROLLOUT_FILENAME,
    RolloutConfig,
    check_enrol_values,
    check_item,
    effective_language,
    enroll_by_hand,
    enroll_from_rollout,
    is_enrolled,
    last_outcome,
    load_rollout,
    run_auto_enrolment,
)
from core.sync.http import Timeouts
from tests.helpers.server import RealServer

ROOT = Path(__file__).resolve().parents[2]
FAST = Timeouts(connect=2.0, read=5.0, deadline=8.0)
SECRET = "K7M2-Q9XP-4RTA"
GOOD = f"""; LoanDesk 部署配置（门店 PC）
[loandesk]
server_url = https://central.example.cn/   ; head office
store_code = S001
enrollment_code = {SECRET}
data_dir = data
language = zh-CN
"""


def write(folder: Path, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ROLLOUT_FILENAME
    path.write_bytes(text.encode(encoding))
    return path


def codes(config: RolloutConfig) -> list[str]:
    return [p.code for p in config.problems]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- parsing ---------------------------------------------------------------------------


def test_a_notepad_file_with_a_bom_and_chinese_comments_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD, "utf-8-sig")
    c = load_rollout({}, file=path)
    assert c.problems == () and c.file == path
    assert (c.server_url, c.store_code, c.language) == (
        "https://central.example.cn",
        "S001",
        "zh_CN",
    )
    assert c.enrollment_code == SECRET and c.can_enroll
    assert c.data_dir == (tmp_path / "data").resolve()  # relative: next to the file
    assert c.env_overrides == ()
    assert SECRET not in repr(c) and SECRET not in json.dumps(c.summary())


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_ansi_and_unicode_notepad_files_are_read(tmp_path: Path, encoding: str) -> None:
    c = load_rollout({}, file=write(tmp_path, GOOD, encoding))
    assert c.problems == () and c.store_code == "S001"


def test_a_file_without_a_section_header_is_taken_as_loandesk(tmp_path: Path) -> None:
    c = load_rollout({}, file=write(tmp_path, "data_dir = d\nlanguage = en\n"))
    assert c.problems == () and (c.data_dir, c.language) == ((tmp_path / "d").resolve(), "en")


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        (
            "[loandesk]\nstore_code = S1\nstroe_code = S2\n",
            "ROLLOUT_UNKNOWN_KEY",
            f"{ROLLOUT_FILENAME}: stroe_code",
        ),
        (
            "[loandesk]\nlanguage = en\n[other]\nx = 1\n",
            "ROLLOUT_UNKNOWN_SECTION",
            ROLLOUT_FILENAME,
        ),
        (
            "[loandesk]\nstore_code = S1\nstore_code = S2\n",
            "ROLLOUT_DUPLICATE_KEY",
            f"{ROLLOUT_FILENAME}: store_code",
        ),
        ("[loandesk]\nthis line has no equals sign\n", "ROLLOUT_FILE_SYNTAX", ROLLOUT_FILENAME),
        (
            "[loandesk]\nserver_url = ftp://central\n",
            "ROLLOUT_URL_INVALID",
            f"{ROLLOUT_FILENAME}: server_url",
        ),
        (
            "[loandesk]\nserver_url = https://\n",
            "ROLLOUT_URL_INVALID",
            f"{ROLLOUT_FILENAME}: server_url",
        ),
        ("[loandesk]\nstore_code =\n", "ROLLOUT_VALUE_EMPTY", f"{ROLLOUT_FILENAME}: store_code"),
        (
            "[loandesk]\nstore_code = S 001\n",
            "ROLLOUT_STORE_INVALID",
            f"{ROLLOUT_FILENAME}: store_code",
        ),
        (
            "[loandesk]\nenrollment_code = AB\n",
            "ROLLOUT_CODE_INVALID",
            f"{ROLLOUT_FILENAME}: enrollment_code",
        ),
        (
            "[loandesk]\nlanguage = fr\n",
            "ROLLOUT_LANGUAGE_INVALID",
            f"{ROLLOUT_FILENAME}: language",
        ),
        (
            "[loandesk]\ndata_dir = %NO_SUCH_VARIABLE_HERE%\\LoanDesk\n",
            "ROLLOUT_DATA_DIR_INVALID",
            f"{ROLLOUT_FILENAME}: data_dir",
        ),
        ("[loandesk]\nserver_url = https://c.example.cn\n", "ROLLOUT_INCOMPLETE", ROLLOUT_FILENAME),
    ],
)
def test_each_problem_says_what_and_where(tmp_path: Path, text: str, code: str, where: str) -> None:
    c = load_rollout({}, file=write(tmp_path, text))
    assert code in codes(c), codes(c)
    problem = next(p for p in c.problems if p.code == code)
    assert problem.where == where
    zh, en = problem.text("zh_CN"), problem.text("en")
    assert zh != en and where in zh and where in en and "{" not in zh + en


def test_an_unknown_key_suggests_the_near_one(tmp_path: Path) -> None:
    c = load_rollout({}, file=write(tmp_path, "server = https://x.cn\nlanguge = en\n"))
    texts = [p.text("en") for p in c.problems]
    assert any("did you mean language" in t for t in texts), texts


def test_a_data_folder_that_cannot_be_created_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    c = load_rollout({}, file=write(tmp_path / "cfg", f"data_dir = {tmp_path}/blocker/data\n"))
    assert codes(c) == ["ROLLOUT_DATA_DIR_UNUSABLE"]
    assert "is a file" in c.problems[0].text("en")
    assert not (tmp_path / "blocker" / "data").exists()  # nothing created by reading


def test_undecodable_bytes_are_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir()
    (folder / ROLLOUT_FILENAME).write_bytes(b"\xff\xfe\x00\xd8")  # broken UTF-16
    c = load_rollout({}, file=folder / ROLLOUT_FILENAME)
    assert codes(c) == ["ROLLOUT_FILE_ENCODING"]


def test_notepads_added_txt_is_pointed_out(tmp_path: Path) -> None:
    (tmp_path / f"{ROLLOUT_FILENAME}.txt").write_text(GOOD, encoding="utf-8")
    env = {"LOANDESK_ROLLOUT_FILE": str(tmp_path / ROLLOUT_FILENAME)}
    c = load_rollout(env)
    assert codes(c) == ["ROLLOUT_FILE_MISSING"]  # named by the variable: must exist
    # looked for next to the program: a misnamed file there is pointed out
    c = load_rollout({}, file=tmp_path / ROLLOUT_FILENAME)
    assert codes(c) == ["ROLLOUT_FILE_MISNAMED"] and c.file is None
    assert f"{ROLLOUT_FILENAME}.txt" in c.problems[0].text("en")


def test_environment_overrides_the_file_and_names_only_the_variables(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    env = {
        "LOANDESK_STORE_CODE": "S009",
        "LOANDESK_ENROLL_CODE": "ZZZZ-YYYY-XXXX",
        "LOANDESK_LANG": "en",
        "LOANDESK_SERVER_URL": "http://127.0.0.1:8765",
    }
    c = load_rollout(env, file=path)
    assert c.problems == ()
    assert (c.server_url, c.store_code, c.language) == ("http://127.0.0.1:8765", "S009", "en")
    assert c.enrollment_code == "ZZZZ-YYYY-XXXX"
    assert set(c.env_overrides) == {
        "LOANDESK_STORE_CODE",
        "LOANDESK_ENROLL_CODE",
        "LOANDESK_LANG",
        "LOANDESK_SERVER_URL",
    }
    assert c.sources["data_dir"] == ROLLOUT_FILENAME
    bad = load_rollout({"LOANDESK_LANG": "de"}, file=path)
    assert [p.where for p in bad.problems] == ["environment variable LOANDESK_LANG"]
    # no file at all: the environment alone is enough
    alone = load_rollout(env, file=tmp_path / "none" / ROLLOUT_FILENAME)
    assert alone.file is None and alone.can_enroll


def test_language_precedence(tmp_path: Path) -> None:
    c = load_rollout({"LOANDESK_LANG": "en"}, file=write(tmp_path, GOOD))
    assert effective_language("zh_CN", c) == "zh_CN"  # --lang beats both
    assert effective_language(None, c) == "en"  # the variable beats the file
    assert effective_language(None, load_rollout({}, file=tmp_path / ROLLOUT_FILENAME)) == "zh_CN"


def test_data_folder_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "exe", "[loandesk]\ndata_dir = from-file\n")
    monkeypatch.setenv("LOANDESK_ROLLOUT_FILE", str(path))
    monkeypatch.delenv("LOANDESK_DATA_DIR", raising=False)
    assert resolve_paths().data_dir == (tmp_path / "exe" / "from-file").resolve()
    monkeypatch.setenv("LOANDESK_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_paths().data_dir == (tmp_path / "from-env").resolve()
    assert resolve_paths(tmp_path / "from-cli").data_dir == (tmp_path / "from-cli").resolve()


def test_values_typed_by_hand_are_checked_the_same_way() -> None:
    problems = check_enrol_values("central.example.cn", "", "K7M2")
    assert {(p.key, p.code) for p in problems} == {
        ("server_url", "ROLLOUT_URL_INVALID"),
        ("store_code", "ROLLOUT_VALUE_EMPTY"),
    }
    assert not problems[0].short_text("en").startswith(":")
    assert check_enrol_values("http://127.0.0.1:1", "S1", "ABCD") == []


# --- enrolling against the real server -----------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    with RealServer(tmp_path_factory.mktemp("rollout-server")) as srv:
        yield srv


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "client"))
    yield c
    c.close()


def config_for(tmp_path: Path, server_url: str, store: str, code: str) -> RolloutConfig:
    text = f"server_url = {server_url}\nstore_code = {store}\nenrollment_code = {code}\n"
    return load_rollout({}, file=write(tmp_path / "exe", text))


def test_first_start_enrolls_once_and_check_says_so(
    tmp_path: Path, ctx: AppContext, server: RealServer
) -> None:
    code = server.add_store("R001", "一号店", "北京")
    config = config_for(tmp_path, server.url, "R001", code)
    assert not is_enrolled(ctx)
    outcome = enroll_from_rollout(ctx, config, timeouts=FAST)
    assert outcome.status == "enrolled" and outcome.store_code == "R001", outcome
    assert "R001" in outcome.text("zh_CN") and "一号店" in outcome.text("en")
    assert is_enrolled(ctx) and last_outcome(ctx) == outcome
    audit = ctx.db.execute("SELECT detail FROM audit_log WHERE action = 'enrolled'").fetchall()
    assert len(audit) == 1 and code not in str(audit)
    again = enroll_from_rollout(ctx, config, timeouts=FAST)
    assert again.status == "already_enrolled"
    item = check_item(ctx.paths, config)
    assert item["ok"], item
    assert f"enrolled with {server.url} as store R001" in item["detail"]
    assert code not in json.dumps(item)


def test_a_wrong_code_is_shown_and_never_sent_again_by_itself(
    tmp_path: Path, ctx: AppContext, server: RealServer
) -> None:
    server.add_store("R002")
    config = config_for(tmp_path, server.url, "R002", "WRONG-CODE-0000")
    outcome = enroll_from_rollout(ctx, config, timeouts=FAST)
    assert (outcome.status, outcome.code) == ("failed", "SYNC_ENROLL_REFUSED")
    assert "403" in outcome.text("en") and not is_enrolled(ctx)
    again = enroll_from_rollout(ctx, config, timeouts=FAST)  # e.g. the next start
    assert again.status == "refused_before" and "not tried again" in again.text("en")
    assert last_outcome(ctx) == outcome  # the refusal stays what check reports
    item = check_item(ctx.paths, config)
    assert not item["ok"] and "failed" in item["detail"] and "WRONG-CODE" not in item["detail"]
    # IT corrects the code in the file: the next start tries it
    good = config_for(tmp_path, server.url, "R002", server.add_store("R002"))
    assert enroll_from_rollout(ctx, good, timeouts=FAST).status == "enrolled"
    assert check_item(ctx.paths, good)["ok"]


def test_an_unreachable_server_is_an_outcome_and_tried_at_the_next_start(
    tmp_path: Path, ctx: AppContext
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    config = config_for(tmp_path, url, "R003", SECRET)
    outcome = enroll_from_rollout(ctx, config, timeouts=FAST)
    assert (outcome.status, outcome.code) == ("failed", "SYNC_UNREACHABLE"), outcome
    assert enroll_from_rollout(ctx, config, timeouts=FAST).status == "failed"  # tried again
    item = check_item(ctx.paths, config)
    assert not item["ok"] and "does not answer" in item["detail"]
    assert SECRET not in json.dumps(item)


def test_a_bad_url_is_not_tried_and_a_bad_url_typed_by_hand_is_refused(
    tmp_path: Path, ctx: AppContext
) -> None:
    config = config_for(tmp_path, "central.example.cn", "R004", SECRET)
    outcome = enroll_from_rollout(ctx, config)
    assert outcome.status == "not_attempted" and "server address" in outcome.text("en")
    by_hand = enroll_by_hand(ctx, "ftp://central.example.cn", "R004", SECRET)
    assert (by_hand.status, by_hand.code) == ("failed", "SYNC_SERVER_URL_INVALID")
    assert not check_item(ctx.paths, config)["ok"]


def test_nothing_configured_does_nothing(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "client")
    config = load_rollout({}, file=tmp_path / "none.ini")
    assert run_auto_enrolment(paths, config).status == "not_configured"
    item = check_item(paths, config)
    assert item["ok"] and "no rollout file" in item["detail"] and "not enrolled" in item["detail"]


def test_check_command_reports_the_rollout_item(tmp_path: Path, shared_keyring: object) -> None:
    path = write(
        tmp_path / "exe",
        f"server_url = http://127.0.0.1:{closed_port()}\n"
        f"store_code = R005\nenrollment_code = {SECRET}\nlanguage = fr\n",
    )
    env_file = {"LOANDESK_ROLLOUT_FILE": str(path), "LOANDESK_STORE_CODE": "R006"}
    done = subprocess.run(
        [sys.executable, "main.py", "check", "--json", "--data-dir", str(tmp_path / "d")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **env_file},
    )
    assert done.returncode == 1, done.stderr
    assert SECRET not in done.stdout + done.stderr
    report = json.loads(done.stdout)
    item = next(c for c in report["checks"] if c["name"] == "rollout")
    assert not item["ok"]
    assert str(path) in item["detail"] and "LOANDESK_STORE_CODE" in item["detail"]
    assert "language" in item["detail"] and "does not answer" in item["detail"]
    assert item["rollout"]["enrollment_code_set"] is True
    assert item["rollout"]["problems"][0]["code"] == "ROLLOUT_LANGUAGE_INVALID"


def test_run_checks_has_a_rollout_item(tmp_path: Path) -> None:
    report = run_checks(resolve_paths(tmp_path / "d"))
    assert "rollout" in {c["name"] for c in report["checks"]}


def test_headless_sync_enrolls_from_the_rollout_file_first(
    tmp_path: Path, server: RealServer
) -> None:
    code = server.add_store("R007")
    path = write(
        tmp_path / "exe",
        f"server_url = {server.url}\nstore_code = R007\nenrollment_code = {code}\n",
    )
    done = subprocess.run(
        [sys.executable, "main.py", "sync", "--once", "--data-dir", str(tmp_path / "d")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "LOANDESK_ROLLOUT_FILE": str(path), "LOANDESK_LANG": "en"},
    )
    assert done.returncode == 0, done.stderr
    assert "enrolled with" in done.stderr and "R007" in done.stderr
    assert code not in done.stdout + done.stderr
