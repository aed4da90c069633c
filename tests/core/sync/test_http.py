"""The HTTP client sorts every outcome the way docs/sync-protocol.md's table says, against a real
server on 127.0.0.1 (no mocking of requests)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from core.sync import wire
from core.sync.http import SyncHttp, Timeouts, parse_retry_after
from tests.core.sync.scripted import Reply, ScriptedServer

HEALTH = {
    "status": "ok",
    "server_time": "2026-11-27T10:00:00Z",
    "server_epoch": "e1",
    "version": "1",
}


@pytest.fixture
def srv() -> Iterator[ScriptedServer]:
    s = ScriptedServer()
    yield s
    s.close()


@pytest.fixture
def http(srv: ScriptedServer) -> Iterator[SyncHttp]:
    client = SyncHttp(srv.url, token="t0k", timeouts=Timeouts(connect=2, read=1.0, deadline=2.5))
    yield client
    client.close()


def _answer(srv: ScriptedServer, http: SyncHttp, reply: Reply) -> object:
    srv.queue("GET", "/v1/health", reply)
    return http.get("/v1/health", wire.Health)


@pytest.mark.parametrize(
    ("status", "headers", "kind", "retry_after"),
    [
        (400, {}, "bad_request", None),
        (422, {}, "bad_request", None),
        (401, {}, "unauthorized", None),
        (403, {}, "forbidden", None),
        (404, {}, "not_found", None),
        (408, {}, "unknown", None),
        (410, {}, "gone", None),
        (413, {}, "too_large", None),
        (429, {"Retry-After": "7"}, "retry_after", 7.0),
        (429, {}, "retry_after", None),
        (500, {}, "server_error", None),
        (502, {}, "unknown", None),
        (503, {"Retry-After": "3"}, "retry_after", 3.0),
        (503, {}, "server_error", None),
        (504, {}, "unknown", None),
    ],
)
def test_status_codes_are_classified(
    srv: ScriptedServer,
    http: SyncHttp,
    status: int,
    headers: dict[str, str],
    kind: str,
    retry_after: float | None,
) -> None:
    body = {"error": {"code": "X", "message": "why"}}
    answer = _answer(srv, http, Reply(status, body, headers))
    assert answer.kind == kind, answer  # type: ignore[attr-defined]
    assert answer.status == status  # type: ignore[attr-defined]
    assert answer.retry_after == retry_after  # type: ignore[attr-defined]
    assert answer.value is None  # type: ignore[attr-defined]


def test_ok_is_validated_and_the_date_header_gives_the_clock_offset(
    srv: ScriptedServer, http: SyncHttp
) -> None:
    ahead = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)
    answer = _answer(srv, http, Reply(200, HEALTH, {"Date": format_datetime(ahead, True)}))
    assert answer.kind == "ok" and answer.value == wire.Health(**HEALTH)  # type: ignore
    assert answer.server_date == ahead  # type: ignore[attr-defined]
    assert 598 < answer.clock_offset_s() < 601  # type: ignore[attr-defined]
    sent = srv.requests[-1]
    assert sent.headers["Authorization"] == "Bearer t0k"
    assert sent.headers["User-Agent"].startswith("LoanDesk/")


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"status": "ok"}',
        b"[]",
        b'{"status": "down", "server_time": "x", "server_epoch": "e", "version": "1"}',
    ],
)
def test_malformed_or_invalid_bodies_are_unknown(
    srv: ScriptedServer, http: SyncHttp, body: bytes
) -> None:
    answer = _answer(srv, http, Reply(200, body))
    assert answer.kind == "unknown"  # type: ignore[attr-defined]
    assert answer.code == "SYNC_MALFORMED_RESPONSE"  # type: ignore[attr-defined]


def test_truncated_body_and_reset_are_unknown(srv: ScriptedServer, http: SyncHttp) -> None:
    truncated = _answer(srv, http, Reply(200, HEALTH, action="truncate"))
    assert truncated.kind == "unknown"  # type: ignore[attr-defined]
    closed = _answer(srv, http, Reply(200, HEALTH, action="close"))
    assert closed.kind == "unknown"  # type: ignore[attr-defined]


def test_read_timeout_is_unknown(srv: ScriptedServer, http: SyncHttp) -> None:
    answer = _answer(srv, http, Reply(200, HEALTH, action="stall", delay=2.0))
    assert answer.kind == "unknown"  # type: ignore[attr-defined]


def test_a_reply_dripping_one_byte_at_a_time_stops_at_the_deadline(
    srv: ScriptedServer, http: SyncHttp
) -> None:
    """Each byte comes well within the read timeout; only the overall deadline helps."""
    answer = _answer(srv, http, Reply(200, HEALTH, action="drip", delay=0.3))
    assert answer.kind == "unknown", answer  # type: ignore[attr-defined]
    # the deadline ended it, not the end of the ~30 s drip
    assert "deadline passed" in answer.detail, answer  # type: ignore[attr-defined]
    # the client is still usable afterwards
    assert _answer(srv, http, Reply(200, HEALTH)).kind == "ok"  # type: ignore[attr-defined]


def test_headers_dripping_one_byte_at_a_time_stop_at_the_deadline(
    srv: ScriptedServer, http: SyncHttp
) -> None:
    answer = _answer(srv, http, Reply(200, HEALTH, action="drip_head", delay=0.3))
    assert answer.kind == "unknown", answer  # type: ignore[attr-defined]
    assert "deadline passed" in answer.detail, answer  # type: ignore[attr-defined]


def test_connection_refused_is_not_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: refused
        with SyncHttp(f"http://127.0.0.1:{port}", timeouts=Timeouts(1, 1, 2)) as client:
            answer = client.get("/v1/health", wire.Health)
    assert (answer.kind, answer.code) == ("not_sent", "SYNC_UNREACHABLE")
    assert "refused" in answer.detail


def test_dns_failure_is_not_sent() -> None:
    with SyncHttp("https://loandesk-test.invalid", timeouts=Timeouts(2, 2, 4)) as client:
        answer = client.get("/v1/health", wire.Health)
    assert answer.kind == "not_sent"


def test_https_verification_stays_on(srv: ScriptedServer) -> None:
    client = SyncHttp("https://127.0.0.1:1", ca_bundle="/nonexistent/ca.pem")
    try:
        assert client._session.verify == "/nonexistent/ca.pem"
    finally:
        client.close()
    with SyncHttp(srv.url) as plain:
        assert plain._session.verify is True


def test_retry_after_parsing() -> None:
    now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(" 5 ", now) == 5.0
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("99999999", now) == 24 * 3600.0
