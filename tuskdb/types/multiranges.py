"""Multirange types: int4multirange, int8multirange, nummultirange, datemultirange,
tsmultirange, tstzmultirange (and those of user-defined range types).

A value is ``Multirange(type_oid, ranges)``: ``ranges`` is a tuple of non-empty
``Range`` values of the multirange's range type, sorted, with no two of them
overlapping or adjacent (PostgreSQL's canonical form: the input
``{[1,3), [2,5), empty}`` is stored as ``{[1,5)}``).  ``Multirange(t, ())`` is
the empty multirange ``{}``.

Every operator works on that form with a merge or a scan of the sorted
ranges, as multirangetypes.c describes; comparisons follow multirange_cmp
(range by range, then the one with fewer ranges first).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tuskdb.errors import PgError
from tuskdb.types import ranges as R
from tuskdb.types.ranges import Range, _Bound, cmp_bounds

# ---------------------------------------------------------------------------
# the value


class Multirange:
    __slots__ = ("ranges", "type_oid")

    type_oid: int
    ranges: tuple[Range, ...]

    def __init__(self, type_oid: int, ranges: tuple[Range, ...] = ()) -> None:
        object.__setattr__(self, "type_oid", type_oid)
        object.__setattr__(self, "ranges", tuple(ranges))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Multirange is immutable")

    @property
    def empty(self) -> bool:
        return not self.ranges

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Multirange) and multirange_cmp(self, other) == 0

    def __lt__(self, other: Multirange) -> bool:
        return multirange_cmp(self, other) < 0

    def __le__(self, other: Multirange) -> bool:
        return multirange_cmp(self, other) <= 0

    def __gt__(self, other: Multirange) -> bool:
        return multirange_cmp(self, other) > 0

    def __ge__(self, other: Multirange) -> bool:
        return multirange_cmp(self, other) >= 0

    def __hash__(self) -> int:
        return hash(self.ranges)

    def __repr__(self) -> str:
        return f"Multirange({self.type_oid}, {self.ranges!r})"


def range_type_of(mr_oid: int) -> int:
    return R.MULTIRANGE_RANGE[mr_oid]


def multirange_type_of(range_oid: int) -> int:
    return R.RANGE_INFO[range_oid].multirange_oid


def make_multirange(mr_oid: int, ranges: Iterable[Range]) -> Multirange:
    """multirange_canonicalize: drop empty ranges, sort, merge overlapping and
    adjacent ones."""
    items = sorted((r for r in ranges if not r.empty), key=_range_sort_key)
    out: list[Range] = []
    for r in items:
        if out:
            last = out[-1]
            if R.overlaps(last, r) or R.adjacent(last, r):
                out[-1] = R.union(last, r, False)
                continue
        out.append(r)
    return Multirange(mr_oid, tuple(out))


class _RangeKey:
    __slots__ = ("r",)

    def __init__(self, r: Range) -> None:
        self.r = r

    def __lt__(self, other: _RangeKey) -> bool:
        return R.range_cmp(self.r, other.r) < 0


def _range_sort_key(r: Range) -> _RangeKey:
    return _RangeKey(r)


def multirange_cmp(a: Multirange, b: Multirange) -> int:
    for x, y in zip(a.ranges, b.ranges):
        c = cmp_bounds(x.lb(), y.lb())
        if c == 0:
            c = cmp_bounds(x.ub(), y.ub())
        if c:
            return c
    na, nb = len(a.ranges), len(b.ranges)
    return (na > nb) - (na < nb)


# ---------------------------------------------------------------------------
# text and binary I/O


def _malformed(text: str, detail: str) -> PgError:
    return PgError("22P02", f'malformed multirange literal: "{text}"', detail=detail)


def multirange_parse(text: str) -> Iterator[str | None]:
    """The range literals of a multirange literal (None for ``empty``), with
    multirange_in's errors; a generator, so that a range literal is read (and
    fails) before the text after it is looked at, as in PostgreSQL."""
    s = text
    n = len(s)
    i = 0
    while i < n and s[i].isspace():
        i += 1
    if i >= n or s[i] != "{":
        raise _malformed(text, "Missing left brace.")
    i += 1
    first = True
    while True:
        # before a range
        while i < n and s[i].isspace():
            i += 1
        if i >= n:
            raise _malformed(text, "Unexpected end of input.")
        c = s[i]
        if c == "}" and first:
            i += 1
            break
        if c in "[(":
            start = i
            i += 1
            quoted = False
            while True:
                if i >= n:
                    raise _malformed(text, "Unexpected end of input.")
                c = s[i]
                if c == "\\":
                    i += 2
                    continue
                if quoted:
                    if c == '"':
                        if i + 1 < n and s[i + 1] == '"':
                            i += 2
                            continue
                        quoted = False
                elif c == '"':
                    quoted = True
                elif c in ")]":
                    i += 1
                    break
                i += 1
            if i > n:
                raise _malformed(text, "Unexpected end of input.")
            yield s[start:i]
        elif s[i:i + 5].lower() == "empty":
            i += 5
            yield None
        else:
            raise _malformed(text, "Expected range start.")
        first = False
        # after a range
        while i < n and s[i].isspace():
            i += 1
        if i >= n:
            raise _malformed(text, "Unexpected end of input.")
        if s[i] == ",":
            i += 1
            continue
        if s[i] == "}":
            i += 1
            break
        raise _malformed(text, "Expected comma or end of multirange.")
    while i < n and s[i].isspace():
        i += 1
    if i < n:
        raise _malformed(text, "Junk after closing right brace.")


def make_io(mr_oid: int, types: dict[int, Any]) -> tuple[Callable[..., Any], ...]:
    rng_oid = range_type_of(mr_oid)

    def rng() -> Any:
        return types[rng_oid]

    def mr_in(text: str, typmod: int = -1, ctx: Any = None) -> Multirange:
        parts = multirange_parse(text)
        rt = rng()
        return make_multirange(mr_oid, [Range(rng_oid, empty=True) if p is None
                                        else rt.input(p, -1, ctx) for p in parts])

    def mr_out(v: Multirange, ctx: Any = None) -> str:
        out = rng().output
        return "{" + ",".join(out(r, ctx) for r in v.ranges) + "}"

    def mr_send(v: Multirange, ctx: Any = None) -> bytes:
        send = rng().send
        parts = [struct.pack("!i", len(v.ranges))]
        for r in v.ranges:
            b = send(r, ctx)
            parts.append(struct.pack("!i", len(b)) + b)
        return b"".join(parts)

    def mr_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Multirange:
        if len(data) < 4:
            raise PgError("22P03", "insufficient data left in message")
        (count,) = struct.unpack_from("!i", data, 0)
        pos = 4
        recv = rng().recv
        items = []
        for _ in range(count):
            if pos + 4 > len(data):
                raise PgError("22P03", "insufficient data left in message")
            (ln,) = struct.unpack_from("!i", data, pos)
            pos += 4
            items.append(recv(data[pos:pos + ln], -1, ctx))
            pos += ln
        return make_multirange(mr_oid, items)

    return mr_in, mr_out, mr_send, mr_recv


# ---------------------------------------------------------------------------
# operators


def _first_lb(m: Multirange) -> _Bound:
    return m.ranges[0].lb()


def _last_ub(m: Multirange) -> _Bound:
    return m.ranges[-1].ub()


def contains_elem(m: Multirange, v: Any) -> bool:
    return any(R.contains_elem(r, v) for r in m.ranges)


def contains_range(m: Multirange, r: Range) -> bool:
    if r.empty:
        return True
    return any(R.contains(x, r) for x in m.ranges)


def range_contains_multirange(r: Range, m: Multirange) -> bool:
    if m.empty:
        return True
    if r.empty:
        return False
    return cmp_bounds(r.lb(), _first_lb(m)) <= 0 and cmp_bounds(r.ub(), _last_ub(m)) >= 0


def contains_multirange(a: Multirange, b: Multirange) -> bool:
    return all(contains_range(a, r) for r in b.ranges)


def overlaps_range(m: Multirange, r: Range) -> bool:
    if r.empty:
        return False
    return any(R.overlaps(x, r) for x in m.ranges)


def overlaps_multirange(a: Multirange, b: Multirange) -> bool:
    i = j = 0
    ra, rb = a.ranges, b.ranges
    while i < len(ra) and j < len(rb):
        if R.overlaps(ra[i], rb[j]):
            return True
        if cmp_bounds(ra[i].ub(), rb[j].ub()) < 0:
            i += 1
        else:
            j += 1
    return False


def _bounds_adjacent(type_oid: int, upper: _Bound, lower: _Bound) -> bool:
    return R._bounds_adjacent(type_oid, upper, lower)


def range_adjacent_multirange(r: Range, m: Multirange) -> bool:
    if r.empty or m.empty:
        return False
    return _bounds_adjacent(r.type_oid, r.ub(), _first_lb(m)) or \
        _bounds_adjacent(r.type_oid, _last_ub(m), r.lb())


def adjacent_multirange(a: Multirange, b: Multirange) -> bool:
    if a.empty or b.empty:
        return False
    t = a.ranges[0].type_oid
    return _bounds_adjacent(t, _last_ub(a), _first_lb(b)) or \
        _bounds_adjacent(t, _last_ub(b), _first_lb(a))


def range_before_multirange(r: Range, m: Multirange) -> bool:
    if r.empty or m.empty:
        return False
    return cmp_bounds(r.ub(), _first_lb(m)) < 0


def multirange_before_range(m: Multirange, r: Range) -> bool:
    if r.empty or m.empty:
        return False
    return cmp_bounds(_last_ub(m), r.lb()) < 0


def before_multirange(a: Multirange, b: Multirange) -> bool:
    if a.empty or b.empty:
        return False
    return cmp_bounds(_last_ub(a), _first_lb(b)) < 0


def range_overleft_multirange(r: Range, m: Multirange) -> bool:
    if r.empty or m.empty:
        return False
    return cmp_bounds(r.ub(), _last_ub(m)) <= 0


def multirange_overleft_range(m: Multirange, r: Range) -> bool:
    if r.empty or m.empty:
        return False
    return cmp_bounds(_last_ub(m), r.ub()) <= 0


def overleft_multirange(a: Multirange, b: Multirange) -> bool:
    if a.empty or b.empty:
        return False
    return cmp_bounds(_last_ub(a), _last_ub(b)) <= 0


def range_overright_multirange(r: Range, m: Multirange) -> bool:
    if r.empty or m.empty:
        return False
    return cmp_bounds(r.lb(), _first_lb(m)) >= 0


def multirange_overright_range(m: Multirange, r: Range) -> bool:
    if r.empty or m.empty:
        return False
    return cmp_bounds(_first_lb(m), r.lb()) >= 0


def overright_multirange(a: Multirange, b: Multirange) -> bool:
    if a.empty or b.empty:
        return False
    return cmp_bounds(_first_lb(a), _first_lb(b)) >= 0


def union(a: Multirange, b: Multirange) -> Multirange:
    if a.empty:
        return b
    if b.empty:
        return a
    return make_multirange(a.type_oid, a.ranges + b.ranges)


def _minus_range(r: Range, subtract: tuple[Range, ...]) -> list[Range]:
    """r minus every range of a sorted, disjoint list (the pieces that remain)."""
    out: list[Range] = []
    cur = r
    for s in subtract:
        if cur.empty:
            break
        if not R.overlaps(cur, s):
            if cmp_bounds(s.lb(), cur.ub()) > 0:
                break
            continue
        # the part of cur before s
        if cmp_bounds(cur.lb(), s.lb()) < 0:
            out.append(R._from_bounds(cur.type_oid, cur.lb(),
                                      _Bound(s.lower, not s.lower_inc, False)))
        # the part of cur after s
        if cmp_bounds(cur.ub(), s.ub()) > 0:
            cur = R._from_bounds(cur.type_oid, _Bound(s.upper, not s.upper_inc, True),
                                 cur.ub())
        else:
            cur = Range(cur.type_oid, empty=True)
    if not cur.empty:
        out.append(cur)
    return out


def minus(a: Multirange, b: Multirange) -> Multirange:
    if a.empty or b.empty:
        return a
    out: list[Range] = []
    for r in a.ranges:
        out.extend(_minus_range(r, b.ranges))
    return make_multirange(a.type_oid, out)


def intersect(a: Multirange, b: Multirange) -> Multirange:
    if a.empty:
        return a
    if b.empty:
        return b
    out: list[Range] = []
    i = j = 0
    ra, rb = a.ranges, b.ranges
    while i < len(ra) and j < len(rb):
        x = R.intersection(ra[i], rb[j])
        if not x.empty:
            out.append(x)
        if cmp_bounds(ra[i].ub(), rb[j].ub()) < 0:
            i += 1
        else:
            j += 1
    return make_multirange(a.type_oid, out)


def range_merge(m: Multirange) -> Range:
    if m.empty:
        return Range(range_type_of(m.type_oid), empty=True)
    return R._from_bounds(m.ranges[0].type_oid, _first_lb(m), _last_ub(m))


def unnest(m: Multirange) -> Iterator[Range]:
    return iter(m.ranges)


def _mr_lower(m: Multirange) -> Any:
    return None if m.empty else m.ranges[0].lower


def _mr_upper(m: Multirange) -> Any:
    return None if m.empty else m.ranges[-1].upper


# ---------------------------------------------------------------------------
# constructors and the range -> multirange cast


def _constructor0(mr_oid: int) -> Callable[[], Multirange]:
    return lambda: Multirange(mr_oid, ())


def _constructor1(mr_oid: int) -> Callable[[Range], Multirange]:
    return lambda r: make_multirange(mr_oid, (r,))


def _constructor2(mr_oid: int) -> Callable[..., Multirange]:
    """int4multirange(VARIADIC int4range[]): the ranges arrive as one array."""
    def f(arr: Any) -> Multirange:
        if any(x is None for x in arr.items):
            raise PgError("22004", "multirange values cannot contain null members")
        return make_multirange(mr_oid, arr.items)
    return f


def range_to_multirange(r: Range) -> Multirange:
    """multirange(anyrange): the multirange type of the range's own type."""
    return make_multirange(multirange_type_of(r.type_oid), (r,))


