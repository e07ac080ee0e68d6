"""Range types: int4range, int8range, numrange, tsrange, tstzrange, daterange.

A value is ``Range(type_oid, lower, upper, lower_inc, upper_inc)`` or the
empty range ``Range(type_oid, empty=True)``; an infinite bound is None.
Discrete ranges (int4, int8, date) are kept canonical, ``[lower, upper)``, as
PostgreSQL's canonical functions do.  Bound comparison, union, intersection,
difference, adjacency follow rangetypes.c.
"""

from __future__ import annotations

import struct
from typing import Any, Callable

from tuskdb.errors import PgError
from tuskdb.types.arrays import elem_cmp

# range type oid -> (subtype oid, discrete); kept in step with RANGE_INFO
RANGE_TYPES: dict[int, tuple[int, bool]] = {}
SUBTYPE_NAMES: dict[int, str] = {}


class RangeTypeInfo:
    """One pg_range row: the range type, its subtype, its multirange type, and
    whether values are canonicalised to ``[)`` (the built-in discrete ranges;
    a canonical function must be written in C, so user-defined ranges are
    continuous).  ``subdiff`` is the subtype_diff function (or None)."""

    __slots__ = ("oid", "name", "subtype", "multirange_oid", "discrete", "subdiff",
                 "collation", "subopc", "canonical_name", "subdiff_name")

    def __init__(self, oid: int, name: str, subtype: int, multirange_oid: int,
                 discrete: bool = False, subdiff: Callable[..., Any] | None = None,
                 collation: int = 0, subopc: int = 0, canonical_name: str = "-",
                 subdiff_name: str = "-") -> None:
        self.oid = oid
        self.name = name
        self.subtype = subtype
        self.multirange_oid = multirange_oid
        self.discrete = discrete
        self.subdiff = subdiff
        self.collation = collation
        self.subopc = subopc
        self.canonical_name = canonical_name
        self.subdiff_name = subdiff_name


RANGE_INFO: dict[int, RangeTypeInfo] = {}
# multirange type oid -> range type oid
MULTIRANGE_RANGE: dict[int, int] = {}


def register_range_type(info: RangeTypeInfo) -> None:
    """Make a range type (and its multirange type) known to the operators here."""
    RANGE_INFO[info.oid] = info
    RANGE_TYPES[info.oid] = (info.subtype, info.discrete)
    SUBTYPE_NAMES[info.oid] = info.name
    if info.multirange_oid:
        MULTIRANGE_RANGE[info.multirange_oid] = info.oid


def _builtin_ranges() -> None:
    for oid, name, sub, mr, discrete, opc, canon in (
            (3904, "int4range", 23, 4451, True, 1978, "int4range_canonical"),
            (3926, "int8range", 20, 4536, True, 3124, "int8range_canonical"),
            (3906, "numrange", 1700, 4532, False, 3125, "-"),
            (3908, "tsrange", 1114, 4533, False, 3128, "-"),
            (3910, "tstzrange", 1184, 4534, False, 3127, "-"),
            (3912, "daterange", 1082, 4535, True, 3122, "daterange_canonical")):
        register_range_type(RangeTypeInfo(oid, name, sub, mr, discrete, None, 0, opc, canon,
                                          name + "_subdiff"))


_builtin_ranges()


class Range:
    __slots__ = ("type_oid", "lower", "upper", "lower_inc", "upper_inc", "empty")

    type_oid: int
    lower: Any
    upper: Any
    lower_inc: bool
    upper_inc: bool
    empty: bool

    def __init__(self, type_oid: int, lower: Any = None, upper: Any = None,
                 lower_inc: bool = True, upper_inc: bool = False, empty: bool = False) -> None:
        if empty:
            lower = upper = None
            lower_inc = upper_inc = False
        object.__setattr__(self, "type_oid", type_oid)
        object.__setattr__(self, "lower", lower)
        object.__setattr__(self, "upper", upper)
        object.__setattr__(self, "lower_inc", bool(lower_inc) and lower is not None)
        object.__setattr__(self, "upper_inc", bool(upper_inc) and upper is not None)
        object.__setattr__(self, "empty", empty)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Range is immutable")

    def lb(self) -> _Bound:
        return _Bound(self.lower, self.lower_inc, True)

    def ub(self) -> _Bound:
        return _Bound(self.upper, self.upper_inc, False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Range) and range_cmp(self, other) == 0

    def __lt__(self, other: Range) -> bool:
        return range_cmp(self, other) < 0

    def __le__(self, other: Range) -> bool:
        return range_cmp(self, other) <= 0

    def __gt__(self, other: Range) -> bool:
        return range_cmp(self, other) > 0

    def __ge__(self, other: Range) -> bool:
        return range_cmp(self, other) >= 0

    def __hash__(self) -> int:
        return hash((self.empty, self.lower, self.upper, self.lower_inc, self.upper_inc))

    def __repr__(self) -> str:
        if self.empty:
            return f"Range({self.type_oid}, empty=True)"
        return (f"Range({self.type_oid}, {self.lower!r}, {self.upper!r}, {self.lower_inc}, "
                f"{self.upper_inc})")


