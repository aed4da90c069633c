"""Retroactive flags: when a ring or a cluster crosses its threshold, what happens to
the members that arrived before it did.

Pure: given the earlier members and their central status, say which go to review
(not final yet: waiting for a decision or for a person in review, who must now see
the new reason), which are listed for the risk team (approved already: the store
signs on an approval, so the money may be out) and which are left alone (declined or
cancelled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FINAL = frozenset({"approved", "declined", "cancelled"})


@dataclass(frozen=True)
class MemberState:
    application_id: str
    status: str  # the central status: submitted | review | approved | declined | cancelled


@dataclass(frozen=True)
class Revision:
    """What crossing ``code``'s threshold at ``trigger`` does to earlier members."""

    code: str
    trigger: str
    to_review: tuple[str, ...]
    approved: tuple[str, ...]  # listed for the risk team
    untouched: tuple[str, ...]


def revise(code: str, trigger: str, earlier: Sequence[MemberState]) -> Revision:
    to_review, approved, untouched = [], [], []
    for m in earlier:
        if m.application_id == trigger:
            continue
        if m.status == "approved":
            approved.append(m.application_id)
        elif m.status in FINAL:
            untouched.append(m.application_id)
        else:
            to_review.append(m.application_id)
    return Revision(code, trigger, tuple(to_review), tuple(approved), tuple(untouched))
