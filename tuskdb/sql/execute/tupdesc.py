"""Completing heap rows to a relation's descriptor (PostgreSQL's slot_getmissingattrs).

A row stored before ALTER TABLE ADD COLUMN has fewer values than the table has
columns now: the missing ones read as the column's attmissingval (the ADD
COLUMN default, evaluated once) or NULL.  (Virtual generated columns are not
completed here: the analyzer replaces references to them by their generation
expression, see analyze/expr.column_var.)

`RelHeap` wraps a Heap for one relation descriptor so that every reader (scans,
index fetches, EvalPlanQual re-checks, RI checks, COPY TO) sees complete rows;
`ExecContext.heap(rel)` hands it out only for relations that need it
(`RelationInfo.needs_complete`), so ordinary tables pay nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

Completer = Callable[[tuple, Any], tuple]


def completer_for(rel: Any, session: Any) -> Completer:
    """The function completing rows of ``rel`` (cached on the descriptor)."""
    fn = rel.extra.get("_completer")
    if fn is None:
        fn = _make_completer(rel, session)
        rel.extra["_completer"] = fn
    return fn


def _make_completer(rel: Any, session: Any) -> Completer:
    natts = len(rel.columns)
    missing = tuple(c.missing if c.has_missing else None for c in rel.columns)

    def complete(values: tuple, ctx: Any) -> tuple:
        n = len(values)
        if n < natts:
            return (*values, *missing[n:])
        if n > natts:
            return values[:natts]
        return values
    return complete


class _Tuple:
    """A HeapTuple whose values were completed (the header fields are the original's)."""

    __slots__ = ("cmax", "cmin", "ctid", "infomask", "values", "xmax", "xmin")

    def __init__(self, tup: Any, values: tuple) -> None:
        self.xmin = tup.xmin
        self.xmax = tup.xmax
        self.cmin = tup.cmin
        self.cmax = tup.cmax
        self.infomask = tup.infomask
        self.ctid = tup.ctid
        self.values = values


class RelHeap:
    """A Heap read through one relation descriptor (see the module docstring)."""

    __slots__ = ("heap", "complete", "ctx")

    def __init__(self, heap: Any, complete: Completer, ctx: Any) -> None:
        self.heap = heap
        self.complete = complete
        self.ctx = ctx

    def __getattr__(self, name: str) -> Any:
        return getattr(self.heap, name)

    def scan(self, snapshot: Any, first_block: int = 0,
             end_block: int | None = None) -> Iterator[tuple[int, tuple]]:
        complete, ctx = self.complete, self.ctx
        for tid, values in self.heap.scan(snapshot, first_block, end_block):
            yield tid, complete(values, ctx)

    def scan_all(self) -> Iterator[tuple[int, Any]]:
        complete, ctx = self.complete, self.ctx
        for tid, tup in self.heap.scan_all():
            yield tid, _Tuple(tup, complete(tuple(tup.values), ctx))

    def fetch(self, snapshot: Any, tid: int) -> tuple | None:
        values = self.heap.fetch(snapshot, tid)
        return None if values is None else self.complete(values, self.ctx)

    def get_tuple(self, tid: int, decode: bool = True) -> Any:
        tup = self.heap.get_tuple(tid, decode)
        if tup is None or tup.values is None:
            return tup
        return _Tuple(tup, self.complete(tuple(tup.values), self.ctx))

    def fetch_latest(self, txn: Any, tid: int) -> tuple[int, tuple] | None:
        found = self.heap.fetch_latest(txn, tid)
        if found is None:
            return None
        return found[0], self.complete(found[1], self.ctx)
