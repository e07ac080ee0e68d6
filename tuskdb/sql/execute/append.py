"""Append over an inheritance tree (PostgreSQL's Append with child relations).

Each child scan produces the child's own row shape; ``ChildRowMap`` turns it
into the parent's shape (columns matched by name, the TID and tableoid slots
carried over) so the nodes above see one relation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tuskdb.sql.execute.nodes import PlanNode


class Append(PlanNode):
    label = "Append"

    def __init__(self, parts: list[PlanNode], layout: dict, width: int) -> None:
        self.parts = parts
        self.layout = layout
        self.width = width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        for p in self.parts:
            yield from p.rows(ctx)

    def children(self) -> list[PlanNode]:
        return list(self.parts)


class ChildRowMap(PlanNode):
    """A child table's rows in its parent's column order."""

    label = "Result"

    def __init__(self, child: PlanNode, attmap: tuple, child_natts: int, layout: dict,
                 width: int) -> None:
        self.child = child
        self.attmap = attmap
        self.child_natts = child_natts
        self.layout = layout
        self.width = width

    def rows(self, ctx: Any) -> Iterator[tuple]:
        n = self.child_natts
        attmap = self.attmap
        if attmap == tuple(range(len(attmap))):
            k = len(attmap)
            for row in self.child.rows(ctx):
                yield (*row[:k], row[n], row[n + 1])
            return
        for row in self.child.rows(ctx):
            yield (*[None if m is None else row[m] for m in attmap], row[n], row[n + 1])

    def children(self) -> list[PlanNode]:
        return [self.child]