class _Bound:
    __slots__ = ("val", "inclusive", "is_lower")

    def __init__(self, val: Any, inclusive: bool, is_lower: bool) -> None:
        self.val = val
        self.inclusive = inclusive
        self.is_lower = is_lower

    @property
    def infinite(self) -> bool:
        return self.val is None


def cmp_bounds(b1: _Bound, b2: _Bound) -> int:
    """range_cmp_bounds."""
    if b1.infinite and b2.infinite:
        if b1.is_lower == b2.is_lower:
            return 0
        return -1 if b1.is_lower else 1
    if b1.infinite:
        return -1 if b1.is_lower else 1
    if b2.infinite:
        return 1 if b2.is_lower else -1
    r = elem_cmp(b1.val, b2.val)
    if r == 0:
        if not b1.inclusive and not b2.inclusive:
            if b1.is_lower == b2.is_lower:
                return 0
            return 1 if b1.is_lower else -1
        if not b1.inclusive:
            return 1 if b1.is_lower else -1
        if not b2.inclusive:
            return -1 if b2.is_lower else 1
        return 0
    return r


def range_cmp(a: Range, b: Range) -> int:
    if a.empty or b.empty:
        return (not a.empty) - (not b.empty)
    c = cmp_bounds(a.lb(), b.lb())
    return c if c else cmp_bounds(a.ub(), b.ub())


# ---------------------------------------------------------------------------
# construction with canonicalisation

def _succ(type_oid: int, v: Any) -> Any:
    from tuskdb.types.common import INT4_MAX, INT8_MAX
    from tuskdb.types.dtcore import DATE_NOBEGIN, DATE_NOEND
    if type_oid == 3904:
        if v >= INT4_MAX:
            raise PgError("22003", "integer out of range")
        return v + 1
    if type_oid == 3926:
        if v >= INT8_MAX:
            raise PgError("22003", "bigint out of range")
        return v + 1
    if v in (DATE_NOBEGIN, DATE_NOEND):
        return v
    from tuskdb.types.dtcore import END_DATE
    if v + 1 >= END_DATE:
        raise PgError("22008", "date out of range")
    return v + 1


def make_range(type_oid: int, lower: Any, upper: Any, lower_inc: bool, upper_inc: bool
               ) -> Range:
    """make_range: validate bound order, detect empty, canonicalise discrete types."""
    if lower is not None and upper is not None:
        c = elem_cmp(lower, upper)
        if c > 0:
            raise PgError("22000", "range lower bound must be less than or equal to range "
                          "upper bound")
        if c == 0 and not (lower_inc and upper_inc):
            return Range(type_oid, empty=True)
    if RANGE_TYPES[type_oid][1]:
        from tuskdb.types.dtcore import DATE_NOBEGIN, DATE_NOEND
        infinite = (DATE_NOBEGIN, DATE_NOEND) if type_oid == 3912 else ()
        if lower is not None and not lower_inc and lower not in infinite:
            lower = _succ(type_oid, lower)
            lower_inc = True
        if upper is not None and upper_inc and upper not in infinite:
            upper = _succ(type_oid, upper)
            upper_inc = False
        if lower is not None and upper is not None and elem_cmp(lower, upper) >= 0:
            return Range(type_oid, empty=True)
    return Range(type_oid, lower, upper, lower_inc, upper_inc)


