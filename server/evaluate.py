"""``python -m server evaluate --truth truth.json --data DIR``: how much planted fraud
is caught, and how many clean applications are flagged.

``DIR`` is what ``main.py seed-demo --stores N`` made: one LoanDesk data folder per PC
and the store register. Per planted pattern (and variant) it reports recall:

- **store**: the store's own pre-screen at save time (the receipt sent with each
  application) gave a store-side reason;
- **head office**: a head-office signal flagged it, on arrival or retroactively when
  its cluster crossed a threshold later (:mod:`server.signals`), fed with exactly the
  payloads the PCs would push;
- **combined**: either, after head office has reviewed the store's reasons (a store
  pick-up address and a discount are not fraud).

and the share of clean applications each flags. Thresholds were tuned on one seed
(:data:`server.signals.params.TUNED_ON_SEED`); the output says whether this run's seed
is that one or held out.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from server.signals.engine import Outcome, run_signals
from server.signals.keys import KeyedHasher
from server.signals.params import TUNED_ON_SEED, SignalParams
from server.signals.rows import CatalogEntry, Line, PlainApplication, StoreEntry, signal_row
from server.signals.store_side import store_side


class EvaluateError(ValueError):
    """A coded problem with the input (``code``), with where it is."""

    def __init__(self, code: str, where: str) -> None:
        super().__init__(f"{code}: {where}")
        self.code = code


def _yuan_fen(text: str) -> int:
    from core.money import parse_yuan

    return parse_yuan(text)


def plain_of(payload: dict[str, Any], device: str) -> PlainApplication:
    """An application payload (the wire format a PC pushes) as a plain row."""
    a = payload["application"]
    c, o = a["customer"], a["order"]
    prescreen = payload.get("prescreen") or {}
    return PlainApplication(
        application_id=payload["application_id"],
        store_code=payload["store_code"],
        operator=payload["operator"],
        created_at=datetime.fromisoformat(payload["created_at"]),
        scenario=a["scenario"],
        id_number=c["id_number"],
        name=c["name"],
        phone=c["phone"],
        delivery_city=o["delivery_city"],
        delivery_address=o["delivery_address"],
        lines=tuple(
            Line(ln["sku"], _yuan_fen(ln["unit_price"]), int(ln["quantity"])) for ln in o["lines"]
        ),
        store_reasons=tuple(prescreen.get("reasons") or ()),
        pc_device=device,
    )


def read_register(data: Path) -> list[StoreEntry]:
    from core.demo_data.save_world import REGISTER

    path = data / REGISTER
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [StoreEntry(s["code"], s["city"], s["address"]) for s in raw["stores"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise EvaluateError("REGISTER_UNREADABLE", str(path)) from None


def read_pcs(data: Path) -> Iterator[PlainApplication]:
    """Every application each PC under ``data/pcs`` would push (its pending outbox)."""
    from core.config import resolve_paths
    from core.context import open_context
    from core.demo_data.save_world import PCS
    from core.store.screening_repo import ScreeningRepo
    from core.store.sync_repo import SyncRepo

    folders = sorted(p for p in (data / PCS).glob("*") if (p / "loandesk.db").exists())
    if not folders:
        raise EvaluateError("NO_PC_DATA", str(data / PCS))
    for folder in folders:
        ctx = open_context(resolve_paths(folder))
        try:
            repo, device = SyncRepo(ctx.db), ScreeningRepo(ctx.db).device_id()
            after = 0
            while True:
                page = repo.pending_payloads(after, 1000)
                if not page:
                    break
                after = page[-1][0]
                for _rowid, _op, text in page:
                    yield plain_of(json.loads(text), device)
        finally:
            ctx.close()


def _rate(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def measure(
    truth: dict[str, Any], apps: list[PlainApplication], outcome: Outcome
) -> dict[str, Any]:
    planted: dict[str, str] = truth["planted"]
    variants: dict[str, str] = truth.get("variants", {})
    store_hit = {a.application_id for a in apps if store_side(a.store_reasons)}
    ho_hit = {a for a, flags in outcome.flags.items() if flags}
    combined = ho_hit | {a for a, kept in outcome.store_kept.items() if kept}
    retro_only = {a for a, flags in outcome.flags.items() if flags and all(f.retro for f in flags)}
    groups: dict[str, list[str]] = {}
    for a in apps:
        if a.application_id in planted:
            p = planted[a.application_id]
            groups.setdefault(p, []).append(a.application_id)
            groups.setdefault(f"{p}/{variants.get(a.application_id, '')}", []).append(
                a.application_id
            )
    rows = {}
    for name in sorted(groups):
        members = groups[name]
        rows[name] = {
            "planted": len(members),
            "store": _rate(sum(a in store_hit for a in members), len(members)),
            "head_office": _rate(sum(a in ho_hit for a in members), len(members)),
            "head_office_retro_only": _rate(sum(a in retro_only for a in members), len(members)),
            "combined": _rate(sum(a in combined for a in members), len(members)),
        }
    clean = [a.application_id for a in apps if a.application_id not in planted]
    codes = Counter(c for a in clean for c in outcome.codes(a))
    seed = truth.get("seed")
    return {
        "seed": seed,
        "tuned_on_seed": TUNED_ON_SEED,
        "held_out": seed != TUNED_ON_SEED,
        "applications": len(apps),
        "planted": sum(a.application_id in planted for a in apps),
        "missing_planted": len(set(planted) - {a.application_id for a in apps}),
        "patterns": rows,
        "clean": {
            "count": len(clean),
            "store": _rate(sum(a in store_hit for a in clean), len(clean)),
            "head_office": _rate(sum(a in ho_hit for a in clean), len(clean)),
            "combined": _rate(sum(a in combined for a in clean), len(clean)),
            "head_office_codes": dict(codes.most_common()),
        },
        "retroactive_revisions": len(outcome.revisions),
    }


def evaluate(truth_path: Path, data: Path, params: SignalParams | None = None) -> dict[str, Any]:
    from core.demo_data.truth import read_truth
    from core.demo_data.vocab import load_demo_catalog

    try:
        truth = read_truth(truth_path)
    except (OSError, ValueError):
        raise EvaluateError("TRUTH_UNREADABLE", str(truth_path)) from None
    if not data.is_dir():
        # a head-office database is read once the server keeps hashed signal rows
        raise EvaluateError("DATA_NOT_A_SEEDED_FOLDER", str(data))
    stores = read_register(data)
    apps = list(read_pcs(data))
    hasher = KeyedHasher(secrets.token_bytes(32))  # any key: matching needs only one
    catalog = [CatalogEntry(c.sku, c.category, c.price_fen) for c in load_demo_catalog()]
    rows = [signal_row(a, hasher) for a in apps]
    outcome = run_signals(rows, hasher, catalog, stores, params)
    return measure(truth, apps, outcome)


def _pct(v: float | None) -> str:
    return "   -  " if v is None else f"{v * 100:5.1f}%"


def table(result: dict[str, Any]) -> str:
    held = "held out" if result["held_out"] else "the tuning seed (NOT held out)"
    lines = [
        f"seed {result['seed']}: {held}; thresholds tuned on seed {result['tuned_on_seed']}",
        f"{'pattern':40} {'n':>5} {'store':>7} {'head off':>8} {'combined':>8}",
    ]
    for name, r in result["patterns"].items():
        indent = "  " if "/" in name else ""
        lines.append(
            f"{indent + name:40} {r['planted']:5d} {_pct(r['store']):>7} "
            f"{_pct(r['head_office']):>8} {_pct(r['combined']):>8}"
        )
    c = result["clean"]
    lines.append(
        f"{'clean applications flagged':40} {c['count']:5d} {_pct(c['store']):>7} "
        f"{_pct(c['head_office']):>8} {_pct(c['combined']):>8}"
    )
    return "\n".join(lines)
