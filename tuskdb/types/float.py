"""real and double precision: I/O (shortest round-trip output as PostgreSQL 12+),
arithmetic with PostgreSQL's overflow/underflow checks, and NaN ordering.

float4 values are Python floats that are exactly representable in binary32.
PostgreSQL orders NaN above every other value and NaN = NaN, unlike IEEE.
"""

from __future__ import annotations

import math
import re
import struct
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.common import (
    INT2_MAX, INT2_MIN, INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN, PG_SPACE, S_FLOAT4, S_FLOAT8,
    bad_binary, division_by_zero, invalid_syntax, out_of_range,
)

_F32 = struct.Struct("f")
_U32 = struct.Struct("I")
FLT_MAX = 3.4028234663852886e38
_NUM = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_HEX = re.compile(r"[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?")
_SPECIAL = {"nan": math.nan, "+nan": math.nan, "-nan": math.nan, "inf": math.inf,
            "+inf": math.inf, "infinity": math.inf, "+infinity": math.inf,
            "-inf": -math.inf, "-infinity": -math.inf}


def to_float4(x: float) -> float:
    """Round a double to the nearest binary32 value (inf on overflow)."""
    try:
        return _F32.unpack(_F32.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _parse(text: str, typname: str) -> tuple[float, bool]:
    """strtod: returns (value, had_nonzero_digits)."""
    s = text.strip(PG_SPACE)
    m = _NUM.fullmatch(s)
    if m:
        mant = m.group(1)
        return float(s), any(c in "123456789" for c in mant)
    sp = _SPECIAL.get(s.lower())
    if sp is not None:
        return sp, False
    if _HEX.fullmatch(s):
        neg = s.startswith("-")
        body = s.lstrip("+-")
        if "p" not in body.lower():
            body += "p0"
        v = float.fromhex(body)
        return (-v if neg else v), v != 0.0
    raise invalid_syntax(typname, text)


def float8_in(text: str, typmod: int = -1, ctx: Any = None) -> float:
    v, nonzero = _parse(text, "double precision")
    if (v == 0.0 and nonzero) or (math.isinf(v) and nonzero):
        raise PgError("22003", f'"{text}" is out of range for type double precision')
    return v


def _strtof(text: str, approx: float) -> float:
    """Round the decimal in text straight to binary32 as strtof does (rounding via
    the double can be off by one unit when the double sits on a float midpoint)."""
    c = to_float4(approx)
    if not 1e-46 < abs(approx) < 3.5e38 or math.isinf(c):
        return c
    from decimal import Decimal
    from fractions import Fraction
    x = abs(Fraction(Decimal(text.strip(PG_SPACE))))
    bits = _U32.unpack(_F32.pack(abs(c)))[0]
    best = None
    for b in (bits - 1, bits, bits + 1):
        if b < 0 or b >= 0x7F800000:
            continue
        cand = _F32.unpack(_U32.pack(b))[0]
        d = abs(Fraction(cand) - x)
        if best is None or d < best[0] or (d == best[0] and b % 2 == 0):
            best = (d, cand)
    assert best is not None
    r = best[1]
    return -r if approx < 0 else r


def float4_in(text: str, typmod: int = -1, ctx: Any = None) -> float:
    v, nonzero = _parse(text, "real")
    if nonzero:
        f = _strtof(text, v) if _NUM.fullmatch(text.strip(PG_SPACE)) else to_float4(v)
        # strtof: ERANGE on overflow or when the result underflows to zero
        if math.isinf(f) or f == 0.0 or abs(f) < 1.401298464324817e-45:
            raise PgError("22003", f'"{text}" is out of range for type real')
        return f
    return v


def _special_out(x: float) -> str:
    if x != x:
        return "NaN"
    return "Infinity" if x > 0 else "-Infinity"


def _sci(digits: str, exp: int, neg: bool) -> str:
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{'-' if neg else ''}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _fixed(digits: str, exp: int, neg: bool) -> str:
    # value = 0.d1d2d3... * 10^(exp+1)
    n = len(digits)
    if exp < 0:
        s = "0." + "0" * (-exp - 1) + digits
    elif exp + 1 >= n:
        s = digits + "0" * (exp + 1 - n)
    else:
        s = digits[:exp + 1] + "." + digits[exp + 1:]
    return ("-" + s) if neg else s


def _on_midpoint(r: str, x: float) -> bool:
    """Is the decimal r exactly halfway between x and a neighbouring double?
    Python's repr accepts such a decimal (it rounds back to x), PostgreSQL's Ryu
    does not; a quick divisibility test rules out almost every case."""
    mant, _, exp = r.lstrip("-").partition("e")
    ip, _, fp = mant.partition(".")
    digits = int(ip + fp)
    k = int(exp or 0) - len(fp)
    if k < 0:
        q, rem = divmod(digits, 5 ** (-k))
        if rem:
            return False
        num, den = q, 1 << (-k)          # digits / 10^f == q / 2^f
    elif abs(x) < 9007199254740992.0:
        return False
    else:
        num, den = digits * 10 ** k, 1
    xn, xd = abs(x).as_integer_ratio()
    un, ud = math.ulp(x).as_integer_ratio()
    # r == |x| +- ulp/2  <=>  2*num*xd*ud == den*(2*xn*ud +- un*xd)
    lhs = 2 * num * xd * ud
    return lhs in (den * (2 * xn * ud + un * xd), den * (2 * xn * ud - un * xd))


def _repr_no_bounds(x: float) -> str:
    r = repr(x)
    # Below 2**52 the midpoint between two doubles needs 18+ significant digits, so
    # the (at most 17-digit) repr cannot be one: only large values need the check.
    if -4503599627370496.0 < x < 4503599627370496.0 or r[-1] in "fn" or \
            not _on_midpoint(r, x):
        return r
    ndig = len(r.lstrip("-").partition("e")[0].replace(".", "").lstrip("0"))
    for p in range(ndig, 17):
        s = "%.*e" % (p, x)
        if float(s) == x and not _on_midpoint(s, x):
            mant, _, e = s.partition("e")
            mant = mant.rstrip("0").rstrip(".")
            return _reformat(mant, int(e))
    return repr(x)


def _reformat(mant: str, exp: int) -> str:
    """Digits of a %e mantissa placed like Python's repr (fixed for 1e-4 <= |x| < 1e16)."""
    neg = mant.startswith("-")
    digits = mant.lstrip("-").replace(".", "")
    if -4 <= exp < 16:
        s = _fixed(digits, exp, neg)
        return s if "." in s else s + ".0"
    return _sci(digits, exp, neg)


def float8_out(x: float, ctx: Any = None) -> str:
    efd = 1 if ctx is None else ctx.extra_float_digits
    if efd > 0:
        r = _repr_no_bounds(x)
        if "e" in r:
            return r
        if r[-1] in "fn":  # inf, -inf, nan
            return _special_out(x)
        if r.endswith(".0"):
            r = r[:-2]
        if -1e15 < x < 1e15:
            return r
        neg = r.startswith("-")
        digits = r.lstrip("-").replace(".", "")
        exp = len(r.lstrip("-").split(".")[0]) - 1
        return _sci(digits.rstrip("0") or "0", exp, neg)
    if math.isinf(x) or x != x:
        return _special_out(x)
    return "%.*g" % (max(15 + efd, 1), x)


def _shortest32(x: float) -> tuple[str, int]:
    """Shortest decimal digits that round-trip through binary32: (digits, exp10).
    Like PostgreSQL's Ryu (f2s), a decimal exactly halfway to a neighbouring
    binary32 value is not accepted even though strtof would round it back."""
    (bits,) = _U32.unpack(_F32.pack(x))
    up = _F32.unpack(_U32.pack(bits + 1))[0] if bits < 0x7F7FFFFF else \
        x + (x - _F32.unpack(_U32.pack(bits - 1))[0])   # past FLT_MAX: the same spacing
    down = _F32.unpack(_U32.pack(bits - 1))[0] if bits > 0 else 0.0
    mid_up, mid_down = (x + up) / 2, (x + down) / 2     # exact in binary64
    tiny = x * 2.0 ** -45
    for p in range(0, 9):
        s = "%.*e" % (p, x)
        d = float(s)
        if abs(d - mid_up) <= tiny or abs(d - mid_down) <= tiny:
            # too close to a midpoint for the double to decide: compare exactly
            from decimal import Decimal
            from fractions import Fraction
            v = Fraction(Decimal(s))
            if Fraction(mid_down) < v < Fraction(mid_up):
                break
        elif mid_down < d < mid_up:
            break
    mant, e = s.split("e")
    digits = mant.replace(".", "").replace("-", "").rstrip("0") or "0"
    return digits, int(e)


def float4_out(x: float, ctx: Any = None) -> str:
    if math.isinf(x) or x != x:
        return _special_out(x)
    efd = 1 if ctx is None else ctx.extra_float_digits
    if efd > 0:
        if x == 0.0:
            return "-0" if math.copysign(1.0, x) < 0 else "0"
        digits, exp = _shortest32(abs(x))
        neg = x < 0
        if -4 <= exp < 6:
            return _fixed(digits, exp, neg)
        return _sci(digits, exp, neg)
    return "%.*g" % (max(6 + efd, 1), x)


def float8_send(x: float, ctx: Any = None) -> bytes:
    return S_FLOAT8.pack(x)


def float4_send(x: float, ctx: Any = None) -> bytes:
    return S_FLOAT4.pack(x)


def float8_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> float:
    if len(data) != 8:
        raise bad_binary()
    return S_FLOAT8.unpack(data)[0]


def float4_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> float:
    if len(data) != 4:
        raise bad_binary()
    return S_FLOAT4.unpack(data)[0]


# ---------------------------------------------------------------------------
# comparison with PostgreSQL's NaN rules

def float_cmp(a: float, b: float) -> int:
    if a != a:
        return 0 if b != b else 1
    if b != b:
        return -1
    return (a > b) - (a < b)


def float_eq(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)


def float_ne(a: float, b: float) -> bool:
    return not (a == b or (a != a and b != b))


def float_lt(a: float, b: float) -> bool:
    return a < b or (a == a and b != b)


def float_le(a: float, b: float) -> bool:
    return a <= b or b != b


def float_gt(a: float, b: float) -> bool:
    return a > b or (a != a and b == b)


def float_ge(a: float, b: float) -> bool:
    return a >= b or a != a


# ---------------------------------------------------------------------------
# arithmetic

def overflow() -> PgError:
    return PgError("22003", "value out of range: overflow")


def underflow() -> PgError:
    return PgError("22003", "value out of range: underflow")


def float8_pl(a: float, b: float) -> float:
    r = a + b
    if r in (math.inf, -math.inf) and a not in (math.inf, -math.inf) and \
            b not in (math.inf, -math.inf):
        raise overflow()
    return r


def float8_mi(a: float, b: float) -> float:
    r = a - b
    if r in (math.inf, -math.inf) and a not in (math.inf, -math.inf) and \
            b not in (math.inf, -math.inf):
        raise overflow()
    return r


def float8_mul(a: float, b: float) -> float:
    r = a * b
    if r in (math.inf, -math.inf):
        if a not in (math.inf, -math.inf) and b not in (math.inf, -math.inf):
            raise overflow()
    elif r == 0.0 and a != 0.0 and b != 0.0:
        raise underflow()
    return r


def float8_div(a: float, b: float) -> float:
    if b == 0.0:
        if a != a:
            return a
        raise division_by_zero()
    r = a / b
    if r in (math.inf, -math.inf):
        if a not in (math.inf, -math.inf):
            raise overflow()
    elif r == 0.0 and a != 0.0 and b not in (math.inf, -math.inf):
        raise underflow()
    return r


def _f4(fn: Callable[[float, float], float]) -> Callable[[float, float], float]:
    def f(a: float, b: float) -> float:
        r = fn(a, b)
        r4 = to_float4(r)
        if r4 in (math.inf, -math.inf) and r not in (math.inf, -math.inf):
            raise overflow()
        if r4 == 0.0 and r != 0.0:
            raise underflow()
        return r4
    return f


def rint(x: float) -> float:
    """C rint(): round half to even."""
    return float(round(x))


def _float_to_int(lo: int, hi: int, what: str) -> Callable[[float], int]:
    def f(x: float) -> int:
        if x != x or x in (math.inf, -math.inf):
            raise out_of_range(what)
        r = round(x)
        if lo <= r <= hi:
            return r
        raise out_of_range(what)
    return f


def _build() -> dict[str, Callable[..., Any]]:
    impls: dict[str, Callable[..., Any]] = {}
    cmps = {"eq": float_eq, "ne": float_ne, "lt": float_lt, "le": float_le, "gt": float_gt,
            "ge": float_ge}
    for pair in ("float4", "float8", "float48", "float84"):
        for suffix, fn in cmps.items():
            impls[pair + suffix] = fn
    for pair in ("float8", "float48", "float84"):
        impls[pair + "pl"] = float8_pl
        impls[pair + "mi"] = float8_mi
        impls[pair + "mul"] = float8_mul
        impls[pair + "div"] = float8_div
    impls["float4pl"] = _f4(float8_pl)
    impls["float4mi"] = _f4(float8_mi)
    impls["float4mul"] = _f4(float8_mul)
    impls["float4div"] = _f4(float8_div)
    for w in ("4", "8"):
        impls[f"float{w}um"] = lambda a: -a
        impls[f"float{w}up"] = lambda a: a
        impls[f"float{w}abs"] = abs
        impls[f"float{w}larger"] = lambda a, b: a if float_ge(a, b) else b
        impls[f"float{w}smaller"] = lambda a, b: a if float_le(a, b) else b
    impls["ftod"] = lambda a: a
    impls["dtof"] = _dtof
    for src, lo, hi, what, names in ((0, INT2_MIN, INT2_MAX, "smallint", ("ftoi2", "dtoi2")),
                                     (0, INT4_MIN, INT4_MAX, "integer", ("ftoi4", "dtoi4")),
                                     (0, INT8_MIN, INT8_MAX, "bigint", ("ftoi8", "dtoi8"))):
        for n in names:
            impls[n] = _float_to_int(lo, hi, what)
    for n in ("i2tod", "i4tod", "i8tod"):
        impls[n] = float
    for n in ("i2tof", "i4tof", "i8tof"):
        impls[n] = lambda a: to_float4(float(a))
    return impls


def _dtof(a: float) -> float:
    r = to_float4(a)
    if r in (math.inf, -math.inf) and a not in (math.inf, -math.inf):
        raise overflow()
    if r == 0.0 and a != 0.0:
        raise underflow()
    return r


IMPLS = _build()
