"""A graph of applications linked by shared identifiers (phone, ID number, delivery
address, customer device), as union-find: each new application joins the groups of
every earlier application that shares one of its identifiers, so a ring shows as one
connected group however its members are chained (A and B share a phone, B and C an
address, C and D an ID number...), not only as pairs.
"""

from __future__ import annotations

from collections.abc import Iterable


class UnionFind:
    """Disjoint sets of application ids with their members (smaller merged into larger)."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}

    def add(self, item: str) -> None:
        if item not in self._parent:
            self._parent[item] = item
            self._members[item] = [item]

    def find(self, item: str) -> str:
        root = item
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[item] != root:  # path compression
            self._parent[item], item = root, self._parent[item]
        return root

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))
        return ra

    def members(self, item: str) -> list[str]:
        """Every item in ``item``'s set, in the order they were added to it."""
        return self._members[self.find(item)]


class IdentifierGraph:
    """Applications joined through identifiers; identifiers in ``ignored`` (a store's
    own pick-up address) join nothing."""

    def __init__(self, ignored: Iterable[str] = ()) -> None:
        self.sets = UnionFind()
        self._first: dict[str, str] = {}  # identifier -> first application holding it
        self.ignored = set(ignored)

    def add(self, application_id: str, identifiers: Iterable[str]) -> list[str]:
        """Link ``application_id`` to earlier holders of its identifiers; its group."""
        self.sets.add(application_id)
        for ident in identifiers:
            if ident in self.ignored:
                continue
            first = self._first.setdefault(ident, application_id)
            if first != application_id:
                self.sets.union(first, application_id)
        return self.sets.members(application_id)


def components(edges: Iterable[tuple[str, Iterable[str]]]) -> list[list[str]]:
    """Connected groups of (application id, identifiers) pairs, for a batch view."""
    g = IdentifierGraph()
    seen: list[str] = []
    for app_id, idents in edges:
        g.add(app_id, idents)
        seen.append(app_id)
    roots: dict[str, list[str]] = {}
    for app_id in seen:
        roots.setdefault(g.sets.find(app_id), []).append(app_id)
    return list(roots.values())
