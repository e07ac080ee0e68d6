"""Geometric types: point, lseg, line, box, path, polygon, circle.

Values are the small immutable classes below (coordinates are Python floats).
Comparisons between coordinates use PostgreSQL's documented fuzzy equality:
two coordinates closer than ``EPSILON`` (1e-6) are the same (``FPeq`` and
friends), NaN equals NaN where PostgreSQL says so.  Arithmetic on
coordinates goes through float8's overflow-checked operators, so overflow
raises ``value out of range: overflow`` as in PostgreSQL.

Input accepts every syntax PostgreSQL documents for each type (with or
without the optional parentheses/brackets); output prints each coordinate
with float8's output rules (extra_float_digits).

Functions and operators are exposed through ``IMPLS`` keyed by the C symbol
of their pg_proc row (``point_add``, ``dist_ps``, ...), like the other type
modules.
"""

from __future__ import annotations

import math
import re
import struct as _struct
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

from tuskdb.errors import PgError
from tuskdb.types.common import PG_SPACE, bad_binary, invalid_syntax
from tuskdb.types.float import float8_div, float8_mi, float8_mul, float8_out, float8_pl

EPSILON = 1.0e-6
_INF = math.inf
_NAN = math.nan

_pl = float8_pl
_mi = float8_mi
_mul = float8_mul
_div = float8_div


def FPzero(a: float) -> bool:
    return abs(a) <= EPSILON


def FPeq(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= EPSILON


def FPne(a: float, b: float) -> bool:
    return a != b and abs(a - b) > EPSILON


def FPlt(a: float, b: float) -> bool:
    return a + EPSILON < b


def FPle(a: float, b: float) -> bool:
    return a <= b + EPSILON


def FPgt(a: float, b: float) -> bool:
    return a > b + EPSILON


def FPge(a: float, b: float) -> bool:
    return a + EPSILON >= b


_isnan = math.isnan


def _f8eq(a: float, b: float) -> bool:
    """float8 equality (NaN equals NaN)."""
    return a == b or (_isnan(a) and _isnan(b))


def _f8lt(a: float, b: float) -> bool:
    """float8 order: NaN sorts above everything."""
    if _isnan(a):
        return False
    if _isnan(b):
        return True
    return a < b


def _f8gt(a: float, b: float) -> bool:
    return _f8lt(b, a)


def _fmin(a: float, b: float) -> float:
    return a if _f8lt(a, b) else b


def _fmax(a: float, b: float) -> float:
    return a if _f8gt(a, b) else b


def hypot(x: float, y: float) -> float:
    """sqrt(x*x + y*y) without undue overflow; inf wins over NaN."""
    if math.isinf(x) or math.isinf(y):
        return _INF
    if _isnan(x) or _isnan(y):
        return _NAN
    x, y = abs(x), abs(y)
    if x < y:
        x, y = y, x
    if y == 0.0:
        return x
    r = y / x
    return x * math.sqrt(1.0 + r * r)


# ---------------------------------------------------------------------------
# value classes

class Point:
    __slots__ = ("x", "y")

    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and _f8eq(self.x, other.x) and _f8eq(self.y, other.y)

    def __hash__(self) -> int:
        return hash(("point", self.x, self.y))

    def __repr__(self) -> str:
        return f"Point({self.x!r}, {self.y!r})"


class LSeg:
    __slots__ = ("p0", "p1")

    def __init__(self, p0: Point, p1: Point) -> None:
        self.p0 = p0
        self.p1 = p1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LSeg) and self.p0 == other.p0 and self.p1 == other.p1

    def __hash__(self) -> int:
        return hash(("lseg", self.p0, self.p1))

    def __repr__(self) -> str:
        return f"LSeg({self.p0!r}, {self.p1!r})"


class Line:
    """A x + B y + C = 0."""
    __slots__ = ("a", "b", "c")

    def __init__(self, a: float, b: float, c: float) -> None:
        self.a = a
        self.b = b
        self.c = c

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line) and _f8eq(self.a, other.a) and \
            _f8eq(self.b, other.b) and _f8eq(self.c, other.c)

    def __hash__(self) -> int:
        return hash(("line", self.a, self.b, self.c))

    def __repr__(self) -> str:
        return f"Line({self.a!r}, {self.b!r}, {self.c!r})"


class Box:
    """high is the upper right corner, low the lower left one."""
    __slots__ = ("high", "low")

    def __init__(self, high: Point, low: Point) -> None:
        self.high = high
        self.low = low

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Box) and self.high == other.high and self.low == other.low

    def __hash__(self) -> int:
        return hash(("box", self.high, self.low))

    def __repr__(self) -> str:
        return f"Box({self.high!r}, {self.low!r})"


class Path:
    __slots__ = ("closed", "points")

    def __init__(self, points: tuple[Point, ...], closed: bool) -> None:
        self.points = points
        self.closed = closed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Path) and self.closed == other.closed and \
            self.points == other.points

    def __hash__(self) -> int:
        return hash(("path", self.points, self.closed))

    def __repr__(self) -> str:
        return f"Path({self.points!r}, {self.closed!r})"


class Polygon:
    __slots__ = ("_bbox", "points")

    def __init__(self, points: tuple[Point, ...]) -> None:
        self.points = points
        self._bbox: Box | None = None

    @property
    def boundbox(self) -> Box:
        b = self._bbox
        if b is None:
            b = self._bbox = _bound_box(self.points)
        return b

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Polygon) and self.points == other.points

    def __hash__(self) -> int:
        return hash(("polygon", self.points))

    def __repr__(self) -> str:
        return f"Polygon({self.points!r})"


class Circle:
    __slots__ = ("center", "radius")

    def __init__(self, center: Point, radius: float) -> None:
        self.center = center
        self.radius = radius

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Circle) and self.center == other.center and \
            _f8eq(self.radius, other.radius)

    def __hash__(self) -> int:
        return hash(("circle", self.center, self.radius))

    def __repr__(self) -> str:
        return f"Circle({self.center!r}, {self.radius!r})"


def _bound_box(pts: Sequence[Point]) -> Box:
    x1 = x2 = pts[0].x
    y1 = y2 = pts[0].y
    for p in pts[1:]:
        if _f8lt(p.x, x1):
            x1 = p.x
        if _f8gt(p.x, x2):
            x2 = p.x
        if _f8lt(p.y, y1):
            y1 = p.y
        if _f8gt(p.y, y2):
            y2 = p.y
    return Box(Point(x2, y2), Point(x1, y1))


def box_construct(a: Point, b: Point) -> Box:
    """The box with corners a and b (high/low sorted per axis)."""
    if _f8gt(a.x, b.x):
        hx, lx = a.x, b.x
    else:
        hx, lx = b.x, a.x
    if _f8gt(a.y, b.y):
        hy, ly = a.y, b.y
    else:
        hy, ly = b.y, a.y
    return Box(Point(hx, hy), Point(lx, ly))


# ---------------------------------------------------------------------------
# text input

_NUMBER = re.compile(
    r"[+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|"
    r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])")


