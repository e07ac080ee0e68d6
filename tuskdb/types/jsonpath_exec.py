"""jsonpath evaluation: jsonb_path_exists/match/query(_array/_first)(_tz), @? and @@.

The executor walks the item chain of a ``JsonPath`` over a jsonb tree the way
PostgreSQL's jsonpath_exec.c does, with the same lax/strict rules:

- lax mode wraps a non-array in an array for array accessors and unwraps
  arrays for member accessors, item methods and filters, and ignores
  structural errors (missing keys, wrong types for accessors);
- strict mode reports them; ``jsonb_path_exists`` in strict mode evaluates the
  whole path so that an error anywhere is seen.

Items found are appended to a ``found`` list (None when the caller only needs
to know whether something exists, which lets evaluation stop at the first
item).  Errors PostgreSQL reports through RETURN_ERROR raise ``PgError`` when
errors are thrown and ``_Soft`` otherwise (silent => true, and the operands of
predicates, whose errors make the predicate unknown); the items found before
a soft error are kept, as in PostgreSQL.

Values are jsonb tree values (dict, list, str, Decimal, bool, None) plus
``JpDatetime`` for the results of the datetime item methods.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from tuskdb.errors import PgError
from tuskdb.types import numeric as _num
from tuskdb.types.json import Jsonb, jsonb_text, key_order
from tuskdb.types.jsonpath import JpItem, JsonPath, compile_like_regex

_TRUE, _FALSE, _UNKNOWN = 1, 0, -1


class _Soft(Exception):
    """A jsonpath error while errors are not thrown (jperError)."""


class JpDatetime:
    """A datetime item: typid 1082 date, 1083 time, 1266 timetz, 1114 timestamp,
    1184 timestamptz; ``value`` the type's internal value; ``tz`` the zone offset
    (seconds east of UTC) a timestamptz was read with, for its text form."""

    __slots__ = ("typid", "tz", "value")

    def __init__(self, typid: int, value: Any, tz: int | None = None) -> None:
        self.typid = typid
        self.value = value
        self.tz = tz


_TYPE_NAMES = {1082: "date", 1083: "time without time zone", 1266: "time with time zone",
               1114: "timestamp without time zone", 1184: "timestamp with time zone"}


def type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, Decimal):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return _TYPE_NAMES[v.typid]


def _is_num(v: Any) -> bool:
    return isinstance(v, Decimal)


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


class _Ctx:
    __slots__ = (
        "_offsets",
        "base",
        "current",
        "ignore_structural",
        "innermost_size",
        "last_generated_id",
        "lax",
        "root",
        "tctx",
        "throw",
        "use_tz",
        "vars",
    )

    def __init__(self, path: JsonPath, root: Any, vars_: dict | None, throw: bool,
                 use_tz: bool, tctx: Any) -> None:
        self.lax = path.lax
        self.ignore_structural = path.lax
        self.root = root
        self.current = root
        self.vars = vars_
        self.base: tuple[Any, int] = (None, 0)
        self.last_generated_id = 1 + (len(vars_) if vars_ else 0)
        self.innermost_size = -1
        self.throw = throw
        self.use_tz = use_tz
        self.tctx = tctx
        self._offsets: dict[int, dict[int, int]] = {}

    def error(self, sqlstate: str, message: str, **kw: Any) -> Exception:
        if self.throw:
            return PgError(sqlstate, message, **kw)
        return _Soft()

    def offset_in_base(self, container: Any) -> int:
        base_tree, _ = self.base
        if base_tree is None:
            return 0
        key = id(base_tree)
        offs = self._offsets.get(key)
        if offs is None:
            offs = self._offsets[key] = container_offsets(base_tree)
        return offs.get(id(container), 0)


# ---------------------------------------------------------------------------------
# container offsets in PostgreSQL's binary jsonb (keyvalue() ids)

def _numeric_size(d: Decimal) -> int:
    if not d.is_finite():
        return 6
    weight, digits, dscale = _num.to_nbase(d)
    ndigits = len(digits)
    short = dscale <= 63 and -64 <= weight <= 63
    return 4 + (2 if short else 4) + 2 * ndigits if ndigits else 4 + 2


def container_offsets(tree: Any) -> dict[int, int]:
    """id(container) -> byte offset of that container inside the root container."""
    offs: dict[int, int] = {}

    def size(v: Any, start: int) -> int:
        """Bytes v's data occupies when its data starts at ``start`` (incl. padding)."""
        if isinstance(v, str):
            return len(v.encode())
        if isinstance(v, Decimal):
            pad = (-start) % 4
            return pad + _numeric_size(v)
        if isinstance(v, (dict, list)):
            pad = (-start) % 4
            return pad + container(v, start + pad)
        return 0  # bool, null

    def container(v: Any, start: int) -> int:
        offs[id(v)] = start
        if isinstance(v, dict):
            items = list(v.keys()) + list(v.values())
        else:
            items = list(v)
        pos = start + 4 + 4 * len(items)
        for it in items:
            pos += size(it, pos)
        return pos - start

    if isinstance(tree, (dict, list)):
        container(tree, 0)
    return offs


