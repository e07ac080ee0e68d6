"""CALL of a procedure (PostgreSQL's ExecuteCallStmt).

A procedure is a pg_proc row of prokind 'p' (CREATE PROCEDURE goes through
functioncmds.create_function).  Unlike a function, a procedure is called with
its OUT parameters too: they take part in resolution (an argument must be
written for each, usually NULL, and is never evaluated), and the call returns
one row of the OUT/INOUT parameters, filled from the first row of the body's
last statement.

    CallPlan(s, raw, param_types, param_names)   resolve + analyze the arguments
      _candidates: positional, named (=>) and default arguments, VARIADIC
      select_candidate over the written arguments (OUT ones included)
    CallPlan.run(s, params)     evaluate the input arguments, run the body
                                (SQLFunction.run_body), build the OUT row

A CALL inside a SQL function or procedure body is planned the same way with the
enclosing routine's parameters ($n and names) in scope.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.engine.results import Field, QueryResult
from tuskdb.errors import AMBIGUOUS_FUNCTION, UNDEFINED_FUNCTION, PgError

WRONG_OBJECT_TYPE = "42809"


class CallPlan:
    """One analyzed CALL statement."""

    is_call = True

    def __init__(self, s: Any, raw: Any, param_types: list[int] | None = None,
                 param_names: list[str] | None = None, func_name: str | None = None) -> None:
        from tuskdb.sql.analyze.expr import ExprContext, transform
        from tuskdb.sql.analyze.state import AnalyzeState, Scope

        self.generation = s.db.catalogs.generation
        fc = raw.body["funccall"]
        state = AnalyzeState(s.catalog(), s, list(param_types or []), None, raw.source)
        if param_names:
            state.param_names = {n: i + 1 for i, n in enumerate(param_names) if n}
            state.func_name = func_name
        names = [n["String"]["sval"] for n in fc["funcname"]]
        pos = state.pos(fc.get("location"))
        raw_args = fc.get("args") or []
        ec = ExprContext(state, Scope(), "CALL argument", None)
        args = []
        named: list[str | None] = []
        for a in raw_args:
            if "NamedArgExpr" in a:
                named.append(a["NamedArgExpr"]["name"])
                args.append(transform(a["NamedArgExpr"]["arg"], ec))
            else:
                named.append(None)
                args.append(transform(a, ec))
        self.fn, slots, declared = _resolve(s, state, names, args, named, pos)
        if func_name is not None and any(m in "ob" for _, _, m in self.fn.all_params):
            raise PgError("0A000", "calling procedures with output arguments is not "
                          "supported in SQL functions")
        self._compile(s, state, slots, declared, pos, ec)

    def _compile(self, s: Any, state: Any, slots: list, declared: list[tuple[int, str]],
                 pos: Any, ec: Any) -> None:
        from tuskdb.sql.analyze.expr import coerce_polymorphic, enforce_polymorphic
        from tuskdb.sql.expr import compile_expr
        fn = self.fn
        in_exprs, in_types = [], []
        var_pack = None
        for i, ((t, m), e) in enumerate(zip(declared, slots)):
            if m in "ibv":
                if m == "v" and var_pack is None:
                    var_pack = len(in_exprs)
                in_exprs.append(e)
                in_types.append(t)
        out_declared = [(n, t) for n, t, m in fn.all_params if m in "ob"]
        cargs, _ = coerce_polymorphic(in_exprs, tuple(in_types), 2278, pos, ec)
        actual = [a.type_oid for a in cargs]
        self.out_cols = [(n or f"column{i + 1}", enforce_polymorphic(
            actual, tuple(in_types), t, pos)[1]) for i, (n, t) in enumerate(out_declared)]
        if var_pack is not None:
            # the VARIADIC arguments reach the procedure as one array
            from tuskdb.sql.analyze.expr import Func, _array_build
            var = fn.all_params[[m for _, _, m in fn.all_params].index("v")][1]
            if len(cargs) - var_pack != 1 or cargs[var_pack].type_oid != var:
                cargs = cargs[:var_pack] + [Func(_array_build, cargs[var_pack:], var,
                                                 strict=False, name="array")]
        self.arg_fns = [compile_expr(a, {}) for a in cargs]
        self.arg_types = tuple(a.type_oid for a in cargs)
        self.fields = [Field(n, 0, 0, t, types.TYPES[t].typlen if t in types.TYPES else -1,
                             -1, 0) for n, t in self.out_cols] or None
        self.relations: list = []

    def run(self, s: Any, params: list[Any]) -> QueryResult:
        from tuskdb.engine.context import ExecContext
        ctx = ExecContext(s, s.txn, s.txn.snapshot(), params)
        args = tuple(f((), ctx) for f in self.arg_fns)
        res = self.fn.run_body(s, args, self.arg_types)
        if not self.out_cols:
            return QueryResult(tag="CALL")
        row = tuple(res.rows[0][:len(self.out_cols)]) if res is not None and res.rows else \
            (None,) * len(self.out_cols)
        if res is not None and res.fields:
            # the body's columns become values of the OUT parameters' types
            row = tuple(_cast(v, f.type_oid, t, ctx) for v, f, (_, t) in
                        zip(row, res.fields, self.out_cols))
        return QueryResult(self.fields, [row], "CALL")


def _cast(value: Any, source: int, target: int, ctx: Any) -> Any:
    if value is None or source == target:
        return value
    cast = types.find_cast(source, target)
    if cast is None or cast.func is None:
        return value
    return cast.func(value, -1, ctx.types)


def _resolve(s: Any, state: Any, names: list[str], args: list[Any],
             named: list[str | None], pos: Any) -> tuple[Any, list, list[tuple[int, str]]]:
    """The procedure a CALL names: (procedure, argument per parameter, [(declared type,
    mode)] per parameter)."""
    from tuskdb.sql.analyze.resolve import select_candidate
    from tuskdb.sql.commands.functioncmds import lookup_functions
    name = names[-1]
    nsp = None
    if len(names) > 1:
        nsp = s.catalog().namespace_oid(names[-2])
        if nsp is None:
            raise PgError("3F000", f'schema "{names[-2]}" does not exist', position=pos)
    fns = lookup_functions(s, name, nsp)
    cands = []
    for fn in fns:
        got = _match(fn, args, named, state)
        if got is not None:
            cands.append((fn, *got))
    written = [a.type_oid for a in args]

    def sig(c: Any) -> tuple:
        return tuple(t for (t, _), e in zip(c[2], c[1]) if not isinstance(e, tuple))

    def given(c: Any) -> list[int]:     # the written arguments in parameter order
        return [e.type_oid for e in c[1] if not isinstance(e, tuple)]
    if cands:
        chosen, status = select_candidate(cands, given(cands[0]), sig) if len(cands) > 1 or \
            not _fits(cands[0], given(cands[0]), sig) else (cands, "ok")
    else:
        chosen, status = [], "none"
    desc = f"{name}({', '.join(_type_name(t) for t in written)})"
    if status == "ok":
        fn, slots, declared = chosen[0]
        if fn.prokind != "p":
            raise PgError(WRONG_OBJECT_TYPE, f"{desc} is not a procedure", position=pos,
                          hint="To call a function, use SELECT.")
        return fn, _fill_defaults(slots), declared
    if status == "ambiguous":
        raise PgError(AMBIGUOUS_FUNCTION, f"procedure {desc} is not unique", position=pos,
                      hint="Could not choose a best candidate procedure. You might need to "
                           "add explicit type casts.")
    if not any(named) and _is_builtin(name, written):
        raise PgError(WRONG_OBJECT_TYPE, f"{desc} is not a procedure", position=pos,
                      hint="To call a function, use SELECT.")
    raise PgError(UNDEFINED_FUNCTION, f"procedure {desc} does not exist", position=pos,
                  hint="No procedure matches the given name and argument types. You might "
                       "need to add explicit type casts.")


def _fits(cand: Any, written: list[int], sig: Any) -> bool:
    from tuskdb.sql.analyze.resolve import _can_coerce_all
    return _can_coerce_all(written, sig(cand))


def _fill_defaults(slots: list) -> list:
    """Omitted arguments with defaults: their default expressions, analyzed."""
    from tuskdb.sql.analyze.expr import ExprContext, transform
    out = []
    for e in slots:
        if isinstance(e, tuple):
            _, tree, state = e
            e = transform(tree, ExprContext(state, _scope(), "DEFAULT", None))
        out.append(e)
    return out


def _scope() -> Any:
    from tuskdb.sql.analyze.state import Scope
    return Scope()


def _match(fn: Any, args: list[Any], named: list[str | None], state: Any
           ) -> tuple[list, list] | None:
    """Arguments laid out over ``fn``'s parameters (OUT ones included for procedures):
    (argument or ("default", tree, state) per parameter, [(type, mode)])."""
    params = fn.all_params if fn.prokind == "p" else \
        [(n, t, m) for n, t, m in fn.all_params if m in "ibv"]
    positional = [a for a, n in zip(args, named) if n is None]
    n_params = len(params)
    declared = [(t, m) for _, t, m in params]
    if params and params[-1][2] == "v" and not any(named) and len(positional) >= n_params - 1:
        # VARIADIC in expanded form: the trailing arguments are of the element type
        t = types.TYPES.get(params[-1][1])
        elem = {2277: 2283, 5078: 5077}.get(params[-1][1], t.elem_oid if t else 0)
        k = len(positional) - (n_params - 1)
        if k >= 1:
            return list(positional), declared[:-1] + [(elem, "v")] * k
    if len(args) > n_params:
        return None
    slots: list[Any] = list(positional) + [None] * (n_params - len(positional))
    for a, n in zip(args, named):
        if n is None:
            continue
        idx = next((i for i, (pn, _, _) in enumerate(params) if pn == n), None)
        if idx is None or slots[idx] is not None:
            return None
        slots[idx] = a
    in_idx = [i for i, (_, _, m) in enumerate(params) if m in "ibv"]
    ndef = len(fn.defaults)
    for i, e in enumerate(slots):
        if e is not None:
            continue
        if i not in in_idx:
            return None
        di = in_idx.index(i) - (len(in_idx) - ndef)
        if di < 0:
            return None
        slots[i] = ("default", fn.defaults[di], state)
    return slots, declared


def _is_builtin(name: str, written: list[int]) -> bool:
    """A built-in function or aggregate of that name takes these arguments."""
    from tuskdb.sql.analyze.resolve import resolve_aggregate, resolve_function
    from tuskdb.sql.analyze.expr import _SPECIAL_FUNCS
    from tuskdb.sql.analyze.sysfuncs import SYSFUNCS
    if name in SYSFUNCS or name in _SPECIAL_FUNCS:
        return True
    for f in (resolve_function, resolve_aggregate):
        try:
            f(name, written)
            return True
        except PgError:
            continue
    return False


def _type_name(t: int) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return type_name(t)


def call_stmt(s: Any, raw: Any) -> QueryResult:
    """CALL name(args) at top level."""
    return CallPlan(s, raw).run(s, [])
