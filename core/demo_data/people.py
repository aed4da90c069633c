"""The people of a demo city: households in shared buildings, their addresses and the
ways a clerk types them.

A household lives in one flat of a building that other households share (so many
customers share a street, number and building, not a flat); it has one to four
adults, and in some households one adult gives another's phone. Each adult is a
person with a valid ID number (the city's region code), a name and a phone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from core.demo_data.generator import DemoGenerator

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Address:
    street: str  # e.g. 朝阳区建国路
    number: int  # 88 (号)
    building: int  # 3 (栋)
    room: int  # 1201 (室)

    def text(self, style: str = "plain") -> str:
        """The address as a clerk types it; every style names the same flat.

        plain 建国路88号3栋1201室 | no_room_marker …3栋1201 | block 建国路88号3号楼1201室 |
        dashed 建国路88号3-1201 | full_width digits ０-９ | spaced 建国路 88号 3栋 1201室
        """
        s, n, b, r = self.street, self.number, self.building, self.room
        if style == "no_room_marker":
            return f"{s}{n}号{b}栋{r}"
        if style == "block":
            return f"{s}{n}号{b}号楼{r}室"
        if style == "dashed":
            return f"{s}{n}号{b}-{r}"
        if style == "full_width":
            return f"{s}{n}号{b}栋{r}室".translate(_FULL_WIDTH)
        if style == "spaced":
            return f"{s} {n}号 {b}栋 {r}室"
        return f"{s}{n}号{b}栋{r}室"


ADDRESS_STYLES = ("plain", "no_room_marker", "block", "dashed", "full_width", "spaced")


@dataclass
class Person:
    id_number: str
    name: str
    phone: str
    income_fen: int
    city: str
    home: Address
    household: int
    applications: int = 0  # how many times this person has applied so far


@dataclass
class City:
    """The population of one city, made on demand from the world's RNG."""

    name: str
    region: str
    streets: tuple[str, ...]
    gen: DemoGenerator
    buildings: list[tuple[str, int, int]] = field(default_factory=list)
    used_rooms: set[Address] = field(default_factory=set)
    waiting: list[Person] = field(default_factory=list)  # adults who have not applied yet
    households: int = 0

    @property
    def rng(self) -> random.Random:
        return self.gen.rng

    def new_address(self, shared_building: float = 0.7) -> Address:
        """A flat nobody lives in yet; most often in a building others live in."""
        r = self.rng
        for _ in range(1000):
            if self.buildings and r.random() < shared_building:
                street, number, building = r.choice(self.buildings)
            else:
                street, number, building = (
                    r.choice(self.streets),
                    r.randint(1, 999),
                    r.randint(1, 30),
                )
                self.buildings.append((street, number, building))
            addr = Address(street, number, building, r.randint(1, 28) * 100 + r.randint(1, 6))
            if addr not in self.used_rooms:
                self.used_rooms.add(addr)
                return addr
        raise RuntimeError("no free flat found")  # 1000 tries in a city of thousands

    def person(self, home: Address | None = None, household: int | None = None) -> Person:
        """One adult with a fresh ID number, name and phone."""
        g = self.gen
        income = self.rng.choice((3500, 4500, 5500, 6500, 8000, 10000, 12000, 15000, 20000, 30000))
        if household is None:
            self.households += 1
            household = self.households
        return Person(
            g.id_number(self.region),
            g.name(),
            g.phone(),
            income * 100,
            self.name,
            home or self.new_address(),
            household,
        )

    def household(self) -> list[Person]:
        """A new household of one to four adults at one flat; in about one in six
        households of two or more, one adult gives another's phone."""
        r = self.rng
        size = r.choices((1, 2, 3, 4), weights=(40, 35, 17, 8))[0]
        first = self.person()
        members = [first] + [self.person(first.home, first.household) for _ in range(size - 1)]
        if size > 1 and r.random() < 0.17:
            members[1].phone = members[0].phone
        return members

    def next_customer(self) -> Person:
        """A first-time applicant: a waiting adult of a known household, or a new one."""
        r = self.rng
        if not self.waiting or r.random() < 0.6:
            fresh = self.household()
            self.waiting.extend(fresh[1:])
            return fresh[0]
        return self.waiting.pop(r.randrange(len(self.waiting)))
