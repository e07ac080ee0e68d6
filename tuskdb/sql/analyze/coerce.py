"""Type coercion (PostgreSQL's parse_coerce.c).

Contexts: 'i' implicit, 'a' assignment, 'e' explicit — a cast is usable when
its pg_cast context is at least as permissive as the one asked for.  Unknown
literals coerce to any type through the type's input function.
"""

from __future__ import annotations

from typing import Any

from tuskdb import types
from tuskdb.errors import CANNOT_COERCE, DATATYPE_MISMATCH, PgError
from tuskdb.sql.expr import Const, Expr, Func, Literal, Param
from tuskdb.types.usertypes import base_type

UNKNOWN = 705
FIRST_USER_OID = 16384
# types whose input reads the typmod (interval fields: '999' MINUTE means 999 minutes)
TYPMOD_INPUT = frozenset((1186,))
_VECTOR_CASTS = frozenset(((22, 1005), (30, 1028)))
TEXT, VARCHAR, BPCHAR, NAME = 25, 1043, 1042, 19
STRING_TYPES = frozenset((TEXT, VARCHAR, BPCHAR, NAME))
ANY_TYPES = frozenset((2276, 2283, 2776, 2277, 5077, 5078, 5079, 5080, 3831, 4537, 4538,
                       3500))   # any, anyelement, anyarray, ... (polymorphic pseudo-types)
POLYMORPHIC = ANY_TYPES
_RANK = {"i": 0, "a": 1, "e": 2}


def type_name(oid: int, typmod: int = -1) -> str:
    """format_type(oid, typmod) for messages."""
    t = types.TYPES.get(oid)
    if t is None:
        return f"{oid}" if oid else "-"
    if typmod >= 0:
        return t.format_type(typmod)
    return t.sql_name


def cast_path(source: int, target: int, context: str) -> tuple[bool, Any]:
    """(possible, cast) — cast is a types.Cast, 'io' for I/O conversion, or None (same)."""
    if source == target:
        return True, None
    if source >= FIRST_USER_OID or target >= FIRST_USER_OID:
        user = user_cast(source, target)
        if user is not None:
            return _RANK[user.context] <= _RANK[context], (
                "io" if user.method == "i" else user)
        source, target = base_type(source), base_type(target)
        if source == target:
            return True, None
    if (source, target) in _VECTOR_CASTS:
        return True, None          # int2vector/oidvector are their element arrays
    cast = types.CASTS.get((source, target))
    if cast is None and source >= FIRST_USER_OID:
        cast = _user_range_cast(source, target)
    if cast is not None:
        return _RANK[cast.context] <= _RANK[context], cast
    if target in STRING_TYPES and source != UNKNOWN:
        # I/O conversion to a string type: assignment context (or explicit)
        return _RANK[context] >= 1, "io"
    if source in STRING_TYPES and _RANK[context] == 2:
        return True, "io"
    st, tt = types.TYPES.get(source), types.TYPES.get(target)
    if (st is not None and tt is not None and st.category == "A" and tt.category == "A"
            and st.elem_oid and tt.elem_oid and target not in (22, 30)):   # not to int2/oidvector
        # array to array: the element coercion applied to every element (ArrayCoerceExpr)
        ok, elem_cast = cast_path(st.elem_oid, tt.elem_oid, context)
        if ok:
            return True, ("array", st.elem_oid, tt.elem_oid, elem_cast)
    return False, None


def _element_caster(source: int, target: int, cast: Any, typmod: int) -> Any:
    """fn(ctx, v) converting one array element (non-null) from source to target."""
    if cast is None or (not isinstance(cast, (str, tuple)) and cast.func is None):
        return None
    if cast == "io":
        src_t, dst_t = types.TYPES[source], types.TYPES[target]
        # CoerceViaIO reads with typmod -1; the length coercion step that follows
        # applies the typmod (an explicit cast truncates: point::varchar(3))
        typmod = typmod if target in TYPMOD_INPUT else -1
        return lambda ctx, v, _o=src_t.output, _i=dst_t.input: _i(_o(v, ctx.types), typmod,
                                                                    ctx.types)
    fn = cast.func
    return lambda ctx, v: fn(v, typmod, ctx.types)


