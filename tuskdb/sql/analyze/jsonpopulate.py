"""json(b)_populate_record(set), json(b)_to_record(set), jsonb_populate_record_valid.

JSON objects become rows of a composite type (or of a FROM clause's column
definition list) the way PostgreSQL's populate_record_field does it: a JSON
string is read by the field type's input function (an array or record field
accepts its text literal too), other scalars through their JSON text; JSON
arrays fill array fields dimension by dimension ("expected JSON array" with a
hint naming the key and element otherwise); objects fill composite fields;
json/jsonb fields take the JSON value itself; domain constraints are checked.
The row type comes from the first argument's type (analysis time).
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import PgError
from tuskdb.sql.expr import Expr, Func, SRFCall
from tuskdb.types.json import Jsonb, jsonb_text
from tuskdb.types.records import Record

JSON, JSONB = 114, 3802


def _base(typ: int) -> int:
    t = types.TYPES.get(typ)
    while t is not None and t.typtype == "d":
        typ = t.base_oid
        t = types.TYPES.get(typ)
    return typ


class _Ctx:
    def __init__(self, ectx: Any) -> None:
        self.ectx = ectx


def _hint(path: list) -> str | None:
    if not path:
        return None
    key = path[0]
    elems = "".join(f"[{i}]" for i in path[1:])
    if elems:
        return f'See the array element {elems} of key "{key}".'
    return f'See the value of key "{key}".'


def _domain_check(typ: int, v: Any, ectx: Any) -> Any:
    t = types.TYPES.get(typ)
    if t is None or t.typtype != "d":
        return v
    from tuskdb.sql.domaincheck import check_domain_value
    inner = _domain_check(t.base_oid, v, ectx)
    return check_domain_value(ectx.session, ectx, typ, inner)


def populate_field(jv: Any, typ: int, typmod: int, ectx: Any, path: list,
                   default: Any = None) -> Any:
    """The value of a JSON value (tree) for a field of type ``typ`` (``default``: the base
    record's value, which a nested record's missing fields keep)."""
    base = _base(typ)
    if jv is None:
        return _domain_check(typ, None, ectx)
    bt = types.TYPES[base]
    if base == JSON:
        v: Any = _json_text(jv)
    elif base == JSONB:
        v = Jsonb(jv)
    elif bt.category == "A" and base not in (22, 30):
        if isinstance(jv, str):
            v = bt.input(jv, -1, ectx.types)
        elif isinstance(jv, list):
            v = _populate_array(jv, bt.elem_oid, typmod, ectx, path)
        else:
            raise PgError("22P02", "expected JSON array", hint=_hint(path))
    elif bt.typtype == "c":
        if isinstance(jv, dict):
            v = populate_record(tuple(bt.fields), default if isinstance(default, Record)
                                else None, jv, ectx, base)
        elif isinstance(jv, str):
            from tuskdb.types.records import record_in_fields
            v = record_in_fields(jv, tuple(bt.fields), ectx.types)
        else:
            raise PgError("22023", "cannot call populate_composite on "
                          + ("an array" if isinstance(jv, list) else "a scalar"))
    else:
        if isinstance(jv, str):
            text = jv
        elif isinstance(jv, bool):
            text = "true" if jv else "false"
        else:
            text = _json_text(jv)
        v = bt.input(text, -1, ectx.types)
        if typmod >= 0:
            v = bt.coerce_typmod(v, typmod, False)
    return _domain_check(typ, v, ectx)


def _populate_array(jv: list, elem: int, typmod: int, ectx: Any, path: list) -> Any:
    """A JSON array (of arrays) as a SQL array; the first scalar fixes the dimensions."""
    from tuskdb.types.arrays import Array
    dims: list[int] = []
    items: list[Any] = []
    nd = [0]                      # number of dimensions, 0 until the first scalar
    json_elem = _base(elem) in (JSON, JSONB)

    def malformed() -> PgError:
        return PgError("22P02", "malformed JSON array",
                       detail="Multidimensional arrays must have sub-arrays with matching "
                       "dimensions.")

    def walk(node: list, level: int, pos: list) -> None:
        if level == len(dims):
            dims.append(len(node))
        elif dims[level] != len(node):
            raise malformed()
        for i, x in enumerate(node):
            sub = isinstance(x, list) and not json_elem
            if nd[0] and level < nd[0] - 1:
                if not isinstance(x, list):
                    raise PgError("22P02", "expected JSON array", hint=_hint(pos + [i]))
                walk(x, level + 1, pos + [i])
            elif nd[0]:
                if sub:
                    raise malformed()
                items.append(populate_field(x, elem, typmod, ectx, pos + [i]))
            elif sub:
                walk(x, level + 1, pos + [i])
            else:
                nd[0] = level + 1
                if len(dims) > nd[0]:
                    raise malformed()
                items.append(populate_field(x, elem, typmod, ectx, pos + [i]))
    walk(jv, 0, list(path))
    if not items:
        return Array(())
    if len(dims) == 1:
        return Array(tuple(items))
    return Array(tuple(items), 1, tuple(dims), (1,) * len(dims))


def populate_record(fields: tuple, base: Record | None, obj: Any, ectx: Any,
                    type_oid: int) -> Record:
    vals = []
    for i, (name, typ, typmod) in enumerate(fields):
        if isinstance(obj, dict) and name in obj:
            vals.append(populate_field(obj[name], typ, typmod, ectx, [name],
                                       base.values[i] if base is not None else None))
        elif base is not None:
            vals.append(base.values[i])
        else:
            vals.append(_domain_check(typ, None, ectx) if _is_notnull_domain(typ) else None)
    return Record(vals, [f[1] for f in fields])


def _is_notnull_domain(typ: int) -> bool:
    """A missing field of a domain type still passes the domain's checks (NOT NULL)."""
    t = types.TYPES.get(typ)
    return t is not None and t.typtype == "d"


