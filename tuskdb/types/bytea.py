"""bytea: hex and escape text formats, binary I/O, and the byte-string functions."""

from __future__ import annotations

import base64
import hashlib
import zlib
import re
from typing import Any, Callable

from tuskdb.errors import PgError

_HEXDIGITS = set("0123456789abcdefABCDEF")
_OCT = re.compile(rb"\\([0-3][0-7][0-7])")


def bytea_in(text: str, typmod: int = -1, ctx: Any = None) -> bytes:
    if text.startswith("\\x"):
        return _hex_in(text[2:])
    if "\\" not in text:
        return text.encode()
    out = bytearray()
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        if text[i + 1:i + 2] == "\\":
            out.append(92)
            i += 2
        elif (i + 3 < n + 0 or i + 3 == n) and len(text[i + 1:i + 4]) == 3 and \
                text[i + 1] in "0123" and text[i + 2] in "01234567" and \
                text[i + 3] in "01234567":
            out.append(int(text[i + 1:i + 4], 8))
            i += 4
        else:
            raise PgError("22P02", "invalid input syntax for type bytea")
    return bytes(out)


def _hex_in(h: str) -> bytes:
    out = bytearray()
    i = 0
    n = len(h)
    while i < n:
        c = h[i]
        if c in " \t\n\r":
            i += 1
            continue
        if c not in _HEXDIGITS:
            raise PgError("22023", f'invalid hexadecimal digit: "{c}"')
        if i + 1 >= n:
            raise PgError("22023", "invalid hexadecimal data: odd number of digits")
        d = h[i + 1]
        if d not in _HEXDIGITS:
            raise PgError("22023", f'invalid hexadecimal digit: "{d}"')
        out.append(int(c + d, 16))
        i += 2
    return bytes(out)


def bytea_out(value: bytes, ctx: Any = None) -> str:
    if ctx is None or ctx.bytea_output == "hex":
        return "\\x" + value.hex()
    return escape_encode(value)


def escape_encode(value: bytes) -> str:
    out = []
    for b in value:
        if b == 92:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return "".join(out)


def bytea_send(value: bytes, ctx: Any = None) -> bytes:
    return bytes(value)


def bytea_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> bytes:
    return bytes(data)


def binary_encode(data: bytes, fmt: str) -> str:
    f = fmt.lower()
    if f == "hex":
        return data.hex()
    if f == "base64":
        s = base64.b64encode(data).decode()
        return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))
    if f == "escape":
        out = []
        for b in data:
            if b == 0 or b >= 0x80:
                out.append("\\%03o" % b)
            elif b == 92:
                out.append("\\\\")
            else:
                out.append(chr(b))
        return "".join(out)
    raise PgError("22023", f'unrecognized encoding: "{fmt}"')


