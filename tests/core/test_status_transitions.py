"""core.applications.status.transition on a real SQLite file: every move of the status machine
(core.models.TRANSITIONS) writes the status, ``updated_at`` and exactly one audit row
naming the move; every move not in the machine is refused and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.applications import labels
from core.applications.status import Action, StatusChanged, TransitionRefused, transition
from core.clock import FixedClock
from core.config import resolve_paths
from core.context import AppContext, open_context
from core.demo_data import DemoGenerator, load_demo_catalog
from core.models import TRANSITIONS, Status
from core.operators.actor import ServiceError
from core.store.audit_repo import AuditRepo
from core.store.repositories import Repositories

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
SAVED_AT = "2026-11-27T10:30:00.000+00:00"
MOVED_AT = "2026-11-28T09:00:00.000+00:00"

LEGAL = [(old, new) for old, targets in TRANSITIONS.items() for new in sorted(targets)]
ILLEGAL = [(old, new) for old in Status for new in Status if new not in TRANSITIONS[old]]
# the action each kind of move is recorded under in practice
ACTION: dict[Status, Action] = {
    Status.PRESCREENED: "status",
    Status.QUEUED: "queued",
    Status.SUBMITTED: "submitted",
    Status.APPROVED: "decided",
    Status.DECLINED: "decided",
    Status.REVIEW: "decided",
    Status.CANCELLED: "cancelled",
}


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    c = open_context(resolve_paths(tmp_path / "d"), FixedClock(NOW))
    yield c
    c.close()


def _saved(ctx: AppContext, status: Status) -> str:
    """A saved application (queued, its upload pending) put at ``status``: the setup of
    a precondition, written directly (nothing moves into ``draft``)."""
    gen = DemoGenerator(7, NOW.date(), load_demo_catalog())
    app_id = ctx.applications.save(gen.application())
    with ctx.db.atomic():
        Repositories(ctx.db).set_status(app_id, status.value, SAVED_AT)
    return app_id


def _state(ctx: AppContext, app_id: str) -> tuple[Any, ...]:
    row = ctx.db.execute(
        "SELECT status, updated_at FROM applications WHERE id = ?", [app_id]
    ).fetchone()
    return tuple(row)


def _audit(ctx: AppContext) -> list[dict[str, Any]]:
    return list(AuditRepo(ctx.db).rows())


def _outbox(ctx: AppContext, app_id: str) -> list[str]:
    return [
        r[0] for r in ctx.db.execute("SELECT state FROM outbox WHERE application_id = ?", [app_id])
    ]


@pytest.mark.parametrize(("old", "new"), LEGAL, ids=[f"{o}->{n}" for o, n in LEGAL])
@pytest.mark.parametrize("by_operator", [True, False], ids=["operator", "system"])
def test_every_move_of_the_machine(
    ctx: AppContext, old: Status, new: Status, by_operator: bool
) -> None:
    app_id = _saved(ctx, old)
    operator_id = ctx.actor.operator_id if by_operator else None
    before = _audit(ctx)
    action = ACTION[new]
    detail = {"reason": "duplicate"} if new is Status.CANCELLED else {"code": "X"}
    with ctx.db.atomic():
        event = transition(
            Repositories(ctx.db),
            app_id,
            new,
            at=MOVED_AT,
            action=action,
            operator_id=operator_id,
            detail=detail,
        )
    assert _state(ctx, app_id) == (new.value, MOVED_AT)
    rows = _audit(ctx)
    assert len(rows) == len(before) + 1
    row = rows[-1]
    assert (
        row["at"],
        row["operator_id"],
        row["action"],
        row["target_type"],
        row["target_id"],
        row["from_status"],
        row["to_status"],
    ) == (MOVED_AT, operator_id, action, "application", app_id, old.value, new.value)
    expected: dict[str, Any] = dict(detail)
    if new is Status.CANCELLED:  # the upload not sent yet is withdrawn with the cancel
        expected["uploads_withdrawn"] = 1
        assert _outbox(ctx, app_id) == []
    else:
        assert _outbox(ctx, app_id) == ["pending"]
    assert json.loads(str(row["detail"])) == expected
    assert event == StatusChanged(app_id, old, new, MOVED_AT, action, operator_id, expected)
    last = ctx.applications.history(app_id)[-1]  # what the History view shows
    assert (last.action, last.from_status, last.to_status) == (action, old.value, new.value)
    assert AuditRepo(ctx.db).verify().ok


def test_a_move_without_detail_writes_none(ctx: AppContext) -> None:
    app_id = _saved(ctx, Status.SUBMITTED)
    with ctx.db.atomic():
        event = transition(
            Repositories(ctx.db), app_id, Status.REVIEW, at=MOVED_AT, action="status"
        )
    assert event.detail is None and event.operator_id is None
    assert _audit(ctx)[-1]["detail"] is None


def test_every_move_outside_the_machine_is_refused_and_changes_nothing(
    ctx: AppContext,
) -> None:
    assert len(LEGAL) + len(ILLEGAL) == len(Status) ** 2
    apps = {status: _saved(ctx, status) for status in Status}
    repo = Repositories(ctx.db)
    for old, new in ILLEGAL:
        app_id = apps[old]
        audit, outbox = _audit(ctx), _outbox(ctx, app_id)
        # the caller carries on and commits: still nothing written
        with ctx.db.atomic(), pytest.raises(TransitionRefused) as refused:
            transition(
                repo,
                app_id,
                new,
                at=MOVED_AT,
                action=ACTION.get(new, "status"),
                operator_id=ctx.actor.operator_id,
            )
        err = refused.value
        assert isinstance(err, ServiceError) and err.code == "TRANSITION_NOT_ALLOWED", (old, new)
        assert (err.app_id, err.from_status, err.to_status) == (app_id, old, new)
        assert err.params == {"status": labels.status_text(old)}  # the message names it
        assert _state(ctx, app_id) == (old.value, SAVED_AT), (old, new)
        assert _audit(ctx) == audit, (old, new)
        assert _outbox(ctx, app_id) == outbox, (old, new)
    assert AuditRepo(ctx.db).verify().ok


def test_an_unknown_application_is_refused(ctx: AppContext) -> None:
    before = _audit(ctx)
    with ctx.db.atomic(), pytest.raises(ServiceError) as missing:
        transition(
            Repositories(ctx.db),
            "0190aaaa-0000-7000-8000-000000000000",
            Status.CANCELLED,
            at=MOVED_AT,
            action="cancelled",
        )
    assert missing.value.code == "APPLICATION_NOT_FOUND"
    assert _audit(ctx) == before


def test_it_runs_only_inside_the_callers_transaction(ctx: AppContext) -> None:
    app_id = _saved(ctx, Status.QUEUED)
    before = _audit(ctx)
    with pytest.raises(RuntimeError, match="caller's transaction"):
        transition(Repositories(ctx.db), app_id, Status.SUBMITTED, at=MOVED_AT, action="submitted")
    assert _state(ctx, app_id) == ("queued", SAVED_AT) and _audit(ctx) == before
    # and it does not commit: the caller's rollback takes the move and its row back
    with pytest.raises(ZeroDivisionError), ctx.db.atomic():
        transition(Repositories(ctx.db), app_id, Status.SUBMITTED, at=MOVED_AT, action="submitted")
        assert _state(ctx, app_id)[0] == "submitted"
        1 / 0  # noqa: B018 - the caller's action fails after the move
    assert _state(ctx, app_id) == ("queued", SAVED_AT) and _audit(ctx) == before