def _tree(v: Any, is_jsonb: bool) -> Any:
    if is_jsonb:
        return v.tree
    from tuskdb.types.jsonfuncs import raw_json_tree
    return raw_json_tree(v)


def _json_text(jv: Any) -> str:
    raw = getattr(jv, "raw", None)     # json input: the value's own source text
    return raw if raw is not None else jsonb_text(jv)


# ---------------------------------------------------------------------------------
# analysis (special functions)

_NAMES = {"json_populate_record": (False, False), "jsonb_populate_record": (True, False),
          "json_populate_recordset": (False, True), "jsonb_populate_recordset": (True, True),
          "jsonb_populate_record_valid": (True, False)}


def _row_fields(typ: int) -> tuple | None:
    from tuskdb.sql.analyze.rowtypes import composite_fields
    return composite_fields(typ)


def special_populate(name: str) -> Any:
    is_jsonb, retset = _NAMES[name]

    def special(args: list[Expr], ec: Any, pos: Any) -> Expr:
        from tuskdb.sql.analyze.coerce import coerce_to
        if len(args) < 2:
            from tuskdb.sql.analyze.resolve import resolve_function
            resolve_function(name, [a.type_oid for a in args], pos if pos else -1)
        rec_t = args[0].type_oid
        fields = _row_fields(rec_t)
        coldef = getattr(ec, "coldeflist", None)
        check_base = False
        if coldef is not None and (fields is None or rec_t == 2249):
            fields = tuple(coldef)
            check_base = True
        if fields is None and rec_t == 2249:
            from tuskdb.sql.analyze.rowtypes import _record_fields
            rf = _record_fields(args[0])
            fields = tuple(rf) if rf else None
        if fields is None:
            raise PgError("42804", f"could not determine row type for result of {name}",
                          hint="Provide a non-null record argument, or call the function in "
                          "the FROM clause using a column definition list.", position=None)
        j = coerce_to(args[1], JSONB if is_jsonb else JSON)
        dom = rec_t
        ctype = _base(rec_t)

        def check(base: Any) -> None:
            if not check_base or base is None:
                return
            if len(base.values) != len(fields):
                n = len(base.values)
                raise PgError("42804", "function return row and query-specified return row "
                              "do not match", detail=f"Returned row contains {n} attribute"
                              f"{'s' if n != 1 else ''}, but query expects {len(fields)}.")
            from tuskdb.sql.analyze.coerce import type_name
            for i, (t, f) in enumerate(zip(base.type_oids, fields), start=1):
                if t != f[1]:
                    raise PgError("42804", "function return row and query-specified return "
                                  "row do not match", detail=f"Returned type {type_name(t)} "
                                  f"at ordinal position {i}, but query expects "
                                  f"{type_name(f[1])}.")

        def one(ectx: Any, base: Any, obj: Any) -> Any:
            check(base)
            if obj is None:
                return base
            tree = _tree(obj, is_jsonb)
            if not isinstance(tree, dict):
                if tree is None:
                    return base
                raise PgError("22023", "cannot call populate_composite on " +
                              ("an array" if isinstance(tree, list) else "a scalar"))
            r = populate_record(fields, base, tree, ectx, ctype)
            return _domain_check(dom, r, ectx)

        if name == "jsonb_populate_record_valid":
            def valid(ectx: Any, base: Any, obj: Any) -> Any:
                try:
                    one(ectx, base, obj)
                except PgError as err:
                    if err.sqlstate[:2] in ("22", "23"):
                        return False
                    raise
                return True
            return Func(valid, [args[0], j], 16, strict=False, name=name, needs_ctx=True)
        if retset:
            def many(ectx: Any, base: Any, obj: Any) -> Any:
                check(base)
                if obj is None:
                    return []
                tree = _tree(obj, is_jsonb)
                if not isinstance(tree, list):
                    raise PgError("22023", f"cannot call {name} on a non-array")
                out = []
                for x in tree:
                    if not isinstance(x, dict):
                        raise PgError("22023", f"argument of {name} must be an array of "
                                      "objects")
                    out.append(_domain_check(dom, populate_record(fields, base, x, ectx,
                                                                  ctype), ectx))
                return out
            call = SRFCall(many, [args[0], j], rec_t, strict=False, name=name,
                           needs_ctx=True)
            call.retset = True  # type: ignore[attr-defined]
            if check_base:
                call.fn = lambda ectx, b, o: [tuple(r.values) for r in many(ectx, b, o)]
                call.columns = [(f[0], f[1]) for f in fields]  # type: ignore[attr-defined]
                call.column_typmods = [f[2] for f in fields]  # type: ignore[attr-defined]
            if ec.srfs is None:
                if ec.kind == "FROM":
                    return call
                from tuskdb.errors import FEATURE_NOT_SUPPORTED
                raise PgError(FEATURE_NOT_SUPPORTED, f"set-returning functions are not "
                              f"allowed in {ec.kind}", position=pos)
            from tuskdb.sql.expr import Var
            ec.srfs.append(call)
            return Var(("srf", 0), len(ec.srfs) - 1, rec_t, -1, name)
        f = Func(one, [args[0], j], rec_t, strict=False, name=name, needs_ctx=True)
        if check_base and ec.kind == "FROM":
            f.columns = [(x[0], x[1]) for x in fields]  # type: ignore[attr-defined]
            f.column_typmods = [x[2] for x in fields]  # type: ignore[attr-defined]
        return f
    return special


