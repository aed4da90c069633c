"""Consent first: no pre-screen, no save and no queueing for sync without the
customer's consent; the record is kept, audited and sent; withdrawing it before
submission deletes the customer's data."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import i18n
from core.clock import FixedClock
from core.config import resolve_paths
from core.consent import ConsentMethod, load_texts
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import Status
from core.operators.actor import ServiceError
from core.store.sync_repo import SyncRepo
from core.sync.payload import raw_form

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "shop"), FixedClock(NOW))
    yield c
    c.close()


@pytest.fixture
def gen(ctx: AppContext) -> DemoGenerator:
    return DemoGenerator(9, NOW.date(), load_demo_catalog(), ctx.applications.policy)


def _audit(ctx: AppContext, action: str) -> list[dict[str, object]]:
    rows = ctx.db.execute(
        "SELECT target_type, target_id, detail FROM audit_log WHERE action = ? ORDER BY seq",
        [action],
    ).fetchall()
    return [{"type": t, "id": i, "detail": json.loads(d or "null")} for t, i, d in rows]


def test_texts_ship_in_both_languages_with_a_version() -> None:
    texts = load_texts()
    current = texts.current_version
    assert current.version == texts.current
    for kind in ("personal_info", "credit_query"):
        doc = current.document(kind)
        assert "授权" in doc.text["zh_CN"] and "authoriz" in doc.text["en"].lower()
        assert current.version in doc.text["zh_CN"] and current.version in doc.text["en"]
    assert len(current.sha256) == 64


def test_no_consent_no_prescreen_no_save_no_queue(ctx: AppContext, gen: DemoGenerator) -> None:
    app = dataclasses.replace(gen.application(), consent=None)
    for attempt in (ctx.applications.prescreen, ctx.applications.save):
        with pytest.raises(ServiceError) as refused:
            attempt(app)
        assert refused.value.code == "CONSENT_MISSING"
    with pytest.raises(ServiceError, match="CONSENT_MISSING"):
        ctx.applications.save_many([(app, NOW)])
    zh, en = i18n.translate("CONSENT_MISSING", "zh_CN"), i18n.translate("CONSENT_MISSING", "en")
    assert "授权" in zh and "consent" in en
    assert ctx.db.execute("SELECT count(*) FROM applications").fetchone()[0] == 0
    assert SyncRepo(ctx.db).count_state("pending") == 0


def test_consent_recorded_for_the_open_form_is_kept_audited_and_sent(
    ctx: AppContext, gen: DemoGenerator
) -> None:
    raw = raw_form(gen.application())  # the form as the clerk typed it: no consent section
    assert ctx.applications.validate(raw).value.consent is None  # type: ignore[union-attr]
    record = ctx.applications.record_consent(ConsentMethod.PAPER)
    assert record.version == load_texts().current and record.at.startswith("2026-03-02T02:00")
    [audited] = _audit(ctx, "consent_recorded")
    assert audited["detail"] == {"version": record.version, "method": "paper"}
    app = ctx.applications.validate(raw).value
    assert app is not None and app.consent == record
    ctx.applications.prescreen(app)
    app_id = ctx.applications.save(app)
    assert ctx.applications.pending_consent() is None  # used: the next customer consents anew
    stored = ctx.db.execute(
        "SELECT version, at, method, texts_sha256 FROM consents WHERE application_id = ?", [app_id]
    ).fetchone()
    assert tuple(stored) == (record.version, record.at, "paper", record.texts_sha256)
    [created] = [r for r in _audit(ctx, "created") if r["id"] == app_id]
    assert created["detail"]["consent_version"] == record.version  # type: ignore[index]
    [item] = SyncRepo(ctx.db).items("pending")
    assert json.loads(item.payload)["consent"] == record.to_json()
    with pytest.raises(ServiceError, match="CONSENT_MISSING"):
        ctx.applications.save(ctx.applications.validate(raw).value)  # type: ignore[arg-type]


def test_a_consent_section_with_another_text_is_refused(
    ctx: AppContext, gen: DemoGenerator
) -> None:
    raw = raw_form(gen.application())
    raw["consent"] = {"version": "2025.1", "at": "2026-03-02T10:00:00+08:00", "method": "paper",
                      "texts_sha256": "0" * 64}  # fmt: skip
    codes = [e.code for e in ctx.applications.validate(raw).errors]
    assert codes == ["CONSENT_TEXTS_CHANGED"]
    raw["consent"] = {"version": "1999.9", "at": "yesterday", "method": "nod"}
    codes = sorted(e.code for e in ctx.applications.validate(raw).errors)
    assert codes == ["CONSENT_METHOD_UNKNOWN", "CONSENT_TIME_INVALID", "CONSENT_VERSION_UNKNOWN"]


def test_withdrawing_before_saving_deletes_the_open_form(
    ctx: AppContext, gen: DemoGenerator
) -> None:
    ctx.applications.record_consent("paper")
    ctx.applications.save_form_draft({"customer": {"name": "张三"}})
    ctx.applications.withdraw_consent()
    assert ctx.applications.pending_consent() is None
    assert ctx.applications.load_form_draft() is None
    assert len(_audit(ctx, "consent_withdrawn")) == 1


def test_withdrawing_a_queued_application_deletes_the_customer(
    ctx: AppContext, gen: DemoGenerator
) -> None:
    app = gen.application()
    app_id = ctx.applications.save(app)
    ctx.applications.withdraw_consent(app_id)
    assert ctx.applications.row(app_id).status == Status.CANCELLED  # type: ignore[union-attr]
    detail = ctx.applications.detail(app_id)
    assert (detail.customer.name, detail.customer.id_number, detail.delivery_address) == (
        "",
        "",
        "",
    )
    assert SyncRepo(ctx.db).count_state("pending") == 0  # nothing of theirs is sent
    withdrawn = ctx.db.execute("SELECT withdrawn_at FROM consents").fetchone()[0]
    assert withdrawn is not None
    [audited] = _audit(ctx, "consent_withdrawn")
    assert audited["id"] == app_id


def test_after_submission_the_store_cannot_withdraw(ctx: AppContext, gen: DemoGenerator) -> None:
    app_id = ctx.applications.save(gen.application())
    ctx.applications.transition(app_id, Status.SUBMITTED)
    with pytest.raises(ServiceError, match="CONSENT_ALREADY_SUBMITTED"):
        ctx.applications.withdraw_consent(app_id)
    assert ctx.applications.detail(app_id).customer.name != ""
