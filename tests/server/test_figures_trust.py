"""The server recomputes the loan figures from the order lines and the published pack,
and replays the store's pre-screen from the receipt's inputs instead of believing the
claimed outcome."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from server.db import DB_FILENAME
from tests.core.sync.conftest import FAST
from tests.helpers.evidence import save_with_photos
from tests.helpers.server import RealServer
from tests.server.conftest import Device
from tests.server.payloads import item, payload, raw_application


def _codes(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["field"], r["code"]) for r in result["reasons"]]


def _decisions(device: Device) -> dict[str, dict[str, Any]]:
    page = device.get("/decisions", params={"limit": 1000}).json()
    return {d["application_id"]: d for d in page["items"]}


def test_figures_that_differ_from_the_published_pack_are_refused(device: Device) -> None:
    store = device.store_code
    honest = payload(store)
    big = raw_application()
    big["order"]["lines"][0]["unit_price"] = "52000.00"  # appliance loans: at most 50,000
    not_offered = payload(store, raw=big)
    huge = raw_application()
    huge["order"]["lines"][0]["unit_price"] = "70000.00"  # no scenario lends this much
    unknown_pack = payload(store)
    unknown_pack["prescreen"]["pack_version"] = 99
    cases = [
        (payload(store, annual_rate="0"), [("annual_rate", "RATE_MISMATCH")]),
        (payload(store, annual_rate="10"), [("annual_rate", "RATE_MISMATCH")]),
        (
            dict(honest, application_id=payload(store)["application_id"], apr="0.0100"),
            [("apr", "FIGURES_MISMATCH")],
        ),
        (
            dict(
                payload(store),
                first_payment_fen=honest["first_payment_fen"] - 1,
                total_repayment_fen=1,
            ),
            [
                ("first_payment_fen", "FIGURES_MISMATCH"),
                ("total_repayment_fen", "FIGURES_MISMATCH"),
            ],
        ),
        (payload(store, raw=huge), [("terms.down_payment", "PRINCIPAL_RANGE")]),
        (unknown_pack, [("prescreen.pack_version", "PACK_UNKNOWN")]),
    ]
    results = device.push([item(body) for body, _ in cases] + [item(honest), item(not_offered)])
    for (_body, expected), result in zip(cases, results, strict=False):
        assert result["status"] == "invalid", (expected, result)
        assert _codes(result) == expected, result
    assert all(" / " in r["message"] for res in results[:4] for r in res["reasons"])  # zh / en
    assert [r["status"] for r in results[-2:]] == ["created", "created"]
    decided = _decisions(device)
    assert decided[honest["application_id"]]["decision"] == "approved"
    declined = decided[not_offered["application_id"]]
    assert declined["decision"] == "declined" and "SC_AMOUNT_NOT_OFFERED" in declined["reasons"]


def test_the_claimed_pre_screen_outcome_is_never_a_score_input(device: Device) -> None:
    store = device.store_code
    honest = payload(store)
    # the store's own blacklist hit the device: its pre-screen did not pass; it claims PASS
    claimed_pass = payload(store, blacklisted=("device",))
    assert claimed_pass["prescreen"]["outcome"] != "PASS"
    claimed_pass["prescreen"].update(outcome="PASS", reasons=[])
    # the store rewrote a local fact (five earlier applications on this ID) to look clean,
    # keeping the receipt's hash
    rewritten = payload(store)
    facts = copy.deepcopy(rewritten["prescreen"]["local_inputs"])
    rewritten["prescreen"]["inputs_sha256"] = "0" * 64
    rewritten["prescreen"]["local_inputs"] = facts
    silent = payload(store, with_prescreen=False)  # nothing to replay
    results = device.push([item(b) for b in (honest, claimed_pass, rewritten, silent)])
    assert [r["status"] for r in results] == ["created"] * 4, results
    decided = _decisions(device)
    assert decided[honest["application_id"]]["decision"] == "approved"
    lied = decided[claimed_pass["application_id"]]
    assert lied["decision"] == "declined", lied
    assert {"SC_BLACKLISTED", "SC_PRESCREEN_MISMATCH"} <= set(lied["reasons"])
    mismatch = decided[rewritten["application_id"]]
    assert (mismatch["decision"], mismatch["approved_amount_fen"]) == ("review", None)
    assert "SC_PRESCREEN_MISMATCH" in mismatch["reasons"]
    unverified = decided[silent["application_id"]]
    assert unverified["decision"] == "review" and "SC_PRESCREEN_UNVERIFIED" in unverified["reasons"]


def test_a_store_pcs_own_payloads_pass_the_recompute_and_the_replay(tmp_path: Path) -> None:
    with RealServer(tmp_path) as srv:
        code = srv.add_store("S001", name="朝阳门店", city="北京")
        ctx = open_context(resolve_paths(tmp_path / "client"))
        try:
            assert ctx.sync is not None
            ctx.sync.enroll(srv.url, "S001", code, timeouts=FAST)
            gen = DemoGenerator(23, ctx.clock.now().date(), load_demo_catalog())
            for _ in range(30):
                save_with_photos(ctx.applications, gen.application())
            report = ctx.sync.sync_once(timeouts=FAST)
            assert (report.acked, report.rejected) == (30, 0), report.to_json("en")
        finally:
            ctx.close()
        with sqlite3.connect(srv.data_dir / DB_FILENAME) as db:
            rows = db.execute("SELECT application_id, reasons FROM decisions").fetchall()
        # 30 on day one by one clerk: head office may revise earlier ones (a new
        # salesperson's volume), so count applications, not decision rows
        assert len({app_id for app_id, _ in rows}) == 30
        assert not [r for _, r in rows if "SC_PRESCREEN" in r], rows
