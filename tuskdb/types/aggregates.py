"""AGGREGATES: the built-in aggregates, with Python transition functions.

Protocol used by the executor (one state per group):

    state = agg.init()                     # fresh state (a callable: states may be mutable)
    for each input row:
        if agg.strict and any(arg is None for arg in args): skip the row
        state = agg.trans(state, *args)    # may mutate and return the same object
    result = agg.final(state)              # also called when no row was aggregated
    combine(state_a, state_b) -> state     # merges partial states (parallel / hash agg)

OIDs, names, argument, result and transition types are PostgreSQL's
(``catdata.AGGREGATES``); the transition logic reproduces PostgreSQL's results:
sum(int4) -> int8, sum(int8) -> numeric, avg(int) -> numeric with numeric
division scale, float aggregates with the Youngs-Cramer accumulators.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types import catdata
from tuskdb.types.arrays import Array, elem_cmp
from tuskdb.types.common import INT8_MAX, INT8_MIN
from tuskdb.types.float import float8_pl, overflow, to_float4
from tuskdb.types.interval import Interval, interval_div, interval_pl
from tuskdb.types.numeric import (
    NAN, NCTX, div_round, dscale, numeric_add, numeric_cmp, numeric_div, numeric_sub,
    select_div_scale,
)


@dataclass(frozen=True, slots=True)
class Aggregate:
    oid: int
    name: str
    arg_types: tuple[int, ...]
    ret_type: int
    trans_type: int
    init: Callable[[], Any]
    trans: Callable[..., Any]
    final: Callable[[Any], Any]
    combine: Callable[[Any, Any], Any] | None = None
    strict: bool = True
    sortop: int = 0
    kind: str = "n"        # 'n' normal, 'o' ordered-set (WITHIN GROUP)
    num_direct: int = 0    # ordered-set: leading direct arguments, passed to final


def _none() -> None:
    return None


def _ident(s: Any) -> Any:
    return s


# --- count ------------------------------------------------------------------------------

def _zero() -> int:
    return 0


def _count_trans(s: int, *args: Any) -> int:
    return s + 1


# --- sum ----------------------------------------------------------------------------------

def _sum_int8_result(s: Any, v: int) -> int:
    r = v if s is None else s + v
    if not INT8_MIN <= r <= INT8_MAX:
        raise PgError("22003", "bigint out of range")
    return r


def _sum_to_numeric(s: Any, v: int) -> Any:
    # sum(int8) accumulates exactly; converted to numeric by final
    return v if s is None else s + v


def _sum_numeric(s: Any, v: Decimal) -> Decimal:
    return v if s is None else numeric_add(s, v)


def _sum_float8(s: Any, v: float) -> float:
    return v if s is None else float8_pl(s, v)


def _sum_float4(s: Any, v: float) -> float:
    if s is None:
        return v
    r = to_float4(s + v)
    if math.isinf(r) and not math.isinf(s) and not math.isinf(v):
        raise overflow()
    return r


def _sum_interval(s: Any, v: Interval) -> Interval:
    return v if s is None else interval_pl(s, v)


def _int_to_numeric_final(s: Any) -> Any:
    return None if s is None else Decimal(s)


# --- avg ----------------------------------------------------------------------------------

def _pair() -> list[Any]:
    return [0, 0]


def _avg_trans(s: list[Any], v: Any) -> list[Any]:
    s[0] += 1
    s[1] += v
    return s


def _avg_numeric_trans(s: list[Any], v: Decimal) -> list[Any]:
    s[0] += 1
    s[1] = v if s[0] == 1 else numeric_add(s[1], v)
    return s


def _avg_int_final(s: list[Any]) -> Decimal | None:
    if s[0] == 0:
        return None
    return numeric_div(Decimal(s[1]), Decimal(s[0]))


def _avg_numeric_final(s: list[Any]) -> Decimal | None:
    if s[0] == 0:
        return None
    return numeric_div(s[1], Decimal(s[0]))


def _avg_interval_trans(s: list[Any], v: Interval) -> list[Any]:
    s[0] += 1
    s[1] = v if s[0] == 1 else interval_pl(s[1], v)
    return s


def _avg_interval_final(s: list[Any]) -> Interval | None:
    if s[0] == 0:
        return None
    return interval_div(s[1], float(s[0]))


def _pair_combine(a: list[Any], b: list[Any]) -> list[Any]:
    return [a[0] + b[0], a[1] + b[1]]


# --- float accumulators (N, Sx, Sxx): float8_accum ------------------------------------------

def _facc() -> list[float]:
    return [0.0, 0.0, 0.0]


def _float_accum(s: list[float], v: float) -> list[float]:
    n, sx, sxx = s
    n1 = n + 1.0
    sx1 = sx + v
    if n > 0.0:
        tmp = v * n1 - sx1
        sxx = sxx + tmp * tmp / (n1 * n)
        if math.isinf(sx1) or math.isinf(sxx):
            if not math.isinf(sx) and not math.isinf(v):
                raise overflow()
            sxx = math.nan
    elif math.isnan(v) or math.isinf(v):
        sxx = math.nan
    s[0], s[1], s[2] = n1, sx1, sxx
    return s


def _float_avg(s: list[float]) -> float | None:
    return None if s[0] == 0.0 else s[1] / s[0]


def _float_var(sample: bool, sqrt: bool) -> Callable[[list[float]], float | None]:
    def f(s: list[float]) -> float | None:
        n, _, sxx = s
        if n == 0.0 or (sample and n <= 1.0):
            return None
        r = sxx / (n - 1.0) if sample else sxx / n
        return math.sqrt(r) if sqrt else r
    return f


# --- numeric variance (numeric_stddev_internal) ---------------------------------------------

def _nacc() -> list[Any]:
    return [0, Decimal(0), Decimal(0)]


def _numeric_accum(s: list[Any], v: Any) -> list[Any]:
    d = v if isinstance(v, Decimal) else Decimal(v)
    if d.is_nan():
        s[1] = NAN
        s[0] += 1
        return s
    s[0] += 1
    if not s[1].is_nan():
        # the transition state is an internal NumericVar: exact, no numeric limits
        s[1] = NCTX.add(s[1], d)
        s[2] = NCTX.add(s[2], NCTX.multiply(d, d))
    return s


def _numeric_var(sample: bool, sqrt: bool) -> Callable[[list[Any]], Decimal | None]:
    def f(s: list[Any]) -> Decimal | None:
        n, sx, sx2 = s
        if n == 0 or (sample and n <= 1):
            return None
        if not sx.is_finite():          # NaN or an infinite input
            return NAN
        vn = Decimal(n)
        rscale = dscale(sx) * 2
        sxsq = NCTX.multiply(sx, sx).quantize(Decimal(1).scaleb(-rscale), context=NCTX)
        nx2 = NCTX.multiply(vn, sx2).quantize(Decimal(1).scaleb(-rscale), context=NCTX)
        num = numeric_sub(nx2, sxsq)
        if num <= 0:
            return Decimal(0)
        den = Decimal(n * (n - 1)) if sample else Decimal(n * n)
        rs = select_div_scale(num, den)
        r = div_round(num, den, rs)
        if sqrt:
            return _sqrt_at(r, rs)
        return r
    return f


def _sqrt_at(v: Decimal, rscale: int) -> Decimal:
    from decimal import ROUND_HALF_UP, Context
    ctx = Context(prec=max(v.adjusted(), 1) + rscale + 12, traps=[])
    r = ctx.sqrt(v)
    return r.quantize(Decimal(1).scaleb(-rscale), rounding=ROUND_HALF_UP, context=NCTX)


# --- two-variable regression (float8_regr_accum: N, Sx, Sxx, Sy, Syy, Sxy) ------------------

def _racc() -> list[float]:
    return [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]


def _regr_accum(s: list[float], y: float, x: float) -> list[float]:
    n0, sx, sxx, sy, syy, sxy = s
    n = n0 + 1.0
    sx += x
    sy += y
    if n0 > 0.0:
        tx = x * n - sx
        ty = y * n - sy
        scale = 1.0 / (n * n0)
        sxx += tx * tx * scale
        syy += ty * ty * scale
        sxy += tx * ty * scale
    else:
        if math.isnan(x) or math.isinf(x):
            sxx = sxy = math.nan
        if math.isnan(y) or math.isinf(y):
            syy = sxy = math.nan
    s[:] = [n, sx, sxx, sy, syy, sxy]
    return s


def _regr_final(kind: str) -> Callable[[list[float]], Any]:
    def f(s: list[float]) -> Any:
        n, sx, sxx, sy, syy, sxy = s
        if kind == "count":
            return int(n)
        if n < 1.0:
            return None
        if kind == "sxx":
            return sxx
        if kind == "syy":
            return syy
        if kind == "sxy":
            return sxy
        if kind == "avgx":
            return sx / n
        if kind == "avgy":
            return sy / n
        if kind == "covar_pop":
            return sxy / n
        if kind == "covar_samp":
            return None if n < 2.0 else sxy / (n - 1.0)
        if kind == "corr":
            if sxx == 0 or syy == 0:
                return None
            prod = sxx * syy
            sq = math.sqrt(sxx) * math.sqrt(syy) if prod == 0 or math.isinf(prod) \
                else math.sqrt(prod)
            return max(-1.0, min(1.0, sxy / sq))
        if kind == "r2":
            if sxx == 0:
                return None
            if syy == 0:
                return 1.0
            return (sxy * sxy) / (sxx * syy)
        if kind == "slope":
            return None if sxx == 0 else sxy / sxx
        if kind == "intercept":
            return None if sxx == 0 else (sy - sx * sxy / sxx) / n
        raise AssertionError(kind)
    return f


# --- min / max ------------------------------------------------------------------------------

def _minmax(cmp: Callable[[Any, Any], int], want: int) -> Callable[[Any, Any], Any]:
    def f(s: Any, v: Any) -> Any:
        if s is None:
            return v
        return v if cmp(v, s) * want > 0 else s
    return f


def _plain_cmp(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def _bpchar_cmp(a: str, b: str) -> int:
    a, b = a.rstrip(" "), b.rstrip(" ")
    return (a > b) - (a < b)


_CMP_BY_TYPE: dict[int, Callable[[Any, Any], int]] = {
    700: elem_cmp, 701: elem_cmp, 1700: numeric_cmp, 1042: _bpchar_cmp,
}


# --- bool, string_agg, array_agg ------------------------------------------------------------

def _bool_and(s: Any, v: bool) -> bool:
    return v if s is None else (s and v)


def _bool_or(s: Any, v: bool) -> bool:
    return v if s is None else (s or v)


def _list() -> list[Any]:
    return []


def _string_agg_trans(s: list[Any], v: Any, delim: Any) -> list[Any]:
    if v is None:
        return s
    if s:
        s.append(delim if delim is not None else v[:0])
    s.append(v)
    return s


def _string_agg_final(s: list[Any]) -> Any:
    if not s:
        return None
    return s[0][:0].join(s)


def _array_agg_trans(s: list[Any], v: Any) -> list[Any]:
    s.append(v)
    return s


def _array_agg_final(s: list[Any]) -> Array | None:
    return Array(s) if s else None


def _array_agg_arr_trans(s: list[Any], v: Any) -> list[Any]:
    if v is None:
        raise PgError("22004", "cannot accumulate null arrays")
    if not v.items:
        raise PgError("2202E", "cannot accumulate empty arrays")
    if s and (s[0].dims != v.dims or s[0].lbounds != v.lbounds):
        raise PgError("2202E", "cannot accumulate arrays of different dimensionality")
    s.append(v)
    return s


def _array_agg_arr_final(s: list[Any]) -> Array | None:
    if not s:
        return None
    first = s[0]
    items = [x for arr in s for x in arr.items]
    return Array(items, 1, (len(s),) + first.dims, (1,) + first.lbounds)


def _list_combine(a: list[Any], b: list[Any]) -> list[Any]:
    return a + b


# --- ordered-set aggregates: the executor feeds values in WITHIN GROUP order ---------------

def _os_trans(s: list[Any], v: Any) -> list[Any]:
    s.append(v)
    return s


def _check_fraction(p: float) -> None:
    if p != p or not 0.0 <= p <= 1.0:
        raise PgError("22003", f"percentile value {_g(p)} is not between 0 and 1")


def _g(p: float) -> str:
    from tuskdb.types.float import float8_out
    return float8_out(p)


def _lerp(lo: Any, hi: Any, frac: float) -> Any:
    if isinstance(lo, Interval):
        from tuskdb.types.interval import interval_mi, interval_mul
        return interval_pl(lo, interval_mul(interval_mi(hi, lo), frac))
    return lo + (hi - lo) * frac


def _cont(vals: list[Any], p: float) -> Any:
    _check_fraction(p)
    n = len(vals)
    first = math.floor(p * (n - 1))
    second = math.ceil(p * (n - 1))
    if first == second:
        return vals[first]
    return _lerp(vals[first], vals[second], p * (n - 1) - first)


def _disc(vals: list[Any], p: float) -> Any:
    _check_fraction(p)
    n = len(vals)
    row = math.ceil(p * n)
    return vals[max(row, 1) - 1]


def _percentile(pick: Callable[[list[Any], float], Any]) -> Callable[..., Any]:
    def final(s: list[Any], p: Any) -> Any:
        if not s or p is None:
            return None
        if isinstance(p, Array):
            return p.with_items([None if x is None else pick(s, x) for x in p.items])
        return pick(s, p)
    return final


def _mode_final(s: list[Any]) -> Any:
    best, best_n, cur, cur_n = None, 0, None, 0
    for v in s:
        if cur_n and elem_cmp(v, cur) == 0:
            cur_n += 1
        else:
            cur, cur_n = v, 1
        if cur_n > best_n:
            best, best_n = cur, cur_n
    return best


# ---------------------------------------------------------------------------
# building AGGREGATES from PostgreSQL's rows

_PROCS = {row[0]: row for row in catdata.PROCS}
_INT_TYPES = (20, 21, 23)


def _spec(name: str, args: tuple[int, ...], ret: int) -> tuple[Any, ...] | None:
    """(init, trans, final, combine, strict) for one aggregate signature."""
    a = args[0] if args else 0
    if name == "count":
        return (_zero, _count_trans, _ident, lambda x, y: x + y, bool(args))
    if name == "sum":
        if a in (21, 23):
            return (_none, _sum_int8_result, _ident, _sum_int8_combine, True)
        if a == 20:
            return (_none, _sum_to_numeric, _int_to_numeric_final, _sum_int8_combine_any, True)
        if a == 1700:
            return (_none, _sum_numeric, _ident, _sum_combine(numeric_add), True)
        if a == 701:
            return (_none, _sum_float8, _ident, _sum_combine(float8_pl), True)
        if a == 700:
            return (_none, _sum_float4, _ident, _sum_combine(_sum_float4), True)
        if a == 1186:
            return (_none, _sum_interval, _ident, _sum_combine(interval_pl), True)
        if a == 790:
            from tuskdb.types.money import cash_pl
            return (_none, _sum_combine(cash_pl), _ident, _sum_combine(cash_pl), True)
        return None
    if name == "avg":
        if a in _INT_TYPES:
            return (_pair, _avg_trans, _avg_int_final, _pair_combine, True)
        if a == 1700:
            return (_pair, _avg_numeric_trans, _avg_numeric_final, None, True)
        if a in (700, 701):
            return (_facc, _float_accum, _float_avg, None, True)
        if a == 1186:
            return (_pair, _avg_interval_trans, _avg_interval_final, None, True)
        return None
    if name in ("min", "max"):
        cmp = _CMP_BY_TYPE.get(a, elem_cmp if a in (2277,) else _plain_cmp)
        f = _minmax(cmp, -1 if name == "min" else 1)
        return (_none, f, _ident, lambda x, y, f=f: y if x is None else (x if y is None
                                                                      else f(x, y)), True)
    if name in ("bit_and", "bit_or", "bit_xor"):
        import operator as _op
        fn = {"bit_and": _op.and_, "bit_or": _op.or_, "bit_xor": _op.xor}[name]
        if a == 1560:
            from tuskdb.types import bit as _bit
            fn = {"bit_and": _bit.bit_and, "bit_or": _bit.bit_or, "bit_xor": _bit.bitxor}[name]
        trans = _sum_combine(fn)
        return (_none, trans, _ident, trans, True)
    if name == "range_intersect_agg":
        if a == 4537:
            from tuskdb.types.multiranges import intersect
            trans = _sum_combine(intersect)
        else:
            from tuskdb.types.ranges import intersection
            trans = _sum_combine(intersection)
        return (_none, trans, _ident, trans, True)
    if name == "range_agg":
        from tuskdb.types import multiranges as _mr
        if a == 4537:
            def agg_trans(s: list[Any], m: Any) -> list[Any]:
                if m is not None:
                    s.extend(m.ranges)
                    s.append(m.type_oid)
                return s

            def agg_final(s: list[Any]) -> Any:
                if not s:
                    return None
                oid = next(x for x in s if isinstance(x, int))
                return _mr.make_multirange(oid, [x for x in s if not isinstance(x, int)])
        else:
            def agg_trans(s: list[Any], r: Any) -> list[Any]:
                if r is not None:
                    s.append(r)
                return s

            def agg_final(s: list[Any]) -> Any:
                if not s:
                    return None
                return _mr.make_multirange(_mr.multirange_type_of(s[0].type_oid), s)
        return (_list, agg_trans, agg_final, _list_combine, False)
    if name == "any_value":
        return (_none, lambda s, v: v if s is None else s, _ident,
                lambda x, y: y if x is None else x, True)
    regr = {"regr_count": "count", "regr_sxx": "sxx", "regr_syy": "syy", "regr_sxy": "sxy",
            "regr_avgx": "avgx", "regr_avgy": "avgy", "regr_r2": "r2", "regr_slope": "slope",
            "regr_intercept": "intercept", "covar_pop": "covar_pop",
            "covar_samp": "covar_samp", "corr": "corr"}
    if name in regr:
        return (_racc, _regr_accum, _regr_final(regr[name]), None, True)
    if name in ("bool_and", "every"):
        return (_none, _bool_and, _ident, None, True)
    if name == "bool_or":
        return (_none, _bool_or, _ident, None, True)
    if name == "xmlagg":
        from tuskdb.types.xml import xmlconcat2
        return (_none, xmlconcat2, _ident, xmlconcat2, False)
    if name == "string_agg":
        return (_list, _string_agg_trans, _string_agg_final, None, False)
    if name == "array_agg" and a == 2776:
        return (_list, _array_agg_trans, _array_agg_final, _list_combine, False)
    if name == "array_agg" and a == 2277:
        return (_list, _array_agg_arr_trans, _array_agg_arr_final, _list_combine, False)
    if name in ("json_agg", "jsonb_agg", "json_agg_strict", "jsonb_agg_strict"):
        from tuskdb.types import json as _j
        if name.startswith("jsonb"):
            fin = lambda s: None if not s else _j.jsonb_build_array(*s)  # noqa: E731
        else:
            fin = lambda s: None if not s else "[" + ", ".join(  # noqa: E731
                _j.jsonb_text(_j.value_to_tree(v)) for v in s) + "]"
        return (_list, _array_agg_trans, fin, _list_combine, name.endswith("_strict"))
    if name.startswith(("json_object_agg", "jsonb_object_agg")):
        from tuskdb.types import json as _j
        unique = "_unique" in name
        skip_nulls = name.endswith("_strict")

        def trans(s: list[Any], k: Any, v: Any) -> list[Any]:
            if k is None:
                raise PgError("22004", "field name must not be null")
            if v is None and skip_nulls:
                return s
            key = k if isinstance(k, str) else _j.jsonb_text(_j.value_to_tree(k))
            if unique and any(x == key for x, _ in s):
                raise PgError("22030", "duplicate JSON object key value")
            s.append((key, v))
            return s
        if name.startswith("jsonb"):
            def fin(s: list[Any]) -> Any:
                if not s:
                    return None
                obj: dict[str, Any] = {}
                for k, v in s:
                    obj.pop(k, None)
                    obj[k] = _j.value_to_tree(v)
                return _j.Jsonb(_j.to_jsonb_tree(obj))
        else:
            def fin(s: list[Any]) -> Any:
                if not s:
                    return None
                return "{ " + ", ".join(_j.escape_json(k) + " : " +
                                        _j.jsonb_text(_j.value_to_tree(v))
                                        for k, v in s) + " }"
        return (_list, trans, fin, None, False)
    var = {"variance": (True, False), "var_samp": (True, False), "var_pop": (False, False),
           "stddev": (True, True), "stddev_samp": (True, True), "stddev_pop": (False, True)}
    if name in var:
        sample, sq = var[name]
        if a in (700, 701):
            return (_facc, _float_accum, _float_var(sample, sq), None, True)
        if a in _INT_TYPES or a == 1700:
            return (_nacc, _numeric_accum, _numeric_var(sample, sq), None, True)
    return None


def _sum_int8_combine(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return _sum_int8_result(a, b)


def _sum_int8_combine_any(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _sum_combine(f: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def c(a: Any, b: Any) -> Any:
        if a is None:
            return b
        if b is None:
            return a
        return f(a, b)
    return c


AGGREGATES: list[Aggregate] = []
AGGREGATES_BY_OID: dict[int, Aggregate] = {}
AGGREGATES_BY_NAME: dict[str, list[Aggregate]] = {}
for _fn, _tr, _fi, _co, _tt, _init, _kind, _sortop in catdata.AGGREGATES:
    _row = _PROCS.get(_fn)
    if _row is None or _kind not in ("n", "o"):
        continue
    _name, _args, _ret = _row[1], _row[2], _row[3]
    if _kind == "o":
        if _name in ("percentile_cont", "percentile_disc"):
            _final = _percentile(_cont if _name == "percentile_cont" else _disc)
            _agg = Aggregate(_fn, _name, _args, _ret, _tt, _list, _os_trans, _final, None,
                             True, 0, "o", 1)
        elif _name == "mode":
            _agg = Aggregate(_fn, _name, _args, _ret, _tt, _list, _os_trans, _mode_final,
                             None, True, 0, "o", 0)
        else:
            continue
    else:
        _s = _spec(_name, _args, _ret)
        if _s is None:
            continue
        _agg = Aggregate(_fn, _name, _args, _ret, _tt, _s[0], _s[1], _s[2], _s[3], _s[4],
                         _sortop)
    AGGREGATES.append(_agg)
    AGGREGATES_BY_OID[_fn] = _agg
    AGGREGATES_BY_NAME.setdefault(_name, []).append(_agg)


def run_aggregate(agg: Aggregate, rows: list[tuple[Any, ...]], direct: tuple[Any, ...] = ()
                  ) -> Any:
    """Evaluate an aggregate over argument tuples (a helper for tests and simple callers).
    For ordered-set aggregates the rows must already be in WITHIN GROUP order and
    ``direct`` holds the direct arguments."""
    s = agg.init()
    for args in rows:
        if agg.strict and any(a is None for a in args):
            continue
        s = agg.trans(s, *args)
    return agg.final(s, *direct) if agg.kind == "o" else agg.final(s)
