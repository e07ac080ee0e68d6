"""Expression analysis (PostgreSQL's parse_expr.c): raw nodes → typed Expr."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tuskdb import types
from tuskdb.errors import (DATATYPE_MISMATCH, FEATURE_NOT_SUPPORTED, GROUPING_ERROR,
                           INDETERMINATE_DATATYPE, SYNTAX_ERROR, UNDEFINED_FUNCTION,
                           UNDEFINED_OBJECT, UNDEFINED_PARAMETER, PgError)
from tuskdb.sql.analyze.coerce import (UNKNOWN, coerce_to, poly_unknowns, require_bool,
                                       select_common_type, type_name)
from tuskdb.sql.analyze.polymorphic import enforce as enforce_polymorphic
from tuskdb.sql.analyze.resolve import (is_aggregate, resolve_aggregate, resolve_function,
                                        resolve_operator)
from tuskdb.sql.analyze.state import AnalyzeState, Scope, missing_from, undefined_column
from tuskdb.sql.analyze.sysfuncs import SYSFUNCS
from tuskdb.sql.analyze.ts_sysfuncs import SESSION_OPERATORS
from tuskdb.sql.analyze import xml_sysfuncs as _xml_sysfuncs  # noqa: F401  (registers SYSFUNCS)
from tuskdb.sql.expr import (Agg, BoolExpr, BoolTest, Case, Coalesce, Const, Expr, Func,
                             InList, Literal, MinMax, NullIf, NullTest, OuterVar, Param, SRFCall,
                             SubLink, Var, walk)

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
INT8_MIN, INT8_MAX = -(2**63), 2**63 - 1


class ExprContext:
    """Where an expression appears: its scope and what it may contain."""

    def __init__(self, state: AnalyzeState, scope: Scope, kind: str = "SELECT",
                 aggs: list[Agg] | None = None, outer: list[Scope] | None = None) -> None:
        self.state = state
        self.scope = scope
        self.kind = kind             # used in "... are not allowed in WHERE" messages
        self.aggs = aggs             # None: aggregates not allowed here
        self.outer = outer or []     # enclosing query scopes, innermost last
        self.correlated = False
        self.srfs: list | None = None  # target-list set-returning functions, when allowed
        self.windows: list | None = None      # window function calls, when allowed
        self.named_windows: dict = {}

    def with_kind(self, kind: str, aggs: list[Agg] | None = None) -> ExprContext:
        c = ExprContext(self.state, self.scope, kind, aggs, self.outer)
        c.named_windows = self.named_windows
        return c

    def with_srfs(self, srfs: list) -> ExprContext:
        c = ExprContext(self.state, self.scope, self.kind, self.aggs, self.outer)
        c.srfs = srfs
        c.windows = self.windows
        c.named_windows = self.named_windows
        return c


def const_type(raw: dict) -> tuple[Any, int]:
    """Value and type of an A_Const, as PostgreSQL's make_const types it."""
    if "ival" in raw:
        v = raw["ival"].get("ival", 0)
        return v, 23
    if "fval" in raw:
        text = raw["fval"]["fval"]
        plain = text.replace("_", "")
        body = plain.lstrip("-")
        if body[:2].lower() in ("0x", "0o", "0b"):
            v = int(plain, 0)
            if -2**31 <= v < 2**31:
                return v, 23        # e.g. -2147483648: an oversize "float" that fits int4
            if INT8_MIN <= v <= INT8_MAX:
                return v, 20
            return Decimal(v), 1700
        if body.isdigit():
            v = int(plain)
            if -2**31 <= v < 2**31:
                return v, 23
            if INT8_MIN <= v <= INT8_MAX:
                return v, 20
        # make_const: numeric's own input function (its range limits included)
        return types.numeric.numeric_in(text), 1700
    if "sval" in raw:
        return raw["sval"].get("sval", ""), UNKNOWN
    if "boolval" in raw:
        return bool(raw["boolval"].get("boolval", False)), 16
    if raw.get("isnull"):
        return None, UNKNOWN
    if "bsval" in raw:
        # B'0101' / X'1F': a bit constant of unspecified length (make_const's bit_in)
        from tuskdb.types.bit import bit_in
        return bit_in(raw["bsval"]["bsval"]), 1560
    raise PgError(SYNTAX_ERROR, "unrecognized constant")


def transform(node: dict, ec: ExprContext) -> Expr:
    kind, body = next(iter(node.items()))
    fn = _TRANSFORMS.get(kind)
    if fn is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"expression type {kind} is not supported",
                      position=ec.state.pos(body.get("location") if isinstance(body, dict)
                                            else None))
    return fn(body, ec)


def _a_const(body: dict, ec: ExprContext) -> Expr:
    st = ec.state
    loc = st.pos(body.get("location", -1))
    loc = -1 if loc is None else loc
    try:
        value, typ = const_type(body)
    except PgError as e:
        if ("bsval" in body or "fval" in body) and e.position is None and loc >= 0:
            e.position = loc
        raise
    if st.lift is not None:
        slot = st.lift.get(id(body))
        if slot is not None and value is not None:
            lit = Literal(slot, typ, -1, loc)
            lit.value = value
            return lit
    return Const(value, typ, -1, loc)


def _param_ref(body: dict, ec: ExprContext) -> Expr:
    n = body.get("number", 0)
    st = ec.state
    if st.pl_hook is not None:
        got = st.pl_hook[1](n)
        if got is not None:
            return got
    if n < 1 or n > 65535 or (getattr(st, "fixed_params", False)
                               and n > len(st.param_types)):
        raise PgError(UNDEFINED_PARAMETER, f"there is no parameter ${n}",
                      position=st.pos(body.get("location")))
    typ = st.param_type(n)
    st.set_param_type(n, typ if typ != UNKNOWN else 0)
    p = Param(n, typ)
    p.state = st  # lets coercion record the inferred type
    return p


def _column_ref(body: dict, ec: ExprContext) -> Expr:
    fields = body["fields"]
    loc = ec.state.pos(body.get("location"))
    names = []
    scopes = [ec.scope] + list(reversed(ec.outer))
    for f in fields:
        if "A_Star" in f:
            pn = ec.state.param_names
            if pn and len(fields) in (2, 3) and all("String" in x for x in fields[:-1]):
                pnames = [x["String"]["sval"] for x in fields[:-1]]
                if pnames[-1] in pn and (len(pnames) == 1 or
                                         pnames[0] == ec.state.func_name):
                    n = pn[pnames[-1]]          # arg.* : the composite argument itself
                    return Param(n, ec.state.param_type(n))
            if len(fields) == 2 and "String" in fields[0]:
                # t.* outside a target list: the whole row of t
                whole = _whole_row_ref(fields[0]["String"]["sval"], scopes, ec, loc)
                if whole is not None:
                    return whole
            raise PgError(SYNTAX_ERROR, "row expansion via \"*\" is not supported here",
                          position=loc)
        names.append(f["String"]["sval"])
    hook = ec.state.pl_hook
    if hook is not None and hook[2] != "use_column":
        # PL/pgSQL's variable_conflict: use_variable takes the variable; error (the
        # default) refuses a name that is both a variable and a column
        plvar = hook[0](names, loc)
        if plvar is not None:
            if hook[2] == "error":
                for scope in scopes:
                    try:
                        col = _lookup(scope, names, loc, ec)
                    except PgError:
                        col = None
                    if col is not None:
                        raise PgError("42702", f'column reference "{".".join(names)}" is '
                                      f'ambiguous', position=loc,
                                      detail="It could refer to either a PL/pgSQL variable or "
                                             "a table column.")
            return plvar
    for level, scope in enumerate(scopes):
        var = _lookup(scope, names, loc, ec)
        if var is not None:
            if level == 0:
                return var
            ec.correlated = True
            if isinstance(var, Func) and var.name == "ctid" and len(var.args) == 1 and \
                    isinstance(var.args[0], Var):
                # an enclosing level's ctid: the conversion applies to its slot value
                return Func(var.fn, [OuterVar(level, var.args[0])], var.type_oid,
                            name="ctid")
            ov = OuterVar(level, var)
            kind, aggs = getattr(scope, "agg_ctx", None) or ("FROM", None)
            if aggs is not None:
                # in a subquery of that level's SELECT/HAVING/ORDER BY: if that query is
                # grouped, this reads its grouped row (_replace_grouped resolves it)
                ec.state.outer_refs.append((scope, ov))
            return ov
    if ec.state.pl_hook is not None:
        got = ec.state.pl_hook[0](names, loc)
        if got is not None:
            return got
    pn = ec.state.param_names
    if pn:
        # a SQL function's argument, by name (or function_name.argument)
        if len(names) == 1 and names[0] in pn:
            n = pn[names[0]]
            return Param(n, ec.state.param_type(n))
        if len(names) == 2 and names[0] == ec.state.func_name and names[1] in pn:
            n = pn[names[1]]
            return Param(n, ec.state.param_type(n))
        if len(names) in (2, 3) and names[-2] in pn and (
                len(names) == 2 or names[0] == ec.state.func_name):
            # argument.field of a composite argument
            from tuskdb.sql.analyze.rowtypes import select_field
            n = pn[names[-2]]
            return select_field(Param(n, ec.state.param_type(n)), names[-1], loc)
    if len(names) == 1:
        whole = _whole_row_ref(names[0], scopes, ec, loc)
        if whole is not None:
            return whole
        raise undefined_column(names[0], loc)
    table = names[-2]
    for scope in scopes:
        if scope.find_entry(table) is not None:
            raise undefined_column(names[-1], loc, table)
    raise_missing_table(table, scopes, ec, loc)


def raise_missing_table(table: str, scopes: list, ec: ExprContext, loc: Any) -> None:
    """The error for a table name that no FROM item in reach has (errorMissingRTE)."""
    for scope in ec.state.lateral_hidden:
        if scope.find_entry(table) is not None:
            raise PgError("42P01", f'invalid reference to FROM-clause entry for table '
                          f'"{table}"', position=loc,
                          detail=f'There is an entry for table "{table}", but it cannot be '
                                 f'referenced from this part of the query.',
                          hint="To reference that table, you must mark this subquery with "
                               "LATERAL." if getattr(scope, "lateral_hint", True) else None)
    for scope in scopes:
        for e in scope.entries:
            if not e.visible and e.alias == table and e.kind != "join":
                # a name inside an aliased JOIN (or the like) that the alias hides
                raise PgError("42P01", f'invalid reference to FROM-clause entry for table '
                              f'"{table}"', position=loc,
                              detail=f'There is an entry for table "{table}", but it cannot '
                                     f'be referenced from this part of the query.')
            if e.rel is not None and e.rel.name == table and e.alias != table:
                raise PgError("42P01", f'invalid reference to FROM-clause entry for table '
                              f'"{table}"', position=loc,
                              hint=f'Perhaps you meant to reference the table alias '
                                   f'"{e.alias}".')
    raise missing_from(table, loc)


# System columns a table row carries after its columns: (slot offset, type oid).
SYSTEM_COLUMNS = {"ctid": (0, 27), "tableoid": (1, 26)}


def system_column_var(entry: Any, name: str) -> Expr:
    off, t = SYSTEM_COLUMNS[name]
    if entry.perm is not None:
        entry.perm.selected.add(-1 - off)     # system columns: table privilege only
    v = Var(entry.rt, len(entry.colnames) + off, t, -1, name)
    if name == "ctid":
        # the slot holds the executor's int TID; the tid type's value is (block, offset)
        from tuskdb.access.tid import tid_tuple
        return Func(tid_tuple, [v], 27, name="ctid")
    return v


def _whole_row_ref(name: str, scopes: list[Scope], ec: ExprContext, loc: Any) -> Expr | None:
    """A bare FROM-item name used as a value: the whole row."""
    from tuskdb.sql.analyze.rowtypes import RowExpr, whole_row
    for level, scope in enumerate(scopes):
        entry = scope.find_entry(name)
        if entry is None:
            continue
        row = whole_row(entry, ec, loc)
        if level:
            ec.correlated = True
            row = RowExpr([OuterVar(level, a) for a in row.args], row.type_oid, -1,
                          row.colnames)
        return row
    return None


def _lookup(scope: Scope, names: list[str], loc: int | None, ec: ExprContext) -> Expr | None:
    if len(names) == 1:
        name = names[0]
        found = scope.find_column(name, loc)
        if found is None:
            if name in SYSTEM_COLUMNS:
                tables = [e for e in scope.entries if e.has_ctid and e.visible and
                          not getattr(e, "qualified_only", False)]
                if len(tables) == 1:
                    return system_column_var(tables[0], name)
            return None
        entry, i = found
        return column_var(entry, i, name, loc, ec.state)
    if len(names) == 2:
        table, col = names
    elif len(names) == 3:
        table, col = names[1], names[2]
    else:
        raise PgError(SYNTAX_ERROR, f"improper qualified name (too many dotted names): "
                      f"{'.'.join(names)}", position=loc)
    entry = scope.find_entry(table, loc)
    if entry is None:
        return None
    if col in SYSTEM_COLUMNS and entry.has_ctid:
        return system_column_var(entry, col)
    for i, cn in enumerate(entry.colnames):
        if cn == col:
            return column_var(entry, i, col, loc, ec.state)
    if len(names) == 2 and col not in SYSTEM_COLUMNS:
        fn = _functional_notation(entry, col, ec, loc)
        if fn is not None:
            return fn
        raise undefined_column(col, loc, table)
    return None


def _functional_notation(entry: Any, name: str, ec: ExprContext, loc: Any) -> Expr | None:
    """table.func is func(table) when table has no such column (a one-argument
    function of the row type)."""
    from tuskdb.sql.analyze.rowtypes import whole_row
    row = whole_row(entry, ec, loc)
    try:
        return _user_function(name, [name], [{}], [row], ec, loc)
    except PgError:
        return None


def mark_selected(entry: Any, i: int) -> None:
    """Column ``i`` of ``entry`` is read: its table's SELECT privilege covers it (a
    JOIN's column marks the column it comes from)."""
    while entry.join_exprs is not None:
        src = entry.join_sources[i] if entry.join_sources else None
        if src is None:
            return
        entry, i = src
    if entry.perm is not None:
        entry.perm.selected.add(i + 1)