def special_to_record(name: str) -> Any:
    is_jsonb = name.startswith("jsonb")
    retset = name.endswith("recordset")

    def special(args: list[Expr], ec: Any, pos: Any) -> Expr:
        from tuskdb.sql.analyze.coerce import coerce_to
        coldef = getattr(ec, "coldeflist", None)
        if coldef is None:
            raise PgError("42601", "a column definition list is required for functions "
                          "returning \"record\"", position=pos)
        fields = tuple(coldef)
        j = coerce_to(args[0], JSONB if is_jsonb else JSON)

        def rows(ectx: Any, obj: Any) -> Any:
            if obj is None:
                return []
            tree = _tree(obj, is_jsonb)
            if retset:
                if not isinstance(tree, list):
                    raise PgError("22023", f"cannot call {name} on a non-array")
                items = tree
            else:
                items = [tree]
            out = []
            for x in items:
                if not isinstance(x, dict):
                    if retset:
                        raise PgError("22023", f"argument of {name} must be an array of "
                                      "objects")
                    raise PgError("22023", "cannot call populate_composite on " +
                                  ("an array" if isinstance(x, list) else "a scalar"))
                out.append(tuple(populate_record(fields, None, x, ectx, 2249).values))
            return out
        call = SRFCall(rows, [j], 2249, strict=False, name=name, needs_ctx=True)
        call.retset = True  # type: ignore[attr-defined]
        call.columns = [(f[0], f[1]) for f in fields]  # type: ignore[attr-defined]
        call.column_typmods = [f[2] for f in fields]  # type: ignore[attr-defined]
        if ec.kind != "FROM" or ec.srfs is not None:
            raise PgError("0A000", f"record values of {name}() are only supported in FROM",
                          position=pos)
        return call
    return special


SPECIALS = {n: special_populate(n) for n in _NAMES}
SPECIALS.update({n: special_to_record(n) for n in ("json_to_record", "jsonb_to_record",
                                                    "json_to_recordset", "jsonb_to_recordset")})


# ---------------------------------------------------------------------------------
# json(b)_build_object / json(b)_build_array / to_json(b): arguments by their SQL type

