"""Character types: text, varchar(n), bpchar/char(n), name, "char", unknown.

All are Python ``str``.  bpchar values keep their padding (the column's
char(n) typmod pads on coercion); comparisons, length() and casts to text
ignore trailing spaces, as PostgreSQL does.  Ordering is the C collation,
i.e. code point order, which equals UTF-8 byte order.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from tuskdb.errors import PgError

NAMEDATALEN = 64
MAX_VARCHAR = 10485760


def text_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    return text


def text_out(value: str, ctx: Any = None) -> str:
    return value


def text_send(value: str, ctx: Any = None) -> bytes:
    return value.encode()


def text_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    try:
        s = data.decode()
    except UnicodeDecodeError as e:
        bad = data[e.start:e.start + 1]
        raise PgError("22021", 'invalid byte sequence for encoding "UTF8": 0x'
                      + bad.hex()) from None
    if "\x00" in s:
        raise PgError("22021", 'invalid byte sequence for encoding "UTF8": 0x00')
    return s


# ---------------------------------------------------------------------------
# varchar / bpchar typmods

def _len_typmod_in(typname: str) -> Callable[[list[int | str]], int]:
    def f(mods: list[int | str]) -> int:
        if len(mods) != 1:
            raise PgError("42601", "invalid type modifier")
        n = int(mods[0])
        if n < 1:
            raise PgError("22023", f"length for type {typname} must be at least 1")
        if n > MAX_VARCHAR:
            raise PgError("22023", f"length for type {typname} cannot exceed {MAX_VARCHAR}")
        return n + 4
    return f


varchar_typmod_in = _len_typmod_in("varchar")
bpchar_typmod_in = _len_typmod_in("char")


def varchar_format_type(typmod: int) -> str:
    return f"character varying({typmod - 4})" if typmod >= 4 else "character varying"


def bpchar_format_type(typmod: int) -> str:
    return f"character({typmod - 4})" if typmod >= 4 else "bpchar"


def varchar_coerce(value: str, typmod: int, explicit: bool = False) -> str:
    if typmod < 4:
        return value
    n = typmod - 4
    if len(value) <= n:
        return value
    if not explicit and value[n:].strip(" "):
        raise PgError("22001", f"value too long for type character varying({n})")
    return value[:n]


def bpchar_coerce(value: str, typmod: int, explicit: bool = False) -> str:
    if typmod < 4:
        return value
    n = typmod - 4
    ln = len(value)
    if ln == n:
        return value
    if ln < n:
        return value + " " * (n - ln)
    if not explicit and value[n:].strip(" "):
        raise PgError("22001", f"value too long for type character({n})")
    return value[:n]


def varchar_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    return varchar_coerce(text, typmod, False) if typmod >= 4 else text


def bpchar_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    return bpchar_coerce(text, typmod, False) if typmod >= 4 else text


def bpchar_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    return bpchar_in(text_recv(data), typmod)


def varchar_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    return varchar_in(text_recv(data), typmod)


def name_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    """namein: truncate to NAMEDATALEN-1 bytes at a character boundary."""
    if len(text) < NAMEDATALEN // 4:
        return text
    b = text.encode()
    if len(b) < NAMEDATALEN:
        return text
    return b[:NAMEDATALEN - 1].decode(errors="ignore")


def name_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    return name_in(text_recv(data))


def char_in(text: str, typmod: int = -1, ctx: Any = None) -> str:
    """ "char": one byte; longer input is silently truncated (first byte). The empty
    string is the zero byte, as catalogs store an unset "char" flag."""
    if not text:
        return "\x00"
    b = text.encode()
    if len(b) == 1:
        return text
    if len(b) == 4 and b[0:1] == b"\\" and all(48 <= c <= 55 for c in b[1:]):
        return chr(int(b[1:], 8))
    return chr(b[0]) if b[0] < 128 else chr(b[0])


def char_out(value: str, ctx: Any = None) -> str:
    if not value or value == "\x00":
        return ""
    c = ord(value)
    if c >= 128:
        return "\\%03o" % c
    return value


def char_send(value: str, ctx: Any = None) -> bytes:
    return bytes([ord(value)]) if value else b"\x00"


def char_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> str:
    return chr(data[0]) if data else "\x00"


# ---------------------------------------------------------------------------
# bpchar semantics

def bpchar_strip(s: str) -> str:
    return s.rstrip(" ")


def _bp(fn: Callable[[str, str], Any]) -> Callable[[str, str], Any]:
    def f(a: str, b: str) -> Any:
        return fn(a.rstrip(" "), b.rstrip(" "))
    return f


def _build() -> dict[str, Callable[..., Any]]:
    impls: dict[str, Callable[..., Any]] = {}
    ops = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
           "gt": operator.gt, "ge": operator.ge}
    for suffix, fn in ops.items():
        impls["text" + suffix] = fn
        impls["name" + suffix] = fn
        impls["bpchar" + suffix] = _bp(fn)
        impls["char" + suffix] = fn
        # cross-type name vs text
        impls["btnametext" + suffix] = fn
        impls["bttextname" + suffix] = fn
        impls[f"text_pattern_{suffix}"] = fn
        impls[f"name{suffix}text"] = fn
        impls[f"text{suffix}name"] = fn
        impls[f"bpchar_pattern_{suffix}"] = _bp(fn)
    for n in ("texteq", "textne", "text_lt", "text_le", "text_gt", "text_ge"):
        pass
    impls["text_lt"] = operator.lt
    impls["text_le"] = operator.le
    impls["text_gt"] = operator.gt
    impls["text_ge"] = operator.ge
    impls["text_larger"] = max
    impls["text_smaller"] = min
    impls["bpchar_larger"] = lambda a, b: a if a.rstrip(" ") >= b.rstrip(" ") else b
    impls["bpchar_smaller"] = lambda a, b: a if a.rstrip(" ") <= b.rstrip(" ") else b
    impls["namelt"] = operator.lt
    # casts
    impls["rtrim1"] = lambda s: s.rstrip(" ") if s.endswith(" ") else s
    impls["name_text"] = lambda s: s
    impls["text_name"] = name_in
    impls["bpchar_name"] = lambda s: name_in(s.rstrip(" "))
    impls["name_bpchar"] = lambda s: s
    impls["char_text"] = char_out           # a high-bit byte reads as its octal escape
    impls["char_bpchar"] = lambda s: s
    impls["text_char"] = char_in            # the same rules as "char" input
    impls["booltext"] = lambda b: "true" if b else "false"
    impls["i4tochar"] = _i4tochar
    impls["chartoi4"] = lambda c: (ord(c) - 256 if ord(c) >= 128 else ord(c)) if c else 0
    return impls


def _i4tochar(i: int) -> str:
    if not -128 <= i <= 127:
        raise PgError("22003", '"char" out of range')
    return chr(i & 0xFF) if i else ""


IMPLS = _build()