def column_var(entry: Any, i: int, name: str, loc: int | None, state: AnalyzeState,
               mark: bool = True) -> Expr:
    """A reference to column ``i`` of a range-table entry: a Var, or for a virtual
    generated column of a table its generation expression over the same entry
    (PostgreSQL's expand_generated_columns_in_expr)."""
    if entry.lateral_bad:
        raise PgError("42P10", f'invalid reference to FROM-clause entry for table '
                      f'"{entry.alias or (entry.rel.name if entry.rel else "")}"',
                      position=loc, detail="The combining JOIN type must be INNER or LEFT "
                                           "for a LATERAL reference.")
    if entry.join_exprs is not None:
        if mark:
            mark_selected(entry, i)
        return entry.join_exprs[i]          # a JOIN's column: the expression it stands for
    t, m = entry.coltypes[i]
    rel = entry.rel
    if mark and entry.perm is not None:
        entry.perm.selected.add(i + 1)
    if rel is not None and entry.kind == "relation" and i < len(rel.columns) and \
            rel.columns[i].generated == "v" and rel.columns[i].default:
        return _virtual_column(entry, i, state)
    v = Var(entry.rt, i, t, m, name)
    v.location = loc
    rc = getattr(entry, "record_cols", None)
    if rc and i in rc:
        v.record_columns = rc[i]        # fields of an anonymous record column
    return v


def _virtual_column(entry: Any, i: int, state: AnalyzeState) -> Expr:
    import json

    import dataclasses

    col = entry.rel.columns[i]
    scope = Scope()
    scope.entries = [dataclasses.replace(
        entry, visible=True, hidden={c.name for c in entry.rel.columns if c.dropped})]
    ec = ExprContext(state, scope, "column generation expressions", None)
    saved = state.lift
    state.lift = None
    try:
        e = transform(json.loads(col.default), ec)
    finally:
        state.lift = saved
    e = coerce_to(e, col.type_oid, col.typmod, "a",
                  ctx=getattr(state.session, "type_context", None))
    # still a column of its table for view updatability (rewrite/updatable.py)
    e.virtual_of = (entry.rt, i)
    return e


def _op_name(name_list: list[dict]) -> str:
    return name_list[-1]["String"]["sval"]


def make_op(name: str, left: Expr | None, right: Expr, ec: ExprContext, loc: int = -1) -> Expr:
    pos = ec.state.pos(loc)
    if left is None:
        if isinstance(right, (Const, Literal)) and name == "-" and right.type_oid in (23, 20, 1700):
            if isinstance(right, Const) and right.value is not None:
                return Const(-right.value, right.type_oid)
        op = resolve_operator(name, None, right.type_oid, pos, ec.state.session)
        (arg,), result = coerce_polymorphic([right], (op.right,), op.result, pos, ec)
        if getattr(op, "retset", False):
            return _srf_operator(op, [arg], result, name, ec, pos)
        f = Func(types_func(op), [arg], result, name=name,
                 needs_ctx=getattr(op, "needs_ctx", False), strict=_op_strict(op))
        f.op = op
        return _fold(f)
    op = resolve_operator(name, left.type_oid, right.type_oid, pos, ec.state.session)
    (a, b), result = coerce_polymorphic([left, right], (op.left, op.right), op.result, pos, ec)
    if getattr(op, "proc_oid", 0) in (2003, 2004):
        # text || anynonarray: the non-text side as its text (bool's cast is 'true'/'false',
        # which the function itself applies)
        # (the SQL functions are inlined in PostgreSQL, so the side deparses as a cast)
        if getattr(op, "proc_oid", 0) == 2003 and b.type_oid not in (16, 25):
            b = _any_as_text(b, ec)
            b.cast = (25, -1, False)
        elif getattr(op, "proc_oid", 0) == 2004 and a.type_oid not in (16, 25):
            a = _any_as_text(a, ec)
            a.cast = (25, -1, False)
    if getattr(op, "retset", False):
        return _srf_operator(op, [a, b], result, name, ec, pos)
    session_op = SESSION_OPERATORS.get(getattr(op, "proc_oid", 0))
    if session_op is not None:
        f = Func(session_op, [a, b], result, name=name, needs_ctx=True)
        f.op = op
        return f
    f = Func(types_func(op), [a, b], result, name=name, needs_ctx=getattr(op, "needs_ctx", False),
             strict=_op_strict(op))
    f.op = op
    return _fold(f)


def _srf_operator(op: Any, args: list[Expr], result: int, name: str, ec: ExprContext,
                  pos: int) -> Expr:
    """An operator whose function returns a set: a set-returning call like the
    function's own (ProjectSet in a select list, FunctionScan in FROM)."""
    call = SRFCall(types_func(op), args, result, strict=_op_strict(op), name=name,
                   needs_ctx=getattr(op, "needs_ctx", False))
    call.op = op  # type: ignore[attr-defined]
    return place_srf(call, ec, pos)


def place_srf(call: Any, ec: ExprContext, pos: Any) -> Expr:
    """A set-returning call: itself in FROM, else a reference to it in the select
    list's ProjectSet; refused where set-returning functions are not allowed."""
    if ec.srfs is None:
        if ec.kind == "FROM":
            return call
        raise PgError(FEATURE_NOT_SUPPORTED, f"set-returning functions are not allowed in "
                      f"{ec.kind}", position=pos)
    ec.srfs.append(call)
    return Var(("srf", 0), len(ec.srfs) - 1, call.type_oid, -1, call.name)


def _op_strict(op: Any) -> bool:
    strict = getattr(op, "strict", None)
    return strict if strict is not None else _proc_strict(getattr(op, "proc_oid", 0))


_STRICT_BY_OID: dict[int, bool] = {}


def _proc_strict(oid: int) -> bool:
    """Whether an operator's function is strict (array_append & co. are not: NULL || 1
    is {1})."""
    if not _STRICT_BY_OID:
        for fn in types.FUNCTIONS:
            _STRICT_BY_OID[fn.oid] = bool(getattr(fn, "strict", True))
    return _STRICT_BY_OID.get(oid, True)


def _tctx(ec: ExprContext) -> Any:
    s = ec.state.session
    return getattr(s, "type_context", None) if s is not None else None


def _fold(f: Func) -> Expr:
    if f.strict and not f.volatile and any(isinstance(a, Const) and a.value is None
                                           for a in f.args):
        # a strict function of a NULL constant is NULL: the other arguments need no
        # evaluation (PostgreSQL's eval_const_expressions)
        return Const(None, f.type_oid, f.typmod)
    if all(isinstance(a, Const) for a in f.args) and not f.needs_ctx and not f.volatile:
        vals = [a.value for a in f.args]
        if f.strict and any(v is None for v in vals):
            return Const(None, f.type_oid, f.typmod)
        try:
            return Const(f.fn(*vals), f.type_oid, f.typmod)
        except PgError:
            return f    # raise at execution time, as PostgreSQL would for this row
    return f


def _a_expr(body: dict, ec: ExprContext) -> Expr:
    kind = body["kind"]
    loc = body.get("location", -1)
    name = _op_name(body["name"])
    lexpr = body.get("lexpr")
    rexpr = body.get("rexpr")
    if kind == "AEXPR_OP":
        if lexpr is not None and "RowExpr" in lexpr and "RowExpr" in rexpr:
            return _row_compare(name, lexpr["RowExpr"], rexpr["RowExpr"], ec, loc)
        if lexpr is not None and "RowExpr" in lexpr and "SubLink" in rexpr and \
                rexpr["SubLink"].get("subLinkType") == "EXPR_SUBLINK":
            from tuskdb.sql.analyze.rowtypes import row_compare_sublink
            out = row_compare_sublink(name, lexpr["RowExpr"], rexpr["SubLink"], ec, loc)
            if out is not None:
                return out
        left = transform(lexpr, ec) if lexpr is not None else None
        right = transform(rexpr, ec)
        return make_op(name, left, right, ec, loc)
    if kind in ("AEXPR_LIKE", "AEXPR_ILIKE"):
        left = transform(lexpr, ec)
        right = transform(rexpr, ec)
        return make_op(name, left, right, ec, loc)
    if kind in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT"):
        left = transform(lexpr, ec)
        right = transform(rexpr, ec)
        pos = ec.state.pos(loc)
        op = resolve_operator("=", left.type_oid, right.type_oid, pos)
        if op.result != 16:
            raise PgError(DATATYPE_MISMATCH, "IS DISTINCT FROM requires = operator to yield "
                          "boolean", position=pos)
        eq = Func(_plain_op(op, ec), [coerce_to(left, op.left, location=pos, ctx=_tctx(ec)),
                                      coerce_to(right, op.right, location=pos, ctx=_tctx(ec))],
                  16, name="=")
        return _fold(_distinct(eq, left, right, kind == "AEXPR_DISTINCT"))
    if kind == "AEXPR_NULLIF":
        left = transform(lexpr, ec)
        right = transform(rexpr, ec)
        eq = make_op("=", left, right, ec, loc)
        ltype = left.type_oid if left.type_oid != UNKNOWN else 25
        left = coerce_to(left, ltype)
        fn = eq.fn if isinstance(eq, Func) else (lambda a, b: a == b)
        a0 = eq.args if isinstance(eq, Func) else None
        if a0 is not None and len(a0) == 2:
            left2 = a0[0]
            right2 = a0[1]
        else:
            left2, right2 = left, right
        return NullIf(left2, right2, fn, left2.type_oid)
    if kind == "AEXPR_IN" and "RowExpr" in lexpr:
        items = rexpr["List"]["items"] if "List" in rexpr else rexpr
        if all("RowExpr" in i for i in items):
            parts = [_row_compare(name, lexpr["RowExpr"], i["RowExpr"], ec, loc) for i in items]
            if name == "=":
                return BoolExpr("OR", parts) if len(parts) > 1 else parts[0]
            return BoolExpr("AND", parts) if len(parts) > 1 else parts[0]
    if kind == "AEXPR_IN":
        left = transform(lexpr, ec)
        items = [transform(i, ec) for i in rexpr["List"]["items"]] if "List" in rexpr \
            else [transform(i, ec) for i in rexpr]
        return _in_list(left, items, name, ec, loc)
    if kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL"):
        left = transform(lexpr, ec)
        if "A_ArrayExpr" in rexpr:
            items = [transform(i, ec) for i in rexpr["A_ArrayExpr"].get("elements", [])]
            out = _in_list(left, items, name, ec, loc, use_or=kind == "AEXPR_OP_ANY")
            return out
        arr = transform(rexpr, ec)
        pos = ec.state.pos(loc)
        at = types.TYPES.get(arr.type_oid)
        if arr.type_oid == UNKNOWN:
            et = left.type_oid if left.type_oid != UNKNOWN else 25
            if left.type_oid != UNKNOWN:
                # as PostgreSQL: the operator is chosen for (left, unknown) and the
                # literal becomes an array of its right operand type
                try:
                    op0 = resolve_operator(name, left.type_oid, UNKNOWN, pos)
                    if types.TYPES.get(op0.right) is not None and \
                            types.TYPES[op0.right].array_oid:
                        et = op0.right
                except PgError:
                    pass
            tt = types.TYPES[et]
            arr = coerce_to(arr, tt.array_oid, ctx=_tctx(ec))
            at = types.TYPES.get(arr.type_oid)
        if at is None or not at.elem_oid or (at.category != "A" and at.oid != 2287):
            # (record[] is a pseudo-type, but an array all the same)
            raise PgError("42809", f"op ANY/ALL (array) requires array on right side",
                          position=pos)
        op = resolve_operator(name, left.type_oid, at.elem_oid, pos)
        if op.result != 16:
            raise PgError(DATATYPE_MISMATCH, "op ANY/ALL (array) requires operator to yield "
                          "boolean", position=pos)
        left = poly_unknowns([left, Var(0, 0, at.elem_oid)], (op.left, op.right),
                             _tctx(ec))[0]
        lhs = coerce_to(left, op.left, location=pos, ctx=_tctx(ec))
        if at.elem_oid != op.right and op.right not in POLY_ARGS:
            target_t = types.TYPES.get(op.right)
            if target_t is not None and target_t.array_oid:
                arr = coerce_to(arr, target_t.array_oid, location=pos, ctx=_tctx(ec))
        sao = Func(_scalar_array_op(_plain_op(op, ec), kind == "AEXPR_OP_ANY"), [lhs, arr],
                   16, strict=False, name="scalar_array_op")
        sao.sa_op = (name, kind == "AEXPR_OP_ANY")     # for deparsing: op ANY/ALL (array)
        return sao
    if kind in ("AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN", "AEXPR_BETWEEN_SYM",
                "AEXPR_NOT_BETWEEN_SYM"):
        lo_raw, hi_raw = rexpr["List"]["items"] if "List" in rexpr else rexpr
        x = transform(lexpr, ec)
        lo = transform(lo_raw, ec)
        hi = transform(hi_raw, ec)
        ge = make_op(">=", x, lo, ec, loc)
        le = make_op("<=", x, hi, ec, loc)
        both = BoolExpr("AND", [ge, le])
        if kind.endswith("_SYM"):
            x2 = transform(lexpr, ec)
            lo2 = transform(lo_raw, ec)
            hi2 = transform(hi_raw, ec)
            alt = BoolExpr("AND", [make_op(">=", x2, hi2, ec, loc), make_op("<=", x2, lo2, ec,
                                                                          loc)])
            both = BoolExpr("OR", [both, alt])
        if kind.startswith("AEXPR_NOT"):
            return BoolExpr("NOT", [both])
        return both
    if kind == "AEXPR_SIMILAR":
        # the grammar already wrapped the pattern in similar_to_escape(); what is
        # left is the regular-expression match operator it names (~ or !~)
        x = transform(lexpr, ec)
        pattern = transform(rexpr, ec)
        return make_op(name, x, pattern, ec, loc)
    raise PgError(FEATURE_NOT_SUPPORTED, f"expression kind {kind} is not supported",
                  position=ec.state.pos(loc))


# btree-family comparison operators and their strict counterparts (row-wise comparison)
_ROW_COMPARE_STRICT = {"<": "<", "<=": "<", ">": ">", ">=": ">", "~<~": "~<~", "~<=~": "~<~",
                       "~>~": "~>~", "~>=~": "~>~"}