# ---------------------------------------------------------------------------------
# the executor

def _execute(ctx: _Ctx, jsp: JpItem, jb: Any, found: list | None) -> bool:
    return _execute_opt_unwrap_target(ctx, jsp, jb, found, ctx.lax)


def _next(ctx: _Ctx, cur: JpItem, v: Any, found: list | None) -> bool:
    nxt = cur.next
    if nxt is not None:
        return _execute(ctx, nxt, v, found)
    if found is not None:
        found.append(v)
    return True


def _unwrap_target_array(ctx: _Ctx, jsp: JpItem | None, jb: list, found: list | None,
                         unwrap_elements: bool) -> bool:
    return _execute_any(ctx, jsp, jb, found, 1, 1, 1, False, unwrap_elements)


def _execute_any(ctx: _Ctx, jsp: JpItem | None, jbc: Any, found: list | None, level: int,
                 first: int, last: int, ignore_structural: bool, unwrap_next: bool) -> bool:
    """executeAnyItem: visit the members/elements of jbc at levels first..last
    (-1 = unbounded, PostgreSQL's PG_UINT32_MAX)."""
    res = False
    ulast = last if last >= 0 else 1 << 32
    ufirst = first if first >= 0 else 1 << 32
    if level > ulast:
        return res
    values = jbc.values() if isinstance(jbc, dict) else jbc
    for v in list(values):
        container = isinstance(v, (dict, list))
        if level >= ufirst or (first == -1 and last == -1 and not container):
            if jsp is not None:
                if ignore_structural:
                    saved = ctx.ignore_structural
                    ctx.ignore_structural = True
                    try:
                        res = _execute_opt_unwrap_target(ctx, jsp, v, found, unwrap_next)
                    finally:
                        ctx.ignore_structural = saved
                else:
                    res = _execute_opt_unwrap_target(ctx, jsp, v, found, unwrap_next)
                if res and found is None:
                    return True
            elif found is not None:
                found.append(v)
            else:
                return True
        if level < ulast and container:
            res = _execute_any(ctx, jsp, v, found, level + 1, first, last, ignore_structural,
                               unwrap_next)
            if res and found is None:
                return True
    return res