class _Parser:
    """A cursor over the input text; every failure is PostgreSQL's
    'invalid input syntax for type T' with the whole input."""

    __slots__ = ("i", "s", "typname")

    def __init__(self, text: str, typname: str) -> None:
        self.s = text
        self.i = 0
        self.typname = typname

    def error(self) -> PgError:
        return invalid_syntax(self.typname, self.s)

    def ws(self) -> None:
        s, i, n = self.s, self.i, len(self.s)
        while i < n and s[i] in PG_SPACE:
            i += 1
        self.i = i

    def peek(self) -> str:
        self.ws()
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise self.error()
        self.i += 1

    def num(self) -> float:
        self.ws()
        m = _NUMBER.match(self.s, self.i)
        if m is None:
            raise self.error()
        tok = m.group(0)
        self.i = m.end()
        low = tok.lower().lstrip("+-")
        if low.startswith(("inf", "nan")):
            v = _NAN if low == "nan" else (-_INF if tok.startswith("-") else _INF)
        else:
            if low.startswith("0x"):
                neg = tok.startswith("-")
                body = low[2:]
                if "p" not in body:
                    body += "p0"
                v = float.fromhex(body)
                v = -v if neg else v
                nonzero = v != 0.0
            else:
                v = float(tok)
                mant = re.split(r"[eE]", tok)[0]
                nonzero = any(c in "123456789" for c in mant)
            if nonzero and (v == 0.0 or math.isinf(v)):
                raise PgError("22003", f'"{tok}" is out of range for type double precision')
        self.ws()
        return v

    def pair(self) -> Point:
        """(x, y) or x, y"""
        if self.peek() == "(":
            self.i += 1
            x = self.num()
            self.expect(",")
            y = self.num()
            self.expect(")")
            return Point(x, y)
        x = self.num()
        self.expect(",")
        y = self.num()
        return Point(x, y)

    def end(self) -> None:
        if self.peek() != "":
            raise self.error()

    def points(self, allow_open: bool, count: int = 0) -> tuple[list[Point], bool]:
        """A sequence of points, optionally wrapped in [ ] (open, if allowed) or
        ( ); returns (points, is_open).  count > 0 demands that many points."""
        wrap = ""
        c = self.peek()
        if c == "[":
            if not allow_open:
                raise self.error()
            wrap = "["
            self.i += 1
        elif c == "(":
            j = self.i + 1
            s = self.s
            while j < len(s) and s[j] in PG_SPACE:
                j += 1
            if (j < len(s) and s[j] == "(") or s.find("(", self.i + 1) < 0:
                wrap = "("
                self.i = j
        if count == 0:
            # as many points as the commas say (2n - 1 of them); the comma
            # between two parenthesized points may be left out
            ndelim = self.s.count(",")
            if ndelim % 2 == 0:
                raise self.error()
            count = (ndelim + 1) // 2
        pts = [self.pair()]
        while len(pts) < count:
            if self.peek() == ",":
                self.i += 1
            pts.append(self.pair())
        if wrap:
            c = self.peek()
            if c == ")" or (c == "]" and wrap == "["):
                self.i += 1
            else:
                raise self.error()
        return pts, wrap == "["


def point_in(text: str, typmod: int = -1, ctx: Any = None) -> Point:
    p = _Parser(text, "point")
    pt = p.pair()
    p.end()
    return pt


def lseg_in(text: str, typmod: int = -1, ctx: Any = None) -> LSeg:
    p = _Parser(text, "lseg")
    pts, _ = p.points(True, 2)
    p.end()
    return LSeg(pts[0], pts[1])


def box_in(text: str, typmod: int = -1, ctx: Any = None) -> Box:
    p = _Parser(text, "box")
    pts, _ = p.points(False, 2)
    p.end()
    return box_construct(pts[0], pts[1])


def path_in(text: str, typmod: int = -1, ctx: Any = None) -> Path:
    p = _Parser(text, "path")
    pts, is_open = p.points(True)
    p.end()
    return Path(tuple(pts), not is_open)


def poly_in(text: str, typmod: int = -1, ctx: Any = None) -> Polygon:
    p = _Parser(text, "polygon")
    pts, _ = p.points(False)
    p.end()
    return Polygon(tuple(pts))


def line_in(text: str, typmod: int = -1, ctx: Any = None) -> Line:
    p = _Parser(text, "line")
    if p.peek() == "{":
        p.i += 1
        a = p.num()
        p.expect(",")
        b = p.num()
        p.expect(",")
        c = p.num()
        p.expect("}")
        p.end()
        if FPzero(a) and FPzero(b):
            raise PgError("22P02", "invalid line specification: A and B cannot both be zero")
        return Line(a, b, c)
    pts, _ = p.points(True, 2)
    p.end()
    if point_eq(pts[0], pts[1]):
        raise PgError("22P02", "invalid line specification: must be two distinct points")
    return line_construct_pp(pts[0], pts[1])


def circle_in(text: str, typmod: int = -1, ctx: Any = None) -> Circle:
    p = _Parser(text, "circle")
    wrap = ""
    c = p.peek()
    if c == "<":
        wrap = "<"
        p.i += 1
    elif c == "(":
        j = p.i + 1
        s = p.s
        while j < len(s) and s[j] in PG_SPACE:
            j += 1
        if j < len(s) and s[j] == "(":
            wrap = "("
            p.i = j
    center = p.pair()
    p.expect(",")
    r = p.num()
    if wrap:
        if p.peek() in (")", ">"):
            p.i += 1
        else:
            raise p.error()
    p.end()
    if r < 0:
        raise p.error()
    return Circle(center, r)


# ---------------------------------------------------------------------------
# text output

def _pt(p: Point, ctx: Any) -> str:
    return f"({float8_out(p.x, ctx)},{float8_out(p.y, ctx)})"


def point_out(v: Point, ctx: Any = None) -> str:
    return _pt(v, ctx)


def lseg_out(v: LSeg, ctx: Any = None) -> str:
    return f"[{_pt(v.p0, ctx)},{_pt(v.p1, ctx)}]"


def box_out(v: Box, ctx: Any = None) -> str:
    return f"{_pt(v.high, ctx)},{_pt(v.low, ctx)}"


def path_out(v: Path, ctx: Any = None) -> str:
    body = ",".join(_pt(p, ctx) for p in v.points)
    return f"({body})" if v.closed else f"[{body}]"


def poly_out(v: Polygon, ctx: Any = None) -> str:
    return "(" + ",".join(_pt(p, ctx) for p in v.points) + ")"


def line_out(v: Line, ctx: Any = None) -> str:
    return f"{{{float8_out(v.a, ctx)},{float8_out(v.b, ctx)},{float8_out(v.c, ctx)}}}"


def circle_out(v: Circle, ctx: Any = None) -> str:
    return f"<{_pt(v.center, ctx)},{float8_out(v.radius, ctx)}>"


# ---------------------------------------------------------------------------
# binary I/O (big-endian float8s; path: closed byte + int32 count; polygon: count)

_D2 = _struct.Struct("!dd")
_D3 = _struct.Struct("!ddd")
_D4 = _struct.Struct("!dddd")
_I4 = _struct.Struct("!i")


def _unpack(st: _struct.Struct, data: bytes, off: int = 0, last: bool = True
            ) -> tuple[float, ...]:
    """Read st at off; bytes left over after the last read are a format error."""
    if len(data) < off + st.size:
        raise PgError("08P01", "insufficient data left in message")
    if last and len(data) > off + st.size:
        raise bad_binary()
    return st.unpack_from(data, off)


def point_send(v: Point, ctx: Any = None) -> bytes:
    return _D2.pack(v.x, v.y)


