"""enum_first / enum_last / enum_range: functions of an enum *type* (the argument's
value is ignored, only its type counts), so the analyzer builds them from the
argument's resolved type rather than through the types layer's pg_proc rows."""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import PgError
from tuskdb.sql.analyze.coerce import UNKNOWN, type_name
from tuskdb.sql.expr import Expr, Func
from tuskdb.types.usertypes import ENUM_SORT, EnumValue, base_type


def _enum_type(args: list[Expr], name: str, nargs: tuple[int, ...], pos: Any) -> Any:
    if len(args) not in nargs:
        desc = ", ".join(type_name(a.type_oid) for a in args)
        raise PgError("42883", f"function {name}({desc}) does not exist", position=pos,
                      hint="No function matches the given name and argument types. You "
                           "might need to add explicit type casts.")
    known = [a.type_oid for a in args if a.type_oid != UNKNOWN]
    if not known:
        raise PgError("42804", "could not determine polymorphic type because input has type "
                      "unknown", position=pos)
    oid = base_type(known[0])
    t = types.TYPES.get(oid)
    if t is None or t.typtype != "e" or any(base_type(k) != oid for k in known):
        desc = ", ".join(type_name(a.type_oid) for a in args)
        raise PgError("42883", f"function {name}({desc}) does not exist", position=pos,
                      hint="No function matches the given name and argument types. You "
                           "might need to add explicit type casts.")
    return t


def _labels(oid: int) -> list[EnumValue]:
    t = types.TYPES[oid]
    return [EnumValue(x) for x in t.label_oids]


def _check_safe(ctx: Any, values: list[EnumValue], t: Any) -> None:
    from tuskdb.sql.commands.typecmds import check_enum_value_safe
    for v in values:
        check_enum_value_safe(ctx.session, t, v)


def enum_first(args: list[Expr], ec: Any, pos: Any) -> Expr:
    t = _enum_type(args, "enum_first", (1,), pos)
    oid = t.oid

    def f(ctx: Any, _v: Any) -> Any:
        labels = _labels(oid)
        if not labels:
            raise PgError("55000", f"enum {types.TYPES[oid].sql_name} contains no values")
        _check_safe(ctx, labels[:1], types.TYPES[oid])
        return labels[0]
    return Func(f, list(args), oid, name="enum_first", strict=False, needs_ctx=True)


def enum_last(args: list[Expr], ec: Any, pos: Any) -> Expr:
    t = _enum_type(args, "enum_last", (1,), pos)
    oid = t.oid

    def f(ctx: Any, _v: Any) -> Any:
        labels = _labels(oid)
        if not labels:
            raise PgError("55000", f"enum {types.TYPES[oid].sql_name} contains no values")
        _check_safe(ctx, labels[-1:], types.TYPES[oid])
        return labels[-1]
    return Func(f, list(args), oid, name="enum_last", strict=False, needs_ctx=True)


def enum_range(args: list[Expr], ec: Any, pos: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import coerce_to
    t = _enum_type(args, "enum_range", (1, 2), pos)
    oid = t.oid
    args = [coerce_to(a, oid) for a in args]

    def f(ctx: Any, lo: Any = None, hi: Any = None, *_: Any) -> Any:
        labels = _labels(oid)
        if len(args) == 2:
            klo = ENUM_SORT.get(int(lo)) if lo is not None else None
            khi = ENUM_SORT.get(int(hi)) if hi is not None else None
            labels = [x for x in labels
                      if (klo is None or ENUM_SORT[int(x)] >= klo)
                      and (khi is None or ENUM_SORT[int(x)] <= khi)]
        _check_safe(ctx, labels, types.TYPES[oid])
        return types.Array(tuple(labels))
    return Func(f, args, t.array_oid, name="enum_range", strict=False, needs_ctx=True)


SPECIAL_FUNCS = {"enum_first": enum_first, "enum_last": enum_last, "enum_range": enum_range}


# -- format_type with catalog types ---------------------------------------------------------


def _format_type(args: list[Expr], ec: Any, pos: Any) -> Expr:
    """format_type(oid, typmod) that knows user-defined types: loads them from the
    session's catalogs and qualifies a type outside search_path with its schema."""
    from tuskdb.sql.analyze.coerce import coerce_to
    if len(args) != 2:
        desc = ", ".join(type_name(a.type_oid) for a in args)
        raise PgError("42883", f"function format_type({desc}) does not exist", position=pos,
                      hint="No function matches the given name and argument types. You "
                           "might need to add explicit type casts.")
    a = [coerce_to(args[0], 26), coerce_to(args[1], 23)]

    def fmt(ctx: Any, oid: Any, typmod: Any) -> Any:
        from tuskdb.types.registry import format_type
        if oid is None:
            return None
        if oid >= 16384:
            return format_user_type(ctx.session, oid, typmod)
        return format_type(oid, typmod)
    return Func(fmt, a, 25, name="format_type", strict=False, needs_ctx=True)


def format_user_type(session: Any, oid: int, typmod: Any) -> str:
    from tuskdb.sql.analyze.typename import type_is_visible
    from tuskdb.types.registry import format_type
    from tuskdb.types.usertypes import _quote_ident
    cat = session.catalog()
    t = cat.type_by_oid(oid)
    if t is None:
        return "???"
    elem = None
    if t.category == "A" and t.typtype == "b" and t.elem_oid >= 16384:
        elem = cat.type_by_oid(t.elem_oid)
    shown = elem if elem is not None else t
    text = format_type(oid, typmod)
    if getattr(shown, "nspname", None) and not type_is_visible(cat, session, shown):
        text = f"{_quote_ident(shown.nspname)}.{text}"
    return text


SPECIAL_FUNCS["format_type"] = _format_type