def _execute_opt_unwrap_target(ctx: _Ctx, jsp: JpItem, jb: Any, found: list | None,
                               unwrap: bool) -> bool:
    k = jsp.kind
    if k in ("null", "bool", "num", "str", "var"):
        if jsp.next is None and found is None and k != "var":
            return True
        saved = ctx.base
        try:
            return _next(ctx, jsp, _literal(ctx, jsp), found)
        finally:
            ctx.base = saved
    if k in _BOOL_KINDS:
        st = _execute_bool(ctx, jsp, jb, True)
        if found is None:
            return True
        return _next(ctx, jsp, None if st == _UNKNOWN else st == _TRUE, found)
    if k in _ARITH:
        return _binary_arith(ctx, jsp, jb, _ARITH[k], found)
    if k == "plus" or k == "minus":
        return _unary_arith(ctx, jsp, jb, k, found)
    if k == "anyarray":
        if isinstance(jb, list):
            return _unwrap_target_array(ctx, jsp.next, jb, found, ctx.lax)
        if ctx.lax:
            return _next(ctx, jsp, jb, found)
        if not ctx.ignore_structural:
            raise ctx.error("22039", "jsonpath wildcard array accessor can only be applied "
                            "to an array")
        return False
    if k == "anykey":
        if isinstance(jb, dict):
            return _execute_any(ctx, jsp.next, jb, found, 1, 1, 1, False, ctx.lax)
        if unwrap and isinstance(jb, list):
            return _unwrap_target_array(ctx, jsp, jb, found, False)
        if not ctx.ignore_structural:
            raise ctx.error("2203C", "jsonpath wildcard member accessor can only be applied "
                            "to an object")
        return False
    if k == "index":
        return _index_array(ctx, jsp, jb, found)
    if k == "any":
        first, last = jsp.value
        res = False
        if first == 0:
            saved = ctx.ignore_structural
            ctx.ignore_structural = True
            try:
                res = _next(ctx, jsp, jb, found)
            finally:
                ctx.ignore_structural = saved
            if res and found is None:
                return True
        if isinstance(jb, (dict, list)):
            res = _execute_any(ctx, jsp.next, jb, found, 1, first, last, True, ctx.lax)
        return res
    if k == "key":
        if isinstance(jb, dict):
            if jsp.value in jb:
                return _next(ctx, jsp, jb[jsp.value], found)
            if not ctx.ignore_structural:
                raise ctx.error("2203A", f'JSON object does not contain key "{jsp.value}"')
            return False
        if unwrap and isinstance(jb, list):
            return _unwrap_target_array(ctx, jsp, jb, found, False)
        if not ctx.ignore_structural:
            raise ctx.error("2203A", "jsonpath member accessor can only be applied to an "
                            "object")
        return False
    if k == "current":
        return _next(ctx, jsp, ctx.current, found)
    if k == "root":
        saved = ctx.base
        ctx.base = (ctx.root, 0)
        try:
            return _next(ctx, jsp, ctx.root, found)
        finally:
            ctx.base = saved
    if k == "filter":
        if unwrap and isinstance(jb, list):
            return _unwrap_target_array(ctx, jsp, jb, found, False)
        st = _execute_nested_bool(ctx, jsp.a, jb)
        if st != _TRUE:
            return False
        return _next(ctx, jsp, jb, found)
    if k == "last":
        if ctx.innermost_size < 0:
            raise PgError("XX000", "evaluating jsonpath LAST outside of array subscript")
        if jsp.next is None and found is None:
            return True
        return _next(ctx, jsp, Decimal(ctx.innermost_size - 1), found)
    if k == "method":
        return _METHODS[jsp.value](ctx, jsp, jb, unwrap, found)
    if k == "decimal":
        return _number_method(ctx, jsp, jb, unwrap, found, "decimal")
    if k in ("datetime", "time", "time_tz", "timestamp", "timestamp_tz"):
        if unwrap and isinstance(jb, list):
            return _unwrap_target_array(ctx, jsp, jb, found, False)
        from tuskdb.types.jsonpath_datetime import execute_datetime_method
        v = execute_datetime_method(ctx, jsp, jb)
        return _next(ctx, jsp, v, found)
    raise PgError("XX000", f"unrecognized jsonpath item type: {k}")  # pragma: no cover


def _literal(ctx: _Ctx, jsp: JpItem) -> Any:
    k = jsp.kind
    if k == "var":
        return _get_variable(ctx, jsp.value)
    if k == "null":
        return None
    return jsp.value


def _get_variable(ctx: _Ctx, name: str) -> Any:
    if ctx.vars is None or name not in ctx.vars:
        raise PgError("42704", f'could not find jsonpath variable "{name}"')
    v = ctx.vars[name]
    if isinstance(v, (dict, list)):
        ctx.base = (ctx.vars, 1)
    return v


def _get_array_index(ctx: _Ctx, jsp: JpItem, jb: Any) -> int:
    found: list = []
    _execute_opt_unwrap_result(ctx, jsp, jb, True, found)
    if len(found) != 1 or not _is_num(found[0]):
        raise ctx.error("22033", "jsonpath array subscript is not a single numeric value")
    d = found[0]
    try:
        if not d.is_finite():
            raise ValueError
        i = int(d.to_integral_value(rounding="ROUND_DOWN"))
        if not -2147483648 <= i <= 2147483647:
            raise ValueError
    except (ValueError, ArithmeticError):
        raise ctx.error("22033", "jsonpath array subscript is out of integer range") from None
    return i


def _index_array(ctx: _Ctx, jsp: JpItem, jb: Any, found: list | None) -> bool:
    if not (isinstance(jb, list) or ctx.lax):
        if not ctx.ignore_structural:
            raise ctx.error("22039", "jsonpath array accessor can only be applied to an array")
        return False
    saved_size = ctx.innermost_size
    singleton = not isinstance(jb, list)
    size = 1 if singleton else len(jb)
    ctx.innermost_size = size
    res = False
    try:
        for frm, to in jsp.value:
            index_from = _get_array_index(ctx, frm, jb)
            index_to = _get_array_index(ctx, to, jb) if to is not None else index_from
            if not ctx.ignore_structural and (index_from < 0 or index_from > index_to
                                              or index_to >= size):
                raise ctx.error("22033", "jsonpath array subscript is out of bounds")
            index_from = max(index_from, 0)
            index_to = min(index_to, size - 1)
            res = False
            for index in range(index_from, index_to + 1):
                v = jb if singleton else jb[index]
                if jsp.next is None and found is None:
                    return True
                res = _next(ctx, jsp, v, found)
                if res and found is None:
                    break
            if res and found is None:
                break
    finally:
        ctx.innermost_size = saved_size
    return res