def _from_bounds(type_oid: int, lo: _Bound, hi: _Bound) -> Range:
    return make_range(type_oid, lo.val, hi.val, lo.inclusive, hi.inclusive)


# ---------------------------------------------------------------------------
# text and binary I/O

def _malformed(text: str, detail: str) -> PgError:
    return PgError("22P02", f'malformed range literal: "{text}"', detail=detail)


def _parse_bound(text: str, i: int) -> tuple[str | None, int]:
    s = text
    n = len(s)
    if i < n and s[i] in ",)]":
        return None, i
    buf = []
    inquote = False
    while i < n:
        c = s[i]
        if c == "\\":
            i += 1
            if i >= n:
                raise _malformed(text, "Unexpected end of input.")
            buf.append(s[i])
        elif c == '"':
            if not inquote:
                inquote = True
            elif i + 1 < n and s[i + 1] == '"':
                buf.append('"')
                i += 1
            else:
                inquote = False
        elif not inquote and c in ",)]":
            break
        else:
            buf.append(c)
        i += 1
    if inquote:
        raise _malformed(text, "Unexpected end of input.")
    return "".join(buf), i


def range_parse(text: str) -> tuple[bool, str | None, str | None, bool, bool]:
    """(empty, lower text, upper text, lower_inc, upper_inc)."""
    s = text
    n = len(s)
    i = 0
    while i < n and s[i].isspace():
        i += 1
    if s[i:i + 5].lower() == "empty":
        j = i + 5
        while j < n and s[j].isspace():
            j += 1
        if j == n:
            return True, None, None, False, False
        raise _malformed(text, "Junk after \"empty\" key word.")
    if i >= n or s[i] not in "[(":
        raise _malformed(text, "Missing left parenthesis or bracket.")
    lower_inc = s[i] == "["
    lower, i = _parse_bound(s, i + 1)
    if i >= n:
        raise _malformed(text, "Unexpected end of input.")
    if s[i] != ",":
        raise _malformed(text, "Missing comma after lower bound.")
    upper, i = _parse_bound(s, i + 1)
    if i >= n:
        raise _malformed(text, "Unexpected end of input.")
    if s[i] == ",":
        raise _malformed(text, "Too many commas.")
    if s[i] not in ")]":
        raise _malformed(text, "Missing right parenthesis or bracket.")
    upper_inc = s[i] == "]"
    i += 1
    while i < n and s[i].isspace():
        i += 1
    if i < n:
        raise _malformed(text, "Junk after right parenthesis or bracket.")
    return False, lower, upper, lower_inc, upper_inc


def _needs_quote(s: str) -> bool:
    return s == "" or any(c in '"\\()[],' or c.isspace() for c in s)


def _quote(s: str) -> str:
    if not _needs_quote(s):
        return s
    return '"' + "".join(c * 2 if c in '"\\' else c for c in s) + '"'


def make_io(type_oid: int, types: dict[int, Any]) -> tuple[Callable[..., Any], ...]:
    sub_oid = RANGE_TYPES[type_oid][0]
    sub = types[sub_oid]

    def rin(text: str, typmod: int = -1, ctx: Any = None) -> Range:
        sub = types[sub_oid]
        empty, lo, hi, li, ui = range_parse(text)
        if empty:
            return Range(type_oid, empty=True)
        lv = None if lo is None else sub.input(lo, -1, ctx)
        hv = None if hi is None else sub.input(hi, -1, ctx)
        return make_range(type_oid, lv, hv, li, ui)

    def rout(v: Range, ctx: Any = None) -> str:
        sub = types[sub_oid]
        if v.empty:
            return "empty"
        lo = "" if v.lower is None else _quote(sub.output(v.lower, ctx))
        hi = "" if v.upper is None else _quote(sub.output(v.upper, ctx))
        return ("[" if v.lower_inc else "(") + lo + "," + hi + ("]" if v.upper_inc else ")")

    def rsend(v: Range, ctx: Any = None) -> bytes:
        flags = 0x01 if v.empty else 0
        parts = []
        if not v.empty:
            if v.lower_inc:
                flags |= 0x02
            if v.upper_inc:
                flags |= 0x04
            if v.lower is None:
                flags |= 0x08
            else:
                b = sub.send(v.lower, ctx)
                parts.append(struct.pack("!i", len(b)) + b)
            if v.upper is None:
                flags |= 0x10
            else:
                b = sub.send(v.upper, ctx)
                parts.append(struct.pack("!i", len(b)) + b)
        return bytes([flags]) + b"".join(parts)

    def rrecv(data: bytes, typmod: int = -1, ctx: Any = None) -> Range:
        if not data:
            raise PgError("22P03", "insufficient data left in message")
        flags = data[0]
        if flags & 0x01:
            return Range(type_oid, empty=True)
        pos = 1
        vals: list[Any] = []
        for inf in (flags & 0x08, flags & 0x10):
            if inf:
                vals.append(None)
                continue
            (ln,) = struct.unpack_from("!i", data, pos)
            pos += 4
            vals.append(sub.recv(data[pos:pos + ln], -1, ctx))
            pos += ln
        return make_range(type_oid, vals[0], vals[1], bool(flags & 0x02), bool(flags & 0x04))

    return rin, rout, rsend, rrecv


