"""Typed expression trees (the analyzer's output) and their compilation.

Expressions are built once per plan and compiled into Python closures
``f(row, ctx) -> value``: no per-row interpretation of a tree.  ``row`` is the
tuple an operator produces; ``Var``s are resolved to tuple positions through
a *layout* (``{(rtindex, attno): position}``) when the operator that
evaluates them is built.  ``ctx`` is the ExecContext of one execution (bound
parameters, lifted literals, the session).
"""

from __future__ import annotations

import weakref

from dataclasses import dataclass, field
from typing import Any, Callable

from tuskdb.errors import PgError

Compiled = Callable[[tuple, Any], Any]


class Expr:
    type_oid: int = 0
    typmod: int = -1

    def children(self) -> list[Expr]:
        return []


@dataclass(eq=False)
class Const(Expr):
    value: Any
    type_oid: int
    typmod: int = -1
    location: int = -1


@dataclass(eq=False)
class Literal(Expr):
    """A literal lifted into a parameter so that the plan can be reused.

    ``slot`` indexes ctx.literals, which the plan cache fills for every
    execution from the statement's own A_Const values (converted to
    ``type_oid`` at bind time).
    """

    slot: int
    type_oid: int
    typmod: int = -1
    location: int = -1


@dataclass(eq=False)
class Param(Expr):
    number: int                 # 1-based $n
    type_oid: int
    typmod: int = -1


@dataclass(eq=False)
class Var(Expr):
    rt: Any                     # range-table key (int) or ('g'|'a'|'w', n) for group/agg refs
    attno: int                  # 0-based column index within that entry
    type_oid: int
    typmod: int = -1
    name: str = "?column?"
    location: int | None = None

    @property
    def key(self) -> tuple:
        return (self.rt, self.attno)


@dataclass(eq=False)
class OuterVar(Expr):
    """A reference to a column of an enclosing query (correlated subquery)."""

    level: int
    var: Var
    type_oid: int = 0
    typmod: int = -1

    def __post_init__(self) -> None:
        self.type_oid = self.var.type_oid
        self.typmod = self.var.typmod


@dataclass(eq=False)
class Func(Expr):
    fn: Callable
    args: list[Expr]
    type_oid: int
    typmod: int = -1
    strict: bool = True
    name: str = ""
    needs_ctx: bool = False
    volatile: bool = False

    def children(self) -> list[Expr]:
        return self.args


@dataclass(eq=False)
class BoolExpr(Expr):
    op: str                     # AND OR NOT
    args: list[Expr]
    type_oid: int = 16
    typmod: int = -1

    def children(self) -> list[Expr]:
        return self.args


@dataclass(eq=False)
class NullTest(Expr):
    arg: Expr
    is_null: bool
    type_oid: int = 16
    typmod: int = -1

    def children(self) -> list[Expr]:
        return [self.arg]


@dataclass(eq=False)
class BoolTest(Expr):
    arg: Expr
    kind: str                   # IS_TRUE IS_NOT_TRUE IS_FALSE IS_NOT_FALSE IS_UNKNOWN IS_NOT_UNKNOWN
    type_oid: int = 16
    typmod: int = -1

    def children(self) -> list[Expr]:
        return [self.arg]


@dataclass(eq=False)
class Case(Expr):
    whens: list[tuple[Expr, Expr]]
    default: Expr | None
    type_oid: int
    typmod: int = -1

    def children(self) -> list[Expr]:
        out = []
        for c, r in self.whens:
            out += [c, r]
        if self.default is not None:
            out.append(self.default)
        return out


@dataclass(eq=False)
class Coalesce(Expr):
    args: list[Expr]
    type_oid: int
    typmod: int = -1

    def children(self) -> list[Expr]:
        return self.args


@dataclass(eq=False)
class MinMax(Expr):
    args: list[Expr]
    is_greatest: bool
    type_oid: int
    typmod: int = -1
    lt: Callable | None = None

    def children(self) -> list[Expr]:
        return self.args


@dataclass(eq=False)
class NullIf(Expr):
    left: Expr
    right: Expr
    eq: Callable
    type_oid: int
    typmod: int = -1

    def children(self) -> list[Expr]:
        return [self.left, self.right]


