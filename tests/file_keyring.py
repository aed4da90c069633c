"""A keyring backend for subprocess tests: the file named by $LOANDESK_TEST_KEYRING_FILE
(chosen with PYTHON_KEYRING_BACKEND, keyring's own switch, as IT would choose one)."""

from __future__ import annotations

import os
from pathlib import Path

from core.security.demo_keyring import FileKeyring


class TestFileKeyring(FileKeyring):
    def _path(self) -> Path:
        return Path(os.environ["LOANDESK_TEST_KEYRING_FILE"])


class PlaintextFileKeyring(TestFileKeyring):
    """The same file, under a name that says what it is: LoanDesk must refuse it."""