def _array_coerce(cast: tuple, typmod: int) -> Any:
    _, src_elem, dst_elem, elem_cast = cast
    conv = _element_caster(src_elem, dst_elem, elem_cast, -1)
    t = types.TYPES[dst_elem]
    fix = t.coerce_typmod if typmod >= 0 else None

    def call(ctx: Any, arr: Any) -> Any:
        items = arr.items
        if conv is not None:
            items = [None if v is None else conv(ctx, v) for v in items]
        if fix is not None:
            items = [None if v is None else fix(v, typmod, True) for v in items]
        return types.Array(items, arr.lower, arr.dims, arr.lbounds)
    return call


class UserCast:
    """A pg_cast row made by CREATE CAST (found on the user type at either end)."""

    __slots__ = ("source", "target", "context", "method", "func_oid", "func")

    def __init__(self, source: int, target: int, context: str, method: str,
                 func_oid: int) -> None:
        self.source, self.target = source, target
        self.context, self.method, self.func_oid = context, method, func_oid
        self.func = None if method == "b" and _rep(source) == _rep(target) else \
            (_reinterpret(source, target) if method == "b" else None)


def _rep(oid: int) -> int:
    """The built-in type whose values a type holds (a user base type: its I/O owner)."""
    t = types.TYPES.get(oid)
    return getattr(t, "rep_oid", 0) or oid


def _reinterpret(source: int, target: int) -> Any:
    """A binary-coercible cast between types that TuskDB represents differently
    (xfloat4 holds int4 values, float4 floats): the same bytes, read as the target."""
    send = types.TYPES[_rep(source)].send
    recv = types.TYPES[_rep(target)].recv

    def cast(v: Any, typmod: int, ctx: Any) -> Any:
        return recv(send(v, ctx), -1, ctx)
    return cast


def user_cast(source: int, target: int) -> UserCast | None:
    for oid in (source, target):
        t = types.TYPES.get(oid)
        info = getattr(t, "casts", None)
        if info and (source, target) in info:
            context, method, func = info[(source, target)]
            return UserCast(source, target, context, method, func)
    return None


def _user_range_cast(source: int, target: int) -> Any:
    """The pg_cast row CREATE TYPE ... AS RANGE makes: range -> its multirange (explicit)."""
    from tuskdb.types.multiranges import make_multirange
    from tuskdb.types.ranges import RANGE_INFO
    info = RANGE_INFO.get(source)
    if info is None or info.multirange_oid != target:
        return None
    return types.builtins.Cast(source, target, "e",
                               lambda v, typmod, ctx: make_multirange(target, (v,)), "f")


def polymorphic_ok(source: int, target: int) -> bool:
    """Can an argument of type ``source`` bind to the polymorphic ``target``?
    (Unknown-typed arguments can bind to any: the call resolves them later.)"""
    if source == UNKNOWN:
        return True
    from tuskdb.sql.analyze.polymorphic import check_consistency
    return check_consistency([source], [target])


_ELEM_POLY = frozenset((2283, 2776, 5077, 5079, 3500))
_ARRAY_POLY_ALL = frozenset((2277, 5078))


def poly_unknowns(args: list[Expr], declared: Any, ctx: Any = None) -> list[Expr]:
    """Unknown-typed arguments bound to a polymorphic parameter take the type the
    other arguments fix (anyenum = 'label' reads the label as that enum)."""
    if not any(a.type_oid == UNKNOWN for a in args):
        return args
    elem = None
    for a, d in zip(args, declared):
        if a.type_oid == UNKNOWN:
            continue
        if d in _ELEM_POLY:
            elem = a.type_oid
            break
        if d in _ARRAY_POLY_ALL:
            t = types.TYPES.get(a.type_oid)
            if t is not None and t.elem_oid:
                elem = t.elem_oid
                break
    if elem is None:
        return args
    out = []
    for a, d in zip(args, declared):
        if a.type_oid == UNKNOWN and d in _ELEM_POLY:
            a = coerce_to(a, elem, ctx=ctx)
        elif a.type_oid == UNKNOWN and d in _ARRAY_POLY_ALL:
            et = types.TYPES.get(elem)
            if et is not None and et.array_oid:
                a = coerce_to(a, et.array_oid, ctx=ctx)
        out.append(a)
    return out + list(args[len(out):])


RECORD, RECORD_ARRAY = 2249, 2287


def _is_row_type(oid: int, array: bool) -> bool:
    t = types.TYPES.get(oid)
    if t is None:
        return False
    if array:
        if t.category != "A" or not t.elem_oid:
            return False
        return _is_row_type(t.elem_oid, False)
    if t.typtype == "d":
        t = types.TYPES.get(base_type(oid))
    return t is not None and (t.typtype == "c" or t.oid == RECORD)


