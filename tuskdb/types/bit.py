"""bit(n) and bit varying(n) (varbit.c): values are ``str`` of '0'/'1' digits.

Lexicographic comparison of the digit strings is exactly PostgreSQL's
bit_cmp (memcmp of the zero-padded bytes, then the shorter string first), so
the comparison operators are plain ``str`` comparisons.  The typmod is the
length itself (no VARHDRSZ offset); -1 means unconstrained.
"""

from __future__ import annotations

import operator
import struct
from typing import Any, Callable

from tuskdb.errors import PgError

VARBITMAXLEN = 0x7FFFFFFF - 8 * 4 - 7   # as varbit.h: (MaxAllocSize - VARHDRSZ - VARBITHDRSZ) bits
MAX_BIT_TYPMOD = 10 * 1024 * 1024 * 8 // 1  # (MaxAttrSize * BITS_PER_BYTE)
_I32 = struct.Struct("!i")
_HEX = "0123456789abcdefABCDEF"


def _bad_digit(ch: str, kind: str) -> PgError:
    return PgError("22P02", f'"{ch}" is not a valid {kind} digit')


def _parse(text: str) -> str:
    s = text
    if s[:1] in ("b", "B"):
        s = s[1:]
        hexa = False
    elif s[:1] in ("x", "X"):
        s = s[1:]
        hexa = True
    else:
        hexa = False
    if not hexa:
        if s.strip("01"):
            for ch in s:
                if ch not in "01":
                    raise _bad_digit(ch, "binary")
        return s
    out = []
    for ch in s:
        if ch not in _HEX:
            raise _bad_digit(ch, "hexadecimal")
        out.append(format(int(ch, 16), "04b"))
    return "".join(out)


def bit_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    s = _parse(text)
    if typmod > 0 and len(s) != typmod:
        raise _length_mismatch(len(s), typmod)
    return s


def varbit_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    s = _parse(text)
    if typmod > 0 and len(s) > typmod:
        raise _too_long(typmod)
    return s


def _length_mismatch(n: int, typmod: int) -> PgError:
    return PgError("22026", f"bit string length {n} does not match type bit({typmod})")


def _too_long(typmod: int) -> PgError:
    return PgError("22001", f"bit string too long for type bit varying({typmod})")


def bit_out(value: str, ctx: Any = None) -> str:
    return value


