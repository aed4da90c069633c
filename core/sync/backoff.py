"""Full-jitter exponential backoff: ``uniform(0, min(cap, base * 2**n))``.

Full jitter (rather than "exponential plus a little noise") spreads the retries of many
stores that lost the network at the same moment, so they do not return in step.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

BASE_S = 2.0
CAP_S = 15 * 60.0


@dataclass
class Backoff:
    base_s: float = BASE_S
    cap_s: float = CAP_S
    rng: random.Random = field(default_factory=random.Random)

    def ceiling(self, failures: int) -> float:
        """The upper bound after ``failures`` consecutive failures (0 = first)."""
        exponent = min(max(failures, 0), 40)  # 2**40 s is far past any cap
        return min(self.cap_s, self.base_s * (2.0**exponent))

    def delay(self, failures: int) -> float:
        return self.rng.uniform(0.0, self.ceiling(failures))