def point_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Point:
    x, y = _unpack(_D2, data)
    return Point(x, y)


def lseg_send(v: LSeg, ctx: Any = None) -> bytes:
    return _D4.pack(v.p0.x, v.p0.y, v.p1.x, v.p1.y)


def lseg_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> LSeg:
    a, b, c, d = _unpack(_D4, data)
    return LSeg(Point(a, b), Point(c, d))


def box_send(v: Box, ctx: Any = None) -> bytes:
    return _D4.pack(v.high.x, v.high.y, v.low.x, v.low.y)


def box_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Box:
    a, b, c, d = _unpack(_D4, data)
    return box_construct(Point(a, b), Point(c, d))


def line_send(v: Line, ctx: Any = None) -> bytes:
    return _D3.pack(v.a, v.b, v.c)


def line_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Line:
    a, b, c = _unpack(_D3, data)
    if FPzero(a) and FPzero(b):
        raise PgError("22P03", "invalid line specification: A and B cannot both be zero")
    return Line(a, b, c)


def circle_send(v: Circle, ctx: Any = None) -> bytes:
    return _D3.pack(v.center.x, v.center.y, v.radius)


def circle_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Circle:
    x, y, r = _unpack(_D3, data)
    if r < 0:
        raise PgError("22P03", 'invalid radius in external "circle" value')
    return Circle(Point(x, y), r)


_MAX_POINTS = (0x3FFFFFFF - 40) // 16


def path_send(v: Path, ctx: Any = None) -> bytes:
    out = [bytes([1 if v.closed else 0]), _I4.pack(len(v.points))]
    out.extend(_D2.pack(p.x, p.y) for p in v.points)
    return b"".join(out)


def _recv_points(data: bytes, off: int, what: str) -> tuple[Point, ...]:
    (n,) = _unpack(_I4, data, off, last=False)
    off += 4
    if n <= 0 or n > _MAX_POINTS:
        raise PgError("22P03", f'invalid number of points in external "{what}" value')
    pts = []
    for k in range(n):
        x, y = _unpack(_D2, data, off, last=k == n - 1)
        off += 16
        pts.append(Point(x, y))
    return tuple(pts)


def path_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Path:
    if len(data) < 1:
        raise PgError("08P01", "insufficient data left in message")
    return Path(_recv_points(data, 1, "path"), data[0] != 0)


def poly_send(v: Polygon, ctx: Any = None) -> bytes:
    out = [_I4.pack(len(v.points))]
    out.extend(_D2.pack(p.x, p.y) for p in v.points)
    return b"".join(out)


def poly_recv(data: bytes, typmod: int = -1, ctx: Any = None) -> Polygon:
    return Polygon(_recv_points(data, 0, "polygon"))


# ---------------------------------------------------------------------------
# point

def point_eq(a: Point, b: Point) -> bool:
    return (FPeq(a.x, b.x) and FPeq(a.y, b.y)) or (_f8eq(a.x, b.x) and _f8eq(a.y, b.y))


def point_ne(a: Point, b: Point) -> bool:
    return not point_eq(a, b)


def point_dist(a: Point, b: Point) -> float:
    return hypot(_mi(a.x, b.x), _mi(a.y, b.y))


def point_slope(a: Point, b: Point) -> float:
    if FPeq(a.x, b.x):
        return _INF
    if FPeq(a.y, b.y):
        return 0.0
    return _div(_mi(a.y, b.y), _mi(a.x, b.x))


def _point_invsl(a: Point, b: Point) -> float:
    """Slope of the perpendicular to the line through a and b."""
    if FPeq(a.x, b.x):
        return 0.0
    if FPeq(a.y, b.y):
        return _INF
    return _div(_mi(b.x, a.x), _mi(a.y, b.y))


def point_add(a: Point, b: Point) -> Point:
    return Point(_pl(a.x, b.x), _pl(a.y, b.y))


def point_sub(a: Point, b: Point) -> Point:
    return Point(_mi(a.x, b.x), _mi(a.y, b.y))


def point_mul(a: Point, b: Point) -> Point:
    return Point(_mi(_mul(a.x, b.x), _mul(a.y, b.y)), _pl(_mul(a.x, b.y), _mul(a.y, b.x)))


def point_div(a: Point, b: Point) -> Point:
    d = _pl(_mul(b.x, b.x), _mul(b.y, b.y))
    return Point(_div(_pl(_mul(a.x, b.x), _mul(a.y, b.y)), d),
                 _div(_mi(_mul(a.y, b.x), _mul(a.x, b.y)), d))


def construct_point(x: float, y: float) -> Point:
    return Point(x, y)


def point_left(a: Point, b: Point) -> bool:
    return FPlt(a.x, b.x)


def point_right(a: Point, b: Point) -> bool:
    return FPgt(a.x, b.x)


def point_above(a: Point, b: Point) -> bool:
    return FPgt(a.y, b.y)


def point_below(a: Point, b: Point) -> bool:
    return FPlt(a.y, b.y)


def point_vert(a: Point, b: Point) -> bool:
    return FPeq(a.x, b.x)


def point_horiz(a: Point, b: Point) -> bool:
    return FPeq(a.y, b.y)


def point_box(p: Point) -> Box:
    return Box(Point(p.x, p.y), Point(p.x, p.y))


# ---------------------------------------------------------------------------
# line

def line_construct(p: Point, m: float) -> Line:
    """The line through p with slope m."""
    if math.isinf(m):
        return Line(-1.0, 0.0, p.x)
    if m == 0.0:
        return Line(0.0, -1.0, p.y)
    c = _mi(p.y, _mul(m, p.x))
    return Line(m, -1.0, c + 0.0)


def line_construct_pp(a: Point, b: Point) -> Line:
    if point_eq(a, b):
        raise PgError("22P02", "invalid line specification: must be two distinct points")
    return line_construct(a, point_slope(a, b))


def _line_sl(ln: Line) -> float:
    if FPzero(ln.a):
        return 0.0
    if FPzero(ln.b):
        return _INF
    return _div(ln.a, -ln.b)


def _line_invsl(ln: Line) -> float:
    if FPzero(ln.a):
        return _INF
    if FPzero(ln.b):
        return 0.0
    return _div(ln.b, ln.a)


def line_vertical(ln: Line) -> bool:
    return FPzero(ln.b)


def line_horizontal(ln: Line) -> bool:
    return FPzero(ln.a)


def line_parallel(l1: Line, l2: Line) -> bool:
    if FPzero(l1.b):
        return FPzero(l2.b)
    return FPeq(l2.a, _mul(l1.a, _div(l2.b, l1.b)))


def line_perp(l1: Line, l2: Line) -> bool:
    if FPzero(l1.a):
        return FPzero(l2.b)
    if FPzero(l2.a):
        return FPzero(l1.b)
    if FPzero(l1.b):
        return FPzero(l2.a)
    if FPzero(l2.b):
        return FPzero(l1.a)
    return FPeq(_div(_mul(l1.a, l2.a), _mul(l1.b, l2.b)), -1.0)


