"""The payload carries the evidence list (kind and sha256 of each attachment saved
with the application; left out when there is none) and the first-payment date the
schedule was dated from (the store's, or the default one month on)."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

from core.context import AppContext
from core.demo_data import DemoGenerator
from core.store.sync_repo import SyncRepo
from core.sync import wire
from tests.helpers.evidence import attach_required, pack_requiring_photos


def _payload(ctx: AppContext, app_id: str) -> dict[str, object]:
    items = SyncRepo(ctx.db).items("pending")
    found = [json.loads(i.payload) for i in items if i.application_id == app_id]
    assert len(found) == 1
    payload: dict[str, object] = found[0]
    wire.ApplicationPayload.model_validate(payload)  # the server's model reads it
    return payload


def test_the_photos_and_the_first_payment_date_travel_in_the_payload(
    ctx: AppContext, gen: DemoGenerator
) -> None:
    assert ctx.rules is not None
    ctx.rules.install(pack_requiring_photos(), "file")  # head office asks for photos
    app = next(  # an application financing 3,000 yuan or more, not furniture over 5,000
        a
        for a in (gen.application() for _ in range(200))
        if ctx.applications.required_evidence(a) == ("id_front", "id_back")
    )
    first_due = ctx.clock.now().date() + timedelta(days=20)
    app = dataclasses.replace(app, terms=dataclasses.replace(app.terms, first_due_date=first_due))
    kinds = attach_required(ctx.applications, app)
    shas = {e.kind: e.sha256 for e in ctx.applications.pending_attachments()}
    app_id = ctx.applications.save(app)

    payload = _payload(ctx, app_id)
    listed = sorted(payload["evidence"], key=lambda e: e["kind"])  # type: ignore[arg-type,index]
    assert listed == [{"kind": k, "sha256": shas[k]} for k in sorted(kinds)]
    terms = payload["application"]["terms"]  # type: ignore[index]
    assert terms["first_due_date"] == first_due.isoformat()


def test_no_photo_no_list_and_no_date_set_the_default_date(
    ctx: AppContext, gen: DemoGenerator
) -> None:
    app = next(  # below 3,000 yuan: nothing to attach
        a
        for a in (gen.application() for _ in range(200))
        if not ctx.applications.required_evidence(a)
    )
    assert app.terms.first_due_date is None
    app_id = ctx.applications.save(app)
    payload = _payload(ctx, app_id)
    assert "evidence" not in payload
    # one calendar month after the application day, as the receipt's schedule
    due = ctx.applications.receipt_paperwork(app_id)["schedule"][0]["due_date"]  # type: ignore[index]
    assert payload["application"]["terms"]["first_due_date"] == due  # type: ignore[index]
