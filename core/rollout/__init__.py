"""Rolling LoanDesk out to many store PCs: a settings file IT drops next to the program.

``loandesk-rollout.ini`` (next to ``LoanDesk.exe`` in a packaged build, in the source
tree's root otherwise; ``LOANDESK_ROLLOUT_FILE`` names another file) holds the central
server's address, the store code, the one-time enrollment code, the data folder and the
language. Environment variables override the file, and the command line (``--data-dir``,
``--lang``) overrides both. Every problem is collected with a code, a Chinese and an
English text saying what and where (file and key, or environment variable): nothing is
silently ignored.

On the first start of a PC that is not enrolled yet, :func:`enroll_from_rollout` enrolls
it with those values through the audited path (core.admin), with no typing, and records
the outcome so that ``check`` and the first-run screen can say it. A code the server
refused is never sent again by itself: only a changed file (or IT by hand) tries again.

The enrollment code is a secret: it is never logged, printed, stored or shown by ``repr``.
Pure Python; no Qt. The parts: ``model`` (keys, a coded problem, the combined settings),
``reading`` (the file as Notepad saves it, each value checked), ``settings`` (file and
environment combined), ``enrol`` (enrolling and its recorded outcome), ``check`` (the
``check`` item); ``messages`` holds the texts. Enrolling and checking are imported on
first use: the window's start reads the settings only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.lazy import lazy_exports
from core.rollout.model import ROLLOUT_FILENAME, RolloutConfig
from core.rollout.settings import (
    check_enrol_values,
    effective_language,
    load_rollout,
    rollout_data_dir,
)

_LATER = {
    "RolloutOutcome": "enrol",
    "enroll_by_hand": "enrol",
    "enroll_from_rollout": "enrol",
    "is_enrolled": "enrol",
    "last_outcome": "enrol",
    "run_auto_enrolment": "enrol",
    "run_enroll_by_hand": "enrol",
    "check_item": "check",
}

if TYPE_CHECKING:
    from core.rollout.check import check_item
    from core.rollout.enrol import (
        RolloutOutcome,
        enroll_by_hand,
        enroll_from_rollout,
        is_enrolled,
        last_outcome,
        run_auto_enrolment,
        run_enroll_by_hand,
    )


__getattr__ = lazy_exports("core.rollout", _LATER, globals())


__all__ = [
    "ROLLOUT_FILENAME",
    "RolloutConfig",
    "RolloutOutcome",
    "check_enrol_values",
    "check_item",
    "effective_language",
    "enroll_by_hand",
    "enroll_from_rollout",
    "is_enrolled",
    "last_outcome",
    "load_rollout",
    "rollout_data_dir",
    "run_auto_enrolment",
    "run_enroll_by_hand",
]
