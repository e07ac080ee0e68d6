"""numeric: decimal.Decimal values with PostgreSQL's display-scale rules.

Invariants for a finite value ``d``: ``d.as_tuple().exponent <= 0`` (the
exponent is minus PostgreSQL's dscale) and zero is never negative.  NaN and
±Infinity are Decimal('NaN') / Decimal('±Infinity'); NaN equals NaN and sorts
above +Infinity, as in PostgreSQL.

All arithmetic goes through ``NCTX`` (a private, exact context) and never
through the thread's decimal context.  Scales of results follow numeric.c:
``+ - *`` are exact, ``/`` uses select_div_scale(), the transcendental
functions aim for NUMERIC_MIN_SIG_DIGITS (16) significant digits.
"""

from __future__ import annotations

import math
import re
import struct
from decimal import (
    ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation,
)
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.common import (
    INT2_MAX, INT2_MIN, INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN, PG_SPACE, bad_binary,
    division_by_zero, invalid_syntax, out_of_range,
)

NCTX = Context(prec=400000, Emax=10**9, Emin=-10**9, traps=[])
NAN = Decimal("NaN")
PINF = Decimal("Infinity")
NINF = Decimal("-Infinity")
ZERO = Decimal(0)
ONE = Decimal(1)
MIN_SIG_DIGITS = 16
MAX_DISPLAY_SCALE = 1000
MAX_PRECISION = 1000
_MAX_EXPONENT = 0x7FFFFFFF // 2

_NUM = re.compile(r"([+-]?)(\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)"
                  r"([eE][+-]?\d+(?:_\d+)*)?")
_PREFIXED = re.compile(r"[+-]?0(?:[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*"
                       r"|[oO]_?[0-7]+(?:_[0-7]+)*|[bB]_?[01]+(?:_[01]+)*)")
_SPECIAL = {"nan": NAN, "infinity": PINF, "+infinity": PINF, "-infinity": NINF, "inf": PINF,
            "+inf": PINF, "-inf": NINF}


def normalize(d: Decimal) -> Decimal:
    """Enforce the invariants: exponent <= 0, no negative zero."""
    if not d.is_finite():
        return d
    exp = d.as_tuple().exponent
    if exp > 0:  # type: ignore[operator]
        d = d.quantize(ONE, context=NCTX)
    if not d and d.is_signed():
        d = d.copy_abs()
    return d


def numeric_in(text: str, typmod: int = -1, ctx: Any = None) -> Decimal:
    s = text.strip(PG_SPACE)
    m = _NUM.fullmatch(s)
    if m:
        # set_var_from_str refuses an exponent beyond +-(INT_MAX / 2) whatever the
        # digits (so '0e2000000000' overflows too); it also keeps Decimal's exponent
        # range out of reach
        if m.group(3) and abs(int(m.group(3)[1:].replace("_", ""))) > _MAX_EXPONENT:
            raise PgError("22003", "value overflows numeric format")
        try:
            d = Decimal(s.replace("_", "") if "_" in s else s)
        except InvalidOperation:
            raise invalid_syntax("numeric", text) from None
        # make_result: the weight and dscale must fit numeric's int16 fields
        if (d and d.adjusted() >= 131072) or -d.as_tuple().exponent > 16383:  # type: ignore
            raise PgError("22003", "value overflows numeric format")
        d = normalize(d)
    else:
        sp = _SPECIAL.get(s.lower())
        if sp is not None:
            d = sp
        elif _PREFIXED.fullmatch(s):
            d = Decimal(int(s.replace("_", ""), 0))
        else:
            raise invalid_syntax("numeric", text)
    if typmod >= 0:
        return apply_typmod(d, typmod)
    return d


def numeric_out(d: Decimal, ctx: Any = None) -> str:
    if d.is_finite():
        return format(d, "f")
    if d.is_nan():
        return "NaN"
    return "Infinity" if d > 0 else "-Infinity"


def dscale(d: Decimal) -> int:
    e = d.as_tuple().exponent
    return -e if isinstance(e, int) and e < 0 else 0


