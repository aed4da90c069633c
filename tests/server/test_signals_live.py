"""Head office's signals, live: real store PCs (their own save and sync code) push to
the real server on 127.0.0.1; a ring spread over three stores is flagged when it
crosses its threshold, its earlier members not final are revised to review and the
PCs that hold them store the revision; approved ones go on the risk list."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import ApplicationInput
from core.store.sync_repo import SyncRepo
from server.db import DB_FILENAME
from tests.core.sync.conftest import FAST
from tests.helpers.evidence import save_with_photos
from tests.helpers.server import RealServer

# a chain in which no identifier is shared by more than two ID numbers (each pair looks
# like a family), but five ID numbers are linked: phone, flat, phone, flat
RING = [
    ("110105198803070011", "13900000001", "朝阳区建国路1号1栋101室"),
    ("110105198803070038", "13900000001", "朝阳区建国路2号1栋101室"),
    ("110105198803070054", "13900000002", "朝阳区建国路2号1栋101"),  # the same flat
    ("110105198803070070", "13900000002", "朝阳区建国路3号1栋101室"),
    ("110105198803070097", "13900000003", "朝阳区建国路３号１栋１０１室"),  # full width
]


def _member(gen: DemoGenerator, k: int, income_fen: int) -> ApplicationInput:
    from core.validation.application import id_check_char

    base = gen.application()
    id17 = RING[k][0][:17]
    customer = dataclasses.replace(
        base.customer,
        id_number=id17 + id_check_char(id17),
        phone=RING[k][1],
        monthly_income_fen=income_fen,
        home_city="北京",
    )
    return dataclasses.replace(
        base, customer=customer, delivery_city="北京", delivery_address=RING[k][2]
    )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[RealServer, list[AppContext]]]:
    with RealServer(tmp_path) as srv:
        pcs: list[AppContext] = []
        try:
            for n in (1, 2, 3):
                code = srv.add_store(f"S00{n}", name=f"门店{n}", city="北京")
                ctx = open_context(resolve_paths(tmp_path / f"pc{n}"))
                assert ctx.sync is not None
                ctx.sync.enroll(srv.url, f"S00{n}", code, timeouts=FAST)
                pcs.append(ctx)
            yield srv, pcs
        finally:
            for ctx in pcs:
                ctx.close()


def _sync(ctx: AppContext) -> None:
    assert ctx.sync is not None
    report = ctx.sync.sync_once(timeouts=FAST)
    assert report.rejected == 0, report.to_json("en")


def _central(srv: RealServer) -> dict[str, list[tuple[str, list[str]]]]:
    with sqlite3.connect(srv.data_dir / DB_FILENAME) as db:
        rows = db.execute("SELECT application_id, decision, reasons FROM decisions ORDER BY seq")
        out: dict[str, list[tuple[str, list[str]]]] = {}
        for app_id, decision, reasons in rows:
            if json.loads(reasons) == ["HO_EVIDENCE_PENDING"]:
                continue  # held until the ID photos were uploaded, in the same sync
            out.setdefault(app_id, []).append((decision, json.loads(reasons)))
    return out


def test_a_ring_over_three_stores_is_flagged_and_its_first_members_revised(
    world: tuple[RealServer, list[AppContext]],
) -> None:
    srv, pcs = world
    gen = DemoGenerator(7, pcs[0].clock.now().date(), load_demo_catalog())
    # the first member's income is modest: head office puts it in review (not final);
    # the others are approved on arrival
    incomes = [2600_00, 30000_00, 30000_00, 30000_00, 30000_00]
    ids: list[str] = []
    holder: dict[str, AppContext] = {}
    for k in range(5):
        pc = pcs[k % 3]
        app_id = save_with_photos(pc.applications, _member(gen, k, incomes[k]))
        ids.append(app_id)
        holder[app_id] = pc
        _sync(pc)  # pushed and decided at once, as at a counter
    central = _central(srv)
    first = {a: central[a][0][0] for a in ids}
    assert all("HO_RING" not in central[a][0][1] for a in ids[:4])  # each pair looks innocent
    assert "HO_RING" in central[ids[4]][-1][1]  # the fifth crosses the threshold
    assert central[ids[4]][-1][0] == "review"
    not_final = [a for a in ids[:4] if first[a] == "review"]
    approved = [a for a in ids[:4] if first[a] == "approved"]
    assert not_final and approved, first
    for a in not_final:  # revised: a new decision, review, with the ring's code
        assert len(central[a]) == 2 and central[a][-1][0] == "review"
        assert "HO_RING" in central[a][-1][1]
    for a in approved:  # never silently revoked: listed for the risk team
        assert len(central[a]) == 1
    listed = [json.loads(line) for line in srv.cli("risk-list").splitlines() if line]
    assert {(e["application_id"], e["code"]) for e in listed} >= {(a, "HO_RING") for a in approved}
    assert all(e["trigger"] == ids[4] for e in listed if e["code"] == "HO_RING")
    assert not any(RING[0][0] in json.dumps(e) or RING[0][1] in json.dumps(e) for e in listed)
    for pc in pcs:
        _sync(pc)
    for a in not_final:  # the PC holding it stored the revision
        stored = SyncRepo(holder[a].db).decision(a)
        assert stored is not None and stored.decision == "review"
        assert "HO_RING" in stored.reasons
    revised_pc = holder[not_final[0]]
    audit = list(
        revised_pc.db.execute(
            "SELECT detail FROM audit_log WHERE action = 'decision' AND target_id = ?",
            [not_final[0]],
        )
    )
    assert audit and "HO_RING" in audit[-1][0]


def test_the_signal_key_stays_out_of_the_database(
    world: tuple[RealServer, list[AppContext]],
) -> None:
    srv, pcs = world
    gen = DemoGenerator(8, pcs[0].clock.now().date(), load_demo_catalog())
    app = _member(gen, 0, 30000_00)
    save_with_photos(pcs[0].applications, app)
    _sync(pcs[0])
    key = (srv.data_dir / "signal.key").read_text("ascii").strip()
    assert len(bytes.fromhex(key)) == 32
    raw = (srv.data_dir / DB_FILENAME).read_bytes()
    assert key.encode() not in raw
    with sqlite3.connect(srv.data_dir / DB_FILENAME) as db:
        row: Any = db.execute("SELECT * FROM signal_rows").fetchone()
    text = json.dumps(list(row), ensure_ascii=False)
    assert app.customer.phone not in text and app.customer.id_number not in text
    assert "建国路" not in text


def test_repricing_until_pass_goes_with_the_receipt_and_head_office_sees_it(
    world: tuple[RealServer, list[AppContext]],
) -> None:
    from core.models import OrderLineInput

    srv, pcs = world
    pc = pcs[0]
    _sync(pc)  # the catalog: without it no price can be checked at all (PRICE_UNVERIFIABLE)
    gen = DemoGenerator(9, pc.clock.now().date(), load_demo_catalog())
    tv = next(c for c in load_demo_catalog() if c.sku == "APL-TV-55")
    base = _member(gen, 0, 30000_00)
    base = dataclasses.replace(
        base,
        scenario=base.scenario.APPLIANCE,
        lines=(OrderLineInput(tv.sku, tv.name, tv.price_fen * 14 // 10, 1),),
        terms=dataclasses.replace(base.terms, down_payment_fen=0, term_months=12),
    )
    first = pc.applications.prescreen(base)  # the review step: 40 % over catalog
    assert first.outcome == "REFER" and "PRICE_DEVIATION" in first.codes
    honest = dataclasses.replace(base, lines=(OrderLineInput(tv.sku, tv.name, tv.price_fen, 1),))
    second = pc.applications.prescreen(honest)
    assert second.outcome == "PASS"
    assert second.inputs["attempts"] == {
        "count": 1,
        "outcomes": ["REFER"],
        "changed": ["unit_prices"],
    }
    app_id = save_with_photos(pc.applications, honest)
    _sync(pc)
    decided = _central(srv)[app_id][-1]
    assert decided[0] == "review" and "HO_REPRICED_TO_PASS" in decided[1]
    # a customer screened once and saved as is carries no attempts and is not flagged
    other = _member(gen, 1, 30000_00)
    assert "attempts" not in pc.applications.prescreen(other).inputs
