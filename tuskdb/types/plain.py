"""Plain forms of the value classes, for layers that serialise values.

``VALUE_CLASSES`` lists every Python class the types layer uses as a value
representation (see README "Value representations") with a pair of
functions: ``to_plain(value)`` returns a tuple or str built only from None,
bool, int (any size), float, str, bytes, Decimal, uuid.UUID, tuples and
(recursively, e.g. array elements or range bounds) instances of these same
classes; ``from_plain(plain)`` rebuilds an equal value.  A storage codec that
knows the primitive kinds can register each class with these two functions;
``name`` is stable and can key the registration.
"""

from __future__ import annotations

from typing import Any, Callable

from tuskdb.types import geo as _geo
from tuskdb.types.arrays import Array, TypedArray
from tuskdb.types.interval import Interval
from tuskdb.types.json import Jsonb, jsonb_in, jsonb_text
from tuskdb.types.jsonpath import JsonPath, jsonpath_in
from tuskdb.types.network import Inet
from tuskdb.types.multiranges import Multirange
from tuskdb.types.ranges import Range
from tuskdb.types.records import Record
from tuskdb.types.usertypes import EnumValue
from tuskdb.types.timetz import TimeTZ
from tuskdb.types.tsearch.tsquery import TSQuery, tsquery_recv, tsquery_send
from tuskdb.types.tsearch.tsvector import TSVector


def _array_to(v: Array) -> tuple[Any, ...]:
    return (v.items, v.dims, v.lbounds)


def _array_from(p: Any) -> Array:
    items, dims, lbounds = p
    return Array(items, lbounds[0] if lbounds else 1, dims, lbounds)


def _geo_points(flat: Any) -> tuple[Any, ...]:
    return tuple(_geo.Point(flat[i], flat[i + 1]) for i in range(0, len(flat), 2))


def _range_to(v: Range) -> tuple[Any, ...]:
    return (v.type_oid, v.lower, v.upper, v.lower_inc, v.upper_inc, v.empty)


VALUE_CLASSES: tuple[tuple[type, str, Callable[[Any], Any], Callable[[Any], Any]], ...] = (
    (Interval, "interval", lambda v: (v.months, v.days, v.micros),
     lambda p: Interval(p[0], p[1], p[2])),
    (Array, "array", _array_to, _array_from),
    (TypedArray, "typed_array", lambda v: (v.elem_oid,) + _array_to(v),
     lambda p: TypedArray(p[0], p[1], p[3][0] if p[3] else 1, p[2], p[3])),
    (TimeTZ, "timetz", lambda v: (v.time, v.zone), lambda p: TimeTZ(p[0], p[1])),
    (Jsonb, "jsonb", lambda v: jsonb_text(v.tree), lambda p: jsonb_in(p)),
    (JsonPath, "jsonpath", lambda v: v.text(), lambda p: jsonpath_in(p)),
    (Inet, "inet", lambda v: (v.family, v.addr, v.bits, v.is_cidr),
     lambda p: Inet(p[0], p[1], p[2], p[3])),
    (Range, "range", _range_to, lambda p: Range(*p)),
    (_geo.Point, "point", lambda v: (v.x, v.y), lambda p: _geo.Point(p[0], p[1])),
    (_geo.LSeg, "lseg", lambda v: (v.p0.x, v.p0.y, v.p1.x, v.p1.y),
     lambda p: _geo.LSeg(_geo.Point(p[0], p[1]), _geo.Point(p[2], p[3]))),
    (_geo.Line, "line", lambda v: (v.a, v.b, v.c), lambda p: _geo.Line(p[0], p[1], p[2])),
    (_geo.Box, "box", lambda v: (v.high.x, v.high.y, v.low.x, v.low.y),
     lambda p: _geo.Box(_geo.Point(p[0], p[1]), _geo.Point(p[2], p[3]))),
    (_geo.Path, "path", lambda v: (v.closed, tuple(c for q in v.points for c in (q.x, q.y))),
     lambda p: _geo.Path(_geo_points(p[1]), p[0])),
    (_geo.Polygon, "polygon", lambda v: tuple(c for q in v.points for c in (q.x, q.y)),
     lambda p: _geo.Polygon(_geo_points(p))),
    (_geo.Circle, "circle", lambda v: (v.center.x, v.center.y, v.radius),
     lambda p: _geo.Circle(_geo.Point(p[0], p[1]), p[2])),
    (TSVector, "tsvector", lambda v: v.entries,
     lambda p: TSVector(tuple((e[0], tuple(e[1])) for e in p))),
    (TSQuery, "tsquery", lambda v: tsquery_send(v), lambda p: tsquery_recv(p)),
    (Record, "record", lambda v: (v.values, v.type_oids, v.names),
     lambda p: Record(p[0], p[1], p[2])),
    (EnumValue, "enum", lambda v: (int(v),), lambda p: EnumValue(p[0])),
    (Multirange, "multirange", lambda v: (v.type_oid, v.ranges),
     lambda p: Multirange(p[0], p[1])),
)
