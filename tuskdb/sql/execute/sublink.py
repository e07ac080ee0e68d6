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

    plan = plan_query(e.plan)
    kind = e.kind
    correlated = e.correlated
    key = id(e)

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
            elif kind == "EXPR":
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

    def quantified(row: tuple, ctx: Any) -> Any:
        x = test(row, ctx)
        null = False
        for r in run(row, ctx):
            y = rhs_c(r, ctx)
            if x is None or y is None:
                null = True
                continue
            v = fn(x, y)
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