def line_eq(l1: Line, l2: Line) -> bool:
    if _f8eq(l1.a, l2.a) and _f8eq(l1.b, l2.b) and _f8eq(l1.c, l2.c):
        return True
    if not FPzero(l2.a) and not _isnan(l2.a):
        ratio = _div(l1.a, l2.a)
    elif not FPzero(l2.b) and not _isnan(l2.b):
        ratio = _div(l1.b, l2.b)
    elif not FPzero(l2.c) and not _isnan(l2.c):
        ratio = _div(l1.c, l2.c)
    else:
        ratio = 1.0
    return FPeq(l1.a, _mul(ratio, l2.a)) and FPeq(l1.b, _mul(ratio, l2.b)) and \
        FPeq(l1.c, _mul(ratio, l2.c))


def _line_interpt(l1: Line, l2: Line) -> Point | None:
    if not FPzero(l1.b):
        if FPeq(l2.a, _mul(l1.a, _div(l2.b, l1.b))):
            return None
        x = _div(_mi(_mul(l1.b, l2.c), _mul(l2.b, l1.c)),
                 _mi(_mul(l1.a, l2.b), _mul(l2.a, l1.b)))
        y = _div(-_pl(_mul(l1.a, x), l1.c), l1.b)
    elif not FPzero(l2.b):
        if FPeq(l1.a, _mul(l2.a, _div(l1.b, l2.b))):
            return None
        x = _div(_mi(_mul(l2.b, l1.c), _mul(l1.b, l2.c)),
                 _mi(_mul(l2.a, l1.b), _mul(l1.a, l2.b)))
        y = _div(-_pl(_mul(l2.a, x), l2.c), l2.b)
    else:
        return None
    return Point(x + 0.0, y + 0.0)


def line_interpt(l1: Line, l2: Line) -> Point | None:
    return _line_interpt(l1, l2)


def line_intersect(l1: Line, l2: Line) -> bool:
    return _line_interpt(l1, l2) is not None


def line_distance(l1: Line, l2: Line) -> float:
    if not line_parallel(l1, l2):
        return 0.0
    if not FPzero(l1.a) and not _isnan(l1.a) and not FPzero(l2.a) and not _isnan(l2.a):
        ratio = _div(l1.a, l2.a)
    elif not FPzero(l1.b) and not _isnan(l1.b) and not FPzero(l2.b) and not _isnan(l2.b):
        ratio = _div(l1.b, l2.b)
    else:
        ratio = 1.0
    return _div(abs(_mi(l1.c, _mul(ratio, l2.c))), hypot(l1.a, l1.b))


def _line_eval(ln: Line, p: Point) -> float:
    return _pl(_pl(_mul(ln.a, p.x), _mul(ln.b, p.y)), ln.c)


def _dist_pl(p: Point, ln: Line) -> float:
    c = _close_pl_or_none(p, ln)
    return _NAN if c is None else point_dist(c, p)


def dist_pl(p: Point, ln: Line) -> float:
    return _dist_pl(p, ln)


def dist_lp(ln: Line, p: Point) -> float:
    return dist_pl(p, ln)


def _close_pl_or_none(p: Point, ln: Line) -> Point | None:
    """The point of ln closest to p: where the perpendicular through p meets it."""
    return _line_interpt(line_construct(p, _line_invsl(ln)), ln)


def close_pl(p: Point, ln: Line) -> Point | None:
    c = _close_pl_or_none(p, ln)
    if c is None or _isnan(point_dist(c, p)):
        return None
    return c


def on_pl(p: Point, ln: Line) -> bool:
    return FPzero(_line_eval(ln, p))


# ---------------------------------------------------------------------------
# lseg

def lseg_construct(a: Point, b: Point) -> LSeg:
    return LSeg(Point(a.x, a.y), Point(b.x, b.y))


def _lseg_sl(s: LSeg) -> float:
    return point_slope(s.p0, s.p1)


def _lseg_invsl(s: LSeg) -> float:
    return _point_invsl(s.p0, s.p1)


def lseg_length(s: LSeg) -> float:
    return point_dist(s.p0, s.p1)


def lseg_center(s: LSeg) -> Point:
    return Point(_div(_pl(s.p0.x, s.p1.x), 2.0), _div(_pl(s.p0.y, s.p1.y), 2.0))


def lseg_vertical(s: LSeg) -> bool:
    return FPeq(s.p0.x, s.p1.x)


def lseg_horizontal(s: LSeg) -> bool:
    return FPeq(s.p0.y, s.p1.y)


def lseg_parallel(a: LSeg, b: LSeg) -> bool:
    return FPeq(_lseg_sl(a), _lseg_sl(b))


def lseg_perp(a: LSeg, b: LSeg) -> bool:
    return FPeq(_lseg_sl(a), _lseg_invsl(b))


def lseg_eq(a: LSeg, b: LSeg) -> bool:
    return point_eq(a.p0, b.p0) and point_eq(a.p1, b.p1)


def lseg_ne(a: LSeg, b: LSeg) -> bool:
    return not lseg_eq(a, b)


def lseg_lt(a: LSeg, b: LSeg) -> bool:
    return FPlt(lseg_length(a), lseg_length(b))


def lseg_le(a: LSeg, b: LSeg) -> bool:
    return FPle(lseg_length(a), lseg_length(b))


def lseg_gt(a: LSeg, b: LSeg) -> bool:
    return FPgt(lseg_length(a), lseg_length(b))


def lseg_ge(a: LSeg, b: LSeg) -> bool:
    return FPge(lseg_length(a), lseg_length(b))


def _seg_line(s: LSeg) -> Line:
    return line_construct(s.p0, _lseg_sl(s))


def on_ps(p: Point, s: LSeg) -> bool:
    return FPeq(_pl(point_dist(s.p0, p), point_dist(p, s.p1)), point_dist(s.p0, s.p1))


def _interpt_sl(s: LSeg, ln: Line) -> Point | None:
    """Where s crosses ln (None if it does not)."""
    p = _line_interpt(_seg_line(s), ln)
    if p is None or not on_ps(p, s):
        return None
    return p


def _interpt_ss(a: LSeg, b: LSeg) -> Point | None:
    """Where a and b cross; a crossing at an end point is that end point exactly."""
    p = _line_interpt(_seg_line(a), _seg_line(b))
    if p is None or not on_ps(p, a) or not on_ps(p, b):
        return None
    for end in (a.p0, a.p1, b.p0, b.p1):
        if point_eq(end, p):
            return Point(end.x, end.y)
    return p


def lseg_interpt(a: LSeg, b: LSeg) -> Point | None:
    return _interpt_ss(a, b)


def lseg_intersect(a: LSeg, b: LSeg) -> bool:
    return _interpt_ss(a, b) is not None


def _interpt_sl_snap(s: LSeg, ln: Line) -> Point | None:
    """Like _interpt_sl, but an intersection at an end point is that end point."""
    p = _interpt_sl(s, ln)
    if p is None:
        return None
    if point_eq(s.p0, p):
        return Point(s.p0.x, s.p0.y)
    if point_eq(s.p1, p):
        return Point(s.p1.x, s.p1.y)
    return p


def _close_sl(s: LSeg, ln: Line) -> Point:
    """The point of s closest to ln: where s crosses it, else the nearer end."""
    p = _interpt_sl_snap(s, ln)
    if p is not None:
        return p
    if _dist_pl(s.p0, ln) < _dist_pl(s.p1, ln):
        return Point(s.p0.x, s.p0.y)
    return Point(s.p1.x, s.p1.y)