@dataclass(eq=False)
class InList(Expr):
    """``left op ANY (items)`` / ``left op ALL (items)`` over a list of expressions."""

    left: Expr
    items: list[Expr]
    op: Callable
    use_or: bool
    type_oid: int = 16
    typmod: int = -1

    def children(self) -> list[Expr]:
        return [self.left, *self.items]


@dataclass(eq=False)
class SubLink(Expr):
    """A subquery inside an expression: EXISTS, scalar (EXPR), IN/ANY/ALL, ARRAY."""

    kind: str                   # EXISTS EXPR ANY ALL ARRAY
    plan: Any                   # planned subquery (a plan node)
    test: Expr | None = None    # for ANY/ALL: left operand
    op: Callable | None = None
    type_oid: int = 16
    typmod: int = -1
    correlated: bool = True

    def children(self) -> list[Expr]:
        return [self.test] if self.test is not None else []


@dataclass(eq=False)
class SRFCall(Expr):
    """A set-returning function call (evaluated by FunctionScan or ProjectSet)."""

    fn: Callable
    args: list[Expr]
    type_oid: int
    typmod: int = -1
    strict: bool = True
    name: str = ""
    needs_ctx: bool = False

    def children(self) -> list[Expr]:
        return self.args


@dataclass(eq=False)
class Agg(Expr):
    """An aggregate call as the analyzer found it; replaced by a Var of the Agg node."""

    agg: Any                    # types.Aggregate
    args: list[Expr]
    type_oid: int
    distinct: bool = False
    filter: Expr | None = None
    star: bool = False
    order_by: list = field(default_factory=list)
    typmod: int = -1

    def children(self) -> list[Expr]:
        out = list(self.args)
        if self.filter is not None:
            out.append(self.filter)
        return out


def walk(expr: Expr):
    yield expr
    for child in expr.children():
        if child is not None:
            yield from walk(child)


def contains(expr: Expr, cls: type) -> bool:
    return any(isinstance(e, cls) for e in walk(expr))


def var_keys(expr: Expr) -> set:
    return {e.key for e in walk(expr) if isinstance(e, Var)}


def is_volatile(expr: Expr) -> bool:
    return any(isinstance(e, Func) and e.volatile for e in walk(expr))


def literal_keys(obj: Any) -> list[tuple[tuple[int, int, int], bool]]:
    """Every (slot, type, typmod) a plan converts a lifted literal to.

    Converting them all before execution makes a bad literal fail the statement
    even where evaluation would never reach it (COALESCE(1, 'x')), as PostgreSQL
    reports such errors while analyzing.
    """
    out: dict[tuple[int, int, int], bool] = {}      # key -> explicit cast
    seen: set[int] = set()

    def visit(o: Any) -> None:
        if id(o) in seen or o is None or isinstance(o, (str, int, float, bool, bytes)):
            return
        seen.add(id(o))
        if isinstance(o, Literal):
            key = (o.slot, o.type_oid, o.typmod)
            out[key] = out.get(key) or getattr(o, "explicit", False)
            return
        if isinstance(o, (list, tuple)):
            for x in o:
                visit(x)
        elif isinstance(o, dict):
            for x in o.values():
                visit(x)
        elif hasattr(o, "__dataclass_fields__"):
            for name in o.__dataclass_fields__:
                visit(getattr(o, name, None))
    visit(obj)
    return list(out.items())


# -- compilation ---------------------------------------------------------------


# compiled closure -> the expression it was compiled from (for EXPLAIN)
SOURCE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def compile_expr(expr: Expr, layout: dict) -> Compiled:
    """Compile ``expr`` for rows laid out as ``layout`` into ``f(row, ctx)``."""
    c = _COMPILERS.get(type(expr))
    if c is None:
        raise PgError("XX000", f"cannot compile expression node {type(expr).__name__}")
    f = c(expr, layout)
    try:
        SOURCE[f] = expr
    except TypeError:
        pass
    return f


def _c_const(e: Const, layout: dict) -> Compiled:
    v = e.value
    return lambda row, ctx: v


