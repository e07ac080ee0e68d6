"""SQL/JSON query functions: JSON_EXISTS, JSON_VALUE and JSON_QUERY.

The analyzer turns a ``JsonFuncExpr`` parse node into a ``JsonExpr`` node
(PostgreSQL's transformJsonFuncExpr): the context item becomes jsonb, the
path jsonpath, PASSING arguments keep their types, the RETURNING type gets its
default (boolean, text, jsonb), and ON EMPTY / ON ERROR behaviors are checked
against what each function allows; DEFAULT expressions are coerced to the
RETURNING type here, so their own errors are raised as in PostgreSQL.

At run time (ExecEvalJsonExprPath) the path runs with errors thrown only for
ERROR ON ERROR; an error — in the path, from several items where one is
needed, or while coercing the result to the RETURNING type — yields the ON
ERROR behavior, an empty result the ON EMPTY behavior.  Results are coerced
the way PostgreSQL coerces them: JSON_VALUE scalars through the RETURNING
type's input function (datetime items by cast), JSON_QUERY results as jsonb
text (OMIT QUOTES: a string's bare text) or populated into arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tuskdb import types
from tuskdb.errors import PgError
from tuskdb.sql.expr import Compiled, Const, Expr, compile_expr, register_compiler
from tuskdb.types.json import json_in as _json_in
from tuskdb.types.json import jsonb_in as _jsonb_in

JSON, JSONB, JSONPATH, TEXT, BOOL, UNKNOWN = 114, 3802, 4072, 25, 16, 705

_BEHAVIOR_NAMES = {
    "JSON_BEHAVIOR_NULL": "NULL", "JSON_BEHAVIOR_ERROR": "ERROR",
    "JSON_BEHAVIOR_EMPTY": "EMPTY", "JSON_BEHAVIOR_TRUE": "TRUE",
    "JSON_BEHAVIOR_FALSE": "FALSE", "JSON_BEHAVIOR_UNKNOWN": "UNKNOWN",
    "JSON_BEHAVIOR_EMPTY_ARRAY": "EMPTY ARRAY", "JSON_BEHAVIOR_EMPTY_OBJECT": "EMPTY OBJECT",
    "JSON_BEHAVIOR_DEFAULT": "DEFAULT",
}
_FUNC_NAMES = {"JSON_EXISTS_OP": "JSON_EXISTS()", "JSON_VALUE_OP": "JSON_VALUE()",
               "JSON_QUERY_OP": "JSON_QUERY()", "JSON_TABLE_OP": "JSON_TABLE()"}


@dataclass(eq=False)
class JsonBehavior:
    btype: str                      # JSON_BEHAVIOR_*
    expr: Expr | None = None        # DEFAULT expression, coerced to the RETURNING type
    json_coerce: bool = False       # a json/jsonb DEFAULT coerced like a JSON_QUERY result


@dataclass(eq=False)
class JsonExpr(Expr):
    op: str                         # JSON_EXISTS_OP / JSON_VALUE_OP / JSON_QUERY_OP
    item: Expr                      # jsonb
    path: Expr                      # jsonpath
    passing: list[tuple[str, Expr]]
    type_oid: int
    typmod: int = -1
    wrapper: str = "JSW_UNSPEC"
    omit_quotes: bool = False
    on_empty: JsonBehavior | None = None
    on_error: JsonBehavior | None = None
    column_name: str | None = None
    args: list[Expr] = field(default_factory=list)

    def children(self) -> list[Expr]:
        out = [self.item, self.path] + [e for _, e in self.passing]
        for b in (self.on_empty, self.on_error):
            if b is not None and b.expr is not None:
                out.append(b.expr)
        return out


# ---------------------------------------------------------------------------------
# analysis

def _pos(ec: Any, loc: Any) -> int | None:
    return ec.state.pos(loc if isinstance(loc, int) and loc >= 0 else None)


def transform_json_value_expr(jve: dict, ec: Any, target: int = JSONB) -> Expr:
    """A JsonValueExpr (context item): to jsonb (or json)."""
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import _tctx, transform
    e = transform(jve["raw_expr"], ec)
    if e.type_oid == target:
        return e
    if e.type_oid in (UNKNOWN, TEXT, 1043, 1042, 19, JSON, JSONB):
        return coerce_to(e, target, -1, "e", ctx=_tctx(ec))
    if e.type_oid == 17:   # bytea FORMAT JSON: UTF-8 text
        return _func(lambda b: _jsonb_in(bytes(b).decode()), [e], target)
    from tuskdb.sql.analyze.coerce import type_name
    raise PgError("42804", "cannot use non-string types with implicit FORMAT JSON clause"
                  if False else f"cannot use type {type_name(e.type_oid)} in {'JSON'} "
                  "context", position=_pos(ec, jve["raw_expr"].get(next(iter(
                      jve["raw_expr"])), {}).get("location")))


def _func(fn: Any, args: list[Expr], ret: int) -> Expr:
    from tuskdb.sql.expr import Func
    return Func(fn, args, ret, strict=True, name="")


def returning_type(output: dict | None, ec: Any, default: int, fname: str,
                   allow_format: bool) -> tuple[int, int]:
    from tuskdb.sql.analyze.expr import resolve_type_name
    if not output:
        return default, -1
    oid, typmod = resolve_type_name(output["typeName"], ec.state)
    t = types.TYPES.get(oid)
    if t is not None and t.typtype == "p":
        raise PgError("42804", "returning pseudo-types is not supported in SQL/JSON functions",
                      position=_pos(ec, output["typeName"].get("location")))
    fmt = (output.get("returning") or {}).get("format") or {}
    if fmt.get("format_type") == "JS_FORMAT_JSON" and not allow_format:
        raise PgError("42601", f"cannot specify FORMAT JSON in RETURNING clause of {fname}",
                      position=_pos(ec, fmt.get("location")))
    return oid, typmod


_ALLOWED = {
    "JSON_EXISTS_OP": ("JSON_BEHAVIOR_ERROR", "JSON_BEHAVIOR_TRUE", "JSON_BEHAVIOR_FALSE",
                       "JSON_BEHAVIOR_UNKNOWN"),
    "JSON_VALUE_OP": ("JSON_BEHAVIOR_ERROR", "JSON_BEHAVIOR_NULL", "JSON_BEHAVIOR_DEFAULT"),
    "JSON_QUERY_OP": ("JSON_BEHAVIOR_ERROR", "JSON_BEHAVIOR_NULL", "JSON_BEHAVIOR_DEFAULT",
                      "JSON_BEHAVIOR_EMPTY", "JSON_BEHAVIOR_EMPTY_ARRAY",
                      "JSON_BEHAVIOR_EMPTY_OBJECT"),
}
_ALLOWED_DETAIL = {
    "JSON_EXISTS_OP": "Only ERROR, TRUE, FALSE, or UNKNOWN is allowed in {w} for {f}.",
    "JSON_VALUE_OP": "Only ERROR, NULL, or DEFAULT expression is allowed in {w} for {f}.",
    "JSON_QUERY_OP": "Only ERROR, NULL, EMPTY ARRAY, EMPTY OBJECT, or DEFAULT expression is "
                     "allowed in {w} for {f}.",
}


def transform_behavior(raw: dict | None, op: str, which: str, ec: Any, ret: int, typmod: int,
                       fname: str, column: str | None = None) -> JsonBehavior | None:
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import _tctx, transform
    if not raw:
        return None
    btype = raw["btype"]
    allowed = _ALLOWED.get(op)
    if allowed is not None and btype not in allowed:
        raise PgError("42601", f"invalid {which} behavior" +
                      (f' for column "{column}"' if column else ""),
                      detail=_ALLOWED_DETAIL[op].format(w=which, f=fname),
                      position=_pos(ec, raw.get("location")))
    expr = None
    if btype == "JSON_BEHAVIOR_DEFAULT":
        raw_e = raw["expr"]
        loc = _pos(ec, _leftmost(raw_e))
        e = transform(raw_e, ec)
        if not _valid_default(e):
            raise PgError("42804", "can only specify a constant, non-aggregate function, or "
                          "operator expression for DEFAULT", position=loc)
        if _has_column_ref(raw_e):
            raise PgError("42804", "DEFAULT expression must not contain column references",
                          position=loc)
        if _returns_set(e):
            raise PgError("42804", "DEFAULT expression must not return a set", position=loc)
        # a domain's constraints are checked at run time (their failure is reported as
        # "could not coerce ... expression (DEFAULT)")
        tgt, tmod = ret, typmod
        t = types.TYPES.get(ret)
        if t is not None and t.typtype == "d":
            tgt, tmod = _base(ret), t.base_typmod
            from tuskdb.sql.domaincheck import CoerceToDomain
            while isinstance(e, CoerceToDomain):
                e = e.arg
        if e.type_oid in (JSON, JSONB) and tgt not in (JSON, JSONB):
            return JsonBehavior(btype, e, True)
        try:
            expr = coerce_to(e, tgt, tmod, "a", ctx=_tctx(ec))
        except PgError as err:
            if err.sqlstate != "42846":
                raise
            from tuskdb.sql.analyze.coerce import type_name
            raise PgError("42846", f"cannot cast behavior expression of type "
                          f"{type_name(e.type_oid)} to {type_name(tgt)}", position=loc,
                          hint=f"You will need to explicitly cast the expression to type "
                          f"{type_name(tgt)}.") from None
    return JsonBehavior(btype, expr)


def _valid_default(e: Expr) -> bool:
    """ValidJsonBehaviorDefaultExpr: a constant, function or operator, possibly under
    coercions."""
    from tuskdb.sql.domaincheck import CoerceToDomain
    from tuskdb.sql.expr import Func, Literal, SubLink
    if isinstance(e, (Const, Literal)):
        return True
    if isinstance(e, CoerceToDomain):
        return _valid_default(e.arg)
    if isinstance(e, Func):
        a = e
        while isinstance(a, Func) and len(a.args) == 1:
            a = a.args[0]
            if isinstance(a, SubLink):
                return False
        return True
    return False


def _leftmost(node: Any) -> int | None:
    best: int | None = None
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "location" and isinstance(v, int) and v >= 0:
                best = v if best is None else min(best, v)
            elif isinstance(v, (dict, list)):
                m = _leftmost(v)
                if m is not None:
                    best = m if best is None else min(best, m)
    elif isinstance(node, list):
        for v in node:
            m = _leftmost(v)
            if m is not None:
                best = m if best is None else min(best, m)
    return best


def _returns_set(e: Expr) -> bool:
    from tuskdb.sql.expr import Var
    if isinstance(e, Var) and isinstance(e.rt, tuple) and e.rt and e.rt[0] == "srf":
        return True
    return any(_returns_set(c) for c in e.children())


def _has_column_ref(node: Any) -> bool:
    if isinstance(node, dict):
        if "ColumnRef" in node:
            return True
        if "SubLink" in node:
            return False
        return any(_has_column_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_column_ref(v) for v in node)
    return False


def transform_passing(passing: list | None, ec: Any) -> list[tuple[str, Expr]]:
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import _tctx, transform
    out = []
    for a in passing or []:
        ja = a["JsonArgument"]
        jve = ja["val"]
        fmt = (jve.get("format") or {}).get("format_type")
        e = transform(jve["raw_expr"], ec)
        if fmt == "JS_FORMAT_JSON" and e.type_oid not in (JSON, JSONB):
            e = coerce_to(e, JSONB, -1, "e", ctx=_tctx(ec))
        elif e.type_oid == UNKNOWN:
            e = coerce_to(e, TEXT, -1, "i", ctx=_tctx(ec))
        out.append((ja["name"], e))
    return out


def transform_path_spec(raw: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import can_coerce, coerce_to, type_name
    from tuskdb.sql.analyze.expr import _tctx, transform
    path = transform(raw, ec)
    if path.type_oid == JSONPATH:
        return path
    if path.type_oid in (UNKNOWN, TEXT, 1043, 1042, 19) or can_coerce(path.type_oid, JSONPATH,
                                                                      "i"):
        return coerce_to(path, JSONPATH, -1, "e", ctx=_tctx(ec))
    raise PgError("42804", f"JSON path expression must be of type jsonpath, not of type "
                  f"{type_name(path.type_oid)}", position=_pos(ec, _leftmost(raw)))


def transform_json_func_expr(body: dict, ec: Any) -> Expr:
    op = body["op"]
    fname = _FUNC_NAMES[op]
    item = transform_json_value_expr(body["context_item"], ec)
    path = transform_path_spec(body["pathspec"], ec)
    passing = transform_passing(body.get("passing"), ec)
    default = {"JSON_EXISTS_OP": BOOL, "JSON_VALUE_OP": TEXT, "JSON_QUERY_OP": JSONB}[op]
    ret, typmod = returning_type(body.get("output"), ec, default, fname,
                                 op == "JSON_QUERY_OP")
    wrapper = body.get("wrapper", "JSW_UNSPEC")
    quotes = body.get("quotes", "JS_QUOTES_UNSPEC")
    if op == "JSON_QUERY_OP" and wrapper not in ("JSW_UNSPEC", "JSW_NONE") \
            and quotes == "JS_QUOTES_OMIT":
        raise PgError("42601", "SQL/JSON QUOTES behavior must not be specified when WITH "
                      "WRAPPER is used", position=_pos(ec, body.get("location")))
    on_empty = transform_behavior(body.get("on_empty"), op, "ON EMPTY", ec, ret, typmod, fname)
    on_error = transform_behavior(body.get("on_error"), op, "ON ERROR", ec, ret, typmod, fname)
    return JsonExpr(op, item, path, passing, ret, typmod, wrapper,
                    quotes == "JS_QUOTES_OMIT", on_empty, on_error)


# ---------------------------------------------------------------------------------
# run time

class _CoercionFailed(Exception):
    def __init__(self, err: PgError) -> None:
        self.err = err


def jsonpath_vars(passing: list[tuple[str, int, Any]], tctx: Any) -> dict[str, Any]:
    """PASSING values as jsonpath variables (JsonItemFromDatum)."""
    out: dict[str, Any] = {}
    for name, typ, v in passing:
        out[name] = datum_to_item(v, typ, tctx)
    return out


def datum_to_item(v: Any, typ: int, tctx: Any) -> Any:
    from tuskdb.types.json import Jsonb, parse
    from tuskdb.types.jsonpath_exec import JpDatetime
    if v is None:
        return None
    base = typ
    t = types.TYPES.get(typ)
    while t is not None and t.typtype == "d":
        base = t.base_oid
        t = types.TYPES.get(base)
    if base == BOOL:
        return bool(v)
    if base in (20, 21, 23, 26):
        return Decimal(v)
    if base == 1700:
        return v
    if base in (700, 701):
        from tuskdb.types.numeric import float8_numeric
        return float8_numeric(v)
    if base in (TEXT, 1043, 1042, 19, UNKNOWN):
        return v
    if base == JSONB:
        return v.tree if isinstance(v, Jsonb) else v
    if base == JSON:
        return parse(v)
    if base in (1082, 1083, 1266, 1114, 1184):
        return JpDatetime(base, v, 0)
    return t.output(v, tctx) if t is not None else str(v)


def _coerce_text(text: str, target: int, typmod: int, ectx: Any) -> Any:
    """The RETURNING type's input function (and typmod, domain checks)."""
    t = types.TYPES[target]
    if t.typtype == "d":
        v = _coerce_text(text, t.base_oid, t.base_typmod, ectx) if text is not None else None
        return _domain_check(target, v, ectx)
    if text is None:
        return None
    v = t.input(text, -1, ectx.types)
    if typmod >= 0:
        v = t.coerce_typmod(v, typmod, False)
    return v


