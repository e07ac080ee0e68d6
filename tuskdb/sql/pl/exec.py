"""Running a compiled PL/pgSQL body (PostgreSQL's pl_exec.c).

Every SQL expression and statement of the body runs through the SQL engine:
an expression ``e`` is planned as ``SELECT e``; a variable it names becomes a
parameter ($n, in order of first mention) through the analyzer's ``pl_hook``
(PostgreSQL's parser hooks), typed as the variable is now.  A plan is kept on
its ``PLExpr`` and planned again when a referenced record changes type or the
catalogs change.

An EXCEPTION block runs in a subtransaction (``Transaction.savepoint``): an error
it catches rolls back what the block did; variables keep their values.

Errors leaving a statement get PostgreSQL's CONTEXT lines: the SQL text that
failed (``SQL statement "..."`` / ``PL/pgSQL expression "..."``, or the query
with the error position as internal query) and ``PL/pgSQL function NAME line N
at STATEMENT``.
"""

from __future__ import annotations

import json
from typing import Any

from tuskdb import types
from tuskdb.errors import FEATURE_NOT_SUPPORTED, PgError, notice
from tuskdb.sql.pl import nodes as N
from tuskdb.types.records import Record

RECORD = 2249


class _Exit(Exception):
    def __init__(self, label: str | None, is_exit: bool) -> None:
        self.label = label
        self.is_exit = is_exit


class _Return(Exception):
    pass


def _set_context(err: PgError, line: str) -> None:
    err.context = f"{err.context}\n{line}" if err.context else line