def _c_literal(e: Literal, layout: dict) -> Compiled:
    key = (e.slot, e.type_oid, e.typmod)
    return lambda row, ctx: ctx.literal(key)


def _c_param(e: Param, layout: dict) -> Compiled:
    i = e.number - 1
    return lambda row, ctx: ctx.params[i]


def _c_var(e: Var, layout: dict) -> Compiled:
    try:
        i = layout[e.key]
    except KeyError:
        raise PgError("XX000", f"variable {e.name} not found in plan input") from None
    return lambda row, ctx: row[i]


def _c_outer(e: OuterVar, layout: dict) -> Compiled:
    level = e.level
    key = e.var.key

    def f(row: tuple, ctx: Any) -> Any:
        stack = ctx.outer
        if level <= len(stack):
            orow, olayout = stack[-level]
            i = olayout.get(key)
            if i is not None:
                return orow[i]
        # the row is elsewhere on the stack: a LATERAL reference past a nearer lateral
        # join's row (FROM a, b JOIN LATERAL (... a.x ...)), or a level whose FROM item
        # pushed no row of its own (a subquery merged into its parent)
        for orow, olayout in reversed(stack):
            i = olayout.get(key)
            if i is not None:
                return orow[i]
        raise PgError("XX000", f"variable {e.var.name} not found in plan input")
    return f


def _c_func(e: Func, layout: dict) -> Compiled:
    fn = e.fn
    args = [compile_expr(a, layout) for a in e.args]
    strict = e.strict
    if e.needs_ctx:
        if not args:
            return lambda row, ctx: fn(ctx)
        if strict:
            def fc(row: tuple, ctx: Any) -> Any:
                vals = [a(row, ctx) for a in args]
                if None in vals:
                    return None
                return fn(ctx, *vals)
            return fc
        return lambda row, ctx: fn(ctx, *[a(row, ctx) for a in args])
    if len(args) == 1:
        a0 = args[0]
        if strict:
            def f1(row: tuple, ctx: Any) -> Any:
                v = a0(row, ctx)
                return None if v is None else fn(v)
            return f1
        return lambda row, ctx: fn(a0(row, ctx))
    if len(args) == 2:
        a0, a1 = args
        if strict:
            def f2(row: tuple, ctx: Any) -> Any:
                v0 = a0(row, ctx)
                if v0 is None:
                    return None
                v1 = a1(row, ctx)
                if v1 is None:
                    return None
                return fn(v0, v1)
            return f2
        return lambda row, ctx: fn(a0(row, ctx), a1(row, ctx))
    if not args:
        return lambda row, ctx: fn()
    if strict:
        def fn_(row: tuple, ctx: Any) -> Any:
            vals = [a(row, ctx) for a in args]
            if None in vals:
                return None
            return fn(*vals)
        return fn_
    return lambda row, ctx: fn(*[a(row, ctx) for a in args])


def _c_bool(e: BoolExpr, layout: dict) -> Compiled:
    args = [compile_expr(a, layout) for a in e.args]
    if e.op == "NOT":
        a0 = args[0]

        def fnot(row: tuple, ctx: Any) -> Any:
            v = a0(row, ctx)
            return None if v is None else not v
        return fnot
    if e.op == "AND":
        if len(args) == 2:
            x, y = args

            def fand2(row: tuple, ctx: Any) -> Any:
                v = x(row, ctx)
                if v is False:
                    return False
                w = y(row, ctx)
                if w is False:
                    return False
                if v is None or w is None:
                    return None
                return True
            return fand2

        def fand(row: tuple, ctx: Any) -> Any:
            null = False
            for a in args:
                v = a(row, ctx)
                if v is False:
                    return False
                if v is None:
                    null = True
            return None if null else True
        return fand

    def f_or(row: tuple, ctx: Any) -> Any:
        null = False
        for a in args:
            v = a(row, ctx)
            if v is True:
                return True
            if v is None:
                null = True
        return None if null else False
    return f_or