def _domain_check(target: int, v: Any, ectx: Any) -> Any:
    from tuskdb.sql.domaincheck import check_domain_value
    return check_domain_value(ectx.session, ectx, target, v)


def _base(target: int) -> int:
    t = types.TYPES.get(target)
    while t is not None and t.typtype == "d":
        target = t.base_oid
        t = types.TYPES.get(target)
    return target


def coerce_json_result(tree: Any, target: int, typmod: int, omit_quotes: bool, ectx: Any,
                       from_value: bool) -> Any:
    """A JSON_VALUE scalar or JSON_QUERY jsonb result as a value of the RETURNING type."""
    from tuskdb.types.json import Jsonb, jsonb_text
    from tuskdb.types.jsonpath_datetime import datetime_json_text
    from tuskdb.types.jsonpath_exec import JpDatetime
    t = types.TYPES[target]
    if t.typtype == "d":
        base_t = types.TYPES[t.base_oid]
        if from_value and isinstance(tree, bool):   # json_populate_type's text of a boolean
            tree = "true" if tree else "false"
        v = coerce_json_result(tree, base_t.oid, t.base_typmod, omit_quotes, ectx, from_value)
        return _domain_check(target, v, ectx)
    if isinstance(tree, JpDatetime):
        if target == tree.typid:
            return tree.value
        if target in (JSON, JSONB):
            s = datetime_json_text(ectx.types, tree)
            return Jsonb(s) if target == JSONB else jsonb_text(s)
        cast = types.find_cast(tree.typid, target)
        if cast is None:
            raise PgError("42846", f"cannot cast type to {t.sql_name}")
        v = cast.func(tree.value, typmod, ectx.types) if cast.func else tree.value
        return t.coerce_typmod(v, typmod, False) if typmod >= 0 else v
    if target == JSONB:
        if omit_quotes and isinstance(tree, str):
            return _jsonb_in(tree)
        return Jsonb(tree)
    if target == JSON:
        if omit_quotes and isinstance(tree, str):
            return _json_in(tree)
        return jsonb_text(tree)
    if from_value or (omit_quotes and isinstance(tree, str)):
        if isinstance(tree, str):
            text = tree
        elif isinstance(tree, bool):
            text = ("t" if tree else "f") if from_value else ("true" if tree else "false")
        else:
            text = jsonb_text(tree)
        return _coerce_text(text, target, typmod, ectx)
    if t.category == "A":
        return _populate_array(tree, target, typmod, ectx)
    if t.typtype == "c":        # json_populate_type: an object fills the record's fields
        from tuskdb.sql.analyze.jsonpopulate import populate_field
        if not isinstance(tree, dict):
            raise PgError("22023", "cannot call populate_composite on " +
                          ("an array" if isinstance(tree, list) else "a scalar"))
        return populate_field(tree, target, typmod, ectx, [])
    return _coerce_text(jsonb_text(tree), target, typmod, ectx)


