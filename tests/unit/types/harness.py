"""Helpers for the types unit tests: evaluate golden cases through tuskdb.types."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from tuskdb import types
from tuskdb.errors import PgError
from tuskdb.types.aggregates import AGGREGATES, run_aggregate
from tuskdb.types.builtins import FUNCTIONS, OPERATORS, find_cast

sys.path.insert(0, str(Path(__file__).resolve().parent / "oracle"))

POLY = {2276, 2277, 2283, 2776, 5077, 5078, 3831}
ARRAY_POLY = {2277, 5078}
BINARY_COERCIBLE = {(1562, 1560), (1560, 1562)}  # varbit <-> bit, as pg_cast 'b' rows

_SETTING_KEYS = {"DateStyle": "datestyle", "TimeZone": "timezone",
                 "IntervalStyle": "intervalstyle", "extra_float_digits": "extra_float_digits",
                 "bytea_output": "bytea_output"}


def context(settings: dict[str, str] | None = None) -> types.TypeContext:
    kw: dict[str, Any] = {}
    for k, v in (settings or {}).items():
        kw[_SETTING_KEYS[k]] = int(v) if k == "extra_float_digits" else v
    return types.TypeContext(**kw)


def parse_type(spec: str) -> tuple[types.PgType, int]:
    m = re.fullmatch(r"(\w+)(?:\(([^)]*)\))?", spec)
    assert m, spec
    if m.group(1) in ("char", "bit") and m.group(2) is None:  # SQL: length 1
        spec = "bpchar(1)" if m.group(1) == "char" else "bit(1)"
        m = re.fullmatch(r"(\w+)(?:\(([^)]*)\))?", spec)
        assert m
    t = types.type_by_name(m.group(1))
    typmod = -1
    if m.group(2):
        mods = [int(x) for x in m.group(2).split(",")]
        if t.oid == 1186 or (t.category == "A" and t.elem_oid == 1186):
            mods = [0x7FFF] + mods          # the grammar's interval(p): full range + p
        typmod = t.typmod_in(mods)
    return t, typmod


def literal(spec: str, text: str | None, ctx: Any) -> tuple[Any, int]:
    """'text'::spec as PostgreSQL evaluates an explicit cast of a literal."""
    t, typmod = parse_type(spec)
    if text is None:
        return None, t.oid
    if t.oid == 1186 or (t.elem_oid == 1186 and t.category == "A"):
        v = t.input(text, typmod, ctx)
    else:
        v = t.input(text, -1, ctx)
    if typmod >= 0:
        v = t.coerce_typmod(v, typmod, True)
    return v, t.oid


def outcome(fn: Any) -> Any:
    """Run fn(); return its text result or ("ERROR", sqlstate, message[, detail[, hint]])."""
    try:
        return fn()
    except PgError as e:
        extra: tuple[str, ...] = (e.detail,) if e.detail else ()
        if e.hint:
            extra = (e.detail or "", e.hint)
        return ("ERROR", e.sqlstate, e.message) + extra


def matches(expected: Any, got: Any) -> bool:
    if isinstance(expected, tuple) and isinstance(got, tuple):
        return expected[:3] == got[:3] and (len(expected) < 4 or expected == got)
    return expected == got


def _poly_ok(decl: tuple[int, ...], actual: list[int]) -> bool:
    if len(decl) != len(actual):
        return False
    from tuskdb.types.ranges import RANGE_TYPES
    elem = None  # the element type bound by anyrange/anyarray arguments
    for d, a in zip(decl, actual):
        if d == 3831 and a in RANGE_TYPES:
            elem = RANGE_TYPES[a][0]
        elif d in ARRAY_POLY and types.TYPES[a].category == "A":
            elem = types.TYPES[a].elem_oid
    for d, a in zip(decl, actual):
        if d in (2283, 5077, 2776) and elem is not None and a != elem:
            return False
    for d, a in zip(decl, actual):
        if d == a or d in (2276,) or (a, d) in BINARY_COERCIBLE:
            continue
        if d in ARRAY_POLY and types.TYPES[a].category == "A":
            continue
        if d == 3831 and types.TYPES[a].category == "R":
            continue
        if d in (2283, 2776, 5077) and types.TYPES[a].category != "A":
            continue
        return False
    return True


def _resolve_ret(ret: int, decl: tuple[int, ...], actual: list[int]) -> int:
    if ret not in POLY:
        return ret
    from tuskdb.types.ranges import RANGE_TYPES
    for d, a in zip(decl, actual):
        if d == 3831:
            return a if ret == 3831 else RANGE_TYPES[a][0]
        if d in ARRAY_POLY:
            return a if ret in ARRAY_POLY else types.TYPES[a].elem_oid
        if d in (2283, 2776, 5077):
            return types.TYPES[a].array_oid if ret in ARRAY_POLY else a
    raise AssertionError("cannot resolve polymorphic result")


def find(cands: list[Any], name: str, argtypes: list[int], sig: Any) -> Any:
    named = [c for c in cands if c.name == name]
    for c in named:
        if list(sig(c)) == argtypes:
            return c
    for c in named:
        if _poly_ok(tuple(sig(c)), argtypes):
            return c
    for c in named:  # VARIADIC "any"
        if getattr(c, "variadic", 0) == 2276 and len(sig(c)) <= len(argtypes):
            return c
    for c in named:  # trailing parameters with defaults
        d = len(getattr(c, "arg_defaults", ()))
        if d and len(sig(c)) - d <= len(argtypes) < len(sig(c)) and \
                _poly_ok(tuple(sig(c))[:len(argtypes)], argtypes):
            return c
    raise LookupError(f"{name}{argtypes}")


def evaluate(case: tuple[Any, ...], ctx: Any) -> Any:
    kind, name, args = case[0], case[1], case[2]
    if kind == "agg":
        rows = [row if isinstance(row, list) else [row] for row in args]
        star = case[3:4] == ("star",)
        argtypes: list[int] = []
        values: list[tuple[Any, ...]] = []
        for row in rows:
            vals, oids = zip(*(literal(t, v, ctx) for t, v in row))
            values.append(tuple(vals))
            argtypes = list(oids)
        if not rows and not star:
            argtypes = [parse_type(case[4])[0].oid]
        agg = find(AGGREGATES, name, [] if star else argtypes, lambda a: a.arg_types)
        ret = _resolve_ret(agg.ret_type, agg.arg_types, argtypes)
        res = run_aggregate(agg, [() for _ in values] if star else values)
        return None if res is None else types.TYPES[ret].output(res, ctx)
    vals = []
    oids = []
    for t, v in args:
        val, oid = literal(t, v, ctx)
        vals.append(val)
        oids.append(oid)
    if kind == "cast":
        target, typmod = parse_type(name)
        c = find_cast(oids[0], target.oid)
        assert c is not None, case
        if vals[0] is None:
            return None
        r = vals[0] if c.func is None else c.func(vals[0], typmod, ctx)
        if r is None:
            return None
        if typmod >= 0:
            r = target.coerce_typmod(r, typmod, True)
        return target.output(r, ctx)
    if kind == "srf":
        fobj = find(FUNCTIONS, name, oids, lambda f: f.arg_types)
        assert fobj.retset
        if fobj.strict and any(v is None for v in vals):
            return None
        rows = list(fobj.func(ctx, *vals) if fobj.needs_ctx else fobj.func(*vals))
        if not rows:
            return None
        rt = types.TYPES[_resolve_ret(fobj.ret_type, fobj.arg_types, oids)]
        shown = [rt.output(r, ctx) for r in rows if r is not None]  # string_agg skips NULL
        return "|".join(shown) if shown else None
    if kind == "op":
        full = [0] + oids if len(oids) == 1 else oids
        o = find(OPERATORS, name, full, lambda o: (o.left, o.right) if o.left else (0, o.right))
        f, strict, needs_ctx, ret, decl = o.func, True, o.needs_ctx, o.result, (o.left, o.right)
        actual = full
    else:
        fobj = find(FUNCTIONS, name, oids, lambda f: f.arg_types)
        f, strict, needs_ctx, ret, decl = (fobj.func, fobj.strict, fobj.needs_ctx, fobj.ret_type,
                                           fobj.arg_types)
        actual = oids
    if kind == "fn" and len(vals) < len(fobj.arg_types) and fobj.arg_defaults:
        missing = len(fobj.arg_types) - len(vals)
        vals = vals + list(fobj.arg_defaults[-missing:])
    if strict and any(v is None for v in vals):
        return None
    r = f(ctx, *vals) if needs_ctx else f(*vals)
    if r is None:
        return None
    rt = _resolve_ret(ret, decl, actual)
    return types.TYPES[rt].output(r, ctx)