def _row_compare(name: str, lrow: dict, rrow: dict, ec: ExprContext, loc: int) -> Expr:
    """ROW(a, b) op ROW(c, d): element-wise for = and <>, lexicographic for < <= > >=
    (PostgreSQL's row-wise comparison, with its NULL semantics)."""
    la = lrow.get("args") or []
    ra = rrow.get("args") or []
    pos = ec.state.pos(loc)
    if len(la) != len(ra):
        raise PgError(SYNTAX_ERROR, "unequal number of entries in row expressions",
                      position=pos)
    if not la:
        raise PgError(FEATURE_NOT_SUPPORTED, "cannot compare rows of zero length", position=pos)
    left = [transform(a, ec) for a in la]
    right = [transform(a, ec) for a in ra]
    if name in ("=", "<>"):
        parts = [make_op(name, x, y, ec, loc) for x, y in zip(left, right)]
        if len(parts) == 1:
            return parts[0]
        return BoolExpr("AND" if name == "=" else "OR", parts)
    strict_op = _ROW_COMPARE_STRICT.get(name)
    if strict_op is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"could not determine interpretation of row "
                      f"comparison operator {name}", position=pos,
                      hint="Row comparison operators must be associated with btree operator "
                           "families.")
    # a < b  <=>  a1 < b1 OR (a1 = b1 AND (a2 < b2 OR (a2 = b2 AND ... last op)))
    expr = make_op(name, left[-1], right[-1], ec, loc)
    for x, y in zip(reversed(left[:-1]), reversed(right[:-1])):
        expr = BoolExpr("OR", [make_op(strict_op, x, y, ec, loc),
                               BoolExpr("AND", [make_op("=", x, y, ec, loc), expr])])
    return expr


def _distinct(eq: Expr, left: Expr, right: Expr, is_distinct: bool) -> Expr:
    if not isinstance(eq, Func):
        raise PgError(DATATYPE_MISMATCH, "IS DISTINCT FROM requires = operator to yield boolean")
    fn = eq.fn
    a, b = eq.args

    def distinct(x: Any, y: Any) -> bool:
        if x is None or y is None:
            return (x is None) != (y is None)
        return not fn(x, y)

    def not_distinct(x: Any, y: Any) -> bool:
        if x is None or y is None:
            return x is None and y is None
        return bool(fn(x, y))
    return Func(distinct if is_distinct else not_distinct, [a, b], 16, strict=False,
                name="distinct")


def _in_list(left: Expr, items: list[Expr], name: str, ec: ExprContext, loc: int,
             use_or: bool | None = None) -> Expr:
    if use_or is None:
        use_or = name == "="
    common = select_common_type([left] + items, "IN", ec.state.pos(loc))
    try:
        left_c = coerce_to(left, common)
        items_c = [coerce_to(i, common) for i in items]
        op = resolve_operator(name, common, common, ec.state.pos(loc))
        if op.result != 16:
            raise PgError(DATATYPE_MISMATCH, "op ANY/ALL (array) requires operator to yield "
                          "boolean")
        il = InList(left_c, items_c, _plain_op(op, ec), use_or)
        il.opname = name
        return il
    except PgError:
        # different types that do not unify: OR of separate comparisons
        parts = [make_op(name, left, i, ec, loc) for i in items]
        return BoolExpr("OR" if use_or else "AND", parts)


def _scalar_array_op(fn: Any, use_or: bool) -> Any:
    def op(x: Any, arr: Any) -> Any:
        if arr is None:
            return None
        items = arr.items
        if not items:
            return not use_or
        if x is None:
            return None
        null = False
        for y in items:
            if y is None:
                null = True
                continue
            r = fn(x, y)
            if use_or and r:
                return True
            if not use_or and not r:
                return False
        return None if null else not use_or
    return op


def _bool_expr(body: dict, ec: ExprContext) -> Expr:
    op = {"AND_EXPR": "AND", "OR_EXPR": "OR", "NOT_EXPR": "NOT"}[body["boolop"]]
    args = [require_bool(transform(a, ec), op, _tctx(ec)) for a in body["args"]]
    if op != "NOT" and all(isinstance(a, Const) for a in args):
        vals = [a.value for a in args]
        if op == "AND":
            v = False if False in vals else (None if None in vals else True)
        else:
            v = True if True in vals else (None if None in vals else False)
        return Const(v, 16)
    return BoolExpr(op, args)


def _null_test(body: dict, ec: ExprContext) -> Expr:
    arg = transform(body["arg"], ec)
    if arg.type_oid == UNKNOWN:
        arg = coerce_to(arg, 25)
    if arg.type_oid == 2249 or (arg.type_oid >= 16384 and
                                types.TYPES.get(arg.type_oid) is not None and
                                types.TYPES[arg.type_oid].typtype == "c"):
        from tuskdb.sql.analyze.rowtypes import row_null_test
        return row_null_test(arg, body["nulltesttype"] == "IS_NULL")
    return NullTest(arg, body["nulltesttype"] == "IS_NULL")


def _boolean_test(body: dict, ec: ExprContext) -> Expr:
    arg = require_bool(transform(body["arg"], ec), body["booltesttype"].replace("_", " "),
                       _tctx(ec))
    return BoolTest(arg, body["booltesttype"])


def _type_cast(body: dict, ec: ExprContext) -> Expr:
    tn = body["typeName"]
    type_oid, typmod = resolve_type_name(tn, ec.state)
    if type_oid == REGCLASS and "A_Const" in body["arg"] and "sval" in body["arg"]["A_Const"]:
        return _regclass_const(body["arg"]["A_Const"], ec)
    if type_oid in TS_REG_TYPES and "A_Const" in body["arg"] \
            and "sval" in body["arg"]["A_Const"]:
        return _ts_reg_const(body["arg"]["A_Const"], type_oid, ec)
    if type_oid == REGPROC and "A_Const" in body["arg"] and "sval" in body["arg"]["A_Const"]:
        return _regproc_const(body["arg"]["A_Const"], ec)
    tt = types.TYPES.get(type_oid)
    if tt is not None and tt.category == "A" and tt.elem_oid in (REGCLASS, 2206, 4089, 4096) \
            and "A_Const" in body["arg"] and "sval" in body["arg"]["A_Const"]:
        # '{a,b}'::regclass[]: the elements are looked up now, as for regclass
        return Const(ec.state.session.reg_array_input(type_oid,
                                                      body["arg"]["A_Const"]["sval"]["sval"]),
                     type_oid)
    if "A_ArrayExpr" in body["arg"]:
        arr = array_expr(body["arg"]["A_ArrayExpr"], ec, type_oid)
        return coerce_to(arr, type_oid, typmod, "e", ctx=_tctx(ec))
    arg = transform(body["arg"], ec)
    loc = ec.state.pos(body.get("location"))
    if isinstance(arg, Param) and arg.type_oid == UNKNOWN:
        ec.state.set_param_type(arg.number, type_oid)
    out = coerce_to(arg, type_oid, typmod, "e", location=loc, ctx=_tctx(ec))
    if type_oid >= 16384 and isinstance(out, Const) and out.value is not None:
        t = types.TYPES.get(type_oid)
        if t is not None and t.typtype == "e":
            from tuskdb.sql.commands.typecmds import check_enum_value_safe
            try:
                check_enum_value_safe(ec.state.session, t, out.value)
            except PgError as err:
                apos = getattr(arg, "location", -1)
                err.position = apos if apos is not None and apos >= 0 else loc
                raise
    return out


# SQL-standard type names the grammar turns into pg_catalog names, and a few aliases
_TYPE_ALIASES = {
    "int": "int4", "integer": "int4", "smallint": "int2", "bigint": "int8", "real": "float4",
    "float": "float8", "double precision": "float8", "boolean": "bool", "decimal": "numeric",
    "character varying": "varchar", "character": "bpchar",
    "timestamp with time zone": "timestamptz", "timestamp without time zone": "timestamp",
    "time without time zone": "time", "time with time zone": "timetz",
    "serial": "int4", "bigserial": "int8", "smallserial": "int2", "serial4": "int4",
    "serial8": "int8", "serial2": "int2",
}


def type_name_to_string(tn: dict) -> str:
    """A TypeName as written, for messages (TypeNameToString): the dotted names, a
    "[]" per array bound; type modifiers are left out."""
    names = [n["String"]["sval"] for n in tn.get("names", [])]
    text = ".".join(names)
    if tn.get("pct_type"):
        text += "%TYPE"
    return text + "[]" * len(tn.get("arrayBounds") or [])


def lookup_type_name_oid(tn: dict, state: AnalyzeState) -> int:
    """The type an object's argument list names (LookupTypeNameOid): as
    resolve_type_name, but the errors carry no cursor position, as there is no parse
    state when DROP, COMMENT, ALTER or GRANT look up a routine's or operator's
    signature."""
    try:
        return resolve_type_name(tn, state)[0]
    except PgError as e:
        e.position = None
        raise


def missing_type_notice(tns: list[dict], state: AnalyzeState) -> str | None:
    """What DROP ... IF EXISTS says when the signature names a missing type or schema
    (does_not_exist_skipping's type_in_list check), None when all exist."""
    for tn in tns:
        if not tn:
            continue
        names = [n["String"]["sval"] for n in tn.get("names", [])]
        if len(names) > 1 and state.catalog.namespace_oid(names[-2]) is None:
            return f'schema "{names[-2]}" does not exist, skipping'
        try:
            resolve_type_name(tn, state)
        except PgError as e:
            if e.sqlstate == UNDEFINED_OBJECT:
                return f'type "{type_name_to_string(tn)}" does not exist, skipping'
            raise
    return None


def resolve_type_name(tn: dict, state: AnalyzeState) -> tuple[int, int]:
    from tuskdb.sql.analyze.typename import lookup_type

    if "_oid" in tn:            # a type already resolved (columns of a typed table)
        return tn["_oid"], tn["_typmod"]
    names = [n["String"]["sval"] for n in tn["names"]]
    name = names[-1]
    if len(names) > 1 and names[0] not in ("pg_catalog",):
        schema = names[0]
        if state.catalog.namespace_oid(schema) is None:
            raise PgError("3F000", f'schema "{schema}" does not exist',
                          position=state.pos(tn.get("location")))
    name = _TYPE_ALIASES.get(name, name)
    t = lookup_type(state.catalog, state.session, names, name)
    if t is None:
        raise PgError(UNDEFINED_OBJECT, f'type "{type_name_to_string(tn)}" does not exist',
                      position=state.pos(tn.get("location")))
    typmod = -1
    mods = tn.get("typmods")
    if mods:
        vals = []
        for m in mods:
            if "A_Const" in m:
                v, _ = const_type(m["A_Const"])
                vals.append(v)
            elif "ColumnRef" in m:
                vals.append(m["ColumnRef"]["fields"][0]["String"]["sval"])
            else:
                raise PgError(SYNTAX_ERROR, "type modifiers must be simple constants or "
                              "identifiers", position=state.pos(tn.get("location")))
        typmod = t.typmod_in(vals)
    elif name == "bpchar" and names[-1] in ("bpchar", "char", "character") and \
            names[0] == "pg_catalog":
        typmod = t.typmod_in([1])
    oid = t.oid
    if tn.get("arrayBounds"):
        if not t.array_oid:
            raise PgError(UNDEFINED_OBJECT, f"could not find array type for data type {name}")
        oid = t.array_oid
    return oid, typmod


def _func_call(body: dict, ec: ExprContext) -> Expr:
    e = _func_call_inner(body, ec)
    if body.get("funcformat") == "COERCE_SQL_SYNTAX" and isinstance(e, Func) and \
            e.name == body["funcname"][-1]["String"]["sval"]:
        # written as SQL syntax (AT TIME ZONE, EXTRACT, TRIM, ...) and deparsed so; the
        # number of arguments written (analysis adds the defaults)
        e.sql_syntax = len(body.get("args") or [])
    return e