class PLExecState:
    """One call of a PL/pgSQL function (or one DO block)."""

    def __init__(self, s: Any, fn: N.PLFunction) -> None:
        self.s = s
        self.fn = fn
        self.values: list[Any] = [None] * len(fn.datums)
        # the type of each datum's current value (records: their row type)
        self.types: list[int] = [d.type_oid for d in fn.datums]
        self.rowcount = 0
        self.retval: Any = None
        self.ret_rows: list[Any] = []
        self.stacked: list[PgError] = []
        self._casts: dict = {}

    # -- variables --------------------------------------------------------------------------

    def rec_fields(self, dno: int) -> tuple[list[str], list[int]]:
        d = self.fn.datums[dno]
        v = self.values[dno]
        if isinstance(v, Record) and v.names is not None:
            return list(v.names), list(v.type_oids)
        from tuskdb.sql.analyze.rowtypes import composite_fields
        cf = composite_fields(d.type_oid) if d.type_oid != RECORD else None
        if cf is not None:
            return [f[0] for f in cf], [f[1] for f in cf]
        if isinstance(v, Record):
            return [f"f{i + 1}" for i in range(len(v))], list(v.type_oids)
        raise PgError("55000", f'record "{d.name}" is not assigned yet',
                      detail="The tuple structure of a not-yet-assigned record is "
                             "indeterminate.")

    def datum_ref(self, dno: int, fieldname: str | None) -> tuple[int, int, Any]:
        """(type, typmod, getter) of a variable or record field as a parameter."""
        d = self.fn.datums[dno]
        if fieldname is None:
            if d.kind == "rec":
                t = d.type_oid
                return t, -1, lambda st: st.values[dno]
            return self.types[dno] or 25, d.typmod, lambda st: st.values[dno]
        names, ftypes = self.rec_fields(dno)
        if fieldname not in names:
            raise PgError("42703", f'record "{d.name}" has no field "{fieldname}"')
        i = names.index(fieldname)

        def get(st: PLExecState) -> Any:
            v = st.values[dno]
            return None if v is None else v.values[i]
        return ftypes[i], -1, get

    def assign(self, target: Any, value: Any, vtype: int) -> None:
        kind = target[0]
        if kind == "var":
            dno = target[1]
            d = self.fn.datums[dno]
            if d.kind == "rec":
                self.assign_row(dno, value, vtype)
                return
            if d.type_oid == 0:           # CASE's hidden variable takes any type
                self.types[dno] = vtype
                self.values[dno] = value
                return
            v = self.cast(value, vtype, self.types[dno], d.typmod)
            if v is None:
                self.check_domain_null(self.types[dno])
            if v is None and d.notnull:
                raise PgError("22004", f'null value cannot be assigned to variable "{d.name}" '
                              f'declared NOT NULL')
            self.values[dno] = v
            return
        if kind == "field":
            dno, fname = target[1], target[2]
            d = self.fn.datums[dno]
            names, ftypes = self.rec_fields(dno)
            if fname not in names:
                raise PgError("42703", f'record "{d.name}" has no field "{fname}"')
            i = names.index(fname)
            cur = self.values[dno]
            vals = list(cur.values) if isinstance(cur, Record) else [None] * len(names)
            vals[i] = self.cast(value, vtype, ftypes[i], -1)
            self.values[dno] = Record(vals, ftypes, names)
            return
        if kind == "elem":
            from tuskdb.types.arrayassign import array_set_element
            base = target[1]
            subs = [self.eval_scalar(e, 23) for e in target[2]]
            bdno = base[1]
            d = self.fn.datums[bdno]
            if base[0] != "var":
                raise PgError(FEATURE_NOT_SUPPORTED, "assignment to an element of a record "
                              "field is not supported")
            et = types.TYPES[d.type_oid].elem_oid if d.type_oid in types.TYPES else 0
            if not et:
                raise PgError("42804", f'cannot subscript type {_type_name(d.type_oid)} '
                              f'because it does not support subscripting')
            v = self.cast(value, vtype, et, -1)
            self.values[bdno] = array_set_element(self.values[bdno], subs, v)
            return
        raise PgError("XX000", f"unknown assignment target {kind}")

    def assign_row(self, dno: int, value: Any, vtype: int) -> None:
        """A record variable takes a row value (or NULL)."""
        d = self.fn.datums[dno]
        if value is None:
            if d.type_oid != RECORD:
                from tuskdb.sql.analyze.rowtypes import composite_fields
                cf = composite_fields(d.type_oid) or ()
                self.values[dno] = Record([None] * len(cf), [f[1] for f in cf],
                                          [f[0] for f in cf])
            else:
                self.values[dno] = None
            return
        if not isinstance(value, Record):
            raise PgError("42804", "cannot assign non-composite value to a record variable")
        if d.type_oid == RECORD:
            names = value.names
            if names is None:
                from tuskdb.sql.analyze.rowtypes import composite_fields
                cf = composite_fields(vtype) if vtype != RECORD else None
                names = tuple(f[0] for f in cf) if cf else tuple(
                    f"f{i + 1}" for i in range(len(value)))
            self.values[dno] = Record(value.values, value.type_oids, names)
            return
        self.set_row(dno, list(value.values), list(value.type_oids))

    def set_row(self, dno: int, vals: list, vtypes: list[int],
                names: list[str] | None = None) -> None:
        """Fill a record from a row's columns (exec_move_row)."""
        d = self.fn.datums[dno]
        if d.type_oid == RECORD:
            self.values[dno] = Record(vals, vtypes, names or [f"f{i + 1}" for i in
                                                              range(len(vals))])
            return
        from tuskdb.sql.analyze.rowtypes import composite_fields
        cf = composite_fields(d.type_oid) or ()
        out = []
        for i, (fname, ft, fm) in enumerate(cf):
            if i < len(vals):
                out.append(self.cast(vals[i], vtypes[i], ft, fm))
            else:
                out.append(None)
        self.values[dno] = Record(out, [f[1] for f in cf], [f[0] for f in cf])

    def assign_targets(self, targets: list[Any], row: tuple | None, fields: list) -> None:
        """INTO targets / FOR targets take a row's columns (NULLs when no row)."""
        ftypes = [f.type_oid for f in fields]
        fnames = [f.name for f in fields]
        if len(targets) == 1 and targets[0][0] == "var" and \
                self.fn.datums[targets[0][1]].kind == "rec":
            dno = targets[0][1]
            if row is None:
                if self.fn.datums[dno].type_oid == RECORD:
                    self.values[dno] = Record([None] * len(ftypes), ftypes, fnames)
                else:
                    self.assign_row(dno, None, RECORD)
                return
            if len(row) == 1 and isinstance(row[0], Record) and \
                    self.fn.datums[dno].type_oid != RECORD and \
                    ftypes[0] == self.fn.datums[dno].type_oid:
                self.assign_row(dno, row[0], ftypes[0])
                return
            self.set_row(dno, list(row), ftypes, fnames)
            return
        for i, tg in enumerate(targets):
            if row is None or i >= len(row):
                self.assign(tg, None, ftypes[i] if i < len(ftypes) else 25)
            else:
                self.assign(tg, row[i], ftypes[i])

    # -- casts ------------------------------------------------------------------------------

    def cast(self, value: Any, src: int, dst: int, typmod: int = -1) -> Any:
        if value is None:
            return None
        if (src == dst and typmod < 0) or dst in (0, 2276, 2283, RECORD):
            return value
        key = (src, dst, typmod)
        f = self._casts.get(key)
        if f is None:
            f = _cast_function(self.s, src, dst, typmod)
            self._casts[key] = f
        return f(value)

    # -- SQL --------------------------------------------------------------------------------

    def plan(self, e: N.PLExpr, sql: str, raw_override: Any = None) -> tuple[Any, list]:
        """The plan of ``sql`` (the expression's SQL) and its parameter getters;
        ``raw_override`` plans that parse tree instead (keyed apart)."""
        s = self.s
        gen = s.db.catalogs.generation
        key = sql if raw_override is None else (sql, "override")
        got = e.plans.get(key)
        if got is not None:
            cp, refs, sig = got
            if (cp.generation == gen) and sig == self._sig(refs):
                return cp, refs
        from tuskdb.sql import parser
        if raw_override is not None:
            stmts = [raw_override]
        else:
            stmts = parser.parse(sql)
        if len(stmts) != 1:
            raise PgError("42601", f'query "{sql}" returned {len(stmts)} statements'
                          if stmts else "syntax error at end of input")
        raw = stmts[0]
        refs: list = []
        ns = e.ns

        def hook(names: list[str], loc: Any) -> Any:
            ref = _lookup(ns, names)
            if ref is None:
                return None
            dno, used = ref
            rest = names[used:]
            d = self.fn.datums[dno]
            if len(rest) > 1 or (rest and d.kind != "rec"):
                return None
            key = (dno, rest[0] if rest else None)
            for i, (k, _, _) in enumerate(refs):
                if k == key:
                    n = i + 1
                    break
            else:
                t, m, getter = self.datum_ref(dno, key[1])
                refs.append((key, t, getter))
                n = len(refs)
            from tuskdb.sql.expr import Param
            t = refs[n - 1][1]
            return Param(n, t, self.fn.datums[dno].typmod if key[1] is None and
                         d.kind == "var" else -1)

        def param_hook(n: int) -> Any:
            return hook([f"${n}"], None)

        if raw.kind in ("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt") \
                and not (raw.kind == "SelectStmt" and raw.body.get("intoClause")):
            cp = s._plan(raw, [], pl_hook=(hook, param_hook, self.fn.variable_conflict))
            cp.pl_simple = _is_simple(raw)
        else:
            cp = _UtilityPlan(raw)
        e.plans[key] = (cp, refs, self._sig(refs))
        return cp, refs

    def _sig(self, refs: list) -> tuple:
        out = []
        for (dno, fname), t, _ in refs:
            d = self.fn.datums[dno]
            if d.kind == "rec" or self.fn.datums[dno].type_oid == 0:
                try:
                    out.append(self.datum_ref(dno, fname)[0])
                except PgError:
                    out.append(None)
            else:
                out.append(t)
        return tuple(out)

    def run_sql(self, e: N.PLExpr, sql: str, ctx_kind: str, display: str | None = None,
                offset_shift: int = 0, raw_override: Any = None) -> Any:
        """Plan and run one SQL text; errors get the CONTEXT of ``ctx_kind``
        ('expression' | 'assignment' | 'statement')."""
        s = self.s
        display = sql if display is None else display
        planned = False
        refs: list = []
        try:
            cp, refs = self.plan(e, sql, raw_override)
            planned = True
            if isinstance(cp, _UtilityPlan):
                return cp.run(s)
            params = [g(self) for _, _, g in refs]
            return s._run_plan(cp, params, None, inner=True)
        except PgError as err:
            if getattr(err, "_pl_done", None) is self:
                raise
            err._pl_done = self  # type: ignore[attr-defined]
            if err.position is not None and err.internal_query is None:
                err.internal_position = err.position + offset_shift
                err.internal_query = display
                err.position = None
                raise
            if ctx_kind == "statement":
                _set_context(err, f'SQL statement "{display}"')
            elif not planned or not getattr(cp, "pl_simple", False) or (
                    not refs and "PL/pgSQL function" not in (err.context or "")):
                # PostgreSQL folds an expression of constants while planning it, and
                # planning errors get the expression as context
                what = "assignment" if ctx_kind == "assignment" else "expression"
                _set_context(err, f'PL/pgSQL {what} "{display}"')
            raise

    def eval(self, e: N.PLExpr, ctx_kind: str = "expression", display: str | None = None,
             shift: int = 0) -> tuple[Any, int]:
        """An expression's value and type (exactly one row of one column)."""
        res = self.run_sql(e, "SELECT " + e.text, ctx_kind,
                           e.text if display is None else display, shift)
        fields = res.fields or []
        if len(fields) != 1:
            if ctx_kind == "assignment":
                err = PgError("42601", f"assignment source returned {len(fields)} columns")
                _set_context(err, f'PL/pgSQL assignment "{display}"')
            else:
                err = PgError("42601", f'query "{e.text}" returned {len(fields)} columns')
            err._pl_done = self  # type: ignore[attr-defined]
            raise err
        if len(res.rows) > 1:
            err = PgError("21000", "query returned more than one row")
            _set_context(err, f"query: {display or e.text}")
            err._pl_done = self  # type: ignore[attr-defined]
            raise err
        v = res.rows[0][0] if res.rows else None
        return v, fields[0].type_oid

    def eval_scalar(self, e: N.PLExpr, dst: int, typmod: int = -1) -> Any:
        v, t = self.eval(e)
        return self.cast(v, t, dst, typmod)

    def eval_bool(self, e: N.PLExpr) -> bool:
        v, t = self.eval(e)
        if t != 16:
            v = self.cast(v, t, 16)
        return bool(v)

    # -- running ----------------------------------------------------------------------------

    def run_stmts(self, stmts: list[N.Stmt]) -> None:
        for st in stmts:
            self.run_stmt(st)

    def run_stmt(self, st: N.Stmt) -> None:
        from tuskdb.storage import interrupts
        interrupts.check()
        try:
            _DISPATCH[type(st)](self, st)
        except PgError as err:
            if getattr(err, "_pl_line", None) is not self and not isinstance(st, N.Block):
                err._pl_line = self  # type: ignore[attr-defined]
                _set_context(err, f"PL/pgSQL function {self.fn.name} line {st.line} at "
                                  f"{st.stmt_name}")
            raise

    def x_block(self, b: N.Block) -> None:
        try:
            for d in b.decls:
                self.init_datum(d)
        except PgError as err:
            if getattr(err, "_pl_line", None) is not self:
                err._pl_line = self  # type: ignore[attr-defined]
                _set_context(err, f"PL/pgSQL function {self.fn.name} line {b.line} during "
                                  f"statement block local variable initialization")
            raise
        if b.handlers is None:
            self._block_body(b)
            return
        s = self.s
        txn = s.txn
        level = txn.savepoint()
        saved_rowcount = self.rowcount
        try:
            self._block_body(b)
        except PgError as err:
            if err.sqlstate == "57014" and err.severity == "FATAL":
                raise
            txn.rollback_to(level)
            txn.release(level)
            for conds, body in b.handlers:
                if _matches(err, conds):
                    st_dno, em_dno = b.exc_datums  # type: ignore[misc]
                    self.values[st_dno] = err.sqlstate
                    self.values[em_dno] = err.message
                    self.stacked.append(err)
                    try:
                        self.run_stmts(body)
                    finally:
                        self.stacked.pop()
                    return
            raise
        except BaseException:
            try:
                txn.release(level)
            except PgError:
                pass
            raise
        else:
            txn.release(level)
        del saved_rowcount

    def _block_body(self, b: N.Block) -> None:
        try:
            self.run_stmts(b.body)
        except _Exit as ex:
            if ex.is_exit and ex.label is not None and ex.label == b.label:
                return
            raise

    def check_domain_null(self, t: int) -> None:
        """A NULL becoming a value of a domain: its NOT NULL constraint holds."""
        tt = types.TYPES.get(t)
        if tt is not None and tt.typtype == "d":
            self.s.type_context.session_hooks.check_domain(t, None)

    def init_datum(self, d: N.Datum) -> None:
        self.types[d.dno] = d.type_oid
        if d.kind == "rec":
            self.values[d.dno] = None
            if d.type_oid != RECORD:
                self.assign_row(d.dno, None, d.type_oid)
            if d.default is not None:
                v, t = self.eval(d.default)
                self.assign_row(d.dno, v, t)
            return
        self.values[d.dno] = None
        if d.default is None and d.cursor_query is None:
            self.check_domain_null(d.type_oid)
        if d.default is not None:
            v, t = self.eval(d.default)
            v = self.cast(v, t, d.type_oid, d.typmod)
            if v is None:
                self.check_domain_null(d.type_oid)
            if v is None and d.notnull:
                raise PgError("22004", f'null value cannot be assigned to variable "{d.name}" '
                              f'declared NOT NULL')
            self.values[d.dno] = v

    def x_assign(self, st: N.Assign) -> None:
        e = st.expr
        assert e is not None
        shift = len(st.text) - len(e.text) - len("SELECT ")
        v, t = self.eval(e, "assignment", st.text, shift)
        try:
            self.assign(st.target, v, t)
        except PgError as err:
            if t == 705 or (t == 25 and _is_string_literal(e.text)):
                # an untyped literal is coerced to the target's type while the
                # assignment is parsed: the error points at it
                if err.position is None and err.internal_query is None:
                    err.internal_query = st.text
                    err.internal_position = len(st.text) - len(e.text) + 1
            raise

    def x_if(self, st: N.If) -> None:
        for cond, body in st.conds:
            if self.eval_bool(cond):
                self.run_stmts(body)
                return
        if st.else_body is not None:
            self.run_stmts(st.else_body)

    def x_case(self, st: N.Case) -> None:
        if st.expr is not None:
            v, t = self.eval(st.expr)
            self.values[st.var_dno] = v
            self.types[st.var_dno] = t
            for fr in ():
                pass
        for cond, body in st.whens:
            if self.eval_bool(cond):
                self.run_stmts(body)
                return
        if st.else_body is not None:
            self.run_stmts(st.else_body)
            return
        raise PgError("20000", "case not found",
                      hint="CASE statement is missing ELSE part.")

    def _loop_body(self, label: str | None, body: list[N.Stmt]) -> bool:
        """Run one iteration; False when the loop ends (EXIT)."""
        try:
            self.run_stmts(body)
        except _Exit as ex:
            if ex.label is None or ex.label == label:
                return not ex.is_exit
            raise
        return True

    def x_loop(self, st: N.Loop) -> None:
        while self._loop_body(st.label, st.body):
            pass

    def x_while(self, st: N.While) -> None:
        assert st.cond is not None
        while self.eval_bool(st.cond):
            if not self._loop_body(st.label, st.body):
                break

    def x_fori(self, st: N.ForI) -> None:
        lo = self.eval_scalar(st.lower, 23)  # type: ignore[arg-type]
        if lo is None:
            raise PgError("22004", "lower bound of FOR loop cannot be null")
        hi = self.eval_scalar(st.upper, 23)  # type: ignore[arg-type]
        if hi is None:
            raise PgError("22004", "upper bound of FOR loop cannot be null")
        step = 1
        if st.step is not None:
            step = self.eval_scalar(st.step, 23)
            if step is None:
                raise PgError("22004", "BY value of FOR loop cannot be null")
            if step <= 0:
                raise PgError("22023", "BY value of FOR loop must be greater than zero")
        found = False
        i = lo
        if st.reverse:
            lo, hi = hi, lo
        while (i >= lo if st.reverse else i <= hi):
            found = True
            self.values[st.var] = i
            if not self._loop_body(st.label, st.body):
                break
            i = i - step if st.reverse else i + step
            if not -2147483648 <= i <= 2147483647:
                break
        self.values[self.fn.found_dno] = found

    def x_forquery(self, st: N.ForQuery) -> None:
        # PostgreSQL runs the loop's query in an unnamed portal: it takes a number
        self.s._pl_portal_no = getattr(self.s, "_pl_portal_no", 0) + 1
        if st.dynquery is not None:
            res = self.dyn_exec(st.dynquery, st.params)
        else:
            assert st.query is not None
            res = self.run_sql(st.query, st.query.text, "statement")
        fields = res.fields or []
        found = False
        for row in res.rows:
            found = True
            self.assign_targets(st.targets, row, fields)
            if not self._loop_body(st.label, st.body):
                break
        self.values[self.fn.found_dno] = found

    def x_foreach(self, st: N.ForEach) -> None:
        assert st.expr is not None
        arr, t = self.eval(st.expr)
        if arr is None:
            raise PgError("22004", "FOREACH expression must not be null")
        tt = types.TYPES.get(t)
        if tt is None or not tt.elem_oid or not isinstance(arr, types.Array):
            raise PgError("42804", f"FOREACH expression must yield an array, not type "
                          f"{_type_name(t)}")
        et = tt.elem_oid
        if st.slice:
            tg = st.targets[0]
            ttype = self.types[tg[1]] if tg[0] == "var" else 0
            tt2 = types.TYPES.get(ttype)
            if len(st.targets) != 1 or tt2 is None or not tt2.elem_oid or \
                    tt2.category != "A":
                raise PgError("42804", "FOREACH ... SLICE loop variable must be of an array "
                              "type")
            ndim = len(arr.dims) if arr.dims else 1
            if st.slice > ndim:
                raise PgError("2202E", f"slice dimension ({st.slice}) is out of the valid range "
                              f"0..{ndim}")
            dims = arr.dims or (len(arr.items),)
            inner = 1
            for dd in dims[ndim - st.slice:]:
                inner *= dd
            items = arr.items
            elems = []
            for k in range(0, len(items), inner or 1):
                sub = types.Array(items[k:k + inner], 1, tuple(dims[ndim - st.slice:]),
                                  (1,) * st.slice)
                elems.append(sub)
            et = t
        else:
            elems = list(arr.items)
        found = False
        for v in elems:
            found = True
            if len(st.targets) == 1:
                self.assign(st.targets[0], v, et)
            else:
                self.assign_targets(st.targets, tuple(v.values) if isinstance(v, Record)
                                    else (v,), [_F(x) for x in (
                                        v.type_oids if isinstance(v, Record) else (et,))])
            if not self._loop_body(st.label, st.body):
                break
        del found

    def x_exit(self, st: N.Exit) -> None:
        if st.cond is None or self.eval_bool(st.cond):
            raise _Exit(st.label, st.is_exit)

    def x_return(self, st: N.Return) -> None:
        fn = self.fn
        if st.expr is not None:
            v, t = self.eval(st.expr)
            if fn.ret_type != 2278:
                from tuskdb.sql.analyze.rowtypes import composite_fields
                if composite_fields(fn.ret_type) is not None or fn.ret_type == RECORD:
                    if v is not None and not isinstance(v, Record):
                        raise PgError("42804", "cannot return non-composite value from "
                                      "function returning composite type")
                    if v is not None and fn.ret_type != RECORD and t != fn.ret_type:
                        cf = composite_fields(fn.ret_type) or ()
                        v = Record([self.cast(x, xt, f[1], f[2]) for x, xt, f in
                                    zip(v.values, v.type_oids, cf)],
                                   [f[1] for f in cf], [f[0] for f in cf])
                    self.retval = v
                else:
                    rt = fn.ret_type
                    tt = types.TYPES.get(rt)
                    if tt is not None and tt.typtype == "d":
                        # the domain's constraints are checked as the value leaves the
                        # function (PLpgSQLFunction.call)
                        from tuskdb.types.usertypes import base_type
                        rt = base_type(rt)
                    self.retval = self.cast(v, t, rt)
        raise _Return()

    def x_return_next(self, st: N.ReturnNext) -> None:
        fn = self.fn
        if st.expr is None:
            self.ret_rows.append(self.out_value())
            return
        v, t = self.eval(st.expr)
        from tuskdb.sql.analyze.rowtypes import composite_fields
        cf = composite_fields(fn.ret_type)
        if cf is not None and isinstance(v, Record):
            v = Record([self.cast(x, xt, f[1], f[2]) for x, xt, f in
                        zip(v.values, v.type_oids, cf)], [f[1] for f in cf],
                       [f[0] for f in cf])
            self.ret_rows.append(v)
            return
        self.ret_rows.append(self.cast(v, t, fn.ret_type))

    def out_value(self) -> Any:
        fn = self.fn
        if len(fn.out_dnos) == 1:
            return self.values[fn.out_dnos[0]]
        return Record([self.values[d] for d in fn.out_dnos],
                      [self.types[d] for d in fn.out_dnos],
                      [fn.datums[d].name for d in fn.out_dnos])

    def x_return_query(self, st: N.ReturnQuery) -> None:
        if st.dynquery is not None:
            res = self.dyn_exec(st.dynquery, st.params)
        else:
            assert st.query is not None
            res = self.run_sql(st.query, st.query.text, "statement")
        fn = self.fn
        fields = res.fields or []
        from tuskdb.sql.analyze.rowtypes import composite_fields
        want = [(t, -1) for t in (fn.datums[d].type_oid for d in fn.out_dnos)] \
            if len(fn.out_dnos) > 1 else None
        cf = composite_fields(fn.ret_type)
        if want is None and cf is not None and not (len(fields) == 1 and
                                                    fields[0].type_oid == fn.ret_type):
            want = [(f[1], f[2]) for f in cf]
        if want is not None and len(fields) != len(want):
            raise PgError("42804", "structure of query does not match function result type",
                          detail=f"Number of returned columns ({len(fields)}) does not match "
                                 f"expected column count ({len(want)}).")
        if want is None and len(fields) != 1:
            raise PgError("42804", "structure of query does not match function result type",
                          detail=f"Number of returned columns ({len(fields)}) does not match "
                                 f"expected column count (1).")
        for row in res.rows:
            if want is None:
                self.ret_rows.append(self.cast(row[0], fields[0].type_oid, fn.ret_type))
            else:
                names = [fn.datums[d].name for d in fn.out_dnos] if len(fn.out_dnos) > 1 \
                    else [f[0] for f in cf or ()]
                self.ret_rows.append(Record(
                    [self.cast(v, f.type_oid, t, m) for v, f, (t, m) in zip(row, fields, want)],
                    [t for t, _ in want], names))
        self.values[fn.found_dno] = bool(res.rows)
        self.rowcount = len(res.rows)

    def x_raise(self, st: N.Raise) -> None:
        if st.level == "":
            if not self.stacked:
                raise PgError("0Z002", "RAISE without parameters cannot be used outside an "
                              "exception handler")
            raise self.stacked[-1]
        sqlstate = None
        message = None
        if st.condname is not None:
            from tuskdb.sql.pl.plerrcodes import BY_NAME
            sqlstate = BY_NAME[st.condname]
            message = st.condname
        if st.sqlstate is not None:
            sqlstate = st.sqlstate
            message = st.sqlstate
        if st.message is not None:
            args = []
            for p in st.params:
                v, t = self.eval(p)
                args.append(None if v is None else _output(self.s, v, t))
            message = _format_raise(st.message, args)
        opts: dict[str, Any] = {}
        for name, e in st.options:
            if name in opts:
                raise PgError("42601", f"RAISE option already specified: {name.upper()}")
            v, t = self.eval(e)
            if v is None:
                raise PgError("22004", "RAISE statement option cannot be null")
            opts[name] = _output(self.s, v, t)
        if "errcode" in opts:
            code = opts["errcode"]
            from tuskdb.sql.pl.plerrcodes import BY_NAME
            if code in BY_NAME:
                sqlstate = BY_NAME[code]
            elif len(code) == 5 and all(c.isdigit() or "A" <= c <= "Z" for c in code):
                sqlstate = code
            else:
                raise PgError("42704", f'unrecognized exception condition "{code}"')
        if "message" in opts:
            if st.message is not None:
                raise PgError("42601", "RAISE option already specified: MESSAGE")
            message = opts["message"]
        level = st.level
        if message is None:
            message = "raise_exception" if sqlstate is None and level == "EXCEPTION" else \
                (sqlstate or "")
            if sqlstate is None and level != "EXCEPTION":
                message = ""
        if level == "EXCEPTION":
            err = PgError(sqlstate or "P0001", message, detail=opts.get("detail"),
                          hint=opts.get("hint"), column_name=opts.get("column"),
                          constraint_name=opts.get("constraint"),
                          datatype_name=opts.get("datatype"), table_name=opts.get("table"),
                          schema_name=opts.get("schema"))
            raise err
        n = notice(message, sqlstate=sqlstate or ("01000" if level == "WARNING" else "00000"),
                   severity=level, detail=opts.get("detail"), hint=opts.get("hint"))
        _emit(self.s, n, level)

    def x_assert(self, st: N.Assert) -> None:
        if not self.s.settings.get("plpgsql.check_asserts", True):
            return
        ok = self.eval(st.cond)[0]  # type: ignore[arg-type]
        if ok is None or not ok:
            msg = "assertion failed"
            if st.message is not None:
                v, t = self.eval(st.message)
                if v is not None:
                    msg = _output(self.s, v, t)
            raise PgError("P0004", msg)

    def x_execsql(self, st: N.ExecSQL) -> None:
        e = st.sql
        assert e is not None
        res = self.run_sql(e, e.text, "statement")
        n = _rowcount(res)
        self.rowcount = n
        if st.targets is not None:
            rows = res.rows or []
            if st.strict or st.mod_stmt:
                if not rows and st.strict:
                    raise PgError("P0002", "query returned no rows",
                                  detail=self._strict_params(e, e.text))
                if len(rows) > 1:
                    raise PgError("P0003", "query returned more than one row",
                                  detail=self._strict_params(e, e.text),
                                  hint="Make sure the query returns a single row, or use "
                                       "LIMIT 1.")
            if res.fields is None:
                raise PgError("42601", "INTO used with a command that cannot return data")
            self.assign_targets(st.targets, rows[0] if rows else None, res.fields)
            self.values[self.fn.found_dno] = bool(rows)
            return
        if e.text.lstrip()[:6].lower() in ("select", "insert", "update", "delete") or \
                st.is_perform or st.mod_stmt or e.text.lstrip()[:5].lower() == "merge":
            self.values[self.fn.found_dno] = n > 0
        if res.fields is not None and not st.mod_stmt and not st.is_perform and \
                getattr(res, "tag", "").startswith("SELECT"):
            raise PgError("42601", "query has no destination for result data",
                          hint="If you want to discard the results of a SELECT, use PERFORM "
                               "instead.")

    def _strict_params(self, e: N.PLExpr | None, sql: str,
                       values: list | None = None) -> str | None:
        """print_strict_params: the DETAIL naming the query's parameters and values."""
        on = self.fn.print_strict_params or str(self.s.settings.get(
            "plpgsql.print_strict_params", "off")).lower() in ("on", "true", "1")
        if not on:
            return None
        items = []
        if values is not None:
            for i, (v, t) in enumerate(values):
                items.append((f"${i + 1}", v, t))
        elif e is not None and sql in e.plans:
            for (dno, fname), t, getter in e.plans[sql][1]:
                name = self.fn.datums[dno].name + (f".{fname}" if fname else "")
                items.append((name, getter(self), t))
        if not items:
            return None
        shown = []
        for name, v, t in items:
            if v is None:
                shown.append(f"{name} = NULL")
            else:
                text = _output(self.s, v, t).replace("'", "''")
                shown.append(f"{name} = '{text}'")
        return "parameters: " + ", ".join(shown)

    def dyn_exec(self, qexpr: N.PLExpr, params: list[N.PLExpr]) -> Any:
        """EXECUTE's query string, run with USING values as $1..$n."""
        q, t = self.eval(qexpr)
        if q is None:
            raise PgError("22004", "query string argument of EXECUTE is null")
        q = self.cast(q, t, 25)
        vals, ptypes = [], []
        for p in params:
            v, pt = self.eval(p)
            vals.append(v)
            ptypes.append(pt if pt != 705 else 25)
        self._dyn_values = list(zip(vals, ptypes))
        from tuskdb.sql import parser
        s = self.s
        try:
            stmts = parser.parse(q)
            res = None
            for raw in stmts:
                if raw.kind in ("SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt",
                                "MergeStmt") and not (raw.kind == "SelectStmt" and
                                                      raw.body.get("intoClause")):
                    cp = s._plan(raw, list(ptypes))
                    res = s._run_plan(cp, list(vals), None, inner=True)
                else:
                    if raw.kind == "SelectStmt":
                        raise PgError(FEATURE_NOT_SUPPORTED,
                                      "EXECUTE of SELECT ... INTO is not implemented",
                                      hint="You might want to use EXECUTE ... INTO or EXECUTE "
                                           "CREATE TABLE ... AS instead.")
                    res = _UtilityPlan(raw).run(s)
            return res
        except PgError as err:
            if err.position is not None and err.internal_query is None:
                err.internal_position, err.internal_query = err.position, q
                err.position = None
            else:
                _set_context(err, f'SQL statement "{q}"')
            raise

    def x_dynexecute(self, st: N.DynExecute) -> None:
        res = self.dyn_exec(st.query, st.params)  # type: ignore[arg-type]
        self.rowcount = _rowcount(res)
        if st.targets is not None:
            if res.fields is None:
                raise PgError("42601", "INTO used with a command that cannot return data")
            rows = res.rows or []
            if st.strict:
                dv = getattr(self, "_dyn_values", [])
                if not rows:
                    raise PgError("P0002", "query returned no rows",
                                  detail=self._strict_params(None, "", dv))
                if len(rows) > 1:
                    raise PgError("P0003", "query returned more than one row",
                                  detail=self._strict_params(None, "", dv))
            self.assign_targets(st.targets, rows[0] if rows else None, res.fields)

    def x_getdiag(self, st: N.GetDiag) -> None:
        if st.stacked and not self.stacked:
            raise PgError("0Z002", "GET STACKED DIAGNOSTICS cannot be used outside an "
                          "exception handler")
        for tg, item in st.items:
            if item == "row_count":
                self.assign(tg, self.rowcount, 20)
            elif item == "pg_routine_oid":
                self.assign(tg, getattr(self.fn, "oid", 0), 26)
            elif item == "pg_context":
                self.assign(tg, f"PL/pgSQL function {self.fn.name} line {st.line} at GET "
                                f"DIAGNOSTICS", 25)
            else:
                err = self.stacked[-1]
                v = {"returned_sqlstate": err.sqlstate, "message_text": err.message,
                     "column_name": err.column_name, "constraint_name": err.constraint_name,
                     "pg_datatype_name": err.datatype_name, "table_name": err.table_name,
                     "schema_name": err.schema_name, "pg_exception_detail": err.detail,
                     "pg_exception_hint": err.hint,
                     "pg_exception_context": err.context}[item]
                self.assign(tg, v if v is not None else "", 25)

    # -- cursors (portals in the session's cursor table, like SQL's DECLARE) -------------

    def _open_portal(self, dno: int, args: list[N.PLExpr] | None, options: int,
                     query: N.PLExpr | None = None, dynquery: N.PLExpr | None = None,
                     params: list[N.PLExpr] | None = None) -> str:
        from tuskdb.sql.commands.portalcmds import Cursor
        s = self.s
        d = self.fn.datums[dno]
        name = self.values[dno]
        if name is None:
            s._pl_portal_no = getattr(s, "_pl_portal_no", 0) + 1
            name = f"<unnamed portal {s._pl_portal_no}>"
        if name in s.cursors:
            raise PgError("42P03", f'cursor "{name}" already in use')
        if d.cursor_query is not None:
            for adno, e in zip(d.cursor_args or (), args or ()):
                v, t = self.eval(e)
                self.assign(("var", adno), v, t)
            query = d.cursor_query
            options = d.cursor_options
        ident = None
        if dynquery is not None:
            res = self.dyn_exec(dynquery, params or [])
            sql = ""
        else:
            assert query is not None
            sql = query.text
            res, ident = self._run_cursor_query(query)
        if res is None or res.fields is None:
            raise PgError("42P11", f"cannot open {getattr(res, 'tag', '?').split()[0]} "
                          f"query as cursor")
        fields, rows = res.fields, list(res.rows)
        cur = Cursor(name, sql, fields, rows, options)
        if ident is not None:
            # WHERE CURRENT OF: each row's identity, from the hidden targets
            nid = 2 * len(ident[1])
            nvis = len(fields) - nid
            cur.fields = fields[:nvis]
            cur.row_ids = [tuple((r[i], r[i + 1]) for i in range(nvis, nvis + nid, 2))
                           for r in rows]
            cur.rows = [r[:nvis] for r in rows]
            cur.ident_refs, cur.simple = ident[1], ident[2]
            cur.locked = bool(ident[1]) and ident[1][0][1]
        s.cursors[name] = cur
        self.values[dno] = name
        return name

    def _run_cursor_query(self, query: N.PLExpr) -> tuple[Any, Any]:
        """A cursor's query, planned with its rows' identities when it can point into
        a table (as DECLARE CURSOR does)."""
        from tuskdb.sql import parser
        from tuskdb.sql.commands.currentof import identity_query
        try:
            raw = parser.parse(query.text)[0]
        except PgError:
            raw = None
        if raw is not None and raw.kind == "SelectStmt":
            ident = identity_query(self.s, raw.body)
            if ident is not None:
                try:
                    over = parser.RawStmt({"SelectStmt": ident[0]}, 0, len(query.text),
                                          query.text)
                    cp, _ = self.plan(query, query.text, over)
                except PgError:
                    ident = None
                if ident is not None:
                    return self.run_sql(query, query.text, "statement", raw_override=over), \
                        ident
        return self.run_sql(query, query.text, "statement"), None

    def _portal(self, dno: int) -> Any:
        name = self.values[dno]
        if name is None:
            raise PgError("22004", f'cursor variable "{self.fn.datums[dno].name}" is null')
        cur = self.s.cursors.get(name)
        if cur is None:
            raise PgError("34000", f'cursor "{name}" does not exist')
        return name, cur

    def x_open(self, st: N.Open) -> None:
        self._open_portal(st.cursor, st.args, st.options, st.query, st.dynquery, st.params)

    def x_fetch(self, st: N.Fetch) -> None:
        from tuskdb.sql.commands.portalcmds import fetch
        name, cur = self._portal(st.cursor)
        n = st.how_many
        if st.count is not None:
            n = self.eval_scalar(st.count, 20)
            if n is None:
                raise PgError("22004", "relative or absolute cursor position is null")
        body = {"portalname": name, "direction": st.direction, "howMany": n,
                "ismove": st.is_move}
        res = fetch(self.s, _FakeRaw(body))
        if st.is_move:
            self.rowcount = int(res.tag.split()[-1])
            self.values[self.fn.found_dno] = self.rowcount > 0 or (
                st.direction in ("FETCH_ABSOLUTE", "FETCH_RELATIVE") and
                0 < cur.pos <= len(cur.rows))
            return
        rows = res.rows
        self.assign_targets(st.targets or [], rows[0] if rows else None, cur.fields)
        self.values[self.fn.found_dno] = bool(rows)
        self.rowcount = len(rows)

    def x_close(self, st: N.Close) -> None:
        name, _ = self._portal(st.cursor)
        del self.s.cursors[name]

    def x_forcursor(self, st: N.ForCursor) -> None:
        saved = self.values[st.cursor]      # the variable's value comes back after the loop
        name = self._open_portal(st.cursor, st.args, 0)
        cur = self.s.cursors[name]
        found = False
        try:
            while cur.pos < len(cur.rows):
                row = cur.rows[cur.pos]
                cur.pos += 1
                found = True
                self.assign_targets([("var", st.var)], row, cur.fields)
                if not self._loop_body(st.label, st.body):
                    break
        finally:
            self.s.cursors.pop(name, None)
            self.values[st.cursor] = saved
        self.values[self.fn.found_dno] = found

    def x_null(self, st: N.Null) -> None:
        return

    def x_transaction(self, st: N.Transaction) -> None:
        raise PgError(FEATURE_NOT_SUPPORTED, f"{'COMMIT' if st.commit else 'ROLLBACK'} in "
                      f"PL/pgSQL is not supported")