def bit_send(value: str, ctx: Any = None) -> bytes:
    n = len(value)
    if not n:
        return _I32.pack(0)
    pad = -n % 8
    return _I32.pack(n) + int(value + "0" * pad, 2).to_bytes((n + pad) // 8, "big")


def _recv(data: bytes) -> str:
    if len(data) < 4:
        raise PgError("08P01", "insufficient data left in message")
    n = _I32.unpack_from(data)[0]
    if n < 0 or n > VARBITMAXLEN:
        raise PgError("22P03", "invalid length in external bit string")
    nbytes = (n + 7) // 8
    body = bytes(data[4:4 + nbytes])
    if len(body) < nbytes:
        raise PgError("08P01", "insufficient data left in message")
    if not n:
        return ""
    return format(int.from_bytes(body, "big"), f"0{nbytes * 8}b")[:n]


def bit_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    s = _recv(data)
    if typmod > 0 and len(s) != typmod:
        raise _length_mismatch(len(s), typmod)
    return s


def varbit_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    s = _recv(data)
    if typmod > 0 and len(s) > typmod:
        raise _too_long(typmod)
    return s


def _typmod_in(typname: str) -> Callable[[list[int | str]], int]:
    def f(mods: list[int | str]) -> int:
        if len(mods) != 1:
            raise PgError("22023", "invalid type modifier")
        n = int(mods[0])
        if n < 1:
            raise PgError("22023", f"length for type {typname} must be at least 1")
        if n > MAX_BIT_TYPMOD:
            raise PgError("22023", f"length for type {typname} cannot exceed {MAX_BIT_TYPMOD}")
        return n
    return f


bit_typmod_in = _typmod_in("bit")
varbit_typmod_in = _typmod_in("varbit")


def bit_format_type(typmod: int) -> str:
    return f"bit({typmod})" if typmod >= 0 else "bit"


def varbit_format_type(typmod: int) -> str:
    return f"bit varying({typmod})" if typmod >= 0 else "bit varying"


def bit_coerce(value: str, typmod: int, explicit: bool = False) -> str:
    """bit(bit, int4, bool): exact length; an explicit cast truncates or zero-pads."""
    if typmod <= 0 or len(value) == typmod:
        return value
    if not explicit:
        raise _length_mismatch(len(value), typmod)
    return value[:typmod] if len(value) > typmod else value + "0" * (typmod - len(value))


def varbit_coerce(value: str, typmod: int, explicit: bool = False) -> str:
    if typmod <= 0 or len(value) <= typmod:
        return value
    if not explicit:
        raise _too_long(typmod)
    return value[:typmod]


# ---------------------------------------------------------------------------
# operators and functions

def _same_size(a: str, b: str, what: str) -> None:
    if len(a) != len(b):
        raise PgError("22026", f"cannot {what} bit strings of different sizes")


def _binop(a: str, b: str, op: Callable[[int, int], int], what: str) -> str:
    _same_size(a, b, what)
    if not a:
        return a
    return format(op(int(a, 2), int(b, 2)), f"0{len(a)}b")


def bit_and(a: str, b: str) -> str:
    return _binop(a, b, operator.and_, "AND")


def bit_or(a: str, b: str) -> str:
    return _binop(a, b, operator.or_, "OR")


def bitxor(a: str, b: str) -> str:
    return _binop(a, b, operator.xor, "XOR")


_FLIP = str.maketrans("01", "10")


def bitnot(a: str) -> str:
    return a.translate(_FLIP)


def bitshiftleft(a: str, n: int) -> str:
    if n < 0:
        return bitshiftright(a, -n if n > -2**31 else 2**31 - 1)
    if n >= len(a):
        return "0" * len(a)
    return a[n:] + "0" * n


def bitshiftright(a: str, n: int) -> str:
    if n < 0:
        return bitshiftleft(a, -n if n > -2**31 else 2**31 - 1)
    if n >= len(a):
        return "0" * len(a)
    return "0" * n + a[:len(a) - n]


def bitcat(a: str, b: str) -> str:
    return a + b


def _substring(a: str, s: int, n: int | None) -> str:
    s1 = max(s, 1)
    if n is None:
        e1 = len(a) + 1
    else:
        if n < 0:
            raise PgError("22011", "negative substring length not allowed")
        e1 = min(s + n, len(a) + 1)
    if s1 > len(a) or e1 <= s1:
        return ""
    return a[s1 - 1:e1 - 1]


def bitsubstr(a: str, s: int, n: int) -> str:
    return _substring(a, s, n)


def bitsubstr_no_len(a: str, s: int) -> str:
    return _substring(a, s, None)


def bitoverlay(t1: str, t2: str, sp: int, sl: int) -> str:
    if sp <= 0:
        raise PgError("22011", "negative substring length not allowed")
    if sp + sl > 2**31 - 1:
        raise PgError("22003", "integer out of range")
    return _substring(t1, 1, sp - 1) + t2 + _substring(t1, sp + sl, None)


def bitoverlay_no_len(t1: str, t2: str, sp: int) -> str:
    return bitoverlay(t1, t2, sp, len(t2))


def bitposition(s: str, sub: str) -> int:
    if not s or len(sub) > len(s):
        return 0
    if not sub:
        return 1
    return s.find(sub) + 1


def bitlength(a: str) -> int:
    return len(a)


def bitoctetlength(a: str) -> int:
    return (len(a) + 7) // 8


def bit_bit_count(a: str) -> int:
    return a.count("1")


def _check_index(a: str, n: int) -> None:
    if n < 0 or n >= len(a):
        raise PgError("2202E", f"bit index {n} out of valid range (0..{len(a) - 1})")


def bitgetbit(a: str, n: int) -> int:
    _check_index(a, n)
    return 1 if a[n] == "1" else 0


def bitsetbit(a: str, n: int, new: int) -> str:
    _check_index(a, n)
    if new not in (0, 1):
        raise PgError("22023", "new bit must be 0 or 1")
    return a[:n] + str(new) + a[n + 1:]


def _from_int(v: int, typmod: int) -> str:
    n = typmod if typmod > 0 else 1
    return format(v & ((1 << n) - 1), f"0{n}b")


def bitfromint4(v: int, typmod: int = -1) -> str:
    return _from_int(v, typmod)


def bitfromint8(v: int, typmod: int = -1) -> str:
    return _from_int(v, typmod)


def _to_int(a: str, bits: int, what: str) -> int:
    if len(a) > bits:
        raise PgError("22003", f"{what} out of range")
    if not a:
        return 0
    v = int(a, 2)
    return v - (1 << bits) if v >= 1 << (bits - 1) else v


def bittoint4(a: str) -> int:
    return _to_int(a, 32, "integer")


def bittoint8(a: str) -> int:
    return _to_int(a, 64, "bigint")


def bitcmp(a: str, b: str) -> int:
    return (a > b) - (a < b)


IMPLS: dict[str, Callable[..., Any]] = {
    "biteq": operator.eq, "bitne": operator.ne, "bitlt": operator.lt, "bitle": operator.le,
    "bitgt": operator.gt, "bitge": operator.ge, "bitcmp": bitcmp,
    "bit_and": bit_and, "bit_or": bit_or, "bitxor": bitxor, "bitnot": bitnot,
    "bitshiftleft": bitshiftleft, "bitshiftright": bitshiftright, "bitcat": bitcat,
    "bitsubstr": bitsubstr, "bitsubstr_no_len": bitsubstr_no_len, "bitoverlay": bitoverlay,
    "bitoverlay_no_len": bitoverlay_no_len, "bitposition": bitposition,
    "bitlength": bitlength, "bitoctetlength": bitoctetlength, "bit_bit_count": bit_bit_count,
    "bitgetbit": bitgetbit, "bitsetbit": bitsetbit, "bitfromint4": bitfromint4,
    "bitfromint8": bitfromint8, "bittoint4": bittoint4, "bittoint8": bittoint8,
}
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {1812: bitlength}   # bit_length(bit), SQL