_B64 = {c: i for i, c in enumerate(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _b64_decode(text: str) -> bytes:
    """pg_base64_decode (encode.c), with its error messages and tolerance of
    whitespace and of data after an end sequence."""
    out = bytearray()
    buf = pos = end = 0
    for c in text:
        if c in " \t\n\r":
            continue
        if c == "=":
            if not end:
                if pos == 2:
                    end = 1
                elif pos == 3:
                    end = 2
                else:
                    raise PgError("22023", 'unexpected "=" while decoding base64 sequence')
            b = 0
        else:
            b = _B64.get(c, -1)
            if b < 0:
                raise PgError("22023", f'invalid symbol "{c}" found while decoding base64 '
                              "sequence")
        buf = (buf << 6) + b
        pos += 1
        if pos == 4:
            out.append((buf >> 16) & 255)
            if end == 0 or end > 1:
                out.append((buf >> 8) & 255)
            if end == 0 or end > 2:
                out.append(buf & 255)
            buf = pos = 0
    if pos:
        raise PgError("22023", "invalid base64 end sequence",
                      hint="Input data is missing padding, is truncated, or is otherwise "
                           "corrupted.")
    return bytes(out)


def binary_decode(text: str, fmt: str) -> bytes:
    f = fmt.lower()
    if f == "hex":
        return _hex_in(text)
    if f == "base64":
        return _b64_decode(text)
    if f == "escape":
        return bytea_in(text) if not text.startswith("\\x") else _escape_only(text)
    raise PgError("22023", f'unrecognized encoding: "{fmt}"')


def _escape_only(text: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "\\":
            if text[i + 1:i + 2] == "\\":
                out.append(92)
                i += 2
                continue
            o = text[i + 1:i + 4]
            if len(o) == 3 and all(c in "01234567" for c in o):
                out.append(int(o, 8))
                i += 4
                continue
            raise PgError("22P02", "invalid input syntax for type bytea")
        out += text[i].encode()
        i += 1
    return bytes(out)


def byteapos(s: bytes, sub: bytes) -> int:
    return s.find(sub) + 1


def _int_to_bytea(width: int) -> Callable[[int], bytes]:
    return lambda v: (v & ((1 << (8 * width)) - 1)).to_bytes(width, "big")


def _bytea_to_int(width: int, what: str) -> Callable[[bytes], int]:
    def f(b: bytes) -> int:
        if len(b) > width:
            raise PgError("22003", f"{what} out of range")
        return int.from_bytes(b, "big", signed=len(b) == width) if b else 0
    return f


def get_byte(b: bytes, n: int) -> int:
    if not 0 <= n < len(b):
        raise PgError("2202E", f"index {n} out of valid range, 0..{len(b) - 1}")
    return b[n]


def set_byte(b: bytes, n: int, v: int) -> bytes:
    if not 0 <= n < len(b):
        raise PgError("2202E", f"index {n} out of valid range, 0..{len(b) - 1}")
    out = bytearray(b)
    out[n] = v & 0xFF
    return bytes(out)


def get_bit(b: bytes, n: int) -> int:
    if not 0 <= n < len(b) * 8:
        raise PgError("2202E", f"index {n} out of valid range, 0..{len(b) * 8 - 1}")
    return (b[n // 8] >> (n % 8)) & 1


def set_bit(b: bytes, n: int, v: int) -> bytes:
    if not 0 <= n < len(b) * 8:
        raise PgError("2202E", f"index {n} out of valid range, 0..{len(b) * 8 - 1}")
    if v not in (0, 1):
        raise PgError("22023", "new bit must be 0 or 1")
    out = bytearray(b)
    if v:
        out[n // 8] |= 1 << (n % 8)
    else:
        out[n // 8] &= ~(1 << (n % 8)) & 0xFF
    return bytes(out)


def _crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    import operator
    d: dict[str, Callable[..., Any]] = {}
    for suffix, fn in (("eq", operator.eq), ("ne", operator.ne), ("lt", operator.lt),
                       ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge)):
        d["bytea" + suffix] = fn
    return d


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "byteacat": lambda a, b: a + b, "byteaoctetlen": len, "binary_encode": binary_encode,
    "binary_decode": binary_decode, "byteapos": byteapos,
    "byteatrim": lambda s, c: s.strip(c), "bytealtrim": lambda s, c: s.lstrip(c),
    "byteartrim": lambda s, c: s.rstrip(c), "bytea_reverse": lambda b: b[::-1],
    "int2_bytea": _int_to_bytea(2), "int4_bytea": _int_to_bytea(4),
    "int8_bytea": _int_to_bytea(8), "bytea_int2": _bytea_to_int(2, "smallint"),
    "bytea_int4": _bytea_to_int(4, "integer"), "bytea_int8": _bytea_to_int(8, "bigint"),
    "byteaoverlay": lambda s, r, st, ln: s[:st - 1] + r + s[st - 1 + ln:],
    "byteaoverlay_no_len": lambda s, r, st: s[:st - 1] + r + s[st - 1 + len(r):],
    "byteaGetByte": get_byte, "byteaSetByte": set_byte, "byteaGetBit": get_bit,
    "byteaSetBit": set_bit,
    "sha224_bytea": lambda b: hashlib.sha224(b).digest(),
    "sha256_bytea": lambda b: hashlib.sha256(b).digest(),
    "sha384_bytea": lambda b: hashlib.sha384(b).digest(),
    "sha512_bytea": lambda b: hashlib.sha512(b).digest(),
    "crc32_bytea": lambda b: zlib.crc32(b), "crc32c_bytea": _crc32c,
    "bytea_bit_count": lambda b: sum(bin(x).count("1") for x in b),
    "bytea_larger": max, "bytea_smaller": min,
    "like_escape_bytea": lambda p, e: _like_escape_bytea(p, e),
}


def _like_escape_bytea(p: bytes, e: bytes) -> bytes:
    from tuskdb.types.strfuncs import like_escape
    return like_escape(p.decode("latin-1"), e.decode("latin-1")).encode("latin-1")