class _FakeRaw:
    """A FetchStmt body for portalcmds.fetch."""

    def __init__(self, body: dict) -> None:
        self.body = body


class _F:
    """A stand-in result field (a type)."""

    def __init__(self, t: int) -> None:
        self.type_oid = t
        self.name = "?column?"


class _UtilityPlan:
    """A utility statement inside a body (CREATE, DROP, SET ...): run as is."""

    generation = -3

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def run(self, s: Any) -> Any:
        from tuskdb.engine import utility
        if self.raw.kind == "TransactionStmt":
            raise PgError(FEATURE_NOT_SUPPORTED, "transaction control statements in "
                          "PL/pgSQL are not supported")
        return utility.run_utility(s, self.raw, False)


def _is_string_literal(text: str) -> bool:
    from tuskdb.sql.pl.scanner import tokenize
    try:
        toks = tokenize(text)
    except PgError:
        return False
    return len(toks) == 2 and toks[0].kind == "string"


def _rowcount(res: Any) -> int:
    if res is None:
        return 0
    tag = getattr(res, "tag", "") or ""
    parts = tag.split()
    if parts and parts[-1].isdigit():
        return int(parts[-1])
    return len(res.rows or [])


def _is_simple(raw: Any) -> bool:
    """A plain SELECT of one expression with no tables and no subqueries: PostgreSQL
    evaluates those outside the SQL executor (no CONTEXT line of its own)."""
    b = raw.body
    if raw.kind != "SelectStmt":
        return False
    for k in ("fromClause", "whereClause", "groupClause", "havingClause", "sortClause",
              "limitCount", "limitOffset", "withClause", "valuesLists", "distinctClause",
              "windowClause", "larg"):
        if b.get(k):
            return False
    text = json.dumps(b.get("targetList"))
    return "SubLink" not in text