# ---------------------------------------------------------------------------
# base-10000 view (PostgreSQL's NumericVar), used by binary I/O and scale rules

def to_nbase(d: Decimal) -> tuple[int, list[int], int]:
    """(weight, digits, dscale) of a finite |d|, digits stripped of zeros."""
    sign, digs, exp = d.as_tuple()
    scale = -exp if exp < 0 else 0  # type: ignore[operator]
    c = int(Decimal((0, digs, 0))) if digs else 0   # no int<->str (4300-digit limit)
    if exp > 0:  # type: ignore[operator]
        c *= 10 ** exp  # type: ignore[operator]
    pad = (4 - scale % 4) % 4
    c *= 10 ** pad
    frac_groups = (scale + pad) // 4
    groups: list[int] = []
    while c:
        c, r = divmod(c, 10000)
        groups.append(r)
    groups.reverse()
    if not groups:
        return 0, [], scale
    weight = len(groups) - frac_groups - 1
    i = 0
    while groups[i] == 0:
        i += 1
    weight -= i
    groups = groups[i:]
    while groups[-1] == 0:
        groups.pop()
    return weight, groups, scale


def numeric_send(d: Decimal, ctx: Any = None) -> bytes:
    if not d.is_finite():
        sign = 0xC000 if d.is_nan() else (0xD000 if d > 0 else 0xF000)
        return struct.pack("!hhHh", 0, 0, sign, 0)
    weight, digits, scale = to_nbase(d)
    sign = 0x4000 if d.is_signed() and d else 0
    return struct.pack(f"!hhHh{len(digits)}H", len(digits), weight, sign, scale, *digits)


def numeric_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Decimal:
    if len(data) < 8:
        raise bad_binary()
    ndigits, weight, sign, scale = struct.unpack_from("!hhHh", data)
    if len(data) != 8 + 2 * ndigits:
        raise bad_binary()
    if sign == 0xC000:
        return NAN
    if sign == 0xD000:
        return PINF
    if sign == 0xF000:
        return NINF
    if sign not in (0, 0x4000):
        raise PgError("22P03", "invalid sign in external \"numeric\" value")
    digits = struct.unpack_from(f"!{ndigits}H", data, 8)
    c = 0
    for g in digits:
        if g >= 10000:
            raise PgError("22P03", "invalid digit in external \"numeric\" value")
        c = c * 10000 + g
    # value = c * 10000^(weight - ndigits + 1)
    e4 = weight - ndigits + 1
    d = Decimal(c).scaleb(4 * e4, NCTX) if c else ZERO
    d = d.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP, context=NCTX)
    if sign == 0x4000 and d:
        d = -d
    if typmod >= 0:
        d = apply_typmod(d, typmod)
    return d


# ---------------------------------------------------------------------------
# typmod

def numeric_typmod_in(mods: list[int | str]) -> int:
    vals = [int(m) for m in mods]
    if len(vals) == 2:
        p, s = vals
        if not 1 <= p <= MAX_PRECISION:
            raise PgError("22023", f"NUMERIC precision {p} must be between 1 and 1000")
        if not -1000 <= s <= 1000:
            raise PgError("22023", f"NUMERIC scale {s} must be between -1000 and 1000")
        return ((p << 16) | (s & 0x7FF)) + 4
    if len(vals) == 1:
        p = vals[0]
        if not 1 <= p <= MAX_PRECISION:
            raise PgError("22023", f"NUMERIC precision {p} must be between 1 and 1000")
        return (p << 16) + 4
    raise PgError("22023", "invalid NUMERIC type modifier")


def typmod_precision(typmod: int) -> int:
    return ((typmod - 4) >> 16) & 0xFFFF


def typmod_scale(typmod: int) -> int:
    return (((typmod - 4) & 0x7FF) ^ 1024) - 1024


def numeric_format_type(typmod: int) -> str:
    if typmod < 0:
        return "numeric"
    return f"numeric({typmod_precision(typmod)},{typmod_scale(typmod)})"


