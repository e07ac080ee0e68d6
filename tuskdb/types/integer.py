"""smallint, integer, bigint and oid (plus the reg* oid aliases): I/O and arithmetic.

Values are Python ints; every operation checks the result against the type's
range and raises PostgreSQL's "integer out of range" (22003).  Division and
modulo truncate toward zero as in C.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Callable

from tuskdb.types.common import (
    INT2_MAX, INT2_MIN, INT4_MAX, INT4_MIN, INT8_MAX, INT8_MIN, PG_SPACE, S_INT2, S_INT4,
    S_INT8, S_UINT4, bad_binary, division_by_zero, invalid_syntax, out_of_range,
    out_of_range_value,
)

_PREFIXED = re.compile(r"[+-]?0[xXoObB]")
_DECIMAL = re.compile(r"[+-]?\d+(_\d+)*")


def _parse_slow(text: str, typname: str) -> int:
    s = text.strip(PG_SPACE)
    if s.isascii():
        if _PREFIXED.match(s):
            try:
                return int(s, 0)
            except ValueError:
                pass
        elif _DECIMAL.fullmatch(s):
            return int(s)
    raise invalid_syntax(typname, text)


def _make_in(lo: int, hi: int, typname: str) -> Callable[..., int]:
    def int_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
        try:
            v = int(text)
            if not text.isascii() or text[-1:] in "\x1c\x1d\x1e\x1f" or \
                    text[:1] in "\x1c\x1d\x1e\x1f":
                v = _parse_slow(text, typname)
        except ValueError:
            v = _parse_slow(text, typname)
        if lo <= v <= hi:
            return v
        raise out_of_range_value(text, typname)
    return int_in


int2_in = _make_in(INT2_MIN, INT2_MAX, "smallint")
int4_in = _make_in(INT4_MIN, INT4_MAX, "integer")
int8_in = _make_in(INT8_MIN, INT8_MAX, "bigint")


def oid_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
    """oidin: unsigned 32 bit; like strtoul, '-1' wraps to 4294967295."""
    try:
        v = int(text)
        if not text.isascii():
            v = _parse_slow(text, "oid")
    except ValueError:
        v = _parse_slow(text, "oid")
    if -(1 << 31) <= v < 0:
        return v + (1 << 32)
    if 0 <= v <= 0xFFFFFFFF:
        return v
    raise out_of_range_value(text, "oid")


# reg* types whose names the session resolves (regclass, regtype, regnamespace, regrole,
# regconfig, regdictionary)
_NAMED_REG_TYPES = frozenset((2205, 2206, 4089, 4096, 3734, 3769))


def make_reg_in(type_oid: int) -> Any:
    """Input of a reg* type: an OID, or a name the session's catalog hooks resolve."""
    def reg_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
        hooks = getattr(ctx, "session_hooks", None)
        t = text.strip()
        if type_oid in _NAMED_REG_TYPES and hooks is not None and t and \
                not t.lstrip("-").isdigit() and hasattr(hooks, "reg_input"):
            return hooks.reg_input(type_oid, text)
        return oid_in(text, typmod, ctx)
    return reg_in


def int_out(value: int, ctx: Any = None) -> str:
    return str(value)


def _make_send(s: Any) -> Callable[..., bytes]:
    pack = s.pack

    def send(value: int, ctx: Any = None) -> bytes:
        return pack(value)
    return send


def _make_recv(s: Any) -> Callable[..., int]:
    unpack = s.unpack
    size = s.size

    def recv(data: bytes, typmod: int = -1, ctx: Any = None) -> int:
        if len(data) != size:
            raise bad_binary()
        return unpack(data)[0]
    return recv


int2_send, int2_recv = _make_send(S_INT2), _make_recv(S_INT2)
int4_send, int4_recv = _make_send(S_INT4), _make_recv(S_INT4)
int8_send, int8_recv = _make_send(S_INT8), _make_recv(S_INT8)
oid_send, oid_recv = _make_send(S_UINT4), _make_recv(S_UINT4)


# ---------------------------------------------------------------------------
# arithmetic

_RANGES = {"2": (INT2_MIN, INT2_MAX, "smallint"), "4": (INT4_MIN, INT4_MAX, "integer"),
           "8": (INT8_MIN, INT8_MAX, "bigint")}


def c_div(a: int, b: int) -> int:
    """C integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def c_mod(a: int, b: int) -> int:
    """C remainder: takes the sign of the dividend."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _checked(fn: Callable[[int, int], int], lo: int, hi: int, what: str
             ) -> Callable[[int, int], int]:
    def f(a: int, b: int) -> int:
        r = fn(a, b)
        if lo <= r <= hi:
            return r
        raise out_of_range(what)
    return f


def _div(lo: int, hi: int, what: str) -> Callable[[int, int], int]:
    def f(a: int, b: int) -> int:
        if b == 0:
            raise division_by_zero()
        r = c_div(a, b)
        if lo <= r <= hi:
            return r
        raise out_of_range(what)
    return f


