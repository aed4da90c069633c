"""The applications list's filters beyond the search text and the single status: the
salesperson, store, scenario, date range, several statuses, an upload's state and the
pre-screen outcome (what the filter bar and the dashboard's figures ask for).

Each is one indexed condition: ``operator_id`` with ``created_at`` reads
``applications_operator_created``, ``prescreen_outcome`` with ``created_at`` reads
``applications_outcome_created`` (migration 0015), a date range alone
``applications_dashboard`` (led by ``created_at``), so no filter reads every application."""

from __future__ import annotations

from typing import Any

from core.models import ListQuery


def list_filters(q: ListQuery, clauses: list[str], params: list[Any]) -> None:
    """The list's salesperson, store, scenario, date-range and sync filters."""
    for column, value in (
        ("scenario", q.scenario.value if q.scenario is not None else None),
        ("operator_id", q.operator_id),
        ("store_id", q.store_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if q.created_from is not None:
        clauses.append("created_at >= ?")
        params.append(q.created_from)
    if q.created_to is not None:
        clauses.append("created_at < ?")
        params.append(q.created_to)
    if q.statuses:
        clauses.append(f"status IN ({', '.join('?' for _ in q.statuses)})")
        params.extend(s.value for s in q.statuses)
    if q.outbox_state is not None:
        clauses.append("id IN (SELECT application_id FROM outbox WHERE state = ?)")
        params.append(q.outbox_state)
    if q.prescreen_outcome is not None:  # a copy of the receipt's outcome (migration 0013)
        clauses.append("prescreen_outcome = ?")
        params.append(q.prescreen_outcome)
