"""Child process for crash tests: saves applications and prints each id after COMMIT.

usage: python -m tests.helpers.save_loop DATA_DIR COUNT SEED
"""

from __future__ import annotations

import sys
import time

from core.clock import SystemClock
from core.config import resolve_paths
from core.context import open_context
from core.demo_data import DemoGenerator, load_demo_catalog


def main() -> None:
    data_dir, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ctx = open_context(resolve_paths(data_dir))
    gen = DemoGenerator(seed, SystemClock().now().date(), load_demo_catalog())
    print("READY", flush=True)
    for _ in range(count):
        app_id = ctx.applications.save(gen.application())
        print(f"SAVED {app_id}", flush=True)
    time.sleep(60)  # the parent kills us; never exit on our own first


if __name__ == "__main__":
    main()
