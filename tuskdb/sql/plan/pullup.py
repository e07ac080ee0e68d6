"""Subqueries in FROM merged into the query around them (PostgreSQL's
pull_up_subqueries, prepjointree.c).

A simple subquery in FROM — a view, or ``(SELECT ... FROM ... WHERE ...) AS ss`` with
no aggregation, grouping, window functions, set-returning functions, DISTINCT,
ORDER BY, LIMIT/OFFSET or row locking — adds nothing a join tree can't say. Its FROM
items take its place, its WHERE joins the query's quals, and every reference to one
of its columns becomes the expression that column stands for. The planner then
orders joins, pushes quals and picks indexes across the old boundary, and EXPLAIN
shows the base scans as PostgreSQL does instead of a Subquery Scan.

Where the subquery sits on the nullable side of an outer join, only subqueries whose
columns are plain column references are merged (PostgreSQL would wrap other
expressions in PlaceHolderVars so they go to NULL with the row), and their WHERE
must be able to join the ON condition of the join right above them.

A reference left behind (some structure the rewrite does not reach) keeps the
subquery as it was: after the rewrite the whole query is searched for its range
table entry and, if it is still named anywhere, the merge is undone.
"""

from __future__ import annotations

import copy
from typing import Any

from tuskdb.sql.analyze.query import CteItem, JoinItem, Query, SubqueryItem
from tuskdb.sql.expr import BoolExpr, Expr, Func, OuterVar, SubLink, Var, walk


class _Keep(Exception):
    """The subquery can't be merged after all."""


def pull_up_subqueries(q: Query) -> Query:
    if q.setop is not None or q.locking or not any(
            _has_subquery(it) for it in q.from_items):
        return q
    for _ in range(len(q.from_items) * 4 + 8):     # one merge per round
        merged = _pull_up_one(q)
        if merged is None:
            break
        q = merged
    return q


def _has_subquery(item: Any) -> bool:
    if isinstance(item, SubqueryItem):
        return True
    if isinstance(item, JoinItem):
        return _has_subquery(item.left) or _has_subquery(item.right)
    return False


def _simple(sub: Query) -> bool:
    """PostgreSQL's is_simple_subquery."""
    if not isinstance(sub, Query) or sub.setop is not None or sub.has_agg or sub.aggs \
            or sub.group_by or sub.having is not None or sub.grouping_sets is not None \
            or sub.windows or sub.srfs or sub.sort or sub.limit is not None \
            or sub.offset is not None or sub.distinct or sub.distinct_on or sub.locking \
            or sub.junk:
        return False
    if any(isinstance(it, tuple) for it in sub.from_items):
        return False
    for t in sub.targets:
        if any(isinstance(x, Func) and x.volatile for x in walk(t)):
            return False
        if any(isinstance(x, SubLink) for x in walk(t)):
            return False
    return True


def _pull_up_one(q: Query) -> Query | None:
    """Merge the first mergeable subquery of q's FROM; None when there is none."""
    for i, item in enumerate(q.from_items):
        found = _find(item, True, None)
        if found is None:
            continue
        sub_item, parent, nonnull = found
        sub = pull_up_subqueries(sub_item.query)
        # what the subquery became once its own subqueries merged must still qualify
        # (a constant from below must not leave the null-extended side of a join)
        if not _mergeable(sub, parent, nonnull, sub_item):
            sub_item.keep = True
            return q
        try:
            return _merge(q, i, sub_item, sub, parent, nonnull)
        except _Keep:
            sub_item.keep = True            # don't try this one again
            return q
    return None


def _find(item: Any, nonnull: bool, parent: Any) -> tuple[SubqueryItem, Any, bool] | None:
    """The first subquery in ``item`` that may be merged, with its parent JoinItem and
    whether no outer join above it null-extends it."""
    if isinstance(item, SubqueryItem):
        if item.lateral or getattr(item, "keep", False) or not _simple(item.query) or \
                not _mergeable(item.query, parent, nonnull, item):
            return None
        return item, parent, nonnull
    if isinstance(item, JoinItem):
        kind = item.kind
        lnon = nonnull and kind in ("INNER", "CROSS", "LEFT")
        rnon = nonnull and kind in ("INNER", "CROSS", "RIGHT")
        return _find(item.left, lnon, item) or _find(item.right, rnon, item)
    return None


