"""Thresholds of the head-office signals, in one place.

Tuned on demo data of seed :data:`TUNED_ON_SEED` (``seed-demo --stores``); any other
seed is held out. The demo generator is this project's own, so these numbers show
the mechanism works, not how it does on real stores: recalibrate on real outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

TUNED_ON_SEED = 101


@dataclass(frozen=True)
class SignalParams:
    # identity: one phone, ID or address across customers (windows in days)
    phone_window_days: int = 120
    phone_max_ids: int = 2  # a third ID number on one phone is flagged (families share two)
    id_window_days: int = 365
    id_max_names: int = 1  # a second name under one ID number is flagged
    id_store_window_days: int = 30
    id_max_stores: int = 2  # a third store for one ID within the window is flagged
    address_window_days: int = 90
    address_max_ids: int = 4  # a household has one to four adults
    ring_window_days: int = 120
    ring_min_ids: int = 5  # a connected group of this many ID numbers is a ring
    # volume: a salesperson's day against their own history and their peers'
    history_days: int = 28
    spike_min_today: int = 10
    spike_own_ratio: float = 3.0
    spike_peer_ratio: float = 3.0
    min_history_days: int = 5  # fewer active days: judged against peers only
    new_salesperson_days: int = 7
    default_peer_daily: float = 4.0  # before any peer history exists
    store_min_today: int = 40
    store_own_ratio: float = 2.5
    store_peer_ratio: float = 3.0
    # price: against the catalog, per SKU across stores
    price_over_max: float = 0.15  # more than 15 % over catalog (or peers' median)
    peer_price_window_days: int = 90
    peer_min_stores: int = 2  # an unknown SKU sold at this many other stores is known
    unverifiable_min_fen: int = 1000_00  # an unknown SKU under 1,000 yuan is let pass
    max_discount: float = 0.5  # a store's PRICE_DEVIATION under catalog down to this is a discount