def _close_ps(p: Point, s: LSeg) -> Point:
    """The point of s closest to p: the closest to the perpendicular through p."""
    return _close_sl(s, line_construct(p, _lseg_invsl(s)))


def _nan_null(c: Point, p: Point) -> Point | None:
    """The close_* operators yield NULL when the distance is undefined."""
    return None if _isnan(point_dist(c, p)) else c


def close_ps(p: Point, s: LSeg) -> Point | None:
    return _nan_null(_close_ps(p, s), p)


def dist_ps(p: Point, s: LSeg) -> float:
    return point_dist(_close_ps(p, s), p)


def dist_sp(s: LSeg, p: Point) -> float:
    return dist_ps(p, s)


def _close_ss(a: LSeg, b: LSeg) -> tuple[Point, float]:
    """The point of b closest to a, and the distance."""
    best: tuple[Point, float] | None = None
    for end in (a.p0, a.p1):
        cand = _close_ps(end, b)
        d = point_dist(cand, end)
        if best is None or d < best[1]:
            best = (cand, d)
    for end in (b.p0, b.p1):
        d = dist_ps(end, a)
        if d < best[1]:
            best = (Point(end.x, end.y), d)
    return best


def _close_lseg_raw(a: LSeg, b: LSeg) -> Point:
    p = _interpt_ss(a, b)
    if p is not None:
        return p
    return _close_ss(a, b)[0]


def close_lseg(a: LSeg, b: LSeg) -> Point | None:
    """The point of b closest to a (NULL for parallel segments)."""
    if _lseg_sl(a) == _lseg_sl(b):
        return None
    p = _interpt_ss(b, a)
    if p is not None:
        return p
    c, d = _close_ss(a, b)
    return None if _isnan(d) else c


def lseg_distance(a: LSeg, b: LSeg) -> float:
    if _interpt_ss(a, b) is not None:
        return 0.0
    return _close_ss(a, b)[1]


def inter_sl(s: LSeg, ln: Line) -> bool:
    return _interpt_sl(s, ln) is not None


def on_sl(s: LSeg, ln: Line) -> bool:
    return on_pl(s.p0, ln) and on_pl(s.p1, ln)


def dist_sl(s: LSeg, ln: Line) -> float:
    if _interpt_sl(s, ln) is not None:
        return 0.0
    d0 = _dist_pl(s.p0, ln)
    d1 = _dist_pl(s.p1, ln)
    return d0 if d0 < d1 or _isnan(d1) else d1


def dist_ls(ln: Line, s: LSeg) -> float:
    return dist_sl(s, ln)


def close_ls(ln: Line, s: LSeg) -> Point | None:
    """The point of s closest to ln (NULL when they are parallel)."""
    if _lseg_sl(s) == _line_sl(ln):
        return None
    c = _close_sl(s, ln)
    return None if _isnan(_dist_pl(c, ln)) else c


# ---------------------------------------------------------------------------
# box

def _box_width(b: Box) -> float:
    return _mi(b.high.x, b.low.x)


def _box_height(b: Box) -> float:
    return _mi(b.high.y, b.low.y)


def box_area(b: Box) -> float:
    return _mul(_box_width(b), _box_height(b))


def box_width(b: Box) -> float:
    return _box_width(b)


def box_height(b: Box) -> float:
    return _box_height(b)


def box_center(b: Box) -> Point:
    return Point(_div(_pl(b.high.x, b.low.x), 2.0), _div(_pl(b.high.y, b.low.y), 2.0))


def box_same(a: Box, b: Box) -> bool:
    return point_eq(a.high, b.high) and point_eq(a.low, b.low)


def box_overlap(a: Box, b: Box) -> bool:
    return FPle(a.low.x, b.high.x) and FPle(b.low.x, a.high.x) and \
        FPle(a.low.y, b.high.y) and FPle(b.low.y, a.high.y)


def box_left(a: Box, b: Box) -> bool:
    return FPlt(a.high.x, b.low.x)


def box_overleft(a: Box, b: Box) -> bool:
    return FPle(a.high.x, b.high.x)


def box_right(a: Box, b: Box) -> bool:
    return FPgt(a.low.x, b.high.x)


def box_overright(a: Box, b: Box) -> bool:
    return FPge(a.low.x, b.low.x)


def box_below(a: Box, b: Box) -> bool:
    return FPlt(a.high.y, b.low.y)


def box_overbelow(a: Box, b: Box) -> bool:
    return FPle(a.high.y, b.high.y)


def box_above(a: Box, b: Box) -> bool:
    return FPgt(a.low.y, b.high.y)


def box_overabove(a: Box, b: Box) -> bool:
    return FPge(a.low.y, b.low.y)


def box_contain(a: Box, b: Box) -> bool:
    return FPge(a.high.x, b.high.x) and FPle(a.low.x, b.low.x) and \
        FPge(a.high.y, b.high.y) and FPle(a.low.y, b.low.y)


def box_contained(a: Box, b: Box) -> bool:
    return box_contain(b, a)


def box_below_eq(a: Box, b: Box) -> bool:
    return FPle(a.high.y, b.low.y)


def box_above_eq(a: Box, b: Box) -> bool:
    return FPge(a.low.y, b.high.y)


def box_lt(a: Box, b: Box) -> bool:
    return FPlt(box_area(a), box_area(b))


def box_le(a: Box, b: Box) -> bool:
    return FPle(box_area(a), box_area(b))


def box_eq(a: Box, b: Box) -> bool:
    return FPeq(box_area(a), box_area(b))


def box_gt(a: Box, b: Box) -> bool:
    return FPgt(box_area(a), box_area(b))


def box_ge(a: Box, b: Box) -> bool:
    return FPge(box_area(a), box_area(b))


def box_distance(a: Box, b: Box) -> float:
    return point_dist(box_center(a), box_center(b))


def box_intersect(a: Box, b: Box) -> Box | None:
    if not box_overlap(a, b):
        return None
    return Box(Point(_fmin(a.high.x, b.high.x), _fmin(a.high.y, b.high.y)),
               Point(_fmax(a.low.x, b.low.x), _fmax(a.low.y, b.low.y)))


def box_diagonal(b: Box) -> LSeg:
    return lseg_construct(b.high, b.low)


def box_add(b: Box, p: Point) -> Box:
    return box_construct(point_add(b.high, p), point_add(b.low, p))


def box_sub(b: Box, p: Point) -> Box:
    return box_construct(point_sub(b.high, p), point_sub(b.low, p))


def box_mul(b: Box, p: Point) -> Box:
    return box_construct(point_mul(b.high, p), point_mul(b.low, p))


def box_div(b: Box, p: Point) -> Box:
    return box_construct(point_div(b.high, p), point_div(b.low, p))


def boxes_bound_box(a: Box, b: Box) -> Box:
    return Box(Point(_fmax(a.high.x, b.high.x), _fmax(a.high.y, b.high.y)),
               Point(_fmin(a.low.x, b.low.x), _fmin(a.low.y, b.low.y)))


def points_box(a: Point, b: Point) -> Box:
    return box_construct(a, b)


def _box_contains_point(b: Box, p: Point) -> bool:
    return b.high.x >= p.x and b.low.x <= p.x and b.high.y >= p.y and b.low.y <= p.y


def box_contain_pt(b: Box, p: Point) -> bool:
    return _box_contains_point(b, p)


