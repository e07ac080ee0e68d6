"""Mathematical functions on double precision and integers (float.c, int.c, int8.c),
plus random()/setseed() which use the session's generator from the TypeContext."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.common import INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN, out_of_range
from tuskdb.types.float import overflow, underflow
from tuskdb.types.numeric import NCTX, numeric_cmp, numeric_trunc


def _libm() -> Any:
    """The C math library, for functions CPython reimplements (lgamma, tgamma, erf):
    PostgreSQL calls libm, so calling it too gives bit-identical results."""
    try:
        import ctypes
        import ctypes.util
        lib = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        for name in ("lgamma", "tgamma", "erf", "erfc"):
            fn = getattr(lib, name)
            fn.restype = ctypes.c_double
            fn.argtypes = [ctypes.c_double]
        return lib
    except (OSError, AttributeError):
        return None


_LIBM = _libm()
_lgamma = _LIBM.lgamma if _LIBM is not None else math.lgamma
_tgamma = _LIBM.tgamma if _LIBM is not None else math.gamma
_erf = _LIBM.erf if _LIBM is not None else math.erf
_erfc = _LIBM.erfc if _LIBM is not None else math.erfc


def _check(r: float, inf_ok: bool, zero_ok: bool) -> float:
    if math.isinf(r) and not inf_ok:
        raise overflow()
    if r == 0.0 and not zero_ok:
        raise underflow()
    return r


def dround(x: float) -> float:
    return float(round(x)) if math.isfinite(x) else x


def dtrunc(x: float) -> float:
    return float(math.trunc(x)) if math.isfinite(x) else x


def dceil(x: float) -> float:
    return float(math.ceil(x)) if math.isfinite(x) else x


def dfloor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def dsign(x: float) -> float:
    if x != x:
        return x
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def dsqrt(x: float) -> float:
    if x < 0:
        raise PgError("2201F", "cannot take square root of a negative number")
    return math.sqrt(x)


def dcbrt(x: float) -> float:
    return math.cbrt(x)


def dpow(x: float, y: float) -> float:
    if x != x:
        return 1.0 if y == 0 else x
    if y != y:
        return 1.0 if x == 1.0 else y
    if x == 0.0 and y < 0:
        raise PgError("2201F", "zero raised to a negative power is undefined")
    if x < 0 and math.isfinite(y) and y != math.floor(y):
        raise PgError("2201F", "a negative number raised to a non-integer power yields a "
                      "complex result")
    if math.isinf(y):
        ax = abs(x)
        if ax == 1.0:
            return 1.0
        if (ax > 1.0) == (y > 0):
            return math.inf
        return 0.0
    if math.isinf(x):
        if y == 0:
            return 1.0
        if x > 0:
            return math.inf if y > 0 else 0.0
        odd = y == math.floor(y) and math.fmod(y, 2) != 0
        if y > 0:
            return -math.inf if odd else math.inf
        return -0.0 if odd else 0.0
    try:
        r = math.pow(x, y)
    except OverflowError:
        raise overflow() from None
    if r == 0.0 and x != 0.0:
        raise underflow()
    return r


def dexp(x: float) -> float:
    if x != x:
        return x
    if math.isinf(x):
        return x if x > 0 else 0.0
    try:
        r = math.exp(x)
    except OverflowError:
        raise overflow() from None
    if r == 0.0:
        raise underflow()
    return r


def _log_check(x: float) -> None:
    if x == 0.0:
        raise PgError("2201E", "cannot take logarithm of zero")
    if x < 0:
        raise PgError("2201E", "cannot take logarithm of a negative number")


def dlog1(x: float) -> float:
    if x != x:
        return x
    _log_check(x)
    return math.log(x) if math.isfinite(x) else x


def dlog10(x: float) -> float:
    if x != x:
        return x
    _log_check(x)
    return math.log10(x) if math.isfinite(x) else x


def _trig(fn: Callable[[float], float]) -> Callable[[float], float]:
    def f(x: float) -> float:
        if x != x:
            return x
        try:
            return fn(x)
        except ValueError:
            raise PgError("22003", "input is out of range") from None
    return f


def _int_gcd(lo: int, hi: int, what: str) -> Callable[[int, int], int]:
    def f(a: int, b: int) -> int:
        r = math.gcd(a, b)
        if r > hi:
            raise out_of_range(what)
        return r
    return f


def _int_lcm(lo: int, hi: int, what: str) -> Callable[[int, int], int]:
    def f(a: int, b: int) -> int:
        if a == 0 or b == 0:
            return 0
        r = abs(a // math.gcd(a, b) * b)
        if r > hi:
            raise out_of_range(what)
        return r
    return f


def numeric_gcd(a: Decimal, b: Decimal) -> Decimal:
    if not a.is_finite() or not b.is_finite():
        return Decimal("NaN")
    scale = max(-a.as_tuple().exponent, -b.as_tuple().exponent, 0)  # type: ignore[operator]
    ia = int(a.scaleb(scale, NCTX))
    ib = int(b.scaleb(scale, NCTX))
    g = math.gcd(ia, ib)
    return Decimal(g).scaleb(-scale, NCTX).quantize(Decimal(1).scaleb(-scale), context=NCTX)


def numeric_lcm(a: Decimal, b: Decimal) -> Decimal:
    if not a.is_finite() or not b.is_finite():
        return Decimal("NaN")
    scale = max(-a.as_tuple().exponent, -b.as_tuple().exponent, 0)  # type: ignore[operator]
    ia = int(a.scaleb(scale, NCTX))
    ib = int(b.scaleb(scale, NCTX))
    if ia == 0 or ib == 0:
        return Decimal(0).quantize(Decimal(1).scaleb(-scale), context=NCTX)
    r = abs(ia // math.gcd(ia, ib) * ib)
    from tuskdb.types.numeric import _check
    return _check(Decimal(r).scaleb(-scale, NCTX).quantize(Decimal(1).scaleb(-scale),
                                                          context=NCTX))


def numeric_fac(n: int) -> Decimal:
    if n < 0:
        raise PgError("2201F", "factorial of a negative number is undefined")
    if n > 32177:
        raise PgError("22003", "value overflows numeric format")
    return Decimal(math.factorial(n))


def width_bucket_float8(x: float, lo: float, hi: float, n: int) -> int:
    if n <= 0:
        raise PgError("2201G", "count must be greater than zero")
    if lo != lo or hi != hi or x != x:
        raise PgError("2201G", "operand, lower bound, and upper bound cannot be NaN")
    if math.isinf(lo) or math.isinf(hi):
        raise PgError("2201G", "lower and upper bounds must be finite")
    if lo == hi:
        raise PgError("2201G", "lower bound cannot equal upper bound")
    if lo < hi:
        if x < lo:
            return 0
        if x >= hi:
            if n == INT4_MAX:
                raise out_of_range("integer")
            return n + 1
        if not math.isinf(hi - lo):
            r = int(n * ((x - lo) / (hi - lo)))
        else:   # the span overflows a double: halve everything (float.c)
            r = int(n * ((x / 2 - lo / 2) / (hi / 2 - lo / 2)))
    else:
        if x > lo:
            return 0
        if x <= hi:
            if n == INT4_MAX:
                raise out_of_range("integer")
            return n + 1
        if not math.isinf(lo - hi):
            r = int(n * ((lo - x) / (lo - hi)))
        else:
            r = int(n * ((lo / 2 - x / 2) / (lo / 2 - hi / 2)))
    # the quotient could round to 1.0, which would be a lie
    return min(r, n - 1) + 1


def width_bucket_numeric(x: Decimal, lo: Decimal, hi: Decimal, n: int) -> int:
    if n <= 0:
        raise PgError("2201G", "count must be greater than zero")
    if x.is_nan() or lo.is_nan() or hi.is_nan():
        raise PgError("2201G", "operand, lower bound, and upper bound cannot be NaN")
    if lo.is_infinite() or hi.is_infinite():
        raise PgError("2201G", "lower and upper bounds must be finite")
    c = numeric_cmp(lo, hi)
    if c == 0:
        raise PgError("2201G", "lower bound cannot equal upper bound")
    if c < 0:
        if numeric_cmp(x, lo) < 0:
            return 0
        if numeric_cmp(x, hi) >= 0:
            return n + 1
        q = NCTX.divide(NCTX.multiply(Decimal(n), NCTX.subtract(x, lo)), NCTX.subtract(hi, lo))
    else:
        if numeric_cmp(x, lo) > 0:
            return 0
        if numeric_cmp(x, hi) <= 0:
            return n + 1
        q = NCTX.divide(NCTX.multiply(Decimal(n), NCTX.subtract(lo, x)), NCTX.subtract(lo, hi))
    return int(numeric_trunc(q)) + 1


# --- random (volatile; use the session generator) --------------------------------------------

def drandom(ctx: Any) -> float:
    return ctx.random() if ctx is not None else __import__("random").random()


def _rng(ctx: Any) -> Any:
    if ctx is not None and getattr(ctx, "rng", None) is not None:
        return ctx.rng
    return __import__("random")


def int4random(ctx: Any, lo: int, hi: int) -> int:
    if lo > hi:
        raise PgError("22023", "lower bound must be less than or equal to upper bound")
    return _rng(ctx).randint(lo, hi)


def numeric_random(ctx: Any, lo: Decimal, hi: Decimal) -> Decimal:
    if not lo.is_finite() or not hi.is_finite():
        raise PgError("22023", "lower bound cannot be NaN" if lo.is_nan() or hi.is_nan()
                      else "lower bound cannot be infinity")
    if lo > hi:
        raise PgError("22023", "lower bound must be less than or equal to upper bound")
    scale = max(-lo.as_tuple().exponent, -hi.as_tuple().exponent, 0)  # type: ignore[operator]
    ilo = int(lo.scaleb(scale, NCTX))
    ihi = int(hi.scaleb(scale, NCTX))
    v = _rng(ctx).randint(ilo, ihi)
    return Decimal(v).scaleb(-scale, NCTX).quantize(Decimal(1).scaleb(-scale), context=NCTX)


def setseed(ctx: Any, seed: float) -> None:
    if not -1.0 <= seed <= 1.0 or seed != seed:
        raise PgError("22003", f"setseed parameter {seed:g} is out of allowed range [-1,1]")
    rng = getattr(ctx, "rng", None)
    if rng is not None:
        rng.seed(seed)
    else:
        __import__("random").seed(seed)
    return None


# --- degree-based trigonometry (float.c: exact at the special angles) ---------------------

_RPD = 0.0174532925199432957692
_SIN_30 = math.sin(30.0 * _RPD)
_ONE_MINUS_COS_60 = 1.0 - math.cos(60.0 * _RPD)
_ASIN_0_5 = math.asin(0.5)
_ACOS_0_5 = math.acos(0.5)
_ATAN_1_0 = math.atan(1.0)


def _sind_0_to_30(x: float) -> float:
    return (math.sin(x * _RPD) / _SIN_30) / 2.0


def _cosd_0_to_60(x: float) -> float:
    return 1.0 - ((1.0 - math.cos(x * _RPD)) / _ONE_MINUS_COS_60) / 2.0


def _sind_q1(x: float) -> float:
    return _sind_0_to_30(x) if x <= 30.0 else _cosd_0_to_60(90.0 - x)


def _cosd_q1(x: float) -> float:
    return _cosd_0_to_60(x) if x <= 60.0 else _sind_0_to_30(90.0 - x)


_TAN_45 = _sind_q1(45.0) / _cosd_q1(45.0)
_COT_45 = 1.0 / _TAN_45


def _deg_check(x: float) -> None:
    if math.isinf(x):
        raise PgError("22003", "input is out of range")


def dsind(x: float) -> float:
    if x != x:
        return x
    _deg_check(x)
    sign = 1.0
    x = math.fmod(x, 360.0)
    if x < 0.0:
        x, sign = -x, -sign
    if x > 180.0:
        x, sign = 360.0 - x, -sign
    if x > 90.0:
        x = 180.0 - x
    return sign * _sind_q1(x)


def dcosd(x: float) -> float:
    if x != x:
        return x
    _deg_check(x)
    sign = 1.0
    x = abs(math.fmod(x, 360.0))
    if x > 180.0:
        x = 360.0 - x
    if x > 90.0:
        x, sign = 180.0 - x, -sign
    return sign * _cosd_q1(x)


def _reduce_signed(x: float) -> tuple[float, float]:
    sign = 1.0
    x = math.fmod(x, 360.0)
    if x < 0.0:
        x, sign = -x, -sign
    if x > 180.0:
        x, sign = 360.0 - x, -sign
    if x > 90.0:
        x, sign = 180.0 - x, -sign
    return x, sign


def dtand(x: float) -> float:
    if x != x:
        return x
    _deg_check(x)
    x, sign = _reduce_signed(x)
    c = _cosd_q1(x)
    t = _sind_q1(x) / c if c else math.inf
    r = sign * (t / _TAN_45)
    return 0.0 if r == 0.0 else r


def dcotd(x: float) -> float:
    if x != x:
        return x
    _deg_check(x)
    x, sign = _reduce_signed(x)
    s = _sind_q1(x)
    t = _cosd_q1(x) / s if s else math.inf
    r = sign * (t / _COT_45)
    return 0.0 if r == 0.0 else r


def _asind_q1(x: float) -> float:
    if x <= 0.5:
        return (math.asin(x) / _ASIN_0_5) * 30.0
    return 90.0 - (math.acos(x) / _ACOS_0_5) * 60.0


def _acosd_q1(x: float) -> float:
    if x <= 0.5:
        return 90.0 - (math.asin(x) / _ASIN_0_5) * 30.0
    return (math.acos(x) / _ACOS_0_5) * 60.0


def _unit_check(x: float) -> None:
    if x < -1.0 or x > 1.0:
        raise PgError("22003", "input is out of range")


def dasind(x: float) -> float:
    if x != x:
        return x
    _unit_check(x)
    return _asind_q1(x) if x >= 0.0 else -_asind_q1(-x)


def dacosd(x: float) -> float:
    if x != x:
        return x
    _unit_check(x)
    return _acosd_q1(x) if x >= 0.0 else 90.0 + _asind_q1(-x)


def datand(x: float) -> float:
    if x != x:
        return x
    return (math.atan(x) / _ATAN_1_0) * 45.0


def datan2d(y: float, x: float) -> float:
    if x != x or y != y:
        return math.nan
    return (math.atan2(y, x) / _ATAN_1_0) * 45.0


def dcot(x: float) -> float:
    if x != x:
        return x
    _deg_check(x)
    t = math.tan(x)
    return 1.0 / t if t else math.inf


def dgamma(x: float) -> float:
    if x != x:
        return x
    if math.isinf(x):
        if x < 0:
            raise PgError("22003", "value out of range: overflow")
        return x
    if x == 0.0 or (x < 0 and x == math.floor(x)):
        raise PgError("22003", "value out of range: overflow")
    r = _tgamma(x)
    if math.isinf(r) or r != r:
        raise overflow()
    if r == 0.0:
        raise underflow()
    return r


def dlgamma(x: float) -> float:
    if x != x:
        return x
    r = _lgamma(x)
    if math.isinf(r) and not math.isinf(x):
        raise overflow()            # including the poles (0, -1, -2, ...), as PostgreSQL
    return r


def _hyper(fn: Callable[[float], float], dom: Callable[[float], bool] | None = None
           ) -> Callable[[float], float]:
    def f(x: float) -> float:
        if x != x:
            return x
        if dom is not None and not dom(x):
            raise PgError("22003", "input is out of range")
        try:
            return fn(x)
        except OverflowError:
            return math.copysign(math.inf, x) if fn is not math.cosh else math.inf
        except ValueError:
            raise PgError("22003", "input is out of range") from None
    return f


def drandom_normal(ctx: Any, mean: float, stddev: float) -> float:
    return _rng(ctx).gauss(mean, stddev)


IMPLS: dict[str, Callable[..., Any]] = {
    "dsind": dsind, "dcosd": dcosd, "dtand": dtand, "dcotd": dcotd, "dasind": dasind,
    "dacosd": dacosd, "datand": datand, "datan2d": datan2d, "dcot": dcot,
    "dsinh": _hyper(math.sinh), "dcosh": _hyper(math.cosh), "dtanh": _hyper(math.tanh),
    "dasinh": _hyper(math.asinh), "dacosh": _hyper(math.acosh, lambda x: x >= 1.0),
    "datanh": _hyper(math.atanh, lambda x: -1.0 <= x <= 1.0),
    "dgamma": dgamma, "dlgamma": dlgamma, "derf": lambda x: _erf(x), "derfc": lambda x: _erfc(x),
    "to_bin32": lambda n: format(n & 0xFFFFFFFF, "b"),
    "to_bin64": lambda n: format(n & 0xFFFFFFFFFFFFFFFF, "b"),
    "to_oct32": lambda n: format(n & 0xFFFFFFFF, "o"),
    "to_oct64": lambda n: format(n & 0xFFFFFFFFFFFFFFFF, "o"),
    "dround": dround, "dtrunc": dtrunc, "dceil": dceil, "dfloor": dfloor, "dsign": dsign,
    "dsqrt": dsqrt, "dcbrt": dcbrt, "dpow": dpow, "dexp": dexp, "dlog1": dlog1,
    "dlog10": dlog10, "dpi": lambda: math.pi, "degrees": math.degrees,
    "radians": math.radians, "dsin": _trig(math.sin), "dcos": _trig(math.cos),
    "dtan": _trig(math.tan), "dasin": _trig(math.asin), "dacos": _trig(math.acos),
    "datan": _trig(math.atan), "datan2": math.atan2,
    "int4gcd": _int_gcd(INT4_MIN, INT4_MAX, "integer"),
    "int8gcd": _int_gcd(INT8_MIN, INT8_MAX, "bigint"),
    "int4lcm": _int_lcm(INT4_MIN, INT4_MAX, "integer"),
    "int8lcm": _int_lcm(INT8_MIN, INT8_MAX, "bigint"),
    "numeric_gcd": numeric_gcd, "numeric_lcm": numeric_lcm, "numeric_fac": numeric_fac,
    "width_bucket_float8": width_bucket_float8, "width_bucket_numeric": width_bucket_numeric,
}

CTX_IMPLS: dict[str, Callable[..., Any]] = {
    "drandom": drandom, "int4random": int4random, "int8random": int4random,
    "numeric_random": numeric_random, "setseed": setseed, "drandom_normal": drandom_normal,
}

# SQL-language built-ins by pg_proc OID
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {}


def _sql_numeric() -> None:
    from tuskdb.types import numeric as n
    IMPLS_BY_OID[1708] = lambda a: n.numeric_round(a, 0)      # round(numeric)
    IMPLS_BY_OID[1710] = lambda a: n.numeric_trunc(a, 0)      # trunc(numeric)
    IMPLS_BY_OID[1741] = n.numeric_log10                      # log(numeric)
    IMPLS_BY_OID[1481] = n.numeric_log10                      # log10(numeric)


_sql_numeric()