def _populate_array(tree: Any, target: int, typmod: int, ectx: Any) -> Any:
    from tuskdb.types.arrays import Array
    if not isinstance(tree, list):
        raise PgError("22P02", "expected JSON array")
    elem = types.TYPES[target].elem_oid

    def conv(x: Any) -> Any:
        if x is None:
            return None
        return coerce_json_result(x, elem, typmod, True, ectx, True)
    if tree and all(isinstance(x, list) for x in tree):
        n = len(tree[0])
        if any(len(x) != n for x in tree):
            raise PgError("22P02", "malformed JSON array",
                          detail="Multidimensional arrays must have sub-arrays with matching "
                          "dimensions.")
        items = [conv(y) for x in tree for y in x]
        return Array(tuple(items), 1, (len(tree), n), (1, 1))
    return Array(tuple(conv(x) for x in tree))


def _behavior_value(b: JsonBehavior | None, default_btype: str, row: tuple, ectx: Any,
                    compiled: Compiled | None, target: int, typmod: int, which: str,
                    is_exists: bool, omit: bool = False, throw: bool = False) -> Any:
    from tuskdb.types.json import Jsonb
    btype = b.btype if b is not None else default_btype
    if btype == "JSON_BEHAVIOR_DEFAULT":
        v = compiled(row, ectx) if compiled is not None else None
        if b is not None and b.json_coerce and v is not None:
            from tuskdb.types.json import Jsonb, parse
            tree = v.tree if isinstance(v, Jsonb) else parse(v)
            return coerce_json_result(tree, target, typmod, omit, ectx, False)
        if types.TYPES[target].typtype == "d":
            try:
                return _domain_check(target, v, ectx)
            except PgError as err:
                if throw:
                    raise
                raise PgError(err.sqlstate, f"could not coerce {which} expression (DEFAULT) "
                              "to the RETURNING type", detail=err.message) from None
        return v
    if is_exists:
        v = {"JSON_BEHAVIOR_TRUE": True, "JSON_BEHAVIOR_FALSE": False,
             "JSON_BEHAVIOR_UNKNOWN": None}.get(btype)
        try:
            return _exists_result(v, target, typmod, ectx)
        except PgError as err:
            if throw:
                raise
            raise PgError(err.sqlstate, f"could not coerce {which} expression "
                          f"({_BEHAVIOR_NAMES[btype]}) to the RETURNING type",
                          detail=err.message) from None
    if btype in ("JSON_BEHAVIOR_EMPTY_ARRAY", "JSON_BEHAVIOR_EMPTY"):
        tree: Any = []
    elif btype == "JSON_BEHAVIOR_EMPTY_OBJECT":
        tree = {}
    else:
        tree = None
    try:
        if tree is None:
            if types.TYPES[target].typtype == "d":
                return _domain_check(target, None, ectx)
            return None
        return coerce_json_result(tree, target, typmod, False, ectx, False)
    except PgError as err:
        if throw:
            raise
        raise PgError(err.sqlstate,
                      f"could not coerce {which} expression ({_BEHAVIOR_NAMES[btype]}) to the "
                      "RETURNING type", detail=err.message) from None
    _ = Jsonb