def on_pb(p: Point, b: Box) -> bool:
    return _box_contains_point(b, p)


def on_sb(s: LSeg, b: Box) -> bool:
    return _box_contains_point(b, s.p0) and _box_contains_point(b, s.p1)


def _box_sides(b: Box) -> tuple[LSeg, LSeg, LSeg, LSeg]:
    ul = Point(b.low.x, b.high.y)
    lr = Point(b.high.x, b.low.y)
    return (LSeg(b.low, ul), LSeg(b.high, ul), LSeg(b.low, lr), LSeg(b.high, lr))


def _close_pb(p: Point, b: Box) -> Point:
    if _box_contains_point(b, p):
        return Point(p.x, p.y)
    best: tuple[Point, float] | None = None
    for side in _box_sides(b):
        c = _close_ps(p, side)
        d = point_dist(c, p)
        if best is None or d < best[1]:
            best = (c, d)
    return best[0]


def close_pb(p: Point, b: Box) -> Point | None:
    if _box_contains_point(b, p):
        return Point(p.x, p.y)
    return _nan_null(_close_pb(p, b), p)


def dist_pb(p: Point, b: Box) -> float:
    if _box_contains_point(b, p):
        return 0.0
    return point_dist(_close_pb(p, b), p)


def dist_bp(b: Box, p: Point) -> float:
    return dist_pb(p, b)


def inter_sb(s: LSeg, b: Box) -> bool:
    return box_overlap(box_construct(s.p0, s.p1), b) and _crosses_sb(s, b)


def _crosses_sb(s: LSeg, b: Box) -> bool:
    if _box_contains_point(b, s.p0) or _box_contains_point(b, s.p1):
        return True
    return any(_interpt_ss(side, s) is not None for side in _box_sides(b))


def _close_sb(s: LSeg, b: Box) -> tuple[Point, float]:
    if _crosses_sb(s, b):
        c = box_center(b)
        p = _close_ps(c, s)
        return p, 0.0
    best: tuple[Point, float] | None = None
    for side in _box_sides(b):
        cd = _close_ss(s, side)
        if best is None or cd[1] < best[1]:
            best = cd
    return best


def close_sb(s: LSeg, b: Box) -> Point | None:
    c, d = _close_sb(s, b)
    return None if _isnan(d) else c


def dist_sb(s: LSeg, b: Box) -> float:
    return _close_sb(s, b)[1]


def dist_bs(b: Box, s: LSeg) -> float:
    return dist_sb(s, b)


def inter_lb(ln: Line, b: Box) -> bool:
    return any(_interpt_sl(side, ln) is not None for side in _box_sides(b))


def box_poly(b: Box) -> Polygon:
    return Polygon((Point(b.low.x, b.low.y), Point(b.low.x, b.high.y),
                    Point(b.high.x, b.high.y), Point(b.high.x, b.low.y)))


def box_circle(b: Box) -> Circle:
    c = box_center(b)
    return Circle(c, point_dist(c, b.high))


# ---------------------------------------------------------------------------
# path

def _path_segments(p: Path) -> list[LSeg]:
    pts = p.points
    n = len(pts)
    segs = [LSeg(pts[i], pts[i + 1]) for i in range(n - 1)]
    if p.closed and n >= 1:
        segs.insert(0, LSeg(pts[n - 1], pts[0]))      # the closing segment comes first
    return segs


def path_npoints(p: Path) -> int:
    return len(p.points)


def path_isclosed(p: Path) -> bool:
    return p.closed


def path_isopen(p: Path) -> bool:
    return not p.closed


def path_close(p: Path) -> Path:
    return Path(p.points, True)


def path_open(p: Path) -> Path:
    return Path(p.points, False)


def path_n_lt(a: Path, b: Path) -> bool:
    return len(a.points) < len(b.points)


def path_n_gt(a: Path, b: Path) -> bool:
    return len(a.points) > len(b.points)


def path_n_eq(a: Path, b: Path) -> bool:
    return len(a.points) == len(b.points)


def path_n_le(a: Path, b: Path) -> bool:
    return len(a.points) <= len(b.points)


def path_n_ge(a: Path, b: Path) -> bool:
    return len(a.points) >= len(b.points)


def path_add(a: Path, b: Path) -> Path | None:
    if a.closed or b.closed:
        return None
    return Path(a.points + b.points, False)


def _path_map(p: Path, f: Callable[[Point, Point], Point], q: Point) -> Path:
    return Path(tuple(f(x, q) for x in p.points), p.closed)


def path_add_pt(p: Path, q: Point) -> Path:
    return _path_map(p, point_add, q)


def path_sub_pt(p: Path, q: Point) -> Path:
    return _path_map(p, point_sub, q)


def path_mul_pt(p: Path, q: Point) -> Path:
    return _path_map(p, point_mul, q)


def path_div_pt(p: Path, q: Point) -> Path:
    return _path_map(p, point_div, q)


def path_length(p: Path) -> float:
    total = 0.0
    for s in _path_segments(p):
        total = _pl(total, point_dist(s.p0, s.p1))
    return total


def _shoelace(pts: Sequence[Point]) -> float:
    n = len(pts)
    area = 0.0
    for i in range(n):
        j = (i + 1) % n
        area = _pl(area, _mul(pts[i].x, pts[j].y))
        area = _mi(area, _mul(pts[i].y, pts[j].x))
    return area


def path_area(p: Path) -> float | None:
    if not p.closed:
        return None
    return abs(_shoelace(p.points) * 0.5)


def path_poly(p: Path) -> Polygon:
    if not p.closed:
        raise PgError("22023", "open path cannot be converted to polygon")
    return Polygon(p.points)


def path_inter(a: Path, b: Path) -> bool:
    if not box_overlap(_bound_box(a.points), _bound_box(b.points)):
        return False
    return any(lseg_intersect(x, y) for x in _path_segments(a) for y in _path_segments(b))


def path_distance(a: Path, b: Path) -> float | None:
    best: float | None = None
    for x in _path_segments(a):
        for y in _path_segments(b):
            d = lseg_distance(x, y)
            if best is None or d < best:
                best = d
    return best


def dist_ppath(p: Point, path: Path) -> float:
    best: float | None = None
    for s in _path_segments(path):
        d = dist_ps(p, s)
        if best is None or d < best:
            best = d
    return best if best is not None else 0.0


def dist_pathp(path: Path, p: Point) -> float:
    return dist_ppath(p, path)


def on_ppath(p: Point, path: Path) -> bool:
    if path.closed:
        return _point_inside(p, path.points) != 0
    pts = path.points
    a = point_dist(p, pts[0])
    for i in range(len(pts) - 1):
        b = point_dist(p, pts[i + 1])
        if FPeq(_pl(a, b), point_dist(pts[i], pts[i + 1])):
            return True
        a = b
    return False


def path_contain_pt(path: Path, p: Point) -> bool:
    return on_ppath(p, path)


# ---------------------------------------------------------------------------
# polygon

