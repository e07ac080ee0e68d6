"""The built-in catalogue: OPERATORS, FUNCTIONS, CASTS (and find_cast).

Rows (OIDs, names, argument and result types, strictness, volatility) are
PostgreSQL 18's own, from ``catdata.py``.  A row becomes available when its
implementation exists: implementations are looked up by the C symbol
(``pg_proc.prosrc``, e.g. ``int4pl``) in the ``IMPLS`` dicts of the type
modules, by pg_proc OID for SQL-language built-ins (``IMPLS_BY_OID``), and in
``CTX_IMPLS`` for functions that need the session TypeContext (those are
called as ``func(ctx, *args)`` and flagged ``needs_ctx``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from tuskdb.types import arrays as _arrays
from tuskdb.types import bit as _bit
from tuskdb.types import bool as _bool
from tuskdb.types import bytea as _bytea
from tuskdb.types import catdata
from tuskdb.types import datetime as _datetime
from tuskdb.types import dbsize as _dbsize
from tuskdb.types import dtfuncs as _dtfuncs
from tuskdb.types import encoding as _encoding
from tuskdb.types import float as _float
from tuskdb.types import fromchar as _fromchar
from tuskdb.types import geo as _geo
from tuskdb.types import integer as _integer
from tuskdb.types import interval as _interval
from tuskdb.types import json as _json
from tuskdb.types import jsonfuncs as _jsonfuncs
from tuskdb.types import jsonpath_exec as _jsonpath_exec
from tuskdb.types import money as _money
from tuskdb.types import multiranges as _multiranges
from tuskdb.types import mathfuncs as _math
from tuskdb.types import network as _network
from tuskdb.types import numeric as _numeric
from tuskdb.types import pghash as _pghash
from tuskdb.types import ranges as _ranges
from tuskdb.types import recordfuncs as _recordfuncs
from tuskdb.types import records as _records
from tuskdb.types import regexfuncs as _regexfuncs
from tuskdb.types import series as _series
from tuskdb.types import strfuncs as _strfuncs
from tuskdb.types import text as _text
from tuskdb.types import timetz as _timetz
from tuskdb.types import tochar as _tochar
from tuskdb.types import usertypes as _usertypes
from tuskdb.types import uuid as _uuid
from tuskdb.types import xml as _xml
from tuskdb.types import xmlpath as _xmlpath
from tuskdb.types.tsearch import catdata as _ts_catdata
from tuskdb.types.tsearch import funcs as _tsfuncs
from tuskdb.types.registry import TYPES
from tuskdb.types.registry import format_type as _registry_format_type

_MODULES = (_integer, _float, _numeric, _bool, _text, _strfuncs, _bytea, _uuid, _interval,
            _datetime, _arrays, _math, _dtfuncs, _tochar, _series, _regexfuncs,
            _fromchar, _timetz, _json, _network, _ranges, _multiranges, _bit, _money, _recordfuncs,
            _jsonfuncs, _pghash, _usertypes, _geo, _jsonpath_exec, _tsfuncs,
            _records, _xml, _xmlpath,
            _encoding, _dbsize)

IMPLS: dict[str, Callable[..., Any]] = {}
CTX_IMPLS: dict[str, Callable[..., Any]] = {}
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {}
CTX_IMPLS_BY_OID: dict[int, Callable[..., Any]] = {}
IMPLS_BY_OID[1081] = _registry_format_type            # format_type(oid, int4), not strict
# the binary send functions (float4send(real) -> bytea ...) callable from SQL
for _t in TYPES.values():
    if _t.typtype == "b" and _t.category != "A" and _t.typsend not in ("-", "array_send"):
        IMPLS.setdefault(_t.typsend, lambda v, _send=_t.send: _send(v, None))
for _m in _MODULES:
    IMPLS.update(getattr(_m, "IMPLS", {}))
    CTX_IMPLS.update(getattr(_m, "CTX_IMPLS", {}))
    IMPLS_BY_OID.update(getattr(_m, "IMPLS_BY_OID", {}))
    CTX_IMPLS_BY_OID.update(getattr(_m, "CTX_IMPLS_BY_OID", {}))


@dataclass(frozen=True, slots=True)
class Function:
    """A pg_proc row with a Python implementation.

    ``strict``: the caller returns NULL without calling ``func`` when any
    argument is NULL.  ``variadic``: element type of the VARIADIC parameter
    (0 if none; 2276 = "any", whose arguments the caller passes already
    converted to text, see README).  ``retset``: ``func`` returns an iterable.
    ``out_names``/``out_types``: the OUT parameters of a function returning
    ``record`` (2249); ``func`` then returns one tuple in that order per row.
    """

    oid: int
    name: str
    arg_types: tuple[int, ...]
    ret_type: int
    func: Callable[..., Any]
    strict: bool = True
    volatility: str = "i"
    retset: bool = False
    variadic: int = 0
    needs_ctx: bool = False
    prosrc: str = ""
    arg_names: tuple[str, ...] = ()
    arg_defaults: tuple[Any, ...] = ()   # values of the trailing parameters with defaults
    out_names: tuple[str, ...] = ()      # OUT parameters of a record-returning function
    out_types: tuple[int, ...] = ()


def _default_values(sql: str, types_: tuple[int, ...]) -> tuple[Any, ...] | None:
    """Evaluate pg_get_expr(proargdefaults) for the simple constants built-ins use."""
    import re as _re
    parts = _re.findall(r"'(?:[^']|'')*'(?:::[\w\[\] ]+)?|[^,]+", sql)
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) != len(types_):
        return None
    out: list[Any] = []
    for text, oid in zip(parts, types_):
        m = _re.fullmatch(r"'((?:[^']|'')*)'(?:::[\w\[\] ]+)?", text)
        if m:
            lit = m.group(1).replace("''", "'")
        elif text.upper().startswith("NULL"):
            out.append(None)
            continue
        else:
            lit = text.strip("()")
        t = TYPES.get(oid)
        if t is None:
            return None
        try:
            out.append(t.input(lit, -1, None))
        except Exception:
            return None
    return tuple(out)


# pg_proc.proargnames / proargdefaults of the built-ins that have defaults
_ARG_INFO: dict[int, tuple[tuple[str, ...], tuple[Any, ...]]] = {}
_PROC_TYPES = {r[0]: r[2] for r in catdata.PROCS}
for _oid, (_names, _sql) in catdata.ARG_DEFAULTS.items():
    _types = _PROC_TYPES.get(_oid, ())
    _vals = None
    for _k in range(len(_types), 0, -1):
        _vals = _default_values(_sql, _types[-_k:])
        if _vals is not None:
            break
    _ARG_INFO[_oid] = (_names, _vals or ())


@dataclass(frozen=True, slots=True)
class Operator:
    """A pg_operator row; ``left == 0`` for prefix operators (then ``func(right)``)."""

    oid: int
    name: str
    left: int
    right: int
    result: int
    func: Callable[..., Any]
    commutator: int = 0
    negator: int = 0
    needs_ctx: bool = False
    proc_oid: int = 0


@dataclass(frozen=True, slots=True)
class Cast:
    """A pg_cast row.  ``func(value, typmod, ctx)`` converts a non-NULL value; None
    means binary coercible.  ``method``: 'f' function, 'b' binary, 'i' I/O
    conversion.  Length coercion to the target typmod is not part of the cast:
    the caller applies ``TYPES[target].coerce_typmod`` afterwards."""

    source: int
    target: int
    context: str
    func: Callable[[Any, int, Any], Any] | None
    method: str = "f"
    proc_oid: int = 0


def _impl_for(oid: int, prosrc: str) -> tuple[Callable[..., Any] | None, bool]:
    f = CTX_IMPLS_BY_OID.get(oid)
    if f is not None:
        return f, True
    f = IMPLS_BY_OID.get(oid)
    if f is not None:
        return f, False
    f = CTX_IMPLS.get(prosrc)
    if f is not None:
        return f, True
    return IMPLS.get(prosrc), False


FUNCTIONS: list[Function] = []
FUNCTIONS_BY_OID: dict[int, Function] = {}
FUNCTIONS_BY_NAME: dict[str, list[Function]] = {}
PROCS_BY_OID: dict[int, tuple[Any, ...]] = {row[0]: row for row in catdata.PROCS}
# text search rows live in their own generated file (types/tsearch/catdata.py)
_PROCS = list(catdata.PROCS) + [r for r in _ts_catdata.PROCS if r[0] not in PROCS_BY_OID]
PROCS_BY_OID.update({row[0]: row for row in _ts_catdata.PROCS})
_OUT_PARAMS = {**catdata.OUT_PARAMS, **_ts_catdata.OUT_PARAMS}

for (_oid, _name, _args, _ret, _strict, _vol, _retset, _variadic, _src,
     _kind) in _PROCS:
    if _kind != "f":
        continue
    _f, _needs_ctx = _impl_for(_oid, _src)
    if _f is None:
        continue
    _names, _defaults = _ARG_INFO.get(_oid, ((), ()))
    _onames, _otypes = _OUT_PARAMS.get(_oid, ((), ()))
    _fn = Function(_oid, _name, _args, _ret, _f, _strict, _vol, _retset, _variadic,
                   _needs_ctx, _src, _names, _defaults, _onames, _otypes)
    FUNCTIONS.append(_fn)
    FUNCTIONS_BY_OID[_oid] = _fn
    FUNCTIONS_BY_NAME.setdefault(_name, []).append(_fn)


OPERATORS: list[Operator] = []
OPERATORS_BY_OID: dict[int, Operator] = {}
OPERATORS_BY_NAME: dict[str, list[Operator]] = {}
for _oid, _name, _left, _right, _result, _com, _neg, _proc in (
        catdata.OPERATORS + _ts_catdata.OPERATORS):
    _row = PROCS_BY_OID.get(_proc)
    if _row is None:
        continue
    _f, _needs_ctx = _impl_for(_proc, _row[8])
    if _f is None:
        continue
    _op = Operator(_oid, _name, _left, _right, _result, _f, _com, _neg, _needs_ctx, _proc)
    OPERATORS.append(_op)
    OPERATORS_BY_OID[_oid] = _op
    OPERATORS_BY_NAME.setdefault(_name, []).append(_op)


# ---------------------------------------------------------------------------
# casts

def _wrap_cast(f: Callable[..., Any], needs_ctx: bool,
               nargs: int = 1) -> Callable[[Any, int, Any], Any]:
    if nargs >= 2:      # a cast function taking the target typmod (bit(int4, int4))
        if needs_ctx:
            return lambda v, typmod, ctx: f(ctx, v, typmod)
        return lambda v, typmod, ctx: f(v, typmod)
    if needs_ctx:
        return lambda v, typmod, ctx: f(ctx, v)
    return lambda v, typmod, ctx: f(v)


CASTS: dict[tuple[int, int], Cast] = {}
for _s, _t, _proc, _ctxt, _method in catdata.CASTS + _ts_catdata.CASTS:
    if _s == _t:
        continue  # length coercion: PgType.coerce_typmod
    if _s not in TYPES or _t not in TYPES:
        continue
    if _method == "b":
        CASTS[(_s, _t)] = Cast(_s, _t, _ctxt, None, "b")
        continue
    if _method == "i":
        _cf = _json.CAST_IMPLS.get((_s, _t))
        CASTS[(_s, _t)] = Cast(_s, _t, _ctxt, (lambda v, typmod, ctx, _cf=_cf: _cf(v))
                               if _cf is not None else None, "i")
        if _cf is None:
            del CASTS[(_s, _t)]
        continue
    _row = PROCS_BY_OID.get(_proc)
    if _row is None:
        continue
    _f, _needs_ctx = _impl_for(_proc, _row[8])
    if _f is None:
        continue
    CASTS[(_s, _t)] = Cast(_s, _t, _ctxt, _wrap_cast(_f, _needs_ctx, len(_row[2])), "f", _proc)

_STRING_CATEGORY = "S"


def _io_cast(source: int, target: int, context: str) -> Cast:
    out = TYPES[source].output
    inp = TYPES[target].input
    if source == 16 and TYPES[target].category == "S":
        # bool -> text uses booltext ('true'), an explicit pg_cast row; kept for safety
        return Cast(source, target, context, lambda v, typmod, ctx: "true" if v else "false")
    return Cast(source, target, context, lambda v, typmod, ctx: inp(out(v, ctx), -1, ctx), "i")


_IO_CASTS: dict[tuple[int, int], Cast | None] = {}


def find_cast(source: int, target: int) -> Cast | None:
    """The cast from source to target: a pg_cast row, an automatic I/O conversion
    (to a string type: context 'a'; from a string type: 'e'), or an array cast
    built from the element cast.  None if there is none.  source == target
    returns a binary-coercible cast."""
    c = CASTS.get((source, target))
    if c is not None:
        return c
    key = (source, target)
    if key in _IO_CASTS:
        return _IO_CASTS[key]
    res: Cast | None = None
    st, tt = TYPES.get(source), TYPES.get(target)
    if st is None or tt is None:
        return None
    if source == target:
        res = Cast(source, target, "i", None, "b")
    elif st.category == "A" and tt.category == "A" and st.elem_oid and tt.elem_oid \
            and st.typtype == "b" and source not in (22, 30) and target not in (22, 30):
        ec = find_cast(st.elem_oid, tt.elem_oid)
        if ec is not None:
            ef = ec.func
            if ef is None:
                res = Cast(source, target, ec.context, None, "b")
            else:
                def arr_cast(v: Any, typmod: int, ctx: Any, ef: Any = ef) -> Any:
                    return v.with_items([None if x is None else ef(x, typmod, ctx)
                                         for x in v.items])
                res = Cast(source, target, ec.context, arr_cast, "f")
    elif tt.category == _STRING_CATEGORY and st.typtype in ("b", "r") and source != 705:
        res = _io_cast(source, target, "a")
    elif st.category == _STRING_CATEGORY and tt.typtype in ("b", "r") and target != 705:
        res = _io_cast(source, target, "e")
    _IO_CASTS[key] = res
    return res
