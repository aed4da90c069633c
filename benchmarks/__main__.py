"""Run every benchmark; each prints one JSON object per line."""

from __future__ import annotations

import sys

from benchmarks import bench_encryption, bench_prescreen, bench_save, bench_startup, bench_sync


def main() -> int:
    bench_save.run()
    bench_encryption.run()
    bench_startup.run()
    bench_prescreen.run()
    bench_sync.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
