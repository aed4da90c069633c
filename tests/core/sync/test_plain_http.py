"""Plain ``http://`` is refused for any host but this PC itself: the device token and
customers' personal data never travel unencrypted. Enrolment (by hand, from the
rollout file), every sync call and ``check`` say why, in Chinese and English.

192.0.2.1 is TEST-NET-1 (never routed): a refusal comes at once with its own code,
where before the fix the client tried to connect and reported the server unreachable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.context import AppContext
from core.diagnostics.check import run_checks
from core.rollout import check_enrol_values, enroll_by_hand, load_rollout
from core.store.sync_repo import SyncRepo
from core.sync import state_keys
from core.sync.errors import SyncError
from core.sync.http import SyncHttp, Timeouts
from core.sync.plain_http import plain_http_refused
from tests.core.sync.fake_central import FakeCentral

REMOTE = "http://192.0.2.1:8765"
QUICK = Timeouts(connect=1.0, read=1.0, deadline=2.0)
CODE = "SYNC_PLAIN_HTTP_REFUSED"


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://192.0.2.1:8765", True),
        ("http://central.example.cn", True),
        ("HTTP://Central.Example.CN/api", True),
        ("http://10.0.0.5", True),
        ("http://127.0.0.1:8765", False),
        ("http://127.8.9.10", False),
        ("http://localhost:8765", False),
        ("http://[::1]:8765", False),
        ("https://central.example.cn", False),
    ],
)
def test_plain_http_is_refused_except_to_loopback(url: str, refused: bool) -> None:
    assert plain_http_refused(url) is refused


def test_a_sync_call_to_a_remote_plain_http_server_is_never_sent() -> None:
    with SyncHttp(REMOTE, token="secret-token", timeouts=QUICK) as http:
        answer = http.get("/v1/health", None)
    assert (answer.kind, answer.code) == ("not_sent", CODE)


def test_enrolling_over_plain_http_is_refused_with_a_reason(ctx: AppContext) -> None:
    assert ctx.sync is not None
    with pytest.raises(SyncError) as err:
        ctx.sync.enroll(REMOTE, "S001", "CODE-1234", timeouts=QUICK)
    assert err.value.code == CODE
    en, zh = err.value.text("en"), err.value.text("zh_CN")
    assert "https://" in en and "unencrypted" in en and REMOTE in en
    assert "https://" in zh and "明文" in zh
    outcome = enroll_by_hand(ctx, REMOTE, "S001", "CODE-1234", timeouts=QUICK)
    assert (outcome.status, outcome.code) == ("failed", CODE)


def test_the_rollout_file_and_the_first_run_screen_refuse_it(tmp_path: Path) -> None:
    ini = tmp_path / "loandesk-rollout.ini"
    ini.write_text(
        f"server_url = {REMOTE}\nstore_code = S001\nenrollment_code = K7M2-Q9XP-4RTA\n",
        encoding="utf-8",
    )
    config = load_rollout({}, file=ini)
    assert [p.code for p in config.problems] == ["ROLLOUT_URL_PLAIN_HTTP"]
    assert "https://" in config.problems[0].text("en")
    assert "https://" in config.problems[0].text("zh_CN")
    typed = check_enrol_values(REMOTE, "S001", "K7M2-Q9XP-4RTA")
    assert [p.code for p in typed] == ["ROLLOUT_URL_PLAIN_HTTP"]
    assert check_enrol_values("http://127.0.0.1:8765", "S001", "K7M2-Q9XP-4RTA") == []


def test_check_warns_about_an_enrolment_over_plain_http(
    ctx: AppContext, central: FakeCentral
) -> None:
    """A PC enrolled before this rule (or its database edited) syncs with nothing and
    ``check`` says why."""
    assert ctx.sync is not None
    ctx.sync.enroll(central.url, "S001", "CODE-1234", timeouts=QUICK)
    with ctx.db.atomic():
        SyncRepo(ctx.db).state_set(state_keys.SERVER_URL, REMOTE)
    report = ctx.sync.sync_once(timeouts=QUICK)
    assert CODE in str(report.to_json("en")), report.to_json("en")
    item = next(c for c in run_checks(ctx.paths)["checks"] if c["name"] == "sync")
    assert item["ok"] is False and "plain http://" in item["detail"], item
