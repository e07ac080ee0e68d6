"""Window function analysis (PostgreSQL's parse_agg.c transformWindowFuncCall).

A window function call becomes a ``Var(("w", 0), i)`` over the output of a
WindowAgg node; its arguments, PARTITION BY and ORDER BY expressions are
evaluated on that node's input (after grouping).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb.errors import FEATURE_NOT_SUPPORTED, WINDOWING_ERROR, PgError  # noqa: F401
from tuskdb.sql.expr import Expr

# frameOptions bits (PostgreSQL's FRAMEOPTION_*)
F_NONDEFAULT, F_RANGE, F_ROWS, F_GROUPS, F_BETWEEN = 0x1, 0x2, 0x4, 0x8, 0x10
F_START_UNBOUNDED_PRECEDING, F_END_UNBOUNDED_PRECEDING = 0x20, 0x40
F_START_UNBOUNDED_FOLLOWING, F_END_UNBOUNDED_FOLLOWING = 0x80, 0x100
F_START_CURRENT_ROW, F_END_CURRENT_ROW = 0x200, 0x400
F_START_OFFSET_PRECEDING, F_END_OFFSET_PRECEDING = 0x800, 0x1000
F_START_OFFSET_FOLLOWING, F_END_OFFSET_FOLLOWING = 0x2000, 0x4000
F_EXCLUDE_CURRENT_ROW, F_EXCLUDE_GROUP, F_EXCLUDE_TIES = 0x8000, 0x10000, 0x20000

# window-only functions: name -> (result type, number of arguments allowed)
WINDOW_FUNCS = {
    "row_number": 20, "rank": 20, "dense_rank": 20, "percent_rank": 701, "cume_dist": 701,
    "ntile": 23, "lag": 0, "lead": 0, "first_value": 0, "last_value": 0, "nth_value": 0,
}


@dataclass(eq=False)
class WindowSpec:
    partition: list[Expr] = field(default_factory=list)
    order: list[Any] = field(default_factory=list)        # SortKey
    frame: int = 0x402 | 0x20                              # RANGE UNBOUNDED .. CURRENT ROW
    start_offset: Expr | None = None
    end_offset: Expr | None = None


@dataclass(eq=False)
class WindowCall:
    name: str
    args: list[Expr]
    type_oid: int
    spec: WindowSpec
    agg: Any = None            # types.Aggregate for an aggregate used as a window function
    star: bool = False
    filter: Expr | None = None
    distinct: bool = False


def transform_window_call(name: str, body: dict, args: list[Expr], ec: Any, pos: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import Var
    from tuskdb.sql.analyze.resolve import is_aggregate, resolve_aggregate

    if ec.windows is None:
        raise PgError(WINDOWING_ERROR, f"window functions are not allowed in {ec.kind}",
                      position=pos)
    spec = window_spec(body["over"], ec)
    if body.get("agg_distinct"):
        raise PgError(FEATURE_NOT_SUPPORTED, "DISTINCT is not implemented for window functions",
                      position=pos)
    filt = None
    if body.get("agg_filter") is not None:
        from tuskdb.sql.analyze.expr import require_bool, transform
        filt = require_bool(transform(body["agg_filter"], ec), "FILTER")
    if name in WINDOW_FUNCS and not is_aggregate(name, ec.state.session):
        t = WINDOW_FUNCS[name]
        if name in ("lag", "lead", "first_value", "last_value", "nth_value"):
            if not args:
                raise PgError("42883", f"function {name}() does not exist", position=pos)
            t = args[0].type_oid if args[0].type_oid != 705 else 25
            if args[0].type_oid == 705:
                args[0] = coerce_to(args[0], 25)
            for i in range(1, len(args)):
                if name in ("lag", "lead") and i == 2:
                    args[i] = coerce_to(args[i], t)
                else:
                    args[i] = coerce_to(args[i], 23)
        elif name == "ntile":
            args = [coerce_to(a, 23) for a in args]
        call = WindowCall(name, args, t, spec)
    else:
        star = bool(body.get("agg_star"))
        agg = resolve_aggregate(name, [a.type_oid for a in args], pos, ec.state.session)
        from tuskdb.sql.analyze.expr import coerce_polymorphic
        args, ret = coerce_polymorphic(args, agg.arg_types, agg.ret_type, pos, ec)
        call = WindowCall(name, [] if star else args, ret, spec, agg=agg, star=star,
                          filter=filt)
    ec.windows.append(call)
    return Var(("w", 0), len(ec.windows) - 1, call.type_oid, -1, name)


def window_spec(over: dict, ec: Any) -> WindowSpec:
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import transform

    base: dict = {}
    ref = over.get("refname") or (over.get("name") if not any(
        k in over for k in ("partitionClause", "orderClause")) else None)
    if ref:
        named = ec.named_windows.get(ref)
        if named is None:
            raise PgError("42704", f'window "{ref}" does not exist',
                          position=ec.state.pos(over.get("location")))
        base = named
        if over.get("partitionClause"):
            raise PgError(WINDOWING_ERROR, f'cannot override PARTITION BY clause of window '
                          f'"{ref}"', position=ec.state.pos(over.get("location")))
        if over.get("orderClause") and base.get("orderClause"):
            raise PgError(WINDOWING_ERROR, f'cannot override ORDER BY clause of window "{ref}"',
                          position=ec.state.pos(over.get("location")))
    from tuskdb.sql.analyze.expr import ExprContext
    inner = ExprContext(ec.state, ec.scope, ec.kind, ec.aggs, ec.outer)
    spec = WindowSpec()
    spec.raw_over = over        # how the OVER clause was written (for the deparser)
    for node in over.get("partitionClause") or base.get("partitionClause") or []:
        e = transform(node, inner)
        spec.partition.append(coerce_to(e, 25) if e.type_oid == 705 else e)
    from tuskdb.sql.analyze.select import _sort_key
    for s in over.get("orderClause") or base.get("orderClause") or []:
        sb = s["SortBy"]
        e = transform(sb["node"], inner)
        if e.type_oid == 705:
            e = coerce_to(e, 25)
        spec.order.append(_sort_key(e, sb, ec.state))
    frame = over.get("frameOptions", 0)
    if not frame & F_NONDEFAULT and ref and base.get("frameOptions", 0) & F_NONDEFAULT:
        frame = base["frameOptions"]
        over = base
    spec.frame = frame if frame & F_NONDEFAULT else (F_RANGE | F_START_UNBOUNDED_PRECEDING |
                                                       F_END_CURRENT_ROW)
    if frame & F_GROUPS and not spec.order:
        raise PgError(WINDOWING_ERROR, "GROUPS mode requires an ORDER BY clause",
                      position=ec.state.pos(over.get("location")))
    if over.get("startOffset") is not None:
        spec.start_offset = transform(over["startOffset"], inner)
    if over.get("endOffset") is not None:
        spec.end_offset = transform(over["endOffset"], inner)
    if frame & F_RANGE and (spec.start_offset is not None or spec.end_offset is not None):
        if len(spec.order) != 1:
            raise PgError(WINDOWING_ERROR, "RANGE with offset PRECEDING/FOLLOWING requires "
                          "exactly one ORDER BY column",
                          position=ec.state.pos(over.get("location")))
        col = spec.order[0].expr.type_oid
        for attr in ("start_offset", "end_offset"):
            off = getattr(spec, attr)
            if off is not None:
                setattr(spec, attr, _range_offset(col, off, ec))
    elif frame & (F_ROWS | F_GROUPS):
        from tuskdb.sql.analyze.coerce import coerce_to
        for attr in ("start_offset", "end_offset"):
            off = getattr(spec, attr)
            if off is not None:
                what = "ROWS" if frame & F_ROWS else "GROUPS"
                if off.type_oid not in (20, 21, 23, 705):
                    from tuskdb.sql.analyze.coerce import type_name
                    raise PgError("42804", f"argument of {what} must be type bigint, not type "
                                  f"{type_name(off.type_oid)}", position=off.location
                                  if getattr(off, "location", -1) >= 0 else None)
                setattr(spec, attr, coerce_to(off, 20))
    return spec


# in_range support: order column type -> offset type (PostgreSQL's in_range functions)
_INTS = (20, 21, 23)
_DATETIMES = (1082, 1114, 1184, 1083, 1266, 1186)


def range_offset_type(col: int, off: int) -> int | None:
    if col in _INTS and off in _INTS + (705,):
        return 20 if off != 705 else col
    if col in (700, 701) and off in (700, 701, 705) + _INTS + (1700,):
        return 701
    if col == 1700 and off in (1700, 705) + _INTS:
        return 1700
    if col in _DATETIMES and off in (1186, 705):
        return 1186
    return None


def _range_offset(col: int, off: Expr, ec: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import coerce_to, type_name
    t = range_offset_type(col, off.type_oid)
    if t is None:
        raise PgError("42883", f"RANGE with offset PRECEDING/FOLLOWING is not supported for "
                      f"column type {type_name(col)} and offset type "
                      f"{type_name(off.type_oid if off.type_oid != 705 else 25)}",
                      hint="Cast the offset value to an appropriate type.",
                      position=off.location if getattr(off, "location", -1) >= 0 else None)
    return coerce_to(off, t)