def _lookup(ns: tuple, names: list[str]) -> tuple[int, int] | None:
    for fr in reversed(ns):
        if names[0] in fr.names:
            return fr.names[names[0]], 1
    if len(names) > 1:
        for fr in reversed(ns):
            if fr.label == names[0] and names[1] in fr.names:
                return fr.names[names[1]], 2
    return None


def _matches(err: PgError, conds: list[tuple[str, str | None]]) -> bool:
    from tuskdb.sql.pl.plerrcodes import ALL_BY_NAME
    code = err.sqlstate
    for kind, val in conds:
        if kind == "sqlstate":
            if val == code or (val is not None and val.endswith("000") and
                               code[:2] == val[:2]):
                return True
        elif val == "others":
            if code not in ("57014", "P0004"):
                return True
        else:
            for c in ALL_BY_NAME.get(val or "", ()):
                if c == code or (c.endswith("000") and c[:2] == code[:2]):
                    return True
    return False


def _type_name(oid: int) -> str:
    from tuskdb.sql.analyze.coerce import type_name
    return type_name(oid)


def _output(s: Any, v: Any, t: int) -> str:
    """A value's text, as the client would see it (reg* types by name)."""
    if isinstance(v, str) and t in (25, 1043, 1042, 19, 705, 0):
        return v
    from tuskdb.engine.results import Field
    out = s.encoders([Field("", 0, 0, t if t in types.TYPES else 25, -1, -1, 0)])[0](v)
    return out.decode() if isinstance(out, bytes) else str(out)


