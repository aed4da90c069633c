"""What an application looks like on the wire: the raw form format plus what the store
computed (terms, the pre-screen summary with its local inputs). Built once, at save time,
and sealed by its sha256: a resend carries the very same bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from core.models import ApplicationInput
from core.money import format_fen
from core.prescreen.outcome import PrescreenOutcome
from core.prescreen.rebuild import local_inputs
from core.sync import wire


def yuan(fen: int) -> str:
    """12345 -> "123.45": the form's own money format (no grouping)."""
    return format_fen(fen, grouping=False)


def raw_form(app: ApplicationInput) -> dict[str, Any]:
    """The application in the format the form produces and ``parse_application`` reads
    (see resources/examples/), so the server validates exactly what the store did."""
    c = app.customer
    terms: dict[str, Any] = {
        "down_payment": yuan(app.terms.down_payment_fen),
        "term_months": app.terms.term_months,
        "method": app.terms.method.value,
    }
    if app.terms.first_due_date is not None:  # the store's first-payment date (optional)
        terms["first_due_date"] = app.terms.first_due_date.isoformat()
    return {
        "scenario": app.scenario.value,
        "customer": {
            "id_number": c.id_number,
            "name": c.name,
            "phone": c.phone,
            "monthly_income": yuan(c.monthly_income_fen),
            "home_city": c.home_city,
            "home_address": c.home_address,
        },
        "order": {
            "lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "unit_price": yuan(line.unit_price_fen),
                    "quantity": line.quantity,
                }
                for line in app.lines
            ],
            "delivery_city": app.delivery_city,
            "delivery_address": app.delivery_address,
        },
        "terms": terms,
    }


def prescreen_summary(outcome: PrescreenOutcome) -> dict[str, Any]:
    """The receipt as it travels: the outcome the clerk saw, and the inputs the server
    needs to replay it. Only the *local* inputs (core/prescreen/rebuild.py): the facts
    the application itself determines are rebuilt by the server, not sent twice."""
    return {
        "outcome": outcome.outcome,
        "reasons": list(outcome.codes),
        "pack_id": outcome.pack_id,
        "pack_version": outcome.pack_version,
        "inputs_sha256": outcome.inputs_sha256,
        "local_inputs": local_inputs(outcome.inputs),
    }


def prescreen_from_receipt(receipt: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`prescreen_summary` of a stored receipt row (``prescreen_receipts``: its
    ``reasons`` and ``inputs`` as stored JSON), the same dict a save builds."""
    reasons = json.loads(receipt["reasons"])
    return {
        "outcome": receipt["outcome"],
        "reasons": [str(r.get("code", "")) for r in reasons if isinstance(r, dict)],
        "pack_id": receipt["pack_id"],
        "pack_version": receipt["pack_version"],
        "inputs_sha256": receipt["inputs_sha256"],
        "local_inputs": local_inputs(json.loads(receipt["inputs"])),
    }


def application_payload(
    *,
    application_id: str,
    store_code: str,
    operator: str,
    created_at: str,
    app: ApplicationInput,
    annual_rate: str,
    first_payment_fen: int,
    total_repayment_fen: int,
    apr: str,
    prescreen: dict[str, Any] | None,
    consent: dict[str, Any] | None = None,
    reference: str | None = None,
    evidence: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A plain dict equal to ``wire.ApplicationPayload(...).model_dump(mode="json")``
    (built by hand: this runs once per saved application, also in bulk imports)."""
    extra: dict[str, Any] = {"consent": consent} if consent is not None else {}  # consent
    if reference:  # the short reference the customer was given (the id stays the id)
        extra["reference"] = reference
    if evidence:  # kind and sha256 of each attachment saved with it (none: left out)
        extra["evidence"] = [{"kind": e["kind"], "sha256": e["sha256"]} for e in evidence]
    return {
        **extra,
        "application_id": application_id,
        "store_code": store_code,
        "operator": operator,
        "created_at": created_at,
        "application": raw_form(app),
        "annual_rate": annual_rate,
        "first_payment_fen": first_payment_fen,
        "total_repayment_fen": total_repayment_fen,
        "apr": apr,
        "prescreen": prescreen,
    }


def sealed(payload: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON text stored in the outbox, and its sha256."""
    text = wire.canonical_json(payload)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()  # = wire.payload_sha256