def _point_inside(p: Point, pts: Sequence[Point]) -> int:
    """0 when p is outside the polygon pts, 1 inside, 2 on its border (non-zero
    winding rule; the border is found with the EPSILON tolerance)."""
    n = len(pts)
    if n == 0:
        return 0
    if _isnan(p.x) or _isnan(p.y):
        # an unknown coordinate: inside when the known one is within the polygon's span
        b = _bound_box(pts)
        ok_x = _isnan(p.x) or (FPle(b.low.x, p.x) and FPle(p.x, b.high.x))
        ok_y = _isnan(p.y) or (FPle(b.low.y, p.y) and FPle(p.y, b.high.y))
        return 2 if ok_x and ok_y else 0
    winding = 0
    b = pts[n - 1]
    bx, by = b.x - p.x, b.y - p.y
    for q in pts:
        ax, ay = bx, by
        bx, by = q.x - p.x, q.y - p.y
        z = ax * by - ay * bx
        if FPzero(z) and FPle(min(ax, bx), 0.0) and FPge(max(ax, bx), 0.0) and \
                FPle(min(ay, by), 0.0) and FPge(max(ay, by), 0.0):
            return 2
        if ay <= 0.0 < by and z > 0.0:         # upward crossing, p left of the edge
            winding += 1
        elif by <= 0.0 < ay and z < 0.0:       # downward crossing, p right of it
            winding -= 1
    return 1 if winding else 0


def poly_npoints(p: Polygon) -> int:
    return len(p.points)


def poly_center(p: Polygon) -> Point:
    sx = 0.0
    sy = 0.0
    for q in p.points:
        sx = _pl(sx, q.x)
        sy = _pl(sy, q.y)
    n = float(len(p.points))
    return Point(_div(sx, n), _div(sy, n))


def poly_box(p: Polygon) -> Box:
    b = p.boundbox
    return Box(Point(b.high.x, b.high.y), Point(b.low.x, b.low.y))


def poly_path(p: Polygon) -> Path:
    return Path(p.points, True)


def poly_circle(p: Polygon) -> Circle:
    c = poly_center(p)
    r = 0.0
    for q in p.points:
        r = _pl(r, point_dist(q, c))
    return Circle(c, _div(r, float(len(p.points))))


def poly_same(a: Polygon, b: Polygon) -> bool:
    pa, pb = a.points, b.points
    n = len(pa)
    if n != len(pb):
        return False
    for shift in range(n):
        if point_eq(pa[0], pb[shift]):
            if all(point_eq(pa[i], pb[(shift + i) % n]) for i in range(n)):
                return True
            if all(point_eq(pa[i], pb[(shift - i) % n]) for i in range(n)):
                return True
    return False


