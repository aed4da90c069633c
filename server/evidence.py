"""Head office holds its decision until the evidence the rule pack requires has arrived.

Which evidence an application needs comes from the ``evidence`` section of the rule
pack the store priced it with (the pack its pre-screen names: the same pack the
store's own save checked, ``EVIDENCE_MISSING``), for its scenario and financed amount
(``core.rules.evidence.required_evidence``). A kind has *arrived* when an upload of
that kind for the application is complete and its sha256 verified
(``server/attachments.py``: ``<data dir>/attachments/<application id>/<sha256>`` with
its ``.kind`` file).

While a required kind has not arrived, the application is stored and its decision is
``review`` with the single reason ``HO_EVIDENCE_PENDING`` (:func:`hold`): no approval
and no decline goes out on an application whose ID photos head office has not seen.
When the last required upload completes, ``server/held.py`` scores it again and the
real decision goes out through the decisions feed as a revision.

A payload without an ``evidence`` list comes from a store older than attachments: head
office cannot wait for what such a store never takes, so nothing is held.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.rules.evidence import evidence_rules, required_evidence
from core.sync.wire import ApplicationPayload
from server.packs import ActivePack
from server.scorecard import Score

PENDING = "HO_EVIDENCE_PENDING"
FOLDER = "attachments"


def attachments_folder(data_dir: Path, application_id: str) -> Path:
    return data_dir / FOLDER / application_id


def arrived_kinds(folder: Path) -> set[str]:
    """The kinds of the complete, verified uploads in an application's folder."""
    if not folder.is_dir():
        return set()
    kinds = set()
    for marker in folder.glob("*.kind"):
        if (folder / marker.name.removesuffix(".kind")).exists():
            kinds.add(marker.read_text(encoding="utf-8").strip())
    return kinds


def required_kinds(pack: ActivePack | None, scenario: str, principal_fen: int) -> tuple[str, ...]:
    """What the pack's evidence section asks of an application (nothing without one)."""
    rules = evidence_rules(pack.pack.parameters if pack is not None else None)
    return required_evidence(rules, scenario, principal_fen)


def pending_evidence(
    payload: ApplicationPayload,
    required: tuple[str, ...],
    data_dir: Path | None,
) -> list[str]:
    """The required kinds that have not arrived; [] when nothing is held (nothing
    required, or a payload from a store older than the evidence list)."""
    if not required or payload.evidence is None:
        return []
    if data_dir is None:  # no data folder: nothing can have arrived
        return list(required)
    arrived = arrived_kinds(attachments_folder(data_dir, payload.application_id))
    return [k for k in required if k not in arrived]


def hold(result: Score) -> Score:
    """``result`` withheld: ``review`` for :data:`PENDING` alone (the points are kept
    for the audit; the real reasons come with the decision after the uploads)."""
    return replace(result, decision="review", approved_amount_fen=None, reasons=(PENDING,))


def is_held(reasons: list[str] | tuple[str, ...]) -> bool:
    return PENDING in reasons


__all__ = [
    "PENDING",
    "arrived_kinds",
    "attachments_folder",
    "hold",
    "is_held",
    "pending_evidence",
    "required_kinds",
]
