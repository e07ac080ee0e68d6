"""Subqueries inside expressions (PostgreSQL's SubPlan).

An uncorrelated subquery runs once per execution and its result is kept in
the ExecContext; a correlated one runs per outer row, with the outer row
pushed on ``ctx.outer`` so OuterVar references can read it.
"""

from __future__ import annotations

from typing import Any

from tuskdb.errors import CARDINALITY_VIOLATION, PgError
from tuskdb.sql.expr import Compiled, SubLink, compile_expr


def compile_sublink(e: SubLink, layout: dict) -> Compiled:
    from tuskdb.sql.plan.planner import plan_query

    kind = e.kind
    correlated = e.correlated
    key = id(e)
    if kind == "EXISTS" and correlated:
        from tuskdb.sql.plan.planner import hashed_exists
        hashed = hashed_exists(e.plan, layout)
        if hashed is not None:
            return _hashed_exists(key, *hashed)
    plan = plan_query(e.plan)

    def run(row: tuple, ctx: Any) -> list[tuple]:
        if not correlated:
            cache = ctx.subplan_cache
            hit = cache.get(key)
            if hit is not None:
                return hit
        ctx.outer.append((row, layout))
        try:
            if kind == "EXISTS":
                out = [r for r, _ in zip(plan.rows(ctx), range(1))]
            elif kind in ("EXPR", "MULTIEXPR"):
                out = [r for r, _ in zip(plan.rows(ctx), range(2))]
            else:
                out = list(plan.rows(ctx))
        finally:
            ctx.outer.pop()
        if not correlated:
            ctx.subplan_cache[key] = out
        return out

    if kind == "EXISTS":
        return lambda row, ctx: bool(run(row, ctx))
    if kind == "ARRAY":
        from tuskdb.types import Array
        return lambda row, ctx: Array([r[0] for r in run(row, ctx)])
    if kind == "MULTIEXPR":
        return _multiexpr(key, run)
    if kind == "EXPR":
        def scalar(row: tuple, ctx: Any) -> Any:
            out = run(row, ctx)
            if not out:
                return None
            if len(out) > 1:
                raise PgError(CARDINALITY_VIOLATION, "more than one row returned by a "
                              "subquery used as an expression")
            return out[0][0]
        return scalar
    test = compile_expr(e.test, layout)
    fn, rhs = e.op
    # the right operand is a Var over the subquery's single output column (possibly coerced)
    # (a row comparison refers to every column of the subquery: ROW(...) op ANY)
    ncols = max(1, len(getattr(e.plan, "output", None) or ()))
    rhs_c = compile_expr(rhs, {(("sub", 0), i): i for i in range(ncols)})
    use_or = kind == "ANY"
    if getattr(fn, "needs_ctx", False):     # operators whose function takes the context
        fn_ctx = fn
    else:
        fn_ctx = None
    if use_or and not correlated and getattr(e, "opname", None) == "=" and \
            e.test.type_oid == rhs.type_oid and ncols == 1 and _hashable(rhs.type_oid):
        return _hashed_in(key, run, test, rhs_c)

    def quantified(row: tuple, ctx: Any) -> Any:
        x = test(row, ctx)
        null = False
        for r in run(row, ctx):
            y = rhs_c(r, ctx)
            if x is None or y is None:
                null = True
                continue
            v = fn_ctx(ctx, x, y) if fn_ctx is not None else fn(x, y)
            if v is None:
                null = True
            elif use_or and v:
                return True
            elif not use_or and not v:
                return False
        if null:
            return None
        return not use_or
    return quantified


def _multiexpr(key: int, run: Any) -> Compiled:
    """The sub-SELECT of UPDATE ... SET (a, b) = (SELECT ...): its one row (None when it
    returns none), run once per updated row although every assigned column reads it
    (PostgreSQL's MULTIEXPR SubPlan). The row last read is kept with its result."""
    mkey = ("multiexpr", key)

    def multi(row: tuple, ctx: Any) -> Any:
        hit = ctx.subplan_cache.get(mkey)
        if hit is not None and hit[0] is row:
            return hit[1]
        out = run(row, ctx)
        if len(out) > 1:
            raise PgError(CARDINALITY_VIOLATION, "more than one row returned by a "
                          "subquery used as an expression")
        val = out[0] if out else None
        ctx.subplan_cache[mkey] = (row, val)
        return val
    return multi


def _hashed_exists(key: int, plan: Any, inner_keys: list, outer_keys: list) -> Compiled:
    """EXISTS correlated by equalities only: the subquery runs once per execution into a
    set of its key values, which each outer row probes (PostgreSQL's hashed SubPlan)."""

    def exists(row: tuple, ctx: Any) -> bool:
        table = ctx.subplan_cache.get(key)
        if table is None:
            table = set()
            for r in plan.rows(ctx):
                k = tuple(f(r, ctx) for f in inner_keys)
                if None not in k:
                    table.add(k)
            ctx.subplan_cache[key] = table
        k = tuple(f(row, ctx) for f in outer_keys)
        return None not in k and k in table
    return exists


def _hashable(type_oid: int) -> bool:
    """Values whose "=" is Python's equality (geometric "=" is fuzzy, floats' NaN is not
    equal to itself in Python)."""
    from tuskdb import types
    t = types.TYPES.get(type_oid)
    return t is not None and t.category not in ("G", "A", "C", "R", "X") and \
        type_oid not in (700, 701) and t.typtype == "b"


def _hashed_in(key: int, run: Any, test: Compiled, rhs: Compiled) -> Compiled:
    """x = ANY (uncorrelated subquery): its values as a set, probed per row; NULL when
    x is not found and x or some value is NULL, as the per-value comparison would say."""
    hkey = ("hashed", key)

    def member(row: tuple, ctx: Any) -> Any:
        entry = ctx.subplan_cache.get(hkey)
        if entry is None:
            values = set()
            has_null = False
            for r in run(row, ctx):
                v = rhs(r, ctx)
                if v is None:
                    has_null = True
                else:
                    values.add(v)
            entry = ctx.subplan_cache[hkey] = (values, has_null)
        values, has_null = entry
        if not values and not has_null:
            return False
        x = test(row, ctx)
        if x is None:
            return None
        if x in values:
            return True
        return None if has_null else False
    return member
