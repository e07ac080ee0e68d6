"""TABLESAMPLE in FROM (PostgreSQL's transformTableSampleClause).

``rel TABLESAMPLE method (args) [REPEATABLE (seed)]`` applies to a table, a
partitioned or inherited table (each member is sampled) or a materialized view.
The method names a table sampling method; the built-in ones are SYSTEM and
BERNOULLI (tuskdb/sql/execute/tablesample.py), each taking one real argument, the
percentage.  The arguments and the seed are expressions evaluated when the scan
starts (they may refer to the enclosing query, e.g. a LATERAL outer row).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tuskdb.errors import DATATYPE_MISMATCH, UNDEFINED_OBJECT, WRONG_OBJECT_TYPE, PgError
from tuskdb.sql.analyze.coerce import UNKNOWN, can_coerce, coerce_to, type_name
from tuskdb.sql.analyze.expr import ExprContext, transform
from tuskdb.sql.analyze.query import RelItem
from tuskdb.sql.analyze.state import Scope
from tuskdb.sql.expr import Expr

FLOAT4 = 700
FLOAT8 = 701
INVALID_TABLESAMPLE_ARGUMENT = "2202H"


@dataclass(eq=False)
class TableSampleClause:
    method: str                 # tsm handler name: "system", "bernoulli"
    args: list[Expr]            # coerced to the method's parameter types (real)
    repeatable: Expr | None     # coerced to double precision


def transform_table_sample(item: Any, body: dict, state: Any, scope: Any,
                           outer: list) -> Any:
    from tuskdb.sql.execute.tablesample import TSM_METHODS
    rv = body["relation"]
    rv_loc = next(iter(rv.values())).get("location", -1)
    if not isinstance(item, RelItem) or item.rel.relkind not in ("r", "p", "m"):
        raise PgError(WRONG_OBJECT_TYPE, "TABLESAMPLE clause can only be applied to tables "
                      "and materialized views", position=state.pos(rv_loc))
    names = [n["String"]["sval"] for n in body["method"]]
    method = names[-1]
    spec = TSM_METHODS.get(method) if len(names) == 1 or names[0] == "pg_catalog" else None
    if spec is None:
        raise PgError(UNDEFINED_OBJECT, f"tablesample method {'.'.join(names)} does not exist",
                      position=state.pos(body.get("location")))
    raw_args = body.get("args") or []
    nparams = len(spec.param_types)
    if len(raw_args) != nparams:
        raise PgError(INVALID_TABLESAMPLE_ARGUMENT,
                      f"tablesample method {method} requires {nparams} "
                      f"argument{'' if nparams == 1 else 's'}, not {len(raw_args)}",
                      position=state.pos(body.get("location")))
    # the arguments see the enclosing queries, not this level's FROM items (the sampled
    # relation included): naming those is an "invalid reference to FROM-clause entry"
    ec = ExprContext(state, Scope(), "functions in FROM", None, outer)
    state.lateral_hidden.append(_HiddenScope(scope))
    try:
        args = [_to_specific(transform(a, ec), t, "TABLESAMPLE", ec, a)
                for a, t in zip(raw_args, spec.param_types)]
        repeatable = None
        if body.get("repeatable") is not None:
            if not spec.repeatable_across_queries:
                raise PgError("0A000", f"tablesample method {method} does not support "
                              "REPEATABLE", position=state.pos(body.get("location")))
            repeatable = _to_specific(transform(body["repeatable"], ec), FLOAT8, "REPEATABLE",
                                      ec, body["repeatable"])
    finally:
        state.lateral_hidden.pop()
    item.tablesample = TableSampleClause(method, args, repeatable)
    return item


class _HiddenScope:
    """This level's FROM items, out of the arguments' reach (no LATERAL would help)."""

    lateral_hint = False

    def __init__(self, scope: Any) -> None:
        self.scope = scope

    def find_entry(self, name: str) -> Any:
        return self.scope.find_entry(name)


def _leftmost(node: Any) -> int | None:
    """exprLocation of a raw expression: its leftmost token."""
    found: list[int] = []

    def visit(n: Any) -> None:
        if isinstance(n, dict):
            for k, v in n.items():
                if k == "location" and isinstance(v, int) and v >= 0:
                    found.append(v)
                else:
                    visit(v)
        elif isinstance(n, list):
            for v in n:
                visit(v)
    visit(node)
    return min(found) if found else None


def _to_specific(e: Expr, target: int, construct: str, ec: Any, raw: dict) -> Expr:
    """coerce_to_specific_type: the argument must be implicitly coercible to target."""
    if e.type_oid == target:
        return e
    if e.type_oid == UNKNOWN or can_coerce(e.type_oid, target, "i"):
        s = ec.state.session
        tctx = getattr(s, "type_context", None) if s is not None else None
        return coerce_to(e, target, -1, "i", ctx=tctx)
    loc = _leftmost(raw)
    raise PgError(DATATYPE_MISMATCH, f"argument of {construct} must be type "
                  f"{type_name(target)}, not type {type_name(e.type_oid)}",
                  position=ec.state.pos(loc))
