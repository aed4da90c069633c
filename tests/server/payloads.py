"""Build wire payloads and batch items the way a store would."""

from __future__ import annotations

import copy
import json
from typing import Any

from core.config import resources_dir
from core.ids import uuid7
from core.models import ApplicationInput
from core.sync.payload import raw_form
from core.sync.wire import payload_sha256

EXAMPLE = json.loads((resources_dir() / "examples" / "appliance.json").read_text("utf-8"))


def raw_application(**changes: Any) -> dict[str, Any]:
    """The example application; ``changes`` keyed by dotted path, e.g.
    ``{"customer.monthly_income": "3000"}`` via ``**{...}``."""
    raw: dict[str, Any] = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        node = raw
        for part in parents:
            node = node[part]
        node[leaf] = value
    return raw


def raw_from_input(app: ApplicationInput) -> dict[str, Any]:
    """The raw form format of a validated application (amounts as yuan text): the very
    function the client uses to build its payloads."""
    return raw_form(app)


def payload(
    store_code: str,
    application_id: str | None = None,
    raw: dict[str, Any] | None = None,
    outcome: str | None = "PASS",
    reasons: tuple[str, ...] = (),
    annual_rate: str = "0.0888",
) -> dict[str, Any]:
    prescreen = (
        {"outcome": outcome, "reasons": list(reasons), "inputs_sha256": "0" * 64}
        if outcome is not None
        else None
    )
    # a plain dict, not the model: tests also build what no store could send
    return {
        "application_id": application_id or uuid7(),
        "store_code": store_code,
        "operator": "clerk",
        "created_at": "2026-03-01T10:00:00.000+00:00",
        "application": raw if raw is not None else raw_application(),
        "annual_rate": annual_rate,
        "first_payment_fen": 66_000,
        "total_repayment_fen": 790_000,
        "apr": "0.0888",
        "prescreen": prescreen,
    }


def item(
    body: dict[str, Any],
    op: str = "create",
    base_rev: int = 0,
    op_id: str | None = None,
    sha: str | None = None,
) -> dict[str, Any]:
    return {
        "op_id": op_id or uuid7(),
        "application_id": body["application_id"],
        "op": op,
        "base_rev": base_rev,
        "payload": body,
        "payload_sha256": sha or payload_sha256(body),
    }


def creates(store_code: str, count: int) -> list[dict[str, Any]]:
    return [item(payload(store_code)) for _ in range(count)]
