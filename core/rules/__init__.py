"""Signed rule packs: load, verify, evaluate (zen-engine), store, blacklist lookups.

Everything other packages need is re-exported here; see ``pack.py`` for the file
format and ``shape.py`` for the parameters a pack carries.
"""

from core.rules.build import decision_graph, make_decision_table
from core.rules.decisions import DEFAULT_INPUTS, CompiledDecision, MatchedRule
from core.rules.errors import PackError
from core.rules.pack import (
    RulePack,
    blacklist_digest,
    effective_now,
    normalize_blacklist_value,
    parse_pack,
)
from core.rules.pack_store import (
    META_LAST_SERVER_TIME,
    PACK_SOURCES,
    PackStatus,
    RulePackStore,
    bundled_pack_path,
)
from core.rules.shape import BLACKLIST_KINDS, FORMAT, SEVERITIES
from core.rules.signing import canonical_bytes, sign_pack
from core.rules.trusted_keys import TrustedKey, load_trusted_keys, trusted_key_entry

__all__ = [
    "BLACKLIST_KINDS",
    "DEFAULT_INPUTS",
    "FORMAT",
    "META_LAST_SERVER_TIME",
    "PACK_SOURCES",
    "SEVERITIES",
    "CompiledDecision",
    "MatchedRule",
    "PackError",
    "PackStatus",
    "RulePack",
    "RulePackStore",
    "TrustedKey",
    "blacklist_digest",
    "bundled_pack_path",
    "canonical_bytes",
    "decision_graph",
    "effective_now",
    "load_trusted_keys",
    "make_decision_table",
    "normalize_blacklist_value",
    "parse_pack",
    "sign_pack",
    "trusted_key_entry",
]