def special_build(name: str) -> Any:
    is_jsonb = name.startswith("jsonb") or name == "to_jsonb"
    is_obj = name.endswith("build_object")
    is_to = name.startswith("to_")

    def special(args: list[Expr], ec: Any, pos: Any) -> Expr:
        from tuskdb.sql.analyze.coerce import coerce_to
        from tuskdb.types.json import escape_json, to_jsonb_tree
        from tuskdb.types.jsonconv import datum_to_json, datum_to_jsonb, key_text
        args = [coerce_to(a, 25) if a.type_oid == 705 else a for a in args]
        if getattr(ec, "func_variadic", False) and not is_to:
            return _variadic_build(name, args, ec, pos)
        if is_to and len(args) != 1:
            from tuskdb.sql.analyze.resolve import resolve_function
            resolve_function(name, [a.type_oid for a in args], pos if pos else -1)
        if is_obj and len(args) % 2:
            raise PgError("22023", "argument list must have even number of elements",
                          hint=f"The arguments of {name}() must consist of alternating keys "
                          "and values.")
        typs = [a.type_oid for a in args]
        ret = JSONB if is_jsonb else JSON

        def build(ectx: Any, *vals: Any) -> Any:
            tctx = ectx.types
            if is_to:
                if vals[0] is None:
                    return None
                if is_jsonb:
                    return Jsonb(to_jsonb_tree(datum_to_jsonb(vals[0], typs[0], tctx)))
                return datum_to_json(vals[0], typs[0], tctx)
            if is_obj:
                parts = []
                obj: dict = {}
                for i in range(0, len(vals), 2):
                    k = vals[i]
                    if k is None:
                        if is_jsonb:
                            raise PgError("22004", f"argument {i + 1}: key must not be null")
                        raise PgError("22004", "null value not allowed for object key")
                    key = key_text(k, typs[i], tctx)
                    if is_jsonb:
                        obj.pop(key, None)
                        obj[key] = datum_to_jsonb(vals[i + 1], typs[i + 1], tctx)
                    else:
                        parts.append(escape_json(key) + " : " +
                                     datum_to_json(vals[i + 1], typs[i + 1], tctx))
                if is_jsonb:
                    return Jsonb(to_jsonb_tree(obj))
                return "{" + ", ".join(parts) + "}"
            if is_jsonb:
                return Jsonb(to_jsonb_tree([datum_to_jsonb(v, t, tctx)
                                            for v, t in zip(vals, typs)]))
            return "[" + ", ".join(datum_to_json(v, t, tctx) for v, t in zip(vals, typs)) + "]"
        return Func(build, args, ret, strict=False, name=name, needs_ctx=True,
                    volatile=False)
    return special


def _variadic_build(name: str, args: list[Expr], ec: Any, pos: Any) -> Expr:
    """json(b)_build_*(VARIADIC arr): the array's elements are the arguments."""
    from tuskdb.types.json import escape_json, to_jsonb_tree
    from tuskdb.types.jsonconv import datum_to_json, datum_to_jsonb, key_text
    if len(args) != 1:
        raise PgError("42883", f"function {name} does not exist", position=pos)
    at = types.TYPES.get(args[0].type_oid)
    if at is None or at.category != "A":
        raise PgError("42804", "VARIADIC argument must be an array", position=pos)
    elem = at.elem_oid
    is_jsonb = name.startswith("jsonb")
    is_obj = name.endswith("object")

    def build(ectx: Any, arr: Any) -> Any:
        if arr is None:
            return None
        tctx = ectx.types
        vals = list(arr.items)
        if is_obj:
            if len(vals) % 2:
                raise PgError("22023", "argument list must have even number of elements",
                              hint=f"The arguments of {name}() must consist of alternating "
                              "keys and values.")
            obj: dict = {}
            parts = []
            for i in range(0, len(vals), 2):
                if vals[i] is None:
                    if is_jsonb:
                        raise PgError("22004", f"argument {i + 1}: key must not be null")
                    raise PgError("22004", "null value not allowed for object key")
                key = key_text(vals[i], elem, tctx)
                if is_jsonb:
                    obj.pop(key, None)
                    obj[key] = datum_to_jsonb(vals[i + 1], elem, tctx)
                else:
                    parts.append(escape_json(key) + " : " +
                                 datum_to_json(vals[i + 1], elem, tctx))
            return Jsonb(to_jsonb_tree(obj)) if is_jsonb else "{" + ", ".join(parts) + "}"
        if is_jsonb:
            return Jsonb(to_jsonb_tree([datum_to_jsonb(v, elem, tctx) for v in vals]))
        return "[" + ", ".join(datum_to_json(v, elem, tctx) for v in vals) + "]"
    return Func(build, args, JSONB if is_jsonb else JSON, strict=False, name=name,
                needs_ctx=True)


for _n in ("json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
           "to_json", "to_jsonb"):
    SPECIALS[_n] = special_build(_n)


