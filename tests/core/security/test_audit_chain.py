"""Hash-chained audit rows: a good chain passes; changes, deletions, reordering and a cut
tail are each found at the right seq; a chain cannot be re-made without the key."""

from __future__ import annotations

from typing import Any

import pytest

from core import i18n
from core.security.audit_chain import (
    GENESIS,
    canonical_json,
    chain_key,
    row_hash,
    verify_chain,
)
from core.security.keyring_store import generate_keys

KEY = chain_key(generate_keys())
Row = dict[str, Any]


def make_chain(count: int, key: bytes | None = KEY, *, with_prev: bool = True) -> list[Row]:
    rows: list[Row] = []
    prev = GENESIS
    for seq in range(1, count + 1):
        row: Row = {
            "seq": seq,
            "at": f"2026-11-27T10:{seq:02d}:00.000+00:00",
            "operator_id": "op-1",
            "action": "status:draft->queued" if seq % 2 else "reveal:id_number",
            "target": f"app-{seq}",
            "detail": "门店 0001" if seq == 3 else None,
        }
        if with_prev:
            row["prev_hash"] = prev
        row["hash"] = prev = row_hash(prev, row, key=key)
        rows.append(row)
    return rows


def test_good_chain() -> None:
    rows = make_chain(6)
    report = verify_chain(rows, KEY)
    assert report.ok and report.checked == 6 and report.reason is None
    assert (report.last_seq, report.last_hash) == (6, rows[-1]["hash"])
    assert report.code == "SECURITY_AUDIT_OK"
    assert "6" in i18n.translate(report.code, "zh_CN", **report.params())
    assert verify_chain(rows, KEY, checkpoint=(6, rows[-1]["hash"])).ok
    assert verify_chain(rows, KEY, checkpoint=(4, rows[3]["hash"])).ok
    assert verify_chain([], KEY).ok


@pytest.mark.parametrize("with_prev", [True, False])
def test_changed_field_found_at_its_seq(with_prev: bool) -> None:
    rows = make_chain(6, with_prev=with_prev)
    rows[3]["target"] = "app-999"
    report = verify_chain(rows, KEY)
    assert (report.ok, report.first_bad_seq, report.reason) == (False, 4, "changed")
    assert (report.checked, report.last_seq) == (3, 3)
    assert report.code == "SECURITY_AUDIT_CHANGED"
    assert i18n.translate(report.code, "en", **report.params()) == "Audit log row 4 was changed"


def test_added_field_and_rehash_without_key_are_found() -> None:
    rows = make_chain(5)
    rows[1]["note"] = "x"
    assert verify_chain(rows, KEY).first_bad_seq == 2
    rows = make_chain(5)
    rows[2]["action"] = "nothing"
    rows[2]["hash"] = row_hash(rows[2]["prev_hash"], rows[2])  # an attacker without the key
    report = verify_chain(rows, KEY)
    assert (report.first_bad_seq, report.reason) == (3, "changed")


def test_deleted_middle_row() -> None:
    rows = make_chain(6)
    del rows[2]
    report = verify_chain(rows, KEY)
    assert (report.ok, report.first_bad_seq, report.reason) == (False, 3, "deleted")
    assert i18n.translate(report.code, "zh_CN", **report.params()) == "审计日志第 3 条被删除"


def test_replaced_predecessor_shows_as_prev_hash_mismatch() -> None:
    # An unkeyed chain lets an attacker re-hash a row, but the next row still names
    # the original predecessor in prev_hash.
    rows = make_chain(5, key=None)
    forged = {k: v for k, v in rows[1].items() if k != "hash"} | {"action": "forged"}
    forged["hash"] = row_hash(forged["prev_hash"], forged)
    rows[1] = forged
    report = verify_chain(rows, None)
    assert (report.first_bad_seq, report.reason) == (2, "deleted")