def _func_call_inner(body: dict, ec: ExprContext) -> Expr:
    names = [n["String"]["sval"] for n in body["funcname"]]
    name = names[-1]
    loc = body.get("location", -1)
    pos = ec.state.pos(loc)
    qual_nsp = None
    if len(names) > 1 and names[0] != "pg_catalog":
        qual_nsp = _function_namespace(names[0], ec.state)
        if qual_nsp is None:
            raise PgError("3F000", f'schema "{names[0]}" does not exist', position=pos)
    raw_args = body.get("args", [])
    _check_named_args(raw_args, ec)
    if body.get("over") is not None:
        from tuskdb.sql.analyze.window import transform_window_call
        inner = ExprContext(ec.state, ec.scope, ec.kind, ec.aggs, ec.outer)
        args = [transform(a, inner) for a in raw_args]
        return transform_window_call(name, body, args, ec, pos)
    if body.get("agg_star") or is_aggregate(name, ec.state.session) or (
            body.get("agg_within_group")
                                                      and name in _HYPOTHETICAL):
        from tuskdb.sql.analyze.jsonpopulate import JSON_AGGS, json_aggregate
        if name in JSON_AGGS and body.get("over") is None:
            agg = json_aggregate(name, body, raw_args, ec, pos)
            if agg is not None:
                return agg
        return _aggregate(name, body, raw_args, ec, pos)
    if body.get("agg_distinct") or body.get("agg_filter") or body.get("agg_order"):
        raise PgError("42809", f"DISTINCT specified, but {name} is not an aggregate function",
                      position=pos)
    if qual_nsp is not None:
        # schema.f(...): only the functions of that schema (the built-ins live in
        # pg_catalog)
        args = [transform(a, ec) for a in raw_args]
        user = _user_function(name, names, raw_args, args, ec, pos,
                              bool(body.get("func_variadic")), nsp=qual_nsp)
        if user is not None:
            return user
        from tuskdb.sql.analyze.resolve import _function_error
        raise _function_error(".".join(names), [a.type_oid for a in args], "missing",
                              pos if pos is not None else -1)
    special = _SPECIAL_FUNCS.get(name)
    if name == "satisfies_hash_partition":
        from tuskdb.sql.analyze.partition import satisfies_hash_partition_call
        special = satisfies_hash_partition_call
        ec.func_variadic = bool(body.get("func_variadic"))
    if special is None and name in _jsonpopulate_names():
        from tuskdb.sql.analyze.jsonpopulate import SPECIALS
        special = SPECIALS[name]
        ec.func_variadic = bool(body.get("func_variadic"))
    args = [transform(a, ec) for a in raw_args]
    if special is not None:
        return special(args, ec, pos)
    if name in SYSFUNCS:
        return _sysfunc(name, args, ec, pos)
    user = _user_function(name, names, raw_args, args, ec, pos,
                          bool(body.get("func_variadic")))
    if user is not None:
        return user
    if body.get("func_variadic"):
        return _variadic_call(name, args, ec, pos)
    coerced = _function_style_cast(name, names, args, raw_args, ec, pos)
    if coerced is not None:
        return coerced
    if any("NamedArgExpr" in raw for raw in raw_args):
        fn, sig, args = _builtin_named_call(name, raw_args, args, pos)
    else:
        try:
            fn, sig = resolve_function(name, [a.type_oid for a in args], pos,
                                       display_name=".".join(names) if len(names) > 1 else None)
        except PgError as err:
            # f(x) with x of a composite type having a field f: column notation
            if err.sqlstate == "42883" and len(args) == 1 and len(names) == 1:
                from tuskdb.sql.analyze.rowtypes import _record_fields, select_field
                flds = _record_fields(args[0]) if args[0].type_oid != UNKNOWN else None
                if flds and any(f[0] == name for f in flds):
                    return select_field(args[0], name, pos)
            raise
    args = [_any_as_text(a, ec) if t == 2276 and a.type_oid != 25 else a
            for a, t in zip(args, sig)]       # a variadic "any" argument: its text form
    cargs, ret = coerce_polymorphic(args, sig, fn.ret_type, pos, ec)
    if name == "array_to_string" and cargs:
        cargs[0] = _array_elements_as_text(cargs[0])
    var = getattr(fn, "variadic", 0)
    if var not in (0, 2276) and (len(sig) != len(fn.arg_types) or
                                 cargs[-1].type_oid == var):
        # VARIADIC elem[]: the trailing arguments become one array (PostgreSQL builds it
        # at analysis; a call with VARIADIC arr passes the array itself)
        n = len(fn.arg_types) - 1
        cargs = cargs[:n] + [Func(_array_build, cargs[n:], fn.arg_types[-1], strict=False,
                                  name="array")]
    defaults = getattr(fn, "arg_defaults", None)
    if defaults and len(cargs) < len(fn.arg_types):
        missing = len(fn.arg_types) - len(cargs)
        for v, t in zip(defaults[len(defaults) - missing:], fn.arg_types[len(cargs):]):
            cargs.append(Const(v, t))
    out_names = getattr(fn, "out_names", None)
    if out_names:
        # a function returning a record: its columns, usable in FROM
        call = SRFCall(types_func(fn), cargs, ret, strict=getattr(fn, "strict", True),
                       name=name, needs_ctx=getattr(fn, "needs_ctx", False))
        call.columns = list(zip(out_names, fn.out_types))
        call.retset = bool(getattr(fn, "retset", False))
        if ec.kind != "FROM" or ec.srfs is not None:
            # outside FROM the result is a record value (of the OUT parameters)
            from tuskdb.sql.analyze.rowtypes import record_function_value
            return record_function_value(call, fn, ec, pos)
        return call
    if getattr(fn, "retset", False):
        call = SRFCall(types_func(fn), cargs, ret, strict=getattr(fn, "strict", True),
                       name=name, needs_ctx=getattr(fn, "needs_ctx", False))
        return place_srf(call, ec, pos)
    volatile = getattr(fn, "volatility", "i") == "v"
    if volatile:
        ec.state.has_volatile = True
    if getattr(fn, "volatility", "i") != "i":
        ec.state.has_mutable = True
    call = types_func(fn)
    if getattr(fn, "prosrc", "").startswith("sql:") and getattr(fn, "volatility", "i") == "i" \
            and all(isinstance(a, (Const, Literal)) for a in cargs):
        call = _sql_function_context(call, name)
    f = Func(call, cargs, ret, strict=getattr(fn, "strict", True), name=name,
             needs_ctx=getattr(fn, "needs_ctx", False), volatile=volatile)
    if getattr(fn, "volatility", "i") != "i":
        return f
    return _fold(f)


def _check_named_args(raw_args: list, ec: ExprContext) -> None:
    """Named arguments (name => value) come last and name a parameter once
    (ParseFuncOrColumn)."""
    seen: set[str] = set()
    named = False
    for a in raw_args:
        if "NamedArgExpr" in a:
            n = a["NamedArgExpr"]
            if n["name"] in seen:
                raise PgError(SYNTAX_ERROR, f'argument name "{n["name"]}" used more than once',
                              position=ec.state.pos(n.get("location")))
            seen.add(n["name"])
            named = True
        elif named:
            body = next(iter(a.values()))
            loc = body.get("location") if isinstance(body, dict) else None
            raise PgError(SYNTAX_ERROR, "positional argument cannot follow named argument",
                          position=ec.state.pos(loc))


def _sql_function_context(call: Any, name: str) -> Any:
    """An immutable built-in that PostgreSQL defines in SQL (log(numeric) is SELECT log(10,
    $1)), called with constant arguments: PostgreSQL evaluates it at planning time instead
    of inlining it, so its errors carry the SQL function's context line."""
    def run(*args: Any) -> Any:
        try:
            return call(*args)
        except PgError as err:
            if not getattr(err, "context", None):
                err.context = f'SQL function "{name}" statement 1'
            raise
    return run


def _variadic_call(name: str, args: list[Expr], ec: ExprContext, pos: Any) -> Expr:
    """f(a, VARIADIC arr): the array is the VARIADIC parameter itself; its elements
    reach the function as the variadic arguments."""
    from tuskdb.sql.analyze.resolve import _function_error, functions, select_candidate
    last = args[-1]
    lt = types.TYPES.get(last.type_oid)
    is_array = last.type_oid == UNKNOWN or (lt is not None and lt.category == "A"
                                           and bool(lt.elem_oid))
    cands = []
    for fn in functions(name):
        var = getattr(fn, "variadic", 0)
        if not var or len(fn.arg_types) != len(args):
            continue
        if var == 2276:             # VARIADIC "any": any array
            if not is_array:
                raise PgError(DATATYPE_MISMATCH, "VARIADIC argument must be an array",
                              position=getattr(last, "location", -1)
                              if getattr(last, "location", -1) >= 0 else pos)
            arr_t = last.type_oid if last.type_oid != UNKNOWN else 1009
        else:
            vt = types.TYPES.get(var)
            arr_t = vt.array_oid if vt is not None and var not in (2283, 5077) else (
                2277 if var == 2283 else 5078)
        cands.append((fn, tuple(fn.arg_types[:-1]) + (arr_t,)))
    chosen, status = select_candidate(cands, [a.type_oid for a in args], lambda c: c[1])
    if status != "ok":
        raise _function_error(name, [a.type_oid for a in args], status, pos)
    fn, sig = chosen[0]
    cargs = []
    for a, t in zip(args[:-1], sig[:-1]):
        if t == 2276 and a.type_oid != 25:
            a = _any_as_text(a, ec)
        cargs.append(coerce_to(a, t, location=pos, ctx=_tctx(ec)))
    cargs.append(coerce_to(last, sig[-1], location=pos, ctx=_tctx(ec))
                 if sig[-1] not in (2277, 5078) else last)
    inner = types_func(fn)
    needs_ctx = getattr(fn, "needs_ctx", False)
    as_text = fn.variadic == 2276
    if not as_text:
        # the implementation takes the VARIADIC array itself, as PostgreSQL's does
        ret = fn.ret_type
        if ret in POLY_RESULTS:
            ret = _resolve_polymorphic(fn, cargs, ret)
        return Func(inner, cargs, ret, strict=getattr(fn, "strict", True), name=name,
                    needs_ctx=needs_ctx, volatile=getattr(fn, "volatility", "i") == "v")
    elem_t = types.TYPES.get(types.TYPES[cargs[-1].type_oid].elem_oid) \
        if cargs[-1].type_oid in types.TYPES else None
    strict = getattr(fn, "strict", True)

    null_is_empty = name == "format"     # format(f, VARIADIC NULL) formats no arguments

    def call(ctx: Any, *vals: Any) -> Any:
        arr = vals[-1]
        if arr is None and not null_is_empty:
            return None
        items = list(arr.items) if arr is not None else []
        if as_text and elem_t is not None and elem_t.oid != 25:
            items = [None if v is None else elem_t.output(v, ctx.types) for v in items]
        full = (*vals[:-1], *items)
        if strict and any(v is None for v in full):
            return None
        return inner(ctx, *full) if needs_ctx else inner(*full)
    ret = fn.ret_type
    if ret in POLY_RESULTS:
        ret = _resolve_polymorphic(fn, cargs, ret)
    return Func(call, cargs, ret, strict=False, name=name, needs_ctx=True,
                volatile=getattr(fn, "volatility", "i") == "v")


def _builtin_named_call(name: str, raw_args: list, args: list[Expr], pos: Any
                        ) -> tuple[Any, tuple[int, ...], list[Expr]]:
    """A built-in function called with named arguments (jsonb_path_query(..., silent =>
    true)): the arguments put in parameter order, omitted ones from the defaults."""
    from tuskdb.sql.analyze.resolve import _function_error, functions, select_candidate
    named: dict[str, Expr] = {}
    positional: list[Expr] = []
    for raw, a in zip(raw_args, args):
        if "NamedArgExpr" in raw:
            named[raw["NamedArgExpr"]["name"]] = a
        else:
            positional.append(a)
    cands = []
    for fn in functions(name):
        argnames = tuple(getattr(fn, "arg_names", ()) or ())
        n = len(fn.arg_types)
        defaults = tuple(getattr(fn, "arg_defaults", ()) or ())
        if len(positional) + len(named) > n or not argnames:
            continue
        slots: list[Any] = list(positional) + [None] * (n - len(positional))
        ok = True
        for k, v in named.items():
            if k not in argnames or slots[argnames.index(k)] is not None:
                ok = False
                break
            slots[argnames.index(k)] = v
        for i in range(n):
            if ok and slots[i] is None:
                di = i - (n - len(defaults))
                if di < 0:
                    ok = False
                else:
                    slots[i] = Const(defaults[di], fn.arg_types[i])
        if ok:
            cands.append((fn, slots))
    argtypes = [a.type_oid for a in positional] + [a.type_oid for a in named.values()]
    arg_names = [None] * len(positional) + list(named)
    chosen, status = select_candidate(cands, [s.type_oid for s in cands[0][1]], lambda c: tuple(
        c[0].arg_types)) if len(cands) > 1 else (cands, "ok" if cands else "none")
    if status != "ok":
        raise _function_error(name, argtypes, status, pos if pos is not None else -1,
                              arg_names)
    fn, slots = chosen[0]
    return fn, tuple(fn.arg_types), slots


def _function_namespace(schema: str, state: Any) -> int | None:
    """The schema a qualified function name names (pg_temp: the session's own)."""
    session = state.session
    if getattr(session, "db", None) is None:
        return None
    if schema == "pg_temp":
        return getattr(session, "temp_nsp", None)
    return state.catalog.namespace_oid(schema)


def _plain_base_type(oid: int) -> bool:
    """A scalar base type (not polymorphic, composite, domain, range, array or
    pseudo): coercion between such types is fully described by pg_cast."""
    t = types.TYPES.get(oid)
    return t is not None and t.typtype == "b" and t.category != "A" and oid not in POLY_ARGS


def _user_function(name: str, names: list[str], raw_args: list, args: list[Expr],
                   ec: ExprContext, pos: Any, func_variadic: bool = False,
                   nsp: int | None = None) -> Expr | None:
    """A call of a user-defined SQL function, if one fits (defaults, named arguments);
    ``nsp``: only that schema's (a qualified name), else the search path's."""
    from tuskdb.sql.analyze.resolve import select_candidate
    from tuskdb.sql.commands.functioncmds import lookup_functions
    session = ec.state.session
    if getattr(session, "db", None) is None:
        return None
    fns = lookup_functions(session, name, nsp)
    if not fns:
        return None
    named = {}
    positional = []
    for raw, a in zip(raw_args, args):
        if "NamedArgExpr" in raw:
            named[raw["NamedArgExpr"]["name"]] = a
        else:
            positional.append(a)
    cands = []
    for fn in fns:
        n = len(fn.argtypes)
        ndef = len(fn.defaults)
        var = getattr(fn, "variadic", 0)
        if var and not func_variadic and not named and len(positional) >= n - 1:
            # VARIADIC parameter in expanded form: the trailing arguments make the array
            k = len(positional) - (n - 1)
            cands.append((fn, list(positional),
                          tuple(fn.argtypes[:-1]) + (var,) * k, n - 1))
            continue
        if len(positional) + len(named) > n:
            continue
        slots: list[Any] = list(positional) + [None] * (n - len(positional))
        ok = True
        for k, v in named.items():
            if k not in fn.argnames:
                ok = False
                break
            i = fn.argnames.index(k)
            if slots[i] is not None:
                ok = False
                break
            slots[i] = v
        if not ok:
            continue
        for i in range(n):
            if slots[i] is None:
                di = i - (n - ndef)
                if di < 0:
                    ok = False
                    break
                slots[i] = ("default", fn.defaults[di])
        if ok:
            cands.append((fn, slots, tuple(fn.argtypes), None))
    if not cands:
        return None

    def sig(c: Any) -> tuple:
        return tuple(t for t, v in zip(c[2], c[1]) if not isinstance(v, tuple))
    given = [v.type_oid for c in cands[:1] for v in c[1] if not isinstance(v, tuple)]
    if len(cands) > 1:
        chosen, status = select_candidate(cands, given, sig)
    else:
        # a lone candidate still needs every argument implicitly coercible (checked
        # where our coercion rules are complete: base-type parameters)
        from tuskdb.sql.analyze.coerce import can_coerce
        ok = all(can_coerce(v.type_oid, t, "i") for v, t in zip(cands[0][1], cands[0][2])
                 if not isinstance(v, tuple) and _plain_base_type(t)
                 and _plain_base_type(v.type_oid))
        chosen, status = cands, "ok" if ok else "none"
    if status == "ok" and len(cands) > 1:
        # candidates whose parameters differ only in defaulted ones are not told apart
        # (FuncnameGetCandidates: FUNCDETAIL_MULTIPLE)
        same = [c for c in cands if sig(c) == sig(chosen[0]) and c[3] is None]
        if len(same) > 1:
            status = "ambiguous"
    if status == "ambiguous":
        raise PgError("42725", f"function {name}({', '.join(type_name(t) for t in given)}) is "
                      f"not unique", position=pos, hint="Could not choose a best candidate "
                      "function. You might need to add explicit type casts.")
    if status != "ok":
        return None
    fn, slots, declared, pack = chosen[0]
    if getattr(fn, "prokind", "f") == "p":
        raise PgError("42809", f"{name}({', '.join(type_name(a.type_oid) for a in args)}) is "
                      f"a procedure", position=pos, hint="To call a procedure, use CALL.")
    vals = []
    for v, t in zip(slots, declared):
        if isinstance(v, tuple):
            inner = ExprContext(ec.state, Scope(), "DEFAULT", None)
            saved = ec.state.lift
            ec.state.lift = None
            try:
                v = transform(v[1], inner)
                if t not in POLY_ARGS and v.type_oid != t:
                    # a default is stored coerced to its parameter's type (assignment)
                    v = coerce_to(v, t, -1, "a", ctx=_tctx(ec))
            finally:
                ec.state.lift = saved
        vals.append(v)
    from tuskdb.sql.analyze.polymorphic import check_consistency
    if len(cands) == 1 and not check_consistency([v.type_oid for v in vals], declared):
        return None
    final, ret = coerce_polymorphic(vals, declared, fn.ret_type, pos, ec)
    argtypes = tuple(a.type_oid for a in final)
    if pack is not None:
        # the expanded VARIADIC arguments reach the function as one array
        elem = argtypes[pack] if len(argtypes) > pack else getattr(fn, "variadic", 0)
        arr_t = types.TYPES[elem].array_oid if elem in types.TYPES else fn.argtypes[-1]
        argtypes = argtypes[:pack] + (arr_t,)
        call_fn = (lambda ctx, *a, _f=fn, _p=pack, _t=argtypes:
                   _f.call(ctx, a[:_p] + (types.Array(a[_p:]),), _t))
    else:
        call_fn = (lambda ctx, *a, _f=fn, _t=argtypes: _f.call(ctx, a, _t))
    volatile = fn.volatility == "v"
    if volatile:
        ec.state.has_volatile = True
    if fn.volatility != "i":
        ec.state.has_mutable = True
    # OUT parameters: in FROM the function's columns are its OUT parameters
    out_cols = None
    if len(getattr(fn, "out_names", ()) or ()) > 1:
        # polymorphic OUT parameters take their types from the arguments
        in_types = [v.type_oid for v in vals]
        out_cols = [(n, enforce_polymorphic(in_types, declared, t, pos)[1])
                    for n, t in zip(fn.out_names, fn.out_types)]
    if fn.retset:
        call = SRFCall(call_fn, final, ret, strict=False, name=name, needs_ctx=True)
        if out_cols:
            call.columns = out_cols
        if ec.srfs is None:
            if ec.kind == "FROM":
                return call
            raise PgError(FEATURE_NOT_SUPPORTED, f"set-returning functions are not allowed in "
                          f"{ec.kind}", position=pos)
        ec.srfs.append(call)
        return Var(("srf", 0), len(ec.srfs) - 1, ret, -1, name)
    f = Func(call_fn, final, ret, strict=False, name=name, needs_ctx=True, volatile=volatile)
    f.user_func = True          # a user-defined routine (virtual generated columns refuse it)
    f.location = pos if pos is not None else -1
    if out_cols and ec.kind == "FROM":
        f.columns = out_cols
    elif len(getattr(fn, "out_names", ()) or ()) == 1:
        f.column_name = fn.out_names[0]     # FROM f(): the column is the OUT parameter
    return f