def special_array_to_json(name: str) -> Any:
    """array_to_json(anyarray [, pretty]) / row_to_json(record [, pretty]) by element type."""
    def special(args: list[Expr], ec: Any, pos: Any) -> Expr:
        from tuskdb.sql.analyze.coerce import coerce_to
        from tuskdb.types.json import escape_json
        from tuskdb.types.jsonconv import _record_fields, datum_to_json
        if not 1 <= len(args) <= 2:
            from tuskdb.sql.analyze.resolve import resolve_function
            resolve_function(name, [a.type_oid for a in args], pos if pos else -1)
        typ = args[0].type_oid
        if len(args) == 2:
            args = [args[0], coerce_to(args[1], 16)]
        if name == "array_to_json":
            at = types.TYPES.get(typ)
            elem_t = 2249 if typ == 2287 else (at.elem_oid if at is not None else 0)
            if typ != 2287 and (at is None or at.category != "A"):
                from tuskdb.sql.analyze.resolve import resolve_function
                resolve_function(name, [a.type_oid for a in args], pos if pos else -1)

            def a2j(ectx: Any, arr: Any, pretty: Any = False) -> Any:
                if arr is None:
                    return None
                s = datum_to_json(arr, typ, ectx.types)
                if pretty and s.startswith("[") and arr.items:
                    elem = elem_t
                    dims = list(arr.dims) if arr.dims else [len(arr.items)]
                    if len(dims) == 1:
                        parts = [datum_to_json(x, elem, ectx.types) for x in arr.items]
                        return "[" + ",\n ".join(parts) + "]"
                return s
            return Func(a2j, args, JSON, strict=True, name=name, needs_ctx=True)
        from tuskdb.sql.analyze.rowtypes import _record_fields as _rf
        rf = _rf(args[0])

        def r2j(ectx: Any, rec: Any, pretty: Any = False) -> Any:
            if rec is None:
                return None
            flds = [(n, t, x) for (n, t, _), x in zip(rf, rec.values)] if rf else \
                _record_fields(rec, typ)
            sep = ",\n " if pretty else ","
            return "{" + sep.join(escape_json(n) + ":" + datum_to_json(x, t, ectx.types)
                                  for n, t, x in flds) + "}"
        return Func(r2j, args, JSON, strict=True, name=name, needs_ctx=True)
    return special


for _n in ("array_to_json", "row_to_json"):
    SPECIALS[_n] = special_array_to_json(_n)

JSON_AGGS = {"json_agg": (False, False, False), "json_agg_strict": (False, True, False),
             "jsonb_agg": (True, False, False), "jsonb_agg_strict": (True, True, False),
             "json_object_agg": (False, False, False),
             "json_object_agg_strict": (False, True, False),
             "json_object_agg_unique": (False, False, True),
             "json_object_agg_unique_strict": (False, True, True),
             "jsonb_object_agg": (True, False, False),
             "jsonb_object_agg_strict": (True, True, False),
             "jsonb_object_agg_unique": (True, False, True),
             "jsonb_object_agg_unique_strict": (True, True, True)}


def json_aggregate(name: str, body: dict, raw_args: list, ec: Any, pos: Any) -> Expr | None:
    """json_agg & co. as the typed JSON_ARRAYAGG / JSON_OBJECTAGG aggregate."""
    from tuskdb.sql.analyze.sqljson import _json_agg_common
    is_jsonb, strict, unique = JSON_AGGS[name]
    is_obj = "object" in name
    if body.get("agg_distinct") or body.get("agg_star") or \
            len(raw_args) != (2 if is_obj else 1) or \
            any("NamedArgExpr" in a for a in raw_args):
        return None
    fmt = {"format_type": "JS_FORMAT_DEFAULT", "encoding": "JS_ENC_DEFAULT", "location": -1}
    output = {"typeName": {"names": [{"String": {"sval": "jsonb" if is_jsonb else "json"}}],
                           "typemod": -1, "location": -1},
              "returning": {"format": fmt}}
    cons = {"output": output, "agg_filter": body.get("agg_filter"),
            "agg_order": body.get("agg_order"), "location": body.get("location", -1)}
    if is_obj:
        jb = {"constructor": cons, "arg": {"key": raw_args[0],
                                           "value": {"raw_expr": raw_args[1], "format": fmt}},
              "absent_on_null": strict, "unique": unique}
        return _json_agg_common(jb, ec, name, [jb["arg"]["value"]], raw_args[0],
                                legacy=True)
    jb = {"constructor": cons, "arg": {"raw_expr": raw_args[0], "format": fmt},
          "absent_on_null": strict}
    return _json_agg_common(jb, ec, name, [jb["arg"]], None, legacy=True)