def _mod(a: int, b: int) -> int:
    if b == 0:
        raise division_by_zero()
    return c_mod(a, b)


def _unary(fn: Callable[[int], int], lo: int, hi: int, what: str) -> Callable[[int], int]:
    def f(a: int) -> int:
        r = fn(a)
        if lo <= r <= hi:
            return r
        raise out_of_range(what)
    return f


def _shift_left(width: int) -> Callable[[int, int], int]:
    mask = (1 << width) - 1
    sign = 1 << (width - 1)

    def f(a: int, n: int) -> int:
        n &= 31 if width <= 32 else 63
        r = (a << n) & mask
        return r - (1 << width) if r & sign else r
    return f


def _shift_right(width: int) -> Callable[[int, int], int]:
    def f(a: int, n: int) -> int:
        return a >> (n & (31 if width <= 32 else 63))
    return f


def _build() -> dict[str, Callable[..., Any]]:
    impls: dict[str, Callable[..., Any]] = {}
    cmp = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
           "gt": operator.gt, "ge": operator.ge}
    for l_ in "248":
        for r_ in "248":
            pair = l_ if l_ == r_ else l_ + r_
            res = max(l_, r_)
            lo, hi, what = _RANGES[res]
            for suffix, fn in cmp.items():
                impls[f"int{pair}{suffix}"] = fn
            impls[f"int{pair}pl"] = _checked(operator.add, lo, hi, what)
            impls[f"int{pair}mi"] = _checked(operator.sub, lo, hi, what)
            impls[f"int{pair}mul"] = _checked(operator.mul, lo, hi, what)
            impls[f"int{pair}div"] = _div(lo, hi, what)
    for w, bits in (("2", 16), ("4", 32), ("8", 64)):
        lo, hi, what = _RANGES[w]
        impls[f"int{w}mod"] = _mod
        impls[f"int{w}um"] = _unary(operator.neg, lo, hi, what)
        impls[f"int{w}up"] = lambda a: a
        impls[f"int{w}abs"] = _unary(abs, lo, hi, what)
        impls[f"int{w}and"] = operator.and_
        impls[f"int{w}or"] = operator.or_
        impls[f"int{w}xor"] = operator.xor
        impls[f"int{w}not"] = operator.invert
        impls[f"int{w}shl"] = _shift_left(bits)
        impls[f"int{w}shr"] = _shift_right(bits)
        impls[f"int{w}larger"] = max
        impls[f"int{w}smaller"] = min
        impls[f"int{w}inc"] = _unary(lambda a: a + 1, lo, hi, what)
    impls["int8dec"] = _unary(lambda a: a - 1, INT8_MIN, INT8_MAX, "bigint")
    for suffix, fn in cmp.items():
        impls[f"oid{suffix}"] = fn
    for suffix, fn in cmp.items():
        impls[f"tid{suffix}"] = fn                 # (block, offset) tuples
        impls[f"oidvector{suffix}"] = lambda a, b, fn=fn: fn(_vec(a), _vec(b))
    impls["xideq"] = impls["cideq"] = impls["xid8eq"] = operator.eq
    impls["xidneq"] = impls["xid8ne"] = operator.ne
    impls["tidlarger"] = max
    impls["tidsmaller"] = min
    impls["oidlarger"] = max
    impls["oidsmaller"] = min
    # casts between integer widths
    impls["int48"] = impls["int28"] = impls["i2toi4"] = lambda a: a
    impls["int84"] = _unary(lambda a: a, INT4_MIN, INT4_MAX, "integer")
    impls["int82"] = impls["i4toi2"] = _unary(lambda a: a, INT2_MIN, INT2_MAX, "smallint")
    impls["i8tooid"] = _unary(lambda a: a, 0, 0xFFFFFFFF, "OID")
    impls["oidtoi8"] = lambda a: a
    impls["int4_bool"] = lambda a: a != 0
    impls["bool_int4"] = lambda a: 1 if a else 0
    # aggregate support functions usable by CREATE AGGREGATE (avg over int2/int4: the
    # state is the int8 array {count, sum})
    impls["int8inc_any"] = lambda a, _v, _inc=impls["int8inc"]: _inc(a)
    impls["int2_avg_accum"] = impls["int4_avg_accum"] = _avg_accum
    impls["int8_avg"] = _int8_avg
    return impls


def _avg_accum(state: Any, v: int) -> Any:
    from tuskdb.types.arrays import Array
    n, total = state.items if len(state.items) == 2 else (0, 0)
    return Array((n + 1, total + v))


def _int8_avg(state: Any) -> Any:
    from decimal import Decimal

    from tuskdb.types.numeric import numeric_div
    n, total = state.items
    if not n:
        return None
    return numeric_div(Decimal(total), Decimal(n))


IMPLS = _build()


def _vec(v: Any) -> tuple[int, ...]:
    """oidvector comparison: length first, then element by element (btoidvectorcmp)."""
    items = tuple(v.items)
    return (len(items),) + items


def gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return abs(a)