def can_coerce(source: int, target: int, context: str = "i") -> bool:
    if source == target or (source == UNKNOWN and target not in POLYMORPHIC):
        return True
    if target in (RECORD, RECORD_ARRAY) and _is_row_type(source, target == RECORD_ARRAY):
        return True
    if source == RECORD and target >= FIRST_USER_OID and _is_row_type(target, False):
        return True
    if target in POLYMORPHIC:
        return polymorphic_ok(source, target)
    return cast_path(source, target, context)[0]


def coerce_to(expr: Expr, target: int, typmod: int = -1, context: str = "i",
              location: int = -1, ctx: Any = None) -> Expr:
    """Coerce ``expr`` to ``target`` (with typmod), or raise 42846."""
    source = expr.type_oid
    if target in ANY_TYPES or target == 0:
        return expr
    if source != target and (target == RECORD or target == RECORD_ARRAY) and \
            _is_row_type(source, target == RECORD_ARRAY):
        return expr         # a composite value is a record
    if source != target and target >= FIRST_USER_OID:
        tt = types.TYPES.get(target)
        if tt is not None and tt.typtype == "c" and (source == RECORD or
                                                     _is_row_type(source, False)):
            from tuskdb.sql.analyze.rowtypes import coerce_record
            return coerce_record(expr, target, context, location, ctx)
        if tt is not None and tt.typtype == "d":
            # to the base type, then the domain's constraints (CoerceToDomain)
            from tuskdb.sql.domaincheck import CoerceToDomain
            from tuskdb.types.usertypes import base_type_and_typmod
            ub, ubm = base_type_and_typmod(target)       # every domain level at once
            try:
                inner = coerce_to(expr, ub, ubm, context, location, ctx)
            except PgError as err:
                if err.sqlstate == CANNOT_COERCE:
                    raise PgError(CANNOT_COERCE, f"cannot cast type {type_name(source)} to "
                                  f"{type_name(target)}", position=err.position) from None
                raise
            return CoerceToDomain(inner, target, -1)
    if source != target and source >= FIRST_USER_OID:
        st = types.TYPES.get(source)
        if st is not None and st.typtype == "d":
            # a domain value is a value of its base type (binary coercible)
            base = _relabel(expr, st.base_oid)
            base.typmod = st.base_typmod
            try:
                return coerce_to(base, target, typmod, context, location, ctx)
            except PgError as err:
                if err.sqlstate == CANNOT_COERCE:
                    raise PgError(CANNOT_COERCE, f"cannot cast type {type_name(source)} to "
                                  f"{type_name(target)}", position=err.position) from None
                raise
    if source == UNKNOWN:
        return _coerce_unknown(expr, target, typmod, context == "e", ctx)
    if source != target:
        possible, cast = cast_path(source, target, context)
        if not possible:
            raise PgError(CANNOT_COERCE, f"cannot cast type {type_name(source)} to "
                          f"{type_name(target)}", position=location if location >= 0 else None)
        expr = _apply_cast(expr, source, target, cast, typmod, context == "e")
        if typmod < 0:
            return expr
    if typmod >= 0 and (expr.typmod != typmod or source != target):
        t = types.TYPES[target]
        fn = t.coerce_typmod
        explicit = context == "e"
        if isinstance(expr, Const) and expr.value is not None:
            return Const(fn(expr.value, typmod, explicit), target, typmod, expr.location)
        out = Func(lambda v, _f=fn, _m=typmod, _e=explicit: _f(v, _m, _e), [expr], target,
                   typmod, name=t.name)
        out.cast = (target, typmod, not explicit)
        return out
    return expr