def _sysfunc(name: str, args: list[Expr], ec: ExprContext, pos: Any) -> Expr:
    from tuskdb.sql.analyze.resolve import select_candidate
    cands = [f for f in SYSFUNCS[name] if len(f.arg_types) == len(args)]
    chosen, status = select_candidate(cands, [a.type_oid for a in args],
                                      lambda f: f.arg_types)
    if status != "ok":
        desc = f"{name}({', '.join(type_name(a.type_oid) for a in args)})"
        raise PgError("42883" if status == "none" else "42725",
                      f"function {desc} does not exist" if status == "none"
                      else f"function {desc} is not unique", position=pos,
                      hint="No function matches the given name and argument types. You might "
                           "need to add explicit type casts.")
    f = chosen[0]
    cargs = [_regclass_arg(a, ec) if t == REGCLASS else
             _ts_reg_arg(a, t, ec) if t in TS_REG_TYPES else a
             for a, t in zip(args, f.arg_types)]
    cargs = [coerce_to(a, t, location=pos, ctx=_tctx(ec)) for a, t in zip(cargs, f.arg_types)]
    if f.retset:
        call = SRFCall(f.impl, cargs, f.ret_type, strict=f.strict, name=name, needs_ctx=True)
        call.columns = f.columns
        if ec.srfs is not None and len(f.columns) == 1:
            call.type_oid = f.columns[0][1]
            # in a target list the one column is the value (rows may come as 1-tuples)
            call.fn = lambda ctx, *a, _i=f.impl: [r[0] if isinstance(r, tuple) else r
                                                  for r in _i(ctx, *a)]
            ec.srfs.append(call)
            return Var(("srf", 0), len(ec.srfs) - 1, call.type_oid, -1, name)
        if ec.kind != "FROM":
            raise PgError(FEATURE_NOT_SUPPORTED, f"{name}() is only supported in FROM",
                          position=pos)
        return call
    if f.volatile:
        ec.state.has_volatile = True
    ec.state.has_mutable = True
    return Func(f.impl, cargs, f.ret_type, strict=f.strict, name=name, needs_ctx=True,
                volatile=f.volatile)


POLY_RESULTS = frozenset((2283, 2277, 2776, 5077, 5078, 5079, 3500))
POLY_ARGS = POLY_RESULTS | frozenset((2276, 3831, 4537, 4538, 5080))


class _OpSig:
    def __init__(self, op: Any) -> None:
        self.arg_types = (op.left, op.right)


def _array_elements_as_text(a: Expr) -> Expr:
    """array_to_string's elements reach it as their output text (array_to_text)."""
    at = types.TYPES.get(a.type_oid)
    et = types.TYPES.get(at.elem_oid) if at is not None and at.elem_oid else None
    if et is None or et.oid == 25:
        return a
    out = et.output

    def conv(ctx: Any, arr: Any) -> Any:
        return types.Array([None if v is None else out(v, ctx.types) for v in arr.items],
                           arr.lower, arr.dims, arr.lbounds)
    return Func(conv, [a], 1009, name="text[]", needs_ctx=True)


def _any_as_text(a: Expr, ec: ExprContext) -> Expr:
    """An argument declared "any" reaches functions like concat() as its output text."""
    if a.type_oid == UNKNOWN:
        return coerce_to(a, 25)
    t = types.TYPES.get(a.type_oid)
    if t is None:
        return a
    out = t.output
    return Func(lambda ctx, v, _o=out: _o(v, ctx.types), [a], 25, name="text", needs_ctx=True)


def _resolve_polymorphic(fn: Any, args: list[Expr], ret: int) -> int:
    """The actual result type of a polymorphic function for these arguments."""
    return enforce_polymorphic([a.type_oid for a in args], tuple(fn.arg_types), ret)[1]


def coerce_polymorphic(args: list[Expr], declared: Any, ret: int, pos: Any,
                       ec: ExprContext) -> tuple[list[Expr], int]:
    """Coerce call arguments to their declared types, resolving polymorphic ones
    (enforce_generic_type_consistency); returns the arguments and the result type."""
    if 2249 in declared:        # record arguments: unknowns read as the other record's type
        args = poly_unknowns(args, declared, _tctx(ec))
    actual, ret = enforce_polymorphic([a.type_oid for a in args], tuple(declared), ret, pos)
    return [coerce_to(a, t, location=pos, ctx=_tctx(ec)) for a, t in zip(args, actual)], ret


def _outer_level(args: list[Expr]) -> int:
    """The query level an aggregate over ``args`` belongs to: 0 when they mention a
    column of this level (or nothing), else the nearest enclosing level mentioned."""
    levels = []
    for a in args:
        for x in walk(a):
            if isinstance(x, OuterVar):
                levels.append(x.level)
            elif isinstance(x, Var) and not isinstance(x.rt, tuple):
                return 0
    return min(levels) if levels else 0


def _shift_levels(e: Expr, by: int) -> Expr:
    """Re-express ``e`` from ``by`` levels up: OuterVars of that level become Vars."""
    from tuskdb.sql.analyze.select import _map_children
    if isinstance(e, OuterVar):
        return e.var if e.level == by else OuterVar(e.level - by, e.var)
    return _map_children(e, lambda c: _shift_levels(c, by))


_AGG_PLACES = {"WHERE": "WHERE", "JOIN": "JOIN conditions", "GROUP BY": "GROUP BY"}


def _upper_aggregate(a: Agg, level: int, ec: ExprContext, pos: int | None) -> Expr:
    """An aggregate whose arguments are all columns of an enclosing query is computed by
    that query; here it is a reference to that query's aggregate output."""
    scope = ec.outer[-level]
    kind, aggs = getattr(scope, "agg_ctx", None) or ("FROM", None)
    if aggs is None:
        where = _AGG_PLACES.get(kind, kind)
        if kind == "FROM":
            raise PgError(GROUPING_ERROR, "aggregate functions are not allowed in FROM clause "
                          "of their own query level", position=pos)
        if kind == "nested":
            raise PgError(GROUPING_ERROR, "aggregate function calls cannot be nested",
                          position=pos)
        raise PgError(GROUPING_ERROR, f"aggregate functions are not allowed in {where}",
                      position=pos)
    moved = {id(x) for e in a.args + ([a.filter] if a.filter is not None else []) +
             [e for e, _, _ in a.order_by] for x in walk(e) if isinstance(x, OuterVar)}
    if moved:       # they become the upper query's own columns, inside its aggregate
        ec.state.outer_refs = [(sc, ov) for sc, ov in ec.state.outer_refs
                               if id(ov) not in moved]
    a.args = [_shift_levels(x, level) for x in a.args]
    if a.filter is not None:
        a.filter = _shift_levels(a.filter, level)
    a.order_by = [(_shift_levels(e, level), d, nf) for e, d, nf in a.order_by]
    aggs.append(a)
    ec.correlated = True
    return OuterVar(level, Var(("a", 0), len(aggs) - 1, a.type_oid, a.typmod,
                               getattr(a.agg, "name", "?column?")))


def _aggregate(name: str, body: dict, raw_args: list, ec: ExprContext, pos: int | None) -> Expr:
    if ec.aggs is None and not body.get("agg_within_group") and not body.get("agg_star") \
            and raw_args and ec.outer:
        probe = ec.with_kind("nested", None)
        refs = list(ec.state.outer_refs)
        try:
            level = _outer_level([transform(x, probe) for x in raw_args])
        except PgError:
            level = 0
        finally:
            ec.state.outer_refs = refs       # the probe's references do not count
        if level:
            saved = ec.aggs
            ec.aggs = []
            try:
                inner_agg = _aggregate(name, body, raw_args, ec, pos)
            finally:
                got, ec.aggs = ec.aggs, saved
            return inner_agg if not isinstance(inner_agg, Agg) else inner_agg
    if ec.aggs is None:
        if ec.kind == "nested":
            raise PgError(GROUPING_ERROR, "aggregate function calls cannot be nested",
                          position=pos)
        raise PgError(GROUPING_ERROR, f"aggregate functions are not allowed in {ec.kind}",
                      position=pos)
    inner = ec.with_kind("nested", None)
    if body.get("agg_within_group"):
        return _ordered_set_aggregate(name, body, raw_args, ec, inner, pos)
    star = bool(body.get("agg_star"))
    args = [] if star else [transform(a, inner) for a in raw_args]
    argtypes = [a.type_oid for a in args]
    agg = resolve_aggregate(name, argtypes, pos, ec.state.session)
    if getattr(agg, "kind", "n") != "n":
        raise PgError("42809", f"WITHIN GROUP is required for ordered-set aggregate {name}",
                      position=pos)
    args, ret = coerce_polymorphic(args, agg.arg_types, agg.ret_type, pos, ec)
    filt = None
    if body.get("agg_filter") is not None:
        filt = require_bool(transform(body["agg_filter"], inner), "FILTER")
    order = []
    for sb_node in body.get("agg_order") or []:
        sb = sb_node["SortBy"]
        e = transform(sb["node"], inner)
        if e.type_oid == UNKNOWN:
            e = coerce_to(e, 25)
        _require_ordering(e, ec.state.pos(next(iter(sb["node"].values())).get("location")
                                          if isinstance(next(iter(sb["node"].values())),
                                                        dict) else None))
        from tuskdb.sql.analyze.select import sortby_desc
        desc = sortby_desc(e, sb, ec.state)
        nulls = sb.get("sortby_nulls", "SORTBY_NULLS_DEFAULT")
        nf = desc if nulls == "SORTBY_NULLS_DEFAULT" else nulls == "SORTBY_NULLS_FIRST"
        order.append((e, desc, nf))
    if body.get("agg_within_group"):
        raise PgError(FEATURE_NOT_SUPPORTED, "WITHIN GROUP is not supported", position=pos)
    if body.get("agg_distinct"):
        for arg, node in zip(args, body.get("args") or []):
            at = types.TYPES.get(arg.type_oid)
            if at is not None and (at.category == "G" or at.oid in (114, 142)):
                # no equality for the geometric types, json and xml
                raise PgError("42883", f"could not identify an equality operator for type "
                              f"{type_name(arg.type_oid)}", position=ec.state.pos(
                                  next(iter(node.values())).get("location")))
    a = Agg(agg, args, ret, distinct=bool(body.get("agg_distinct")), filter=filt,
            star=star, order_by=order)
    level = _outer_level(args + ([filt] if filt is not None else []) +
                         [e for e, _, _ in order]) if ec.outer and not star else 0
    if level:
        return _upper_aggregate(a, level, ec, pos)
    ec.aggs.append(a)
    return a


_HYPOTHETICAL = {"rank": 20, "dense_rank": 20, "percent_rank": 701, "cume_dist": 701}


def _require_ordering(e: Expr, pos: int | None) -> None:
    """An aggregate's ORDER BY needs the type's btree "<" (xml has none)."""
    t = types.TYPES.get(e.type_oid)
    if t is None or t.category in ("A", "C", "P") or e.type_oid >= 16384:
        return
    try:
        if t.category == "G":
            raise PgError("42883", "no ordering")
        resolve_operator("<", e.type_oid, e.type_oid)
    except PgError:
        raise PgError("42883", f"could not identify an ordering operator for type "
                      f"{type_name(e.type_oid)}", hint="Use an explicit ordering operator or "
                      "modify the query.", position=pos) from None