def apply_typmod(d: Decimal, typmod: int) -> Decimal:
    if typmod < 4:
        return d
    p = typmod_precision(typmod)
    s = typmod_scale(typmod)
    maxdigits = p - s
    if not d.is_finite():
        if d.is_nan():
            return d
        raise PgError("22003", "numeric field overflow",
                      detail=f"A field with precision {p}, scale {s} cannot hold an "
                             "infinite value.")
    r = d.quantize(Decimal(1).scaleb(-s), rounding=ROUND_HALF_UP, context=NCTX)
    if r and r.adjusted() >= maxdigits:
        lim = f"10^{maxdigits}" if maxdigits else "1"
        raise PgError("22003", "numeric field overflow",
                      detail=f"A field with precision {p}, scale {s} must round to an "
                             f"absolute value less than {lim}.")
    return normalize(r)


def numeric_coerce(d: Decimal, typmod: int, explicit: bool = False) -> Decimal:
    return apply_typmod(d, typmod)


# ---------------------------------------------------------------------------
# comparison (NaN = NaN, NaN > everything)

def numeric_cmp(a: Decimal, b: Decimal) -> int:
    if a.is_nan():
        return 0 if b.is_nan() else 1
    if b.is_nan():
        return -1
    return (a > b) - (a < b)


def numeric_eq(a: Decimal, b: Decimal) -> bool:
    return a == b or (a.is_nan() and b.is_nan())


def numeric_ne(a: Decimal, b: Decimal) -> bool:
    return not numeric_eq(a, b)


def numeric_lt(a: Decimal, b: Decimal) -> bool:
    try:
        return a < b
    except InvalidOperation:
        return numeric_cmp(a, b) < 0


def numeric_le(a: Decimal, b: Decimal) -> bool:
    try:
        return a <= b
    except InvalidOperation:
        return numeric_cmp(a, b) <= 0


def numeric_gt(a: Decimal, b: Decimal) -> bool:
    try:
        return a > b
    except InvalidOperation:
        return numeric_cmp(a, b) > 0


def numeric_ge(a: Decimal, b: Decimal) -> bool:
    try:
        return a >= b
    except InvalidOperation:
        return numeric_cmp(a, b) >= 0


# ---------------------------------------------------------------------------
# arithmetic

def _check(d: Decimal) -> Decimal:
    if d.is_finite() and d and d.adjusted() >= 131072:
        raise PgError("22003", "value overflows numeric format")
    return d


def numeric_add(a: Decimal, b: Decimal) -> Decimal:
    r = NCTX.add(a, b)
    if not r and r.is_signed():
        return r.copy_abs()
    return r


def numeric_sub(a: Decimal, b: Decimal) -> Decimal:
    r = NCTX.subtract(a, b)
    if not r and r.is_signed():
        return r.copy_abs()
    return r


def numeric_mul(a: Decimal, b: Decimal) -> Decimal:
    r = NCTX.multiply(a, b)
    if r.is_finite():
        if not r:
            return r.copy_abs()
        if dscale(r) > 16383:
            r = r.quantize(Decimal(1).scaleb(-16383), rounding=ROUND_HALF_UP, context=NCTX)
        return _check(r)
    return r


def numeric_uminus(a: Decimal) -> Decimal:
    return a.copy_negate() if a else a


def _weight_first(d: Decimal) -> tuple[int, int]:
    if not d:
        return 0, 0
    w, digits, _ = to_nbase(d)
    return w, digits[0]


def select_div_scale(a: Decimal, b: Decimal) -> int:
    w1, f1 = _weight_first(a)
    w2, f2 = _weight_first(b)
    qweight = w1 - w2
    if f1 <= f2:
        qweight -= 1
    rscale = MIN_SIG_DIGITS - qweight * 4
    rscale = max(rscale, dscale(a), dscale(b), 0)
    return min(rscale, MAX_DISPLAY_SCALE)


