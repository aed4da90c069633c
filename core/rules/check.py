"""``main.py check``'s rule-pack item: the active pack verifies, its version is the
row's, and it is not below the highest version this PC ever installed. Changes
nothing: keys are read with ``must_exist`` and nothing is installed or audited."""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils

from core.clock import SystemClock
from core.rules.errors import PackError
from core.rules.high_water import HighWaterMark, mark_key
from core.rules.pack_store import RulePackStore
from core.rules.trusted_keys import TrustedKey, load_trusted_keys
from core.security.audit_chain import chain_key
from core.security.keyring_store import load_or_create_keys
from core.security.messages import SecurityError
from core.store.meta_repo import MetaRepo
from core.store.vault import META_INSTALL_ID


def check_item(
    db: sqlite_utils.Database, trusted: Mapping[str, TrustedKey] | None = None
) -> tuple[bool, str]:
    """(ok, text) for IT; the text names versions and codes, never personal data.
    ``trusted`` defaults to this build's pinned keys."""
    install_id = MetaRepo(db).get(META_INSTALL_ID)
    if not install_id:
        return True, "no install id yet (nothing installed)"
    try:
        key = mark_key(chain_key(load_or_create_keys(install_id, must_exist=True)))
    except SecurityError as exc:
        return False, f"cannot be verified: {exc.message('en')}"
    try:
        trusted = load_trusted_keys() if trusted is None else trusted
    except PackError as exc:
        return False, f"no trusted keys: {exc}"
    mark = HighWaterMark(db, key, install_id)
    store = RulePackStore(db, trusted, SystemClock(), high_water=mark, audit=False)
    reading = mark.read()
    best = reading.best
    highest = f"highest installed v{best.version}" if best else "no high-water mark kept"
    status = store.status()
    if status is None:
        if best is not None:
            return False, (
                f"no active rule pack, but this PC had v{best.version}: the database was "
                "edited; install that pack or a newer one"
            )
        return True, "no rule pack installed yet"
    problems = list(reading.problems)
    if not status.signature_ok:
        if "PACK_ROLLBACK" in status.problem:
            problems.insert(0, f"rule pack rolled back: {status.problem}")
        else:
            problems.insert(0, f"the active rule pack does not verify: {status.problem}")
    text = f"{status.pack_id} v{status.version} from {status.source} ({highest})"
    if problems:
        return False, f"{text}; " + "; ".join(problems)
    return True, text