def _execute_opt_unwrap_result(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool,
                               found: list) -> bool:
    if unwrap and ctx.lax:
        seq: list = []
        _execute(ctx, jsp, jb, seq)
        for item in seq:
            if isinstance(item, list):
                _unwrap_target_array(ctx, None, item, found, False)
            else:
                found.append(item)
        return True
    return _execute(ctx, jsp, jb, found)


def _execute_opt_unwrap_result_nothrow(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool,
                                       found: list | None) -> bool | None:
    """None on error (jperError)."""
    saved = ctx.throw
    ctx.throw = False
    try:
        if found is None:
            return _execute(ctx, jsp, jb, None)
        return _execute_opt_unwrap_result(ctx, jsp, jb, unwrap, found)
    except _Soft:
        return None
    finally:
        ctx.throw = saved


# --- arithmetic -------------------------------------------------------------------

def _num_div(a: Decimal, b: Decimal) -> Decimal:
    return _num.numeric_div(a, b)


_ARITH: dict[str, tuple[str, Callable[[Decimal, Decimal], Decimal]]] = {
    "+": ("+", _num.numeric_add), "-": ("-", _num.numeric_sub),
    "*": ("*", _num.numeric_mul), "/": ("/", _num_div), "%": ("%", _num.numeric_mod),
}


def _binary_arith(ctx: _Ctx, jsp: JpItem, jb: Any, op: tuple[str, Callable[..., Decimal]],
                  found: list | None) -> bool:
    lseq: list = []
    _execute_opt_unwrap_result(ctx, jsp.a, jb, True, lseq)
    rseq: list = []
    _execute_opt_unwrap_result(ctx, jsp.b, jb, True, rseq)
    name, fn = op
    if len(lseq) != 1 or not _is_num(lseq[0]):
        raise ctx.error("22038", f"left operand of jsonpath operator {name} is not a single "
                        "numeric value")
    if len(rseq) != 1 or not _is_num(rseq[0]):
        raise ctx.error("22038", f"right operand of jsonpath operator {name} is not a single "
                        "numeric value")
    try:
        res = fn(lseq[0], rseq[0])
    except PgError:
        if ctx.throw:
            raise
        raise _Soft() from None
    if jsp.next is None and found is None:
        return True
    return _next(ctx, jsp, res, found)


def _unary_arith(ctx: _Ctx, jsp: JpItem, jb: Any, kind: str, found: list | None) -> bool:
    seq: list = []
    _execute_opt_unwrap_result(ctx, jsp.a, jb, True, seq)
    res = False
    has_next = jsp.next is not None
    for val in seq:
        if _is_num(val):
            if found is None and not has_next:
                return True
        else:
            if found is None and not has_next:
                continue
            raise ctx.error("2203B", "operand of unary jsonpath operator "
                            f"{'+' if kind == 'plus' else '-'} is not a numeric value")
        if kind == "minus":
            val = _num.numeric_uminus(val)
        r2 = _next(ctx, jsp, val, found)
        if r2:
            if found is None:
                return True
            res = True
    return res


# --- predicates -------------------------------------------------------------------

_BOOL_KINDS = frozenset(("&&", "||", "==", "!=", "<", ">", "<=", ">=", "starts", "!",
                         "unknown", "exists", "like_regex"))


def _execute_nested_bool(ctx: _Ctx, jsp: JpItem, jb: Any) -> int:
    prev = ctx.current
    ctx.current = jb
    try:
        return _execute_bool(ctx, jsp, jb, False)
    finally:
        ctx.current = prev