def poly_left(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.high.x < b.boundbox.low.x


def poly_overleft(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.high.x <= b.boundbox.high.x


def poly_right(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.low.x > b.boundbox.high.x


def poly_overright(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.low.x >= b.boundbox.low.x


def poly_below(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.high.y < b.boundbox.low.y


def poly_overbelow(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.high.y <= b.boundbox.high.y


def poly_above(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.low.y > b.boundbox.high.y


def poly_overabove(a: Polygon, b: Polygon) -> bool:
    return a.boundbox.low.y >= b.boundbox.low.y


def _poly_edges(pts: Sequence[Point]) -> list[LSeg]:
    n = len(pts)
    return [LSeg(pts[i - 1] if i else pts[n - 1], pts[i]) for i in range(n)]


def _poly_overlap(a: Polygon, b: Polygon) -> bool:
    if len(a.points) == 0 or len(b.points) == 0 or not box_overlap(a.boundbox, b.boundbox):
        return False
    for sa in _poly_edges(a.points):
        for sb in _poly_edges(b.points):
            if lseg_intersect(sa, sb):
                return True
    return _point_inside(a.points[0], b.points) != 0 or \
        _point_inside(b.points[0], a.points) != 0


def poly_overlap(a: Polygon, b: Polygon) -> bool:
    return _poly_overlap(a, b)


def _seg_inside_poly(t: LSeg, poly: Polygon) -> bool:
    """Does the segment t lie inside poly (its border included)?  Cut t where it
    meets the border; every piece must have its midpoint inside."""
    pts = poly.points
    if _point_inside(t.p0, pts) == 0 or _point_inside(t.p1, pts) == 0:
        return False
    cuts = [t.p0, t.p1]
    for s in _poly_edges(pts):
        ip = _interpt_ss(t, s)
        if ip is not None:
            cuts.append(ip)
        for e in (s.p0, s.p1):
            if on_ps(e, t):
                cuts.append(e)
    dx = t.p1.x - t.p0.x
    dy = t.p1.y - t.p0.y
    cuts.sort(key=lambda q: (q.x - t.p0.x) * dx + (q.y - t.p0.y) * dy)
    for a, b in pairwise(cuts):
        if point_eq(a, b):
            continue
        mid = Point((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)
        if _point_inside(mid, pts) == 0 and not any(on_ps(mid, s) for s in _poly_edges(pts)):
            return False
    return True


def _poly_contain(a: Polygon, b: Polygon) -> bool:
    if not box_contain(a.boundbox, b.boundbox):
        return False
    return all(_seg_inside_poly(e, a) for e in _poly_edges(b.points))


def poly_contain(a: Polygon, b: Polygon) -> bool:
    return _poly_contain(a, b)


def poly_contained(a: Polygon, b: Polygon) -> bool:
    return _poly_contain(b, a)


def poly_contain_pt(poly: Polygon, p: Point) -> bool:
    return _point_inside(p, poly.points) != 0


def pt_contained_poly(p: Point, poly: Polygon) -> bool:
    return _point_inside(p, poly.points) != 0


def _dist_ppoly(p: Point, poly: Polygon) -> float:
    if _point_inside(p, poly.points) != 0:
        return 0.0
    pts = poly.points
    n = len(pts)
    # the closing edge, from the first point to the last, then the others in order
    edges = [LSeg(pts[0], pts[n - 1])] + [LSeg(pts[i], pts[i + 1]) for i in range(n - 1)]
    best: float | None = None
    for s in edges:
        d = dist_ps(p, s)
        if best is None or d < best:
            best = d
    return best if best is not None else _NAN


def dist_ppoly(p: Point, poly: Polygon) -> float:
    return _dist_ppoly(p, poly)


def dist_polyp(poly: Polygon, p: Point) -> float:
    return _dist_ppoly(p, poly)


def poly_distance(a: Polygon, b: Polygon) -> float:
    if _poly_overlap(a, b):
        return 0.0
    best: float | None = None
    for sa in _poly_edges(a.points):
        for sb in _poly_edges(b.points):
            d = lseg_distance(sa, sb)
            if best is None or d < best:
                best = d
    return best if best is not None else _NAN


def dist_cpoly(c: Circle, poly: Polygon) -> float:
    d = _mi(_dist_ppoly(c.center, poly), c.radius)
    return 0.0 if d < 0 else d


def dist_polyc(poly: Polygon, c: Circle) -> float:
    return dist_cpoly(c, poly)


# ---------------------------------------------------------------------------
# circle

def cr_circle(p: Point, r: float) -> Circle:
    return Circle(Point(p.x, p.y), r)


def circle_center(c: Circle) -> Point:
    return Point(c.center.x, c.center.y)


def circle_radius(c: Circle) -> float:
    return c.radius


def circle_diameter(c: Circle) -> float:
    return _mul(c.radius, 2.0)


def circle_area(c: Circle) -> float:
    return _mul(_mul(c.radius, c.radius), math.pi)


def circle_same(a: Circle, b: Circle) -> bool:
    return ((_isnan(a.radius) and _isnan(b.radius)) or FPeq(a.radius, b.radius)) and \
        point_eq(a.center, b.center)


def circle_overlap(a: Circle, b: Circle) -> bool:
    return FPle(point_dist(a.center, b.center), _pl(a.radius, b.radius))


def circle_overleft(a: Circle, b: Circle) -> bool:
    return FPle(_pl(a.center.x, a.radius), _pl(b.center.x, b.radius))


def circle_left(a: Circle, b: Circle) -> bool:
    return FPlt(_pl(a.center.x, a.radius), _mi(b.center.x, b.radius))


def circle_right(a: Circle, b: Circle) -> bool:
    return FPgt(_mi(a.center.x, a.radius), _pl(b.center.x, b.radius))


def circle_overright(a: Circle, b: Circle) -> bool:
    return FPge(_mi(a.center.x, a.radius), _mi(b.center.x, b.radius))


def circle_contained(a: Circle, b: Circle) -> bool:
    return FPle(_pl(point_dist(a.center, b.center), a.radius), b.radius)


def circle_contain(a: Circle, b: Circle) -> bool:
    return FPle(_pl(point_dist(a.center, b.center), b.radius), a.radius)


def circle_below(a: Circle, b: Circle) -> bool:
    return FPlt(_pl(a.center.y, a.radius), _mi(b.center.y, b.radius))


def circle_above(a: Circle, b: Circle) -> bool:
    return FPgt(_mi(a.center.y, a.radius), _pl(b.center.y, b.radius))


def circle_overbelow(a: Circle, b: Circle) -> bool:
    return FPle(_pl(a.center.y, a.radius), _pl(b.center.y, b.radius))


def circle_overabove(a: Circle, b: Circle) -> bool:
    return FPge(_mi(a.center.y, a.radius), _mi(b.center.y, b.radius))


def circle_eq(a: Circle, b: Circle) -> bool:
    return FPeq(circle_area(a), circle_area(b))


def circle_ne(a: Circle, b: Circle) -> bool:
    return FPne(circle_area(a), circle_area(b))


def circle_lt(a: Circle, b: Circle) -> bool:
    return FPlt(circle_area(a), circle_area(b))


def circle_gt(a: Circle, b: Circle) -> bool:
    return FPgt(circle_area(a), circle_area(b))


def circle_le(a: Circle, b: Circle) -> bool:
    return FPle(circle_area(a), circle_area(b))


def circle_ge(a: Circle, b: Circle) -> bool:
    return FPge(circle_area(a), circle_area(b))


def circle_add_pt(c: Circle, p: Point) -> Circle:
    return Circle(point_add(c.center, p), c.radius)


def circle_sub_pt(c: Circle, p: Point) -> Circle:
    return Circle(point_sub(c.center, p), c.radius)


def circle_mul_pt(c: Circle, p: Point) -> Circle:
    return Circle(point_mul(c.center, p), _mul(c.radius, hypot(p.x, p.y)))


def circle_div_pt(c: Circle, p: Point) -> Circle:
    return Circle(point_div(c.center, p), _div(c.radius, hypot(p.x, p.y)))


def circle_distance(a: Circle, b: Circle) -> float:
    d = _mi(point_dist(a.center, b.center), _pl(a.radius, b.radius))
    return 0.0 if d < 0 else d


def circle_contain_pt(c: Circle, p: Point) -> bool:
    return point_dist(c.center, p) <= c.radius


def pt_contained_circle(p: Point, c: Circle) -> bool:
    return circle_contain_pt(c, p)


def dist_pc(p: Point, c: Circle) -> float:
    d = _mi(point_dist(p, c.center), c.radius)
    return 0.0 if d < 0 else d


def dist_cpoint(c: Circle, p: Point) -> float:
    return dist_pc(p, c)


def circle_box(c: Circle) -> Box:
    delta = _div(c.radius, math.sqrt(2.0))
    return Box(Point(_pl(c.center.x, delta), _pl(c.center.y, delta)),
               Point(_mi(c.center.x, delta), _mi(c.center.y, delta)))


def circle_poly(npts: int, c: Circle) -> Polygon:
    if FPzero(c.radius):
        raise PgError("0A000", "cannot convert circle with radius zero to polygon")
    if npts < 2:
        raise PgError("22023", "must request at least 2 points")
    step = _div(math.pi * 2.0, float(npts))
    pts = []
    for i in range(npts):
        ang = _mul(step, float(i))
        pts.append(Point(_mi(c.center.x, _mul(c.radius, math.cos(ang))),
                         _pl(c.center.y, _mul(c.radius, math.sin(ang)))))
    return Polygon(tuple(pts))


def circle_poly12(c: Circle) -> Polygon:
    return circle_poly(12, c)


# ---------------------------------------------------------------------------
# catalogue

IMPLS: dict[str, Callable[..., Any]] = {
    name: fn for name, fn in list(globals().items())
    if callable(fn) and getattr(fn, "__module__", None) == __name__ and name[:1].islower()
    and not name.endswith(("_in", "_out", "_send", "_recv"))
    and name not in ("hypot", "box_construct", "line_construct", "circle_poly12")
}
IMPLS.update({"point_distance": point_dist, "box_center": box_center,
              "path_npoints": path_npoints})
IMPLS_BY_OID: dict[int, Callable[..., Any]] = {
    1544: circle_poly12,                              # polygon(circle): polygon(12, $1)
    1426: path_contain_pt,                            # path_contain_pt: on_ppath($2, $1)
}


# ---------------------------------------------------------------------------
# subscripting: point, lseg, box and line are fixed-length arrays of their
# pg_type.typelem (float8 or point), indexed from 0; other subscripts are NULL

def _fixed_elements(v: Any) -> tuple[Any, ...]:
    if isinstance(v, Point):
        return (v.x, v.y)
    if isinstance(v, LSeg):
        return (v.p0, v.p1)
    if isinstance(v, Box):
        return (v.high, v.low)
    if isinstance(v, Line):
        return (v.a, v.b, v.c)
    return ()


def fixed_subscript(v: Any, *idx: Any) -> Any:
    """value[i] for the fixed-length geometric types (NULL when out of range or
    with more than one subscript)."""
    if v is None or len(idx) != 1 or idx[0] is None:
        return None
    elems = _fixed_elements(v)
    i = idx[0]
    if 0 <= i < len(elems):
        e = elems[i]
        return Point(e.x, e.y) if isinstance(e, Point) else e
    return None


def fixed_assign(v: Any, idx: Sequence[Any], new: Any) -> Any:
    """value[i] := new for the fixed-length geometric types (PostgreSQL's raw array
    subscript assignment): NULL stays NULL, a NULL element changes nothing."""
    if v is None:
        return None
    if len(idx) != 1:
        raise PgError("2202E", "wrong number of array subscripts")
    if idx[0] is None:
        raise PgError("22004", "array subscript in assignment must not be null")
    if new is None:
        return v
    elems = list(_fixed_elements(v))
    i = idx[0]
    if not 0 <= i < len(elems):
        raise PgError("2202E", "array subscript out of range")
    elems[i] = new
    if isinstance(v, Point):
        return Point(elems[0], elems[1])
    if isinstance(v, LSeg):
        return LSeg(elems[0], elems[1])
    if isinstance(v, Box):
        return Box(elems[0], elems[1])
    return Line(elems[0], elems[1], elems[2])
