"""Head office holds its decision until the evidence the rule pack requires has
arrived: the real PC sync code (core.sync) against the real reference server on
127.0.0.1, on each backend. A pack requires the ID card's front for furniture financed
from 5,000 yuan; the clerk attaches it and saves; the first sync is answered ``review``
``HO_EVIDENCE_PENDING`` while the upload cannot land; once it lands head office scores
the application again and the revised decision reaches the PC."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.attachments import AttachmentError
from core.config import resolve_paths
from core.context import open_context
from core.demo_data.photos import demo_photo
from core.operators.actor import ServiceError
from core.rules import bundled_pack_path, sign_pack
from core.rules.trusted_keys import load_private_key_file
from core.validation.application import parse_application
from tests.core.sync.conftest import FAST
from tests.helpers.consent import with_consent
from tests.helpers.server import RealServer
from tests.server.payloads import EXAMPLE, fresh_customer

ROOT = Path(__file__).resolve().parents[2]
DEMO_KEY = ROOT / "resources" / "keys" / "demo_issuer_private.pem"
EXAMPLES = ROOT / "resources" / "examples"


def _pack_requiring_id_front(tmp_path: Path) -> tuple[Path, int]:
    """The bundled pack, one version up, whose only evidence rule is the ID card's
    front for furniture financed from 5,000 yuan."""
    doc = json.loads(bundled_pack_path().read_bytes())
    version = int(doc["manifest"]["version"]) + 1
    doc["manifest"]["version"] = version
    doc["manifest"]["parameters"]["evidence"] = {
        "rules": [{"scenario": "furniture", "min_principal": "5000", "require": ["id_front"]}]
    }
    path = tmp_path / "pack-evidence.json"
    path.write_bytes(sign_pack(doc, load_private_key_file(DEMO_KEY)))
    return path, version


def _furniture(today: Any) -> Any:
    raw = json.loads((EXAMPLES / "furniture.json").read_text("utf-8"))
    fresh_customer(raw)
    checked = parse_application(raw, today=today)
    assert checked.value is not None, checked.errors
    assert checked.value.principal_fen > 500_000  # financed above 5,000 yuan
    return with_consent(checked.value)


def _decisions(srv: RealServer, app_id: str) -> list[tuple[str, list[str]]]:
    rows = srv.sql(
        "SELECT decision, reasons FROM decisions WHERE application_id = ? ORDER BY seq",
        (app_id,),
    )
    return [(str(r[0]), json.loads(r[1])) for r in rows]


def test_a_decision_waits_for_the_required_photo_then_the_revision_reaches_the_pc(
    tmp_path: Path, own_server: Callable[..., RealServer]
) -> None:
    srv = own_server()
    pack, version = _pack_requiring_id_front(tmp_path)
    srv.publish_pack(pack)
    code = srv.add_store("S301", name="家具门店", city="成都")
    ctx = open_context(resolve_paths(tmp_path / "client"))
    try:
        assert ctx.sync is not None
        ctx.sync.enroll(srv.url, "S301", code, timeouts=FAST)
        assert ctx.sync.sync_once(timeouts=FAST).exit_code == 0  # the pack comes down
        usable = ctx.rules.usable() if ctx.rules is not None else None
        assert usable is not None and usable.version == version

        app = _furniture(ctx.clock.now().date())
        service = ctx.applications
        assert service.required_evidence(app) == ("id_front",)
        with pytest.raises((AttachmentError, ServiceError)) as refused:
            service.save(app)  # the store refuses first: no photo, no save
        assert refused.value.code == "EVIDENCE_MISSING"
        sha = service.attach("id_front", demo_photo("id_front")).sha256
        app_id = service.save(app)
        assert [e.sha256 for e in service.attachments(app_id)] == [sha]

        # the upload cannot land yet (head office answers 503 on its path)
        path = f"/v1/applications/{app_id}/attachments/{sha}"
        srv.faults(path=path, batch_status=503, times=-1)
        first = ctx.sync.sync_once(timeouts=FAST)
        assert first.acked == 1
        held = ctx.sync.decision(app_id)
        assert held is not None
        assert (held.decision, list(held.reasons)) == ("review", ["HO_EVIDENCE_PENDING"])
        assert _decisions(srv, app_id) == [("review", ["HO_EVIDENCE_PENDING"])]
        assert not (srv.data_dir / "attachments" / app_id / sha).exists()

        srv.faults()  # the link is back: the upload lands, head office decides again
        second = ctx.sync.sync_once(timeouts=FAST)
        assert second.exit_code == 0, second.to_json("en")
        assert (srv.data_dir / "attachments" / app_id / sha).exists()
        decided = _decisions(srv, app_id)
        assert len(decided) == 2 and "HO_EVIDENCE_PENDING" not in decided[1][1]
        revised = ctx.sync.decision(app_id)
        assert revised is not None
        assert (revised.decision, list(revised.reasons)) == decided[1]
        history = [e.action for e in service.history(app_id)]
        assert history[:4] == ["created", "queued", "submitted", "decided"]
        assert len(history) == 5 and history[4] in ("decided", "decision")

        third = ctx.sync.sync_once(timeouts=FAST)  # nothing more: one revision, once
        assert (third.pushed, third.decisions) == (0, 0)
        assert len(_decisions(srv, app_id)) == 2
    finally:
        ctx.close()


def test_an_application_that_needs_no_photo_is_decided_at_once(
    tmp_path: Path, own_server: Callable[..., RealServer]
) -> None:
    srv = own_server()
    pack, _version = _pack_requiring_id_front(tmp_path)
    srv.publish_pack(pack)
    code = srv.add_store("S302")
    ctx = open_context(resolve_paths(tmp_path / "client"))
    try:
        assert ctx.sync is not None
        ctx.sync.enroll(srv.url, "S302", code, timeouts=FAST)
        assert ctx.sync.sync_once(timeouts=FAST).exit_code == 0
        raw = json.loads(json.dumps(EXAMPLE))  # an appliance order: no photo required
        fresh_customer(raw)
        checked = parse_application(raw, today=ctx.clock.now().date())
        assert checked.value is not None
        app_id = ctx.applications.save(with_consent(checked.value))
        assert ctx.sync.sync_once(timeouts=FAST).acked == 1
        decided = _decisions(srv, app_id)
        assert len(decided) == 1 and "HO_EVIDENCE_PENDING" not in decided[0][1]
    finally:
        ctx.close()