def _format_raise(fmt: str, args: list[str | None]) -> str:
    out = []
    i = 0
    k = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%":
            if i + 1 < len(fmt) and fmt[i + 1] == "%":
                out.append("%")
                i += 2
                continue
            a = args[k] if k < len(args) else None
            k += 1
            out.append("<NULL>" if a is None else a)
        else:
            out.append(c)
        i += 1
    return "".join(out)


_LEVEL_RANK = {"DEBUG": 0, "LOG": 1, "INFO": 2, "NOTICE": 3, "WARNING": 4}
_CLIENT_RANK = {"debug5": 0, "debug4": 0, "debug3": 0, "debug2": 0, "debug1": 0, "debug": 0,
                "log": 1, "notice": 3, "warning": 4, "error": 5}


def _emit(s: Any, n: PgError, level: str) -> None:
    """Send a RAISE notice if client_min_messages lets it through (INFO always goes)."""
    if level != "INFO":
        cmm = str(s.settings.get("client_min_messages", "notice")).lower()
        if _LEVEL_RANK.get(level, 3) < _CLIENT_RANK.get(cmm, 3):
            return
        if level == "DEBUG":
            n.severity = "DEBUG"
    s.add_notice(n)


def _cast_function(s: Any, src: int, dst: int, typmod: int) -> Any:
    """value -> value of type dst (an assignment cast, else I/O conversion, as
    PL/pgSQL's exec_cast_value)."""
    from tuskdb.sql.analyze.coerce import coerce_to
    from tuskdb.sql.expr import Param, compile_expr
    try:
        expr = coerce_to(Param(1, src), dst, typmod, "a", ctx=s.type_context)
        f = compile_expr(expr, {})

        def run(v: Any) -> Any:
            from tuskdb.engine.context import ExecContext
            ctx = ExecContext(s, s.txn, None, [v])
            return f((), ctx)
        return run
    except PgError as err:
        if err.sqlstate not in ("42846", "42804"):
            raise
    st = types.TYPES.get(src)
    dt = types.TYPES.get(dst)

    def via_text(v: Any) -> Any:
        text = v if isinstance(v, str) and (st is None or st.category == "S") else \
            _output(s, v, src)
        if dt is None:
            return text
        out = dt.input(text, -1, s.type_context) if dst != 1186 else \
            dt.input(text, typmod, s.type_context)
        if typmod >= 0:
            out = dt.coerce_typmod(out, typmod, False)
        if dt.typtype == "d":
            s.type_context.session_hooks.check_domain(dst, out)
        return out
    return via_text


