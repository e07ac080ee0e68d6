"""Row values in expressions (PostgreSQL's RowExpr, FieldSelect, whole-row Vars and
record coercions; parse_expr.c / parse_coerce.c).

    ROW(a, b) / (a, b)        RowExpr of type record (or a named composite after a cast)
    t  (a table's name)       whole-row reference: a RowExpr of t's columns, of t's row type
    (x).f                     FieldSelect
    (x).*                     expanded into one column per field (target lists, ROW())
    ROW(...)::comptype        field-wise coercion to the composite's field types

Values are ``types.records.Record``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tuskdb import types
from tuskdb.errors import CANNOT_COERCE, FEATURE_NOT_SUPPORTED, PgError
from tuskdb.sql.expr import Compiled, Expr, Func, compile_expr, register_compiler
from tuskdb.types.records import RECORD, Record

UNKNOWN = 705
RECORD_ARRAY = 2287


@dataclass(eq=False)
class RowExpr(Expr):
    args: list[Expr]
    type_oid: int = RECORD
    typmod: int = -1
    colnames: list[str] | None = field(default=None)

    def children(self) -> list[Expr]:
        return self.args


def _c_row(e: RowExpr, layout: dict) -> Compiled:
    args = [compile_expr(a, layout) for a in e.args]
    tys = tuple(_field_type(a.type_oid) for a in e.args)
    names = tuple(e.colnames) if e.colnames else None

    def row(r: tuple, ctx: Any) -> Record:
        return Record([a(r, ctx) for a in args], tys, names)
    return row


register_compiler(RowExpr, _c_row)


def _field_type(oid: int) -> int:
    return 25 if oid == UNKNOWN else oid


def is_composite(oid: int) -> bool:
    if oid in (RECORD,):
        return True
    t = types.TYPES.get(oid)
    if t is None:
        return False
    if t.typtype == "d":
        from tuskdb.types.usertypes import base_type
        t = types.TYPES.get(base_type(oid))
    return t is not None and t.typtype == "c"


def composite_fields(oid: int) -> tuple[tuple[str, int, int], ...] | None:
    """(name, type, typmod) of a named composite type (through domains), else None."""
    t = types.TYPES.get(oid)
    if t is not None and t.typtype == "d":
        from tuskdb.types.usertypes import base_type
        t = types.TYPES.get(base_type(oid))
    if t is None or t.typtype != "c":
        return None
    return tuple(t.fields)


# -- ROW(...) ---------------------------------------------------------------------------


def transform_row(body: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.expr import transform
    args: list[Expr] = []
    for a in body.get("args") or []:
        if "ColumnRef" in a and "A_Star" in a["ColumnRef"]["fields"][-1]:
            from tuskdb.sql.analyze.select import _expand_star
            args += [e for _, e in _expand_star(a["ColumnRef"], ec)]
            continue
        if "A_Indirection" in a and "A_Star" in (a["A_Indirection"].get("indirection")
                                                  or [{}])[-1]:
            args += [e for _, e in expand_indirection_star(a["A_Indirection"], ec)]
            continue
        args.append(transform(a, ec))
    names = None
    if body.get("colnames"):
        names = [n["String"]["sval"] for n in body["colnames"]]
    return RowExpr(args, RECORD, -1, names)


# -- whole-row references --------------------------------------------------------------


def whole_row(entry: Any, ec: Any, location: Any = None) -> Expr:
    """The row of one FROM item as a composite value."""
    from tuskdb.sql.expr import Var
    args = []
    names = []
    if getattr(entry, "perm", None) is not None:
        entry.perm.selected.add(0)            # the whole row: every column is read
    if entry.join_exprs is not None:
        from tuskdb.sql.analyze.expr import mark_selected
        for i in range(len(entry.join_exprs)):
            mark_selected(entry, i)
        ec.state.wholerow = True
        return RowExpr(list(entry.join_exprs), RECORD, -1, list(entry.colnames))
    for i, n in enumerate(entry.colnames):
        if entry.rel is not None and i < len(entry.rel.columns) and entry.rel.columns[i].dropped:
            continue
        if n in getattr(entry, "hidden", ()):
            continue
        t, m = entry.coltypes[i]
        args.append(Var(entry.rt, i, t, m, n))
        names.append(n)
    type_oid = RECORD
    if entry.rel is not None:
        cat = ec.state.catalog
        oid = cat.type_oid(entry.rel.namespace, entry.rel.name)
        if oid is not None:
            t = cat.type_by_oid(oid)
            if t is not None and t.typtype == "c" and t.relid == entry.rel.oid:
                type_oid = oid
                names = [f[0] for f in t.fields] if len(t.fields) == len(names) else names
    ec.state.wholerow = True
    r = RowExpr(args, type_oid, -1, names)
    r.whole_row_rt = entry.rt             # EXPLAIN prints it as alias.*
    r.whole_row_name = entry.alias        # ruleutils prints it as refname.*
    return r


# -- field selection -------------------------------------------------------------------


@dataclass(eq=False)
class FieldSelect(Expr):
    arg: Expr
    fieldnum: int
    type_oid: int
    typmod: int = -1
    name: str = ""

    def children(self) -> list[Expr]:
        return [self.arg]


def _c_field(e: FieldSelect, layout: dict) -> Compiled:
    arg = compile_expr(e.arg, layout)
    i = e.fieldnum

    def fs(r: tuple, ctx: Any) -> Any:
        v = arg(r, ctx)
        if v is None:
            return None
        return v.values[i] if i < len(v.values) else None
    return fs


register_compiler(FieldSelect, _c_field)


def _record_fields(expr: Expr) -> list[tuple[str, int, int]] | None:
    fields = composite_fields(expr.type_oid)
    if fields is not None:
        return list(fields)
    if isinstance(expr, RowExpr):
        names = expr.colnames or [f"f{i + 1}" for i in range(len(expr.args))]
        return [(n, a.type_oid, a.typmod) for n, a in zip(names, expr.args)]
    cols = getattr(expr, "record_columns", None)
    if cols is None and hasattr(expr, "var"):
        cols = getattr(expr.var, "record_columns", None)      # an outer reference
    if cols is not None:
        return list(cols)
    return None


def select_field(expr: Expr, name: str, pos: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import type_name
    if expr.type_oid == UNKNOWN:
        raise PgError("42809", f"column notation .{name} applied to type unknown, which is not "
                      f"a composite type", position=pos)
    fields = _record_fields(expr)
    if fields is None:
        if expr.type_oid == RECORD:
            raise PgError("42809", f'could not identify column "{name}" in record data type',
                          position=pos)
        raise PgError("42809", f"column notation .{name} applied to type "
                      f"{type_name(expr.type_oid)}, which is not a composite type",
                      position=pos)
    for i, (fname, ftype, fmod) in enumerate(fields):
        if fname == name:
            if isinstance(expr, RowExpr) and i < len(expr.args) and \
                    expr.args[i].type_oid == ftype:
                return expr.args[i]
            return FieldSelect(expr, i, ftype, fmod, name)
    if expr.type_oid == RECORD:
        raise PgError("42809", f'could not identify column "{name}" in record data type',
                      position=pos)
    raise PgError("42703", f'column "{name}" not found in data type '
                  f"{type_name(expr.type_oid)}", position=pos)


def expand_fields(expr: Expr, pos: Any) -> list[tuple[str, Expr]]:
    """(x).*: one expression per field."""
    from tuskdb.sql.analyze.coerce import type_name
    fields = _record_fields(expr)
    if fields is None:
        if expr.type_oid == RECORD:
            raise PgError("42809", "record type has not been registered", position=pos)
        raise PgError("42809", f"type {type_name(expr.type_oid)} is not composite",
                      position=pos)
    return [(n, select_field(expr, n, pos)) for n, _, _ in fields]


def expand_indirection_star(body: dict, ec: Any) -> list[tuple[str, Expr]]:
    """A_Indirection ending in '*': expand the fields of what precedes it."""
    from tuskdb.sql.analyze.expr import transform
    inds = body.get("indirection") or []
    inner = dict(body, indirection=inds[:-1])
    base = transform({"A_Indirection": inner} if inds[:-1] else body["arg"], ec)
    return expand_fields(base, ec.state.pos(body.get("location")))


# -- coercion record -> composite ------------------------------------------------------------


def coerce_record(expr: Expr, target: int, context: str, location: int, ctx: Any) -> Expr:
    """Coerce a row value to the named composite ``target`` field by field."""
    from tuskdb.sql.analyze.coerce import coerce_to, type_name
    fields = composite_fields(target)
    pos = location if location is not None and location >= 0 else None
    if isinstance(expr, RowExpr):
        n_in, n_out = len(expr.args), len(fields)
        if n_in != n_out:
            raise PgError(CANNOT_COERCE, f"cannot cast type {type_name(expr.type_oid)} to "
                          f"{type_name(target)}", position=pos,
                          detail="Input has too few columns." if n_in < n_out
                          else "Input has too many columns.")
        args = []
        for i, (a, (fname, ftype, fmod)) in enumerate(zip(expr.args, fields)):
            try:
                args.append(coerce_to(a, ftype, fmod, context if context != "i" else "a",
                                      location, ctx))
            except PgError as err:
                if err.sqlstate != CANNOT_COERCE:
                    raise
                raise PgError(CANNOT_COERCE, f"cannot cast type {type_name(expr.type_oid)} to "
                              f"{type_name(target)}", position=pos,
                              detail=f"Cannot cast type {type_name(a.type_oid)} to "
                                     f"{type_name(ftype)} in column {i + 1}.") from None
        return RowExpr(args, target, -1, [f[0] for f in fields])
    # a record-valued expression: convert each value at run time
    ftypes = [f[1] for f in fields]
    fmods = [f[2] for f in fields]
    tname = type_name(target)

    def convert(c: Any, v: Record) -> Record:
        if len(v.values) != len(ftypes):
            raise PgError(CANNOT_COERCE, f"cannot cast type record to {tname}",
                          detail="Input has too few columns." if len(v.values) < len(ftypes)
                          else "Input has too many columns.")
        out = []
        for x, st, dt, dm in zip(v.values, v.type_oids, ftypes, fmods):
            out.append(None if x is None else convert_value(c, x, st, dt, dm))
        return Record(out, ftypes)
    return Func(convert, [expr], target, -1, name=tname, needs_ctx=True)


def convert_value(ctx: Any, v: Any, source: int, target: int, typmod: int) -> Any:
    """One value from type ``source`` to ``target`` (assignment cast, run time)."""
    from tuskdb.types.usertypes import base_type
    tctx = ctx.types
    s, d = base_type(source), base_type(target)
    if s != d:
        cast = types.find_cast(s, d)
        if cast is not None and cast.func is not None:
            v = cast.func(v, typmod, tctx)
        elif cast is None:
            v = types.TYPES[d].input(types.TYPES[s].output(v, tctx), -1, tctx)
    t = types.TYPES[d]
    if typmod >= 0:
        v = t.coerce_typmod(v, typmod, False)
    return v


# -- IS [NOT] NULL of rows ----------------------------------------------------------------


def row_null_test(arg: Expr, is_null: bool) -> Expr:
    """ROW IS NULL: every field is NULL; ROW IS NOT NULL: no field is NULL."""
    def test(v: Any) -> bool:
        if v is None:
            return is_null
        if is_null:
            return all(x is None for x in v.values)
        return all(x is not None for x in v.values)
    f = Func(test, [arg], 16, strict=False, name="row_nulltest")
    f.row_null = is_null                  # deparsed as arg IS [NOT] NULL
    return f


def note_record_columns(entry: Any, q: Any) -> None:
    """Remember the fields of anonymous-record columns of a subquery / CTE, so that
    (col).f works on them (PostgreSQL's expandRecordVariable)."""
    targets = getattr(q, "targets", None)
    if not targets:
        return
    rc = {}
    for i, e in enumerate(targets):
        if getattr(e, "type_oid", 0) == RECORD:
            fields = _record_fields(e)
            if fields is not None:
                rc[i] = fields
    if rc:
        entry.record_cols = rc


def composite_function_columns(call: Any, fields: Any) -> list[tuple[str, int]]:
    """A function returning a composite type, in FROM: one column per field (a NULL
    result is a row of NULLs)."""
    n = len(fields)
    fn = call.fn
    retset = getattr(call, "retset", False)

    def as_rows(*a: Any) -> Any:
        out = fn(*a)
        if retset or not (out is None or isinstance(out, Record)):
            return [r.values if r is not None else (None,) * n for r in out]
        return out.values if out is not None else (None,) * n
    call.fn = as_rows
    call.columns = [(f[0], f[1]) for f in fields]
    return call.columns


# -- SET col.field = value (FieldStore) ---------------------------------------------------


def field_store(base: Expr, type_oid: int, path: list[str], value: Expr, pos: Any) -> Expr:
    """``base`` with field ``path`` replaced by ``value`` (nested paths allowed)."""
    from tuskdb.sql.analyze.coerce import coerce_to, type_name
    from tuskdb.types.usertypes import base_type
    btype = base_type(type_oid)
    fields = composite_fields(btype)
    if fields is None:
        raise PgError("42809", f'cannot assign to field "{path[0]}" of column because its '
                      f"type {type_name(type_oid)} is not a composite type", position=pos)
    names = [f[0] for f in fields]
    if path[0] not in names:
        raise PgError("42703", f'cannot assign to field "{path[0]}" of column because there '
                      f"is no such column in data type {type_name(type_oid)}", position=pos)
    i = names.index(path[0])
    fname, ftype, fmod = fields[i]
    if len(path) > 1:
        inner = FieldSelect(base, i, ftype, fmod, fname)
        value = field_store(inner, ftype, path[1:], value, pos)
    else:
        from tuskdb.sql.analyze.coerce import can_coerce
        if value.type_oid != UNKNOWN and value.type_oid != ftype and \
                not can_coerce(value.type_oid, ftype, "a"):
            raise PgError("42804", f'subfield "{path[0]}" is of type {type_name(ftype)} but '
                          f"expression is of type {type_name(value.type_oid)}", position=pos,
                          hint="You will need to rewrite or cast the expression.")
        value = coerce_to(value, ftype, fmod, "a", pos if pos is not None else -1)
    ftypes = tuple(f[1] for f in fields)
    n = len(fields)

    def store(row: Any, v: Any) -> Record:
        vals = list(row.values) if row is not None else [None] * n
        if len(vals) < n:
            vals += [None] * (n - len(vals))
        vals[i] = v
        return Record(vals, ftypes)
    out = Func(store, [base, value], btype, -1, strict=False, name="fieldstore")
    if btype != type_oid:
        out = coerce_to(out, type_oid, -1, "a")
    return out


def field_store_assignment(rtc: dict, col: Any, current: Expr | None, ec: Any, state: Any
                           ) -> Expr:
    from tuskdb.sql.analyze.expr import transform
    from tuskdb.sql.domaincheck import CoerceToDomain
    pos = state.pos(rtc.get("location"))
    path = [x["String"]["sval"] for x in rtc["indirection"]]
    if current is None:
        current = transform({"ColumnRef": {"fields": [{"String": {"sval": rtc["name"]}}],
                                           "location": rtc.get("location", -1)}}, ec)
    elif isinstance(current, CoerceToDomain):
        current = current.arg       # check the domain once, after every field is set
    value = transform(rtc["val"], ec)
    return field_store(current, col.type_oid, path, value, pos)


# -- INSERT INTO t (col.field, ...) ---------------------------------------------------------


def rewrite_insert_field_targets(body: dict, rel: Any, state: Any) -> dict:
    """INSERT with field targets: each row's values for one composite column become one
    value, the fields stored into NULL (the target list then names plain columns)."""
    cols = body["cols"]
    order: list[str] = []
    groups: dict[str, list[tuple[list[str], int]]] = {}
    plain: dict[str, int] = {}
    for pos, c in enumerate(cols):
        rtc = c["ResTarget"]
        name = rtc["name"]
        ind = rtc.get("indirection") or []
        if not ind:
            if name in plain or name in groups:
                raise PgError("42601", f'column "{name}" specified more than once',
                              position=state.pos(rtc.get("location")))
            plain[name] = pos
            order.append(name)
            continue
        if name in plain:
            raise PgError("42601", f'column "{name}" specified more than once',
                          position=state.pos(rtc.get("location")))
        if name not in groups:
            groups[name] = []
            order.append(name)
        groups[name].append((ind, pos))
    sel = (body.get("selectStmt") or {}).get("SelectStmt") or {}
    if not sel.get("valuesLists"):
        return _insert_select_field_targets(body, cols, order, plain, groups, sel, rel, state)
    new_lists = []
    for lst in sel["valuesLists"]:
        items = lst["List"]["items"]
        if len(items) != len(cols):
            new_lists.append(lst)       # the usual arity errors are reported later
            continue
        row = []
        for name in order:
            if name in plain:
                row.append(items[plain[name]])
            else:
                row.append({"_FieldStoreMarker": {
                    "column": name, "stores": [(path, items[pos],
                                                cols[pos]["ResTarget"].get("location", -1))
                                               for path, pos in groups[name]],
                    "location": cols[groups[name][0][1]]["ResTarget"].get("location", -1)}})
        new_lists.append({"List": {"items": row}})
    out = dict(body)
    out["cols"] = [{"ResTarget": {"name": n, "location": cols[plain[n] if n in plain
                                                               else groups[n][0][1]]
                                  ["ResTarget"].get("location", -1)}} for n in order]
    out["selectStmt"] = {"SelectStmt": dict(sel, valuesLists=new_lists)}
    state.insert_target_rel = rel
    return out


def _insert_select_field_targets(body: dict, cols: list, order: list[str],
                                 plain: dict[str, int], groups: dict, sel: dict, rel: Any,
                                 state: Any) -> dict:
    """INSERT INTO t (a.f, b[1]) SELECT ...: the query becomes a subquery whose columns
    feed the field and element stores."""
    def ref(i: int) -> dict:
        return {"ColumnRef": {"fields": [{"String": {"sval": f"?column{i}?"}}],
                              "location": -1}}
    # unknown literals of the query take the type of what they are assigned to
    tl = sel.get("targetList") or []
    if sel.get("op", "SETOP_NONE") == "SETOP_NONE" and len(tl) == len(cols):
        tl = [dict(t) for t in tl]
        for pos, c in enumerate(cols):
            rtc = c["ResTarget"]
            val = tl[pos]["ResTarget"]["val"]
            if "A_Const" in val and "sval" in val["A_Const"]:
                col = rel.column(rtc["name"])
                leaf = _leaf_type(col.type_oid, col.typmod, rtc.get("indirection") or []) \
                    if col is not None else None
                if leaf is not None:
                    tl[pos] = {"ResTarget": dict(tl[pos]["ResTarget"], val={"TypeCast": {
                        "arg": val, "typeName": {"names": [
                            {"String": {"sval": "pg_catalog"}},
                            {"String": {"sval": types.TYPES[leaf[0]].name}}],
                            "_oid": leaf[0],
                                                 "_typmod": leaf[1], "location": -1},
                        "location": -1}})}
        sel = dict(sel, targetList=tl)
    targets = []
    for name in order:
        if name in plain:
            val = ref(plain[name])
        else:
            val = {"_FieldStoreMarker": {
                "column": name, "stores": [(path, ref(pos), -1) for path, pos in groups[name]],
                "location": cols[groups[name][0][1]]["ResTarget"].get("location", -1)}}
        targets.append({"ResTarget": {"val": val, "location": -1}})
    sub = {"RangeSubselect": {"subquery": {"SelectStmt": sel}, "alias": {
        "aliasname": "*SELECT*",
        "colnames": [{"String": {"sval": f"?column{i}?"}} for i in range(len(cols))]}}}
    out = dict(body)
    out["cols"] = [{"ResTarget": {"name": n, "location": cols[plain[n] if n in plain
                                                               else groups[n][0][1]]
                                  ["ResTarget"].get("location", -1)}} for n in order]
    out["selectStmt"] = {"SelectStmt": {"targetList": targets, "fromClause": [sub],
                                        "op": "SETOP_NONE"}}
    state.insert_target_rel = rel
    return out


def _leaf_type(t: int, typmod: int, inds: list[dict]) -> tuple[int, int] | None:
    """The type assigned to by column<indirection>."""
    from tuskdb.types.usertypes import base_type
    i = 0
    while i < len(inds):
        x = inds[i]
        if "String" in x:
            fields = composite_fields(base_type(t))
            f = next((f for f in fields or () if f[0] == x["String"]["sval"]), None)
            if f is None:
                return None
            t, typmod = f[1], f[2]
            i += 1
        else:
            j = i
            while j < len(inds) and "A_Indices" in inds[j]:
                j += 1
            at = types.TYPES.get(base_type(t))
            if at is None or not at.elem_oid:
                return None
            if not any(y["A_Indices"].get("is_slice") for y in inds[i:j]):
                t = at.elem_oid
            else:
                t = at.oid
            i = j
    return t, typmod


def transform_field_store_marker(body: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.expr import transform
    from tuskdb.sql.expr import Const
    name = body["column"]
    col_type = None
    # the target column's type: found through the statement's target relation
    target = getattr(ec.state, "insert_target_rel", None)
    if target is not None:
        col = target.column(name)
        col_type = (col.type_oid, col.typmod) if col is not None else None
    if col_type is None:
        raise PgError("XX000", "field targets outside INSERT")
    from tuskdb.sql.analyze.assign import assign_into
    pos = ec.state.pos(body.get("location"))
    cur: Expr = Const(None, col_type[0], col_type[1])
    from tuskdb.sql.domaincheck import CoerceToDomain
    for inds, raw, tloc in body["stores"]:
        if "SetToDefault" in raw:
            raise PgError(FEATURE_NOT_SUPPORTED, "cannot set an array element to DEFAULT"
                          if "A_Indices" in inds[-1] else "cannot set a subfield to DEFAULT",
                          position=ec.state.pos(tloc))
        if isinstance(cur, CoerceToDomain):
            cur = cur.arg
        cur = assign_into(cur, col_type[0], col_type[1], list(inds), transform(raw, ec), ec,
                          pos, name)
    return cur


def record_function_value(call: Any, fn: Any, ec: Any, pos: Any) -> Expr:
    """A function with OUT parameters used as a value: each result row is a record
    (its fields named after the OUT parameters)."""
    from tuskdb.sql.expr import Var
    names = tuple(fn.out_names)
    tys = tuple(fn.out_types)
    inner = call.fn

    def wrap(row: Any) -> Record | None:
        return None if row is None else Record(row, tys, names)
    if call.retset:
        if ec.srfs is None:
            raise PgError(FEATURE_NOT_SUPPORTED, f"set-returning functions are not allowed in "
                          f"{ec.kind}", position=pos)

        def many(*a: Any) -> Any:
            return [wrap(r) for r in inner(*a)]
        call.fn = many
        call.columns = None
        call.type_oid = RECORD
        ec.srfs.append(call)
        v = Var(("srf", 0), len(ec.srfs) - 1, RECORD, -1, fn.name)
        v.record_columns = [(n, t, -1) for n, t in zip(names, tys)]
        return v
    out = Func(lambda *a: wrap(inner(*a)), call.args, RECORD, -1, strict=call.strict,
               name=fn.name, needs_ctx=call.needs_ctx)
    out.record_columns = [(n, t, -1) for n, t in zip(names, tys)]
    return out


def check_ordering(type_oid: int) -> None:
    """Ordering records needs an ordering of every field (btree opclass)."""
    from tuskdb.sql.analyze.resolve import resolve_operator
    fields = composite_fields(type_oid)
    for _, ftype, _ in fields or ():
        resolve_operator("<", ftype, ftype)
        if is_composite(ftype):
            check_ordering(ftype)


def expand_param_stars(items: list[dict], state: Any) -> list[dict]:
    """VALUES (v.*) in a SQL function: a composite argument's fields."""
    pn = state.param_names or {}
    out = []
    for it in items:
        fields = it.get("ColumnRef", {}).get("fields") if isinstance(it, dict) else None
        if fields and "A_Star" in fields[-1] and len(fields) in (2, 3) and \
                all("String" in f for f in fields[:-1]):
            names = [f["String"]["sval"] for f in fields[:-1]]
            if names[-1] in pn and (len(names) == 1 or names[0] == state.func_name):
                cf = composite_fields(state.param_type(pn[names[-1]]))
                if cf is not None:
                    base = {"ColumnRef": {"fields": fields[:-1],
                                          "location": it["ColumnRef"].get("location", -1)}}
                    for fname, _, _ in cf:
                        out.append({"A_Indirection": {"arg": base, "indirection": [
                            {"String": {"sval": fname}}]}})
                    continue
        out.append(it)
    return out


# -- (a, b) op ANY/ALL (SELECT x, y ...) ------------------------------------------------------


def row_sublink(kind: str, sub: Any, row: dict, body: dict, ec: Any, loc: Any,
                correlated: bool) -> Expr:
    """Row-wise comparison against each row of a subquery: the columns are brought to
    common types pairwise and compared as records (PostgreSQL's ROWCOMPARE sublink)."""
    from tuskdb.sql.analyze.coerce import coerce_to, select_common_type
    from tuskdb.sql.analyze.expr import _op_name, transform
    from tuskdb.sql.expr import SubLink, Var
    from tuskdb.types import records as R
    args = [transform(a, ec) for a in row.get("args") or []]
    if len(args) != len(sub.output):
        raise PgError("42601", "subquery has too many columns" if len(sub.output) > len(args)
                      else "subquery has too few columns", position=loc)
    opname = _op_name(body["operName"]) if body.get("operName") else "="
    fn = {"=": R.record_eq_sql, "<>": R._record_ne, "<": R.IMPLS["record_lt"],
          "<=": R.IMPLS["record_le"], ">": R.IMPLS["record_gt"],
          ">=": R.IMPLS["record_ge"]}.get(opname)
    if fn is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"could not determine interpretation of row "
                      f"comparison operator {opname}", position=loc)
    left, right = [], []
    for i, (a, o) in enumerate(zip(args, sub.output)):
        probe = Var(("sub", 0), i, o[1])
        t = select_common_type([a, probe], "row comparison")
        left.append(coerce_to(a, t))
        right.append(coerce_to(probe, t))
    return SubLink("ANY" if kind == "ANY_SUBLINK" else "ALL", sub,
                   test=RowExpr(left, RECORD), op=(fn, RowExpr(right, RECORD)),
                   correlated=correlated)


def row_compare_sublink(opname: str, row: dict, sublink: dict, ec: Any, loc: Any
                        ) -> Expr | None:
    """ROW(a, b) op (SELECT x, y ...): the subquery yields at most one row (none: NULL),
    compared row-wise (PostgreSQL's ROWCOMPARE sublink)."""
    from tuskdb.sql.analyze.coerce import coerce_to, select_common_type
    from tuskdb.sql.analyze.select import analyze_subquery
    from tuskdb.sql.expr import SubLink
    from tuskdb.types import records as R
    fn = {"=": R.record_eq_sql, "<>": R._record_ne, "<": R.IMPLS["record_lt"],
          "<=": R.IMPLS["record_le"], ">": R.IMPLS["record_gt"],
          ">=": R.IMPLS["record_ge"]}.get(opname)
    if fn is None:
        return None
    from tuskdb.sql.analyze.expr import transform
    pos = ec.state.pos(loc) if isinstance(loc, int) else loc
    sub, correlated = analyze_subquery(sublink["subselect"], ec)
    if getattr(sub, "junk", 0) or len(sub.output) < 1:
        return None
    args = [transform(a, ec) for a in row.get("args") or []]
    if len(args) != len(sub.output):
        raise PgError("42601", "subquery has too many columns" if len(sub.output) > len(args)
                      else "subquery has too few columns", position=pos)
    left, inner = [], []
    for a, e, o in zip(args, sub.targets, sub.output):
        t = select_common_type([a, e], "row comparison")
        left.append(coerce_to(a, t))
        inner.append(coerce_to(e, t))
    sub.targets = [RowExpr(inner, RECORD)] + list(sub.targets[len(sub.output):])
    sub.output = [("row", RECORD, -1, None)]
    link = SubLink("EXPR", sub, type_oid=RECORD, correlated=correlated)
    return Func(fn, [RowExpr(left, RECORD), link], 16, name=opname)