def _ordered_set_aggregate(name: str, body: dict, raw_args: list, ec: ExprContext,
                           inner: ExprContext, pos: int | None) -> Expr:
    """agg(direct args) WITHIN GROUP (ORDER BY aggregated args): ordered-set aggregates
    (percentile_cont/disc, mode) and hypothetical-set aggregates (rank, dense_rank,
    percent_rank, cume_dist)."""
    from tuskdb.sql.analyze.resolve import aggregates
    direct = [transform(a, inner) for a in raw_args]
    order = []
    for sb_node in body.get("agg_order") or []:
        sb = sb_node["SortBy"]
        e = transform(sb["node"], inner)
        from tuskdb.sql.analyze.select import sortby_desc
        desc = sortby_desc(e, sb, ec.state)
        nulls = sb.get("sortby_nulls", "SORTBY_NULLS_DEFAULT")
        nf = desc if nulls == "SORTBY_NULLS_DEFAULT" else nulls == "SORTBY_NULLS_FIRST"
        order.append([e, desc, nf])
    filt = None
    if body.get("agg_filter") is not None:
        filt = require_bool(transform(body["agg_filter"], inner), "FILTER")
    if name in _HYPOTHETICAL:
        if len(direct) != len(order):
            shown = [a.type_oid for a in direct] + [o[0].type_oid for o in order]
            raise PgError(UNDEFINED_FUNCTION, f"function {name}"
                          f"({', '.join(type_name(t) for t in shown)}) does not exist",
                          position=pos, hint=f"To use the hypothetical-set aggregate {name}, "
                          f"the number of hypothetical direct arguments (here {len(direct)}) "
                          f"must match the number of ordering columns (here {len(order)}).")
        for i, o in enumerate(order):
            t = select_common_type([direct[i], o[0]], "WITHIN GROUP", pos or -1)
            direct[i] = coerce_to(direct[i], t, location=pos or -1, ctx=_tctx(ec))
            o[0] = coerce_to(o[0], t, location=pos or -1, ctx=_tctx(ec))
        agg = _hypothetical(name, [o[0].type_oid for o in order],
                            [(o[1], o[2]) for o in order])
        ret = agg.ret_type
    else:
        for o in order:
            if o[0].type_oid == UNKNOWN:
                o[0] = coerce_to(o[0], 25)
        argtypes = [a.type_oid for a in direct] + [o[0].type_oid for o in order]
        cands = [a for a in aggregates(name) if getattr(a, "kind", "n") == "o"]
        agg = resolve_aggregate(name, argtypes, pos) if cands else None
        if agg is None or getattr(agg, "kind", "n") != "o":
            raise _function_error_for(name, argtypes, pos)
        nd = agg.num_direct
        direct = [coerce_to(a, t, location=pos or -1, ctx=_tctx(ec))
                  for a, t in zip(direct, agg.arg_types[:nd])]
        for o, t in zip(order, agg.arg_types[nd:]):
            o[0] = coerce_to(o[0], t, location=pos or -1, ctx=_tctx(ec))
        ret = agg.ret_type
        if ret in POLY_RESULTS:
            ret = order[0][0].type_oid if order else ret
    a = Agg(agg, [o[0] for o in order], ret, filter=filt,
            order_by=[(o[0], o[1], o[2]) for o in order])
    a.direct = direct
    ec.aggs.append(a)
    return a


def _function_error_for(name: str, argtypes: list[int], pos: Any) -> PgError:
    from tuskdb.sql.analyze.resolve import _function_error
    return _function_error(name, argtypes, "none", pos if pos is not None else -1)


def _hypothetical(name: str, argtypes: list[int], flags: list[tuple[bool, bool]]) -> Any:
    """rank/dense_rank/percent_rank/cume_dist of a hypothetical row among the group's
    rows, in the WITHIN GROUP order."""
    from tuskdb.types.aggregates import Aggregate
    from tuskdb.types.arrays import elem_cmp

    def cmp(row: tuple, hyp: tuple) -> int:
        for v, h, (desc, nf) in zip(row, hyp, flags):
            if v is None or h is None:
                if v is None and h is None:
                    continue
                c = -1 if (v is None) == nf else 1
                return c
            c = elem_cmp(v, h)
            if c:
                return -c if desc else c
        return 0

    def trans(s: list, *vals: Any) -> list:
        s.append(vals)
        return s

    def final(s: list, *hyp: Any) -> Any:
        n = len(s)
        before = sum(1 for r in s if cmp(r, hyp) < 0)
        if name == "rank":
            return before + 1
        if name == "dense_rank":
            distinct = []
            for r in s:
                if cmp(r, hyp) < 0 and not any(cmp(r, d) == 0 for d in distinct):
                    distinct.append(r)
            return len(distinct) + 1
        if name == "percent_rank":
            return before / n if n else 0.0
        upto = sum(1 for r in s if cmp(r, hyp) <= 0)
        return (upto + 1) / (n + 1)
    return Aggregate(0, name, tuple(argtypes), _HYPOTHETICAL[name], 2281, list, trans, final,
                     None, False, 0, "h", len(argtypes))


def array_expr(body: dict, ec: ExprContext, target: int = 0) -> Expr:
    """ARRAY[...]: elements coerced to their common type (or the cast's element type)."""
    elems_raw = body.get("elements") or []
    pos = ec.state.pos(body.get("location"))
    elem_target = 0
    if target:
        tt = types.TYPES.get(target)
        elem_target = tt.elem_oid if tt is not None else 0
    elems = []
    for r in elems_raw:
        if "A_ArrayExpr" in r:
            elems.append(array_expr(r["A_ArrayExpr"], ec, target))
        else:
            elems.append(transform(r, ec))
    if not elems:
        if not target:
            raise PgError(INDETERMINATE_DATATYPE, "cannot determine type of empty array",
                          position=pos, hint="Explicitly cast to the desired type, for example "
                          "ARRAY[]::integer[].")
        return Const(types.Array(()), target)
    # ARRAY[[...], [...]]: the inner ARRAYs (folded to constants or not) nest
    nested = all("A_ArrayExpr" in r for r in elems_raw) or \
        all(isinstance(e, Func) and e.name == "array" for e in elems)
    if elem_target and not nested:
        et = elem_target
    else:
        et = select_common_type(elems, "ARRAY", pos)
    if nested:
        arr_t = et
        elems = [coerce_to(e, arr_t) for e in elems]
        return Func(_array_nest, elems, arr_t, strict=False, name="array")
    t = types.TYPES.get(et)
    if t is None or not t.array_oid:
        raise PgError("42704", f"could not find array type for data type {type_name(et)}",
                      position=pos)
    # under a cast (ARRAY[...]::t[]) the elements are cast explicitly, as PostgreSQL does
    how = "e" if elem_target and not nested else "i"
    elems = [coerce_to(e, et, context=how, ctx=_tctx(ec)) for e in elems]
    return _fold(Func(_array_build, elems, t.array_oid, strict=False, name="array"))


def _array_build(*vals: Any) -> Any:
    return types.Array(vals)


def _array_nest(*subs: Any) -> Any:
    subs = [a if a is not None else types.Array(()) for a in subs]
    if not subs or all(len(a.items) == 0 for a in subs):
        return types.Array(())
    inner = subs[0].dims
    for a in subs:
        if a.dims != inner:
            raise PgError("2202E", "multidimensional arrays must have array expressions with "
                          "matching dimensions")
    items = tuple(x for a in subs for x in a.items)
    return types.Array(items, 1, (len(subs),) + tuple(inner), (1,) + tuple(subs[0].lbounds))


def _case(body: dict, ec: ExprContext) -> Expr:
    arg = transform(body["arg"], ec) if body.get("arg") is not None else None
    conds, results = [], []
    for w in body["args"]:
        cw = w["CaseWhen"]
        if arg is not None:
            c = make_op("=", arg, transform(cw["expr"], ec), ec, cw.get("location", -1))
        else:
            c = require_bool(transform(cw["expr"], ec), "CASE/WHEN")
        conds.append(c)
        results.append(transform(cw["result"], ec))
    default = transform(body["defresult"], ec) if body.get("defresult") is not None else None
    allres = results + ([default] if default is not None else [])
    rtype = select_common_type(allres, "CASE", ec.state.pos(body.get("location")))
    results = [coerce_to(r, rtype) for r in results]
    if default is not None:
        default = coerce_to(default, rtype)
    out = Case(list(zip(conds, results)), default, rtype)
    if arg is not None:
        out.case_arg = arg      # CASE x WHEN v ...: deparsed as written
    return out


def _coalesce(body: dict, ec: ExprContext) -> Expr:
    args = [transform(a, ec) for a in body["args"]]
    t = select_common_type(args, "COALESCE", ec.state.pos(body.get("location")))
    return Coalesce([coerce_to(a, t) for a in args], t)


def _min_max(body: dict, ec: ExprContext) -> Expr:
    args = [transform(a, ec) for a in body["args"]]
    greatest = body["op"] == "IS_GREATEST"
    what = "GREATEST" if greatest else "LEAST"
    t = select_common_type(args, what, ec.state.pos(body.get("location")))
    args = [coerce_to(a, t) for a in args]
    tt = types.TYPES.get(t)
    if tt is not None and tt.category == "G":       # no default btree operator class
        raise PgError("42883", f"could not identify a comparison function for type "
                      f"{type_name(t)}")
    lt = _plain_op(resolve_operator("<", t, t), ec)
    return MinMax(args, greatest, t, lt=lt)


REGCLASS = 2205
REGPROC = 24


def _regproc_const(c: dict, ec: ExprContext) -> Expr:
    """'name'::regproc: the one function of that name, looked up now (regprocin)."""
    from tuskdb.sql.analyze.regproc import regproc_lookup
    st = ec.state
    text = c["sval"]["sval"]
    if st.lift is not None and id(c) in st.lift:
        st.structural[st.lift[id(c)]] = text
    try:
        return Const(regproc_lookup(st.session, text), REGPROC)
    except PgError as err:
        err.position = st.pos(c.get("location"))
        raise