_DISPATCH: dict = {
    N.Block: PLExecState.x_block, N.Assign: PLExecState.x_assign, N.If: PLExecState.x_if,
    N.Case: PLExecState.x_case, N.Loop: PLExecState.x_loop, N.While: PLExecState.x_while,
    N.ForI: PLExecState.x_fori, N.ForQuery: PLExecState.x_forquery,
    N.ForEach: PLExecState.x_foreach, N.Exit: PLExecState.x_exit,
    N.Return: PLExecState.x_return, N.ReturnNext: PLExecState.x_return_next,
    N.ReturnQuery: PLExecState.x_return_query, N.Raise: PLExecState.x_raise,
    N.Assert: PLExecState.x_assert, N.ExecSQL: PLExecState.x_execsql,
    N.DynExecute: PLExecState.x_dynexecute, N.GetDiag: PLExecState.x_getdiag,
    N.Null: PLExecState.x_null, N.Transaction: PLExecState.x_transaction,
    N.Open: PLExecState.x_open, N.Fetch: PLExecState.x_fetch, N.Close: PLExecState.x_close,
    N.ForCursor: PLExecState.x_forcursor,
}


def execute(s: Any, fn: N.PLFunction, args: list[Any] | None = None,
            argtypes: list[int] | None = None) -> PLExecState:
    """Run ``fn``'s outer block with ``args`` in its parameters."""
    st = PLExecState(s, fn)
    if argtypes is not None and any(d.type_oid in _POLY for d in fn.datums if d.is_param):
        # polymorphic parameters take the actual argument types; OUT ones follow them
        from tuskdb.sql.analyze.polymorphic import enforce
        declared = tuple(fn.datums[d].type_oid for d in fn.param_dnos)
        actual = list(argtypes)[:len(declared)]
        for d in fn.datums:
            if d.is_param and d.type_oid in _POLY:
                try:
                    st.types[d.dno] = enforce(actual, declared, d.type_oid)[1]
                except PgError:
                    pass
    for i, dno in enumerate(fn.param_dnos):
        d = fn.datums[dno]
        v = args[i] if args is not None and i < len(args) else None
        if d.kind == "rec":
            if v is not None and isinstance(v, Record) and d.type_oid != RECORD:
                st.assign_row(dno, v, d.type_oid)
            else:
                st.values[dno] = v
        else:
            st.values[dno] = v
    for dno in fn.out_dnos:
        if dno not in fn.param_dnos:
            d = fn.datums[dno]
            if d.kind == "rec":
                st.assign_row(dno, None, d.type_oid)
    st.values[fn.found_dno] = False
    block = fn.block
    assert block is not None
    try:
        st.run_stmt(block)
    except _Return:
        return st
    except _Exit as ex:
        if ex.label is not None:
            raise PgError("XX000", f'label "{ex.label}" not found') from None
        raise PgError("42601", "EXIT cannot be used outside a loop, unless it has a label"
                      if ex.is_exit else "CONTINUE cannot be used outside a loop") from None
    if not fn.retset and fn.ret_type != 2278 and not fn.out_dnos and not fn.is_proc and \
            fn.name != "inline_code_block":
        err = PgError("2F005", "control reached end of function without RETURN")
        _set_context(err, f"PL/pgSQL function {fn.name}")
        raise err
    return st


_POLY = frozenset((2283, 2277, 2776, 3500, 3831, 4537, 5077, 5078, 5079, 5080, 4538))