def _exists_result(v: bool | None, target: int, typmod: int, ectx: Any) -> Any:
    if v is None or _base(target) == BOOL:
        if types.TYPES[target].typtype == "d":
            return _domain_check(target, v, ectx)
        return v
    base = _base(target)
    cast = types.CASTS.get((BOOL, base))
    if cast is not None:
        r = cast.func(v, typmod, ectx.types) if cast.func else v
        if typmod >= 0:
            r = types.TYPES[base].coerce_typmod(r, typmod, False)
    elif base == JSONB:
        r = _jsonb_in("true" if v else "false")
    else:   # I/O coercion from the text true/false
        bt = types.TYPES[base]
        r = bt.input("true" if v else "false", -1, ectx.types)
        if typmod >= 0:
            r = bt.coerce_typmod(r, typmod, False)
    if types.TYPES[target].typtype == "d":
        return _domain_check(target, r, ectx)
    return r


def _c_json_expr(e: JsonExpr, layout: dict) -> Compiled:
    from tuskdb.types.json import Jsonb
    from tuskdb.types.jsonpath_exec import execute_jsonpath
    item_f = compile_expr(e.item, layout)
    path_f = compile_expr(e.path, layout)
    passing = [(name, x.type_oid, compile_expr(x, layout)) for name, x in e.passing]
    on_empty, on_error = e.on_empty, e.on_error
    empty_f = compile_expr(on_empty.expr, layout) if on_empty and on_empty.expr else None
    error_f = compile_expr(on_error.expr, layout) if on_error and on_error.expr else None
    op = e.op
    target, typmod = e.type_oid, e.typmod
    throw = on_error is not None and on_error.btype == "JSON_BEHAVIOR_ERROR"
    empty_error = on_empty is not None and on_empty.btype == "JSON_BEHAVIOR_ERROR"
    wrapper = e.wrapper
    omit = e.omit_quotes
    column = e.column_name
    is_exists = op == "JSON_EXISTS_OP"

    def on_err(row: tuple, ectx: Any) -> Any:
        return _behavior_value(on_error, "JSON_BEHAVIOR_FALSE" if is_exists
                               else "JSON_BEHAVIOR_NULL", row, ectx, error_f, target, typmod,
                               "ON ERROR", is_exists, omit, throw)

    def run(row: tuple, ectx: Any) -> Any:
        item = item_f(row, ectx)
        path = path_f(row, ectx)
        if item is None or path is None:
            return None
        tctx = ectx.types
        pvals = [(name, typ, f(row, ectx)) for name, typ, f in passing]
        vars_ = Jsonb(jsonpath_vars(pvals, tctx)) if pvals else None
        if isinstance(item, str):
            item = _jsonb_in(item)
        return evaluate(row, ectx, item, path, vars_)

    def evaluate(row: tuple, ectx: Any, item: Any, path: Any, vars_: Any) -> Any:
        """The function applied to an item (JSON_TABLE columns call this directly)."""
        tctx = ectx.types
        if is_exists:
            from tuskdb.types.jsonpath_exec import path_exists
            r = path_exists(tctx, item, path, vars_, not throw)
            if r is None:
                return on_err(row, ectx)
            try:
                return _exists_result(r, target, typmod, ectx)
            except PgError:
                if throw:
                    raise
                return on_err(row, ectx)
        found: list = []
        res = execute_jsonpath(path, vars_, item, throw, found, False, tctx)
        if res is None:
            return on_err(row, ectx)
        if op == "JSON_VALUE_OP":
            if not found:
                return _on_empty(row, ectx)
            if len(found) > 1:
                if not throw:
                    return on_err(row, ectx)
                raise PgError("22034", f'JSON path expression for column "{column}" must '
                              "return single scalar item" if column else
                              "JSON path expression in JSON_VALUE must return single scalar "
                              "item")
            v = found[0]
            if isinstance(v, (dict, list)):
                if not throw:
                    return on_err(row, ectx)
                raise PgError("2203F", f'JSON path expression for column "{column}" must '
                              "return single scalar item" if column else
                              "JSON path expression in JSON_VALUE must return single scalar "
                              "item")
            if v is None:
                return _coerce_or_error(None, row, ectx, True)
            return _coerce_or_error(v, row, ectx, True)
        # JSON_QUERY
        count = len(found)
        if count == 0:
            return _on_empty(row, ectx)
        if wrapper == "JSW_UNCONDITIONAL":
            wrap = True
        elif wrapper == "JSW_CONDITIONAL":
            wrap = count > 1
        else:
            wrap = False
        from tuskdb.types.jsonpath_exec import _tree_copy, to_tree
        if wrap:
            tree = [_tree_copy(to_tree(x, tctx)) for x in found]
        else:
            if count > 1:
                if not throw:
                    return on_err(row, ectx)
                raise PgError("22034", f'JSON path expression for column "{column}" must '
                              "return single item when no wrapper is requested" if column
                              else "JSON path expression in JSON_QUERY must return single item "
                              "when no wrapper is requested",
                              hint="Use the WITH WRAPPER clause to wrap SQL/JSON items into an "
                              "array.")
            tree = _tree_copy(to_tree(found[0], tctx))
        return _coerce_or_error(tree, row, ectx, False)

    def _coerce_or_error(tree: Any, row: tuple, ectx: Any, from_value: bool) -> Any:
        try:
            if tree is None and from_value:
                if types.TYPES[target].typtype == "d":
                    return _domain_check(target, None, ectx)
                return None
            return coerce_json_result(tree, target, typmod, omit, ectx, from_value)
        except PgError:
            if throw:
                raise
            return on_err(row, ectx)

    def _on_empty(row: tuple, ectx: Any) -> Any:
        if empty_error:
            raise PgError("22035", "no SQL/JSON item found for specified path" +
                          (f' of column "{column}"' if column else ""))
        return _behavior_value(on_empty, "JSON_BEHAVIOR_NULL", row, ectx, empty_f, target,
                               typmod, "ON EMPTY", False, omit, throw)

    run.evaluate = evaluate  # type: ignore[attr-defined]
    return run


register_compiler(JsonExpr, _c_json_expr)

_ = Const


# ---------------------------------------------------------------------------------
# constructors: JSON_OBJECT, JSON_ARRAY, JSON(), JSON_SCALAR, JSON_SERIALIZE, IS JSON,
# JSON_ARRAYAGG, JSON_OBJECTAGG

_STRING_TYPES = (TEXT, 1043, 1042, 19, UNKNOWN)


def _check_output_format(output: dict | None, ec: Any) -> None:
    if not output:
        return
    fmt = (output.get("returning") or {}).get("format") or {}
    enc = fmt.get("encoding", "JS_ENC_DEFAULT")
    if enc == "JS_ENC_DEFAULT":
        return
    oid, _ = returning_type(output, ec, JSON, "", True)
    if oid != 17:
        raise PgError("22023" if False else "42804",
                      "cannot set JSON encoding for non-bytea output types",
                      position=_pos(ec, fmt.get("location")))
    if enc != "JS_ENC_UTF8":
        raise PgError("0A000", "unsupported JSON encoding",
                      hint="Only UTF8 JSON encoding is supported.",
                      position=_pos(ec, fmt.get("location")))


