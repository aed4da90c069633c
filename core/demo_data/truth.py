"""The truth file: which saved applications were planted, how, and in which group.

One JSON object (``format`` ``loandesk-demo-truth/2``)::

    count, seed, plant_rate, stores, days       what was generated
    patterns   {pattern: planted applications}
    planted    {application id: pattern}         (the one-PC format has only these)
    variants   {application id: variant}
    groups     {group: {pattern, variant, members: [application ids, in time order]}}
    refs       {application id: event ref}       (stable across runs of one seed)

Clean applications are every saved application not in ``planted``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.demo_data.world import World

FORMAT = "loandesk-demo-truth/2"


def truth_of(world: World, ids: dict[str, str], plant_rate: float) -> dict[str, Any]:
    """The truth for ``world`` saved with ``ids`` (event ref -> application id)."""
    planted: dict[str, str] = {}
    variants: dict[str, str] = {}
    groups: dict[str, dict[str, Any]] = {}
    patterns: dict[str, int] = {}
    for e in world.events:
        if e.pattern is None or e.ref not in ids:
            continue
        app_id = ids[e.ref]
        planted[app_id] = e.pattern
        variants[app_id] = e.variant or ""
        patterns[e.pattern] = patterns.get(e.pattern, 0) + 1
        if e.group:
            g = groups.setdefault(
                e.group, {"pattern": e.pattern, "variant": e.variant, "members": []}
            )
            g["members"].append(app_id)
    return {
        "format": FORMAT,
        "count": len(ids),
        "seed": world.seed,
        "plant_rate": plant_rate,
        "stores": len(world.stores),
        "days": world.days,
        "patterns": patterns,
        "planted": planted,
        "variants": variants,
        "groups": groups,
        "refs": {i: ref for ref, i in ids.items()},
    }


def write_truth(truth: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_truth(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("planted"), dict):
        raise ValueError("TRUTH_UNREADABLE")
    data.setdefault("variants", {})
    data.setdefault("groups", {})
    return data
