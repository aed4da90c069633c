"""Run every benchmark; each prints one JSON object per line."""

from __future__ import annotations

import sys

from benchmarks import (
    bench_attachments,
    bench_audit_checkpoint,
    bench_dashboard_window,
    bench_encryption,
    bench_fieldmgr,
    bench_gui_stall,
    bench_package,
    bench_pg,
    bench_prescreen,
    bench_save,
    bench_signals,
    bench_signin,
    bench_startup,
    bench_storage,
    bench_sync,
)


def main() -> int:
    import keyring

    from core.security.memory_keyring import MemoryKeyring

    # every benchmark's data is throwaway: its keys live in memory (build boxes have no
    # OS keyring, and LoanDesk refuses to run without one)
    keyring.set_keyring(MemoryKeyring())
    bench_save.run()
    bench_encryption.run()
    bench_audit_checkpoint.run()
    bench_startup.run()
    bench_signin.run()
    bench_fieldmgr.run()
    bench_dashboard_window.run()
    bench_prescreen.run()
    bench_sync.run()
    bench_gui_stall.run()
    bench_pg.run()  # sync push on PostgreSQL vs SQLite, 4 workers, 50 PCs
    bench_storage.run()
    bench_attachments.run()
    bench_signals.run()
    bench_package.run()  # needs dist/LoanDesk: make bench runs make package first
    return 0


if __name__ == "__main__":
    sys.exit(main())