# ---------------------------------------------------------------------------
# operators and functions

def contains_elem(r: Range, v: Any) -> bool:
    if r.empty:
        return False
    if r.lower is not None:
        c = elem_cmp(r.lower, v)
        if c > 0 or (c == 0 and not r.lower_inc):
            return False
    if r.upper is not None:
        c = elem_cmp(r.upper, v)
        if c < 0 or (c == 0 and not r.upper_inc):
            return False
    return True


def contains(a: Range, b: Range) -> bool:
    if b.empty:
        return True
    if a.empty:
        return False
    return cmp_bounds(a.lb(), b.lb()) <= 0 and cmp_bounds(a.ub(), b.ub()) >= 0


def overlaps(a: Range, b: Range) -> bool:
    if a.empty or b.empty:
        return False
    al, au, bl, bu = a.lb(), a.ub(), b.lb(), b.ub()
    if cmp_bounds(al, bl) >= 0 and cmp_bounds(al, bu) <= 0:
        return True
    return cmp_bounds(bl, al) >= 0 and cmp_bounds(bl, au) <= 0


def before(a: Range, b: Range) -> bool:
    if a.empty or b.empty:
        return False
    return cmp_bounds(a.ub(), b.lb()) < 0


def after(a: Range, b: Range) -> bool:
    if a.empty or b.empty:
        return False
    return cmp_bounds(a.lb(), b.ub()) > 0


def overleft(a: Range, b: Range) -> bool:
    if a.empty or b.empty:
        return False
    return cmp_bounds(a.ub(), b.ub()) <= 0


def overright(a: Range, b: Range) -> bool:
    if a.empty or b.empty:
        return False
    return cmp_bounds(a.lb(), b.lb()) >= 0


def _bounds_adjacent(type_oid: int, upper: _Bound, lower: _Bound) -> bool:
    if upper.infinite or lower.infinite:
        return False
    c = elem_cmp(upper.val, lower.val)
    if c < 0:
        if not RANGE_TYPES[type_oid][1]:
            return False
        r = make_range(type_oid, upper.val, lower.val, not upper.inclusive,
                       not lower.inclusive)
        return r.empty
    if c == 0:
        return upper.inclusive != lower.inclusive
    return False


def adjacent(a: Range, b: Range) -> bool:
    if a.empty or b.empty:
        return False
    return _bounds_adjacent(a.type_oid, a.ub(), b.lb()) or \
        _bounds_adjacent(a.type_oid, b.ub(), a.lb())


def _min_lower(a: Range, b: Range) -> _Bound:
    return a.lb() if cmp_bounds(a.lb(), b.lb()) <= 0 else b.lb()


def _max_upper(a: Range, b: Range) -> _Bound:
    return a.ub() if cmp_bounds(a.ub(), b.ub()) >= 0 else b.ub()


def union(a: Range, b: Range, strict: bool = True) -> Range:
    if a.empty:
        return b
    if b.empty:
        return a
    if strict and not overlaps(a, b) and not adjacent(a, b):
        raise PgError("22000", "result of range union would not be contiguous")
    return _from_bounds(a.type_oid, _min_lower(a, b), _max_upper(a, b))