def transform_json_arg(jve: dict, ec: Any) -> Expr:
    """A constructor argument (JsonValueExpr): FORMAT JSON text/bytea becomes json."""
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import _tctx, transform
    e = transform(jve["raw_expr"], ec)
    fmt = jve.get("format") or {}
    ftype = fmt.get("format_type", "JS_FORMAT_DEFAULT")
    enc = fmt.get("encoding", "JS_ENC_DEFAULT")
    if enc != "JS_ENC_DEFAULT" and e.type_oid != 17:
        raise PgError("42804", "JSON ENCODING clause is only allowed for bytea input type",
                      position=_pos(ec, fmt.get("location")))
    if ftype == "JS_FORMAT_JSON":
        if e.type_oid in (JSON, JSONB):
            return e
        if e.type_oid == 17:
            return _func(lambda b: _json_in(bytes(b).decode()), [e], JSON)
        if e.type_oid in _STRING_TYPES:
            return coerce_to(e, JSON, -1, "e", ctx=_tctx(ec))
        raise PgError("42804", "cannot use non-string types with explicit FORMAT JSON clause",
                      position=_pos(ec, fmt.get("location")))
    if e.type_oid == UNKNOWN:
        e = coerce_to(e, TEXT, -1, "i", ctx=_tctx(ec))
    return e


def _constructor_output(output: dict | None, ec: Any, args: list[Expr]) -> tuple[int, int]:
    _check_output_format(output, ec)
    default = JSONB if any(a.type_oid == JSONB for a in args) else JSON
    oid, typmod = returning_type(output, ec, default, "", True)
    return oid, typmod


def _json_result(text: str | None, tree: Any, ret: int, typmod: int, tctx: Any) -> Any:
    """A constructed JSON value (json text or jsonb tree) as the RETURNING type."""
    from tuskdb.types.json import Jsonb, to_jsonb_tree
    if ret == JSONB:
        return Jsonb(to_jsonb_tree(tree))
    s = text if text is not None else jsonb_text_of(tree)
    if ret == JSON:
        return s
    b = _base(ret)
    if b == 17:
        return s.encode()
    t = types.TYPES[b]
    v = t.input(s, -1, tctx) if b not in _STRING_TYPES else s
    return t.coerce_typmod(v, typmod, False) if typmod >= 0 else v


def jsonb_text_of(tree: Any) -> str:
    from tuskdb.types.json import jsonb_text
    return jsonb_text(tree)


def _make_func(fn: Any, args: list[Expr], ret: int, typmod: int = -1) -> Expr:
    from tuskdb.sql.expr import Func
    return Func(fn, args, ret, typmod, strict=False, name="", needs_ctx=True)