def _execute_bool(ctx: _Ctx, jsp: JpItem, jb: Any, can_have_next: bool) -> int:
    k = jsp.kind
    if k == "&&":
        res = _execute_bool(ctx, jsp.a, jb, False)
        if res == _FALSE:
            return _FALSE
        res2 = _execute_bool(ctx, jsp.b, jb, False)
        return res if res2 == _TRUE else res2
    if k == "||":
        res = _execute_bool(ctx, jsp.a, jb, False)
        if res == _TRUE:
            return _TRUE
        res2 = _execute_bool(ctx, jsp.b, jb, False)
        return res if res2 == _FALSE else res2
    if k == "!":
        res = _execute_bool(ctx, jsp.a, jb, False)
        if res == _UNKNOWN:
            return _UNKNOWN
        return _FALSE if res == _TRUE else _TRUE
    if k == "unknown":
        res = _execute_bool(ctx, jsp.a, jb, False)
        return _TRUE if res == _UNKNOWN else _FALSE
    if k in ("==", "!=", "<", ">", "<=", ">="):
        return _execute_predicate(ctx, jsp, jsp.a, jsp.b, jb, True,
                                  lambda lv, rv: compare_items(ctx, k, lv, rv))
    if k == "starts":
        return _execute_predicate(ctx, jsp, jsp.a, jsp.b, jb, False, _starts_with)
    if k == "like_regex":
        pattern, flags = jsp.value
        rx = compile_like_regex(pattern, flags)

        def like(s: Any, _unused: Any) -> int:
            if not _is_str(s):
                return _UNKNOWN
            return _TRUE if rx.search(s) else _FALSE
        return _execute_predicate(ctx, jsp, jsp.a, None, jb, False, like)
    if k == "exists":
        if not ctx.lax:
            vals: list = []
            r = _execute_opt_unwrap_result_nothrow(ctx, jsp.a, jb, False, vals)
            if r is None:
                return _UNKNOWN
            return _TRUE if vals else _FALSE
        r = _execute_opt_unwrap_result_nothrow(ctx, jsp.a, jb, False, None)
        if r is None:
            return _UNKNOWN
        return _TRUE if r else _FALSE
    raise PgError("XX000", f"invalid boolean jsonpath item type: {k}")  # pragma: no cover


def _execute_predicate(ctx: _Ctx, pred: JpItem, larg: JpItem, rarg: JpItem | None, jb: Any,
                       unwrap_right: bool, fn: Callable[[Any, Any], int]) -> int:
    lseq: list = []
    if _execute_opt_unwrap_result_nothrow(ctx, larg, jb, True, lseq) is None:
        return _UNKNOWN
    rseq: list = []
    if rarg is not None and \
            _execute_opt_unwrap_result_nothrow(ctx, rarg, jb, unwrap_right, rseq) is None:
        return _UNKNOWN
    error = False
    found = False
    for lv in lseq:
        for rv in (rseq if rarg is not None else (None,)):
            res = fn(lv, rv)
            if res == _UNKNOWN:
                if not ctx.lax:
                    return _UNKNOWN
                error = True
            elif res == _TRUE:
                if ctx.lax:
                    return _TRUE
                found = True
    if found:
        return _TRUE
    if error:
        return _UNKNOWN
    return _FALSE


def _starts_with(whole: Any, initial: Any) -> int:
    if not _is_str(whole) or not _is_str(initial):
        return _UNKNOWN
    return _TRUE if whole.startswith(initial) else _FALSE


def _kind(v: Any) -> int:
    if v is None:
        return 0
    if isinstance(v, bool):
        return 1
    if isinstance(v, Decimal):
        return 2
    if isinstance(v, str):
        return 3
    if isinstance(v, JpDatetime):
        return 4
    return 5


def compare_items(ctx: _Ctx, op: str, a: Any, b: Any) -> int:
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        if ka == 0 or kb == 0:
            return _TRUE if op == "!=" else _FALSE
        return _UNKNOWN
    if ka == 0:
        cmp = 0
    elif ka == 1:
        cmp = 0 if a == b else (1 if a else -1)
    elif ka == 2:
        cmp = _num.numeric_cmp(a, b)
    elif ka == 3:
        if op == "==":
            return _TRUE if a == b else _FALSE
        cmp = (a > b) - (a < b)   # code point order, as PostgreSQL's compareStrings
    elif ka == 4:
        from tuskdb.types.jsonpath_datetime import compare_datetime
        c = compare_datetime(ctx, a, b)
        if c is None:
            return _UNKNOWN
        cmp = c
    else:
        return _UNKNOWN
    res = {"==": cmp == 0, "!=": cmp != 0, "<": cmp < 0, ">": cmp > 0, "<=": cmp <= 0,
           ">=": cmp >= 0}[op]
    return _TRUE if res else _FALSE


# --- item methods -----------------------------------------------------------------