def _coerce_unknown(expr: Expr, target: int, typmod: int, explicit: bool, ctx: Any) -> Expr:
    t = types.TYPES.get(target)
    if t is None:
        raise PgError(CANNOT_COERCE, f"cannot cast type unknown to {target}")
    if isinstance(expr, Const):
        if expr.value is None:
            return Const(None, target, typmod, expr.location)
        if _reg(target) and target not in (24, 2202, 2203, 2204, 4191):
            # regclass & co. read names through the session's catalogs
            return Func(lambda ctx, v, _t=target: ctx.session.reg_input(_t, v), [expr],
                        target, -1, name=t.name, needs_ctx=True)
        value = _input(t, expr.value, typmod if target in TYPMOD_INPUT else -1, ctx,
                       expr.location)
        if typmod >= 0:
            value = t.coerce_typmod(value, typmod, explicit)
        return Const(value, target, typmod, expr.location)
    if isinstance(expr, Literal):
        lit = Literal(expr.slot, target, typmod, expr.location)
        lit.value = getattr(expr, "value", None)
        if lit.value is not None and target != 705:
            # check the value now, so a bad literal fails with its position at analysis
            _input(t, lit.value, typmod if target in TYPMOD_INPUT else -1, ctx,
                   expr.location) if not _reg(target) else None
        lit.explicit = explicit
        return lit
    if isinstance(expr, Param):
        state = getattr(expr, "state", None)
        if state is not None:
            state.set_param_type(expr.number, target)
        out = Param(expr.number, target, -1)
        if typmod >= 0:
            fn = t.coerce_typmod
            return Func(lambda v, _f=fn, _m=typmod, _e=explicit: _f(v, _m, _e), [out], target,
                        typmod, name=t.name)
        return out
    # an unknown-typed expression that is not a literal (e.g. a subquery column)
    return Func(lambda v, _t=t, _m=typmod: _t.input(v, _m, types.DEFAULT_CONTEXT), [expr],
                target, typmod, name=t.name)


def _reg(oid: int) -> bool:
    """OID alias types (and arrays of them) whose input needs the catalogs."""
    if oid in (2205, 2206, 4089, 4096, 24, 2202, 2203, 2204, 3734, 3769, 4191):
        return True
    t = types.TYPES.get(oid)
    return t is not None and t.category == "A" and t.elem_oid in (2205, 2206, 4089, 4096,
                                                                  3734, 3769)


def _input(t: Any, text: str, typmod: int, ctx: Any, location: int) -> Any:
    try:
        return t.input(text, typmod, ctx if ctx is not None else types.DEFAULT_CONTEXT)
    except PgError as err:
        if err.position is None and location >= 0:
            err.position = location
        raise


def _apply_cast(expr: Expr, source: int, target: int, cast: Any, typmod: int,
                explicit: bool) -> Expr:
    if cast == "io":
        src_t, dst_t = types.TYPES[source], types.TYPES[target]
        # CoerceViaIO reads with typmod -1; the length coercion step that follows
        # applies the typmod (an explicit cast truncates: point::varchar(3))
        typmod = typmod if target in TYPMOD_INPUT else -1

        def io(ctx: Any, v: Any, _o=src_t.output, _i=dst_t.input, _m=typmod) -> Any:
            return _i(_o(v, ctx.types), _m, ctx.types)
        _reg_elem = src_t.elem_oid if src_t.category == "A" else 0
        if _reg_elem in (2205, 2206, 4089, 4096, 3734, 3769, 24, 2204):
            # arrays of them print their elements' names
            def io(ctx: Any, v: Any, _e=_reg_elem, _i=dst_t.input, _m=typmod) -> Any:
                from tuskdb.types.arrays import array_out
                return _i(array_out(v, lambda x, c: ctx.session.reg_output(_e, x), ctx.types),
                          _m, ctx.types)
        if source in (2205, 2206, 4089, 4096, 3734, 3769, 24, 2204):
            # regclass & co. (and regconfig/regdictionary) print names, which needs the session's catalogs
            def io(ctx: Any, v: Any, _s=source, _i=dst_t.input, _m=typmod) -> Any:
                return _i(ctx.session.reg_output(_s, v), _m, ctx.types)
        out = Func(io, [expr], target, typmod, name=dst_t.name, needs_ctx=True)
    elif isinstance(cast, tuple):
        out = Func(_array_coerce(cast, -1), [expr], target, -1, name=type_name(target),
                   needs_ctx=True)
    elif isinstance(cast, UserCast) and cast.method == "f":
        out = _user_function_cast(expr, cast, typmod, explicit)
    elif cast is None or cast.func is None:
        out = _relabel(expr, target)
    else:
        fn = cast.func
        out = Func(_cast_caller(fn, typmod), [expr], target, -1, name=type_name(target),
                   needs_ctx=True)
    out.cast = (target, -1, not explicit)
    if source in _FOLDABLE and target in _FOLDABLE:
        return _fold(out)
    return out


# types whose casts do not depend on session settings (TimeZone, DateStyle, ...)
_FOLDABLE = frozenset((16, 20, 21, 23, 26, 700, 701, 1700, 25, 1043, 1042, 19, 17, 2950, 18))


