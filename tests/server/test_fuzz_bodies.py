"""Hypothesis against the real server's batch and heartbeat endpoints: whatever a
broken or hostile PC sends, the answer is never a 5xx, malformed data is never
``retry`` (a poison item sent for ever), and every refusal carries a code."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.sync.wire import canonical_json
from tests.helpers.server import RealServer
from tests.server.conftest import Device
from tests.server.payloads import item, payload

SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure can be replayed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

NASTY: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(
        [
            2**63,
            2**70,
            -(2**63) - 1,
            -1,
            0,
            10**300,
            1e308,
            float("inf"),
            float("-inf"),
            "1e-999999",
            "1e999999",
            "NaN",
            "abc",
            "",
            "\ud800",
            "张\udfff三",
            "\x00",
            " " * 3000,
            None,
            True,
            [],
            {},
            [[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]],
        ]
    ),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.lists(st.integers(), max_size=3),
)

CODED = {"created", "updated", "duplicate", "conflict", "invalid"}


@pytest.fixture(scope="module")
def fuzz_device(server: RealServer) -> Iterator[Device]:
    dev = Device(server, "FUZZ", "fuzz-pc")
    yield dev
    dev.close()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _send(device: Device, path: str, body: Any) -> Any:
    data = json.dumps(body, ensure_ascii=True).encode("ascii")  # Infinity, "\ud800" as sent
    return device.post(path, data=data, headers={"Content-Type": "application/json"})


def _sha(body: Any) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8", "surrogatepass")).hexdigest()


def _assert_coded(reply: Any) -> None:
    assert reply.status_code < 500, reply.text
    if reply.status_code != 200:
        error = reply.json()["error"]
        assert error["code"] and error["message"], reply.text


BASE = payload("FUZZ")


@SETTINGS
@given(
    mutations=st.lists(st.tuples(st.sampled_from(_paths(BASE)), NASTY), min_size=1, max_size=3),
    item_field=st.one_of(
        st.just(None),
        st.just(None),
        st.just(None),
        st.tuples(st.sampled_from(["op_id", "base_rev", "op", "payload_sha256"]), NASTY),
    ),
    right_sha=st.sampled_from([True, True, True, False]),
)
def test_batch_never_5xx_never_retry_for_bad_data(
    fuzz_device: Device,
    mutations: list[tuple[tuple[Any, ...], Any]],
    item_field: tuple[str, Any] | None,
    right_sha: bool,
) -> None:
    body = copy.deepcopy(payload("FUZZ"))
    for path, value in mutations:
        try:
            _set(body, path, copy.deepcopy(value))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation replaced a parent
    one = item(body, sha=_sha(body) if right_sha else "0" * 64)
    if item_field is not None:
        one[item_field[0]] = item_field[1]
    reply = _send(fuzz_device, "/applications/batch", {"items": [one]})
    _assert_coded(reply)
    if reply.status_code == 200:
        (result,) = reply.json()["results"]
        assert result["status"] in CODED, result
        if result["status"] == "invalid":
            assert result["reasons"] and all(r["code"] for r in result["reasons"]), result


HEARTBEAT = {
    "queue_size": 1,
    "last_sync_at": None,
    "pack_version": 1,
    "app_version": "0.1.0",
    "client_time": "2026-03-01T10:00:00+08:00",
}


@SETTINGS
@given(
    changes=st.dictionaries(st.sampled_from([*HEARTBEAT, "extra"]), NASTY, min_size=1, max_size=4),
    whole=st.one_of(st.none(), NASTY),
)
def test_heartbeat_never_5xx(fuzz_device: Device, changes: dict[str, Any], whole: Any) -> None:
    body: Any = {**HEARTBEAT, **changes} if whole is None else whole
    reply = _send(fuzz_device, "/devices/heartbeat", body)
    _assert_coded(reply)
    assert reply.status_code in (200, 400, 422), reply.text
