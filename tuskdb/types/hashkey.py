"""Normalisation of values for hashing and grouping (GROUP BY, DISTINCT, hash joins).

Python equality differs from PostgreSQL's in a few places: float and numeric
NaN are not equal to themselves in Python but are in PostgreSQL, and bpchar
ignores trailing spaces.  ``hash_key_fn(type_oid)`` returns a function that
maps a (non-NULL) value to a hashable key such that two values are equal in
PostgreSQL exactly when their keys are equal, or None when the value itself
already is such a key (ints, text, dates, ...).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

_NAN = ("NaN",)


def _float_key(v: float) -> Any:
    return _NAN if v != v else v


def _numeric_key(v: Decimal) -> Any:
    return _NAN if v.is_nan() else v


def _bpchar_key(v: str) -> str:
    return v.rstrip(" ")


def _elem_key(v: Any) -> Any:
    if isinstance(v, float):
        return _float_key(v)
    if isinstance(v, Decimal):
        return _numeric_key(v)
    return v


def _array_key(v: Any) -> Any:
    return (v.dims, v.lbounds) + tuple(_elem_key(x) for x in v.items)


_FNS: dict[int, Callable[[Any], Any]] = {
    700: _float_key, 701: _float_key, 1700: _numeric_key, 1042: _bpchar_key,
}


def hash_key_fn(type_oid: int) -> Callable[[Any], Any] | None:
    fn = _FNS.get(type_oid)
    if fn is not None:
        return fn
    from tuskdb.types.registry import TYPES
    t = TYPES.get(type_oid)
    if t is not None and t.category == "A":
        if t.elem_oid == 1042:
            return lambda v: (v.dims, v.lbounds) + tuple(None if x is None else x.rstrip(" ")
                                                         for x in v.items)
        return _array_key
    return None