def _user_function_cast(expr: Expr, cast: UserCast, typmod: int, explicit: bool) -> Expr:
    """CREATE CAST ... WITH FUNCTION f: a call of f (with the typmod and the
    explicitness when it takes them); its result relabeled to the target."""
    from tuskdb.sql.commands.functioncmds import function_by_oid

    def call(ctx: Any, v: Any, _oid=cast.func_oid, _m=typmod, _e=explicit) -> Any:
        fn = function_by_oid(ctx.session, _oid)
        n = len(fn.argtypes)
        args = (v, _m, _e)[:n]
        return fn.call(ctx, args, tuple(fn.argtypes))
    return Func(call, [expr], cast.target, -1, name=type_name(cast.target), needs_ctx=True)


def _cast_caller(fn: Any, typmod: int) -> Any:
    def call(ctx: Any, v: Any) -> Any:
        return fn(v, typmod, ctx.types)
    return call


def _relabel(expr: Expr, target: int) -> Expr:
    if isinstance(expr, Const):
        return Const(expr.value, target, -1, expr.location)
    return Func(lambda v: v, [expr], target, -1, name="relabel")


class _FoldCtx:
    types = types.DEFAULT_CONTEXT


def _fold(expr: Expr) -> Expr:
    """Evaluate a cast of a constant now (immutable casts only)."""
    if isinstance(expr, Func) and len(expr.args) == 1 and isinstance(expr.args[0], Const) \
            and not expr.volatile:
        v = expr.args[0].value
        if v is None:
            return Const(None, expr.type_oid, expr.typmod)
        if expr.needs_ctx:
            return Const(expr.fn(_FoldCtx, v), expr.type_oid, expr.typmod)
        return Const(expr.fn(v), expr.type_oid, expr.typmod)
    return expr


def require_bool(expr: Expr, what: str, ctx: Any = None) -> Expr:
    """Coerce a WHERE/HAVING/ON/CHECK condition to boolean (42804 if impossible)."""
    if expr.type_oid == 16:
        return expr
    if expr.type_oid == UNKNOWN:
        return coerce_to(expr, 16, ctx=ctx)
    raise PgError(DATATYPE_MISMATCH, f"argument of {what} must be type boolean, not type "
                  f"{type_name(expr.type_oid)}")


def select_common_type(exprs: list[Expr], what: str, location: int = -1) -> int:
    """PostgreSQL's select_common_type for UNION/CASE/VALUES/COALESCE/ARRAY/IN."""
    ptype = exprs[0].type_oid
    if all(e.type_oid == ptype for e in exprs):
        return TEXT if ptype == UNKNOWN else ptype
    known = [e for e in exprs if e.type_oid != UNKNOWN]
    if not known:
        return TEXT
    if any(e.type_oid == RECORD for e in known) and \
            all(_is_row_type(e.type_oid, False) for e in known):
        return RECORD       # a named composite and anonymous records: compare as records
    if any(e.type_oid >= FIRST_USER_OID for e in known) and \
            len({e.type_oid for e in known}) > 1:
        # domains take part as their base types unless all inputs are the same domain
        known = [_relabel(e, base_type(e.type_oid)) if e.type_oid >= FIRST_USER_OID else e
                 for e in known]
        if all(e.type_oid == known[0].type_oid for e in known):
            return known[0].type_oid
    ptype = known[0].type_oid
    pt = types.TYPES.get(ptype)
    pcat = pt.category if pt else "U"
    ppref = pt.preferred if pt else False
    for e in known[1:]:
        ntype = e.type_oid
        if ntype == ptype:
            continue
        nt = types.TYPES.get(ntype)
        ncat = nt.category if nt else "U"
        if ncat != pcat:
            at = getattr(e, "location", None)
            at = at if at is not None and at >= 0 else location
            raise PgError(DATATYPE_MISMATCH, f"{what} types {type_name(ptype)} and "
                          f"{type_name(ntype)} cannot be matched",
                          position=at if at >= 0 else None)
        if not ppref and can_coerce(ptype, ntype) and not can_coerce(ntype, ptype):
            ptype, pcat, ppref = ntype, ncat, nt.preferred if nt else False
    return ptype


def coerce_all(exprs: list[Expr], target: int, what: str, ctx: Any = None) -> list[Expr]:
    out = []
    for e in exprs:
        if e.type_oid != target and not can_coerce(e.type_oid, target):
            raise PgError(CANNOT_COERCE, f"{what} could not convert type "
                          f"{type_name(e.type_oid)} to {type_name(target)}")
        out.append(coerce_to(e, target, ctx=ctx))
    return out
