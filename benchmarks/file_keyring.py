"""A keyring for benchmark subprocesses (build boxes have none): the file named by
$LOANDESK_BENCH_KEYRING_FILE, chosen with PYTHON_KEYRING_BACKEND. Throwaway data only."""

from __future__ import annotations

import os
from pathlib import Path

from core.security.demo_keyring import FileKeyring


class BenchFileKeyring(FileKeyring):
    def _path(self) -> Path:
        return Path(os.environ["LOANDESK_BENCH_KEYRING_FILE"])
