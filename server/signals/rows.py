"""What the signals read and write: plain dataclasses, no storage.

:class:`PlainApplication` is an application as head office receives it; it is turned
into a :class:`SignalRow` (keyed hashes only, :func:`signal_row`) as soon as it
arrives, and the signals never see the plain values again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from server.signals.keys import KeyedHasher


@dataclass(frozen=True)
class Line:
    sku: str
    unit_price_fen: int
    quantity: int = 1


@dataclass(frozen=True)
class PlainApplication:
    application_id: str
    store_code: str
    operator: str  # the salesperson's login at the store
    created_at: datetime  # aware
    scenario: str
    id_number: str
    name: str
    phone: str
    delivery_city: str
    delivery_address: str
    lines: tuple[Line, ...]
    store_reasons: tuple[str, ...] = ()  # the store's pre-screen reason codes
    pc_device: str = ""  # the store PC that filed it
    customer_device: str | None = None  # the customer's own device, when captured


@dataclass(frozen=True)
class SignalRow:
    application_id: str
    store_code: str
    salesperson: str  # store code / login: one person at head office
    created_at: datetime
    scenario: str
    id_key: str
    name_key: str
    phone_key: str
    address_key: str
    device_key: str | None
    lines: tuple[Line, ...]
    store_reasons: tuple[str, ...] = ()
    pc_device: str = ""


@dataclass(frozen=True)
class CatalogEntry:
    sku: str
    category: str  # appliance | furniture
    price_fen: int


@dataclass(frozen=True)
class StoreEntry:
    code: str
    city: str
    address: str  # the store's own address: a pick-up, never a shared delivery address


@dataclass(frozen=True)
class Flag:
    """One reason head office flags an application; ``retro`` when it was raised after
    the application arrived, by ``trigger`` (the application that crossed the line)."""

    code: str
    detail: dict[str, str | int] = field(default_factory=dict, hash=False, compare=False)
    retro: bool = False
    trigger: str | None = None


def signal_row(app: PlainApplication, hasher: KeyedHasher) -> SignalRow:
    return SignalRow(
        application_id=app.application_id,
        store_code=app.store_code,
        salesperson=f"{app.store_code}/{app.operator}",
        created_at=app.created_at,
        scenario=app.scenario,
        id_key=hasher.id_number(app.id_number),
        name_key=hasher.name(app.name),
        phone_key=hasher.phone(app.phone),
        address_key=hasher.address(app.delivery_city, app.delivery_address),
        device_key=hasher.device(app.customer_device) if app.customer_device else None,
        lines=app.lines,
        store_reasons=app.store_reasons,
        pc_device=app.pc_device,
    )
