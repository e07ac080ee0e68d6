"""Assignment through indirection (PostgreSQL's transformAssignmentIndirection):
UPDATE ... SET col.field = v, col[i] = v, col[lo:hi] = arr, col[i].field = v,
and INSERT INTO t (col.field, col[i]) VALUES (...).

The new value of the column is built from its current value (NULL for INSERT):
a field store replaces one field of a record, a subscript store one element or
slice of an array (types.arrayassign), or one element of a fixed-length type
(point[0], lseg[1], box[0], line[2]: types.geo.fixed_assign); they nest in the
written order.  A
domain over a record or array is checked once, on the final value.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import DATATYPE_MISMATCH, PgError
from tuskdb.sql.expr import Const, Expr, Func

UNKNOWN = 705


def _tname(oid: int) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return type_name(oid)


def assign_into(base: Expr, btype: int, btypmod: int, inds: list[dict], value: Expr, ec: Any,
                pos: Any, colname: str) -> Expr:
    """The value of ``base`` (of type ``btype``) after assigning ``value`` at ``inds``."""
    from tuskdb.sql.analyze.coerce import can_coerce, coerce_to
    if not inds:
        if value.type_oid != UNKNOWN and value.type_oid != btype and \
                not can_coerce(value.type_oid, btype, "a"):
            raise PgError(DATATYPE_MISMATCH, f'subscripted assignment to "{colname}" requires '
                          f"type {_tname(btype)} but expression is of type "
                          f"{_tname(value.type_oid)}", position=pos,
                          hint="You will need to rewrite or cast the expression.")
        return coerce_to(value, btype, btypmod, "a", pos if pos is not None else -1)
    first = inds[0]
    if "String" in first:
        return _field(base, btype, inds, value, ec, pos, colname)
    j = 0
    while j < len(inds) and "A_Indices" in inds[j]:
        j += 1
    return _subscript(base, btype, btypmod, inds[:j], inds[j:], value, ec, pos, colname)


def _field(base: Expr, btype: int, inds: list[dict], value: Expr, ec: Any, pos: Any,
           colname: str) -> Expr:
    from tuskdb.sql.analyze.coerce import can_coerce, coerce_to
    from tuskdb.sql.analyze.rowtypes import FieldSelect, composite_fields
    from tuskdb.types.records import Record
    from tuskdb.types.usertypes import base_type
    name = inds[0]["String"]["sval"]
    rtype = base_type(btype)
    fields = composite_fields(rtype)
    if fields is None:
        raise PgError("42809", f'cannot assign to field "{name}" of column "{colname}" because '
                      f"its type {_tname(btype)} is not a composite type", position=pos)
    names = [f[0] for f in fields]
    if name not in names:
        raise PgError("42703", f'cannot assign to field "{name}" of column "{colname}" because '
                      f"there is no such column in data type {_tname(btype)}", position=pos)
    i = names.index(name)
    fname, ftype, fmod = fields[i]
    rest = inds[1:]
    if rest:
        inner = FieldSelect(base, i, ftype, fmod, fname)
        new = assign_into(inner, ftype, fmod, rest, value, ec, pos, colname)
    else:
        if value.type_oid != UNKNOWN and value.type_oid != ftype and \
                not can_coerce(value.type_oid, ftype, "a"):
            raise PgError(DATATYPE_MISMATCH, f'subfield "{name}" is of type {_tname(ftype)} but '
                          f"expression is of type {_tname(value.type_oid)}", position=pos,
                          hint="You will need to rewrite or cast the expression.")
        new = coerce_to(value, ftype, fmod, "a", pos if pos is not None else -1)
    ftypes = tuple(f[1] for f in fields)
    n = len(fields)

    def store(row: Any, v: Any) -> Record:
        vals = list(row.values) if row is not None else [None] * n
        if len(vals) < n:
            vals += [None] * (n - len(vals))
        vals[i] = v
        return Record(vals, ftypes)
    out: Expr = Func(store, [base, new], rtype, -1, strict=False, name="fieldstore")
    if rtype != btype:
        out = coerce_to(out, btype, -1, "a")
    return out


def _subscript(base: Expr, btype: int, btypmod: int, subs: list[dict], rest: list[dict],
               value: Expr, ec: Any, pos: Any, colname: str) -> Expr:
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import _subscripts, transform
    from tuskdb.types.arrayassign import array_set_element, array_set_slice
    from tuskdb.types.usertypes import base_type
    atype = base_type(btype)
    t = types.TYPES.get(atype)
    if t is not None and t.elem_oid and t.typlen > 0 and t.category != "A":
        return _fixed_subscript(base, t, subs, value, ec, pos, colname)
    if t is None or t.category != "A" or not t.elem_oid:
        raise PgError(DATATYPE_MISMATCH, f"cannot subscript type {_tname(btype)} because it does "
                      f"not support subscripting", position=pos)
    elem = t.elem_oid
    abase = base if atype == btype else _relabel(base, atype)
    is_slice = any(x["A_Indices"].get("is_slice") for x in subs)
    idx_exprs: list[Expr] = []
    layout = []
    for x in subs:
        ind = x["A_Indices"]
        lo, hi = ind.get("lidx"), ind.get("uidx")
        if is_slice:
            if not ind.get("is_slice"):
                lo = hi
            has_lo, has_hi = lo is not None, hi is not None
            layout.append((has_lo, has_hi))
            if has_lo:
                idx_exprs.append(coerce_to(transform(lo, ec), 23))
            if has_hi:
                idx_exprs.append(coerce_to(transform(hi, ec), 23))
        else:
            idx_exprs.append(coerce_to(transform(hi, ec), 23))
    if is_slice:
        if rest:
            inner = _subscripts(abase, subs, ec, pos)
            new = assign_into(inner, atype, btypmod, rest, value, ec, pos, colname)
        else:
            new = assign_into(Const(None, atype), atype, btypmod, [], value, ec, pos, colname)
        nsub = len(idx_exprs)

        def set_slice(arr: Any, *a: Any) -> Any:
            vals = list(a[:nsub])
            it = iter(vals)
            lows, highs = [], []
            for has_lo, has_hi in layout:
                lows.append(next(it) if has_lo else None)
                highs.append(next(it) if has_hi else None)
            return array_set_slice(arr, lows, highs, [h[0] for h in layout],
                                   [h[1] for h in layout], a[nsub])
        out: Expr = Func(set_slice, [abase, *idx_exprs, new], atype, btypmod, strict=False,
                         name="slice_assign")
    else:
        typmod = btypmod
        if rest:
            inner = _subscripts(abase, subs, ec, pos)
            new = assign_into(inner, elem, typmod, rest, value, ec, pos, colname)
        else:
            new = assign_into(Const(None, elem), elem, typmod, [], value, ec, pos, colname)
        n = len(idx_exprs)

        def set_elem(arr: Any, *a: Any) -> Any:
            return array_set_element(arr, a[:n], a[n])
        out = Func(set_elem, [abase, *idx_exprs, new], atype, btypmod, strict=False,
                   name="subscript_assign")
    if atype != btype:
        out = coerce_to(out, btype, -1, "a")
    return out


def _fixed_subscript(base: Expr, t: Any, subs: list[dict], value: Expr, ec: Any, pos: Any,
                     colname: str) -> Expr:
    """point[i] = v, lseg[i] = v, box[i] = v, line[i] = v: fixed-length types are arrays
    of their typelem indexed from 0 (slices are not implemented, as in PostgreSQL)."""
    from tuskdb.errors import FEATURE_NOT_SUPPORTED
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import transform
    from tuskdb.types.geo import fixed_assign
    if any(x["A_Indices"].get("is_slice") for x in subs):
        assign_into(Const(None, t.oid), t.oid, -1, [], value, ec, pos, colname)
        raise PgError(FEATURE_NOT_SUPPORTED,
                      "updates on slices of fixed-length arrays not implemented")
    idx = [coerce_to(transform(x["A_Indices"].get("uidx"), ec), 23) for x in subs]
    new = assign_into(Const(None, t.elem_oid), t.elem_oid, -1, [], value, ec, pos, colname)
    n = len(idx)
    return Func(lambda v, *a: fixed_assign(v, a[:n], a[n]), [base, *idx, new], t.oid, -1,
                strict=False, name="subscript_assign")


def _relabel(e: Expr, oid: int) -> Expr:
    return Func(lambda v: v, [e], oid, -1, name="relabel")


def column_assignment(rtc: dict, col: Any, current: Expr | None, ec: Any, state: Any) -> Expr:
    """SET col<indirection> = value: the column's new value (``current`` is an earlier
    assignment to other parts of the same column in this SET list)."""
    from tuskdb.sql.analyze.expr import transform
    from tuskdb.sql.domaincheck import CoerceToDomain
    pos = state.pos(rtc.get("location"))
    if current is None:
        current = transform({"ColumnRef": {"fields": [{"String": {"sval": rtc["name"]}}],
                                           "location": rtc.get("location", -1)}}, ec)
    elif isinstance(current, CoerceToDomain):
        current = current.arg       # the domain is checked once, on the final value
    value = transform(rtc["val"], ec)
    return assign_into(current, col.type_oid, col.typmod, list(rtc["indirection"]), value, ec,
                       pos, rtc["name"])
