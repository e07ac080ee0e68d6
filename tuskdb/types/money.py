"""money (cash.c): ``int`` cents (signed 64-bit), formatted as lc_monetary=C does
(currency symbol '$', ',' thousands separator, two fraction digits)."""

from __future__ import annotations

import operator
import struct
from decimal import Decimal
from typing import Any, Callable

from tuskdb.errors import PgError

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
_Q = struct.Struct("!q")
_DIGITS = "0123456789"


def _out_of_range() -> PgError:
    return PgError("22003", "money out of range")


def cash_in(text: str, typmod: int = -1, ctx: Any = None) -> int:
    s, n, i = text, len(text), 0
    sgn = 1

    def skip_space(i: int) -> int:
        while i < n and s[i] in " \t\n\r\v\f":
            i += 1
        return i

    def skip_csym(i: int) -> int:
        return i + 1 if s.startswith("$", i) else i

    i = skip_space(skip_csym(skip_space(i)))
    if s.startswith("-", i):
        sgn, i = -1, i + 1
    elif s.startswith("(", i):
        sgn, i = -1, i + 1
    elif s.startswith("+", i):
        i += 1
    i = skip_space(skip_csym(skip_space(i)))
    value = 0
    dec = 0
    seen_dot = False
    while i < n:
        c = s[i]
        if c in _DIGITS and (not seen_dot or dec < 2):
            value = value * 10 + (ord(c) - 48)
            if value > -INT64_MIN:
                raise PgError("22003", f'value "{text}" is out of range for type money')
            if seen_dot:
                dec += 1
        elif c == "." and not seen_dot:
            seen_dot = True
        elif c != ",":
            break
        i += 1
    if i < n and s[i] in "56789":
        value += 1
    while dec < 2:
        value *= 10
        dec += 1
    if value > -INT64_MIN:
        raise PgError("22003", f'value "{text}" is out of range for type money')
    while i < n and s[i] in _DIGITS:
        i += 1
    while i < n:
        c = s[i]
        if c in " \t\n\r\v\f)+$":
            i += 1
        elif c == "-":
            sgn, i = -1, i + 1
        else:
            raise PgError("22P02", f'invalid input syntax for type money: "{text}"')
    if sgn > 0:
        if value > INT64_MAX:
            raise PgError("22003", f'value "{text}" is out of range for type money')
        return value
    return -value


def cash_out(value: int, ctx: Any = None) -> str:
    u = -value if value < 0 else value
    whole, frac = divmod(u, 100)
    body = f"{whole:,}.{frac:02d}"
    return ("-$" if value < 0 else "$") + body


def cash_send(value: int, ctx: Any = None) -> bytes:
    return _Q.pack(value)


def cash_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> int:
    if len(data) != 8:
        raise PgError("08P01", "insufficient data left in message" if len(data) < 8
                      else "incorrect binary data format")
    return _Q.unpack(data)[0]


def _check(v: int) -> int:
    if v < INT64_MIN or v > INT64_MAX:
        raise _out_of_range()
    return v


def cash_pl(a: int, b: int) -> int:
    return _check(a + b)


def cash_mi(a: int, b: int) -> int:
    return _check(a - b)


def _mul_float(c: int, f: float) -> int:
    from tuskdb.types.float import float8_mul
    r = float8_mul(float(c), f)
    if r != r or not (-9.223372036854775808e18 <= r < 9.223372036854775808e18):
        raise _out_of_range()
    return int(round(r))


def _div_float(c: int, f: float) -> int:
    from tuskdb.types.float import float8_div
    r = float8_div(float(c), f)
    if r != r or not (-9.223372036854775808e18 <= r < 9.223372036854775808e18):
        raise _out_of_range()
    return int(round(r))


def _mul_int(c: int, i: int) -> int:
    return _check(c * i)


def _div_int(c: int, i: int) -> int:
    if i == 0:
        raise PgError("22012", "division by zero")
    q = abs(c) // abs(i)
    return _check(q if (c < 0) == (i < 0) else -q)