def intersection(a: Range, b: Range) -> Range:
    if a.empty or b.empty or not overlaps(a, b):
        return Range(a.type_oid, empty=True)
    lo = a.lb() if cmp_bounds(a.lb(), b.lb()) >= 0 else b.lb()
    hi = a.ub() if cmp_bounds(a.ub(), b.ub()) <= 0 else b.ub()
    return _from_bounds(a.type_oid, lo, hi)


def difference(a: Range, b: Range) -> Range:
    if a.empty or b.empty:
        return a
    l1, u1, l2, u2 = a.lb(), a.ub(), b.lb(), b.ub()
    c_l1l2 = cmp_bounds(l1, l2)
    c_l1u2 = cmp_bounds(l1, u2)
    c_u1l2 = cmp_bounds(u1, l2)
    c_u1u2 = cmp_bounds(u1, u2)
    if c_l1l2 < 0 and c_u1u2 > 0:
        raise PgError("22000", "result of range difference would not be contiguous")
    if c_l1u2 > 0 or c_u1l2 < 0:
        return a
    if c_l1l2 >= 0 and c_u1u2 <= 0:
        return Range(a.type_oid, empty=True)
    if c_l1l2 <= 0 and c_u1l2 >= 0 and c_u1u2 <= 0:
        return _from_bounds(a.type_oid, l1, _Bound(l2.val, not l2.inclusive, False))
    if c_l1l2 >= 0 and c_u1u2 >= 0 and c_l1u2 <= 0:
        return _from_bounds(a.type_oid, _Bound(u2.val, not u2.inclusive, True), u1)
    raise PgError("XX000", "unexpected case in range_minus")


def _constructor(type_oid: int) -> Callable[..., Range]:
    def f(lower: Any, upper: Any, bounds: str = "[)") -> Range:
        if bounds is None:
            raise PgError("22004", "range constructor flags argument must not be null")
        if len(bounds) != 2 or bounds[0] not in "[(" or \
                bounds[1] not in ")]":
            raise PgError("42601", "invalid range bound flags",
                          hint='Valid values are "[]", "[)", "(]", and "()".')
        return make_range(type_oid, lower, upper, bounds[0] == "[", bounds[1] == "]")
    return f


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    return {
        "range_eq": lambda a, b: range_cmp(a, b) == 0,
        "range_ne": lambda a, b: range_cmp(a, b) != 0,
        "range_lt": lambda a, b: range_cmp(a, b) < 0,
        "range_le": lambda a, b: range_cmp(a, b) <= 0,
        "range_gt": lambda a, b: range_cmp(a, b) > 0,
        "range_ge": lambda a, b: range_cmp(a, b) >= 0,
        "range_cmp": range_cmp,
    }


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "range_contains_elem": contains_elem,
    "elem_contained_by_range": lambda v, r: contains_elem(r, v),
    "range_contains": contains, "range_contained_by": lambda a, b: contains(b, a),
    "range_overlaps": overlaps, "range_before": before, "range_after": after,
    "range_overleft": overleft, "range_overright": overright, "range_adjacent": adjacent,
    "range_union": union, "range_merge": lambda a, b: union(a, b, False),
    "range_intersect": intersection, "range_minus": difference,
    "range_lower": lambda r: None if r.empty else r.lower,
    "range_upper": lambda r: None if r.empty else r.upper,
    "range_empty": lambda r: r.empty,
    "range_lower_inc": lambda r: r.lower_inc, "range_upper_inc": lambda r: r.upper_inc,
    "range_lower_inf": lambda r: not r.empty and r.lower is None,
    "range_upper_inf": lambda r: not r.empty and r.upper is None,
    "range_constructor2": None,  # replaced per type below (typed constructors)
}
del IMPLS["range_constructor2"]

# Typed constructors int4range(a, b[, text]) share prosrc range_constructor2/3 in
# PostgreSQL: bind them by pg_proc OID to the constructor of their result type.
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {}


def _bind_constructors() -> None:
    from tuskdb.types import catdata
    for oid, _name, _args, ret, *_rest in catdata.PROCS:
        if _rest[4] in ("range_constructor2", "range_constructor3") and ret in RANGE_TYPES:
            IMPLS_BY_OID[oid] = _constructor(ret)


_bind_constructors()
