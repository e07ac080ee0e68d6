"""GROUPING SETS, ROLLUP, CUBE and GROUPING() (PostgreSQL's parse_agg.c).

GROUP BY items are expanded into a list of grouping sets, each a list of
indexes into ``Query.group_by`` (the distinct grouping expressions):

    GROUP BY a, ROLLUP (b, (c, d))   →  {a,b,c,d} {a,b} {a}
    CUBE (a, b)                      →  {} {a} {b} {a,b}
    GROUPING SETS ((a), (), ROLLUP (b))  →  {a} {} {b} {}

as PostgreSQL's expand_grouping_sets does: the cartesian product of the
top-level items, duplicates inside a set removed, sets ordered by size (GROUP
BY DISTINCT also drops repeated sets).  The Aggregate then groups its input
once per set (execute/grouping.py); a grouping column that is not in the
current set reads NULL, and GROUPING(args) is a bit mask with a 1 for each
argument not grouped in the row's set (leftmost argument = highest bit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.errors import GROUPING_ERROR, PgError
from tuskdb.sql.expr import Expr

EMPTY = "GROUPING_SET_EMPTY"
SIMPLE = "GROUPING_SET_SIMPLE"
ROLLUP = "GROUPING_SET_ROLLUP"
CUBE = "GROUPING_SET_CUBE"
SETS = "GROUPING_SET_SETS"


@dataclass(eq=False)
class GroupingFunc(Expr):
    """GROUPING(args) before the grouping columns are known (replaced by
    select._replace_grouped with a read of the row's grouping-set mask)."""

    args: list[Expr] = field(default_factory=list)
    location: int | None = None
    type_oid: int = 23
    typmod: int = -1
    level: int = 0                  # > 0: GROUPING of an enclosing query's columns
    scope: Any = None               # ... whose scope this is
    resolved: Expr | None = None    # ... the value, once that query's GROUP BY is known

    def children(self) -> list[Expr]:
        return self.args


def _compile_outer_grouping(e: GroupingFunc, layout: dict) -> Any:
    from tuskdb.sql.expr import compile_expr
    if e.resolved is None:
        raise PgError(GROUPING_ERROR, "arguments to GROUPING must be grouping expressions of "
                      "the associated query level", position=e.location)
    return compile_expr(e.resolved, layout)


def _register() -> None:
    from tuskdb.sql.expr import register_compiler
    register_compiler(GroupingFunc, _compile_outer_grouping)


_register()


def resolve_outer_grouping(state: Any, scope: Any, gkeys: list, key_of: Any,
                           has_sets: bool) -> None:
    """GROUPING() calls in subqueries that name this query level's columns."""
    from tuskdb.sql.expr import Const, Func, OuterVar, Var
    for g in [g for g in state.outer_grouping if g.scope is scope]:
        state.outer_grouping.remove(g)
        idx = []
        for a in g.args:
            k = key_of(a.var)
            if k not in gkeys:
                raise PgError(GROUPING_ERROR, "arguments to GROUPING must be grouping "
                              "expressions of the associated query level",
                              position=_location(a, g))
            idx.append(gkeys.index(k))
        if not has_sets:
            g.resolved = Const(0, 23)
            continue
        g.resolved = Func(_mask_fn(idx), [OuterVar(g.level, Var(("gset", 0), 0, 20, -1,
                                                                "grouping"))],
                          23, strict=True, name="grouping")


def _mask_fn(idx: list[int]) -> Any:
    n = len(idx)

    def grouping(mask: int) -> int:
        out = 0
        for pos, i in enumerate(idx):
            if mask >> i & 1:
                out |= 1 << (n - 1 - pos)
        return out
    return grouping


def has_grouping_sets(items: list[dict]) -> bool:
    return any("GroupingSet" in g for g in items)


def transform_grouping_sets(items: list[dict], distinct: bool, index_of: Any
                            ) -> list[list[int]]:
    """The expanded grouping sets of a GROUP BY list; ``index_of(node)`` analyzes one
    grouping expression and returns its index in the query's group_by list."""

    def element(node: dict) -> list[int]:
        # one element of ROLLUP/CUBE: an expression or a parenthesized list
        if "RowExpr" in node and node["RowExpr"].get("row_format") == "COERCE_IMPLICIT_CAST":
            return _union([], [index_of(a) for a in node["RowExpr"]["args"]])
        if "GroupingSet" in node and node["GroupingSet"]["kind"] == EMPTY:
            return []
        return [index_of(node)]

    def expand(node: dict, top: bool) -> list[list[int]]:
        if "GroupingSet" not in node:
            if not top and "RowExpr" in node:
                return [element(node)]
            return [[index_of(node)]]
        gs = node["GroupingSet"]
        kind = gs["kind"]
        content = gs.get("content") or []
        if kind == EMPTY:
            return [[]]
        if kind == SIMPLE:
            return [_union([], [i for c in content for i in element(c)])]
        if kind == ROLLUP:
            elems = [element(c) for c in content]
            return [[i for el in elems[:n] for i in el] for n in range(len(elems), -1, -1)]
        if kind == CUBE:
            elems = [element(c) for c in content]
            out = []
            for mask in range(1 << len(elems)):
                cur: list[int] = []
                for j, el in enumerate(elems):
                    if mask & (1 << j):
                        cur = cur + el
                out.append(cur)
            return out
        out = []
        for c in content:
            out += expand(c, False)
        return out

    expanded = [expand(g, True) for g in items]
    result = [_union([], s) for s in expanded[0]]
    for sets in expanded[1:]:
        result = [_union(q, s) for q in result for s in sets]
    if distinct and len(result) > 1:
        seen = set()
        uniq = []
        for s in sorted(result, key=lambda s: (len(s), sorted(s))):
            k = tuple(sorted(s))
            if k not in seen:
                seen.add(k)
                uniq.append(s)
        return uniq
    return sorted(result, key=len)


def _union(a: list[int], b: list[int]) -> list[int]:
    out = list(a)
    for x in b:
        if x not in out:
            out.append(x)
    return out


def contains_grouping(exprs: list[Expr]) -> bool:
    from tuskdb.sql.expr import walk
    return any(isinstance(x, GroupingFunc) for e in exprs if e is not None for x in walk(e))


def grouping_mask_expr(g: GroupingFunc, gkeys: list, key_of: Any, has_sets: bool) -> Expr:
    """The GROUPING(args) value: read the row's set mask (Var ("gset", 0) 0)."""
    from tuskdb.sql.expr import Const, Func, Var
    idx = []
    for a in g.args:
        k = key_of(a)
        if k not in gkeys:
            raise PgError(GROUPING_ERROR, "arguments to GROUPING must be grouping expressions "
                          "of the associated query level", position=_location(a, g))
        idx.append(gkeys.index(k))
    if not has_sets:
        return Const(0, 23)
    return Func(_mask_fn(idx), [Var(("gset", 0), 0, 20, -1, "grouping")], 23, strict=True,
                name="grouping")


def _location(a: Expr, g: GroupingFunc) -> int | None:
    loc = getattr(a, "location", None)
    return loc if loc is not None else g.location


def rollup_chains(sets: list[list[int]]) -> list[list[list[int]]]:
    """Group the sets into chains where each set contains the next one (a rollup that
    one sorted pass computes), largest sets first, as PostgreSQL's sorted grouping does."""
    chains: list[list[list[int]]] = []
    for s in sorted(sets, key=len, reverse=True):
        for ch in chains:
            if set(s) <= set(ch[-1]):
                ch.append(s)
                break
        else:
            chains.append([s])
    return chains


def chain_key_order(chain: list[list[int]]) -> list[int]:
    """Sort-key order of a chain: smaller sets' columns first (each set a prefix)."""
    order: list[int] = []
    for s in reversed(chain):
        for i in sorted(s, key=s.index):
            if i not in order:
                order.append(i)
    return order


__all__ = [
    "GroupingFunc",
    "chain_key_order",
    "contains_grouping",
    "grouping_mask_expr",
    "has_grouping_sets",
    "rollup_chains",
    "transform_grouping_sets",
]