def _mergeable(sub: Query, parent: Any, nonnull: bool, item: Any) -> bool:
    if not sub.from_items and parent is not None:
        return False
    if not nonnull:
        if not all(isinstance(t, Var) for t in sub.targets):
            return False
        if sub.where is not None and not _nullable_child_of(parent, item):
            return False
    return True


def _nullable_child_of(parent: Any, item: Any) -> bool:
    """The subquery's WHERE can join the ON condition of ``parent``: an inner join, or
    the outer join that null-extends the subquery."""
    if parent is None:
        return False
    return (parent.kind == "LEFT" and parent.right is item) or \
        (parent.kind == "RIGHT" and parent.left is item) or \
        parent.kind in ("INNER", "CROSS")


def _merge(q: Query, index: int, item: SubqueryItem, sub: Query, parent: Any,
           nonnull: bool) -> Query:
    conds = _conjuncts(sub.where)
    q2 = copy.copy(q)
    if parent is None:
        q2.from_items = q.from_items[:index] + list(sub.from_items) + q.from_items[index + 1:]
    else:
        q2.from_items = list(q.from_items)
        q2.from_items[index] = _replace(q.from_items[index], item, _join_list(sub.from_items),
                                        None if nonnull else parent, conds)
    if conds and (parent is None or nonnull):
        # the subquery's own quals come first, as its join-tree node is deeper
        q2.where = _and(conds + ([q.where] if q.where is not None else []))
    new = _Rewriter(item.rt, list(sub.targets)).query(q2)
    if _mentions(new, item.rt):
        raise _Keep()
    return new


def _join_list(items: list) -> Any:
    out = items[0]
    for it in items[1:]:
        out = JoinItem("CROSS", out, it, None)
    return out


def _replace(node: Any, item: Any, repl: Any, on_join: Any, conds: list) -> Any:
    """``node`` with ``item`` replaced by ``repl`` (new JoinItems along the way); the
    subquery's WHERE joins the ON condition of ``on_join`` when given."""
    if node is item:
        return repl
    if not isinstance(node, JoinItem):
        return node
    left = _replace(node.left, item, repl, on_join, conds)
    right = _replace(node.right, item, repl, on_join, conds)
    if left is node.left and right is node.right:
        return node
    out = copy.copy(node)
    out.left, out.right = left, right
    if node is on_join and conds:
        out.quals = _and(conds + ([out.quals] if out.quals is not None else []))
        if out.kind == "CROSS":
            out.kind = "INNER"
    return out


def _conjuncts(e: Expr | None) -> list[Expr]:
    if e is None:
        return []
    if isinstance(e, BoolExpr) and e.op == "AND":
        out = []
        for a in e.args:
            out += _conjuncts(a)
        return out
    return [e]


def _and(parts: list[Expr]) -> Expr | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else BoolExpr("AND", parts)


# -- rewriting references ----------------------------------------------------------------

# attributes that hold shared catalog/analysis state, not this query's expressions
_SKIP_ATTRS = frozenset(("rel", "cte", "view", "state", "agg", "fn", "lt", "op_info",
                         "children", "router", "partcheck"))