def _regclass_const(c: dict, ec: ExprContext, pos: int | None = None) -> Expr:
    """'name'::regclass: the relation's OID, looked up now (regclassin)."""
    from tuskdb.sql.commands.sequence import _parse_name

    st = ec.state
    text = c["sval"]["sval"]
    if st.lift is not None and id(c) in st.lift:
        st.structural[st.lift[id(c)]] = text
    if pos is None:
        pos = st.pos(c.get("location"))
    if text.isdigit():
        return Const(int(text), REGCLASS)
    parts = _parse_name(text)
    cat = st.catalog
    if len(parts) > 1:
        nsp = cat.namespace_oid(parts[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{parts[-2]}" does not exist', position=pos)
        oid = cat.relation_oid(nsp, parts[-1])
    else:
        oid = None
        for nsp in st.session.search_path_oids(cat):
            oid = cat.relation_oid(nsp, parts[-1])
            if oid is not None:
                break
    if oid is None:
        raise PgError("42P01", f'relation "{text}" does not exist', position=pos)
    st.relations.add(oid)
    return Const(oid, REGCLASS)


def _sql_value_function(body: dict, ec: ExprContext) -> Expr:
    op = body["op"]
    from tuskdb.types.dtfuncs import SQL_VALUE_FUNCTIONS
    svf = {"SVFOP_CURRENT_DATE": "current_date", "SVFOP_CURRENT_TIME": "current_time",
           "SVFOP_CURRENT_TIME_N": "current_time", "SVFOP_CURRENT_TIMESTAMP": "current_timestamp",
           "SVFOP_CURRENT_TIMESTAMP_N": "current_timestamp", "SVFOP_LOCALTIME": "localtime",
           "SVFOP_LOCALTIME_N": "localtime", "SVFOP_LOCALTIMESTAMP": "localtimestamp",
           "SVFOP_LOCALTIMESTAMP_N": "localtimestamp"}.get(op)
    # CURRENT_TIME(0) and the like: the parse tree leaves a zero precision out
    typmod = body.get("typmod", 0 if op.endswith("_N") else -1)
    if svf is not None and svf in SQL_VALUE_FUNCTIONS:
        rtype, fn = SQL_VALUE_FUNCTIONS[svf]
        ec.state.has_mutable = True
        e = Func(lambda ctx, _f=fn, _m=typmod: _f(ctx.types, _m), [], rtype, typmod,
                 name=svf, needs_ctx=True)
        e.svf = (op, typmod)    # deparsed as written (CURRENT_TIME(2), ...)
        return e
    mapping = {
        "SVFOP_CURRENT_DATE": "current_date", "SVFOP_CURRENT_TIMESTAMP": "now",
        "SVFOP_LOCALTIMESTAMP": "localtimestamp", "SVFOP_CURRENT_TIME": "current_time",
        "SVFOP_LOCALTIME": "localtime", "SVFOP_CURRENT_USER": "current_user",
        "SVFOP_CURRENT_ROLE": "current_user", "SVFOP_SESSION_USER": "session_user",
        "SVFOP_USER": "current_user", "SVFOP_CURRENT_CATALOG": "current_database",
        "SVFOP_CURRENT_SCHEMA": "current_schema",
    }
    name = mapping.get(op)
    if name is None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"{op} is not supported")
    special = _SPECIAL_FUNCS.get(name)
    if special is not None:
        e = special([], ec, None)
    else:
        fn, _ = resolve_function(name, [])
        e = Func(types_func(fn), [], fn.ret_type, name=name,
                 needs_ctx=getattr(fn, "needs_ctx", False),
                 volatile=getattr(fn, "volatility", "i") == "v")
    if isinstance(e, Func):
        e.svf = (op, typmod)
    return e


def _plain_op(op: Any, ec: ExprContext) -> Any:
    """An operator's function as a plain two-argument callable (for IN lists, ANY, ...);
    one that needs the session context gets the session's TypeContext bound now."""
    if getattr(op, "needs_ctx", False):
        f = op.func
        tctx = _tctx(ec) or types.DEFAULT_CONTEXT
        return lambda a, b: f(tctx, a, b)
    return op.func


def types_func(fn: Any) -> Any:
    """The callable of a types-layer function; context functions get the TypeContext."""
    f = fn.func
    if getattr(fn, "exec_ctx", False):       # user-defined operators: the ExecContext
        return f
    if getattr(fn, "needs_ctx", False):
        return lambda ectx, *a: f(ectx.types, *a)
    return f


# expression kinds that may not contain a subquery (PostgreSQL's transformSubLink)
NO_SUBLINK = {"column generation expressions": "column generation expression",
              "check constraints": "check constraint",
              "DEFAULT expressions": "DEFAULT expression",
              "index expressions": "index expression",
              "index predicates": "index predicate",
              "COPY FROM WHERE conditions": "COPY FROM WHERE condition",
              "transform expressions": "transform expression"}


def _noted_raw(e: Expr, body: dict) -> Expr:
    """A subquery keeps its raw form: pg_get_viewdef prints its FROM clause as written."""
    if isinstance(e, SubLink):
        e.raw = body
    return e


def _sub_link(body: dict, ec: ExprContext) -> Expr:
    from tuskdb.sql.analyze.select import analyze_subquery

    kind = body["subLinkType"]
    loc = ec.state.pos(body.get("location"))
    if ec.kind in NO_SUBLINK:
        raise PgError(FEATURE_NOT_SUPPORTED, f"cannot use subquery in {NO_SUBLINK[ec.kind]}",
                      position=loc)
    sub, correlated = analyze_subquery(body["subselect"], ec)
    if kind == "EXISTS_SUBLINK":
        return SubLink("EXISTS", sub, correlated=correlated)
    if kind == "ARRAY_SUBLINK":
        if len(sub.output) != 1:
            raise PgError(SYNTAX_ERROR, "subquery must return only one column", position=loc)
        t = types.TYPES.get(sub.output[0][1])
        if t is None or not t.array_oid:
            raise PgError("42704", f"could not find array type for data type "
                          f"{type_name(sub.output[0][1])}", position=loc)
        return SubLink("ARRAY", sub, type_oid=t.array_oid, correlated=correlated)
    if kind == "EXPR_SUBLINK":
        if len(sub.output) != 1:
            raise PgError(SYNTAX_ERROR, "subquery must return only one column", position=loc)
        t = sub.output[0][1]
        return SubLink("EXPR", sub, type_oid=t, correlated=correlated)
    if kind in ("ANY_SUBLINK", "ALL_SUBLINK"):
        te = body.get("testexpr") or {}
        if "RowExpr" in te and len(sub.output) > 1:
            from tuskdb.sql.analyze.rowtypes import row_sublink
            return row_sublink(kind, sub, te["RowExpr"], body, ec, loc, correlated)
        if len(sub.output) != 1:
            raise PgError(SYNTAX_ERROR, "subquery has too many columns", position=loc)
        test = transform(body["testexpr"], ec)
        opname = _op_name(body["operName"]) if body.get("operName") else "="
        sub_t = sub.output[0][1]
        probe = Var(("sub", 0), 0, sub_t)
        op = make_op(opname, test, probe, ec, body.get("location", -1))
        if not isinstance(op, Func) or len(op.args) != 2:
            raise PgError(DATATYPE_MISMATCH, "unsupported subquery comparison", position=loc)
        fn = op.fn
        if op.needs_ctx:
            # the executor passes its context to functions that take it (sublink.py)
            def fn(ctx: Any, a: Any, b: Any, _f: Any = op.fn) -> Any:
                return _f(ctx, a, b)
            fn.needs_ctx = True
        link = SubLink("ANY" if kind == "ANY_SUBLINK" else "ALL", sub, test=op.args[0],
                       op=(fn, op.args[1]), correlated=correlated)
        # a user-defined operator is not hashed as equality of values
        link.opname = op.name if not getattr(getattr(op, "op", None), "exec_ctx", False) \
            else None
        return link
    raise PgError(FEATURE_NOT_SUPPORTED, f"{kind} is not supported", position=loc)


def _special_current_schema(args: list, ec: ExprContext, pos: Any) -> Expr:
    return Func(lambda ctx: ctx.session.current_schema(), [], 19, name="current_schema",
                needs_ctx=True)


def _special_user(args: list, ec: ExprContext, pos: Any) -> Expr:
    return Func(lambda ctx: ctx.session.user, [], 19, name="current_user", needs_ctx=True)


def _special_session_user(args: list, ec: ExprContext, pos: Any) -> Expr:
    return Func(lambda ctx: ctx.session.session_user, [], 19, name="session_user",
                needs_ctx=True)


def _special_database(args: list, ec: ExprContext, pos: Any) -> Expr:
    return Func(lambda ctx: ctx.session.dbname, [], 19, name="current_database",
                needs_ctx=True)


def _regclass_arg(e: Expr, ec: ExprContext) -> Expr:
    """A string-literal argument of a regclass parameter is looked up now, as PostgreSQL
    coerces it to regclass during analysis."""
    if e.type_oid == UNKNOWN and isinstance(e, (Const, Literal)):
        value = e.value if isinstance(e, Const) else getattr(e, "value", None)
        if value is not None:
            c = {"sval": {"sval": value}}
            if isinstance(e, Literal):
                ec.state.structural[e.slot] = value
            return _regclass_const(c, ec, e.location if e.location >= 0 else None)
    return e


TS_REG_TYPES = (3734, 3769)     # regconfig, regdictionary


def _function_style_cast(name: str, names: list, args: list[Expr], raw_args: list,
                         ec: ExprContext, pos: Any) -> Expr | None:
    """typename(arg) with no function of exactly that argument type is a cast, as in
    PostgreSQL's func_get_detail: always for an untyped literal, otherwise when the
    conversion is binary-coercible or goes through text I/O."""
    if len(args) != 1 or len(names) > 2 or any("NamedArgExpr" in r for r in raw_args):
        return None
    from tuskdb.types.registry import _BY_NAME
    t = _BY_NAME.get(name)
    if t is None or t.typtype == "p":
        return None
    src = args[0].type_oid
    from tuskdb.types.builtins import FUNCTIONS_BY_NAME
    if any(f.arg_types == (src,) for f in FUNCTIONS_BY_NAME.get(name, ())):
        return None
    if src == UNKNOWN:
        if not isinstance(args[0], (Const, Literal)):
            return None
    elif src != t.oid:
        cast = types.find_cast(src, t.oid)
        if cast is None or not (cast.func is None or cast.method == "i"):
            return None
        st = types.TYPES.get(src)
        if cast.method == "i" and st is not None and st.oid == 2249 and t.category == "S":
            return None
    return coerce_to(args[0], t.oid, -1, "e", location=pos if isinstance(pos, int) else -1,
                     ctx=_tctx(ec))


def _ts_reg_const(c: dict, type_oid: int, ec: ExprContext, pos: int | None = None) -> Expr:
    """'english'::regconfig: the text search object's OID, looked up now."""
    from tuskdb.sql.analyze.ts_sysfuncs import ts_name_lookup
    st = ec.state
    text = c["sval"]["sval"]
    if st.lift is not None and id(c) in st.lift:
        st.structural[st.lift[id(c)]] = text
    if pos is None:
        pos = st.pos(c.get("location"))
    try:
        return Const(ts_name_lookup(st.session, st.catalog, type_oid, text), type_oid)
    except PgError as err:
        if err.position is None:
            err.position = pos
        raise


def _ts_reg_arg(e: Expr, type_oid: int, ec: ExprContext) -> Expr:
    if e.type_oid == UNKNOWN and isinstance(e, (Const, Literal)):
        value = e.value if isinstance(e, Const) else getattr(e, "value", None)
        if value is not None:
            c = {"sval": {"sval": value}}
            if isinstance(e, Literal):
                ec.state.structural[e.slot] = value
            return _ts_reg_const(c, type_oid, ec, e.location if e.location >= 0 else None)
    return e


def _special_nextval(args: list, ec: ExprContext, pos: Any) -> Expr:
    if len(args) != 1:
        raise PgError("42883", "function nextval does not exist", position=pos)
    args = [_regclass_arg(args[0], ec)]
    a = coerce_to(args[0], 25) if args[0].type_oid in (UNKNOWN, 1043) else args[0]
    if a.type_oid not in (25, REGCLASS, 26, 23, 20):
        raise PgError("42883", f"function nextval({type_name(a.type_oid)}) does not exist",
                      position=pos, hint="No function matches the given name and argument "
                      "types. You might need to add explicit type casts.")
    ec.state.has_volatile = True
    ec.state.has_mutable = True
    return Func(lambda ctx, name: ctx.session.nextval(name), [a], 20, name="nextval",
                needs_ctx=True, volatile=True)


def _special_currval(args: list, ec: ExprContext, pos: Any) -> Expr:
    args = [_regclass_arg(args[0], ec)] + args[1:]
    a = coerce_to(args[0], 25) if args[0].type_oid in (UNKNOWN, 1043) else args[0]
    return Func(lambda ctx, name: ctx.session.currval(name), [a], 20, name="currval",
                needs_ctx=True, volatile=True)


def _special_setval(args: list, ec: ExprContext, pos: Any) -> Expr:
    if len(args) not in (2, 3):
        raise PgError("42883", "function setval does not exist", position=pos)
    args = [_regclass_arg(args[0], ec)] + args[1:]
    a = [coerce_to(args[0], 25) if args[0].type_oid in (UNKNOWN, 1043) else args[0],
         coerce_to(args[1], 20)]
    if len(args) == 3:
        a.append(coerce_to(args[2], 16))
    return Func(lambda ctx, name, v, called=True: ctx.session.setval(name, v, called), a, 20,
                name="setval", needs_ctx=True, volatile=True)


def _special_version(args: list, ec: ExprContext, pos: Any) -> Expr:
    return Func(lambda ctx: ctx.session.version_string(), [], 25, name="version",
                needs_ctx=True)


def _special_current_setting(args: list, ec: ExprContext, pos: Any) -> Expr:
    a = [coerce_to(x, 25) for x in args[:1]]
    if len(args) == 2:
        a.append(coerce_to(args[1], 16))
    return Func(lambda ctx, name, missing_ok=False: ctx.session.current_setting(name,
                                                                               missing_ok),
                a, 25, name="current_setting", needs_ctx=True, volatile=True)


def _special_pg_backend_pid(args: list, ec: ExprContext, pos: Any) -> Expr:
    return Func(lambda ctx: ctx.session.pid, [], 23, name="pg_backend_pid", needs_ctx=True)


def _special_pg_typeof(args: list, ec: ExprContext, pos: Any) -> Expr:
    if len(args) != 1:
        raise PgError("42883", "function pg_typeof does not exist", position=pos)
    t = args[0].type_oid
    return Const(t, 2206)


def _special_current_schemas(args: list, ec: ExprContext, pos: Any) -> Expr:
    if len(args) != 1:
        raise PgError("42883", "function current_schemas does not exist", position=pos)
    a = coerce_to(args[0], 16)

    def current_schemas(ctx: Any, implicit: bool) -> Any:
        s = ctx.session
        cat = s.catalog()
        names = [] if not implicit else ["pg_catalog"]
        for n in s.search_path_names():
            if cat.namespace_oid(n) is not None and n not in names:
                names.append(n)
        return types.Array(names)
    return Func(current_schemas, [a], 1003, name="current_schemas", needs_ctx=True)


def _special_lastval(args: list, ec: ExprContext, pos: Any) -> Expr:
    return Func(lambda ctx: ctx.session.lastval(), [], 20, name="lastval", needs_ctx=True,
                volatile=True)


def _special_pg_get_serial_sequence(args: list, ec: ExprContext, pos: Any) -> Expr:
    a = [coerce_to(x, 25) for x in args]
    return Func(lambda ctx, t, c: ctx.session.pg_get_serial_sequence(t, c), a, 25,
                name="pg_get_serial_sequence", needs_ctx=True)


def _special_set_config(args: list, ec: ExprContext, pos: Any) -> Expr:
    if len(args) != 3:
        raise PgError("42883", "function set_config does not exist", position=pos)
    a = [coerce_to(args[0], 25), coerce_to(args[1], 25), coerce_to(args[2], 16)]
    return Func(lambda ctx, n, v, local: ctx.session.set_config(n, v, local), a, 25,
                name="set_config", needs_ctx=True, volatile=True, strict=False)


def _jsonpopulate_names() -> frozenset:
    return _JSONPOPULATE


_JSONPOPULATE = frozenset(("json_populate_record", "jsonb_populate_record",
                           "json_populate_recordset", "jsonb_populate_recordset",
                           "jsonb_populate_record_valid", "json_to_record", "jsonb_to_record",
                           "json_to_recordset", "jsonb_to_recordset", "json_build_object",
                           "array_to_json", "row_to_json",
                           "jsonb_build_object", "json_build_array", "jsonb_build_array",
                           "to_json", "to_jsonb"))


_SPECIAL_FUNCS = {
    "pg_typeof": _special_pg_typeof, "current_schemas": _special_current_schemas,
    "lastval": _special_lastval, "pg_get_serial_sequence": _special_pg_get_serial_sequence,
    "set_config": _special_set_config,
    "current_schema": _special_current_schema, "current_user": _special_user,
    "session_user": _special_session_user, "current_database": _special_database,
    "nextval": _special_nextval, "currval": _special_currval, "setval": _special_setval,
    "version": _special_version, "current_setting": _special_current_setting,
    "pg_backend_pid": _special_pg_backend_pid,
}


def _field_store_marker(body: dict, ec: ExprContext) -> Expr:
    from tuskdb.sql.analyze.rowtypes import transform_field_store_marker
    return transform_field_store_marker(body, ec)


def _row_expr(body: dict, ec: ExprContext) -> Expr:
    from tuskdb.sql.analyze.rowtypes import transform_row
    return transform_row(body, ec)


def _register_usertype_funcs() -> None:
    from tuskdb.sql.analyze import enumfuncs
    _SPECIAL_FUNCS.update(enumfuncs.SPECIAL_FUNCS)


_register_usertype_funcs()


# collations that order strings by code point, which is how TuskDB compares text
C_COLLATIONS = frozenset(("C", "POSIX", "default", "ucs_basic", "C.utf8", "C.UTF-8",
                          "pg_c_utf8"))


def check_collation(names: list[str], pos: int | None) -> None:
    name = names[-1]
    if name in C_COLLATIONS:
        return
    raise PgError(FEATURE_NOT_SUPPORTED, f'collation "{name}" is not supported (only C '
                  f"collations)", position=pos)


def _collate(body: dict, ec: ExprContext) -> Expr:
    names = [n["String"]["sval"] for n in body["collname"]]
    check_collation(names, ec.state.pos(body.get("location")))
    arg = transform(body["arg"], ec)
    if arg.type_oid == UNKNOWN:
        arg = coerce_to(arg, 25)
    t = types.TYPES.get(arg.type_oid)
    if t is not None and t.category != "S":
        raise PgError("42804", f"collations are not supported by type {type_name(arg.type_oid)}",
                      position=ec.state.pos(body.get("location")))
    return arg


def _indirection(body: dict, ec: ExprContext) -> Expr:
    """Array subscripts and slices: arr[i], arr[i][j], arr[lo:hi]."""
    arg = transform(body["arg"], ec)
    pos = ec.state.pos(body.get("location"))
    if pos is None:
        inner = next(iter(body["arg"].values()))
        pos = ec.state.pos(inner.get("location")) if isinstance(inner, dict) else None
    subs = body.get("indirection") or []
    if any("A_Indices" not in x for x in subs):
        from tuskdb.sql.analyze.rowtypes import select_field
        # field selection, possibly mixed with subscripts: apply them in order
        i = 0
        while i < len(subs):
            x = subs[i]
            if "String" in x:
                arg = select_field(arg, x["String"]["sval"], pos)
                i += 1
            elif "A_Star" in x:
                raise PgError(SYNTAX_ERROR, "row expansion via \"*\" is not supported here",
                              position=pos)
            else:
                j = i
                while j < len(subs) and "A_Indices" in subs[j]:
                    j += 1
                arg = _subscripts(arg, subs[i:j], ec, pos)
                i = j
        return arg
    return _subscripts(arg, subs, ec, pos)


def jsonb_subscript_exprs(subs: list, ec: ExprContext) -> list[Expr]:
    """The subscripts of a jsonb value as text (jsonb_subscript_transform): an integer
    subscript is used as its text, an unknown literal as text."""
    out = []
    for x in subs:
        ind = x["A_Indices"]
        if ind.get("is_slice"):
            node = ind.get("uidx") or ind.get("lidx")
            loc = None
            if node is not None:
                loc = ec.state.pos(next(iter(node.values())).get("location"))
            raise PgError(DATATYPE_MISMATCH, "jsonb subscript does not support slices",
                          position=loc)
        node = ind["uidx"]
        e = transform(node, ec)
        if e.type_oid == UNKNOWN:
            e = coerce_to(e, 25)
        elif e.type_oid != 25:
            from tuskdb.sql.analyze.coerce import can_coerce
            if can_coerce(e.type_oid, 23, "i"):
                e = coerce_to(e, 23)
            elif can_coerce(e.type_oid, 25, "i"):
                e = coerce_to(e, 25)
            else:
                raise PgError(DATATYPE_MISMATCH, f"subscript type {type_name(e.type_oid)} is "
                              "not supported", hint="jsonb subscript must be coercible to "
                              "either integer or text.",
                              position=ec.state.pos(next(iter(node.values())).get("location")))
        out.append(e)
    return out


def _jsonb_subscript(arg: Expr, subs: list, ec: ExprContext) -> Expr:
    from tuskdb.types.jsonfuncs import jsonb_subscript_fetch
    idx = jsonb_subscript_exprs(subs, ec)

    def fetch(j: Any, *path: Any) -> Any:
        return jsonb_subscript_fetch(j, [None if p is None else str(p) for p in path])
    return Func(fetch, [arg, *idx], 3802, strict=False, name="subscript")


def _subscripts(arg: Expr, subs: list, ec: ExprContext, pos: Any) -> Expr:
    if arg.type_oid == 3802:
        return _jsonb_subscript(arg, subs, ec)
    t = types.TYPES.get(arg.type_oid)
    if t is not None and t.elem_oid and t.typlen > 0 and t.category != "A":
        return _fixed_length_subscript(arg, t, subs, ec, pos)
    if arg.type_oid == UNKNOWN or t is None or not t.elem_oid or t.category != "A":
        from tuskdb.errors import DATATYPE_MISMATCH as _DM
        raise PgError(_DM, f"cannot subscript type {type_name(arg.type_oid)} because it does "
                      f"not support subscripting", position=pos)
    slice_ = any(x["A_Indices"].get("is_slice") for x in subs)
    bounds = []
    for x in subs:
        ind = x["A_Indices"]
        lo = ind.get("lidx")
        hi = ind.get("uidx")
        lo_e = coerce_to(transform(lo, ec), 23) if lo is not None else None
        hi_e = coerce_to(transform(hi, ec), 23) if hi is not None else None
        if not ind.get("is_slice"):
            lo_e = hi_e if slice_ else None
        bounds.append((lo_e, hi_e))
    exprs = [arg]
    layout = []
    for lo_e, hi_e in bounds:
        layout.append((lo_e is not None, hi_e is not None))
        if lo_e is not None:
            exprs.append(lo_e)
        if hi_e is not None:
            exprs.append(hi_e)
    fn = _array_slice(layout) if slice_ else _array_subscript(len(bounds))
    out = Func(fn, exprs, arg.type_oid if slice_ else t.elem_oid, strict=False,
               name="subscript")
    out.subscripts = (bounds, slice_)       # for the deparser: a[i] / a[lo:hi]
    return out


def _fixed_length_subscript(arg: Expr, t: Any, subs: list, ec: ExprContext,
                             pos: int | None) -> Expr:
    """point[0], lseg[1], box[0], line[2]: fixed-length types subscripted from 0."""
    from tuskdb.types.geo import fixed_subscript
    if any(x["A_Indices"].get("is_slice") for x in subs):
        raise PgError(FEATURE_NOT_SUPPORTED, "slices of fixed-length arrays not implemented",
                      position=pos)
    idx = [coerce_to(transform(x["A_Indices"].get("uidx"), ec), 23) for x in subs]
    return Func(fixed_subscript, [arg, *idx], t.elem_oid, strict=False, name="subscript")


def _array_subscript(n: int) -> Any:
    def sub(arr: Any, *idx: Any) -> Any:
        if arr is None or any(i is None for i in idx):
            return None
        if len(idx) != len(arr.dims) or not arr.dims:
            return None
        off = 0
        for i, d, lb in zip(idx, arr.dims, arr.lbounds):
            k = i - lb
            if k < 0 or k >= d:
                return None
            off = off * d + k
        return arr.items[off]
    return sub


def _array_slice(layout: list[tuple[bool, bool]]) -> Any:
    def sl(arr: Any, *vals: Any) -> Any:
        if arr is None:
            return None
        it = iter(vals)
        ranges = []
        for (has_lo, has_hi), d, lb in zip(layout, arr.dims or (0,), arr.lbounds or (1,)):
            lo = next(it) if has_lo else lb
            hi = next(it) if has_hi else lb + d - 1
            if lo is None or hi is None:
                return None
            ranges.append((max(lo, lb), min(hi, lb + d - 1)))
        if len(arr.dims) != 1 or len(ranges) != 1:
            if not arr.dims:
                return types.Array(())
            raise PgError(FEATURE_NOT_SUPPORTED, "slices of multidimensional arrays are not "
                          "supported")
        lo, hi = ranges[0]
        lb = arr.lbounds[0]
        if hi < lo:
            return types.Array(())
        return types.Array(arr.items[lo - lb:hi - lb + 1])
    return sl


def _not_supported(what: str):
    def f(body: dict, ec: ExprContext) -> Expr:
        raise PgError(FEATURE_NOT_SUPPORTED, f"{what} is not supported",
                      position=ec.state.pos(body.get("location") if isinstance(body, dict)
                                            else None))
    return f


def _grouping_func(body: dict, ec: ExprContext) -> Expr:
    """GROUPING(args): resolved against the GROUP BY once it is known (analyze/grouping.py)."""
    from tuskdb.sql.analyze.grouping import GroupingFunc
    loc = ec.state.pos(body.get("location"))
    if ec.aggs is None:
        raise PgError(GROUPING_ERROR, f"grouping operations are not allowed in {ec.kind}",
                      position=loc)
    args = [transform(a, ec.with_kind(ec.kind, None)) for a in body.get("args") or []]
    if len(args) > 31:
        raise PgError("54023", "GROUPING must have fewer than 32 arguments", position=loc)
    g = GroupingFunc(args, loc)
    levels = {a.level for a in args if isinstance(a, OuterVar)}
    if args and len(levels) == 1 and all(isinstance(a, OuterVar) for a in args):
        # GROUPING of an enclosing query's columns belongs to that query level
        g.level = levels.pop()
        g.scope = ec.outer[-g.level]
        ec.state.outer_grouping.append(g)
    return g


def _merge_support_func(body: dict, ec: ExprContext) -> Expr:
    """merge_action(): 'INSERT', 'UPDATE' or 'DELETE' for the row MERGE ... RETURNING is
    returning (the executor keeps it in ctx.merge_action)."""
    if not getattr(ec.state, "merge_returning", False):
        raise PgError(SYNTAX_ERROR, "MERGE_ACTION() can only be used in the RETURNING list of "
                      "a MERGE command", position=ec.state.pos(body.get("location")))
    return Func(_merge_action, [], 25, strict=False, name="merge_action", needs_ctx=True,
                volatile=True)


def _merge_action(ctx: Any) -> Any:
    return getattr(ctx, "merge_action", None)


def _current_of(body: dict, ec: ExprContext) -> Expr:
    """WHERE CURRENT OF cursor (UPDATE/DELETE): true for the target row the cursor
    is positioned on (commands/currentof.py resolves it when the statement runs)."""
    entry = ec.scope.entries[0] if ec.scope.entries else None
    rel = entry.rel if entry is not None else None
    if rel is None or not entry.has_ctid or rel.relkind == "v":
        raise PgError(FEATURE_NOT_SUPPORTED, "WHERE CURRENT OF on a view is not implemented")
    name = body.get("cursor_name")
    if not name:
        raise PgError(FEATURE_NOT_SUPPORTED, "WHERE CURRENT OF with a cursor parameter is "
                      "not supported")
    relid, relname = rel.oid, rel.name
    from tuskdb.sql.commands.currentof import current_of_tid
    # in PL/pgSQL the name may be a cursor variable: its value names the portal
    pv = ec.state.pl_hook[0]([name], None) if ec.state.pl_hook is not None else None
    pnum = pv.number if isinstance(pv, Param) else None

    def current_of(ctx: Any, tid: Any, tableoid: Any) -> bool:
        portal = name
        if pnum is not None:
            portal = ctx.params[pnum - 1]
            if portal is None:
                raise PgError("22004", f'cursor variable "{name}" is null')
        at = current_of_tid(ctx, portal, relid, relname)
        return at is not None and at[0] == tableoid and at[1] == tid

    n = len(entry.colnames)
    f = Func(current_of, [Var(entry.rt, n, 27, -1, "ctid"),
                          Var(entry.rt, n + 1, 26, -1, "tableoid")], 16,
             strict=False, name="current_of", needs_ctx=True, volatile=True)
    # for the planner's TID scan (TID Cond: CURRENT OF name)
    f.cursor_name, f.cursor_target, f.cursor_param = name, (relid, relname), pnum
    return f


_TRANSFORMS = {
    "MergeSupportFunc": _merge_support_func,
    "CurrentOfExpr": _current_of,
    "A_Const": _a_const, "ParamRef": _param_ref, "ColumnRef": _column_ref, "A_Expr": _a_expr,
    "BoolExpr": _bool_expr, "NullTest": _null_test, "BooleanTest": _boolean_test,
    "TypeCast": _type_cast, "FuncCall": _func_call, "CaseExpr": _case,
    "CoalesceExpr": _coalesce, "MinMaxExpr": _min_max, "SQLValueFunction": _sql_value_function,
    "SubLink": lambda b, ec: _noted_raw(_sub_link(b, ec), b), "A_ArrayExpr": lambda b, ec: array_expr(b, ec),
    "RowExpr": lambda b, ec: _row_expr(b, ec),
    "A_Indirection": lambda b, ec: _indirection(b, ec),
    "_FieldStoreMarker": lambda b, ec: _field_store_marker(b, ec),
    "NamedArgExpr": lambda b, ec: transform(b["arg"], ec),
    "CollateClause": lambda b, ec: _collate(b, ec), "GroupingFunc": lambda b, ec: _grouping_func(b, ec),
    "JsonFuncExpr": lambda b, ec: _sqljson().transform_json_func_expr(b, ec),
    "JsonObjectConstructor": lambda b, ec: _sqljson().transform_json_object(b, ec),
    "JsonArrayConstructor": lambda b, ec: _sqljson().transform_json_array(b, ec),
    "JsonArrayQueryConstructor": lambda b, ec: _sqljson().transform_json_array_query(b, ec),
    "JsonParseExpr": lambda b, ec: _sqljson().transform_json_parse(b, ec),
    "JsonScalarExpr": lambda b, ec: _sqljson().transform_json_scalar(b, ec),
    "JsonSerializeExpr": lambda b, ec: _sqljson().transform_json_serialize(b, ec),
    "JsonIsPredicate": lambda b, ec: _sqljson().transform_is_json(b, ec),
    "JsonArrayAgg": lambda b, ec: _sqljson().transform_json_arrayagg(b, ec),
    "JsonObjectAgg": lambda b, ec: _sqljson().transform_json_objectagg(b, ec),
    "XmlExpr": lambda b, ec: _xmlexpr().transform_xml_expr(b, ec),
    "XmlSerialize": lambda b, ec: _xmlexpr().transform_xml_serialize(b, ec),
}


def _xmlexpr() -> Any:
    from tuskdb.sql.analyze import xmlexpr
    return xmlexpr


def _sqljson() -> Any:
    from tuskdb.sql.analyze import sqljson
    return sqljson


def finalize_unknown(expr: Expr) -> Expr:
    """An unknown-typed output column becomes text (PostgreSQL 10+)."""
    if expr.type_oid == UNKNOWN:
        return coerce_to(expr, 25)
    return expr


def check_params_resolved(state: AnalyzeState) -> None:
    for i, t in enumerate(state.param_types, start=1):
        if t in (0, UNKNOWN):
            raise PgError(INDETERMINATE_DATATYPE, f"could not determine data type of "
                          f"parameter ${i}")


__all__ = ["ExprContext", "transform", "make_op", "resolve_type_name", "const_type",
           "finalize_unknown", "check_params_resolved", "type_name"]
