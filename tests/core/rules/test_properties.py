"""Whatever arrives (from a USB stick, a flaky server), parse_pack answers PackError."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules import PackError, parse_pack, sign_pack
from tests.core.rules.conftest import SRC

_SETTINGS = settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_SOURCE: dict[str, Any] = json.loads(SRC.read_text(encoding="utf-8"))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["< 18", "(0..1]", "DECLINE", "REFER", "2026-01-01T00:00:00Z", "0.5"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _paths(v, (*prefix, i))
    return found


PATHS = _paths(_SOURCE)


def _only_pack_errors(data: bytes, keys) -> None:
    try:
        pack = parse_pack(data, keys)
    except PackError:
        return
    for scenario in pack.scenarios:  # a pack that parses must also evaluate
        with contextlib.suppress(PackError):
            assert isinstance(pack.evaluate(scenario, {"age": 30, "pti": 0.2}), list)


@_SETTINGS
@given(data=st.binary(max_size=600))
def test_random_bytes(keys, data: bytes) -> None:
    _only_pack_errors(data, keys)


@_SETTINGS
@given(text=st.text(alphabet='{}[]":,0123456789.-eEtrufalsn \\', max_size=200))
def test_random_json_like_text(keys, text: str) -> None:
    _only_pack_errors(text.encode(), keys)


@_SETTINGS
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(0, 255), st.sampled_from("rid")),
        min_size=1,
        max_size=4,
    )
)
def test_random_byte_edits_of_a_signed_pack(keys, make_pack, edits) -> None:
    data = bytearray(make_pack())
    for pos, value, op in edits:
        i = pos % len(data)
        if op == "r":
            data[i] = value
        elif op == "i":
            data.insert(i, value)
        else:
            del data[i]
    _only_pack_errors(bytes(data), keys)


@_SETTINGS
@given(
    path=st.sampled_from(PATHS),
    action=st.sampled_from(["set", "delete"]),
    value=json_values,
)
def test_random_edits_of_the_content_then_signed(keys, issuer, path, action, value) -> None:
    """Signed, so the shape and decision checks are what must hold the line."""
    doc = copy.deepcopy(_SOURCE)
    node = doc
    for step in path[:-1]:
        node = node[step]
    if action == "delete":
        del node[path[-1]]
    else:
        node[path[-1]] = value
    _only_pack_errors(sign_pack(doc, issuer), keys)