def _cmp_impls() -> dict[str, Callable[..., Any]]:
    return {
        "multirange_eq": lambda a, b: multirange_cmp(a, b) == 0,
        "multirange_ne": lambda a, b: multirange_cmp(a, b) != 0,
        "multirange_lt": lambda a, b: multirange_cmp(a, b) < 0,
        "multirange_le": lambda a, b: multirange_cmp(a, b) <= 0,
        "multirange_gt": lambda a, b: multirange_cmp(a, b) > 0,
        "multirange_ge": lambda a, b: multirange_cmp(a, b) >= 0,
        "multirange_cmp": multirange_cmp,
    }


def _swap(f: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda a, b: f(b, a)


IMPLS: dict[str, Callable[..., Any]] = {
    **_cmp_impls(),
    "multirange_lower": _mr_lower,
    "multirange_upper": _mr_upper,
    "multirange_empty": lambda m: m.empty,
    "multirange_lower_inc": lambda m: not m.empty and m.ranges[0].lower_inc,
    "multirange_upper_inc": lambda m: not m.empty and m.ranges[-1].upper_inc,
    "multirange_lower_inf": lambda m: not m.empty and m.ranges[0].lower is None,
    "multirange_upper_inf": lambda m: not m.empty and m.ranges[-1].upper is None,
    "range_overlaps_multirange": lambda r, m: overlaps_range(m, r),
    "multirange_overlaps_range": overlaps_range,
    "multirange_overlaps_multirange": overlaps_multirange,
    "multirange_contains_elem": contains_elem,
    "multirange_contains_range": contains_range,
    "multirange_contains_multirange": contains_multirange,
    "range_contains_multirange": range_contains_multirange,
    "elem_contained_by_multirange": lambda v, m: contains_elem(m, v),
    "range_contained_by_multirange": lambda r, m: contains_range(m, r),
    "multirange_contained_by_multirange": lambda a, b: contains_multirange(b, a),
    "multirange_contained_by_range": lambda m, r: range_contains_multirange(r, m),
    "range_adjacent_multirange": range_adjacent_multirange,
    "multirange_adjacent_range": _swap(range_adjacent_multirange),
    "multirange_adjacent_multirange": adjacent_multirange,
    "range_before_multirange": range_before_multirange,
    "multirange_before_range": multirange_before_range,
    "multirange_before_multirange": before_multirange,
    "range_after_multirange": _swap(multirange_before_range),
    "multirange_after_range": _swap(range_before_multirange),
    "multirange_after_multirange": _swap(before_multirange),
    "range_overleft_multirange": range_overleft_multirange,
    "multirange_overleft_range": multirange_overleft_range,
    "multirange_overleft_multirange": overleft_multirange,
    "range_overright_multirange": range_overright_multirange,
    "multirange_overright_range": multirange_overright_range,
    "multirange_overright_multirange": overright_multirange,
    "multirange_union": union,
    "multirange_minus": minus,
    "multirange_intersect": intersect,
    "multirange_intersect_agg_transfn": intersect,
    "range_merge_from_multirange": range_merge,
    "multirange_unnest": unnest,
}

# Typed constructors share prosrc multirange_constructor0/1/2: bind them by pg_proc OID
# to the constructor of their result type (multirange(anyrange) follows its argument).
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {}


def constructors_for(mr_oid: int) -> tuple[Callable[..., Any], ...]:
    return _constructor0(mr_oid), _constructor1(mr_oid), _constructor2(mr_oid)


def _bind_constructors() -> None:
    from tuskdb.types import catdata
    for oid, _name, _args, ret, *_rest in catdata.PROCS:
        src = _rest[4]
        if not src.startswith("multirange_constructor"):
            continue
        if ret == 4537:
            IMPLS_BY_OID[oid] = range_to_multirange
        elif ret in R.MULTIRANGE_RANGE:
            IMPLS_BY_OID[oid] = constructors_for(ret)[int(src[-1])]


_bind_constructors()