def cash_div_cash(a: int, b: int) -> float:
    if b == 0:
        raise PgError("22012", "division by zero")
    return float(a) / float(b)


def cash_cmp(a: int, b: int) -> int:
    return (a > b) - (a < b)


def int4_cash(v: int) -> int:
    return v * 100


def int8_cash(v: int) -> int:
    r = v * 100
    if r < INT64_MIN or r > INT64_MAX:
        raise PgError("22003", "bigint out of range")
    return r


def numeric_cash(v: Decimal) -> int:
    from tuskdb.types.numeric import numeric_int8, numeric_mul
    return numeric_int8(numeric_mul(v, Decimal(100)))


def cash_numeric(v: int) -> Decimal:
    return Decimal(v).scaleb(-2)


_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
          "eighty", "ninety")
_BIG = _SMALL[18:]


def _num_word(value: int) -> str:
    tu = value % 100
    if value <= 20:
        return _SMALL[value]
    if not tu:
        return f"{_SMALL[value // 100]} hundred"
    if value > 99:
        if value % 10 == 0 and tu > 10:
            return f"{_SMALL[value // 100]} hundred {_BIG[tu // 10]}"
        if tu < 20:
            return f"{_SMALL[value // 100]} hundred and {_SMALL[tu]}"
        return f"{_SMALL[value // 100]} hundred {_BIG[tu // 10]} {_SMALL[value % 10]}"
    if value % 10 == 0 and tu > 10:
        return _BIG[tu // 10]
    if tu < 20:
        return _SMALL[tu]
    return f"{_BIG[tu // 10]} {_SMALL[value % 10]}"


def cash_words(value: int) -> str:
    parts = []
    if value < 0:
        value = -value
        parts.append("minus ")
    dollars = value // 100
    cents = value % 100
    for div, word in ((10 ** 17, " quadrillion "), (10 ** 14, " trillion "),
                      (10 ** 11, " billion "), (10 ** 8, " million "), (10 ** 5, " thousand ")):
        m = (value // div) % 1000
        if m:
            parts.append(_num_word(m) + word)
    m1 = (value // 100) % 1000
    if m1:
        parts.append(_num_word(m1))
    if dollars == 0:
        parts.append("zero")
    parts.append(" dollar and " if dollars == 1 else " dollars and ")
    parts.append(_num_word(cents))
    parts.append(" cent" if cents == 1 else " cents")
    s = "".join(parts)
    return s[:1].upper() + s[1:]


IMPLS: dict[str, Callable[..., Any]] = {
    "cash_eq": operator.eq, "cash_ne": operator.ne, "cash_lt": operator.lt,
    "cash_le": operator.le, "cash_gt": operator.gt, "cash_ge": operator.ge, "cash_cmp": cash_cmp,
    "cash_pl": cash_pl, "cash_mi": cash_mi, "cashlarger": max, "cashsmaller": min,
    "cash_mul_flt8": _mul_float, "cash_mul_flt4": _mul_float,
    "flt8_mul_cash": lambda f, c: _mul_float(c, f), "flt4_mul_cash": lambda f, c: _mul_float(c, f),
    "cash_div_flt8": _div_float, "cash_div_flt4": _div_float,
    "cash_mul_int8": _mul_int, "cash_mul_int4": _mul_int, "cash_mul_int2": _mul_int,
    "int8_mul_cash": lambda i, c: _mul_int(c, i), "int4_mul_cash": lambda i, c: _mul_int(c, i),
    "int2_mul_cash": lambda i, c: _mul_int(c, i),
    "cash_div_int8": _div_int, "cash_div_int4": _div_int, "cash_div_int2": _div_int,
    "cash_div_cash": cash_div_cash, "cash_words": cash_words, "int4_cash": int4_cash,
    "int8_cash": int8_cash, "numeric_cash": numeric_cash, "cash_numeric": cash_numeric,
}