class _Rewriter:
    """A copy of a query with references to subquery ``rt``'s columns replaced by the
    subquery's target expressions (at deeper query levels, as outer references)."""

    def __init__(self, rt: int, targets: list[Expr]) -> None:
        self.rt = rt
        self.targets = targets
        self.memo: dict[int, Any] = {}

    def query(self, q: Query) -> Query:
        return self.map(q, 0)

    def map(self, obj: Any, depth: int) -> Any:
        if obj is None or isinstance(obj, (int, float, str, bool, bytes)):
            return obj
        key = (id(obj), depth)
        hit = self.memo.get(key)
        if hit is not None:
            return hit[0]
        out = self._map(obj, depth)
        self.memo[key] = (out, obj)        # keep obj alive so its id stays unique
        return out

    def _map(self, obj: Any, depth: int) -> Any:
        if isinstance(obj, Var):
            if obj.rt == self.rt and depth == 0:
                return self.column(obj)
            return obj
        if isinstance(obj, OuterVar):
            if obj.var.rt == self.rt:
                if obj.level != depth:
                    raise _Keep()
                return _outer(self.column(obj.var), depth)
            return obj
        if isinstance(obj, list):
            items = [self.map(x, depth) for x in obj]
            return obj if all(a is b for a, b in zip(items, obj)) else items
        if isinstance(obj, tuple):
            items = tuple(self.map(x, depth) for x in obj)
            return obj if all(a is b for a, b in zip(items, obj)) else items
        if isinstance(obj, (Query, Expr, JoinItem, SubqueryItem)) or _ours(obj):
            return self._fields(obj, depth)
        return obj

    def _fields(self, obj: Any, depth: int) -> Any:
        attrs = getattr(obj, "__dict__", None)
        if attrs is None or isinstance(obj, CteItem):
            return obj
        changed = {}
        for k, v in attrs.items():
            if k in _SKIP_ATTRS:
                continue
            # a subquery's own levels: its plan/query is one level down
            d = depth + 1 if k in ("plan", "query") and isinstance(v, Query) else depth
            nv = self.map(v, d)
            if nv is not v:
                changed[k] = nv
        if not changed:
            return obj
        out = copy.copy(obj)
        for k, v in changed.items():
            setattr(out, k, v)
        return out

    def column(self, var: Var) -> Expr:
        if var.attno >= len(self.targets):
            raise _Keep()
        return self.targets[var.attno]


def _ours(obj: Any) -> bool:
    mod = type(obj).__module__
    return mod.startswith("tuskdb.sql.analyze") and type(obj).__name__ not in (
        "AnalyzeState", "Scope", "RangeEntry", "CTEInfo", "ExprContext")


def _outer(e: Expr, depth: int) -> Expr:
    """Expression ``e`` of this level as seen ``depth`` levels down."""
    if isinstance(e, Var):
        return OuterVar(depth, e)
    if isinstance(e, OuterVar):
        return OuterVar(e.level + depth, e.var)
    attrs = getattr(e, "__dict__", None)
    if attrs is None:
        return e
    out = copy.copy(e)
    for k, v in attrs.items():
        if k in _SKIP_ATTRS:
            continue
        if isinstance(v, Expr):
            setattr(out, k, _outer(v, depth))
        elif isinstance(v, list) and any(isinstance(x, Expr) for x in v):
            setattr(out, k, [_outer(x, depth) if isinstance(x, Expr) else x for x in v])
        elif isinstance(v, Query):
            raise _Keep()
    return out


def _mentions(obj: Any, rt: int, seen: set | None = None) -> bool:
    """Whether any Var or outer reference in ``obj`` still names range entry ``rt``."""
    seen = set() if seen is None else seen
    if obj is None or isinstance(obj, (int, float, str, bool, bytes)) or id(obj) in seen:
        return False
    seen.add(id(obj))
    if isinstance(obj, Var):
        return obj.rt == rt
    if isinstance(obj, OuterVar):
        return obj.var.rt == rt
    if isinstance(obj, (list, tuple)):
        return any(_mentions(x, rt, seen) for x in obj)
    if isinstance(obj, (Query, Expr, JoinItem, SubqueryItem)) or _ours(obj):
        attrs = getattr(obj, "__dict__", None) or {}
        return any(_mentions(v, rt, seen) for k, v in attrs.items() if k not in _SKIP_ATTRS)
    return False