def div_round(a: Decimal, b: Decimal, rscale: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """a / b exactly rounded to rscale places (half away from zero, or truncated)."""
    sa, da, ea = a.as_tuple()
    sb, db, eb = b.as_tuple()
    ia = int(Decimal((0, da, 0)))
    ib = int(Decimal((0, db, 0)))
    # a/b = ia/ib * 10^(ea-eb); want q = round(a/b * 10^rscale)
    shift = ea - eb + rscale  # type: ignore[operator]
    if shift >= 0:
        num, den = ia * 10 ** shift, ib
    else:
        num, den = ia, ib * 10 ** (-shift)
    q, r = divmod(num, den)
    if rounding == ROUND_HALF_UP and 2 * r >= den:
        q += 1
    neg = (sa != sb) and q != 0
    return Decimal((1 if neg else 0, Decimal(q).as_tuple().digits, -rscale))


def numeric_div(a: Decimal, b: Decimal) -> Decimal:
    if a.is_nan() or b.is_nan():
        return NAN
    if b.is_infinite():
        if a.is_infinite():
            return NAN
        return ZERO
    if not b:
        raise division_by_zero()
    if a.is_infinite():
        return a if not b.is_signed() else a.copy_negate()
    return _check(div_round(a, b, select_div_scale(a, b)))


def numeric_div_trunc(a: Decimal, b: Decimal) -> Decimal:
    """div(): integer quotient truncated toward zero."""
    if a.is_nan() or b.is_nan():
        return NAN
    if not b and b.is_finite():
        raise division_by_zero()
    if a.is_infinite():
        if b.is_infinite():
            return NAN
        return a if not b.is_signed() else a.copy_negate()
    if b.is_infinite():
        return ZERO
    return div_round(a, b, 0, ROUND_DOWN)


def numeric_mod(a: Decimal, b: Decimal) -> Decimal:
    if a.is_nan() or b.is_nan():
        return NAN
    if not b and b.is_finite():
        raise division_by_zero()
    if a.is_infinite():
        return NAN
    if b.is_infinite():
        return a
    q = div_round(a, b, 0, ROUND_DOWN)
    r = NCTX.subtract(a, NCTX.multiply(q, b))
    scale = max(dscale(a), dscale(b))
    r = r.quantize(Decimal(1).scaleb(-scale), context=NCTX)
    return r.copy_abs() if not r else r


def numeric_abs(a: Decimal) -> Decimal:
    return a.copy_abs()


def numeric_sign(a: Decimal) -> Decimal:
    if a.is_nan():
        return NAN
    if not a:
        return ZERO
    return Decimal(-1) if a.is_signed() else ONE


def _round_to(a: Decimal, scale: int, rounding: str) -> Decimal:
    if not a.is_finite():
        return a
    if scale >= 0:
        r = a.quantize(Decimal(1).scaleb(-scale), rounding=rounding, context=NCTX)
    else:
        q = Decimal(1).scaleb(-scale)
        r = a.quantize(q, rounding=rounding, context=NCTX).quantize(ONE, context=NCTX)
    return normalize(r)


def numeric_round(a: Decimal, scale: int = 0) -> Decimal:
    # the limits of numeric.c: NUMERIC_DSCALE_MAX and one digit past the largest weight
    scale = max(min(scale, 16383), -131073)
    return _check(_round_to(a, scale, ROUND_HALF_UP))


def numeric_trunc(a: Decimal, scale: int = 0) -> Decimal:
    scale = max(min(scale, 16383), -131072)
    return _round_to(a, scale, ROUND_DOWN)


def numeric_ceil(a: Decimal) -> Decimal:
    return _round_to(a, 0, ROUND_CEILING)


def numeric_floor(a: Decimal) -> Decimal:
    return _round_to(a, 0, ROUND_FLOOR)


def _with_scale(fn: Callable[[Context], Decimal], magnitude: int, rscale: int) -> Decimal:
    """Evaluate fn at enough precision, then round half-up to rscale places."""
    ctx = Context(prec=max(magnitude, 1) + rscale + 12, Emax=10**9, Emin=-10**9, traps=[])
    r = fn(ctx)
    return normalize(r.quantize(Decimal(1).scaleb(-rscale), rounding=ROUND_HALF_UP,
                                context=NCTX))


def numeric_sqrt(a: Decimal) -> Decimal:
    if a.is_nan():
        return NAN
    if a.is_signed() and a:
        raise PgError("2201F", "cannot take square root of a negative number")
    if a.is_infinite():
        return a
    w, _ = _weight_first(a)
    sweight = (w + 1) * 4 // 2 - 1
    rscale = min(max(MIN_SIG_DIGITS - sweight, dscale(a), 0), MAX_DISPLAY_SCALE)
    if not a:
        return Decimal(0).scaleb(-rscale)
    # exactly rounded (half away from zero): r = isqrt(X), X = a * 10^(2 rscale)
    _, digits, exp = a.as_tuple()
    c = int(Decimal((0, digits, 0)))
    k = exp + 2 * rscale  # type: ignore[operator]
    x_floor = c * 10 ** k if k >= 0 else c // 10 ** (-k)
    r = math.isqrt(x_floor)
    lhs, rhs = (4 * c * 10 ** k, (2 * r + 1) ** 2) if k >= 0 else \
        (4 * c, (2 * r + 1) ** 2 * 10 ** (-k))
    if lhs >= rhs:
        r += 1
    return Decimal((0, Decimal(r).as_tuple().digits, -rscale))


def numeric_exp(a: Decimal) -> Decimal:
    if a.is_nan():
        return NAN
    if a.is_infinite():
        return a if a > 0 else ZERO
    val = float(a) * 0.434294481903252
    val = max(min(val, 2000.0), -2000.0)
    if val > 131072 * 1.0:
        raise PgError("22003", "value overflows numeric format")
    rscale = min(max(MIN_SIG_DIGITS - int(val), dscale(a), 0), MAX_DISPLAY_SCALE)
    return _with_scale(lambda c: c.exp(a), max(int(val), 0) + 2, rscale)


def estimate_ln_dweight(a: Decimal) -> int:
    if a.is_signed() or not a:
        return 0
    if Decimal("0.9") <= a <= Decimal("1.1"):
        x = NCTX.subtract(a, ONE)
        if not x:
            return 0
        w, digits, _ = to_nbase(x.copy_abs())
        return w * 4 + int(math.log10(digits[0]))
    w, digits, _ = to_nbase(a)
    d = digits[0]
    dweight = w * 4
    if len(digits) > 1:
        d = d * 10000 + digits[1]
        dweight -= 4
    ln = math.log(d) + dweight * 2.302585092994046
    return int(math.log10(abs(ln))) if ln else 0


def _ln_check(a: Decimal) -> None:
    if not a and a.is_finite():
        raise PgError("2201E", "cannot take logarithm of zero")
    if a.is_signed():
        raise PgError("2201E", "cannot take logarithm of a negative number")


def numeric_ln(a: Decimal) -> Decimal:
    if a.is_nan():
        return NAN
    _ln_check(a)
    if a.is_infinite():
        return a
    rscale = min(max(MIN_SIG_DIGITS - estimate_ln_dweight(a), dscale(a), 0),
                 MAX_DISPLAY_SCALE)
    return _with_scale(lambda c: c.ln(a), 8, rscale)


def numeric_log(base: Decimal, num: Decimal) -> Decimal:
    if base.is_nan() or num.is_nan():
        return NAN
    _ln_check(base)
    _ln_check(num)
    if base == ONE:
        raise division_by_zero()
    if base.is_infinite() or num.is_infinite():
        if base.is_infinite() and num.is_infinite():
            return NAN
        if num.is_infinite():
            return PINF if base > ONE else NINF
        return ZERO
    rdw = estimate_ln_dweight(num) - estimate_ln_dweight(base)
    rscale = min(max(MIN_SIG_DIGITS - rdw, dscale(base), dscale(num), 0), MAX_DISPLAY_SCALE)
    return _with_scale(lambda c: c.divide(c.ln(num), c.ln(base)), max(rdw, 0) + 2, rscale)


def numeric_log10(a: Decimal) -> Decimal:
    return numeric_log(Decimal(10), a)


def numeric_power(base: Decimal, exp: Decimal) -> Decimal:
    if base.is_nan():
        return ONE if exp == ZERO else NAN
    if exp.is_nan():
        return ONE if base == ONE else NAN
    if not base and exp.is_signed() and exp:
        raise PgError("2201F", "zero raised to a negative power is undefined")
    if base.is_signed() and exp.is_finite() and exp != exp.to_integral_value() and base:
        raise PgError("2201F", "a negative number raised to a non-integer power yields a "
                      "complex result")
    if not base.is_finite() or not exp.is_finite():
        try:
            return normalize(Decimal(float(base) ** float(exp)))
        except (OverflowError, ZeroDivisionError):
            return PINF
    if exp == exp.to_integral_value() and abs(exp) <= INT4_MAX:
        e = int(exp)
        if base:
            w, digits, _ = to_nbase(base)
            f = float(digits[0])
            p = w * 4
            for i in range(1, len(digits)):
                if i * 4 >= 16:
                    break
                f = f * 10000 + digits[i]
                p -= 4
            est = e * (math.log10(f) + p)
        else:
            est = 0.0
        if est > 32768 * 4:
            raise PgError("22003", "value overflows numeric format")
        if est + 1 < -MAX_DISPLAY_SCALE:
            return Decimal(0).scaleb(-MAX_DISPLAY_SCALE)
        rscale = min(max(MIN_SIG_DIGITS - int(est), dscale(base), dscale(exp), 0),
                     MAX_DISPLAY_SCALE)
        if e == 0:
            return Decimal(1).quantize(Decimal(1).scaleb(-rscale), context=NCTX)
        if e >= 0:
            exact = NCTX.power(base, e)
            return normalize(exact.quantize(Decimal(1).scaleb(-rscale), rounding=ROUND_HALF_UP,
                                            context=NCTX))
        return _with_scale(lambda c: c.power(base, e), max(int(est), 0) + 2, rscale)
    if not base:
        # 0 ^ non-integer: PostgreSQL returns zero with NUMERIC_MIN_SIG_DIGITS scale
        return Decimal(0).scaleb(-MIN_SIG_DIGITS)
    if base.is_signed():
        # an integer exponent beyond int4 (power_var): |base| ^ exp, sign by parity
        r = numeric_power(base.copy_abs(), exp)
        return numeric_uminus(r) if int(exp) % 2 else r
    ln_dw = estimate_ln_dweight(base)
    local = max(8 - ln_dw, 0)
    # reproduce power_var's low-precision estimate exactly: ln and product rounded to
    # local_rscale places, then a double multiplication
    q = Decimal(1).scaleb(-local)
    c0 = Context(prec=local + 40, Emax=10**9, Emin=-10**9, traps=[])
    ln_base = c0.ln(base).quantize(q, rounding=ROUND_HALF_UP, context=NCTX)
    ln_num = NCTX.multiply(ln_base, exp).quantize(q, rounding=ROUND_HALF_UP, context=NCTX)
    val = float(ln_num) * 0.434294481903252
    if val > 131072 * 1.0:
        raise PgError("22003", "value overflows numeric format")
    rscale = min(max(MIN_SIG_DIGITS - int(val), dscale(base), dscale(exp), 0), MAX_DISPLAY_SCALE)
    return _with_scale(lambda c: c.power(base, exp), max(int(val), 0) + 2, rscale)


# ---------------------------------------------------------------------------
# conversions

def _to_int(lo: int, hi: int, what: str) -> Callable[[Decimal], int]:
    def f(d: Decimal) -> int:
        if not d.is_finite():
            raise PgError("0A000", f"cannot convert {'NaN' if d.is_nan() else 'infinity'} "
                          f"to {what}")
        if d.adjusted() > 20:
            raise out_of_range(what)
        r = int(d.quantize(ONE, rounding=ROUND_HALF_UP, context=NCTX))
        if lo <= r <= hi:
            return r
        raise out_of_range(what)
    return f


numeric_int2 = _to_int(INT2_MIN, INT2_MAX, "smallint")
numeric_int4 = _to_int(INT4_MIN, INT4_MAX, "integer")
numeric_int8 = _to_int(INT8_MIN, INT8_MAX, "bigint")


def int_numeric(i: int) -> Decimal:
    return Decimal(i)


def float8_numeric(x: float) -> Decimal:
    if x != x:
        return NAN
    if math.isinf(x):
        return PINF if x > 0 else NINF
    return normalize(Decimal("%.15g" % x))


def float4_numeric(x: float) -> Decimal:
    if x != x:
        return NAN
    if math.isinf(x):
        return PINF if x > 0 else NINF
    return normalize(Decimal("%.6g" % x))


def numeric_float8(d: Decimal) -> float:
    if d.is_finite() and d and d.adjusted() > 308:
        raise PgError("22003", f'"{numeric_out(d)}" is out of range for type double precision')
    r = float(d)
    if r == 0.0 and d:
        raise PgError("22003", f'"{numeric_out(d)}" is out of range for type double precision')
    return r


def numeric_float4(d: Decimal) -> float:
    from tuskdb.types.float import to_float4
    r = to_float4(float(d)) if d.is_finite() else float(d)
    if d.is_finite() and d and (math.isinf(r) or r == 0.0):
        raise PgError("22003", f'"{numeric_out(d)}" is out of range for type real')
    return r


def numeric_scale(d: Decimal) -> int | None:
    return dscale(d) if d.is_finite() else None


def numeric_min_scale(d: Decimal) -> int | None:
    if not d.is_finite():
        return None
    if not d:
        return 0
    return max(0, -d.normalize(NCTX).as_tuple().exponent)  # type: ignore[operator]


def numeric_trim_scale(d: Decimal) -> Decimal:
    if not d.is_finite():
        return d
    s = numeric_min_scale(d) or 0
    return d.quantize(Decimal(1).scaleb(-s), context=NCTX)


def numeric_larger(a: Decimal, b: Decimal) -> Decimal:
    return a if numeric_cmp(a, b) >= 0 else b


def numeric_smaller(a: Decimal, b: Decimal) -> Decimal:
    return a if numeric_cmp(a, b) <= 0 else b


IMPLS: dict[str, Callable[..., Any]] = {
    "numeric_eq": numeric_eq, "numeric_ne": numeric_ne, "numeric_lt": numeric_lt,
    "numeric_le": numeric_le, "numeric_gt": numeric_gt, "numeric_ge": numeric_ge,
    "numeric_add": numeric_add, "numeric_sub": numeric_sub, "numeric_mul": numeric_mul,
    "numeric_div": numeric_div, "numeric_mod": numeric_mod, "numeric_div_trunc":
    numeric_div_trunc, "numeric_uminus": numeric_uminus, "numeric_uplus": lambda a: a,
    "numeric_abs": numeric_abs, "numeric_sign": numeric_sign, "numeric_round": numeric_round,
    "numeric_trunc": numeric_trunc, "numeric_ceil": numeric_ceil,
    "numeric_floor": numeric_floor, "numeric_sqrt": numeric_sqrt, "numeric_exp": numeric_exp,
    "numeric_ln": numeric_ln, "numeric_log": numeric_log, "numeric_power": numeric_power,
    "numeric_inc": lambda a: numeric_add(a, ONE),
    "numeric_int2": numeric_int2, "numeric_int4": numeric_int4, "numeric_int8": numeric_int8,
    "int2_numeric": int_numeric, "int4_numeric": int_numeric, "int8_numeric": int_numeric,
    "float8_numeric": float8_numeric, "float4_numeric": float4_numeric,
    "numeric_float8": numeric_float8, "numeric_float4": numeric_float4,
    "numeric_scale": numeric_scale, "numeric_min_scale": numeric_min_scale,
    "numeric_trim_scale": numeric_trim_scale, "numeric_larger": numeric_larger,
    "numeric_smaller": numeric_smaller,
}
