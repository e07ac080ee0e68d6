"""Aggregation over GROUPING SETS / ROLLUP / CUBE (see analyze/grouping.py).

The input is read once; every row advances one group per grouping set.  Rows
come out chain by chain (rollup_chains), each chain in the order PostgreSQL's
sorted grouping gives: by its key columns, NULLs last, a subtotal row right
after the rows it sums up, the grand total last.

Output row: (every grouping column, NULL where the row's set does not group
it) + aggregate results + the set's mask (bit i = group_by[i] not grouped),
which GROUPING() reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tuskdb.sql.analyze.grouping import chain_key_order, rollup_chains
from tuskdb.sql.execute.nodes import YIELD_EVERY, PlanNode, multikey_sort


class GroupingSetsAggregate(PlanNode):
    label = "GroupAggregate"

    def __init__(self, child: PlanNode, group_keys: list[Any], aggs: list[Any],
                 sets: list[list[int]]) -> None:
        self.child = child
        self.group_keys = group_keys
        self.aggs = aggs
        self.sets = sets
        self.chains = rollup_chains(sets)
        ng = len(group_keys)
        self.width = ng + len(aggs) + 1
        self.layout = {}
        for i in range(ng):
            self.layout[(("g", 0), i)] = i
        for j in range(len(aggs)):
            self.layout[(("a", 0), j)] = ng + j
        self.layout[(("gset", 0), 0)] = ng + len(aggs)

    def rows(self, ctx: Any) -> Iterator[tuple]:
        keys = self.group_keys
        aggs = [a.bound(ctx) for a in self.aggs]
        ng = len(keys)
        blank = (None,) * self.child.width
        sets = [tuple(s) for s in self.sets]
        distinct_sets = list(dict.fromkeys(tuple(sorted(s)) for s in sets))
        groups: dict[tuple, dict] = {s: {} for s in distinct_sets}
        check = ctx.check_interrupts
        n = 0
        for row in self.child.rows(ctx):
            n += 1
            if n >= YIELD_EVERY:
                n = 0
                check()
            full = [f(row, ctx) for f in keys]
            for s in distinct_sets:
                k = tuple([full[i] for i in s])
                states = groups[s].get(k)
                if states is None:
                    states = [a.new_state() for a in aggs]
                    groups[s][k] = states
                for i, a in enumerate(aggs):
                    states[i] = a.advance(states[i], row, ctx)
        for s in distinct_sets:
            if not s and not groups[s]:
                groups[s][()] = [a.new_state() for a in aggs]     # () over no rows: one row
        done: dict[tuple, int] = {}
        for chain in self.chains:
            order = chain_key_order(chain)
            out = []
            for s in chain:
                ss = tuple(sorted(s))
                # a set listed twice (without DISTINCT) is computed twice
                done[ss] = done.get(ss, 0) + 1
                mask = 0
                for i in range(ng):
                    if i not in s:
                        mask |= 1 << i
                for k, states in groups[ss].items():
                    vals: list[Any] = [None] * ng
                    for i, v in zip(ss, k):
                        vals[i] = v
                    out.append((tuple(vals) + tuple(a.finish(st, ctx, blank) for a, st in
                                                    zip(aggs, states)) + (mask,), mask))
            yield from (r for r, _ in _chain_order(out, order))

    def children(self) -> list[PlanNode]:
        return [self.child]


def _chain_order(out: list[tuple], order: list[int]) -> list[tuple]:
    """Sorted by the chain's keys, NULLs last, a column not grouped after every value."""
    keys = []
    for i in order:
        keys.append((("absent", i), False, False))
        keys.append((("value", i), False, False))

    def get(item: tuple, pos: Any) -> Any:
        what, i = pos
        if what == "absent":
            return item[1] >> i & 1
        return item[0][i]
    return multikey_sort(out, get, keys)


__all__ = ["GroupingSetsAggregate"]
