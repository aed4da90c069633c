"""The single-PC planted fraud patterns; kept under this name for existing callers.
They live in :mod:`core.demo_data.single_fraud`."""

from __future__ import annotations

from core.demo_data.single_fraud import ADDRESS_GROUP, PATTERNS, RING_SIZE, SPIKE_SIZE, plant

__all__ = ["ADDRESS_GROUP", "PATTERNS", "RING_SIZE", "SPIKE_SIZE", "plant"]