def test_reordered_rows() -> None:
    rows = make_chain(6)
    rows[2], rows[4] = rows[4], rows[2]
    report = verify_chain(rows, KEY)
    assert (report.ok, report.first_bad_seq, report.reason) == (False, 3, "reordered")
    rows = make_chain(6)
    rows[3], rows[4] = rows[4], rows[3]
    assert verify_chain(rows, KEY).first_bad_seq == 4


def test_swapped_contents_with_seqs_kept_are_changes() -> None:
    rows = make_chain(6)
    for field in ("action", "target", "at"):
        rows[1][field], rows[2][field] = rows[2][field], rows[1][field]
    report = verify_chain(rows, KEY)
    assert (report.first_bad_seq, report.reason) == (2, "changed")


def test_duplicated_row() -> None:
    rows = make_chain(4)
    rows.insert(2, dict(rows[1]))
    report = verify_chain(rows, KEY)
    assert (report.first_bad_seq, report.reason) == (2, "changed")


def test_tail_truncation_needs_a_checkpoint() -> None:
    rows = make_chain(8)
    checkpoint = (8, rows[-1]["hash"])
    cut = rows[:5]
    assert verify_chain(cut, KEY).ok  # a shorter chain is valid on its own
    report = verify_chain(cut, KEY, checkpoint=checkpoint)
    assert (report.ok, report.first_bad_seq, report.reason) == (False, 6, "truncated")
    assert report.checked == 5
    assert "第 6 条起" in i18n.translate(report.code, "zh_CN", **report.params())
    everything_gone = verify_chain([], KEY, checkpoint=checkpoint)
    assert (everything_gone.first_bad_seq, everything_gone.reason) == (1, "truncated")


def test_checkpoint_hash_must_match() -> None:
    rows = make_chain(5)
    report = verify_chain(rows, KEY, checkpoint=(3, "f" * 64))
    assert (report.first_bad_seq, report.reason) == (3, "changed")


def test_wrong_key_fails_at_the_first_row() -> None:
    rows = make_chain(4)
    other = chain_key(generate_keys())
    report = verify_chain(rows, other)
    assert (report.ok, report.first_bad_seq, report.reason) == (False, 1, "changed")
    assert not verify_chain(rows, None).ok
    assert verify_chain(make_chain(4, key=None), None).ok


def test_incremental_check_after_a_trusted_row() -> None:
    rows = make_chain(7)
    report = verify_chain(rows[4:], KEY, after=(4, rows[3]["hash"]))
    assert report.ok and report.checked == 3 and report.last_seq == 7
    assert not verify_chain(rows[4:], KEY, after=(4, rows[2]["hash"])).ok
    assert verify_chain(rows[5:], KEY, after=(4, rows[3]["hash"])).reason == "deleted"


def test_malformed_rows_are_changes() -> None:
    rows = make_chain(3)
    rows[1]["seq"] = "2"
    assert verify_chain(rows, KEY).first_bad_seq == 2
    rows = make_chain(3)
    rows[2]["hash"] = None
    assert verify_chain(rows, KEY).reason == "changed"
    rows = make_chain(3)
    rows[1]["detail"] = object()
    assert (verify_chain(rows, KEY).first_bad_seq, verify_chain(rows, KEY).reason) == (
        2,
        "changed",
    )


def test_row_hash_is_canonical_and_keyed() -> None:
    row = {"seq": 1, "b": "门店", "a": None}
    same = {"a": None, "seq": 1, "b": "门店", "hash": "ignored", "prev_hash": "ignored"}
    assert row_hash(GENESIS, row) == row_hash(GENESIS, same)
    assert canonical_json(row) == '{"a":null,"b":"门店","seq":1}'.encode()
    assert row_hash(GENESIS, row, key=KEY) != row_hash(GENESIS, row)
    assert row_hash(GENESIS, row, key=KEY) != row_hash("1" * 64, row, key=KEY)
    keys = generate_keys()
    assert chain_key(keys) != keys.lookup_key and len(chain_key(keys)) == 32
    with pytest.raises(ValueError):
        row_hash("not-a-hash", row)
    with pytest.raises(ValueError):
        row_hash(GENESIS, {"x": float("nan")})
