"""Head office's cross-store fraud signals, pure and storage-independent.

Input: applications as plain dataclass rows (:mod:`rows`), turned into keyed hashes at
once (:mod:`keys`). Signals: identity across stores and the ring graph
(:mod:`identity`, :mod:`graph`), salesperson and store volume (:mod:`volume`), price
per SKU (:mod:`price`). Output: per-application flags with coded reasons, the
retroactive revisions of earlier cluster members (:mod:`retro`) and the store's own
reasons as head office reads them (:mod:`store_side`). :mod:`engine` runs them all in
arrival order. The meaning of every code is in docs/head-office-signals.md.
"""