def _m_type(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
    return _next(ctx, jsp, type_name(jb), found)


def _m_size(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
    if isinstance(jb, list):
        size = len(jb)
    else:
        if not ctx.lax:
            if not ctx.ignore_structural:
                raise ctx.error("22039", "jsonpath item method .size() can only be applied to "
                                "an array")
            return False
        size = 1
    return _next(ctx, jsp, Decimal(size), found)


def _numeric_method(fn: Callable[[Decimal], Decimal], name: str) -> Callable[..., bool]:
    def method(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
        if unwrap and isinstance(jb, list):
            return _unwrap_target_array(ctx, jsp, jb, found, False)
        if not _is_num(jb):
            raise ctx.error("22036", f"jsonpath item method .{name}() "
                            "can only be applied to a numeric value")
        res = fn(jb)
        if jsp.next is None and found is None:
            return True
        return _next(ctx, jsp, res, found)
    return method


def _invalid_arg(ctx: _Ctx, arg: str, name: str, typ: str) -> Exception:
    return ctx.error("22036", f'argument "{arg}" of jsonpath item method .{name}() is invalid '
                     f"for type {typ}")


def _m_double(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
    from tuskdb.types.float import float8_in
    if unwrap and isinstance(jb, list):
        return _unwrap_target_array(ctx, jsp, jb, found, False)
    if _is_num(jb):
        tmp = _num.numeric_out(jb)
        try:
            val = float8_in(tmp)
        except PgError:
            raise _invalid_arg(ctx, tmp, "double", "double precision") from None
        if math.isnan(val) or math.isinf(val):
            raise ctx.error("22036", "NaN or Infinity is not allowed for jsonpath item "
                            "method .double()")
        res = jb
    elif _is_str(jb):
        try:
            val = float8_in(jb)
        except PgError:
            raise _invalid_arg(ctx, jb, "double", "double precision") from None
        if math.isnan(val) or math.isinf(val):
            raise ctx.error("22036", "NaN or Infinity is not allowed for jsonpath item "
                            "method .double()")
        res = _num.float8_numeric(val)
    else:
        raise ctx.error("22036", "jsonpath item method .double() can only be applied to a "
                        "string or numeric value")
    return _next(ctx, jsp, res, found)


def _int_method(name: str, typ: str, lo: int, hi: int) -> Callable[..., bool]:
    def method(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
        if unwrap and isinstance(jb, list):
            return _unwrap_target_array(ctx, jsp, jb, found, False)
        if _is_num(jb):
            try:
                if not jb.is_finite():
                    raise ValueError
                val = int(jb.to_integral_value(rounding="ROUND_HALF_UP"))
                if not lo <= val <= hi:
                    raise ValueError
            except (ValueError, ArithmeticError):
                raise _invalid_arg(ctx, _num.numeric_out(jb), name, typ) from None
        elif _is_str(jb):
            from tuskdb.types.registry import TYPES
            try:
                val = TYPES[20 if name == "bigint" else 23].input(jb)
            except PgError:
                raise _invalid_arg(ctx, jb, name, typ) from None
        else:
            raise ctx.error("22036", f"jsonpath item method .{name}() can only be applied to "
                            "a string or numeric value")
        return _next(ctx, jsp, Decimal(val), found)
    return method


def _m_boolean(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
    if unwrap and isinstance(jb, list):
        return _unwrap_target_array(ctx, jsp, jb, found, False)
    if isinstance(jb, bool):
        bval = jb
    elif _is_num(jb):
        from tuskdb.types.registry import TYPES
        tmp = _num.numeric_out(jb)
        try:
            ival = TYPES[23].input(tmp)
        except PgError:
            raise _invalid_arg(ctx, tmp, "boolean", "boolean") from None
        bval = ival != 0
    elif _is_str(jb):
        from tuskdb.types.bool import bool_in
        try:
            bval = bool_in(jb)
        except PgError:
            raise _invalid_arg(ctx, jb, "boolean", "boolean") from None
    else:
        raise ctx.error("22036", "jsonpath item method .boolean() can only be applied to a "
                        "boolean, string, or numeric value")
    return _next(ctx, jsp, bval, found)


def _number_method(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None,
                   name: str) -> bool:
    if unwrap and isinstance(jb, list):
        return _unwrap_target_array(ctx, jsp, jb, found, False)
    numstr = None
    if _is_num(jb):
        num = jb
        if not num.is_finite():
            raise ctx.error("22036", f"NaN or Infinity is not allowed for jsonpath item "
                            f"method .{name}()")
        numstr = _num.numeric_out(num)
    elif _is_str(jb):
        numstr = jb
        try:
            num = _num.numeric_in(numstr)
        except PgError:
            raise _invalid_arg(ctx, numstr, name, "numeric") from None
        if not num.is_finite():
            raise ctx.error("22036", f"NaN or Infinity is not allowed for jsonpath item "
                            f"method .{name}()")
    else:
        raise ctx.error("22036", f"jsonpath item method .{name}() can only be applied to a "
                        "string or numeric value")
    if name == "decimal" and jsp.a is not None:
        precision = _int4_of(jsp.a.value)
        if precision is None:
            raise ctx.error("22036", "precision of jsonpath item method .decimal() is out of "
                            "range for type integer")
        scale = 0
        if jsp.b is not None:
            scale = _int4_of(jsp.b.value)
            if scale is None:
                raise ctx.error("22036", "scale of jsonpath item method .decimal() is out of "
                                "range for type integer")
        try:
            typmod = _num.numeric_typmod_in([precision, scale])
        except PgError:
            if ctx.throw:
                raise
            raise _Soft() from None
        try:
            num = _num.numeric_in(numstr, typmod)
        except PgError:
            raise _invalid_arg(ctx, numstr, name, "numeric") from None
    return _next(ctx, jsp, num, found)


def _int4_of(d: Decimal) -> int | None:
    v = int(d.to_integral_value(rounding="ROUND_HALF_UP"))
    return v if -2147483648 <= v <= 2147483647 else None


def _m_string(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
    if unwrap and isinstance(jb, list):
        return _unwrap_target_array(ctx, jsp, jb, found, False)
    if _is_str(jb):
        s = jb
    elif isinstance(jb, bool):
        s = "true" if jb else "false"
    elif _is_num(jb):
        s = _num.numeric_out(jb)
    elif isinstance(jb, JpDatetime):
        from tuskdb.types.jsonpath_datetime import datetime_json_text
        s = datetime_json_text(ctx.tctx, jb)
    else:
        raise ctx.error("22036", "jsonpath item method .string() can only be applied to a "
                        "boolean, string, numeric, or datetime value")
    return _next(ctx, jsp, s, found)


def _m_keyvalue(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
    if unwrap and isinstance(jb, list):
        return _unwrap_target_array(ctx, jsp, jb, found, False)
    if not isinstance(jb, dict):
        raise ctx.error("2203C", "jsonpath item method .keyvalue() can only be applied to an "
                        "object")
    if not jb:
        return False
    _, base_id = ctx.base
    oid = ctx.offset_in_base(jb) + base_id * 10000000000
    res = False
    for key, val in list(jb.items()):
        res = True
        if jsp.next is None and found is None:
            break
        obj = {"id": Decimal(oid), "key": key, "value": val}
        saved = ctx.base
        ctx.base = (obj, ctx.last_generated_id)
        ctx.last_generated_id += 1
        try:
            res = _next(ctx, jsp, obj, found)
        finally:
            ctx.base = saved
        if res and found is None:
            break
    return res


_METHODS: dict[str, Callable[..., bool]] = {
    "type": _m_type, "size": _m_size,
    "abs": _numeric_method(_num.numeric_abs, "abs"),
    "floor": _numeric_method(_num.numeric_floor, "floor"),
    "ceiling": _numeric_method(_num.numeric_ceil, "ceiling"),
    "double": _m_double,
    "bigint": _int_method("bigint", "bigint", -(1 << 63), (1 << 63) - 1),
    "integer": _int_method("integer", "integer", -(1 << 31), (1 << 31) - 1),
    "boolean": _m_boolean,
    "number": lambda ctx, jsp, jb, unwrap, found: _number_method(ctx, jsp, jb, unwrap, found,
                                                                 "number"),
    "string": _m_string, "keyvalue": _m_keyvalue,
    "date": None,  # filled below
}


def _m_date(ctx: _Ctx, jsp: JpItem, jb: Any, unwrap: bool, found: list | None) -> bool:
    if unwrap and isinstance(jb, list):
        return _unwrap_target_array(ctx, jsp, jb, found, False)
    from tuskdb.types.jsonpath_datetime import execute_datetime_method
    return _next(ctx, jsp, execute_datetime_method(ctx, jsp, jb), found)


_METHODS["date"] = _m_date


# ---------------------------------------------------------------------------------
# entry points

def to_tree(v: Any, tctx: Any) -> Any:
    """A found item as a jsonb tree (datetimes become their JSON text)."""
    if isinstance(v, JpDatetime):
        from tuskdb.types.jsonpath_datetime import datetime_json_text
        return datetime_json_text(tctx, v)
    return v


def execute_jsonpath(path: JsonPath, vars_: Jsonb | None, target: Jsonb, throw: bool,
                     found: list | None, use_tz: bool, tctx: Any) -> bool | None:
    """executeJsonPath: True (found), False (not found) or None (error, not thrown)."""
    vtree = None
    if vars_ is not None:
        vtree = vars_.tree
        if not isinstance(vtree, dict):
            raise PgError("22023", '"vars" argument is not an object',
                          detail='Jsonpath parameters should be encoded as key-value pairs '
                          'of "vars" object.')
    ctx = _Ctx(path, target.tree, vtree, throw, use_tz, tctx)
    try:
        if not path.lax and found is None:
            vals: list = []
            _execute(ctx, path.root, target.tree, vals)
            return bool(vals)
        return _execute(ctx, path.root, target.tree, found)
    except _Soft:
        return None


def _tctx(ctx: Any) -> Any:
    from tuskdb.types.context import DEFAULT_CONTEXT
    return ctx if ctx is not None else DEFAULT_CONTEXT


def path_exists(ctx: Any, target: Jsonb, path: JsonPath, vars_: Jsonb | None = None,
                silent: bool = False, tz: bool = False) -> bool | None:
    return execute_jsonpath(path, vars_, target, not silent, None, tz, _tctx(ctx))


def path_match(ctx: Any, target: Jsonb, path: JsonPath, vars_: Jsonb | None = None,
               silent: bool = False, tz: bool = False) -> bool | None:
    found: list = []
    execute_jsonpath(path, vars_, target, not silent, found, tz, _tctx(ctx))
    if len(found) == 1:
        v = found[0]
        if isinstance(v, bool):
            return v
        if v is None:
            return None
    if not silent:
        raise PgError("22038", "single boolean result is expected")
    return None


def path_query(ctx: Any, target: Jsonb, path: JsonPath, vars_: Jsonb | None = None,
               silent: bool = False, tz: bool = False) -> Iterator[Jsonb]:
    found: list = []
    tctx = _tctx(ctx)
    execute_jsonpath(path, vars_, target, not silent, found, tz, tctx)
    return iter([Jsonb(_tree_copy(to_tree(v, tctx))) for v in found])


def path_query_array(ctx: Any, target: Jsonb, path: JsonPath, vars_: Jsonb | None = None,
                     silent: bool = False, tz: bool = False) -> Jsonb:
    found: list = []
    tctx = _tctx(ctx)
    execute_jsonpath(path, vars_, target, not silent, found, tz, tctx)
    return Jsonb([_tree_copy(to_tree(v, tctx)) for v in found])


def path_query_first(ctx: Any, target: Jsonb, path: JsonPath, vars_: Jsonb | None = None,
                     silent: bool = False, tz: bool = False) -> Jsonb | None:
    found: list = []
    tctx = _tctx(ctx)
    execute_jsonpath(path, vars_, target, not silent, found, tz, tctx)
    if not found:
        return None
    return Jsonb(_tree_copy(to_tree(found[0], tctx)))


def _tree_copy(t: Any) -> Any:
    """Generated objects (keyvalue) are built in insertion order: sort their keys."""
    if isinstance(t, dict):
        return {k: _tree_copy(t[k]) for k in sorted(t, key=key_order)}
    if isinstance(t, list):
        return [_tree_copy(x) for x in t]
    return t


def _tz_variant(fn: Callable[..., Any]) -> Callable[..., Any]:
    def f(ctx: Any, target: Jsonb, path: JsonPath, vars_: Jsonb | None = None,
          silent: bool = False) -> Any:
        return fn(ctx, target, path, vars_, silent, True)
    return f


def _plain(fn: Callable[..., Any]) -> Callable[..., Any]:
    def f(ctx: Any, target: Jsonb, path: JsonPath, vars_: Jsonb | None = None,
          silent: bool = False) -> Any:
        return fn(ctx, target, path, vars_, silent, False)
    return f


CTX_IMPLS: dict[str, Callable[..., Any]] = {
    "jsonb_path_exists": _plain(path_exists),
    "jsonb_path_match": _plain(path_match),
    "jsonb_path_query": _plain(path_query),
    "jsonb_path_query_array": _plain(path_query_array),
    "jsonb_path_query_first": _plain(path_query_first),
    "jsonb_path_exists_tz": _tz_variant(path_exists),
    "jsonb_path_match_tz": _tz_variant(path_match),
    "jsonb_path_query_tz": _tz_variant(path_query),
    "jsonb_path_query_array_tz": _tz_variant(path_query_array),
    "jsonb_path_query_first_tz": _tz_variant(path_query_first),
    "jsonb_path_exists_opr": lambda ctx, j, p: path_exists(ctx, j, p, None, True),
    "jsonb_path_match_opr": lambda ctx, j, p: path_match(ctx, j, p, None, True),
}

IMPLS: dict[str, Callable[..., Any]] = {
    "jsonpath_in": lambda s: __import__("tuskdb.types.jsonpath", fromlist=["x"]).jsonpath_in(s),
}

_ = jsonb_text
