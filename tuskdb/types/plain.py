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

from tuskdb.types.arrays import Array
from tuskdb.types.interval import Interval
from tuskdb.types.json import Jsonb, jsonb_in, jsonb_text
from tuskdb.types.network import Inet
from tuskdb.types.ranges import Range
from tuskdb.types.timetz import TimeTZ


def _array_to(v: Array) -> tuple[Any, ...]:
    return (v.items, v.dims, v.lbounds)


def _array_from(p: Any) -> Array:
    items, dims, lbounds = p
    return Array(items, lbounds[0] if lbounds else 1, dims, lbounds)


def _range_to(v: Range) -> tuple[Any, ...]:
    return (v.type_oid, v.lower, v.upper, v.lower_inc, v.upper_inc, v.empty)


VALUE_CLASSES: tuple[tuple[type, str, Callable[[Any], Any], Callable[[Any], Any]], ...] = (
    (Interval, "interval", lambda v: (v.months, v.days, v.micros),
     lambda p: Interval(p[0], p[1], p[2])),
    (Array, "array", _array_to, _array_from),
    (TimeTZ, "timetz", lambda v: (v.time, v.zone), lambda p: TimeTZ(p[0], p[1])),
    (Jsonb, "jsonb", lambda v: jsonb_text(v.tree), lambda p: jsonb_in(p)),
    (Inet, "inet", lambda v: (v.family, v.addr, v.bits, v.is_cidr),
     lambda p: Inet(p[0], p[1], p[2], p[3])),
    (Range, "range", _range_to, lambda p: Range(*p)),
)
