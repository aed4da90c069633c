"""Head-office signals (server.signals): each cheap evasion that passes a store is
caught, a ring across three stores is found and its first members are revised, and
addresses typed differently are one address."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from server.signals.engine import SignalEngine, run_signals
from server.signals.graph import components
from server.signals.keys import KeyedHasher, normalise_address
from server.signals.retro import MemberState, revise
from server.signals.rows import CatalogEntry, Line, PlainApplication, StoreEntry, signal_row

KEY = b"k" * 32
HASH = KeyedHasher(KEY)
CATALOG = [
    CatalogEntry("APL-TV-55", "appliance", 2999_00),
    CatalogEntry("FUR-SOFA-3", "furniture", 8999_00),
]
STORES = [
    StoreEntry("S01", "北京", "朝阳区建国路1号商场1层"),
    StoreEntry("S02", "北京", "海淀区中关村大街2号商场1层"),
    StoreEntry("S03", "北京", "朝阳区望京街3号商场1层"),
]
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in China
_n = itertools.count(1)


def app(
    *,
    at: datetime = T0,
    store: str = "S01",
    operator: str = "s01-s01",
    id_number: str | None = None,
    name: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    scenario: str = "appliance",
    lines: tuple[Line, ...] = (Line("APL-TV-55", 2999_00),),
    store_reasons: tuple[str, ...] = (),
) -> PlainApplication:
    k = next(_n)
    return PlainApplication(
        application_id=f"app-{k:05d}",
        store_code=store,
        operator=operator,
        created_at=at,
        scenario=scenario,
        id_number=id_number or f"110105199001{k:05d}"[:17] + "X",
        name=name or f"客户{k}",
        phone=phone or f"138{k:08d}",
        delivery_city="北京",
        delivery_address=address or f"朝阳区建国路{k}号1栋101室",
        lines=lines,
        store_reasons=store_reasons,
    )


def flags_of(apps: list[PlainApplication]) -> dict[str, list[str]]:
    out = run_signals([signal_row(a, HASH) for a in apps], HASH, CATALOG, STORES)
    return {a.application_id: out.codes(a.application_id) for a in apps}


# --- addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "朝阳区建国路88号3栋1201室",
        "朝阳区建国路88号3栋1201",
        "朝阳区建国路88号3号楼1201室",
        "朝阳区建国路88号3-1201",
        "朝阳区建国路８８号３栋１２０１室",
        "朝阳区建国路 88号 3栋 1201室",
        "北京市朝阳区建国路88号三栋1201室",
        "北京朝阳区建国路88号3幢1201房",
    ],
)
def test_one_flat_typed_many_ways_is_one_address(typed: str) -> None:
    assert normalise_address("北京", typed) == normalise_address(
        "北京市", "朝阳区建国路88号3栋1201室"
    )


def test_units_and_flats_stay_apart() -> None:
    base = normalise_address("北京", "朝阳区建国路88号3栋2单元1201室")
    assert base == normalise_address("北京", "朝阳区建国路88号3-2-1201")
    for other in ("朝阳区建国路88号3栋2单元1202室", "朝阳区建国路88号3栋1单元1201室",
                  "朝阳区建国路88号4栋2单元1201室", "朝阳区建国路89号3栋2单元1201室"):  # fmt: skip
        assert normalise_address("北京", other) != base
    assert normalise_address("上海", "建国路88号") != normalise_address("北京", "建国路88号")


def test_hashes_are_keyed_and_hold_no_plain_value() -> None:
    other = KeyedHasher(b"o" * 32)
    assert HASH.phone("138 0013 8000") == HASH.phone("+8613800138000")
    assert HASH.phone("13800138000") != other.phone("13800138000")
    assert "13800138000" not in HASH.phone("13800138000")
    assert HASH.phone("11010519900101123X") != HASH.id_number("11010519900101123X")


# --- one test per evasion ------------------------------------------------------------


def test_price_29_percent_over_catalog_is_flagged() -> None:
    a = app(lines=(Line("APL-TV-55", 2999_00 * 129 // 100),))
    assert flags_of([a])[a.application_id] == ["HO_PRICE_OVER_CATALOG"]


def test_clean_discounts_are_not_flagged() -> None:
    a = app(lines=(Line("APL-TV-55", 2399_00),), store_reasons=("PRICE_DEVIATION",))
    out = run_signals([signal_row(a, HASH)], HASH, CATALOG, STORES)
    assert out.codes(a.application_id) == []
    assert out.store_dismissed[a.application_id] == {"PRICE_DEVIATION": "DISCOUNT"}


def test_unknown_sku_at_any_price_is_unverifiable() -> None:
    a = app(lines=(Line("APL-X123", 6000_00),))
    assert flags_of([a])[a.application_id] == ["HO_SKU_UNVERIFIABLE"]


def test_a_new_sku_other_stores_sell_at_one_price_is_judged_against_them() -> None:
    known = [app(store=s, lines=(Line("APL-NEW-1", 3000_00),)) for s in ("S02", "S03")]
    fair = app(at=T0 + timedelta(hours=1), lines=(Line("APL-NEW-1", 3100_00),))
    dear = app(at=T0 + timedelta(hours=2), lines=(Line("APL-NEW-1", 4000_00),))
    got = flags_of([*known, fair, dear])
    assert got[fair.application_id] == [] and got[dear.application_id] == ["HO_PRICE_OVER_PEERS"]


def test_a_pc_with_no_catalog_does_not_hide_an_inflated_price() -> None:
    # the store sent no price reason at all (its PC has no catalog): head office's has one
    a = app(lines=(Line("FUR-SOFA-3", 13999_00),), scenario="furniture", store_reasons=())
    assert flags_of([a])[a.application_id] == ["HO_PRICE_OVER_CATALOG"]


def test_tv_filed_as_furniture_is_flagged() -> None:
    a = app(scenario="furniture")
    assert flags_of([a])[a.application_id] == ["HO_CATEGORY_MISMATCH"]


def test_room_marker_dropped_on_the_next_application_is_the_same_address() -> None:
    typed = ["朝阳区建国路8号2栋101室", "朝阳区建国路8号2栋101"] * 3
    apps = [app(at=T0 + timedelta(days=i), address=t, store=f"S0{i % 3 + 1}")
            for i, t in enumerate(typed)]  # fmt: skip
    got = flags_of(apps)
    # the fifth ID number crosses the line; the four before it are flagged retroactively
    assert all("HO_ADDRESS_SHARED" in got[a.application_id] for a in apps)


def test_a_household_at_one_address_is_not_flagged() -> None:
    family = [app(at=T0 + timedelta(days=i), address="朝阳区建国路8号2栋101室") for i in range(4)]
    assert all(v == [] for v in flags_of(family).values())


def test_ring_of_five_spaced_16_days_apart_is_flagged_including_its_first_members() -> None:
    ring = [app(at=T0 + timedelta(days=16 * i), phone="13912345678", store=f"S0{i % 3 + 1}")
            for i in range(5)]  # fmt: skip
    got = flags_of(ring)
    assert all("HO_PHONE_SHARED" in got[a.application_id] for a in ring)


def test_two_ids_on_one_phone_is_a_family_not_a_ring() -> None:
    pair = [app(at=T0 + timedelta(days=i), phone="13912345678") for i in range(2)]
    assert all(v == [] for v in flags_of(pair).values())


def test_new_salesperson_filing_20_on_day_one_is_flagged() -> None:
    history = [
        app(at=T0 - timedelta(days=d, hours=h), operator=f"s01-s0{p}")
        for d in range(1, 20)
        for p in range(1, 4)
        for h in range(3)
    ]
    burst = [app(at=T0 + timedelta(minutes=10 * i), operator="s01-new") for i in range(20)]
    got = flags_of([*history, *burst])
    assert all("HO_NEW_SALESPERSON_VOLUME" in got[a.application_id] for a in burst)
    assert all(got[a.application_id] == [] for a in history)


def test_same_id_under_another_name_and_phone_is_flagged_on_its_second_use() -> None:
    first = app(id_number="11010519900101123X", name="王芳", phone="13800000001")
    second = app(
        at=T0 + timedelta(days=2),
        store="S02",
        id_number="11010519900101123X",
        name="李强",
        phone="13800000002",
    )
    got = flags_of([first, second])
    assert got[second.application_id] == ["HO_ID_OTHER_NAME"]
    assert got[first.application_id] == ["HO_ID_OTHER_NAME"]  # retroactively


def test_a_returning_customer_is_not_flagged() -> None:
    again = [app(at=T0 + timedelta(days=40 * i), id_number="11010519900101123X", name="王芳",
                 phone="13800000001") for i in range(3)]  # fmt: skip
    assert all(v == [] for v in flags_of(again).values())


# --- rings and retroactive revisions -------------------------------------------------


def test_a_ring_across_three_stores_is_found_and_its_first_members_revised() -> None:
    # a chain, no identifier shared by more than two: phone, address, phone, address...
    links = [
        dict(phone="13900000001", address="朝阳区建国路1号1栋101室"),
        dict(phone="13900000001", address="朝阳区建国路2号1栋101室"),
        dict(phone="13900000002", address="朝阳区建国路2号1栋101室"),
        dict(phone="13900000002", address="朝阳区建国路3号1栋101室"),
        dict(phone="13900000003", address="朝阳区建国路3号1栋101室"),
    ]
    ring = [app(at=T0 + timedelta(days=3 * i), store=f"S0{i % 3 + 1}", **kw)
            for i, kw in enumerate(links)]  # fmt: skip
    assert len({a.store_code for a in ring}) == 3
    status = {ring[0].application_id: "approved", ring[1].application_id: "submitted",
              ring[2].application_id: "declined"}  # fmt: skip
    engine = SignalEngine(HASH, CATALOG, STORES, status_of=lambda a: status.get(a, "review"))
    for a in ring:
        engine.add(signal_row(a, HASH))
    out = engine.out
    assert all("HO_RING" in out.codes(a.application_id) for a in ring)
    assert [f.retro for f in out.flags[ring[0].application_id]] == [True]
    rev = next(r for r in out.revisions if r.code == "HO_RING")
    assert rev.trigger == ring[4].application_id
    assert rev.approved == (ring[0].application_id,)  # listed for the risk team
    # not final: waiting, or with a person who must see the new reason
    assert set(rev.to_review) == {ring[1].application_id, ring[3].application_id}
    assert rev.untouched == (ring[2].application_id,)


def test_revise_sorts_members_by_central_status() -> None:
    rev = revise(
        "HO_PHONE_SHARED",
        "t",
        [MemberState("a", "approved"), MemberState("b", "submitted"), MemberState("c", "declined"),
         MemberState("d", "review"), MemberState("t", "submitted")],
    )  # fmt: skip
    assert (rev.to_review, rev.approved, rev.untouched) == (("b", "d"), ("a",), ("c",))


def test_components_chain_through_shared_identifiers() -> None:
    groups = components([("a", ["p1"]), ("b", ["p1", "x1"]), ("c", ["x1"]), ("d", ["p2"])])
    assert sorted(sorted(g) for g in groups) == [["a", "b", "c"], ["d"]]


def test_a_store_pickup_address_links_nobody() -> None:
    pickups = [app(at=T0 + timedelta(hours=i), address="朝阳区建国路1号商场1层",
                   store_reasons=("SHARED_DELIVERY_ADDRESS",)) for i in range(8)]  # fmt: skip
    out = run_signals([signal_row(a, HASH) for a in pickups], HASH, CATALOG, STORES)
    assert all(out.codes(a.application_id) == [] for a in pickups)
    assert all(out.store_kept[a.application_id] == () for a in pickups)
