"""Does this process run with the operating system's administrator rights?

Store staff share the store PC's Windows session, so whatever LoanDesk lets "anyone
with this session" do, any clerk can do. Recovery tools (``main.py reset-password``)
therefore also need an elevated prompt ("Run as administrator"): on Windows the same
user's Credential Manager is still used when elevated through UAC, so the data keys are
found; a clerk's everyday account has no administrator rights.

Linux is a development and test platform here: there the rights are not required.
"""

from __future__ import annotations

import sys


def is_os_admin() -> bool:
    """True for an elevated Windows process; always True elsewhere (see above)."""
    if sys.platform != "win32":
        return True
    import ctypes

    try:
        return bool(getattr(ctypes, "windll").shell32.IsUserAnAdmin())  # noqa: B009 (Windows only)
    except (AttributeError, OSError):
        return False