def _c_nulltest(e: NullTest, layout: dict) -> Compiled:
    a = compile_expr(e.arg, layout)
    row_arg = getattr(e.arg, "is_row", False)
    if row_arg:
        # row IS NULL: all fields null; IS NOT NULL: all fields non-null
        if e.is_null:
            return lambda row, ctx: all(v is None for v in (a(row, ctx) or (None,)))
        return lambda row, ctx: all(v is not None for v in (a(row, ctx) or (None,)))
    if e.is_null:
        return lambda row, ctx: a(row, ctx) is None
    return lambda row, ctx: a(row, ctx) is not None


def _c_booltest(e: BoolTest, layout: dict) -> Compiled:
    a = compile_expr(e.arg, layout)
    k = e.kind
    tests = {
        "IS_TRUE": lambda v: v is True, "IS_NOT_TRUE": lambda v: v is not True,
        "IS_FALSE": lambda v: v is False, "IS_NOT_FALSE": lambda v: v is not False,
        "IS_UNKNOWN": lambda v: v is None, "IS_NOT_UNKNOWN": lambda v: v is not None,
    }
    t = tests[k]
    return lambda row, ctx: t(a(row, ctx))


def _c_case(e: Case, layout: dict) -> Compiled:
    whens = [(compile_expr(c, layout), compile_expr(r, layout)) for c, r in e.whens]
    d = compile_expr(e.default, layout) if e.default is not None else None

    def f(row: tuple, ctx: Any) -> Any:
        for c, r in whens:
            if c(row, ctx) is True:
                return r(row, ctx)
        return d(row, ctx) if d is not None else None
    return f


def _c_coalesce(e: Coalesce, layout: dict) -> Compiled:
    args = [compile_expr(a, layout) for a in e.args]

    def f(row: tuple, ctx: Any) -> Any:
        for a in args:
            v = a(row, ctx)
            if v is not None:
                return v
        return None
    return f


def _c_minmax(e: MinMax, layout: dict) -> Compiled:
    args = [compile_expr(a, layout) for a in e.args]
    lt = e.lt
    greatest = e.is_greatest

    def f(row: tuple, ctx: Any) -> Any:
        best = None
        for a in args:
            v = a(row, ctx)
            if v is None:
                continue
            if best is None or (lt(best, v) if greatest else lt(v, best)):
                best = v
        return best
    return f


def _c_nullif(e: NullIf, layout: dict) -> Compiled:
    a = compile_expr(e.left, layout)
    b = compile_expr(e.right, layout)
    eq = e.eq

    def f(row: tuple, ctx: Any) -> Any:
        x = a(row, ctx)
        if x is None:
            return None
        y = b(row, ctx)
        if y is not None and eq(x, y):
            return None
        return x
    return f


def _c_inlist(e: InList, layout: dict) -> Compiled:
    left = compile_expr(e.left, layout)
    items = [compile_expr(i, layout) for i in e.items]
    op = e.op
    use_or = e.use_or

    def f(row: tuple, ctx: Any) -> Any:
        x = left(row, ctx)
        null = x is None
        if null and items:
            return None
        for it in items:
            y = it(row, ctx)
            if y is None:
                null = True
                continue
            r = op(x, y)
            if r is None:
                null = True
            elif use_or and r:
                return True
            elif not use_or and not r:
                return False
        if null:
            return None
        return not use_or
    return f


def _c_sublink(e: SubLink, layout: dict) -> Compiled:
    from tuskdb.sql.execute.sublink import compile_sublink

    return compile_sublink(e, layout)


def _c_agg(e: Agg, layout: dict) -> Compiled:
    raise PgError("42803", "aggregate functions are not allowed here")


_COMPILERS: dict[type, Callable[[Any, dict], Compiled]] = {
    Const: _c_const, Literal: _c_literal, Param: _c_param, Var: _c_var, OuterVar: _c_outer,
    Func: _c_func, BoolExpr: _c_bool, NullTest: _c_nulltest, BoolTest: _c_booltest,
    Case: _c_case, Coalesce: _c_coalesce, MinMax: _c_minmax, NullIf: _c_nullif,
    InList: _c_inlist, SubLink: _c_sublink, Agg: _c_agg,
}


def register_compiler(cls: type, fn: Callable[[Any, dict], Compiled]) -> None:
    _COMPILERS[cls] = fn