def transform_json_object(body: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import _tctx, transform
    from tuskdb.types.jsonconv import datum_to_json, datum_to_jsonb, key_text
    keys: list[Expr] = []
    vals: list[Expr] = []
    for kv in body.get("exprs") or []:
        k = transform(kv["JsonKeyValue"]["key"], ec)
        if k.type_oid == UNKNOWN:
            k = coerce_to(k, TEXT, -1, "i", ctx=_tctx(ec))
        keys.append(k)
        vals.append(transform_json_arg(kv["JsonKeyValue"]["value"], ec))
    ret, typmod = _constructor_output(body.get("output"), ec, vals)
    absent = bool(body.get("absent_on_null"))
    unique = bool(body.get("unique"))
    ktypes = [k.type_oid for k in keys]
    vtypes = [v.type_oid for v in vals]
    n = len(keys)
    as_jsonb = ret == JSONB

    def build(ectx: Any, *args: Any) -> Any:
        tctx = ectx.types
        parts: list[str] = []
        obj: dict[str, Any] = {}
        seen: set[str] = set()
        for i in range(n):
            k, v = args[i], args[n + i]
            if k is None:
                raise PgError("22004", "null value not allowed for object key")
            key = key_text(k, ktypes[i], tctx)
            if unique:
                if key in seen:
                    if as_jsonb:
                        raise PgError("22030", "duplicate JSON object key value")
                    raise PgError("22030", f'duplicate JSON object key value: "{key}"')
                seen.add(key)
            if v is None and absent:
                continue
            if as_jsonb:
                obj.pop(key, None)
                obj[key] = datum_to_jsonb(v, vtypes[i], tctx)
            else:
                parts.append(_escape(key) + " : " + datum_to_json(v, vtypes[i], tctx))
        if as_jsonb:
            return _json_result(None, obj, ret, typmod, tctx)
        return _json_result("{" + ", ".join(parts) + "}", None, ret, typmod, tctx)
    return _make_func(build, keys + vals, ret, typmod)


def _escape(s: str) -> str:
    from tuskdb.types.json import escape_json
    return escape_json(s)


def transform_json_array(body: dict, ec: Any) -> Expr:
    from tuskdb.types.jsonconv import datum_to_json, datum_to_jsonb
    vals = [transform_json_arg(x["JsonValueExpr"], ec) for x in body.get("exprs") or []]
    ret, typmod = _constructor_output(body.get("output"), ec, vals)
    absent = bool(body.get("absent_on_null"))
    vtypes = [v.type_oid for v in vals]

    def build(ectx: Any, *args: Any) -> Any:
        tctx = ectx.types
        if ret == JSONB:
            tree = [datum_to_jsonb(v, t, tctx) for v, t in zip(args, vtypes)
                    if not (v is None and absent)]
            return _json_result(None, tree, ret, typmod, tctx)
        parts = [datum_to_json(v, t, tctx) for v, t in zip(args, vtypes)
                 if not (v is None and absent)]
        return _json_result("[" + ", ".join(parts) + "]", None, ret, typmod, tctx)
    return _make_func(build, vals, ret, typmod)


def transform_json_array_query(body: dict, ec: Any) -> Expr:
    """JSON_ARRAY(query): (SELECT JSON_ARRAYAGG(q.a ...) FROM (query) q(a))."""
    from tuskdb.sql.analyze.expr import transform
    loc = body.get("location", -1)
    saved = ec.state.lift
    ec.state.lift = None
    try:   # the query must have one column (checked the way an expression subquery is)
        transform({"SubLink": {"subLinkType": "EXPR_SUBLINK", "subselect": body["query"],
                               "location": loc}}, ec)
    finally:
        ec.state.lift = saved
    agg = {"JsonArrayAgg": {
        "constructor": {"output": body.get("output"), "location": loc},
        "arg": {"raw_expr": {"ColumnRef": {"fields": [{"String": {"sval": "q"}},
                                                      {"String": {"sval": "a"}}],
                                           "location": loc}},
                "format": body.get("format") or {}},
        "absent_on_null": body.get("absent_on_null", True)}}
    sel = {"SelectStmt": {
        "targetList": [{"ResTarget": {"val": agg, "location": loc}}],
        "fromClause": [{"RangeSubselect": {"subquery": body["query"], "alias": {
            "aliasname": "q", "colnames": [{"String": {"sval": "a"}}]}}}],
        "limitOption": "LIMIT_OPTION_DEFAULT", "op": "SETOP_NONE"}}
    return transform({"SubLink": {"subLinkType": "EXPR_SUBLINK", "subselect": sel,
                                  "location": loc}}, ec)


def transform_json_parse(body: dict, ec: Any) -> Expr:
    """JSON(expr [WITH UNIQUE KEYS])."""
    from tuskdb.sql.analyze.coerce import type_name
    from tuskdb.sql.analyze.expr import transform
    jve = body["expr"]
    e = transform(jve["raw_expr"], ec)
    fmt = jve.get("format") or {}
    unique = bool(body.get("unique_keys"))
    if fmt.get("encoding", "JS_ENC_DEFAULT") != "JS_ENC_DEFAULT" and e.type_oid != 17:
        raise PgError("42804", "JSON ENCODING clause is only allowed for bytea input type",
                      position=_pos(ec, fmt.get("location")))
    if e.type_oid in (JSON, JSONB):
        if unique:
            raise PgError("42804", "cannot use non-string types with WITH UNIQUE KEYS clause",
                          position=_pos(ec, body.get("location")))
        if e.type_oid == JSON:
            return e
        return _func(lambda j: jsonb_text_of(j.tree), [e], JSON)
    if e.type_oid not in _STRING_TYPES + (17,):
        raise PgError("42846", f"cannot cast type {type_name(e.type_oid)} to json",
                      position=_pos(ec, _leftmost(jve["raw_expr"])))

    def parse_(v: Any) -> Any:
        s = bytes(v).decode() if isinstance(v, (bytes, bytearray)) else v
        _json_in(s)
        if unique and has_duplicate_keys(s):
            raise PgError("22030", "duplicate JSON object key value")
        return s
    return _func(parse_, [e], JSON)


def has_duplicate_keys(text: str) -> bool:
    """Whether any object in the (valid) JSON text has a key twice."""
    import json as _pyjson
    dup = False

    def hook(pairs: list) -> dict:
        nonlocal dup
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            dup = True
        return {}
    try:
        _pyjson.loads(text, object_pairs_hook=hook, parse_float=str, parse_int=str,
                      parse_constant=str)
    except ValueError:
        return False
    return dup


def transform_json_scalar(body: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.analyze.expr import _tctx, transform
    from tuskdb.types.jsonconv import datum_to_json
    e = transform(body["expr"], ec)
    if e.type_oid == UNKNOWN:
        e = coerce_to(e, TEXT, -1, "i", ctx=_tctx(ec))
    typ = e.type_oid
    if typ == JSON:
        return e

    def scalar(ectx: Any, v: Any) -> Any:
        if v is None:
            return None
        return datum_to_json(v, typ, ectx.types)
    return _make_func(scalar, [e], JSON)


def transform_json_serialize(body: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import type_name
    jve = body["expr"]
    e = transform_json_arg(jve, ec)
    output = body.get("output")
    ret, typmod = returning_type(output, ec, TEXT, "JSON_SERIALIZE()", True)
    b = _base(ret)
    if b not in (TEXT, 1043, 1042, 19, 17):
        raise PgError("42804", f"cannot use type {type_name(ret)} in RETURNING clause of "
                      "JSON_SERIALIZE()", hint="Try returning a string type or bytea.",
                      position=_pos(ec, (output or {}).get("typeName", {}).get("location"))
                      if False else None)
    typ = e.type_oid

    def ser(ectx: Any, v: Any) -> Any:
        if v is None:
            return None
        if typ == JSONB:
            s = jsonb_text_of(v.tree)
        elif typ == JSON:
            s = v
        else:
            s = v
            _json_in(s)
        if b == 17:
            return s.encode()
        return _coerce_text(s, ret, typmod, ectx)
    return _make_func(ser, [e], ret, typmod)


def _utf8(b: bytes) -> str:
    """bytea as UTF-8 text (pg_verify_mbstr's error for a bad sequence)."""
    b = bytes(b)
    if b"\x00" in b:
        raise PgError("22021", 'invalid byte sequence for encoding "UTF8": 0x00')
    try:
        return b.decode()
    except UnicodeDecodeError as e:
        bad = " ".join(f"0x{x:02x}" for x in b[e.start:e.start + 2])
        raise PgError("22021", f'invalid byte sequence for encoding "UTF8": {bad}') from None


def transform_is_json(body: dict, ec: Any) -> Expr:
    from tuskdb.sql.analyze.coerce import coerce_to, type_name
    from tuskdb.sql.analyze.expr import _tctx, transform
    e = transform(body["expr"], ec)
    if e.type_oid == UNKNOWN:
        e = coerce_to(e, TEXT, -1, "i", ctx=_tctx(ec))
    typ = _base(e.type_oid)
    if typ not in (TEXT, 1043, 1042, 19, JSON, JSONB, 17):
        raise PgError("42804", f"cannot use type {type_name(e.type_oid)} in IS JSON predicate")
    item_type = body.get("item_type", "JS_TYPE_ANY")
    unique = bool(body.get("unique_keys"))

    def is_json(v: Any) -> Any:
        if v is None:
            return None
        if typ == JSONB:
            tree = v.tree
        else:
            s = _utf8(v) if isinstance(v, (bytes, bytearray)) else v
            try:
                from tuskdb.types.json import parse
                tree = parse(s)
            except PgError:
                return False
            if unique and has_duplicate_keys(s):
                return False
        if item_type == "JS_TYPE_OBJECT":
            return isinstance(tree, dict)
        if item_type == "JS_TYPE_ARRAY":
            return isinstance(tree, list)
        if item_type == "JS_TYPE_SCALAR":
            return not isinstance(tree, (dict, list))
        return True
    from tuskdb.sql.expr import Func
    return Func(is_json, [e], BOOL, strict=False, name="")


def _json_agg_aggregate(name: str, ret: int, trans: Any, final: Any, nargs: int) -> Any:
    """State: [header, items...]; header counts the rows seen and holds the keys seen."""
    from tuskdb.types.aggregates import Aggregate

    def init() -> list:
        return [{"rows": 0, "seen": set()}]

    def trans_(s: list, *args: Any) -> list:
        s[0]["rows"] += 1
        return trans(s, *args)

    def final_(s: list) -> Any:
        if not s[0]["rows"]:
            return None
        return final(s[1:])
    return Aggregate(0, name, (2276,) * nargs, ret, 2281, init, trans_, final_, None, False)


def transform_json_arrayagg(body: dict, ec: Any) -> Expr:
    return _json_agg_common(body, ec, "json_arrayagg", [body["arg"]], None)


def transform_json_objectagg(body: dict, ec: Any) -> Expr:
    return _json_agg_common(body, ec, "json_objectagg", [body["arg"]["value"]],
                            body["arg"]["key"])


def _json_agg_common(body: dict, ec: Any, name: str, value_nodes: list[dict],
                     key_node: dict | None, legacy: bool = False) -> Expr:
    """JSON_ARRAYAGG / JSON_OBJECTAGG as an aggregate over the converted arguments."""
    from tuskdb.sql.analyze.coerce import coerce_to, require_bool
    from tuskdb.sql.analyze.expr import _tctx, transform
    from tuskdb.sql.expr import Agg
    from tuskdb.types.jsonconv import category, datum_to_json, datum_to_jsonb, key_text
    cons = body.get("constructor") or {}
    pos = _pos(ec, cons.get("location"))
    over = cons.get("over")
    if over is not None:
        if ec.windows is None:
            from tuskdb.errors import WINDOWING_ERROR
            raise PgError(WINDOWING_ERROR, f"window functions are not allowed in {ec.kind}",
                          position=pos)
    elif ec.aggs is None:
        from tuskdb.errors import GROUPING_ERROR
        if ec.kind == "nested":
            raise PgError(GROUPING_ERROR, "aggregate function calls cannot be nested",
                          position=pos)
        raise PgError(GROUPING_ERROR, f"aggregate functions are not allowed in {ec.kind}",
                      position=pos)
    inner = ec.with_kind("nested", None)
    val = transform_json_arg(value_nodes[0], inner)
    key = None
    if key_node is not None:
        key = transform(key_node, inner)
        if key.type_oid == 705:
            key = coerce_to(key, TEXT, -1, "i", ctx=_tctx(ec))
    ret, typmod = _constructor_output(cons.get("output"), ec, [val])
    absent = bool(body.get("absent_on_null"))
    unique = bool(body.get("unique"))
    as_jsonb = ret == JSONB
    vtyp = val.type_oid
    vcat = category(vtyp)
    ktyp = key.type_oid if key is not None else 0

    if key is None:
        def trans(s: list, ectx_v: Any) -> list:
            return s

        def conv(ectx: Any, v: Any) -> Any:
            if v is None:
                return None
            return datum_to_jsonb(v, vtyp, ectx.types) if as_jsonb else \
                datum_to_json(v, vtyp, ectx.types)
        arg = _make_func(conv, [val], JSONB if as_jsonb else JSON)

        def trans_a(s: list, v: Any, present: Any) -> list:
            if present is None:        # the value was NULL
                if absent:
                    return s
                s.append("null" if not as_jsonb else None)
                return s
            s.append(v)
            return s

        def final_a(s: list) -> Any:
            if as_jsonb:
                return _json_result(None, s, ret, typmod, None)
            out = "["
            for i, x in enumerate(s):
                if i:
                    out += ", "
                if vcat in ("array", "composite"):
                    out += "\n " if i else ""
                out += x
            return _json_result(out + "]", None, ret, typmod, None)
        agg = _json_agg_aggregate(name, ret, trans_a, final_a, 2)
        args = [arg, _make_func(lambda ectx, v: True if v is not None else None, [val], BOOL)]
    else:
        def conv_k(ectx: Any, k: Any) -> Any:
            if k is None:
                return None
            return key_text(k, ktyp, ectx.types)

        def conv_v(ectx: Any, v: Any) -> Any:
            if v is None:
                return None
            return datum_to_jsonb(v, vtyp, ectx.types) if as_jsonb else \
                datum_to_json(v, vtyp, ectx.types)

        def trans_o(s: list, k: Any, v: Any, present: Any) -> list:
            if k is None:
                if as_jsonb:
                    raise PgError("22004", "field name must not be null")
                raise PgError("22004", "null value not allowed for object key")
            if unique:
                seen = s[0]["seen"]
                if k in seen:
                    if as_jsonb:
                        raise PgError("22030", "duplicate JSON object key value")
                    raise PgError("22030", f'duplicate JSON object key value: "{k}"')
                seen.add(k)
            if present is None:
                if absent:
                    return s
                v = None if as_jsonb else "null"
            s.append((k, v))
            return s

        def final_o(s: list) -> Any:
            if as_jsonb:
                obj: dict = {}
                for k, v in s:
                    obj.pop(k, None)
                    obj[k] = v
                return _json_result(None, obj, ret, typmod, None)
            body = ", ".join(_escape(k) + " : " + v for k, v in s)
            return _json_result("{ " + body + " }" if body else "{}", None, ret, typmod, None)
        agg = _json_agg_aggregate(name, ret, trans_o, final_o, 3)
        args = [_make_func(conv_k, [key], TEXT), _make_func(conv_v, [val], JSONB),
                _make_func(lambda ectx, v: True if v is not None else None, [val], BOOL)]
    filt = None
    if cons.get("agg_filter") is not None:
        filt = require_bool(transform(cons["agg_filter"], inner), "FILTER")
    order = []
    for sb_node in cons.get("agg_order") or []:
        sb = sb_node["SortBy"]
        e = transform(sb["node"], inner)
        if e.type_oid == UNKNOWN:
            e = coerce_to(e, TEXT)
        from tuskdb.sql.analyze.select import sortby_desc
        desc = sortby_desc(e, sb, ec.state)
        nulls = sb.get("sortby_nulls", "SORTBY_NULLS_DEFAULT")
        nf = desc if nulls == "SORTBY_NULLS_DEFAULT" else nulls == "SORTBY_NULLS_FIRST"
        order.append((e, desc, nf))
    if over is not None:
        from tuskdb.sql.analyze.window import WindowCall, window_spec
        from tuskdb.sql.expr import Var
        spec = window_spec(over, ec)
        ec.windows.append(WindowCall(name, args, ret, spec, agg=agg, filter=filt))
        return Var(("w", 0), len(ec.windows) - 1, ret, -1, name)
    a = Agg(agg, args, ret, filter=filt, order_by=order, typmod=typmod)
    ec.aggs.append(a)
    return a


# ---------------------------------------------------------------------------------
# JSON_TABLE

@dataclass(eq=False)
class _TablePlan:
    path: Any                       # JsonPath
    cols: list[tuple[int, Any]]     # (output index, None for ORDINALITY | evaluator)
    children: list[_TablePlan] = field(default_factory=list)
    owned: frozenset = frozenset()


def _table_path(spec: dict, ec: Any) -> Any:
    from tuskdb.types.jsonpath import jsonpath_in
    node = spec["string"]
    if "A_Const" not in node or "sval" not in node["A_Const"]:
        raise PgError("0A000", "only string constants are supported in JSON_TABLE path "
                      "specification", position=_pos(ec, _leftmost(node)))
    c = node["A_Const"]
    text = c["sval"]["sval"]
    st = ec.state
    if st.lift is not None and id(c) in st.lift:   # the plan depends on the path's text
        st.structural[st.lift[id(c)]] = text
    return jsonpath_in(text)


def _is_query_type(oid: int) -> bool:
    t = types.TYPES.get(oid)
    return oid in (JSON, JSONB, 2249) or (t is not None and (t.category == "A" or
                                                          t.typtype == "c"))


def transform_json_table(body: dict, state: Any, scope: Any, outer: list) -> Any:
    from tuskdb.sql.analyze.expr import ExprContext, resolve_type_name
    from tuskdb.sql.analyze.query import FunctionItem
    from tuskdb.sql.analyze.state import RangeEntry
    from tuskdb.sql.expr import SRFCall
    from tuskdb.types.json import escape_json
    from tuskdb.types.jsonpath import jsonpath_in
    ec = ExprContext(state, scope, "FROM", None, outer)
    item = transform_json_value_expr(body["context_item"], ec)
    root_path = _table_path(body["pathspec"], ec)
    passing = transform_passing(body.get("passing"), ec)
    on_error = body.get("on_error")
    top_error = False
    if on_error:
        if on_error["btype"] not in ("JSON_BEHAVIOR_ERROR", "JSON_BEHAVIOR_EMPTY",
                                     "JSON_BEHAVIOR_EMPTY_ARRAY"):
            raise PgError("42601", "invalid ON ERROR behavior",
                          detail="Only EMPTY [ ARRAY ] or ERROR is allowed in the top-level ON "
                          "ERROR clause.", position=_pos(ec, on_error.get("location")))
        top_error = on_error["btype"] == "JSON_BEHAVIOR_ERROR"
    names: list[str] = []
    ctypes: list[tuple[int, int]] = []
    seen: set[str] = set()
    defaults: list[Expr] = []
    root_name = body["pathspec"].get("name")
    if root_name:
        seen.add(root_name)

    def check_name(name: str, loc: Any) -> None:
        if name in seen:
            raise PgError("42712", f"duplicate JSON_TABLE column or path name: {name}",
                          position=_pos(ec, loc))
        seen.add(name)

    def build(columns: list, path: Any) -> _TablePlan:
        plan = _TablePlan(path, [])
        for c in columns:
            col = c["JsonTableColumn"]
            ctype = col["coltype"]
            if ctype == "JTC_NESTED":
                spec = col["pathspec"]
                if spec.get("name"):
                    check_name(spec["name"], spec.get("name_location", col.get("location")))
                child = build(col.get("columns") or [], _table_path(spec, ec))
                plan.children.append(child)
                continue
            name = col["name"]
            check_name(name, col.get("location"))
            if ctype == "JTC_FOR_ORDINALITY":
                if any(spec is None for _, spec in plan.cols):
                    raise PgError("42601", "only one FOR ORDINALITY column is allowed",
                                  position=_pos(ec, col.get("location")))
                plan.cols.append(((name, 23, -1), None))
                continue
            oid, typmod = resolve_type_name(col["typeName"], state)
            wrapper = col.get("wrapper", "JSW_UNSPEC")
            quotes = col.get("quotes", "JS_QUOTES_UNSPEC")
            if ctype == "JTC_EXISTS":
                op = "JSON_EXISTS_OP"
            elif ctype == "JTC_FORMATTED" or _is_query_type(oid) or \
                    wrapper != "JSW_UNSPEC" or quotes != "JS_QUOTES_UNSPEC":
                op = "JSON_QUERY_OP"
            else:
                op = "JSON_VALUE_OP"
            if op == "JSON_QUERY_OP" and wrapper not in ("JSW_UNSPEC", "JSW_NONE") \
                    and quotes == "JS_QUOTES_OMIT":
                raise PgError("42601", "SQL/JSON QUOTES behavior must not be specified when "
                              "WITH WRAPPER is used", position=_pos(ec, col.get("location")))
            if col.get("pathspec"):
                cpath = _table_path(col["pathspec"], ec)
            else:
                cpath = jsonpath_in("$." + escape_json(name))
            fname = {"JSON_EXISTS_OP": "EXISTS columns", "JSON_QUERY_OP": "formatted columns",
                     "JSON_VALUE_OP": "scalar columns"}[op]
            empty_b = transform_behavior(col.get("on_empty"), op, "ON EMPTY", ec, oid, typmod,
                                         fname, name)
            error_b = transform_behavior(col.get("on_error"), op, "ON ERROR", ec, oid, typmod,
                                         fname, name)
            if error_b is None and top_error:
                error_b = JsonBehavior("JSON_BEHAVIOR_ERROR")
            for b in (empty_b, error_b):
                if b is not None and b.expr is not None:
                    defaults.append(b.expr)
            je = JsonExpr(op, Const(None, JSONB), Const(None, JSONPATH), [], oid, typmod,
                          wrapper, quotes == "JS_QUOTES_OMIT", empty_b, error_b,
                          column_name=name)
            plan.cols.append(((name, oid, typmod), (je, cpath)))
        return plan

    plan = build(body.get("columns") or [], root_path)

    def number(p: _TablePlan) -> None:
        """Output positions: a path's own columns, then its NESTED paths' columns."""
        cols = []
        owned = set()
        for (name, oid, typmod), spec in p.cols:
            idx = len(names)
            names.append(name)
            ctypes.append((oid, typmod))
            owned.add(idx)
            cols.append((idx, spec))
        p.cols = cols
        p.owned = frozenset(owned)
        for ch in p.children:
            number(ch)
    number(plan)
    width = len(names)
    compiled: dict[int, Any] = {}

    def evaluators(p: _TablePlan) -> None:
        for idx, spec in p.cols:
            if spec is not None:
                compiled[idx] = _c_json_expr(spec[0], {}).evaluate  # type: ignore[attr-defined]
        for ch in p.children:
            evaluators(ch)
    evaluators(plan)
    pnames = [n for n, _ in passing]
    ptypes = [e.type_oid for _, e in passing]

    def run(ectx: Any, item_v: Any, *pvals: Any) -> Any:
        from tuskdb.types.json import Jsonb
        from tuskdb.types.jsonpath_exec import _tree_copy, execute_jsonpath, to_tree
        if item_v is None:
            return []
        tctx = ectx.types
        if isinstance(item_v, str):
            item_v = _jsonb_in(item_v)
        vars_ = Jsonb(jsonpath_vars(list(zip(pnames, ptypes, pvals)), tctx)) \
            if pnames else None

        def expand(p: _TablePlan, it: Any, throw: bool) -> list[list]:
            found: list = []
            res = execute_jsonpath(p.path, vars_, it, throw, found, False, tctx)
            if res is None:
                found = []
            out: list[list] = []
            for n, x in enumerate(found, start=1):
                x_j = Jsonb(_tree_copy(to_tree(x, tctx)))
                base: list = [None] * width
                for idx, spec in p.cols:
                    if spec is None:
                        base[idx] = n
                    else:
                        base[idx] = compiled[idx]((), ectx, x_j, spec[1], vars_)
                child_rows: list[list] = []
                for ch in p.children:
                    child_rows.extend(expand(ch, x_j, False))
                if not child_rows:
                    out.append(base)
                    continue
                for cr in child_rows:
                    row = list(cr)
                    for idx in p.owned:
                        row[idx] = base[idx]
                    out.append(row)
            return out
        rows = expand(plan, item_v, top_error)
        return [tuple(r) for r in rows]

    call = SRFCall(run, [item] + [e for _, e in passing], 2249, strict=False,
                   name="json_table", needs_ctx=True)
    call.columns = [(n, t) for n, (t, _) in zip(names, ctypes)]  # type: ignore[attr-defined]
    call.retset = True  # type: ignore[attr-defined]
    alias = body.get("alias") or {}
    aname = alias.get("aliasname") or "json_table"
    given = [c["String"]["sval"] for c in alias.get("colnames") or []]
    if len(given) > width:
        raise PgError("42P10", f"JSON_TABLE function has {width} columns available but "
                      f"{len(given)} columns specified")
    out_names = given + names[len(given):]
    rt = state.next_rt()
    scope.add(RangeEntry(rt, aname, out_names, ctypes, kind="function"))
    fi = FunctionItem(rt, call, False)
    fi.width = width
    return fi
